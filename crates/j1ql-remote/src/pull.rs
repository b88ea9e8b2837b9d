//! `j1ql pull --remote`: record what queries touch on the live account as a fixture file, so
//! that `j1ql run --data DIR` gives the same answers to the same queries (docs/remote.md,
//! "Recording fixtures").
//!
//! For each query: its own answer (list items, tree vertices and edges, entities returned in
//! table cells), and the answer of its *tree form* — the same query up to `WHERE` with `RETURN
//! TREE`, so every entity and relationship on the matched paths is recorded. Then every
//! relationship between two recorded entities, found with `FIND * WITH _id = (...) THAT
//! RELATES TO * WITH _id = (...) RETURN TREE` over chunks of ids. Entities and relationships
//! keep their `_id`, `_source`, `_scope` and metadata (`_createdOn`, `_version`, ...), so
//! ownership and the answers' metadata hold locally.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use j1ql_syntax::SyntaxKind;
use regex::Regex;
use serde_json::{json, Map, Value};

use crate::client::Client;
use crate::error::RemoteError;
use crate::query::QueryOptions;

/// The file `pull` writes in its output folder.
pub const FIXTURE_FILE: &str = "pulled.json";

/// What replaces a redacted value.
pub const REDACTED: &str = "[REDACTED]";

/// Ids per `_id = (...)` group when looking for relationships between recorded entities.
const IDS_PER_QUERY: usize = 100;

/// Properties that identify an item or its endpoints: never redacted.
const IDENTITY: &[&str] = &[
    "_id",
    "_key",
    "_type",
    "_class",
    "_source",
    "_scope",
    "_fromEntityId",
    "_toEntityId",
    "_fromEntityKey",
    "_toEntityKey",
];

/// How to pull.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// Property names whose values are replaced by [`REDACTED`] (matched anywhere in the
    /// name, without regard to case).
    pub redact: Option<Regex>,
    /// The options of every query sent (`includeDeleted`, deferred answers, variables).
    pub query: QueryOptions,
}

/// The entities and relationships recorded so far, by `_id`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recording {
    /// Entities in the fixture form (metadata and properties in one object).
    pub entities: BTreeMap<String, Value>,
    /// Relationships in the fixture form, with `_fromEntityId` / `_toEntityId`.
    pub relationships: BTreeMap<String, Value>,
    /// The queries recorded, in order.
    pub queries: Vec<String>,
}

/// Builds a case-insensitive `--redact` pattern.
pub fn redact_pattern(pattern: &str) -> Result<Regex, RemoteError> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| RemoteError::Settings(format!("--redact `{pattern}`: {e}")))
}

/// The queries an argument stands for: every query of a test file (`*.j1ql`, question YAML,
/// rule packs) when it names one, else the argument as query text.
pub fn queries_of(arg: &str) -> Result<Vec<String>, RemoteError> {
    let path = Path::new(arg);
    if path.is_file() {
        let cases = j1ql_test::read_cases(path)
            .map_err(|e| RemoteError::Settings(format!("{arg}: {e}")))?;
        return Ok(cases.into_iter().map(|c| c.query).collect());
    }
    Ok(vec![arg.to_string()])
}

/// The query with its `RETURN`, `HAVING`, `ORDER BY` and `SKIP` replaced by `RETURN TREE`
/// (its `LIMIT` kept, grown by the `SKIP`); `None` when it already returns a tree or does not
/// parse.
pub fn tree_form(query: &str) -> Option<String> {
    let parse = j1ql_syntax::parse(query);
    if !parse.errors().is_empty() {
        return None;
    }
    let root = parse.syntax_node();
    let q = root.children().find(|n| n.kind() == SyntaxKind::QUERY)?;
    let number = |kind: SyntaxKind| -> Option<u64> {
        let clause = q.children().find(|n| n.kind() == kind)?;
        clause
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .find_map(|t| t.text().parse::<u64>().ok())
    };
    let tail = [
        SyntaxKind::HAVING_CLAUSE,
        SyntaxKind::RETURN_CLAUSE,
        SyntaxKind::ORDER_CLAUSE,
        SyntaxKind::SKIP_CLAUSE,
        SyntaxKind::LIMIT_CLAUSE,
    ];
    if let Some(ret) = q.children().find(|n| n.kind() == SyntaxKind::RETURN_CLAUSE) {
        if ret.descendants_with_tokens().any(|e| {
            e.as_token()
                .is_some_and(|t| t.text().eq_ignore_ascii_case("TREE"))
        }) {
            return None;
        }
    }
    let end = q
        .children()
        .find(|n| tail.contains(&n.kind()))
        .map(|n| n.text_range().start())
        .unwrap_or_else(|| {
            // Up to the end of the last non-`;` token.
            q.descendants_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| !t.kind().is_trivia() && t.text() != ";")
                .last()
                .map(|t| t.text_range().end())
                .unwrap_or_else(|| q.text_range().end())
        });
    let start = q.text_range().start();
    let head = &query[usize::from(start)..usize::from(end)];
    let mut text = format!("{} RETURN TREE", head.trim_end());
    if let Some(limit) = number(SyntaxKind::LIMIT_CLAUSE) {
        let skip = number(SyntaxKind::SKIP_CLAUSE).unwrap_or(0);
        text.push_str(&format!(" LIMIT {}", limit + skip));
    }
    Some(text)
}

