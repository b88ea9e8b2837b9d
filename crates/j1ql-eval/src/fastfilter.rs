//! Filters compiled against one graph for the hot paths of evaluation: property keys interned
//! once per query (no string hashing per entity), string constants of `=`/`!=` turned into
//! [`Sym`]s (a string absent from the graph equals no value), aliases resolved to row slots.
//!
//! The semantics are exactly those of [`crate::filter::Filter`] with [`crate::compare`]: every
//! comparison that is not a string (in)equality is delegated to [`compare`].

use std::borrow::Cow;

use j1ql_graph::{EntityId, Graph, PropValue, RelId, Sym};
use j1ql_semantics::ir::{self, CompareOp};

use crate::bindings::{Binding, Bindings};
use crate::compare::{compare, RValue};
use crate::error::EvalError;
use crate::paths::NONE;
use crate::resolve::ValueContext;

/// What a property reference reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Src {
    /// The entity being matched (WITH filters).
    This,
    /// The entity bound in a row slot (WHERE).
    Entity(usize),
    /// The relationship bound in a row slot (WHERE).
    Rel(usize),
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
pub enum FOperand {
    /// A constant; for a string constant, its [`Sym`] (`Some(None)`: absent from the graph).
    Const(RValue, Option<Option<Sym>>),
    /// Another property.
    Prop(Src, Key),
}

/// A compiled filter.
#[derive(Debug, Clone)]
pub enum FFilter {
    /// All hold.
    And(Vec<FFilter>),
    /// Any holds.
    Or(Vec<FFilter>),
    /// One comparison.
    Cmp {
        /// Where the property is read.
        src: Src,
        /// The property.
        key: Key,
        /// The operator.
        op: CompareOp,
        /// The value.
        value: FOperand,
    },
}

/// The bound slots of a (partial) row.
#[derive(Clone, Copy)]
pub struct Slots<'a> {
    /// Entity per slot.
    pub entities: &'a [u32],
    /// Relationship per slot.
    pub relationships: &'a [u32],
}

impl Slots<'_> {
    /// No slots (WITH filters).
    pub const EMPTY: Slots<'static> = Slots {
        entities: &[],
        relationships: &[],
    };
}

/// How many value comparisons comparing against `value` can take: one per value of a group.
fn operand_cost(value: &FOperand) -> u64 {
    fn rvalue_cost(v: &RValue) -> u64 {
        match v {
            RValue::Group(_, values) => values.iter().map(rvalue_cost).sum::<u64>().max(1),
            _ => 1,
        }
    }
    match value {
        FOperand::Const(v, _) => rvalue_cost(v),
        FOperand::Prop(..) => 1,
    }
}

impl FFilter {
    /// The most value comparisons one evaluation of the filter can make (a value group of
    /// 10,000 regexes costs 10,000): what the work budget charges per entity checked.
    pub fn cost(&self) -> u64 {
        match self {
            FFilter::And(items) | FFilter::Or(items) => {
                items.iter().map(FFilter::cost).fold(0, u64::saturating_add)
            }
            FFilter::Cmp { value, .. } => operand_cost(value),
        }
    }

    /// Compiles a WITH filter (every property of the entity being matched).
    pub fn compile_with(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
    ) -> Result<FFilter, EvalError> {
        Self::compile(filter, graph, cx, &|_| Some(Src::This))
    }

