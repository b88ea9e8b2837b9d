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
        include_deleted: args.include_deleted || project.config().include_deleted,
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

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl ProgressState {
    /// The line for `event`, remembering the rows and pages so far.
    fn text(&mut self, event: &Event) -> String {
        match event {
            Event::Page { pages, rows, total } => {
                self.pages = *pages;
                self.rows = *rows;
                match total {
                    Some(t) => format!("{rows} of {t} rows, {}", plural(*pages, "page")),
                    None => format!("{rows} rows, {}", plural(*pages, "page")),
                }
            }
            Event::Retry { reason, wait } => format!(
                "{} rows, {}; {reason}, retrying in {:.1} s",
                self.rows,
                plural(self.pages, "page"),
                wait.as_secs_f64()
            ),
            Event::Waiting { elapsed } => format!(
                "{} rows, {}; the deferred query has run {} s",
                self.rows,
                plural(self.pages, "page"),
                elapsed.as_secs()
            ),
        }
    }
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
            let text = s.text(event);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_count_rows_pages_retries_and_waits() {
        let mut s = ProgressState {
            enabled: true,
            started: Instant::now(),
            drawn: false,
            rows: 0,
            pages: 0,
        };
        let page = |pages, rows| Event::Page {
            pages,
            rows,
            total: None,
        };
        assert_eq!(s.text(&page(1, 250)), "250 rows, 1 page");
        assert_eq!(
            s.text(&Event::Retry {
                reason: "429".into(),
                wait: Duration::from_millis(1250)
            }),
            "250 rows, 1 page; 429, retrying in 1.2 s"
        );
        assert_eq!(
            s.text(&Event::Waiting {
                elapsed: Duration::from_secs(3)
            }),
            "250 rows, 1 page; the deferred query has run 3 s"
        );
        assert_eq!(
            s.text(&Event::Page {
                pages: 2,
                rows: 500,
                total: Some(620)
            }),
            "500 of 620 rows, 2 pages"
        );
    }

    #[test]
    fn nothing_is_drawn_off_a_terminal() {
        let progress = Progress::new(false);
        (progress.observer())(&Event::Page {
            pages: 1,
            rows: 1,
            total: None,
        });
        assert!(!progress.state.lock().unwrap().drawn);
    }
}
