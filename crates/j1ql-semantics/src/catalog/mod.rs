//! The data-model catalog: entity classes with their properties, relationship verbs, metadata
//! properties, and the entity/relationship `_type`s integrations document.
//!
//! The facts come from `data/catalog.json`, generated from the JupiterOne data model and the
//! integration docs by `scripts/gen-catalog.py`; the one-line descriptions (hover text) are our
//! own, in `data/descriptions.json`. Both are embedded in the binary. See `docs/catalog.md`.
//!
//! ```
//! use j1ql_semantics::catalog::Catalog;
//!
//! let catalog = Catalog::builtin();
//! assert!(catalog.is_known_class("DataStore"));
//! assert!(catalog.is_known_verb("has"));
//! assert_eq!(catalog.suggest_class("Usr"), Some("User"));
//! assert_eq!(catalog.entity_type("aws_s3_bucket").unwrap().classes, ["DataStore"]);
//! ```
//!
//! A user's data extends the catalog: fill [`Observations`] while loading fixtures and call
//! [`Catalog::extended`].

mod load;
mod model;
mod observe;
mod properties;
mod store;

use std::sync::{Arc, OnceLock};

pub use model::{
    ClassInfo, GlobalEntity, MappingDirection, Origin, PropertyInfo, PropertyType,
    RelationshipTypeInfo, TypeInfo, VerbInfo,
};
pub use observe::{Observations, ObservedEdge, ObservedType};
pub use properties::{KnownValueTypes, PropertyEntry, PropertySource};

use store::Store;

/// The data-model catalog. Cloning is cheap (the data is shared behind an [`Arc`]);
/// [`Catalog::extended`] makes a new catalog with user observations added.
#[derive(Debug, Clone)]
pub struct Catalog {
    store: Arc<Store>,
}

impl Default for Catalog {
    /// A handle on the built-in catalog.
    fn default() -> Catalog {
        Catalog::builtin().clone()
    }
}

