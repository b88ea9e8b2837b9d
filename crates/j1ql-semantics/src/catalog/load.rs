//! Reading the embedded `data/catalog.json` (facts, generated) and `data/descriptions.json`
//! (our own one-line descriptions, hand-written) into a [`Store`].

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{
    ClassInfo, GlobalEntity, MappingDirection, Origin, PropertyInfo, PropertyType,
    RelationshipTypeInfo, TypeInfo, VerbInfo,
};
use super::store::Store;

/// The generated facts (see `scripts/gen-catalog.py`).
pub(crate) const CATALOG_JSON: &str = include_str!("../../data/catalog.json");
/// The hand-written descriptions.
pub(crate) const DESCRIPTIONS_JSON: &str = include_str!("../../data/descriptions.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    classes: Vec<RawClass>,
    verbs: Vec<String>,
    metadata_properties: Vec<RawProperty>,
    #[serde(default)]
    property_prefixes: Vec<String>,
    #[serde(default)]
    entity_common_properties: Vec<String>,
    #[serde(default)]
    global_entities: Vec<RawGlobal>,
    entity_types: Vec<RawType>,
    relationship_types: Vec<RawRelationship>,
}

#[derive(Deserialize)]
struct RawClass {
    name: String,
    extends: Option<String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    properties: Vec<RawProperty>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProperty {
    name: String,
    #[serde(rename = "type", default)]
    types: Vec<String>,
    #[serde(default)]
    nullable: bool,
    format: Option<String>,
    #[serde(rename = "enum", default)]
    enum_values: Vec<serde_json::Value>,
    #[serde(default)]
    enum_items: bool,
    applies_to: Option<String>,
}

#[derive(Deserialize)]
struct RawGlobal {
    name: String,
    entity: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawType {
    #[serde(rename = "type")]
    name: String,
    #[serde(default)]
    classes: Vec<String>,
    #[serde(default)]
    integrations: Vec<String>,
    #[serde(default)]
    properties: Vec<String>,
    #[serde(default)]
    endpoint_only: bool,
    #[serde(default)]
    global_entity: bool,
}

#[derive(Deserialize)]
struct RawRelationship {
    from: String,
    verb: String,
    to: String,
    #[serde(rename = "type")]
    name: Option<String>,
    #[serde(default)]
    integrations: Vec<String>,
    #[serde(default)]
    mapped: bool,
    direction: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawDescriptions {
    #[serde(default)]
    classes: BTreeMap<String, String>,
    #[serde(default)]
    verbs: BTreeMap<String, String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

fn property(raw: RawProperty, description: Option<String>) -> PropertyInfo {
    let types: Vec<PropertyType> = raw
        .types
        .iter()
        .map(|t| PropertyType::from_schema(t))
        .collect();
    PropertyInfo {
        name: raw.name,
        ty: types.first().copied().unwrap_or(PropertyType::Unknown),
        types,
        nullable: raw.nullable,
        format: raw.format,
        enum_values: raw.enum_values,
        enum_items: raw.enum_items,
        description,
    }
}

/// Builds the store from the two JSON texts. Panics on malformed JSON: the inputs are embedded
/// at compile time and checked by the tests.
pub(crate) fn parse(catalog_json: &str, descriptions_json: &str) -> Store {
    let raw: RawCatalog =
        serde_json::from_str(catalog_json).expect("data/catalog.json is valid (regenerate it)");
    let mut desc: RawDescriptions =
        serde_json::from_str(descriptions_json).expect("data/descriptions.json is valid JSON");

    let classes = raw
        .classes
        .into_iter()
        .map(|c| ClassInfo {
            description: desc.classes.remove(&c.name).unwrap_or_default(),
            name: c.name,
            extends: c.extends,
            required: c.required,
            properties: c
                .properties
                .into_iter()
                .map(|p| property(p, None))
                .collect(),
            origin: Origin::DataModel,
        })
        .collect();

    let verbs = raw
        .verbs
        .into_iter()
        .map(|v| {
            let name = v.to_ascii_uppercase();
            VerbInfo {
                description: desc.verbs.remove(&name).unwrap_or_default(),
                name,
                origin: Origin::DataModel,
            }
        })
        .collect();

    let mut metadata = Vec::new();
    let mut relationship_metadata = Vec::new();
    for p in raw.metadata_properties {
        let relationship_only = p.applies_to.as_deref() == Some("relationship");
        let description = desc.metadata.remove(&p.name);
        let info = property(p, description);
        if relationship_only {
            relationship_metadata.push(info);
        } else {
            metadata.push(info);
        }
    }

    let global_entities = raw
        .global_entities
        .into_iter()
        .map(|g| GlobalEntity {
            name: g.name,
            entity: g.entity,
        })
        .collect();

    let types = raw
        .entity_types
        .into_iter()
        .map(|t| TypeInfo {
            integration: t.integrations.first().cloned(),
            origin: if t.global_entity {
                Origin::DataModel
            } else {
                Origin::IntegrationDocs
            },
            name: t.name,
            classes: t.classes,
            integrations: t.integrations,
            properties: t.properties,
            endpoint_only: t.endpoint_only,
        })
        .collect();

    let relationship_types = raw
        .relationship_types
        .into_iter()
        .map(|r| RelationshipTypeInfo {
            from: r.from,
            verb: r.verb.to_ascii_uppercase(),
            to: r.to,
            name: r.name,
            integrations: r.integrations,
            mapped: r.mapped,
            direction: match r.direction.as_deref() {
                Some(d) if d.eq_ignore_ascii_case("reverse") => Some(MappingDirection::Reverse),
                Some(_) => Some(MappingDirection::Forward),
                None => None,
            },
            properties: Vec::new(),
            origin: Origin::IntegrationDocs,
        })
        .collect();

    Store::new(
        classes,
        verbs,
        types,
        relationship_types,
        metadata,
        relationship_metadata,
        raw.property_prefixes,
        raw.entity_common_properties,
        global_entities,
    )
}
