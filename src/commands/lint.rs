//! `j1ql lint [PATH...|-] [--fix] [--unsafe-fixes] [--format human|json|github|sarif]` and
//! `j1ql lint --explain CODE`.
//!
//! Reports every finding of the project's diagnostics pipeline (`j1ql-project`): syntax
//! errors, semantic diagnostics, lint rules (see the `j1ql-lint` registry), unknown parameters
//! and unmapped regions, in J1QL files and in queries embedded in YAML, JSON, Markdown and
//! Terraform files, with positions in the host file. `--fix` applies safe fixes in place
//! (atomically; `-`: the fixed text goes to standard output and every report to standard
//! error), `--unsafe-fixes` unsafe ones too. Exits 1 when an error-severity finding remains.

use std::path::PathBuf;

use clap::ValueEnum;
use j1ql_lint::{Applicability, Severity};
use j1ql_project::Projects;
use serde::Serialize;

use crate::input;
use crate::output::{print_stdout, CliError, Outcome};

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
    let fixing = fix || unsafe_fixes;
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut projects = Projects::default();
    let (files, mut read_errors) = input::collect_documents(paths, &mut projects);
    let mut findings = Vec::new();
    let mut fixed_count = 0usize;
    let mut writes = crate::commands::write::Writes::default();
    for file in &files {
        let project = match projects.for_path(file.path.as_deref()) {
            Ok(p) => p,
            Err(e) => {
                read_errors.push(CliError::msg(format!("invalid configuration: {e}")));
                continue;
            }
        };
        let path = file
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(&file.name));
        let options = project.lint_options(&path);
        let mut host = file.text.clone();
        if fixing {
            let extraction = j1ql_project::extract(file.kind, &host);
            let mut edits = Vec::new();
            let mut applied = Vec::new();
            for (i, region) in extraction.regions.iter().enumerate() {
                if region.text.trim().is_empty() {
                    continue;
                }
                let outcome =
                    j1ql_lint::fix_in(&region.text, &options, unsafe_fixes, &project.context());
                if outcome.applied == 0 {
                    continue;
                }
                edits.push((i, region.fit(outcome.text)));
                applied.push(outcome.applied);
            }
            let rewrite = j1ql_project::rewrite(file.kind, &host, &extraction, &edits);
            for (k, (i, _)) in edits.iter().enumerate() {
                if let Some((_, why)) = rewrite.left.iter().find(|(l, _)| l == i) {
                    eprintln!(
                        "warning: {}: a query at byte {} was not fixed: {why}",
                        file.name, extraction.regions[*i].host_range.start
                    );
                } else {
                    fixed_count += applied[k];
                }
            }
            host = rewrite.text;
            if file.path.is_none() {
                print_stdout(&host)?;
            } else if host != file.text {
                writes.write(&file.name, &host, &project);
            }
        }
        // What is left, positioned in the (fixed) host text.
        let report = j1ql_project::diagnose(&project, &path, file.kind, &host);
        findings.extend(report.findings.into_iter().map(|f| Finding {
            file: file.name.clone(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            code: f.code.as_str().to_string(),
            name: f.name.to_string(),
            severity: f.severity,
            message: f.message,
            fix: f.fix,
        }));
    }
    for error in &read_errors {
        eprintln!("error: {error}");
    }

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    // With `--fix -` the fixed text owns stdout: every report goes to stderr.
    let to_stderr = fixing && files.iter().any(|f| f.path.is_none());
    let mut out = String::new();
    match format {
        LintFormat::Human => {
            let painted = crate::output::color(to_stderr);
            for f in &findings {
                let mark = match f.fix {
                    Some(Applicability::Safe) => " [*]",
                    Some(Applicability::Unsafe) => " [unsafe fix]",
                    _ => "",
                };
                let level = crate::output::paint_severity(
                    &format!("{}[{}]", f.severity.as_str(), f.code),
                    f.severity.as_str(),
                    painted,
                );
                out.push_str(&format!(
                    "{}:{}:{}: {level} {}{mark}\n",
                    f.file, f.line, f.column, f.message
                ));
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
            emit(&out, to_stderr)?;
            eprintln!("{summary}");
            out.clear();
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
            out = serde_json::to_string_pretty(&Report {
                diagnostics: &findings,
                summary: Summary {
                    files: files.len(),
                    problems: findings.len(),
                    errors,
                    fixed: fixed_count,
                },
            })
            .map_err(|e| CliError::msg(e.to_string()))?;
            out.push('\n');
        }
        LintFormat::Github => {
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
        }
        LintFormat::Sarif => {
            out = serde_json::to_string_pretty(&sarif(&findings))
                .map_err(|e| CliError::msg(e.to_string()))?;
            out.push('\n');
        }
    }
    emit(&out, to_stderr)?;
    let write_failed = writes.finish("fixed");

    Ok(if !read_errors.is_empty() || write_failed {
        Outcome::Incomplete
    } else if errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Prints a report on stdout, or on stderr when stdout holds fixed text.
fn emit(text: &str, to_stderr: bool) -> Result<(), CliError> {
    if to_stderr {
        eprint!("{text}");
        Ok(())
    } else {
        print_stdout(text)
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
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