impl Recording {
    /// Records what an answer holds: list items, tree vertices and edges, and entities
    /// inside table cells.
    pub fn add_answer(&mut self, kind: &str, data: &Value) {
        match kind {
            "tree" => {
                for v in data["vertices"].as_array().into_iter().flatten() {
                    self.add_entity(v);
                }
                for e in data["edges"].as_array().into_iter().flatten() {
                    self.add_edge(e);
                }
            }
            _ => {
                for row in data.as_array().into_iter().flatten() {
                    self.add_nested(row);
                }
            }
        }
    }

    fn add_nested(&mut self, value: &Value) {
        match value {
            Value::Object(o) if o.get("entity").is_some_and(Value::is_object) => {
                self.add_entity(value)
            }
            Value::Object(o) => o.values().for_each(|v| self.add_nested(v)),
            Value::Array(a) => a.iter().for_each(|v| self.add_nested(v)),
            _ => {}
        }
    }

    /// An entity in the list-item form `{id, entity, properties}`.
    fn add_entity(&mut self, item: &Value) {
        let mut out = Map::new();
        if let Some(meta) = item["entity"].as_object() {
            out.extend(meta.clone());
        }
        if let Some(props) = item["properties"].as_object() {
            for (k, v) in props {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        // The answer's `_type` is an array; a fixture's is a string.
        if let Some(Value::Array(types)) = out.get("_type") {
            let first = types.first().cloned().unwrap_or(Value::Null);
            out.insert("_type".into(), first);
        }
        let id = out
            .get("_id")
            .or_else(|| item.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(id) = id {
            out.insert("_id".into(), id.clone().into());
            self.entities.insert(id, Value::Object(out));
        }
    }

    /// A tree edge `{id, fromVertexId, toVertexId, relationship, properties}`.
    fn add_edge(&mut self, edge: &Value) {
        let mut out = Map::new();
        if let Some(meta) = edge["relationship"].as_object() {
            out.extend(meta.clone());
        }
        if let Some(props) = edge["properties"].as_object() {
            for (k, v) in props {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for (field, vertex) in [
            ("_fromEntityId", "fromVertexId"),
            ("_toEntityId", "toVertexId"),
        ] {
            if !out.contains_key(field) {
                if let Some(v) = edge.get(vertex) {
                    out.insert(field.into(), v.clone());
                }
            }
        }
        let id = out
            .get("_id")
            .or_else(|| edge.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(id) = id {
            out.insert("_id".into(), id.clone().into());
            self.relationships.insert(id, Value::Object(out));
        }
    }

    /// The fixture document: `{entities, relationships}`, sorted by `_id`, values of redacted
    /// properties replaced, and only relationships whose two ends are recorded (so the file
    /// loads without unresolved endpoints).
    pub fn to_fixture(&self, redact: Option<&Regex>) -> Value {
        let scrub = |item: &Value| -> Value {
            let Value::Object(m) = item else {
                return item.clone();
            };
            let mut m = m.clone();
            if let Some(re) = redact {
                for (k, v) in m.iter_mut() {
                    if !IDENTITY.contains(&k.as_str()) && re.is_match(k) {
                        *v = REDACTED.into();
                    }
                }
            }
            Value::Object(m)
        };
        let entities: Vec<Value> = self.entities.values().map(scrub).collect();
        let relationships: Vec<Value> = self
            .relationships
            .values()
            .filter(|r| {
                ["_fromEntityId", "_toEntityId"].iter().all(|end| {
                    r[end]
                        .as_str()
                        .is_some_and(|id| self.entities.contains_key(id))
                })
            })
            .map(scrub)
            .collect();
        json!({ "entities": entities, "relationships": relationships })
    }

    /// Writes [`FIXTURE_FILE`] into `dir` (created if needed) atomically: a reader sees the
    /// old file or the whole new one, never part of it.
    pub fn write(&self, dir: &Path, redact: Option<&Regex>) -> Result<PathBuf, RemoteError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| RemoteError::Write(format!("{}: {e}", dir.display())))?;
        let path = dir.join(FIXTURE_FILE);
        let mut text =
            serde_json::to_string_pretty(&self.to_fixture(redact)).expect("JSON values serialize");
        text.push('\n');
        j1ql_fs::atomic_write(&path, text.as_bytes())
            .map_err(|e| RemoteError::Write(e.to_string()))?;
        Ok(path)
    }
}

/// Runs the queries on the account and records what they touch, then the relationships
/// between the recorded entities. Nothing is returned unless every request succeeded.
pub async fn pull(
    client: &Client,
    queries: &[String],
    options: &PullOptions,
) -> Result<Recording, RemoteError> {
    let mut recording = Recording::default();
    for query in queries {
        let answer = client
            .query(query, &options.query)
            .await
            .map_err(|e| in_query(query, e))?;
        recording.add_answer(&answer.kind, &answer.data);
        if let Some(tree) = tree_form(query) {
            let answer = client
                .query(&tree, &options.query)
                .await
                .map_err(|e| in_query(&tree, e))?;
            recording.add_answer(&answer.kind, &answer.data);
        }
        recording.queries.push(query.clone());
    }
    let ids: Vec<String> = recording.entities.keys().cloned().collect();
    let chunks: Vec<&[String]> = ids.chunks(IDS_PER_QUERY).collect();
    for (i, a) in chunks.iter().enumerate() {
        for b in &chunks[i..] {
            let query = format!(
                "FIND * WITH _id = ({}) THAT RELATES TO * WITH _id = ({}) RETURN TREE",
                id_group(a),
                id_group(b)
            );
            let answer = client
                .query(&query, &options.query)
                .await
                .map_err(|e| in_query("(relationships between recorded entities)", e))?;
            if let Some(edges) = answer.data["edges"].as_array() {
                for e in edges {
                    recording.add_edge(e);
                }
            }
        }
    }
    Ok(recording)
}

fn id_group(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("'{}'", id.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn in_query(query: &str, e: RemoteError) -> RemoteError {
    match e {
        RemoteError::Query { message, code } => RemoteError::Query {
            message: format!("{message} (in `{query}`)"),
            code,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_forms() {
        assert_eq!(
            tree_form("FIND User AS u THAT IS Person AS p RETURN u.email ORDER BY u.email SKIP 5 LIMIT 10").as_deref(),
            Some("FIND User AS u THAT IS Person AS p RETURN TREE LIMIT 15")
        );
        assert_eq!(
            tree_form("FIND Device WITH platform = 'linux';").as_deref(),
            Some("FIND Device WITH platform = 'linux' RETURN TREE")
        );
        assert_eq!(
            tree_form("FIND Device LIMIT 1000").as_deref(),
            Some("FIND Device RETURN TREE LIMIT 1000")
        );
        assert_eq!(tree_form("FIND User THAT IS Person RETURN TREE"), None);
        assert_eq!(tree_form("FIND User WITH"), None);
    }

    #[test]
    fn redaction_spares_identity() {
        let mut r = Recording::default();
        r.add_answer(
            "list",
            &json!([{ "id": "e1", "entity": { "_id": "e1", "_key": "k", "_type": ["t"],
                "_class": ["User"], "displayName": "u" },
                "properties": { "apiToken": "s3cr3t", "Password": "p", "name": "n" } }]),
        );
        let re = redact_pattern("token|password|_key").unwrap();
        let f = r.to_fixture(Some(&re));
        let e = &f["entities"][0];
        assert_eq!(e["apiToken"], REDACTED);
        assert_eq!(e["Password"], REDACTED);
        assert_eq!(e["name"], "n");
        assert_eq!(e["_key"], "k");
        assert_eq!(e["_type"], "t");
        assert!(redact_pattern("(").is_err());
    }
}
