//! The one compiled filter of the evaluator: WITH filters and smart classes (on the entity
//! being matched), WHERE conjuncts pushed into the walk (on row slots), the row filter for
//! conjuncts that stay on complete rows (optional groups' aliases included), and HAVING (on a
//! result row's columns). Compiled against one graph: property keys interned once per query
//! (no string hashing per entity), string constants of `=`/`!=` turned into [`Sym`]s (a string
//! absent from the graph equals no value), aliases resolved to slots. Every comparison that is
//! not a string (in)equality is delegated to [`compare`], which holds the truth tables.

use std::borrow::Cow;

use j1ql_graph::{EntityId, Graph, PropValue, RelId, Sym};
use j1ql_semantics::dates::data_date_millis;
use j1ql_semantics::ir::{self, CompareOp};

use crate::bindings::{Binding, Bindings};
use crate::compare::{compare, RValue};
use crate::error::EvalError;
use crate::resolve::ValueContext;
use crate::row::{Slots, NONE};

/// What a property reference reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Src {
    /// The entity being matched (WITH filters).
    This,
    /// The entity bound in a row slot (WHERE).
    Entity(usize),
    /// The relationship bound in a row slot (WHERE).
    Rel(usize),
    /// The current entity of an optional group (WHERE on complete rows).
    Optional(usize),
    /// A result row's column (HAVING).
    Column(usize),
    /// Nothing: an alias the query does not bind, or a WHERE property without one.
    Missing,
}

/// A property key, interned.
#[derive(Debug, Clone)]
pub struct Key {
    name: String,
    /// `None`: no string of the graph equals the key, so no item has the property.
    sym: Option<Sym>,
    /// Metadata (`_id`, `_class`, ...): looked up through the views.
    meta: bool,
}

impl Key {
    fn new(name: &str, graph: &Graph) -> Key {
        Key {
            name: name.to_string(),
            sym: graph.sym(name),
            meta: name.starts_with('_'),
        }
    }
}

/// The right-hand side.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A constant; for a string constant, its [`Sym`] (`Some(None)`: absent from the graph).
    Const(RValue, Option<Option<Sym>>),
    /// Another property.
    Prop(Src, Key),
}

/// A compiled filter.
#[derive(Debug, Clone)]
pub enum Filter {
    /// All hold.
    And(Vec<Filter>),
    /// Any holds.
    Or(Vec<Filter>),
    /// One comparison.
    Cmp {
        /// Where the property is read.
        src: Src,
        /// The property.
        key: Key,
        /// The operator.
        op: CompareOp,
        /// The value.
        value: Operand,
    },
}

/// How many value comparisons comparing against `value` can take: one per value of a group.
fn operand_cost(value: &Operand) -> u64 {
    fn rvalue_cost(v: &RValue) -> u64 {
        match v {
            RValue::Group(_, values) => values.iter().map(rvalue_cost).sum::<u64>().max(1),
            _ => 1,
        }
    }
    match value {
        Operand::Const(v, _) => rvalue_cost(v),
        Operand::Prop(..) => 1,
    }
}

impl Filter {
    /// The most value comparisons one evaluation of the filter can make (a value group of
    /// 10,000 regexes costs 10,000): what the work budget charges per entity checked.
    pub fn cost(&self) -> u64 {
        match self {
            Filter::And(items) | Filter::Or(items) => {
                items.iter().map(Filter::cost).fold(0, u64::saturating_add)
            }
            Filter::Cmp { value, .. } => operand_cost(value),
        }
    }

    /// Compiles a WITH filter (every property of the entity being matched).
    pub fn compile_with(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
    ) -> Result<Filter, EvalError> {
        Self::compile(filter, graph, cx, &|_| Some(Src::This))
    }

