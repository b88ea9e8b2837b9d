//! The catalog's data and its lookup indexes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{
    ClassInfo, GlobalEntity, PropertyInfo, PropertyType, RelationshipTypeInfo, TypeInfo, VerbInfo,
};

/// Everything a [`super::Catalog`] knows, with name indexes. Vectors are kept sorted by name
/// (relationship types by `from`, verb, `to`) so iteration order is stable.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pub(crate) classes: Vec<ClassInfo>,
    pub(crate) verbs: Vec<VerbInfo>,
    pub(crate) types: Vec<TypeInfo>,
    pub(crate) relationship_types: Vec<RelationshipTypeInfo>,
    pub(crate) metadata: Vec<PropertyInfo>,
    pub(crate) relationship_metadata: Vec<PropertyInfo>,
    pub(crate) property_prefixes: Vec<String>,
    pub(crate) entity_common_properties: Vec<String>,
    pub(crate) global_entities: Vec<GlobalEntity>,
    /// Entity `_type` -> property -> the JSON types of the values loaded data holds
    /// (from [`super::Observations`]; empty for the builtin catalog).
    pub(crate) value_types: HashMap<String, BTreeMap<String, BTreeSet<PropertyType>>>,
    class_index: HashMap<String, usize>,
    verb_index: HashMap<String, usize>,
    type_index: HashMap<String, usize>,
    relationship_type_index: HashMap<String, Vec<usize>>,
    metadata_index: HashMap<String, (bool, usize)>,
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        classes: Vec<ClassInfo>,
        verbs: Vec<VerbInfo>,
        types: Vec<TypeInfo>,
        relationship_types: Vec<RelationshipTypeInfo>,
        metadata: Vec<PropertyInfo>,
        relationship_metadata: Vec<PropertyInfo>,
        property_prefixes: Vec<String>,
        entity_common_properties: Vec<String>,
        global_entities: Vec<GlobalEntity>,
    ) -> Store {
        let mut store = Store {
            classes,
            verbs,
            types,
            relationship_types,
            metadata,
            relationship_metadata,
            property_prefixes,
            entity_common_properties,
            global_entities,
            value_types: HashMap::new(),
            class_index: HashMap::new(),
            verb_index: HashMap::new(),
            type_index: HashMap::new(),
            relationship_type_index: HashMap::new(),
            metadata_index: HashMap::new(),
        };
        store.reindex();
        store
    }

    /// Sorts the vectors and rebuilds every index; call after adding records.
    pub(crate) fn reindex(&mut self) {
        self.classes.sort_by(|a, b| a.name.cmp(&b.name));
        self.verbs.sort_by(|a, b| a.name.cmp(&b.name));
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        self.relationship_types.sort_by(|a, b| {
            (&a.from, &a.verb, &a.to, a.mapped, &a.name)
                .cmp(&(&b.from, &b.verb, &b.to, b.mapped, &b.name))
        });
        self.metadata.sort_by(|a, b| a.name.cmp(&b.name));
        self.relationship_metadata
            .sort_by(|a, b| a.name.cmp(&b.name));

        self.class_index = self
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        self.verb_index = self
            .verbs
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), i))
            .collect();
        self.type_index = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        self.relationship_type_index.clear();
        for (i, r) in self.relationship_types.iter().enumerate() {
            if let Some(name) = &r.name {
                self.relationship_type_index
                    .entry(name.clone())
                    .or_default()
                    .push(i);
            }
        }
        self.metadata_index.clear();
        for (i, p) in self.metadata.iter().enumerate() {
            self.metadata_index.insert(p.name.clone(), (false, i));
        }
        for (i, p) in self.relationship_metadata.iter().enumerate() {
            self.metadata_index
                .entry(p.name.clone())
                .or_insert((true, i));
        }
    }

    pub(crate) fn class(&self, name: &str) -> Option<&ClassInfo> {
        self.class_index.get(name).map(|&i| &self.classes[i])
    }

    /// `name` must already be upper case.
    pub(crate) fn verb(&self, upper: &str) -> Option<&VerbInfo> {
        self.verb_index.get(upper).map(|&i| &self.verbs[i])
    }

    pub(crate) fn entity_type(&self, name: &str) -> Option<&TypeInfo> {
        self.type_index.get(name).map(|&i| &self.types[i])
    }

    pub(crate) fn entity_type_mut(&mut self, name: &str) -> Option<&mut TypeInfo> {
        self.type_index.get(name).map(|&i| &mut self.types[i])
    }

    pub(crate) fn relationship_types_named(
        &self,
        name: &str,
    ) -> impl Iterator<Item = &RelationshipTypeInfo> {
        self.relationship_type_index
            .get(name)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.relationship_types[i])
    }

    /// Positions in `relationship_types` of the rows whose `_type` is `name`.
    pub(crate) fn relationship_type_positions(&self, name: &str) -> Vec<usize> {
        self.relationship_type_index
            .get(name)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn metadata_property(&self, name: &str) -> Option<&PropertyInfo> {
        self.metadata_index
            .get(name)
            .map(|&(relationship_only, i)| {
                if relationship_only {
                    &self.relationship_metadata[i]
                } else {
                    &self.metadata[i]
                }
            })
    }
}
