//! What the loaded data contains, in neutral terms ([`SchemaSummary`]): the project model
//! (`j1ql-project`) turns it into the catalog's observations, so the graph does not depend on
//! the language's semantics crate.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::Graph;
use crate::intern::{FxMap, FxSet, Sym};
use crate::value::PropValue;

/// The JSON kind of a property value, as the data holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueKind {
    /// `true` / `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array (its elements' kinds are recorded too: `=` compares elements).
    Array,
}

/// The types, classes, property names, value kinds and verbs the loaded data holds: what a
/// data model extended by the user's data needs (distinct combinations only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaSummary {
    /// Each entity `_type` with each set of classes its entities had.
    pub type_classes: BTreeSet<(String, Vec<String>)>,
    /// Each entity `_type` with each property name its entities had.
    pub type_properties: BTreeSet<(String, String)>,
    /// Each (entity `_type`, property name, kind of a value) seen; `null` has no kind.
    pub value_kinds: BTreeSet<(String, String, ValueKind)>,
    /// Each (relationship `_type`, verb, from entity `_type`, to entity `_type`) seen.
    pub edges: BTreeSet<(String, String, String, String)>,
    /// Each relationship `_type` with the property names its relationships had (possibly none).
    pub relationship_properties: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// What the loaded data holds ([`SchemaSummary`]). Computed on each call from distinct
    /// combinations only, so it is fast even on a large graph.
    pub fn schema_summary(&self) -> SchemaSummary {
        let mut type_classes: FxSet<(Sym, u32)> = FxSet::default();
        let mut type_props: FxSet<(Sym, Sym)> = FxSet::default();
        let mut value_kinds: FxSet<(Sym, Sym, ValueKind)> = FxSet::default();
        for e in &self.entities {
            type_classes.insert((e.ty, e.classes));
            for (k, v) in e.props.iter() {
                type_props.insert((e.ty, *k));
                for kind in value_kinds_of(v) {
                    value_kinds.insert((e.ty, *k, kind));
                }
            }
        }
        let mut edges: FxSet<(Sym, Sym, Sym, Sym)> = FxSet::default();
        let mut rel_props: FxMap<Sym, FxSet<Sym>> = FxMap::default();
        for r in &self.relationships {
            let from = self.entities[r.from.index()].ty;
            let to = self.entities[r.to.index()].ty;
            edges.insert((r.ty, r.class, from, to));
            let set = rel_props.entry(r.ty).or_default();
            for (k, _) in r.props.iter() {
                set.insert(*k);
            }
        }
        let s = |sym: Sym| self.str(sym).to_string();
        SchemaSummary {
            type_classes: type_classes
                .into_iter()
                .map(|(ty, classes)| {
                    let classes = &self.class_sets[classes as usize];
                    (s(ty), classes.iter().map(|c| s(*c)).collect())
                })
                .collect(),
            type_properties: type_props.into_iter().map(|(t, p)| (s(t), s(p))).collect(),
            value_kinds: value_kinds
                .into_iter()
                .map(|(t, p, k)| (s(t), s(p), k))
                .collect(),
            edges: edges
                .into_iter()
                .map(|(ty, verb, from, to)| (s(ty), s(verb), s(from), s(to)))
                .collect(),
            relationship_properties: rel_props
                .into_iter()
                .map(|(ty, props)| (s(ty), props.into_iter().map(s).collect()))
                .collect(),
        }
    }
}

/// The kinds of a value: its own, and for an array also its elements'. `null` has none.
fn value_kinds_of(value: &PropValue) -> Vec<ValueKind> {
    let one = |v: &PropValue| match v {
        PropValue::Bool(_) => Some(ValueKind::Boolean),
        PropValue::Number(_) => Some(ValueKind::Number),
        PropValue::String(_) => Some(ValueKind::String),
        PropValue::Array(_) => Some(ValueKind::Array),
        PropValue::Null => None,
    };
    match value {
        PropValue::Array(items) => std::iter::once(ValueKind::Array)
            .chain(items.iter().filter_map(one))
            .collect(),
        v => one(v).into_iter().collect(),
    }
}
