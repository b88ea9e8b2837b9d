//! Value groups: the entities of one `_type` or `_class`, grouped by their value of one property
//! (a missing property is a group of its own), built lazily on first use and cached in the
//! graph.
//!
//! Why: a filter like `FIND aws_s3_bucket WITH public = true` otherwise reads the property of
//! every entity of the type (a pointer chase per entity). With the groups, an evaluator decides
//! the comparison once per distinct value — on any member, since every member holds the very
//! same value — and takes or drops the whole group, so a count is a sum of group sizes. The
//! evaluator keeps its own comparison semantics (arrays, `undefined`, types): the index never
//! compares anything itself.
//!
//! Properties with many distinct values are not grouped ([`MAX_GROUPS`]): there the groups
//! would save nothing over a scan.

use std::sync::{Arc, Mutex, OnceLock};

use crate::graph::{EntityId, Graph};
use crate::intern::{FxMap, Sym};
use crate::value::PropValue;

/// Above this many distinct values a property is not grouped (callers scan instead).
pub const MAX_GROUPS: usize = 4096;

/// The entities of one type or class grouped by their value of one property.
#[derive(Debug)]
pub struct ValueGroups {
    /// The value of each group (`None`: the property is missing).
    values: Vec<Option<PropValue>>,
    /// The members of each group, in graph order.
    members: Vec<Box<[EntityId]>>,
}

impl ValueGroups {
    /// Every group: the value its members hold (`None`: missing) and the members, in graph
    /// order. Groups are disjoint and never empty.
    pub fn groups(&self) -> impl ExactSizeIterator<Item = (Option<&PropValue>, &[EntityId])> {
        self.values
            .iter()
            .zip(&self.members)
            .map(|(v, m)| (v.as_ref(), &m[..]))
    }

    /// Number of groups (distinct values, missing included).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no groups (the type or class has no entities).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Which set of entities is grouped: a `_type` or a `_class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector {
    /// Entities of this `_type`.
    Type(Sym),
    /// Entities having this `_class`.
    Class(Sym),
}

type Slot = Arc<OnceLock<Option<Arc<ValueGroups>>>>;

/// The lazily filled cache of [`ValueGroups`] (one slot per (selector, key), each built once
/// even when two threads ask at the same time).
#[derive(Debug, Default)]
pub struct ValueIndexes {
    slots: Mutex<FxMap<(Selector, Sym), Slot>>,
    /// The edge statistics ([`crate::stats`]), also built on first use.
    pub(crate) edge_types: crate::stats::EdgeTypesSlot,
}

impl Clone for ValueIndexes {
    /// A clone starts empty: the groups are rebuilt on demand.
    fn clone(&self) -> Self {
        ValueIndexes::default()
    }
}

impl Graph {
    /// The entities of `selector` grouped by their value of property `key` (built on the first
    /// call for this pair, then cached); `None` when the property has more than [`MAX_GROUPS`]
    /// distinct values.
    pub fn value_groups(&self, selector: Selector, key: Sym) -> Option<Arc<ValueGroups>> {
        let slot = {
            let mut slots = match self.value_indexes.slots.lock() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            slots.entry((selector, key)).or_default().clone()
        };
        slot.get_or_init(|| build(self, selector, key).map(Arc::new))
            .clone()
    }

    /// Whether the groups of (`selector`, `key`) are already built (for `--explain` and for
    /// reporting the first-use cost separately).
    pub fn value_groups_built(&self, selector: Selector, key: Sym) -> bool {
        let slots = match self.value_indexes.slots.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        slots
            .get(&(selector, key))
            .is_some_and(|s| s.get().is_some())
    }

    fn selector_members(&self, selector: Selector) -> &[EntityId] {
        let (map, sym) = match selector {
            Selector::Type(s) => (&self.by_type, s),
            Selector::Class(s) => (&self.by_class, s),
        };
        map.get(&sym).map_or(&[], Vec::as_slice)
    }
}

