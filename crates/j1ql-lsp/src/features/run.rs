//! Running queries on the workspace data (`data = [...]` of the nearest `j1ql.toml`, with its
//! `[params]`, `[smart-classes]` and `now`) or, without data, on the demo account.

use j1ql_eval::{run_query, Cancel, RunError};

use crate::workspace::Workspace;

/// Runs one query: the J1-shaped JSON result. It stops early with "query cancelled" once
/// `cancel` is cancelled (the request was).
pub fn run(
    workspace: &Workspace,
    query: &str,
    cancel: &Cancel,
) -> Result<serde_json::Value, String> {
    let graph = workspace.graph()?;
    let mut options = workspace.eval_options();
    options.budget.cancel = cancel.clone();
    run_query(query, graph, &workspace.context(), &options)
        .map(|r| r.to_json())
        .map_err(|e| match &e {
            RunError::Refused(analysis) => refusal(query, &e, analysis),
            _ => e.to_string(),
        })
}

/// Why a query was not run, with its errors (line:column within the query, code, message;
/// the first five), so an editor's run command shows what to fix.
fn refusal(query: &str, error: &RunError, analysis: &j1ql_semantics::Analysis) -> String {
    let index = j1ql_syntax::line_index::LineIndex::new(query);
    let at = |range: j1ql_syntax::TextRange| {
        let lc = index.line_col(range.start());
        format!("{}:{}", lc.line + 1, lc.col_char + 1)
    };
    let mut errors: Vec<String> = analysis
        .parse
        .errors()
        .iter()
        .map(|e| format!("{} {}: {}", at(e.range), e.code, e.message))
        .chain(
            analysis
                .diagnostics()
                .filter(|d| d.severity == j1ql_semantics::Severity::Error)
                .map(|d| format!("{} {}: {}", at(d.range), d.code.as_str(), d.message)),
        )
        .collect();
    let more = errors.len().saturating_sub(5);
    errors.truncate(5);
    let mut out = format!("{error}:\n{}", errors.join("\n"));
    if more > 0 {
        out.push_str(&format!("\n… and {more} more"));
    }
    out
}

/// Runs one query on the live account of the workspace (`[remote]` of its `j1ql.toml` and
/// editor settings, `JUPITERONE_*` of the server's environment; docs/remote.md), every page
/// joined: the same J1-shaped JSON as [`run`]. Dropping the future (a `$/cancelRequest`)
/// abandons the request.
pub async fn run_remote(workspace: &Workspace, query: &str) -> Result<serde_json::Value, String> {
    let settings = workspace
        .project
        .remote_settings()
        .map_err(|e| e.to_string())?;
    let client = j1ql_remote::Client::new(settings, j1ql_remote::RetryPolicy::default())
        .map_err(|e| e.to_string())?;
    let options = j1ql_remote::QueryOptions {
        variables: workspace
            .project
            .params()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ..Default::default()
    };
    let answer = client
        .query(query, &options)
        .await
        .map_err(|e| e.to_string())?;
    answer
        .to_result()
        .map(|r| r.to_json())
        .map_err(|e| e.to_string())
}

/// The work budget of the match count shown on hover: enough for ordinary queries on a
/// workspace graph (tens of milliseconds), small enough that a runaway query gives up quickly
/// instead of keeping a thread busy; `j1ql.runQuery` runs with the project's budget (`[run]
/// budget`, `J1QL_BUDGET`).
pub const HOVER_WORK_BUDGET: u64 = 2_000_000;

/// How many results a query has, within [`HOVER_WORK_BUDGET`].
pub fn count(workspace: &Workspace, query: &str, cancel: &Cancel) -> Result<usize, String> {
    let graph = workspace.graph()?;
    let mut options = workspace.eval_options();
    options.budget.max_work = options.budget.max_work.min(HOVER_WORK_BUDGET);
    options.budget.cancel = cancel.clone();
    run_query(query, graph, &workspace.context(), &options)
        .map(|r| r.len())
        .map_err(|e| e.to_string())
}
