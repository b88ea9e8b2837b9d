//! The J1 result shapes: a list of entities, a table of rows, or a tree of vertices and
//! edges, and the JSON document `{"type", "data"}` every front-end prints or serves
//! (docs/contracts.md#run). Entities and relationships themselves take the forms of
//! [`crate::json`].

use serde_json::{Map, Value};

/// A result in JupiterOne's shapes (docs/contracts.md#run).
#[derive(Debug, Clone, PartialEq)]
pub enum QueryResult {
    /// Entities in the list-item form.
    List(Vec<Value>),
    /// Rows keyed by column name, columns in RETURN order.
    Table(Vec<Map<String, Value>>),
    /// `RETURN TREE`.
    Tree {
        /// Entities in the list-item form.
        vertices: Vec<Value>,
        /// Relationships as tree edges.
        edges: Vec<Value>,
    },
}

impl QueryResult {
    /// The J1 JSON document: `{"type": "list"|"table"|"tree", "data": ...}`.
    pub fn to_json(&self) -> Value {
        let (kind, data) = match self {
            QueryResult::List(items) => ("list", Value::Array(items.clone())),
            QueryResult::Table(rows) => (
                "table",
                Value::Array(rows.iter().cloned().map(Value::Object).collect()),
            ),
            QueryResult::Tree { vertices, edges } => {
                let mut m = Map::new();
                m.insert("vertices".into(), Value::Array(vertices.clone()));
                m.insert("edges".into(), Value::Array(edges.clone()));
                ("tree", Value::Object(m))
            }
        };
        let mut out = Map::new();
        out.insert("type".into(), kind.into());
        out.insert("data".into(), data);
        Value::Object(out)
    }

    /// How many items, rows or vertices.
    pub fn len(&self) -> usize {
        match self {
            QueryResult::List(v) => v.len(),
            QueryResult::Table(v) => v.len(),
            QueryResult::Tree { vertices, .. } => vertices.len(),
        }
    }

    /// Whether the result is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
