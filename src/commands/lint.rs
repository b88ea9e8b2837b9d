//! `j1ql lint [PATH...|-] [--fix] [--unsafe-fixes] [--format human|json|github|sarif]` and
//! `j1ql lint --explain CODE`.
//!
//! Reports syntax errors, semantic diagnostics and lint findings (see the `j1ql-lint`
//! registry), in J1QL files and in queries embedded in YAML, JSON and Markdown files, with
//! positions in the host file. `--fix` applies safe fixes in place (`-`: the fixed text goes
//! to standard output), `--unsafe-fixes` unsafe ones too. Exits 1 when an error-severity
//! finding remains.

use std::path::PathBuf;

use clap::ValueEnum;
use j1ql_lint::{Applicability, LintDiagnostic, LintOptions, Severity};
use j1ql_syntax::line_index::LineIndex;
use j1ql_syntax::{TextRange, TextSize};
use serde::Serialize;

use crate::embedded::{self, Configs, HostKind};
use crate::input::{self, STDIN_NAME};
use crate::output::{print_json, print_stdout, CliError, Outcome};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `file:line:col: severity[CODE] message` lines and a summary.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (`::error file=...`).
    Github,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
}

/// One finding, positioned in its host file (1-based lines, character columns).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Finding {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    code: String,
    name: String,
    severity: Severity,
    message: String,
    /// `safe` or `unsafe` when a fix is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<Applicability>,
}

pub fn explain(code: &str) -> Result<Outcome, CliError> {
    match j1ql_lint::registry::rule(code) {
        Some(rule) => {
            print_stdout(&rule.explain())?;
            Ok(Outcome::Clean)
        }
        None => Err(CliError::msg(format!(
            "unknown rule `{code}`: the codes are {}",
            j1ql_lint::RULES
                .iter()
                .map(|r| r.code)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub fn run(
    paths: &[PathBuf],
    fix: bool,
    unsafe_fixes: bool,
    format: LintFormat,
) -> Result<Outcome, CliError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let (files, read_errors) = input::collect_documents(paths);
    for error in &read_errors {
        eprintln!("error: {error}");
    }
    let mut configs = Configs::default();
    let mut findings = Vec::new();
    let mut fixed_count = 0usize;
    for file in &files {
        let config = configs
            .for_file(&file.name)
            .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
        let options = LintOptions::for_path(&config, &file.name);
        let kind = if file.name == STDIN_NAME {
            HostKind::J1ql
        } else {
            HostKind::of(&file.name)
        };
        let mut host = file.text.clone();
        if fix || unsafe_fixes {
            let mut edits = Vec::new();
            for region in embedded::extract(kind, &host) {
                if region.text.trim().is_empty() {
                    continue;
                }
                let outcome = j1ql_lint::fix(&region.text, &options, unsafe_fixes);
                if outcome.applied == 0 {
                    continue;
                }
                if let Some(new_text) = region.encode(&region.fit(outcome.text)) {
                    fixed_count += outcome.applied;
                    edits.push(j1ql_lint::TextEdit {
                        range: TextRange::new(
                            TextSize::from(region.host_start as u32),
                            TextSize::from(region.host_end as u32),
                        ),
                        new_text,
                    });
                }
            }
            host = j1ql_lint::apply_edits(&host, &edits);
            if file.name == STDIN_NAME {
                print_stdout(&host)?;
            } else if host != file.text {
                std::fs::write(&file.name, &host).map_err(|e| {
                    CliError::msg(format!(
                        "cannot write `{}`: {}",
                        file.name,
                        input::describe(&e)
                    ))
                })?;
            }
        }
        // What is left, positioned in the (fixed) host text.
        let index = LineIndex::new(&host);
        for region in embedded::extract(kind, &host) {
            if region.text.trim().is_empty() {
                continue;
            }
            let diagnostics = j1ql_lint::lint(&region.text, &options);
            push_findings(&mut findings, &file.name, &index, diagnostics, |o| {
                region.host_offset(o)
            });
        }
    }

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let to_stderr = fix && files.iter().any(|f| f.name == STDIN_NAME);
    match format {
        LintFormat::Human => {
            let mut out = String::new();
            for f in &findings {
                let mark = match f.fix {
                    Some(Applicability::Safe) => " [*]",
                    Some(Applicability::Unsafe) => " [unsafe fix]",
                    _ => "",
                };
                out.push_str(&format!(
                    "{}:{}:{}: {}[{}] {}{mark}\n",
                    f.file,
                    f.line,
                    f.column,
                    f.severity.as_str(),
                    f.code,
                    f.message
                ));
            }
            if to_stderr {
                eprint!("{out}");
            } else {
                print_stdout(&out)?;
            }
            let fixable = findings
                .iter()
                .filter(|f| f.fix == Some(Applicability::Safe))
                .count();
            let mut summary = if findings.is_empty() {
                format!("{} checked, no problems", plural(files.len(), "file"))
            } else {
                format!(
                    "{} ({} error{}) in {} checked",
                    plural(findings.len(), "problem"),
                    errors,
                    if errors == 1 { "" } else { "s" },
                    plural(files.len(), "file")
                )
            };
            if fixed_count > 0 {
                summary.push_str(&format!("; {} fixed", plural(fixed_count, "problem")));
            }
            if fixable > 0 {
                summary.push_str(&format!("; {fixable} fixable with `--fix`"));
            }
            eprintln!("{summary}");
        }
        LintFormat::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                diagnostics: &'a [Finding],
                summary: Summary,
            }
            #[derive(Serialize)]
            struct Summary {
                files: usize,
                problems: usize,
                errors: usize,
                fixed: usize,
            }
            print_json(&Report {
                diagnostics: &findings,
                summary: Summary {
                    files: files.len(),
                    problems: findings.len(),
                    errors,
                    fixed: fixed_count,
                },
            })?;
        }
        LintFormat::Github => {
            let mut out = String::new();
            for f in &findings {
                let level = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    _ => "notice",
                };
                out.push_str(&format!(
                    "::{level} file={},line={},col={},endLine={},endColumn={},title={} {}::{}\n",
                    escape_property(&f.file),
                    f.line,
                    f.column,
                    f.end_line,
                    f.end_column,
                    f.code,
                    f.name,
                    escape_data(&f.message)
                ));
            }
            print_stdout(&out)?;
        }
        LintFormat::Sarif => print_json(&sarif(&findings))?,
    }

    Ok(if !read_errors.is_empty() {
        Outcome::Incomplete
    } else if errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn push_findings(
    out: &mut Vec<Finding>,
    file: &str,
    index: &LineIndex,
    diagnostics: Vec<LintDiagnostic>,
    to_host: impl Fn(usize) -> usize,
) {
    for d in diagnostics {
        let start = to_host(d.range.start().into());
        let end = to_host(d.range.end().into()).max(start);
        let s = index.line_col(TextSize::from(start as u32));
        let e = index.line_col(TextSize::from(end as u32));
        out.push(Finding {
            file: file.to_string(),
            line: s.line + 1,
            column: s.col_char + 1,
            end_line: e.line + 1,
            end_column: e.col_char + 1,
            code: d.code,
            name: d.name,
            severity: d.severity,
            message: d.message,
            fix: d.fix.map(|f| f.applicability),
        });
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn sarif(findings: &[Finding]) -> serde_json::Value {
    use serde_json::json;
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "note",
    };
    let rules: Vec<_> = j1ql_lint::RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.name },
                "fullDescription": { "text": r.doc },
                "help": { "text": r.explain() },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.file.replace('\\', "/") },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "j1ql", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }]
    })
}