/// A value as a hashable key: numbers by their bits (two values with equal keys are identical).
#[derive(PartialEq, Eq, Hash)]
enum Canon {
    Missing,
    Null,
    Bool(bool),
    Number(u64),
    String(Sym),
    Array(Vec<Canon>),
}

fn canon(v: Option<&PropValue>) -> Canon {
    match v {
        None => Canon::Missing,
        Some(PropValue::Null) => Canon::Null,
        Some(PropValue::Bool(b)) => Canon::Bool(*b),
        Some(PropValue::Number(n)) => Canon::Number(n.to_bits()),
        Some(PropValue::String(s)) => Canon::String(*s),
        Some(PropValue::Array(a)) => Canon::Array(a.iter().map(|e| canon(Some(e))).collect()),
    }
}

fn build(graph: &Graph, selector: Selector, key: Sym) -> Option<ValueGroups> {
    let mut index: FxMap<Canon, usize> = FxMap::default();
    let mut values = Vec::new();
    let mut members: Vec<Vec<EntityId>> = Vec::new();
    for &id in graph.selector_members(selector) {
        let value = graph.property_sym(id, key);
        let c = canon(value);
        let group = match index.get(&c) {
            Some(&g) => g,
            None => {
                if values.len() == MAX_GROUPS {
                    return None;
                }
                index.insert(c, values.len());
                values.push(value.cloned());
                members.push(Vec::new());
                values.len() - 1
            }
        };
        members[group].push(id);
    }
    Some(ValueGroups {
        values,
        members: members.into_iter().map(Vec::into_boxed_slice).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        Graph::from_str(
            r#"{"scope": "s", "entities": [
              {"_key": "a", "_type": "t", "_class": "C", "p": true},
              {"_key": "b", "_type": "t", "_class": "C", "p": false},
              {"_key": "c", "_type": "t", "_class": "C"},
              {"_key": "d", "_type": "t", "_class": "C", "p": [1, 2]},
              {"_key": "e", "_type": "u", "_class": "C", "p": true},
              {"_key": "f", "_type": "t", "_class": "C", "p": true}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn groups_by_value_in_graph_order() {
        let g = graph();
        let t = Selector::Type(g.sym("t").unwrap());
        let p = g.sym("p").unwrap();
        assert!(!g.value_groups_built(t, p));
        let groups = g.value_groups(t, p).unwrap();
        assert!(g.value_groups_built(t, p));
        let keys =
            |ids: &[EntityId]| -> Vec<&str> { ids.iter().map(|id| g.entity(*id).key()).collect() };
        let seen: Vec<(Option<PropValue>, Vec<&str>)> = groups
            .groups()
            .map(|(v, m)| (v.cloned(), keys(m)))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Some(PropValue::Bool(true)), vec!["a", "f"]),
                (Some(PropValue::Bool(false)), vec!["b"]),
                (None, vec!["c"]),
                (
                    Some(PropValue::Array(Box::new(vec![
                        PropValue::Number(1.0),
                        PropValue::Number(2.0)
                    ]))),
                    vec!["d"]
                ),
            ]
        );
        let c = Selector::Class(g.sym("C").unwrap());
        let by_class = g.value_groups(c, p).unwrap();
        assert_eq!(by_class.groups().map(|(_, m)| m.len()).sum::<usize>(), 6);
        assert_eq!(by_class.len(), 4);
    }

    #[test]
    fn too_many_distinct_values_are_not_grouped() {
        let entities: Vec<String> = (0..=MAX_GROUPS)
            .map(|i| format!(r#"{{"_key": "k{i}", "_type": "t", "_class": "C", "n": {i}}}"#))
            .collect();
        let g = Graph::from_str(&format!(
            r#"{{"scope": "s", "entities": [{}]}}"#,
            entities.join(",")
        ))
        .unwrap();
        let t = Selector::Type(g.sym("t").unwrap());
        assert!(g.value_groups(t, g.sym("n").unwrap()).is_none());
        assert!(g.value_groups_built(t, g.sym("n").unwrap()));
    }
}
