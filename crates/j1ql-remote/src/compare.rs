//! Where two answers to the same query differ, row by row: the suite's fixtures against the
//! live account (`j1ql test --remote`).
//!
//! Rows are compared as multisets (the account does not promise an order without `ORDER
//! BY`) after both sides are put in a comparable form: an entity is its `_key`, `_type`,
//! `_class`, `displayName` and its non-metadata properties — not `_id`, `_createdOn`,
//! `_version` or the integration metadata a live account adds — and a tree edge names its
//! ends by `_key`.

use std::collections::BTreeMap;

use j1ql_eval::QueryResult;
use serde_json::{json, Map, Value};

/// Entity metadata that is part of an answer's meaning.
const ENTITY_FIELDS: &[&str] = &["_key", "_type", "_class", "displayName"];

/// The rows of two answers that are not in both.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowDiff {
    /// Rows only the fixtures answer (comparable form).
    pub only_local: Vec<Value>,
    /// Rows only the account answers.
    pub only_remote: Vec<Value>,
    /// Rows in both.
    pub same: usize,
    /// The answer types when they differ (`list` here, `table` there).
    pub kinds: Option<(String, String)>,
}

impl RowDiff {
    /// Whether the answers agree.
    pub fn is_empty(&self) -> bool {
        self.only_local.is_empty() && self.only_remote.is_empty() && self.kinds.is_none()
    }

    /// The difference as diff lines: `- row` only in the fixtures, `+ row` only on the
    /// account, each row as one line of JSON.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((l, r)) = &self.kinds {
            out.push(format!("- type {l}"));
            out.push(format!("+ type {r}"));
        }
        out.extend(self.only_local.iter().map(|r| format!("- {r}")));
        out.extend(self.only_remote.iter().map(|r| format!("+ {r}")));
        out
    }
}

/// Compares the fixtures' answer with the account's.
pub fn compare(local: &QueryResult, remote: &QueryResult) -> RowDiff {
    let kind = |r: &QueryResult| match r {
        QueryResult::List(_) => "list",
        QueryResult::Table(_) => "table",
        QueryResult::Tree { .. } => "tree",
    };
    let (l, r) = (rows(local), rows(remote));
    let mut counts: BTreeMap<String, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    for row in l {
        counts.entry(row.to_string()).or_default().0.push(row);
    }
    for row in r {
        counts.entry(row.to_string()).or_default().1.push(row);
    }
    let mut diff = RowDiff::default();
    for (_, (mut a, mut b)) in counts {
        let same = a.len().min(b.len());
        diff.same += same;
        diff.only_local.extend(a.drain(same..));
        diff.only_remote.extend(b.drain(same..));
    }
    if kind(local) != kind(remote) {
        diff.kinds = Some((kind(local).into(), kind(remote).into()));
    }
    diff
}

/// The rows of an answer in comparable form.
fn rows(result: &QueryResult) -> Vec<Value> {
    match result {
        QueryResult::List(items) => items.iter().map(entity).collect(),
        QueryResult::Table(rows) => rows
            .iter()
            .map(|row| comparable(&Value::Object(row.clone())))
            .collect(),
        QueryResult::Tree { vertices, edges } => {
            let keys: BTreeMap<&str, &Value> = vertices
                .iter()
                .filter_map(|v| Some((v["id"].as_str()?, &v["entity"]["_key"])))
                .collect();
            let end = |id: &Value| {
                id.as_str()
                    .and_then(|id| keys.get(id))
                    .map_or(Value::Null, |k| (*k).clone())
            };
            let mut out: Vec<Value> = vertices.iter().map(entity).collect();
            out.extend(edges.iter().map(|e| {
                sorted(json!({
                    "from": end(&e["fromVertexId"]),
                    "_class": e["relationship"]["_class"],
                    "to": end(&e["toVertexId"]),
                    "properties": e["properties"],
                }))
            }));
            out
        }
    }
}

/// A cell or row: entities inside it in comparable form, object keys sorted.
fn comparable(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.get("entity").is_some_and(Value::is_object) => entity(v),
        Value::Object(o) => sorted(Value::Object(
            o.iter().map(|(k, v)| (k.clone(), comparable(v))).collect(),
        )),
        Value::Array(a) => Value::Array(a.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

fn entity(item: &Value) -> Value {
    let mut out = Map::new();
    for field in ENTITY_FIELDS {
        if let Some(v) = item["entity"].get(*field) {
            out.insert((*field).to_string(), v.clone());
        }
    }
    out.insert("properties".into(), item["properties"].clone());
    sorted(Value::Object(out))
}

/// Object keys in sorted order at every level (answers keep insertion order).
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(o) => {
            let m: BTreeMap<String, Value> = o.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(m.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, key: &str, created: u64, props: Value) -> Value {
        json!({ "id": id, "entity": { "_id": id, "_key": key, "_type": ["t"], "_class": ["C"],
            "_createdOn": created }, "properties": props })
    }

    #[test]
    fn ids_and_timestamps_do_not_count_properties_do() {
        let local = QueryResult::List(vec![
            item("a", "k1", 1, json!({"x": 1})),
            item("b", "k2", 1, json!({"x": 2})),
        ]);
        let remote = QueryResult::List(vec![
            item("z", "k2", 9, json!({"x": 2})),
            item("y", "k1", 9, json!({"x": 1})),
        ]);
        assert!(compare(&local, &remote).is_empty());
        let remote = QueryResult::List(vec![
            item("y", "k1", 9, json!({"x": 1})),
            item("z", "k3", 9, json!({"x": 3})),
        ]);
        let d = compare(&local, &remote);
        assert_eq!(d.same, 1);
        assert_eq!(d.only_local.len(), 1);
        assert_eq!(d.only_remote.len(), 1);
        assert_eq!(
            d.lines(),
            vec![
                r#"- {"_class":["C"],"_key":"k2","_type":["t"],"properties":{"x":2}}"#,
                r#"+ {"_class":["C"],"_key":"k3","_type":["t"],"properties":{"x":3}}"#,
            ]
        );
    }

    #[test]
    fn tables_are_multisets_and_types_are_compared() {
        let row = |v: i64| {
            let mut m = Map::new();
            m.insert("n".into(), v.into());
            m
        };
        let local = QueryResult::Table(vec![row(1), row(1), row(2)]);
        let remote = QueryResult::Table(vec![row(2), row(1)]);
        let d = compare(&local, &remote);
        assert_eq!((d.same, d.only_local.len(), d.only_remote.len()), (2, 1, 0));
        let d = compare(&QueryResult::List(vec![]), &QueryResult::Table(vec![]));
        assert!(!d.is_empty());
        assert_eq!(d.lines(), vec!["- type list", "+ type table"]);
    }
}
