//! Extending the catalog with what a user's data contains, so that types, properties, classes
//! and verbs that appear in loaded fixtures become known.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::model::{ClassInfo, Origin, PropertyType, RelationshipTypeInfo, TypeInfo, VerbInfo};
use super::Catalog;

/// What was seen in loaded data. Fill it with [`Observations::observe_entity`] and
/// [`Observations::observe_relationship`] (or directly; the fields are plain sets), then call
/// [`Catalog::extended`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observations {
    /// Entity `_type` -> the classes and property names seen on entities of that type.
    pub entity_types: BTreeMap<String, ObservedType>,
    /// Relationships seen: `_type`, verb and endpoint types.
    pub relationships: BTreeSet<ObservedEdge>,
    /// Relationship `_type` -> property names seen on relationships of that type.
    pub relationship_properties: BTreeMap<String, BTreeSet<String>>,
    /// Entity classes (`_class` values) seen.
    pub classes: BTreeSet<String>,
    /// Relationship verbs (relationship `_class` values) seen, in any case.
    pub verbs: BTreeSet<String>,
}

/// What was seen for one entity `_type`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedType {
    /// Classes entities of this type had.
    pub classes: BTreeSet<String>,
    /// Property names entities of this type had (metadata names are ignored when extending).
    pub properties: BTreeSet<String>,
    /// Property name -> the JSON types of the values seen (`boolean`, `number`, `string`;
    /// an array counts as `array` and as the types of its elements, which `=` compares).
    pub value_types: BTreeMap<String, BTreeSet<PropertyType>>,
}

/// One kind of relationship seen: `from_type` VERB `to_type`, with its `_type`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObservedEdge {
    /// The relationship `_type`.
    pub type_name: String,
    /// The relationship `_class` (any case; stored upper case when extending).
    pub verb: String,
    /// The `_type` of the source entity.
    pub from_type: String,
    /// The `_type` of the target entity.
    pub to_type: String,
}

fn insert(set: &mut BTreeSet<String>, value: &str) {
    if !set.contains(value) {
        set.insert(value.to_string());
    }
}

impl Observations {
    /// No observations.
    pub fn new() -> Observations {
        Observations::default()
    }

    /// Whether nothing was observed.
    pub fn is_empty(&self) -> bool {
        self.entity_types.is_empty()
            && self.relationships.is_empty()
            && self.relationship_properties.is_empty()
            && self.classes.is_empty()
            && self.verbs.is_empty()
    }

    /// Records one entity: its `_type`, its classes and its property names. Cheap when the
    /// names were seen before (no allocation).
    pub fn observe_entity<'a>(
        &mut self,
        type_name: &str,
        classes: impl IntoIterator<Item = &'a str>,
        properties: impl IntoIterator<Item = &'a str>,
    ) {
        if !self.entity_types.contains_key(type_name) {
            self.entity_types
                .insert(type_name.to_string(), ObservedType::default());
        }
        let entry = self
            .entity_types
            .get_mut(type_name)
            .expect("inserted above");
        for class in classes {
            insert(&mut entry.classes, class);
            insert(&mut self.classes, class);
        }
        for property in properties {
            insert(&mut entry.properties, property);
        }
    }

    /// Records that a value of `ty` was seen in `property` of an entity of `type_name`.
    pub fn observe_value_type(&mut self, type_name: &str, property: &str, ty: PropertyType) {
        let entry = self.entity_types.entry(type_name.to_string()).or_default();
        match entry.value_types.get_mut(property) {
            Some(set) => {
                set.insert(ty);
            }
            None => {
                entry
                    .value_types
                    .insert(property.to_string(), BTreeSet::from([ty]));
            }
        }
    }

    /// Records one relationship: its `_type`, verb (`_class`), the `_type`s of its endpoints and
    /// its property names.
    pub fn observe_relationship<'a>(
        &mut self,
        type_name: &str,
        verb: &str,
        from_type: &str,
        to_type: &str,
        properties: impl IntoIterator<Item = &'a str>,
    ) {
        insert(&mut self.verbs, verb);
        let edge = ObservedEdge {
            type_name: type_name.to_string(),
            verb: verb.to_string(),
            from_type: from_type.to_string(),
            to_type: to_type.to_string(),
        };
        self.relationships.insert(edge);
        if !self.relationship_properties.contains_key(type_name) {
            self.relationship_properties
                .insert(type_name.to_string(), BTreeSet::new());
        }
        let set = self
            .relationship_properties
            .get_mut(type_name)
            .expect("inserted above");
        for property in properties {
            insert(set, property);
        }
    }

    /// Adds everything in `other` to `self`.
    pub fn merge(&mut self, other: Observations) {
        for (name, observed) in other.entity_types {
            let entry = self.entity_types.entry(name).or_default();
            entry.classes.extend(observed.classes);
            entry.properties.extend(observed.properties);
            for (property, types) in observed.value_types {
                entry.value_types.entry(property).or_default().extend(types);
            }
        }
        self.relationships.extend(other.relationships);
        for (name, properties) in other.relationship_properties {
            self.relationship_properties
                .entry(name)
                .or_default()
                .extend(properties);
        }
        self.classes.extend(other.classes);
        self.verbs.extend(other.verbs);
    }
}

/// Adds `items` to the sorted, deduplicated list `list`.
fn add_sorted<'a>(list: &mut Vec<String>, items: impl IntoIterator<Item = &'a String>) {
    let mut changed = false;
    for item in items {
        if !list.contains(item) {
            list.push(item.clone());
            changed = true;
        }
    }
    if changed {
        list.sort();
    }
}

