//! `queryV1`: one J1QL query on the live account, all its pages joined, either answered
//! directly (cursor paging, as the Python client's `query_v1`) or deferred (`deferredResponse:
//! FORCE`, polling the returned URL, as `query_with_deferred_response` and the Node client).

use std::time::Instant;

use j1ql_eval::QueryResult;
use serde_json::{json, Map, Value};

use crate::client::{Client, Event};
use crate::error::RemoteError;

/// The operation for direct answers: the Python client's `CURSOR_QUERY_V1` (the same variables
/// and the same selection), so the account sees the requests it already serves.
pub const CURSOR_QUERY: &str = "query J1QL_v2($query: String!, $variables: JSON, \
$flags: QueryV1Flags, $includeDeleted: Boolean, $cursor: String) { queryV1(query: $query, \
variables: $variables, deferredResponse: DISABLED, flags: $flags, includeDeleted: \
$includeDeleted, cursor: $cursor) { type data cursor __typename } }";

/// The operation for deferred answers (the Python client's `DEFERRED_RESPONSE_QUERY`, plus
/// `includeDeleted`).
pub const DEFERRED_QUERY: &str = "query J1QL($query: String!, $variables: JSON, $cursor: \
String, $deferredResponse: DeferredResponseOption, $includeDeleted: Boolean) { \
queryV1(query: $query, variables: $variables, deferredResponse: $deferredResponse, \
includeDeleted: $includeDeleted, cursor: $cursor) { type url } }";

/// How to run a query remotely.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryOptions {
    /// `includeDeleted: true`: deleted entities and relationships are answered too.
    pub include_deleted: bool,
    /// Ask for a deferred answer (`deferredResponse: FORCE`) and poll for it: for queries that
    /// run longer than a request may last.
    pub deferred: bool,
    /// Stop paging once this many rows have arrived (the answer is cut to it).
    pub max_rows: Option<usize>,
    /// `variables`: the query's parameters.
    pub variables: Map<String, Value>,
}

/// A whole answer: the pages joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// `list`, `table` or `tree`.
    pub kind: String,
    /// The rows (an array) or, for a tree, `{vertices, edges}`.
    pub data: Value,
    /// Pages fetched.
    pub pages: usize,
    /// Whether `max_rows` cut the answer short.
    pub truncated: bool,
}

impl Answer {
    /// The answer in the evaluator's result type, so it prints exactly as a local `run`.
    pub fn to_result(&self) -> Result<QueryResult, RemoteError> {
        let malformed = |what: &str| RemoteError::Malformed {
            url: "queryV1".into(),
            what: what.to_string(),
        };
        match self.kind.as_str() {
            "list" => Ok(QueryResult::List(rows(&self.data))),
            "table" => rows(&self.data)
                .into_iter()
                .map(|row| match row {
                    Value::Object(m) => Ok(m),
                    _ => Err(malformed("a table row that is not an object")),
                })
                .collect::<Result<_, _>>()
                .map(QueryResult::Table),
            "tree" => Ok(QueryResult::Tree {
                vertices: rows(&self.data["vertices"]),
                edges: rows(&self.data["edges"]),
            }),
            other => Err(malformed(&format!("answer type `{other}`"))),
        }
    }

    /// `{"type", "data"}`: what `j1ql run --format json` prints.
    pub fn to_json(&self) -> Value {
        json!({ "type": self.kind, "data": self.data })
    }
}

