//! `j1ql corpus-check FILE.jsonl [--kinds k1,k2]`: parse every query of a JSON-lines corpus.
//!
//! A row passes when its query parses with no syntax error and the tree's text equals the
//! query byte for byte. CI runs this over the shipped kinds of `$J1QL_CORPUS/queries.jsonl`
//! (the corpus folder), where the bar is zero failures.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::cli::Format;
use crate::diagnostic_render::{Diagnostic, Source};
use crate::input::describe;
use crate::output::{print_json, print_stdout, CliError, Outcome};

/// The kind given to rows without a `source_kind`.
const UNKNOWN_KIND: &str = "unknown";

/// One row of the corpus, as read.
struct Row {
    /// 1-based line in the file.
    line: usize,
    query: String,
    kind: String,
    repo: Option<String>,
    path: Option<String>,
}

/// The `--format json` document.
#[derive(Serialize)]
struct Report<'a> {
    file: String,
    /// The kinds asked for (empty: all).
    kinds: &'a [String],
    summary: Summary,
    failures: Vec<Failure>,
}

#[derive(Serialize, Default)]
struct Summary {
    passed: usize,
    failed: usize,
    /// Rows whose tree's text equals the query (should be all).
    lossless: usize,
    #[serde(rename = "byKind")]
    by_kind: BTreeMap<String, KindSummary>,
}

#[derive(Serialize, Default, Clone, Copy)]
struct KindSummary {
    passed: usize,
    failed: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Failure {
    /// 1-based line of the row in the corpus file.
    line: usize,
    source_kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    query: String,
    /// Whether the tree's text equals the query.
    lossless: bool,
    /// Positions are within the query.
    diagnostics: Vec<Diagnostic>,
}

pub fn run(file: &Path, kinds: &[String], format: Format) -> Result<Outcome, CliError> {
    let rows = read_rows(file)?;
    if rows.is_empty() {
        // An empty corpus checks nothing: that is a broken input, not a pass.
        return Err(CliError::msg(format!(
            "`{}` has no rows: nothing to check",
            file.display()
        )));
    }
    for kind in kinds {
        if !rows.iter().any(|r| &r.kind == kind) {
            return Err(CliError::msg(format!(
                "no rows with source_kind `{kind}` in `{}` (kinds present: {})",
                file.display(),
                kinds_present(&rows)
            )));
        }
    }

    let mut summary = Summary::default();
    let mut failures = Vec::new();
    for row in rows
        .into_iter()
        .filter(|r| kinds.is_empty() || kinds.contains(&r.kind))
    {
        let parse = j1ql_syntax::parse(&row.query);
        let lossless = parse.syntax_node().to_string() == row.query;
        let by_kind = summary.by_kind.entry(row.kind.clone()).or_default();
        if lossless {
            summary.lossless += 1;
        }
        if lossless && parse.errors().is_empty() {
            summary.passed += 1;
            by_kind.passed += 1;
            continue;
        }
        summary.failed += 1;
        by_kind.failed += 1;
        let source = Source::new("query", &row.query);
        let diagnostics = parse
            .errors()
            .iter()
            .map(|e| source.diagnostic(e, false))
            .collect();
        failures.push(Failure {
            line: row.line,
            source_kind: row.kind,
            repo: row.repo,
            path: row.path,
            query: row.query,
            lossless,
            diagnostics,
        });
    }

    let outcome = if summary.failed == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    };
    match format {
        Format::Json => print_json(&Report {
            file: file.display().to_string(),
            kinds,
            summary,
            failures,
        })?,
        Format::Human => print_stdout(&human_report(file, &summary, &failures))?,
    }
    Ok(outcome)
}

fn human_report(file: &Path, summary: &Summary, failures: &[Failure]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for failure in failures {
        let origin = match (&failure.repo, &failure.path) {
            (Some(repo), Some(path)) => format!(", {repo} {path}"),
            (None, Some(path)) => format!(", {path}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "FAIL {}:{} ({}{origin})",
            file.display(),
            failure.line,
            failure.source_kind
        );
        if !failure.lossless {
            let _ = writeln!(out, "the tree's text differs from the query");
        }
        let source = Source::new("query", &failure.query);
        for diagnostic in &failure.diagnostics {
            source.render(diagnostic, &mut out);
        }
        out.push('\n');
    }
    for (kind, k) in &summary.by_kind {
        let total = k.passed + k.failed;
        let _ = writeln!(out, "  {kind}: {} of {total} parse cleanly", k.passed);
    }
    if summary.lossless != summary.passed + summary.failed {
        let _ = writeln!(
            out,
            "  {} trees differ from their query text",
            summary.passed + summary.failed - summary.lossless
        );
    }
    let _ = writeln!(out, "{} passed, {} failed", summary.passed, summary.failed);
    out
}

fn read_rows(file: &Path) -> Result<Vec<Row>, CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::msg(format!(
            "cannot read the corpus `{}`: {}",
            file.display(),
            describe(&e)
        ))
    })?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what: String| CliError::msg(format!("{}:{line_no}: {what}", file.display()));
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| bad("expected a JSON object".to_string()))?;
        let query = object
            .get("query")
            .and_then(|q| q.as_str())
            .ok_or_else(|| bad("expected a string field `query`".to_string()))?;
        let text_field = |name: &str| object.get(name).and_then(|v| v.as_str()).map(String::from);
        rows.push(Row {
            line: line_no,
            query: query.to_string(),
            kind: text_field("source_kind").unwrap_or_else(|| UNKNOWN_KIND.to_string()),
            repo: text_field("repo"),
            path: text_field("path"),
        });
    }
    Ok(rows)
}

fn kinds_present(rows: &[Row]) -> String {
    let mut kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.is_empty() {
        "none".to_string()
    } else {
        kinds.join(", ")
    }
}
