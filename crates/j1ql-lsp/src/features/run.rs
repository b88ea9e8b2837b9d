//! Running queries on the workspace data (`[data]` of the nearest `j1ql.toml`) or, without
//! one, on the demo account.

use std::path::{Path, PathBuf};

use j1ql_eval::{demo, run_query, EvalOptions, ValueContext};
use j1ql_graph::{Graph, LoadOptions};
use j1ql_semantics::Context;

/// A graph to run queries on, and its clock.
pub struct Workspace {
    /// The graph.
    pub graph: Graph,
    /// "Now" for relative dates.
    pub now_ms: i64,
    /// Where the data came from (`demo` or the config file).
    pub source: String,
}

/// The folder of the `j1ql.toml` governing `file` (None: no config, use the demo graph).
pub fn config_dir(file: Option<&Path>) -> Option<PathBuf> {
    let dir = file?.parent()?;
    let (_, path) = j1ql_config::Config::discover(dir).ok()?;
    path?.parent().map(Path::to_path_buf)
}

/// Loads the workspace of `config_dir` (or the demo account).
pub fn load(config_dir: Option<&Path>) -> Result<Workspace, String> {
    if let Some(dir) = config_dir {
        let (config, _) =
            j1ql_config::Config::discover(dir).map_err(|e| format!("j1ql.toml: {e}"))?;
        if !config.data.is_empty() {
            let paths: Vec<PathBuf> = config.data.iter().map(|p| dir.join(p)).collect();
            let graph = j1ql_graph::load_paths(&paths, LoadOptions::default())
                .map_err(|e| e.to_string())?;
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            return Ok(Workspace {
                graph,
                now_ms,
                source: dir.join(j1ql_config::FILE_NAME).display().to_string(),
            });
        }
    }
    let graph = demo::graph().map_err(|e| format!("demo graph: {e}"))?;
    Ok(Workspace {
        graph,
        now_ms: demo::DEMO_NOW_MS,
        source: "demo".into(),
    })
}

/// Runs one query: the J1-shaped JSON result.
pub fn run(workspace: &Workspace, query: &str) -> Result<serde_json::Value, String> {
    let options = EvalOptions {
        values: ValueContext {
            now_ms: workspace.now_ms,
            ..ValueContext::default()
        },
        ..EvalOptions::default()
    };
    run_query(query, &workspace.graph, &Context::builtin(), &options)
        .map(|r| r.to_json())
        .map_err(|e| e.to_string())
}

/// How many results a query has.
pub fn count(workspace: &Workspace, query: &str) -> Result<usize, String> {
    let options = EvalOptions {
        values: ValueContext {
            now_ms: workspace.now_ms,
            ..ValueContext::default()
        },
        ..EvalOptions::default()
    };
    run_query(query, &workspace.graph, &Context::builtin(), &options)
        .map(|r| r.len())
        .map_err(|e| e.to_string())
}