impl Catalog {
    /// The catalog built into the crate, parsed once on first use.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| Catalog {
            store: Arc::new(load::parse(load::CATALOG_JSON, load::DESCRIPTIONS_JSON)),
        })
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        Arc::make_mut(&mut self.store)
    }

    /// Whether two handles share the same data (e.g. both from [`Catalog::builtin`]).
    pub fn ptr_eq(&self, other: &Catalog) -> bool {
        Arc::ptr_eq(&self.store, &other.store)
    }

    // ---- classes ------------------------------------------------------------------------

    /// The class named exactly `name` (`_class` values are case-sensitive).
    pub fn class(&self, name: &str) -> Option<&ClassInfo> {
        self.store.class(name)
    }

    /// Whether `name` is a known class (exact, case-sensitive).
    pub fn is_known_class(&self, name: &str) -> bool {
        self.store.class(name).is_some()
    }

    /// All classes, sorted by name.
    pub fn classes(&self) -> impl ExactSizeIterator<Item = &ClassInfo> {
        self.store.classes.iter()
    }

    /// "Did you mean" for an unknown class: the closest class name, or `None` when `name` is
    /// known or nothing is close (`Usr` -> `User`, `Datastore` -> `DataStore`).
    pub fn suggest_class(&self, name: &str) -> Option<&str> {
        if self.is_known_class(name) {
            return None;
        }
        crate::suggest::best_match(name, self.store.classes.iter().map(|c| c.name.as_str()))
    }

    // ---- verbs --------------------------------------------------------------------------

    /// The relationship verb `name`, matched case-insensitively (`has` finds `HAS`).
    pub fn verb(&self, name: &str) -> Option<&VerbInfo> {
        if name.bytes().any(|b| b.is_ascii_lowercase()) {
            self.store.verb(&name.to_ascii_uppercase())
        } else {
            self.store.verb(name)
        }
    }

    /// Whether `name` is a known verb (case-insensitive).
    pub fn is_known_verb(&self, name: &str) -> bool {
        self.verb(name).is_some()
    }

    /// All verbs (upper case), sorted.
    pub fn verbs(&self) -> impl ExactSizeIterator<Item = &VerbInfo> {
        self.store.verbs.iter()
    }

    /// "Did you mean" for an unknown verb: the closest verb (upper case), or `None` when `name`
    /// is known or nothing is close (`HASS` -> `HAS`).
    pub fn suggest_verb(&self, name: &str) -> Option<&str> {
        if self.is_known_verb(name) {
            return None;
        }
        crate::suggest::best_match(name, self.store.verbs.iter().map(|v| v.name.as_str()))
    }

    // ---- entity types -------------------------------------------------------------------

    /// The entity `_type` `name` (exact).
    pub fn entity_type(&self, name: &str) -> Option<&TypeInfo> {
        self.store.entity_type(name)
    }

    /// Whether `name` is a known entity `_type` (exact).
    pub fn is_known_type(&self, name: &str) -> bool {
        self.store.entity_type(name).is_some()
    }

    /// All entity types, sorted by name.
    pub fn types(&self) -> impl ExactSizeIterator<Item = &TypeInfo> {
        self.store.types.iter()
    }

    /// The entity types that carry class `class` (exact), in name order.
    pub fn types_of_class<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a TypeInfo> + 'a {
        self.store
            .types
            .iter()
            .filter(move |t| t.classes.iter().any(|c| c == class))
    }

    /// "Did you mean" for an unknown entity type, or `None` when `name` is known or nothing is
    /// close (`aws_s3_buckt` -> `aws_s3_bucket`).
    pub fn suggest_type(&self, name: &str) -> Option<&str> {
        if self.is_known_type(name) {
            return None;
        }
        crate::suggest::best_match(name, self.store.types.iter().map(|t| t.name.as_str()))
    }

    // ---- relationship types -------------------------------------------------------------

    /// All relationship types, sorted by `from`, verb, `to`.
    pub fn relationship_types(&self) -> impl ExactSizeIterator<Item = &RelationshipTypeInfo> {
        self.store.relationship_types.iter()
    }

    /// The relationship rows whose `_type` is `name` (usually one; several integrations or
    /// directions may share a `_type`).
    pub fn relationship_type(&self, name: &str) -> impl Iterator<Item = &RelationshipTypeInfo> {
        self.store.relationship_types_named(name)
    }

    /// Whether `name` is a known relationship `_type`.
    pub fn is_known_relationship_type(&self, name: &str) -> bool {
        self.store.relationship_types_named(name).next().is_some()
    }

    /// The relationship rows touching entity type or class `endpoint` on either side.
    pub fn relationships_of<'a>(
        &'a self,
        endpoint: &'a str,
    ) -> impl Iterator<Item = &'a RelationshipTypeInfo> + 'a {
        self.store
            .relationship_types
            .iter()
            .filter(move |r| r.from == endpoint || r.to == endpoint)
    }

    // ---- properties ---------------------------------------------------------------------

    /// Metadata properties every entity and relationship has (`_class`, `_type`, `_key`,
    /// `_id`, `_source`, `_scope`, `_createdOn`, `_beginOn`, `_endOn`, `_deleted`,
    /// `_version`, `_integration*`, `_accountId`), sorted by name.
    pub fn metadata_properties(&self) -> impl ExactSizeIterator<Item = &PropertyInfo> {
        self.store.metadata.iter()
    }

    /// Metadata properties only relationships have (`_fromEntityKey`, `_toEntityId`, ...).
    pub fn relationship_metadata_properties(&self) -> impl ExactSizeIterator<Item = &PropertyInfo> {
        self.store.relationship_metadata.iter()
    }

    /// A metadata property (entity or relationship) by exact name.
    pub fn metadata_property(&self, name: &str) -> Option<&PropertyInfo> {
        self.store.metadata_property(name)
    }

    /// The properties the base class `Entity` defines for (almost) every entity.
    pub fn entity_common_properties(&self) -> impl Iterator<Item = &PropertyInfo> {
        let entity = self.class("Entity");
        self.store
            .entity_common_properties
            .iter()
            .filter_map(move |name| entity.and_then(|e| e.property(name)))
    }

    /// Prefixes of open-ended property families, e.g. `tag.` (`tag.Production`).
    pub fn property_prefixes(&self) -> impl ExactSizeIterator<Item = &str> {
        self.store.property_prefixes.iter().map(|p| p.as_str())
    }

    /// Whether `name` belongs to an open-ended family such as `tag.*`.
    pub fn is_prefixed_property(&self, name: &str) -> bool {
        self.store
            .property_prefixes
            .iter()
            .any(|p| name.len() > p.len() && name.starts_with(p.as_str()))
    }

    // ---- global entities ----------------------------------------------------------------

    /// The global entities every account has (`everyone`, `internet`).
    pub fn global_entities(&self) -> impl ExactSizeIterator<Item = &GlobalEntity> {
        self.store.global_entities.iter()
    }
}
