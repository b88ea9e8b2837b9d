//! Operator: grouping — the one implementation of RETURN's grouping, in two modes.
//!
//! * Streamed ([`GroupSpec::of`]): `RETURN key columns..., count(alias)...` answered while the
//!   walk runs, without materialising a row per path.
//! * Over rows ([`GroupSpec::rows`]): any other aggregate (`sum`, `avg`, `min`, `max`, ...,
//!   or a grouped count the walk could not stream); each group keeps its member rows and the
//!   aggregates are computed over them when the groups are finished.
//!
//! Both find a row's group the same way (the key's JSON text, first appearance first).
//!
//! Why: a traversal query with a grouped count (`RETURN i.platform, count(b)`) can have tens of
//! thousands of paths; keeping each as a [`Row`] (three vectors) and grouping afterwards by the
//! JSON text of its key costs more than the walk that found them. Here each complete path goes
//! straight to its group: the key is computed once per distinct key entity (when the key
//! columns read one slot), and `count(alias)` collects the alias's ids, deduplicated at the end
//! (J1QL counts distinct entities). The groups are the same, in the same order (first
//! appearance in walk order), with the same values as the row-based aggregation in
//! [`crate::evaluate`]; the proptest in `tests/planner.rs` compares the two.

use std::collections::HashMap;

use j1ql_graph::{EntityId, Graph, PropValue, Sym};
use j1ql_semantics::ir::{self, Aggregate, Expr};
use serde_json::Value;

use crate::bindings::{Binding, Bindings, RowLookup};
use crate::functions::{aggregate_value, eval_expr};
use crate::resolve::ValueContext;
use crate::row::{Row, NONE};

/// A row slot: an entity or a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotRef {
    Entity(usize),
    Relationship(usize),
}

impl SlotRef {
    fn of(binding: Binding) -> Option<SlotRef> {
        match binding {
            Binding::Entity(s) => Some(SlotRef::Entity(s)),
            Binding::Relationship(s) => Some(SlotRef::Relationship(s)),
            Binding::Optional(_) => None,
        }
    }

    fn id(self, row: &Row) -> u32 {
        match self {
            SlotRef::Entity(s) => row.entities[s],
            SlotRef::Relationship(s) => row.relationships[s],
        }
    }
}

/// What one `count(...)` column counts.
#[derive(Debug, Clone, Copy)]
enum CountOf {
    /// `count(*)`: the paths.
    Paths,
    /// `count(alias)`: the distinct entities or relationships in this slot.
    Slot(SlotRef),
    /// An alias the query does not bind: always 0.
    Nothing,
}

/// One RETURN column.
#[derive(Debug, Clone, Copy)]
enum Column {
    /// The `n`-th key (non-aggregate) column.
    Key(usize),
    /// The `n`-th count column.
    Count(usize),
    /// The `n`-th aggregate column computed over the member rows.
    Aggregate(usize),
}

/// How the RETURN columns are computed from paths.
#[derive(Debug)]
pub(crate) struct GroupSpec<'q> {
    keys: Vec<&'q Expr>,
    counts: Vec<CountOf>,
    /// Aggregates computed over each group's member rows (rows mode).
    aggregates: Vec<&'q Expr>,
    /// Whether each group keeps its member rows (rows mode).
    keep_rows: bool,
    columns: Vec<Column>,
    /// The one slot every key column reads (so the key is cached per id in it); `None`: the
    /// keys read no slot (one group) or several.
    key_slot: Option<SlotRef>,
    /// Whether the keys read no slot at all.
    constant_key: bool,
    /// The key is one stored property of one entity slot: groups are found by the value
    /// itself (no JSON per path).
    key_prop: Option<(usize, Sym)>,
    bindings: &'q Bindings,
    cx: &'q ValueContext,
}

