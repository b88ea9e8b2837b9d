//! Running a J1QL query for `queryV1`: the same checks and evaluation as `j1ql run` — the
//! project's context (catalog of the data, smart classes, known tags), its lint settings (a
//! non-style finding of error severity refuses the query), `j1ql_eval::run_query` with the
//! project's evaluation options — then cut into pages.
//!
//! **LIMIT and pages.** A query's LIMIT — the one it gives, or the spec's default 250 — bounds
//! the whole answer, exactly as in `j1ql run`; the answer is then served in pages of at most
//! [`PAGE_SIZE`] rows with a `cursor` for the next page (`null` on the last). So the pages of a
//! query, joined, equal `j1ql run` of that query. With the `variableResultSize` flag a page
//! also ends before its JSON passes [`PAGE_BYTES`] (at least one row per page). A tree is
//! never paged.

use std::collections::BTreeMap;

use base64::Engine;
use std::path::Path;

use j1ql_eval::{run_query, QueryResult, RunError};
use j1ql_project::Project;
use j1ql_semantics::Context;
use j1ql_syntax::line_index::LineIndex;
use j1ql_syntax::TextRange;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::store::Snapshot;

/// Most rows in one page (JupiterOne's page size, and the spec's default LIMIT).
pub const PAGE_SIZE: usize = 250;

/// With `variableResultSize`, a page ends before its rows' JSON passes this many bytes.
pub const PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One `queryV1` call's query.
#[derive(Debug, Clone, Default)]
pub struct QueryRequest {
    /// The J1QL text.
    pub text: String,
    /// Values for `{{name}}` / `${ param.name }` (the `variables` argument).
    pub params: BTreeMap<String, Value>,
    /// The `cursor` of the previous page.
    pub cursor: Option<String>,
    /// The `variableResultSize` flag.
    pub variable_result_size: bool,
    /// "Now" for relative dates (epoch ms).
    pub now_ms: i64,
    /// `includeDeleted`: answer from the graph with `_deleted: true` items (default: the
    /// project's `include-deleted`, normally false: they are left out, as JupiterOne does).
    pub include_deleted: bool,
}

impl QueryRequest {
    /// A short hash of the query, its parameters and `includeDeleted`: cursors carry it
    /// (a page of one answer is not a page of another), request logs print it.
    pub fn hash(&self) -> String {
        query_hash(&self.text, &self.params, self.include_deleted)
    }
}

/// One page of an answer, in JupiterOne's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// `list`, `table` or `tree`.
    pub kind: &'static str,
    /// The page's rows (or the whole tree).
    pub data: Value,
    /// Where the next page starts; `None` on the last page.
    pub cursor: Option<String>,
    /// Rows of the whole answer (vertices for a tree).
    pub total_count: usize,
    /// Rows in this page.
    pub rows: usize,
}

/// One J1QL problem, positioned in the query text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct J1qlProblem {
    /// The stable code (`E0xx` syntax, `S0xx` semantics).
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
}

/// Why a query got no page.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryError {
    /// The query has syntax or semantic errors (it was not run).
    Invalid(Vec<J1qlProblem>),
    /// The cursor is malformed or belongs to another query.
    Cursor(String),
    /// Anything else the evaluator refused (no query, several, budget).
    Failed(String),
}

impl QueryError {
    /// JupiterOne's message style: what, then where.
    pub fn message(&self) -> String {
        match self {
            QueryError::Invalid(problems) => match problems.first() {
                Some(p) => format!(
                    "Error parsing query at line {}, column {}: {}",
                    p.line, p.column, p.message
                ),
                None => "Error parsing query".to_string(),
            },
            QueryError::Cursor(m) => format!("Invalid cursor: {m}"),
            QueryError::Failed(m) => m.clone(),
        }
    }

    /// A machine-readable code for the GraphQL error's `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Invalid(_) => "J1QL_QUERY_ERROR",
            QueryError::Cursor(_) => "BAD_USER_INPUT",
            QueryError::Failed(_) => "J1QL_QUERY_FAILED",
        }
    }
}

/// A short hash of a query, its parameters and `includeDeleted`: cursors carry it, request
/// logs print it.
pub fn query_hash(text: &str, params: &BTreeMap<String, Value>, include_deleted: bool) -> String {
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    hasher.update([0]);
    hasher.update(serde_json::to_vec(params).unwrap_or_default());
    if include_deleted {
        hasher.update(b"\0includeDeleted");
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    /// Offset of the page's first row.
    o: usize,
    /// [`query_hash`] of the query it pages.
    h: String,
}

fn encode_cursor(offset: usize, hash: &str) -> String {
    let body = serde_json::to_vec(&CursorBody {
        o: offset,
        h: hash.to_string(),
    })
    .unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(body)
}

fn decode_cursor(cursor: &str, hash: &str) -> Result<usize, QueryError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| QueryError::Cursor("not a cursor this server issued".into()))?;
    let body: CursorBody = serde_json::from_slice(&bytes)
        .map_err(|_| QueryError::Cursor("not a cursor this server issued".into()))?;
    if body.h != hash {
        return Err(QueryError::Cursor(
            "the cursor belongs to another query (send the same query and variables)".into(),
        ));
    }
    Ok(body.o)
}

