//! Property resolution: a class's properties through `extends`, and everything an entity of a
//! given `_type` may carry.

use std::collections::{BTreeSet, HashSet};

use super::model::{PropertyInfo, PropertyType};
use super::Catalog;

/// The JSON types a property's values have on the entities a selector matches: what the data
/// model declares for their classes and types, and what loaded data holds. Lint rule L014 and
/// the editor's hover read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownValueTypes {
    /// Declared by the data model (empty: not declared, or declared without a type).
    pub declared: BTreeSet<PropertyType>,
    /// Seen in loaded data (an array counts as `array` and as its elements' types).
    pub seen: BTreeSet<PropertyType>,
}

impl KnownValueTypes {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.declared.is_empty() && self.seen.is_empty()
    }
}

/// Where a property listed by [`Catalog::class_properties`] or [`Catalog::type_properties`]
/// comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertySource<'a> {
    /// Declared by this class (the class itself or an ancestor reached through `extends`).
    Class(&'a str),
    /// Seen in data (global entities or user observations) for the type.
    Data,
    /// A metadata property (`_type`, `_createdOn`, ...) every graph object has.
    Metadata,
}

/// One property an entity may have, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PropertyEntry<'a> {
    /// The property name.
    pub name: &'a str,
    /// The schema facts, when the property is declared (class or metadata); `None` for one
    /// seen only in data.
    pub info: Option<&'a PropertyInfo>,
    /// Where it comes from.
    pub source: PropertySource<'a>,
}

impl Catalog {
    /// The properties of class `name`, its own first, then those inherited through `extends`
    /// (nearest ancestor first). A name declared again by an ancestor is listed once, for the
    /// nearest class. Stops at a parent the catalog does not know (`GraphObject`) and on a
    /// cycle. Empty for an unknown class.
    pub fn class_properties(&self, name: &str) -> Vec<PropertyEntry<'_>> {
        let mut out = Vec::new();
        let mut seen_names = HashSet::new();
        self.push_class_properties(name, &mut out, &mut seen_names);
        out
    }

    fn push_class_properties<'a>(
        &'a self,
        name: &str,
        out: &mut Vec<PropertyEntry<'a>>,
        seen_names: &mut HashSet<&'a str>,
    ) {
        let mut visited: Vec<&str> = Vec::new();
        let mut current = self.class(name);
        while let Some(class) = current {
            if visited.contains(&class.name.as_str()) {
                break;
            }
            visited.push(&class.name);
            for property in &class.properties {
                if seen_names.insert(&property.name) {
                    out.push(PropertyEntry {
                        name: &property.name,
                        info: Some(property),
                        source: PropertySource::Class(&class.name),
                    });
                }
            }
            current = class
                .extends
                .as_deref()
                .and_then(|parent| self.class(parent));
        }
    }

    /// The ancestors of class `name` through `extends`, nearest first, including parents the
    /// catalog does not define (`GraphObject`). Cycle-safe.
    pub fn class_ancestors(&self, name: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut current = self.class(name).and_then(|c| c.extends.as_deref());
        while let Some(parent) = current {
            if parent == name || out.contains(&parent) {
                break;
            }
            out.push(parent);
            current = self.class(parent).and_then(|c| c.extends.as_deref());
        }
        out
    }

    /// Whether class `name` is `ancestor` or extends it (directly or not).
    pub fn class_is_a(&self, name: &str, ancestor: &str) -> bool {
        name == ancestor || self.class_ancestors(name).contains(&ancestor)
    }

    /// Everything an entity of `_type` `name` may carry: the properties of each of its classes
    /// (with inheritance), then properties seen in data, then the metadata properties. Each name
    /// is listed once. For an unknown type only the metadata properties are returned.
    pub fn type_properties(&self, name: &str) -> Vec<PropertyEntry<'_>> {
        let mut out = Vec::new();
        let mut seen_names = HashSet::new();
        if let Some(info) = self.entity_type(name) {
            for class in &info.classes {
                self.push_class_properties(class, &mut out, &mut seen_names);
            }
            for property in &info.properties {
                if seen_names.insert(property.as_str()) {
                    out.push(PropertyEntry {
                        name: property,
                        info: None,
                        source: PropertySource::Data,
                    });
                }
            }
        }
        for property in self.metadata_properties() {
            if seen_names.insert(property.name.as_str()) {
                out.push(PropertyEntry {
                    name: &property.name,
                    info: Some(property),
                    source: PropertySource::Metadata,
                });
            }
        }
        out
    }

    /// The types of `property`'s values on entities of the given `_type`s and classes (`any`:
    /// `*`, every entity). Declared types come from the classes' and types' schemas; seen ones
    /// from loaded data, over every type of the selector (for a class, every type with it).
    pub fn value_types(
        &self,
        types: &[&str],
        classes: &[&str],
        any: bool,
        property: &str,
    ) -> KnownValueTypes {
        let mut known = KnownValueTypes::default();
        let mut declare = |entries: Vec<PropertyEntry<'_>>| {
            for entry in entries.iter().filter(|e| e.name == property) {
                if let Some(info) = entry.info {
                    known.declared.extend(info.types.iter().copied());
                }
            }
        };
        for t in types {
            declare(self.type_properties(t));
        }
        for c in classes {
            declare(self.class_properties(c));
        }
        let store = self.store();
        let mut see = |type_name: &str| {
            if let Some(types) = store
                .value_types
                .get(type_name)
                .and_then(|p| p.get(property))
            {
                known.seen.extend(types.iter().copied());
            }
        };
        if any {
            for type_name in store.value_types.keys() {
                see(type_name);
            }
        } else {
            for t in types {
                see(t);
            }
            if !classes.is_empty() {
                for info in &store.types {
                    if info.classes.iter().any(|c| classes.contains(&c.as_str())) {
                        see(&info.name);
                    }
                }
            }
        }
        known
    }

    /// Everything a relationship of `_type` `name` may carry: properties seen in data for it,
    /// then the metadata properties, relationship-only ones (`_fromEntityKey`, ...) included.
    pub fn relationship_properties(&self, name: &str) -> Vec<PropertyEntry<'_>> {
        let mut out = Vec::new();
        let mut seen_names = HashSet::new();
        for row in self.store().relationship_types_named(name) {
            for property in &row.properties {
                if seen_names.insert(property.as_str()) {
                    out.push(PropertyEntry {
                        name: property,
                        info: None,
                        source: PropertySource::Data,
                    });
                }
            }
        }
        for property in self
            .metadata_properties()
            .chain(self.relationship_metadata_properties())
        {
            if seen_names.insert(property.name.as_str()) {
                out.push(PropertyEntry {
                    name: &property.name,
                    info: Some(property),
                    source: PropertySource::Metadata,
                });
            }
        }
        out
    }
}