/// The slots an expression reads; `None` when it reads an optional group's alias.
fn slots_read(expr: &Expr, bindings: &Bindings, out: &mut Vec<SlotRef>) -> Option<()> {
    let mut alias = |name: &str| -> Option<()> {
        if let Some(b) = bindings.get(name) {
            let s = SlotRef::of(b)?;
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Some(())
    };
    match expr {
        Expr::Selector(n) | Expr::AllFields(n) => alias(&n.text),
        Expr::Field(p) => p.alias.as_deref().map_or(Some(()), alias),
        Expr::Aggregate { arg, .. } => arg
            .as_deref()
            .map_or(Some(()), |a| slots_read(a, bindings, out)),
        Expr::Call { args, .. } => args.iter().try_for_each(|a| slots_read(a, bindings, out)),
        Expr::Binary { lhs, rhs, .. } => {
            slots_read(lhs, bindings, out)?;
            slots_read(rhs, bindings, out)
        }
        Expr::Neg(e) => slots_read(e, bindings, out),
        Expr::Literal(_) | Expr::Star => Some(()),
    }
}

impl<'q> GroupSpec<'q> {
    /// A spec with no columns yet; `keep_rows` says whether groups keep their member rows.
    fn empty(bindings: &'q Bindings, cx: &'q ValueContext, keep_rows: bool) -> GroupSpec<'q> {
        GroupSpec {
            keys: Vec::new(),
            counts: Vec::new(),
            aggregates: Vec::new(),
            keep_rows,
            columns: Vec::new(),
            key_slot: None,
            constant_key: false,
            key_prop: None,
            bindings,
            cx,
        }
    }

    /// The spec for grouping complete rows by the non-aggregate columns, every aggregate
    /// column computed over the group's rows.
    pub(crate) fn rows(
        columns: &'q [ir::Column],
        bindings: &'q Bindings,
        cx: &'q ValueContext,
    ) -> GroupSpec<'q> {
        let mut spec = GroupSpec::empty(bindings, cx, true);
        for column in columns {
            if column.expr.has_aggregate() {
                spec.columns.push(Column::Aggregate(spec.aggregates.len()));
                spec.aggregates.push(&column.expr);
            } else {
                spec.columns.push(Column::Key(spec.keys.len()));
                spec.keys.push(&column.expr);
            }
        }
        spec.constant_key = spec.keys.is_empty();
        spec
    }

    /// The spec for `columns` when they can be streamed: every aggregate column is exactly
    /// `count(alias)` or `count(*)`, the others hold no aggregate and no `alias.*`, and no
    /// column reads an optional group's alias.
    pub(crate) fn of(
        columns: &'q [ir::Column],
        graph: &Graph,
        bindings: &'q Bindings,
        cx: &'q ValueContext,
    ) -> Option<GroupSpec<'q>> {
        let mut spec = GroupSpec::empty(bindings, cx, false);
        let mut key_slots = Vec::new();
        for column in columns {
            match &column.expr {
                Expr::Aggregate {
                    func: Aggregate::Count,
                    arg,
                } => {
                    let of = match arg.as_deref() {
                        Some(Expr::Selector(name)) => match bindings.get(&name.text) {
                            Some(b) => CountOf::Slot(SlotRef::of(b)?),
                            None => CountOf::Nothing,
                        },
                        Some(Expr::Field(_)) => return None,
                        _ => CountOf::Paths,
                    };
                    spec.columns.push(Column::Count(spec.counts.len()));
                    spec.counts.push(of);
                }
                Expr::AllFields(_) => return None,
                e if e.has_aggregate() => return None,
                e => {
                    slots_read(e, bindings, &mut key_slots)?;
                    spec.columns.push(Column::Key(spec.keys.len()));
                    spec.keys.push(e);
                }
            }
        }
        if spec.counts.is_empty() {
            return None;
        }
        match key_slots.as_slice() {
            [] => spec.constant_key = true,
            [one] => spec.key_slot = Some(*one),
            _ => {}
        }
        if let ([Expr::Field(p)], Some(SlotRef::Entity(slot))) =
            (spec.keys.as_slice(), spec.key_slot)
        {
            if !p.key.starts_with('_') {
                spec.key_prop = graph.sym(&p.key).map(|sym| (slot, sym));
            }
        }
        Some(spec)
    }

    /// The number of RETURN columns.
    pub(crate) fn width(&self) -> usize {
        self.columns.len()
    }
}

/// A scalar property value as a hashable key (values with equal keys give the same JSON, so
/// the same group); arrays are left to the JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ValueKey {
    Missing,
    Null,
    Bool(bool),
    Number(u64),
    String(Sym),
}

impl ValueKey {
    fn of(value: Option<&PropValue>) -> Option<ValueKey> {
        Some(match value {
            None => ValueKey::Missing,
            Some(PropValue::Null) => ValueKey::Null,
            Some(PropValue::Bool(b)) => ValueKey::Bool(*b),
            Some(PropValue::Number(n)) => ValueKey::Number(n.to_bits()),
            Some(PropValue::String(s)) => ValueKey::String(*s),
            Some(PropValue::Array(_)) => return None,
        })
    }
}

/// The groups of a walk (or of one half of it), in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    /// Key text (as the row-based aggregation builds it) -> group.
    index: HashMap<String, usize>,
    /// Per group: the key values, the first path, the number of paths, and per count column
    /// the ids seen (deduplicated by [`Groups::finish`]).
    keys: Vec<Vec<Value>>,
    first: Vec<Row>,
    paths: Vec<usize>,
    ids: Vec<Vec<Vec<u32>>>,
    /// Key slot id -> group (when the key reads one slot and is not one stored property).
    cache: HashMap<u32, usize>,
    /// Key property value -> group (when the key is one stored property).
    by_value: HashMap<ValueKey, usize>,
    /// Per group, its member rows (rows mode only).
    members: Vec<Vec<Row>>,
    /// The key slot's id on the last path added, and its group.
    last: Option<(u32, usize)>,
    /// Complete paths added.
    pub(crate) total: usize,
}

/// One finished group: its key values, its first path, and one value per RETURN column.
pub(crate) struct Group {
    pub first: Row,
    pub values: Vec<Value>,
}

