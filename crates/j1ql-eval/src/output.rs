//! The J1 result shapes: a list of entities, a table of rows, or a tree of vertices and
//! edges, and the JSON document `{"type", "data"}` every front-end prints or serves
//! (docs/contracts.md#run). Entities and relationships themselves take the forms of
//! [`crate::json`].

use std::collections::HashSet;

use j1ql_graph::{EntityId, Graph, RelId};
use j1ql_semantics::ir::{self, Expr};
use serde_json::{Map, Value};

use crate::bindings::{Bindings, Bound, RowLookup};
use crate::functions::eval_expr;
use crate::json;
use crate::resolve::ValueContext;
use crate::row::{Row, NONE};

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

/// The ids in first-appearance order, each once.
pub(crate) fn distinct(ids: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// The default RETURN: the distinct starting entities of the rows, in row order.
pub(crate) fn list(graph: &Graph, rows: &[Row]) -> QueryResult {
    QueryResult::List(
        distinct(rows.iter().map(|r| r.root))
            .into_iter()
            .map(|id| json::entity(graph, EntityId(id)))
            .collect(),
    )
}

/// `RETURN TREE`: every entity and relationship on the rows, each once.
pub(crate) fn tree(graph: &Graph, rows: &[Row]) -> QueryResult {
    let mut entities: Vec<u32> = Vec::new();
    let mut rels: Vec<u32> = Vec::new();
    for row in rows {
        entities.extend(row.entities.iter().chain(&row.optionals));
        rels.extend(row.relationships.iter());
    }
    let entities = distinct(entities.into_iter().filter(|e| *e != NONE));
    let rels = distinct(rels.into_iter().filter(|r| *r != NONE));
    QueryResult::Tree {
        vertices: entities
            .into_iter()
            .map(|e| json::entity(graph, EntityId(e)))
            .collect(),
        edges: rels
            .into_iter()
            .map(|r| json::edge(graph, RelId(r)))
            .collect(),
    }
}

/// A table without aggregates: one record per row (`RETURN UNIQUE`: each distinct record
/// once), `alias.*` spread into `alias.NAME` columns.
pub(crate) fn plain_table(
    graph: &Graph,
    bindings: &Bindings,
    cx: &ValueContext,
    rows: &[Row],
    columns: &[ir::Column],
    unique: bool,
) -> Vec<Map<String, Value>> {
    let mut out = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    for row in rows {
        let lookup = RowLookup {
            graph,
            bindings,
            row,
        };
        let mut record = Map::new();
        for column in columns {
            if let Expr::AllFields(alias) = &column.expr {
                spread(graph, &lookup, &alias.text, &mut record);
            } else {
                record.insert(column.name.clone(), eval_expr(&column.expr, &lookup, cx));
            }
        }
        if unique && !seen.insert(Value::Object(record.clone()).to_string()) {
            continue;
        }
        out.push(record);
    }
    out
}

/// `alias.*`: every property and metadata property as `alias.NAME` columns.
fn spread(graph: &Graph, lookup: &RowLookup<'_, '_>, alias: &str, record: &mut Map<String, Value>) {
    let value = match lookup.bound(alias) {
        Some(Bound::Entity(id)) => graph.entity(id).to_json(),
        Some(Bound::Relationship(id)) => graph.relationship(id).to_json(),
        None => Value::Null,
    };
    if let Value::Object(map) = value {
        for (k, v) in map {
            record.insert(format!("{alias}.{k}"), v);
        }
    }
}