    /// Compiles a WHERE conjunct whose aliases all resolve through `bindings` to entity or
    /// relationship slots; `None` when one does not (it stays with the row filter).
    pub fn compile_where(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        bindings: &Bindings,
    ) -> Result<Option<FFilter>, EvalError> {
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

    fn compile(
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        resolve: &dyn Fn(&ir::PropertyRef) -> Option<Src>,
    ) -> Result<FFilter, EvalError> {
        Ok(match filter {
            ir::Filter::And(v) => FFilter::And(
                v.iter()
                    .map(|f| Self::compile(f, graph, cx, resolve))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Or(v) => FFilter::Or(
                v.iter()
                    .map(|f| Self::compile(f, graph, cx, resolve))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Compare(c) => FFilter::Cmp {
                src: resolve(&c.property).unwrap_or(Src::This),
                key: Key::new(&c.property.key, graph),
                op: c.op,
                value: match &c.value {
                    ir::Value::Property(p) => {
                        FOperand::Prop(resolve(p).unwrap_or(Src::This), Key::new(&p.key, graph))
                    }
                    v => {
                        let value = cx.resolve(v)?;
                        let sym = match &value {
                            RValue::Str(s) => Some(graph.sym(s)),
                            _ => None,
                        };
                        FOperand::Const(value, sym)
                    }
                },
            },
        })
    }

    /// The slots the filter reads (`This` excluded).
    pub fn slots(&self, out: &mut Vec<usize>) {
        let mut add = |src: &Src| match src {
            Src::Entity(s) | Src::Rel(s) => out.push(*s),
            Src::This => {}
        };
        match self {
            FFilter::And(v) | FFilter::Or(v) => v.iter().for_each(|f| f.slots(&mut *out)),
            FFilter::Cmp { src, value, .. } => {
                add(src);
                if let FOperand::Prop(s, _) = value {
                    add(s);
                }
            }
        }
    }

    /// The one entity slot the filter reads, when it reads nothing else (no relationship,
    /// no second slot): such a conjunct can filter that slot's entities on their own.
    pub fn only_entity_slot(&self) -> Option<usize> {
        fn walk(f: &FFilter, found: &mut Option<usize>) -> bool {
            let mut one = |src: &Src| match src {
                Src::Entity(s) if found.is_none_or(|f| f == *s) => {
                    *found = Some(*s);
                    true
                }
                _ => false,
            };
            match f {
                FFilter::And(v) | FFilter::Or(v) => v.iter().all(|f| walk(f, found)),
                FFilter::Cmp { src, value, .. } => {
                    one(src)
                        && match value {
                            FOperand::Prop(s, _) => one(s),
                            FOperand::Const(..) => true,
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
    /// decided once per value group (see [`crate::indexed`]).
    pub fn single_key(&self) -> Option<Sym> {
        self.single_key_of(Src::This)
    }

    /// [`FFilter::single_key`] for a filter reading `src` (a WHERE conjunct on one entity
    /// slot reads `Src::Entity(slot)`).
    pub fn single_key_of(&self, src: Src) -> Option<Sym> {
        fn walk(f: &FFilter, src: Src, found: &mut Option<Sym>) -> bool {
            match f {
                FFilter::And(v) | FFilter::Or(v) => {
                    !v.is_empty() && v.iter().all(|f| walk(f, src, found))
                }
                FFilter::Cmp {
                    src: s,
                    key,
                    value: FOperand::Const(..),
                    ..
                } if !key.meta && *s == src => match key.sym {
                    Some(s) if found.is_none_or(|f| f == s) => {
                        *found = Some(s);
                        true
                    }
                    _ => false,
                },
                FFilter::Cmp { .. } => false,
            }
        }
        let mut found = None;
        walk(self, src, &mut found).then_some(found).flatten()
    }

    /// Whether the filter holds for entity `this` (WITH) in the row `slots` (WHERE).
    #[inline]
    pub fn eval(&self, graph: &Graph, this: EntityId, slots: Slots<'_>) -> bool {
        match self {
            FFilter::And(v) => v.iter().all(|f| f.eval(graph, this, slots)),
            FFilter::Or(v) => v.iter().any(|f| f.eval(graph, this, slots)),
            FFilter::Cmp {
                src,
                key,
                op,
                value,
            } => {
                let left = fetch(graph, *src, key, this, slots);
                match value {
                    FOperand::Const(RValue::Str(_), Some(sym))
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
                    FOperand::Const(v, _) => compare(graph, left.as_deref(), *op, v),
                    FOperand::Prop(src, key) => {
                        let right = fetch(graph, *src, key, this, slots);
                        let right = RValue::from_prop(graph, right.as_deref());
                        compare(graph, left.as_deref(), *op, &right)
                    }
                }
            }
        }
    }
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
