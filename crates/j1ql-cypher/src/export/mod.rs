//! A loaded graph (after ownership and the relationship mapper) written for an openCypher
//! engine, in the layout the translator reads (docs/cypher.md, "Layout"): each entity a node
//! labelled with its `_type` and each `_class`, holding every property as stored (metadata
//! included: `_id`, `_key`, `_type`, `_class`, `_source`, `_scope`, ...); each relationship an
//! edge typed by its `_class` verb, from its source entity to its target, holding its
//! properties and `_fromEntityId`/`_toEntityId`/`_fromEntityKey`/`_toEntityKey`.

mod csv_files;
mod statements;

pub use csv_files::{csv, CsvError, CsvExport};
pub use statements::{cypher, BATCH};

use j1ql_graph::{Entity, Graph, Relationship};
use serde_json::{Map, Value};

/// An entity's labels: its `_type`, then each `_class` (each once).
pub fn labels(e: &Entity<'_>) -> Vec<String> {
    let mut out = vec![e.type_name().to_string()];
    for c in e.classes() {
        if !out.iter().any(|l| l == c) {
            out.push(c.to_string());
        }
    }
    out
}

/// An entity's properties as stored, without nulls (openCypher stores no null property).
pub fn entity_properties(e: &Entity<'_>) -> Map<String, Value> {
    let Value::Object(mut map) = e.to_json() else {
        return Map::new();
    };
    map.retain(|_, v| !v.is_null());
    map
}

/// A relationship's properties as stored, with the keys of its resolved endpoints.
pub fn relationship_properties(graph: &Graph, r: &Relationship<'_>) -> Map<String, Value> {
    let Value::Object(mut map) = r.to_json() else {
        return Map::new();
    };
    for key in ["_fromEntityKey", "_toEntityKey"] {
        if let Some(v) = r.get(key) {
            map.insert(key.into(), graph.value_to_json(&v));
        }
    }
    map.retain(|_, v| !v.is_null());
    map
}