impl Groups {
    fn group_of(&mut self, spec: &GroupSpec<'_>, graph: &Graph, row: &Row) -> usize {
        if spec.constant_key && !self.keys.is_empty() {
            return 0;
        }
        let cached = spec.key_slot.map(|s| s.id(row));
        // Paths through the same key entity come one after another in walk order: the last
        // key entity's group answers them without reading or hashing anything.
        if let (Some(id), Some((last, g))) = (cached, self.last) {
            if id == last {
                return g;
            }
        }
        let g = self.find_group(spec, graph, row, cached);
        if let Some(id) = cached {
            self.last = Some((id, g));
        }
        g
    }

    fn find_group(
        &mut self,
        spec: &GroupSpec<'_>,
        graph: &Graph,
        row: &Row,
        cached: Option<u32>,
    ) -> usize {
        let by_value = spec.key_prop.and_then(|(slot, key)| {
            let id = row.entities[slot];
            (id != NONE)
                .then(|| ValueKey::of(graph.property_sym(EntityId(id), key)))
                .flatten()
        });
        if let Some(g) = by_value.and_then(|v| self.by_value.get(&v)) {
            // One property read finds the group: cheaper than keeping an entry per entity.
            return *g;
        }
        if let Some(g) = cached.and_then(|id| self.cache.get(&id)) {
            return *g;
        }
        let lookup = RowLookup {
            graph,
            bindings: spec.bindings,
            row,
        };
        let key: Vec<Value> = spec
            .keys
            .iter()
            .map(|e| eval_expr(e, &lookup, spec.cx))
            .collect();
        let text = Value::Array(key.clone()).to_string();
        let g = match self.index.get(&text) {
            Some(g) => *g,
            None => self.push(text, key, row.clone(), spec.counts.len()),
        };
        match by_value {
            Some(v) => {
                self.by_value.insert(v, g);
            }
            None => {
                if let Some(id) = cached {
                    self.cache.insert(id, g);
                }
            }
        }
        g
    }

    fn push(&mut self, text: String, key: Vec<Value>, first: Row, counts: usize) -> usize {
        let g = self.keys.len();
        self.index.insert(text, g);
        self.keys.push(key);
        self.first.push(first);
        self.paths.push(0);
        self.ids.push(vec![Vec::new(); counts]);
        self.members.push(Vec::new());
        g
    }

    /// Adds one complete path.
    pub(crate) fn add(&mut self, spec: &GroupSpec<'_>, graph: &Graph, row: &Row) {
        let g = self.group_of(spec, graph, row);
        self.total += 1;
        self.paths[g] += 1;
        if spec.keep_rows {
            self.members[g].push(row.clone());
        }
        for (i, of) in spec.counts.iter().enumerate() {
            if let CountOf::Slot(s) = of {
                let id = s.id(row);
                if id != NONE {
                    self.ids[g][i].push(id);
                }
            }
        }
    }

    /// Appends `later`'s paths, which came after this walker's in walk order (groups first
    /// seen there keep their order after these).
    pub(crate) fn merge(&mut self, later: Groups) {
        self.total += later.total;
        let Groups {
            index,
            keys,
            first,
            paths,
            ids,
            members,
            ..
        } = later;
        let mut by_group: Vec<Option<String>> = vec![None; keys.len()];
        for (text, g) in index {
            by_group[g] = Some(text);
        }
        for (((((text, key), first), n), ids), rows) in by_group
            .into_iter()
            .zip(keys)
            .zip(first)
            .zip(paths)
            .zip(ids)
            .zip(members)
        {
            let text = text.unwrap_or_default();
            let g = match self.index.get(&text) {
                Some(g) => *g,
                None => self.push(text, key, first, ids.len()),
            };
            self.paths[g] += n;
            for (mine, theirs) in self.ids[g].iter_mut().zip(ids) {
                mine.extend(theirs);
            }
            self.members[g].extend(rows);
        }
    }

    /// The groups with their column values, in order of first appearance (no group at all
    /// when there were no paths: the caller adds the empty all-aggregate row).
    pub(crate) fn finish(self, spec: &GroupSpec<'_>, graph: &Graph) -> Vec<Group> {
        let Groups {
            keys,
            first,
            paths,
            ids,
            members,
            ..
        } = self;
        keys.into_iter()
            .zip(first)
            .zip(paths)
            .zip(ids)
            .zip(members)
            .map(|((((key, first), paths), mut ids), rows)| {
                let rows: Vec<&Row> = rows.iter().collect();
                let values = spec
                    .columns
                    .iter()
                    .map(|c| match *c {
                        Column::Key(k) => key[k].clone(),
                        Column::Aggregate(a) => aggregate_value(
                            spec.aggregates[a],
                            &rows,
                            graph,
                            spec.bindings,
                            spec.cx,
                        ),
                        Column::Count(i) => {
                            let n = match spec.counts[i] {
                                CountOf::Paths => paths,
                                CountOf::Nothing => 0,
                                CountOf::Slot(_) => {
                                    let seen = &mut ids[i];
                                    seen.sort_unstable();
                                    seen.dedup();
                                    seen.len()
                                }
                            };
                            crate::functions::num(n as f64)
                        }
                    })
                    .collect();
                Group { first, values }
            })
            .collect()
    }
}
