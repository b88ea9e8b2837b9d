//! Checking `// expect:` assertions against a result.

use j1ql_eval::QueryResult;
use serde_json::{Map, Value};

use crate::cases::Expect;

fn numbers_equal(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
}

/// JSON equality with numbers compared as numbers (`25` = `25.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => numbers_equal(x, y),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A table cell holding an entity or a relationship is compared by its `_key`.
fn simplify_cell(v: &Value) -> Value {
    for kind in ["entity", "relationship"] {
        if let Some(key) = v.get(kind).and_then(|m| m.get("_key")) {
            return key.clone();
        }
    }
    v.clone()
}

fn simplify_rows(rows: &[Map<String, Value>]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            Value::Object(
                r.iter()
                    .map(|(k, v)| (k.clone(), simplify_cell(v)))
                    .collect(),
            )
        })
        .collect()
}

fn entity_keys(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.get("entity")
                .and_then(|e| e.get("_key"))
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn same_rows_unordered(expected: &[Value], actual: &[Value]) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        match (0..actual.len()).find(|i| !used[*i] && json_eq(e, &actual[*i])) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 3000 {
        let mut end = 3000;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} chars)", &text[..end], text.len())
    } else {
        text
    }
}

/// Checks one expectation on a result; `Err` says how it differs.
pub fn check(expect: &Expect, result: &QueryResult) -> Result<(), String> {
    let list_keys = || -> Result<Vec<String>, String> {
        match result {
            QueryResult::List(items) => Ok(entity_keys(items)),
            QueryResult::Tree { vertices, .. } => Ok(entity_keys(vertices)),
            QueryResult::Table(rows) => Err(format!(
                "expected a list, got a table: {}",
                show(&Value::Array(simplify_rows(rows)))
            )),
        }
    };
    let table = || -> Result<Vec<Value>, String> {
        match result {
            QueryResult::Table(rows) => Ok(simplify_rows(rows)),
            other => Err(format!(
                "expected a table, got {}",
                show(&other.to_json()["type"])
            )),
        }
    };
    let ok = |b: bool, msg: String| if b { Ok(()) } else { Err(msg) };
    match expect {
        Expect::Keys(keys) => {
            let actual = sorted(list_keys()?);
            let expected = sorted(keys.clone());
            let msg = format!("keys: expected {expected:?}\n      got      {actual:?}");
            ok(actual == expected, msg)
        }
        Expect::OrderedKeys(keys) => {
            let actual = list_keys()?;
            let msg = format!("ordered keys: expected {keys:?}\n              got      {actual:?}");
            ok(&actual == keys, msg)
        }
        Expect::Count(n) => ok(
            result.len() == *n,
            format!("count: expected {n}, got {}", result.len()),
        ),
        Expect::Empty => ok(
            result.is_empty(),
            format!("expected empty, got {} item(s)", result.len()),
        ),
        Expect::NonEmpty => ok(
            !result.is_empty(),
            "expected a non-empty result, got none".to_string(),
        ),
        Expect::Rows(rows) | Expect::OrderedRows(rows) => {
            let actual = table()?;
            let same = if matches!(expect, Expect::Rows(_)) {
                same_rows_unordered(rows, &actual)
            } else {
                json_eq(&Value::Array(rows.clone()), &Value::Array(actual.clone()))
            };
            let msg = format!(
                "rows: expected {}\n      got      {}",
                show(&Value::Array(rows.clone())),
                show(&Value::Array(actual))
            );
            ok(same, msg)
        }
        Expect::ColumnsInclude(columns) => {
            let actual = table()?;
            if actual.is_empty() {
                return Err("columns include: the table has no rows".into());
            }
            for row in &actual {
                let missing: Vec<&String> = columns
                    .iter()
                    .filter(|c| row.get(c.as_str()).is_none())
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "columns {missing:?} missing from row {}",
                        show(row)
                    ));
                }
            }
            Ok(())
        }
        Expect::Vertices(keys) => match result {
            QueryResult::Tree { vertices, .. } => {
                let actual = sorted(entity_keys(vertices));
                let expected = sorted(keys.clone());
                let msg = format!("vertices: expected {expected:?}\n          got      {actual:?}");
                ok(actual == expected, msg)
            }
            _ => Err("expected a tree".into()),
        },
        Expect::Edges(n) => match result {
            QueryResult::Tree { edges, .. } => ok(
                edges.len() == *n,
                format!("edges: expected {n}, got {}", edges.len()),
            ),
            _ => Err("expected a tree".into()),
        },
        Expect::Error | Expect::ErrorContaining(_) => Err(format!(
            "expected the query to fail, got {} item(s)",
            result.len()
        )),
        Expect::Snapshot => Ok(()),
    }
}
