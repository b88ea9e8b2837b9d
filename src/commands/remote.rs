//! What `run --remote`, `pull` and `test --remote` share: the client built from the
//! project's settings and the command line, and the progress line (the work is in
//! `crates/j1ql-remote`; docs/remote.md).

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use j1ql_project::Project;
use j1ql_remote::{Client, Event, QueryOptions, RemoteError, RetryPolicy};

use crate::cli::RemoteArgs;
use crate::output::CliError;

/// A progress line is drawn only after a fetch has run this long.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// The project of the current folder (for `[remote]` and `[params]`).
pub(crate) fn project() -> Result<Project, CliError> {
    Project::discover(std::path::Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))
}

/// The client for the project's live account, with the command line's timeout and attempts,
/// drawing a progress line on stderr when it is a terminal.
pub(crate) fn client(project: &Project, args: &RemoteArgs) -> Result<(Client, Progress), CliError> {
    let settings = project.remote_settings().map_err(|e| CliError::msg(e.0))?;
    let policy = RetryPolicy {
        max_attempts: args.attempts,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        connect_timeout: Duration::from_secs(args.timeout.clamp(1, 10)),
        ..RetryPolicy::default()
    };
    let progress = Progress::new(std::io::stderr().is_terminal());
    let client = Client::new(settings, policy)
        .map_err(|e| CliError::msg(e.to_string()))?
        .with_observer(progress.observer());
    Ok((client, progress))
}

/// The query options of the command line, with the project's `[params]` and `--param`
/// values as variables.
pub(crate) fn query_options(
    project: &Project,
    args: &RemoteArgs,
    params: &[String],
) -> Result<QueryOptions, CliError> {
    let mut variables: serde_json::Map<String, serde_json::Value> = project
        .params()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    variables.extend(crate::commands::run::parse_params(params)?);
    Ok(QueryOptions {
        include_deleted: args.include_deleted,
        deferred: args.deferred,
        max_rows: args.max_rows,
        variables,
    })
}

/// A remote failure as the command's error: a refused query is the input's problem (exit 1,
/// as a local refusal), anything else means the command could not do its job (exit 2).
pub(crate) fn failure(e: RemoteError) -> Result<crate::output::Outcome, CliError> {
    match e {
        RemoteError::Query { .. } => {
            eprintln!("error: {e}");
            Ok(crate::output::Outcome::Problems)
        }
        other => Err(CliError::msg(other.to_string())),
    }
}

/// The progress line: pages and rows so far, retries and deferred waits, redrawn in place
/// on a terminal after the fetch has run a second; nothing when stderr is not a terminal.
#[derive(Clone)]
pub(crate) struct Progress {
    state: Arc<Mutex<ProgressState>>,
}

struct ProgressState {
    enabled: bool,
    started: Instant,
    drawn: bool,
    rows: usize,
    pages: usize,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress {
            state: Arc::new(Mutex::new(ProgressState {
                enabled,
                started: Instant::now(),
                drawn: false,
                rows: 0,
                pages: 0,
            })),
        }
    }

    fn observer(&self) -> j1ql_remote::Observer {
        let state = self.state.clone();
        Arc::new(move |event: &Event| {
            let Ok(mut s) = state.lock() else { return };
            if !s.enabled {
                return;
            }
            let text = match event {
                Event::Page { pages, rows, total } => {
                    s.pages = *pages;
                    s.rows = *rows;
                    match total {
                        Some(t) => format!("{rows} of {t} rows, {pages} pages"),
                        None => format!("{rows} rows, {pages} pages"),
                    }
                }
                Event::Retry { reason, wait } => format!(
                    "{} rows, {} pages; {reason}, retrying in {:.1} s",
                    s.rows,
                    s.pages,
                    wait.as_secs_f64()
                ),
                Event::Waiting { elapsed } => format!(
                    "{} rows, {} pages; the deferred query has run {} s",
                    s.rows,
                    s.pages,
                    elapsed.as_secs()
                ),
            };
            if s.started.elapsed() >= PROGRESS_AFTER {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2Kj1ql: {text}");
                let _ = err.flush();
                s.drawn = true;
            }
        })
    }

    /// Clears the line, if one was drawn, before results or errors are printed.
    pub(crate) fn finish(&self) {
        if let Ok(mut s) = self.state.lock() {
            if s.drawn {
                eprint!("\r\x1b[2K");
                s.drawn = false;
            }
        }
    }
}
