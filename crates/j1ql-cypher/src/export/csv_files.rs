//! `j1ql export --to csv`: node and relationship files in `neo4j-admin database import`'s
//! header format (`_id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed property columns,
//! arrays split on `;`), also readable with `LOAD CSV WITH HEADERS`.

use std::collections::BTreeMap;

use j1ql_graph::Graph;
use serde_json::{Map, Value};

use super::{entity_properties, labels, relationship_properties};

/// The two files' contents.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvExport {
    /// `nodes.csv`.
    pub nodes: String,
    /// `relationships.csv`.
    pub relationships: String,
}

/// Why the graph cannot be written as typed CSV columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError(pub String);

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CsvError {}

/// The column type of one value: `string`, `double`, `boolean`, or an array of one of them.
fn kind(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(_) => "string".into(),
        Value::Number(_) => "double".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Array(items) => {
            let kinds: Vec<String> = items.iter().filter_map(kind).collect();
            let first = kinds.first().cloned().unwrap_or_else(|| "string".into());
            if first.ends_with("[]") || kinds.iter().any(|k| *k != first) {
                return None;
            }
            format!("{first}[]")
        }
        _ => return None,
    })
}

/// Each property key's column type over `rows`: a key holding a scalar type and arrays of it
/// is an array column; other mixes (neo4j-admin gives a column one type) are refused, naming
/// the key and an item.
fn columns(
    rows: &[(String, Map<String, Value>)],
    what: &str,
) -> Result<BTreeMap<String, String>, CsvError> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (id, props) in rows {
        for (k, v) in props {
            let Some(t) = kind(v) else {
                return Err(CsvError(format!(
                    "{what} {id}: property `{k}` is a mixed or nested array, which a CSV column cannot hold"
                )));
            };
            let empty_array = matches!(v, Value::Array(a) if a.is_empty());
            match out.get(k).cloned() {
                None => {
                    out.insert(k.clone(), t);
                }
                Some(old) if old == t || (empty_array && old.ends_with("[]")) => {}
                // A scalar and arrays of its type (`_class` of one and of several classes):
                // an array column; J1's comparisons read a scalar as a one-element list.
                Some(old) if old == format!("{t}[]") => {}
                Some(old) if t == format!("{old}[]") => {
                    out.insert(k.clone(), t);
                }
                Some(old) => {
                    return Err(CsvError(format!(
                        "{what} {id}: property `{k}` is {t} here and {old} elsewhere; a CSV column has one type"
                    )))
                }
            }
        }
    }
    Ok(out)
}

fn cell(v: Option<&Value>, key: &str, id: &str) -> Result<String, CsvError> {
    Ok(match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let parts = items
                .iter()
                .map(|i| cell(Some(i), key, id))
                .collect::<Result<Vec<_>, _>>()?;
            if parts.iter().any(|p| p.contains(';')) {
                return Err(CsvError(format!(
                    "{id}: an element of `{key}` holds `;`, the array delimiter"
                )));
            }
            parts.join(";")
        }
        Some(other) => other.to_string(),
    })
}

fn write(header: Vec<String>, records: Vec<Vec<String>>) -> Result<String, CsvError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let io = |e: ::csv::Error| CsvError(e.to_string());
    w.write_record(&header).map_err(io)?;
    for r in records {
        w.write_record(&r).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| CsvError(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CsvError(e.to_string()))
}

/// The graph as `nodes.csv` and `relationships.csv`.
pub fn csv(graph: &Graph) -> Result<CsvExport, CsvError> {
    let nodes: Vec<(String, Map<String, Value>, Vec<String>)> = graph
        .entities()
        .map(|e| (e.id_str().to_string(), entity_properties(&e), labels(&e)))
        .collect();
    let typed: Vec<(String, Map<String, Value>)> = nodes
        .iter()
        .map(|(i, p, _)| (i.clone(), p.clone()))
        .collect();
    let cols = columns(&typed, "entity")?;
    let mut header = vec!["_id:ID".to_string(), ":LABEL".to_string()];
    header.extend(
        cols.iter()
            .filter(|(k, _)| *k != "_id")
            .map(|(k, t)| format!("{k}:{t}")),
    );
    let mut records = Vec::new();
    for (id, props, labels) in &nodes {
        let mut r = vec![id.clone(), labels.join(";")];
        for k in cols.keys().filter(|k| *k != "_id") {
            r.push(cell(props.get(k), k, id)?);
        }
        records.push(r);
    }
    let nodes_csv = write(header, records)?;

    // (`_id`, properties, source `_id`, target `_id`, verb)
    type Rel = (String, Map<String, Value>, String, String, String);
    let rels: Vec<Rel> = graph
        .relationships()
        .map(|r| {
            (
                r.id_str().to_string(),
                relationship_properties(graph, &r),
                graph.entity(r.from()).id_str().to_string(),
                graph.entity(r.to()).id_str().to_string(),
                r.class().to_string(),
            )
        })
        .collect();
    let typed: Vec<(String, Map<String, Value>)> = rels
        .iter()
        .map(|(i, p, ..)| (i.clone(), p.clone()))
        .collect();
    let cols = columns(&typed, "relationship")?;
    let mut header = vec![
        ":START_ID".to_string(),
        ":END_ID".to_string(),
        ":TYPE".to_string(),
    ];
    header.extend(cols.iter().map(|(k, t)| format!("{k}:{t}")));
    let mut records = Vec::new();
    for (id, props, from, to, verb) in &rels {
        let mut r = vec![from.clone(), to.clone(), verb.clone()];
        for k in cols.keys() {
            r.push(cell(props.get(k), k, id)?);
        }
        records.push(r);
    }
    Ok(CsvExport {
        nodes: nodes_csv,
        relationships: write(header, records)?,
    })
}
