//! JupiterOne's result shapes for entities and relationships (docs/contracts.md#run).

use j1ql_graph::{EntityId, Graph, PropValue, RelId};
use serde_json::{Map, Value};

/// An entity in the list-item form: `{"id", "entity": {metadata}, "properties": {...}}`.
/// Metadata is every `_`-prefixed property plus `displayName`; `_class` and `_type` are arrays,
/// as JupiterOne returns them.
pub fn entity(graph: &Graph, id: EntityId) -> Value {
    let e = graph.entity(id);
    let mut meta = Map::new();
    meta.insert("_id".into(), e.id_str().into());
    meta.insert("_key".into(), e.key().into());
    meta.insert("_type".into(), Value::Array(vec![e.type_name().into()]));
    meta.insert(
        "_class".into(),
        Value::Array(e.classes().map(Value::from).collect()),
    );
    meta.insert("_source".into(), e.source().into());
    meta.insert("_scope".into(), e.scope().into());
    let mut props = Map::new();
    for (k, v) in e.properties() {
        split(graph, k, v, &mut meta, &mut props);
    }
    let mut out = Map::new();
    out.insert("id".into(), e.id_str().into());
    out.insert("entity".into(), Value::Object(meta));
    out.insert("properties".into(), Value::Object(props));
    Value::Object(out)
}

/// A relationship in the same form, with `_fromEntityId`/`_toEntityId` in its metadata.
pub fn relationship(graph: &Graph, id: RelId) -> Value {
    let r = graph.relationship(id);
    let mut meta = Map::new();
    meta.insert("_id".into(), r.id_str().into());
    meta.insert("_key".into(), r.key().into());
    meta.insert("_type".into(), r.type_name().into());
    meta.insert("_class".into(), r.class().into());
    meta.insert("_source".into(), r.source().into());
    meta.insert("_scope".into(), r.scope().into());
    meta.insert(
        "_fromEntityId".into(),
        graph.entity(r.from()).id_str().into(),
    );
    meta.insert("_toEntityId".into(), graph.entity(r.to()).id_str().into());
    let mut props = Map::new();
    for (k, v) in r.properties() {
        split(graph, k, v, &mut meta, &mut props);
    }
    let mut out = Map::new();
    out.insert("id".into(), r.id_str().into());
    out.insert("relationship".into(), Value::Object(meta));
    out.insert("properties".into(), Value::Object(props));
    Value::Object(out)
}

fn split(
    graph: &Graph,
    key: &str,
    value: &PropValue,
    meta: &mut Map<String, Value>,
    props: &mut Map<String, Value>,
) {
    let json = graph.value_to_json(value);
    if key.starts_with('_') || key == "displayName" {
        meta.entry(key.to_string()).or_insert(json);
    } else {
        props.insert(key.to_string(), json);
    }
}

/// A tree edge: `{"id", "fromVertexId", "toVertexId", "relationship": {...}, "properties"}`.
pub fn edge(graph: &Graph, id: RelId) -> Value {
    let r = graph.relationship(id);
    let Value::Object(mut full) = relationship(graph, id) else {
        unreachable!("relationship() builds an object")
    };
    let mut out = Map::new();
    out.insert("id".into(), r.id_str().into());
    out.insert(
        "fromVertexId".into(),
        graph.entity(r.from()).id_str().into(),
    );
    out.insert("toVertexId".into(), graph.entity(r.to()).id_str().into());
    out.insert(
        "relationship".into(),
        full.remove("relationship").unwrap_or(Value::Null),
    );
    out.insert(
        "properties".into(),
        full.remove("properties").unwrap_or(Value::Null),
    );
    Value::Object(out)
}