fn rows(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// The GraphQL document and variables that ask for one page: [`DEFERRED_QUERY`] with
/// `deferredResponse: FORCE`, or [`CURSOR_QUERY`] with `flags: {variableResultSize: true}`;
/// both with the query, its `variables`, `includeDeleted` and the page's `cursor` (`null` for
/// the first).
pub fn page_request(
    query: &str,
    options: &QueryOptions,
    cursor: Option<&str>,
) -> (&'static str, Value) {
    let mut variables = json!({
        "query": query,
        "variables": Value::Object(options.variables.clone()),
        "includeDeleted": options.include_deleted,
        "cursor": cursor,
    });
    if options.deferred {
        variables["deferredResponse"] = "FORCE".into();
        (DEFERRED_QUERY, variables)
    } else {
        variables["flags"] = json!({ "variableResultSize": true });
        (CURSOR_QUERY, variables)
    }
}

/// One page as the server answered it.
struct Page {
    kind: String,
    data: Value,
    cursor: Option<String>,
    total: Option<u64>,
}

impl Client {
    /// Runs `query` and joins its pages: every page until the cursor ends, or until
    /// `max_rows`. A failure after the first page is [`RemoteError::Interrupted`]: the rows
    /// that arrived are not returned as if they were the answer.
    pub async fn query(&self, query: &str, options: &QueryOptions) -> Result<Answer, RemoteError> {
        let mut cursor: Option<String> = None;
        let mut answer: Option<Answer> = None;
        loop {
            let page = match self.page(query, options, cursor.as_deref()).await {
                Ok(page) => page,
                Err(e) => {
                    return Err(match &answer {
                        Some(a) => RemoteError::Interrupted {
                            pages: a.pages,
                            rows: rows_of(&a.data),
                            cause: Box::new(e),
                        },
                        None => e,
                    })
                }
            };
            let answer = answer.get_or_insert_with(|| Answer {
                kind: page.kind.clone(),
                data: if page.data.is_array() {
                    Value::Array(Vec::new())
                } else {
                    Value::Null
                },
                pages: 0,
                truncated: false,
            });
            answer.pages += 1;
            match (&mut answer.data, page.data) {
                (Value::Array(all), Value::Array(more)) => all.extend(more),
                (slot, other) => *slot = other,
            }
            if let (Some(max), Value::Array(all)) = (options.max_rows, &mut answer.data) {
                if all.len() >= max {
                    answer.truncated = all.len() > max || page.cursor.is_some();
                    all.truncate(max);
                    return Ok(answer.clone());
                }
            }
            self.emit(Event::Page {
                pages: answer.pages,
                rows: rows_of(&answer.data),
                total: page.total,
            });
            match page.cursor {
                Some(next) if answer.data.is_array() => cursor = Some(next),
                _ => return Ok(answer.clone()),
            }
        }
    }

    async fn page(
        &self,
        query: &str,
        options: &QueryOptions,
        cursor: Option<&str>,
    ) -> Result<Page, RemoteError> {
        let (document, variables) = page_request(query, options, cursor);
        let data = self.graphql(document, variables).await?;
        if options.deferred {
            let url = data
                .pointer("/queryV1/url")
                .and_then(Value::as_str)
                .ok_or_else(|| self.malformed("no `queryV1.url` in a deferred answer"))?;
            self.deferred(url).await
        } else {
            let page = data
                .get("queryV1")
                .filter(|v| v.is_object())
                .ok_or_else(|| self.malformed("no `queryV1` in the answer"))?;
            self.page_of(page)
        }
    }

    /// Polls a deferred status document until the query is `COMPLETED` (then fetches its
    /// result document) or `FAILED`, waiting longer between polls up to the policy's limits.
    async fn deferred(&self, status_url: &str) -> Result<Page, RemoteError> {
        let started = Instant::now();
        let mut interval = self.policy().poll_interval;
        loop {
            let status = self.document(status_url).await?;
            match status.get("status").and_then(Value::as_str) {
                Some("COMPLETED") => {
                    let result = match status.get("url").and_then(Value::as_str) {
                        Some(url) => self.document(url).await?,
                        None => status,
                    };
                    return self.page_of(&result);
                }
                Some("FAILED") => {
                    let error = status
                        .get("error")
                        .map(|e| match e {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .unwrap_or_else(|| "(no error given)".into());
                    return Err(RemoteError::Deferred(format!("the query failed: {error}")));
                }
                Some("IN_PROGRESS") => {
                    let elapsed = started.elapsed();
                    if elapsed >= self.policy().deferred_timeout {
                        return Err(RemoteError::Deferred(format!(
                            "still in progress after {} s (the deferred timeout)",
                            elapsed.as_secs()
                        )));
                    }
                    self.emit(Event::Waiting { elapsed });
                    tokio::time::sleep(interval).await;
                    interval = (interval * 3 / 2).min(self.policy().max_poll_interval);
                }
                other => {
                    return Err(self.malformed(&format!(
                        "deferred status {}",
                        other.map_or("missing".to_string(), |s| format!("`{s}`"))
                    )))
                }
            }
        }
    }

    fn page_of(&self, page: &Value) -> Result<Page, RemoteError> {
        let kind = page
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.malformed("an answer without `type`"))?
            .to_string();
        Ok(Page {
            kind,
            data: page.get("data").cloned().unwrap_or(Value::Null),
            cursor: page
                .get("cursor")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            total: page.get("totalCount").and_then(Value::as_u64),
        })
    }

    fn malformed(&self, what: &str) -> RemoteError {
        RemoteError::Malformed {
            url: self.settings().url.clone(),
            what: what.to_string(),
        }
    }
}

fn rows_of(data: &Value) -> usize {
    match data {
        Value::Array(a) => a.len(),
        Value::Object(o) => o
            .get("vertices")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_carry_the_options() {
        let mut options = QueryOptions {
            include_deleted: true,
            ..Default::default()
        };
        options.variables.insert("who".into(), "a@b.c".into());
        let (doc, vars) = page_request("FIND User WITH email = {{who}}", &options, Some("c2"));
        assert_eq!(doc, CURSOR_QUERY);
        assert_eq!(
            vars,
            json!({ "query": "FIND User WITH email = {{who}}", "variables": { "who": "a@b.c" },
                    "includeDeleted": true, "cursor": "c2",
                    "flags": { "variableResultSize": true } })
        );
        options.deferred = true;
        options.include_deleted = false;
        let (doc, vars) = page_request("FIND User", &options, None);
        assert_eq!(doc, DEFERRED_QUERY);
        assert_eq!(vars["deferredResponse"], "FORCE");
        assert_eq!(vars["includeDeleted"], false);
        assert!(vars["cursor"].is_null() && vars.get("flags").is_none());
        // The documents declare every variable they are sent.
        for (doc, names) in [
            (
                CURSOR_QUERY,
                [
                    "$query",
                    "$variables",
                    "$flags",
                    "$includeDeleted",
                    "$cursor",
                ],
            ),
            (
                DEFERRED_QUERY,
                [
                    "$query",
                    "$variables",
                    "$cursor",
                    "$deferredResponse",
                    "$includeDeleted",
                ],
            ),
        ] {
            for name in names {
                assert!(doc.contains(&format!("{name}:")), "{name} in {doc}");
            }
        }
    }
}
