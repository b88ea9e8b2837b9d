//! What the loaded data contains, for the catalog (`j1ql_semantics::catalog::Observations`).

use j1ql_semantics::catalog::{Observations, PropertyType};

use crate::value::PropValue;

use crate::graph::Graph;
use crate::intern::{FxMap, FxSet, Sym};

impl Graph {
    /// The types, classes, property names and verbs of the loaded data, so that the catalog
    /// knows the user's world (`Catalog::extended(&graph.observations())`). Computed on each
    /// call from distinct combinations only, so it is fast even on a large graph.
    pub fn observations(&self) -> Observations {
        let mut type_classes: FxSet<(Sym, u32)> = FxSet::default();
        let mut type_props: FxSet<(Sym, Sym)> = FxSet::default();
        let mut value_types: FxSet<(Sym, Sym, PropertyType)> = FxSet::default();
        for e in &self.entities {
            type_classes.insert((e.ty, e.classes));
            for (k, v) in e.props.iter() {
                type_props.insert((e.ty, *k));
                for ty in json_types(v) {
                    value_types.insert((e.ty, *k, ty));
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
        let mut obs = Observations::new();
        for (ty, classes) in type_classes {
            let classes = self.class_sets[classes as usize]
                .iter()
                .map(|c| self.str(*c));
            obs.observe_entity(self.str(ty), classes, std::iter::empty());
        }
        for (ty, prop) in type_props {
            obs.observe_entity(self.str(ty), std::iter::empty(), [self.str(prop)]);
        }
        for (ty, prop, value_type) in value_types {
            obs.observe_value_type(self.str(ty), self.str(prop), value_type);
        }
        for (ty, verb, from, to) in edges {
            obs.observe_relationship(
                self.str(ty),
                self.str(verb),
                self.str(from),
                self.str(to),
                std::iter::empty(),
            );
        }
        for (ty, props) in rel_props {
            let ty = self.str(ty).to_string();
            let entry = obs.relationship_properties.entry(ty).or_default();
            for p in props {
                entry.insert(self.str(p).to_string());
            }
        }
        obs
    }
}

/// The JSON types of a value: its own, and for an array also its elements' (`=` compares
/// elements). `null` has none.
fn json_types(value: &PropValue) -> Vec<PropertyType> {
    let one = |v: &PropValue| match v {
        PropValue::Bool(_) => Some(PropertyType::Boolean),
        PropValue::Number(_) => Some(PropertyType::Number),
        PropValue::String(_) => Some(PropertyType::String),
        PropValue::Array(_) => Some(PropertyType::Array),
        PropValue::Null => None,
    };
    match value {
        PropValue::Array(items) => std::iter::once(PropertyType::Array)
            .chain(items.iter().filter_map(one))
            .collect(),
        v => one(v).into_iter().collect(),
    }
}