    /// Compiles a WHERE conjunct whose aliases all resolve through `bindings` to entity or
    /// relationship slots; `None` when one does not (it stays with the row filter).
    pub fn compile_where(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        bindings: &Bindings,
    ) -> Result<Option<Filter>, EvalError> {
        let resolve = |p: &ir::PropertyRef| match bindings.get(p.alias.as_deref()?)? {
            Binding::Entity(s) => Some(Src::Entity(s)),
            Binding::Relationship(s) => Some(Src::Rel(s)),
            Binding::Optional(_) => None,
        };
        if !refs(filter).iter().all(|p| resolve(p).is_some()) {
            return Ok(None);
        }
        Self::compile(filter, graph, cx, &resolve).map(Some)
    }

    /// Compiles a WHERE filter evaluated on complete rows ([`Slots::row`]): every alias
    /// resolves, optional groups' aliases to their current entity, and a property whose alias
    /// the query does not bind (or that has none) reads as absent.
    pub fn compile_row(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        bindings: &Bindings,
    ) -> Result<Filter, EvalError> {
        let resolve = |p: &ir::PropertyRef| {
            Some(match p.alias.as_deref().and_then(|a| bindings.get(a)) {
                Some(Binding::Entity(s)) => Src::Entity(s),
                Some(Binding::Relationship(s)) => Src::Rel(s),
                Some(Binding::Optional(s)) => Src::Optional(s),
                None => Src::Missing,
            })
        };
        Self::compile(filter, graph, cx, &resolve)
    }

    /// Compiles HAVING over a result row whose columns are named `columns` (in
    /// [`Slots::columns`] order): a property names a column by its key, whatever its alias.
    pub fn compile_having(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        columns: &[&str],
    ) -> Result<Filter, EvalError> {
        let resolve = |p: &ir::PropertyRef| {
            Some(
                columns
                    .iter()
                    .position(|c| *c == p.key)
                    .map_or(Src::Missing, Src::Column),
            )
        };
        Self::compile(filter, graph, cx, &resolve)
    }

