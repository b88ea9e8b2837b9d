//! `j1ql export --to cypher`: openCypher statements separated by `;\n`, batched with `UNWIND`
//! over list literals so a large graph loads in few round trips.

use std::collections::BTreeMap;

use j1ql_graph::{EntityId, Graph};
use serde_json::Value;

use super::{entity_properties, labels, relationship_properties};
use crate::text::{ident, literal};

/// Items per `UNWIND` statement.
pub const BATCH: usize = 500;

/// The statements that create `graph`: an index on `_id` for each `_type` label (endpoints
/// are found by it), the nodes grouped by label set, then the relationships grouped by verb
/// and endpoint types. Each statement ends with `;\n`.
pub fn cypher(graph: &Graph) -> String {
    let mut out = String::new();
    let mut types: Vec<&str> = graph.types().map(|(t, _)| t).collect();
    types.sort_unstable();
    for t in &types {
        out.push_str(&format!(
            "CREATE INDEX FOR (n:{}) ON (n.`_id`);\n",
            ident(t)
        ));
    }
    let mut by_labels: BTreeMap<Vec<String>, Vec<Value>> = BTreeMap::new();
    for e in graph.entities() {
        by_labels
            .entry(labels(&e))
            .or_default()
            .push(Value::Object(entity_properties(&e)));
    }
    for (labels, rows) in &by_labels {
        let label: String = labels.iter().map(|l| format!(":{}", ident(l))).collect();
        for chunk in rows.chunks(BATCH) {
            out.push_str(&format!(
                "UNWIND {} AS row CREATE (n{label}) SET n = row;\n",
                literal(&Value::Array(chunk.to_vec()))
            ));
        }
    }
    let mut by_shape: BTreeMap<(String, String, String), Vec<Value>> = BTreeMap::new();
    let type_of = |id: EntityId| graph.entity(id).type_name().to_string();
    for r in graph.relationships() {
        let mut row = serde_json::Map::new();
        row.insert("f".into(), graph.entity(r.from()).id_str().into());
        row.insert("t".into(), graph.entity(r.to()).id_str().into());
        row.insert(
            "p".into(),
            Value::Object(relationship_properties(graph, &r)),
        );
        by_shape
            .entry((r.class().to_string(), type_of(r.from()), type_of(r.to())))
            .or_default()
            .push(Value::Object(row));
    }
    for ((verb, from, to), rows) in &by_shape {
        for chunk in rows.chunks(BATCH) {
            out.push_str(&format!(
                "UNWIND {} AS row MATCH (a:{} {{`_id`: row.f}}) MATCH (b:{} {{`_id`: row.t}}) \
                 CREATE (a)-[r:{}]->(b) SET r = row.p;\n",
                literal(&Value::Array(chunk.to_vec())),
                ident(from),
                ident(to),
                ident(verb)
            ));
        }
    }
    out
}