/// Runs the query on the snapshot and returns the page the cursor asks for.
pub fn execute(
    snapshot: &Snapshot,
    project: &Project,
    request: &QueryRequest,
) -> Result<Page, QueryError> {
    let hash = request.hash();
    let offset = match &request.cursor {
        Some(c) if !c.is_empty() => decode_cursor(c, &hash)?,
        _ => 0,
    };
    let result = evaluate(snapshot, project, request)?;
    Ok(page(&result, offset, request.variable_result_size, &hash))
}

/// The analysis context `j1ql run` uses, over the snapshot's graph.
pub fn context<'a>(snapshot: &'a Snapshot, project: &'a Project) -> Context<'a> {
    project.context_over(snapshot.facts.as_ref())
}

/// The whole answer, as `j1ql run` computes it: refused when the lint pipeline finds a
/// non-style error (syntax, semantics, or a rule `[lint]` makes an error), else evaluated with
/// the project's clock, parameters (and the request's variables over them) and smart classes.
pub fn evaluate(
    snapshot: &Snapshot,
    project: &Project,
    request: &QueryRequest,
) -> Result<QueryResult, QueryError> {
    let context = context(snapshot, project);
    let index = LineIndex::new(&request.text);
    let position = |range: TextRange| {
        let at = index.line_col(range.start());
        (at.line + 1, at.col_char + 1)
    };
    let analysis = j1ql_semantics::analyze(&request.text, &context);
    let lint = j1ql_lint::lint_analysis(&analysis, &project.lint_options(Path::new("query.j1ql")));
    let refusals: Vec<J1qlProblem> = lint
        .iter()
        .filter(|d| d.severity == j1ql_lint::Severity::Error && !d.code.is_style())
        .map(|d| {
            let (line, column) = position(d.range);
            J1qlProblem {
                code: d.code.as_str().to_string(),
                message: d.message.clone(),
                line,
                column,
            }
        })
        .collect();
    if !refusals.is_empty() {
        return Err(QueryError::Invalid(refusals));
    }
    let mut options = project.eval_options();
    options.values.now_ms = request.now_ms;
    options
        .values
        .params
        .extend(request.params.iter().map(|(k, v)| (k.clone(), v.clone())));
    let graph = snapshot.query_graph(request.include_deleted);
    run_query(&request.text, graph, &context, &options).map_err(|e| match e {
        RunError::Refused(analysis) => {
            let mut problems: Vec<J1qlProblem> = analysis
                .parse
                .errors()
                .iter()
                .map(|e| {
                    let (line, column) = position(e.range);
                    J1qlProblem {
                        code: e.code.as_str().to_string(),
                        message: e.message.clone(),
                        line,
                        column,
                    }
                })
                .collect();
            problems.extend(
                analysis
                    .diagnostics()
                    .filter(|d| d.severity == j1ql_semantics::Severity::Error)
                    .map(|d| {
                        let (line, column) = position(d.range);
                        J1qlProblem {
                            code: d.code.as_str().to_string(),
                            message: d.message.clone(),
                            line,
                            column,
                        }
                    }),
            );
            QueryError::Invalid(problems)
        }
        other => QueryError::Failed(other.to_string()),
    })
}

/// Cuts one page out of an answer.
pub fn page(result: &QueryResult, offset: usize, variable_size: bool, hash: &str) -> Page {
    let (kind, rows): (&'static str, Vec<Value>) = match result {
        QueryResult::Tree { .. } => {
            let json = result.to_json();
            return Page {
                kind: "tree",
                data: json["data"].clone(),
                cursor: None,
                total_count: result.len(),
                rows: result.len(),
            };
        }
        QueryResult::List(items) => ("list", slice(items, offset, variable_size, |v| v.clone())),
        QueryResult::Table(rows) => (
            "table",
            slice(rows, offset, variable_size, |r: &Map<String, Value>| {
                Value::Object(r.clone())
            }),
        ),
    };
    let total = result.len();
    let end = offset.saturating_add(rows.len());
    Page {
        kind,
        rows: rows.len(),
        data: Value::Array(rows),
        cursor: (end < total).then(|| encode_cursor(end, hash)),
        total_count: total,
    }
}

fn slice<T>(
    items: &[T],
    offset: usize,
    variable_size: bool,
    to_json: impl Fn(&T) -> Value,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut bytes = 0;
    for item in items.iter().skip(offset).take(PAGE_SIZE) {
        let value = to_json(item);
        if variable_size {
            let size = serde_json::to_vec(&value).map_or(0, |v| v.len());
            if !out.is_empty() && bytes + size > PAGE_BYTES {
                break;
            }
            bytes += size;
        }
        out.push(value);
    }
    out
}
