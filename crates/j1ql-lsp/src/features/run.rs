//! Running queries on the workspace data (`data = [...]` of the nearest `j1ql.toml`, with its
//! `[params]`, `[smart-classes]` and `now`) or, without data, on the demo account.

use j1ql_eval::run_query;

use crate::workspace::Workspace;

/// Runs one query: the J1-shaped JSON result.
pub fn run(workspace: &Workspace, query: &str) -> Result<serde_json::Value, String> {
    let graph = workspace.graph()?;
    run_query(
        query,
        graph,
        &workspace.context(),
        &workspace.eval_options(),
    )
    .map(|r| r.to_json())
    .map_err(|e| e.to_string())
}

/// How many results a query has.
pub fn count(workspace: &Workspace, query: &str) -> Result<usize, String> {
    let graph = workspace.graph()?;
    run_query(
        query,
        graph,
        &workspace.context(),
        &workspace.eval_options(),
    )
    .map(|r| r.len())
    .map_err(|e| e.to_string())
}
