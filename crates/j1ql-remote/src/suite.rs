//! `j1ql test --remote`: every query of a suite on its fixtures and on the live account, and
//! where the answers differ (docs/remote.md, "Checking fixtures against the account").

use std::path::PathBuf;

use j1ql_test::Suite;
use serde_json::{json, Value};

use crate::client::Client;
use crate::compare::{compare, RowDiff};
use crate::error::RemoteError;
use crate::query::QueryOptions;

/// One query's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryComparison {
    /// The test file.
    pub file: PathBuf,
    /// The query's name in it.
    pub name: String,
    /// Its line in the file.
    pub line: usize,
    /// What was found.
    pub outcome: Outcome,
}

/// What comparing one query found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Both answers have the same rows.
    Same {
        /// How many.
        rows: usize,
    },
    /// The answers differ.
    Differ(RowDiff),
    /// The fixtures could not answer (the query is refused or fails locally).
    LocalFailed(String),
    /// The account could not answer.
    RemoteFailed(String),
}

impl Outcome {
    /// Whether this is a difference or a failure.
    pub fn failed(&self) -> bool {
        !matches!(self, Outcome::Same { .. })
    }
}

/// Runs every query of the suites (those whose name contains `filter`, in any case) locally
/// and remotely; `progress` sees each comparison as it is made. An error stops before any
/// query when a suite does not load; a refused key stops at once (every query would fail the
/// same way).
pub async fn compare_suites(
    client: &Client,
    suites: &[Suite],
    filter: Option<&str>,
    options: &QueryOptions,
    progress: &mut dyn FnMut(&QueryComparison),
) -> Result<Vec<QueryComparison>, RemoteError> {
    let mut out = Vec::new();
    let filter = filter.map(str::to_lowercase);
    for suite in suites {
        let loaded = j1ql_test::load(suite).map_err(RemoteError::Settings)?;
        let mut options = options.clone();
        for (k, v) in loaded.project().params() {
            options.variables.entry(k.clone()).or_insert(v.clone());
        }
        for file in &suite.files {
            let cases = j1ql_test::read_cases(file)
                .map_err(|e| RemoteError::Settings(format!("{}: {e}", file.display())))?;
            for case in cases {
                let full = format!("{}::{}", file.display(), case.name).to_lowercase();
                if filter.as_ref().is_some_and(|f| !full.contains(f.as_str())) {
                    continue;
                }
                let local = j1ql_test::run_case(&loaded, &case.query).map(|(r, _)| r);
                let remote = match client.query(&case.query, &options).await {
                    Ok(answer) => answer.to_result(),
                    Err(e @ RemoteError::Refused { .. }) => return Err(e),
                    Err(e) => Err(e),
                };
                let outcome = match (local, remote) {
                    (Err(e), _) => Outcome::LocalFailed(e),
                    (_, Err(e)) => Outcome::RemoteFailed(e.to_string()),
                    (Ok(l), Ok(r)) => {
                        let diff = compare(&l, &r);
                        if diff.is_empty() {
                            Outcome::Same { rows: diff.same }
                        } else {
                            Outcome::Differ(diff)
                        }
                    }
                };
                let comparison = QueryComparison {
                    file: file.clone(),
                    name: case.name.clone(),
                    line: case.line,
                    outcome,
                };
                progress(&comparison);
                out.push(comparison);
            }
        }
    }
    Ok(out)
}

/// The report for people: one line per query (`ok` / `DIFF` / `FAIL`), the diff lines under
/// each difference, and the [`summary`].
pub fn human(comparisons: &[QueryComparison]) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&line(c));
    }
    out.push('\n');
    out.push_str(&summary(comparisons));
    out
}

/// `N queries compared: S same, D different or failed`.
pub fn summary(comparisons: &[QueryComparison]) -> String {
    let failed = comparisons.iter().filter(|c| c.outcome.failed()).count();
    format!(
        "{} quer{} compared: {} same, {} different or failed\n",
        comparisons.len(),
        if comparisons.len() == 1 { "y" } else { "ies" },
        comparisons.len() - failed,
        failed
    )
}

/// One comparison for people.
pub fn line(c: &QueryComparison) -> String {
    let place = format!("{}:{} {}", c.file.display(), c.line, c.name);
    match &c.outcome {
        Outcome::Same { rows } => format!("ok   {place} ({rows} rows)\n"),
        Outcome::Differ(diff) => {
            let mut s = format!(
                "DIFF {place}: {} only in the fixtures, {} only on the account, {} in both\n",
                diff.only_local.len(),
                diff.only_remote.len(),
                diff.same
            );
            for l in diff.lines() {
                s.push_str(&format!("     {l}\n"));
            }
            s
        }
        Outcome::LocalFailed(e) => format!("FAIL {place}: on the fixtures: {e}\n"),
        Outcome::RemoteFailed(e) => format!("FAIL {place}: on the account: {e}\n"),
    }
}

/// The report as JSON: `{queries: [{file, line, name, status, ...}], failed}`.
pub fn json(comparisons: &[QueryComparison]) -> Value {
    let queries: Vec<Value> = comparisons
        .iter()
        .map(|c| {
            let mut q = json!({
                "file": c.file.display().to_string(),
                "line": c.line,
                "name": c.name,
            });
            match &c.outcome {
                Outcome::Same { rows } => {
                    q["status"] = "same".into();
                    q["rows"] = (*rows).into();
                }
                Outcome::Differ(d) => {
                    q["status"] = "differ".into();
                    q["onlyLocal"] = d.only_local.clone().into();
                    q["onlyRemote"] = d.only_remote.clone().into();
                    q["same"] = d.same.into();
                    if let Some((l, r)) = &d.kinds {
                        q["types"] = json!({ "local": l, "remote": r });
                    }
                }
                Outcome::LocalFailed(e) => {
                    q["status"] = "local-failed".into();
                    q["error"] = e.clone().into();
                }
                Outcome::RemoteFailed(e) => {
                    q["status"] = "remote-failed".into();
                    q["error"] = e.clone().into();
                }
            }
            q
        })
        .collect();
    let failed = comparisons.iter().filter(|c| c.outcome.failed()).count();
    json!({ "queries": queries, "failed": failed })
}