impl Catalog {
    /// A new catalog that also knows everything in `observations`: unknown classes and verbs
    /// become known (with [`Origin::Observed`] and an empty description), observed entity types
    /// are added or gain classes and properties, observed relationships add relationship types
    /// and their properties. `self` is unchanged.
    pub fn extended(&self, observations: &Observations) -> Catalog {
        let mut catalog = self.clone();
        catalog.extend(observations);
        catalog
    }

    /// Like [`Catalog::extended`], in place (copies the shared data only if another handle uses
    /// it).
    pub fn extend(&mut self, observations: &Observations) {
        if observations.is_empty() {
            return;
        }
        let store = self.store_mut();
        let is_metadata = |name: &str| name.starts_with('_');

        let mut classes: BTreeSet<&String> = observations.classes.iter().collect();
        for observed in observations.entity_types.values() {
            classes.extend(observed.classes.iter());
        }
        for class in classes {
            if store.class(class).is_none() {
                store.classes.push(ClassInfo {
                    name: class.clone(),
                    description: String::new(),
                    extends: None,
                    required: Vec::new(),
                    properties: Vec::new(),
                    origin: Origin::Observed,
                });
            }
        }

        let verbs = observations
            .verbs
            .iter()
            .chain(observations.relationships.iter().map(|e| &e.verb));
        for verb in verbs {
            let upper = verb.to_ascii_uppercase();
            if store.verb(&upper).is_none() && !store.verbs.iter().any(|v| v.name == upper) {
                store.verbs.push(VerbInfo {
                    name: upper,
                    description: String::new(),
                    origin: Origin::Observed,
                });
            }
        }

        for (name, observed) in &observations.entity_types {
            if !observed.value_types.is_empty() {
                let seen = store.value_types.entry(name.clone()).or_default();
                for (property, types) in &observed.value_types {
                    seen.entry(property.clone())
                        .or_default()
                        .extend(types.iter().copied());
                }
            }
        }

        let mut new_types = Vec::new();
        for (name, observed) in &observations.entity_types {
            let properties = observed.properties.iter().filter(|p| !is_metadata(p));
            if let Some(info) = store.entity_type_mut(name) {
                for class in &observed.classes {
                    if !info.classes.contains(class) {
                        info.classes.push(class.clone());
                    }
                }
                add_sorted(&mut info.properties, properties);
            } else {
                new_types.push(TypeInfo {
                    name: name.clone(),
                    classes: observed.classes.iter().cloned().collect(),
                    integration: None,
                    integrations: Vec::new(),
                    properties: properties.cloned().collect(),
                    endpoint_only: false,
                    origin: Origin::Observed,
                });
            }
        }
        // Endpoint types of observed relationships are entity types too.
        let mut added: HashSet<&str> = observations
            .entity_types
            .keys()
            .map(String::as_str)
            .collect();
        for edge in &observations.relationships {
            for endpoint in [&edge.from_type, &edge.to_type] {
                if store.entity_type(endpoint).is_none() && added.insert(endpoint.as_str()) {
                    new_types.push(TypeInfo {
                        name: endpoint.clone(),
                        classes: Vec::new(),
                        integration: None,
                        integrations: Vec::new(),
                        properties: Vec::new(),
                        endpoint_only: false,
                        origin: Origin::Observed,
                    });
                }
            }
        }
        store.types.extend(new_types);

        let mut existing: HashSet<(String, String, String, String)> = store
            .relationship_types
            .iter()
            .filter_map(|r| {
                let name = r.name.clone()?;
                Some((
                    name,
                    r.verb.clone(),
                    r.edge_from().to_string(),
                    r.edge_to().to_string(),
                ))
            })
            .collect();
        for edge in &observations.relationships {
            let verb = edge.verb.to_ascii_uppercase();
            let key = (
                edge.type_name.clone(),
                verb.clone(),
                edge.from_type.clone(),
                edge.to_type.clone(),
            );
            if existing.insert(key) {
                store.relationship_types.push(RelationshipTypeInfo {
                    from: edge.from_type.clone(),
                    verb,
                    to: edge.to_type.clone(),
                    name: Some(edge.type_name.clone()),
                    integrations: Vec::new(),
                    mapped: false,
                    direction: None,
                    properties: Vec::new(),
                    origin: Origin::Observed,
                });
            }
        }
        store.reindex();

        // Properties of observed relationship types go to every row with that `_type`; a
        // `_type` with no row yet gets one (endpoints unknown: `*`).
        for (name, properties) in &observations.relationship_properties {
            let properties: Vec<&String> = properties.iter().filter(|p| !is_metadata(p)).collect();
            let positions = store.relationship_type_positions(name);
            let found = !positions.is_empty();
            for position in positions {
                add_sorted(
                    &mut store.relationship_types[position].properties,
                    properties.iter().copied(),
                );
            }
            if !found {
                store.relationship_types.push(RelationshipTypeInfo {
                    from: "*".to_string(),
                    verb: String::new(),
                    to: "*".to_string(),
                    name: Some(name.clone()),
                    integrations: Vec::new(),
                    mapped: false,
                    direction: None,
                    properties: properties.into_iter().cloned().collect(),
                    origin: Origin::Observed,
                });
            }
        }
        store.reindex();
    }
}