    fn compile(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        resolve: &dyn Fn(&ir::PropertyRef) -> Option<Src>,
    ) -> Result<Filter, EvalError> {
        Ok(match filter {
            ir::Filter::And(v) => Filter::And(
                v.iter()
                    .map(|f| Self::compile(f, graph, cx, resolve))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Or(v) => Filter::Or(
                v.iter()
                    .map(|f| Self::compile(f, graph, cx, resolve))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Compare(c) => Filter::Cmp {
                src: resolve(&c.property).unwrap_or(Src::This),
                key: Key::new(&c.property.key, graph),
                op: c.op,
                value: match &c.value {
                    ir::Value::Property(p) => {
                        Operand::Prop(resolve(p).unwrap_or(Src::This), Key::new(&p.key, graph))
                    }
                    v => {
                        let value = cx.resolve(v)?;
                        let sym = match &value {
                            RValue::Str(s) => Some(graph.sym(s)),
                            _ => None,
                        };
                        Operand::Const(value, sym)
                    }
                },
            },
        })
    }

    /// The slots the filter reads (`This` excluded).
    pub fn slots(&self, out: &mut Vec<usize>) {
        let mut add = |src: &Src| match src {
            Src::Entity(s) | Src::Rel(s) => out.push(*s),
            Src::This | Src::Optional(_) | Src::Column(_) | Src::Missing => {}
        };
        match self {
            Filter::And(v) | Filter::Or(v) => v.iter().for_each(|f| f.slots(&mut *out)),
            Filter::Cmp { src, value, .. } => {
                add(src);
                if let Operand::Prop(s, _) = value {
                    add(s);
                }
            }
        }
    }

    /// The one entity slot the filter reads, when it reads nothing else (no relationship,
    /// no second slot): such a conjunct can filter that slot's entities on their own.
    pub fn only_entity_slot(&self) -> Option<usize> {
        fn walk(f: &Filter, found: &mut Option<usize>) -> bool {
            let mut one = |src: &Src| match src {
                Src::Entity(s) if found.is_none_or(|f| f == *s) => {
                    *found = Some(*s);
                    true
                }
                _ => false,
            };
            match f {
                Filter::And(v) | Filter::Or(v) => v.iter().all(|f| walk(f, found)),
                Filter::Cmp { src, value, .. } => {
                    one(src)
                        && match value {
                            Operand::Prop(s, _) => one(s),
                            Operand::Const(..) => true,
                        }
                }
            }
        }
        let mut found = None;
        walk(self, &mut found).then_some(found).flatten()
    }

    /// The one stored property the filter reads when it only compares that property of the
    /// entity being matched with constants (`public = true`, `a > 1 OR a = 'x'`): such a
    /// filter gives the same answer for every entity holding the same value, so it can be
    /// decided once per value group (see [`crate::optimize::index_choice`]).
    pub fn single_key(&self) -> Option<Sym> {
        self.single_key_of(Src::This)
    }

    /// [`Filter::single_key`] for a filter reading `src` (a WHERE conjunct on one entity
    /// slot reads `Src::Entity(slot)`).
    pub fn single_key_of(&self, src: Src) -> Option<Sym> {
        fn walk(f: &Filter, src: Src, found: &mut Option<Sym>) -> bool {
            match f {
                Filter::And(v) | Filter::Or(v) => {
                    !v.is_empty() && v.iter().all(|f| walk(f, src, found))
                }
                Filter::Cmp {
                    src: s,
                    key,
                    value: Operand::Const(..),
                    ..
                } if !key.meta && *s == src => match key.sym {
                    Some(s) if found.is_none_or(|f| f == s) => {
                        *found = Some(s);
                        true
                    }
                    _ => false,
                },
                Filter::Cmp { .. } => false,
            }
        }
        let mut found = None;
        walk(self, src, &mut found).then_some(found).flatten()
    }

    /// Whether the filter holds for entity `this` (WITH) in the row `slots` (WHERE).
    #[inline]
    pub fn eval(&self, graph: &Graph, this: EntityId, slots: Slots<'_>) -> bool {
        match self {
            Filter::And(v) => v.iter().all(|f| f.eval(graph, this, slots)),
            Filter::Or(v) => v.iter().any(|f| f.eval(graph, this, slots)),
            Filter::Cmp {
                src,
                key,
                op,
                value,
            } => {
                let left = fetch(graph, *src, key, this, slots);
                match value {
                    Operand::Const(RValue::Str(_), Some(sym))
                        if matches!(op, CompareOp::Eq | CompareOp::NotEq) =>
                    {
                        let eq = match (left.as_deref(), sym) {
                            (Some(v), Some(sym)) => v
                                .elements()
                                .iter()
                                .any(|e| matches!(e, PropValue::String(s) if s == sym)),
                            _ => false,
                        };
                        eq == (*op == CompareOp::Eq)
                    }
                    Operand::Const(v, _) => compare(graph, left.as_deref(), *op, v),
                    Operand::Prop(src, key) => {
                        let right = fetch(graph, *src, key, this, slots);
                        match (right.as_deref(), op) {
                            // A join predicate on strings (`sg.region = b.region`): decided on
                            // the interned strings, without building the right-hand value.
                            (Some(PropValue::String(r)), CompareOp::Eq | CompareOp::NotEq) => {
                                string_eq(graph, left.as_deref(), *r) == (*op == CompareOp::Eq)
                            }
                            (right, _) => {
                                let right = RValue::from_prop(graph, right);
                                compare(graph, left.as_deref(), *op, &right)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whether `left = 'text'` holds for the interned string `right`, exactly as
/// [`compare`] decides it: an element equal to the string, or a number equal to the string
/// read as a date; an absent property equals nothing.
fn string_eq(graph: &Graph, left: Option<&PropValue>, right: Sym) -> bool {
    left.is_some_and(|v| {
        v.elements().iter().any(|e| match e {
            PropValue::String(s) => *s == right,
            PropValue::Number(n) => data_date_millis(graph.str(right)) == Some(*n),
            _ => false,
        })
    })
}

#[inline]
fn fetch<'g>(
    graph: &'g Graph,
    src: Src,
    key: &Key,
    this: EntityId,
    slots: Slots<'_>,
) -> Option<Cow<'g, PropValue>> {
    let slot = |v: &[u32], s: usize| v.get(s).copied().filter(|x| *x != NONE);
    match src {
        Src::This => entity_prop(graph, this, key),
        Src::Entity(s) => entity_prop(graph, EntityId(slot(slots.entities, s)?), key),
        Src::Rel(s) => {
            let id = RelId(slot(slots.relationships, s)?);
            if key.meta {
                graph.relationship(id).get(&key.name)
            } else {
                graph.rel_property_sym(id, key.sym?).map(Cow::Borrowed)
            }
        }
        Src::Optional(s) => entity_prop(graph, EntityId(slot(slots.optionals, s)?), key),
        Src::Column(i) => slots.columns.get(i)?.clone().map(Cow::Owned),
        Src::Missing => None,
    }
}

#[inline]
fn entity_prop<'g>(graph: &'g Graph, id: EntityId, key: &Key) -> Option<Cow<'g, PropValue>> {
    if key.meta {
        graph.entity(id).get(&key.name)
    } else {
        graph.property_sym(id, key.sym?).map(Cow::Borrowed)
    }
}

/// Every property reference of a filter.
fn refs(filter: &ir::Filter) -> Vec<&ir::PropertyRef> {
    let mut out = Vec::new();
    fn walk<'a>(f: &'a ir::Filter, out: &mut Vec<&'a ir::PropertyRef>) {
        match f {
            ir::Filter::And(v) | ir::Filter::Or(v) => v.iter().for_each(|f| walk(f, out)),
            ir::Filter::Compare(c) => {
                out.push(&c.property);
                if let ir::Value::Property(p) = &c.value {
                    out.push(p);
                }
            }
        }
    }
    walk(filter, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The string join predicate's shortcut gives what the general comparison gives, for
    /// every pair of values (strings, arrays, numbers, dates, booleans, null, absent) and
    /// both operators.
    #[test]
    fn string_join_predicate_matches_the_general_comparison() {
        let values = [
            json!("eu"),
            json!("us"),
            json!(["us", "eu"]),
            json!(["x"]),
            json!(1_700_000_000_000_i64),
            json!("2023-11-14T22:13:20Z"),
            json!(true),
            json!(null),
            json!(3),
        ];
        let mut entities: Vec<serde_json::Value> = values
            .iter()
            .enumerate()
            .map(|(i, v)| json!({"_key": format!("e{i}"), "_type": "t", "_class": "C", "p": v}))
            .collect();
        entities.push(json!({"_key": "absent", "_type": "t", "_class": "C"}));
        let graph = Graph::from_json_value(&json!({ "entities": entities, "relationships": [] }))
            .expect("fixture loads");
        let key = Key::new("p", &graph);
        let n = graph.entity_count() as u32;
        let mut checked = 0;
        for op in [CompareOp::Eq, CompareOp::NotEq] {
            let filter = Filter::Cmp {
                src: Src::Entity(0),
                key: key.clone(),
                op,
                value: Operand::Prop(Src::Entity(1), key.clone()),
            };
            for a in 0..n {
                for b in 0..n {
                    let slots = [a, b];
                    let got = filter.eval(&graph, EntityId(a), Slots::chain(&slots, &[]));
                    let left = graph.property_sym(EntityId(a), key.sym.unwrap());
                    let right = graph.property_sym(EntityId(b), key.sym.unwrap());
                    let want = compare(&graph, left, op, &RValue::from_prop(&graph, right));
                    assert_eq!(got, want, "{op:?} between entity {a} and entity {b}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 2 * 100);
    }
}
