//! `j1ql check FILE...|-`: syntax errors and semantic diagnostics (errors and warnings), for
//! people or as JSON. Exits 1 on any error; warnings alone do not fail the check.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::Format;
use crate::diagnostic_render::{Diagnostic, Severity, Source};
use crate::input;
use crate::output::{print_json, print_stdout, CliError, Outcome};

/// The `--format json` document.
#[derive(Serialize)]
struct Report {
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    /// Documents checked.
    files: usize,
    /// Errors found, over all documents.
    errors: usize,
    /// Warnings found, over all documents.
    warnings: usize,
}

pub fn run(paths: &[PathBuf], format: Format) -> Result<Outcome, CliError> {
    let (files, read_errors) = input::collect_documents(paths);
    for error in &read_errors {
        eprintln!("error: {error}");
    }

    let mut diagnostics = Vec::new();
    let mut human = String::new();
    let mut files_with_errors = 0;
    let context = j1ql_semantics::Context::builtin();
    for file in &files {
        let analysis = j1ql_semantics::analyze(&file.text, &context);
        let source = Source::new(&file.name, &file.text);
        let mut found: Vec<Diagnostic> = analysis
            .parse
            .errors()
            .iter()
            .map(|e| source.diagnostic(e, true))
            .collect();
        found.extend(
            analysis
                .diagnostics()
                .filter(|d| d.severity >= j1ql_semantics::Severity::Warning)
                .map(|d| source.semantic(d, true)),
        );
        if found.is_empty() {
            continue;
        }
        found.sort_by_key(|d| (d.range.start, d.range.end));
        if found.iter().any(|d| d.severity == Severity::Error) {
            files_with_errors += 1;
        }
        for diagnostic in found {
            if format == Format::Human {
                if !human.is_empty() {
                    human.push('\n');
                }
                source.render(&diagnostic, &mut human);
            }
            diagnostics.push(diagnostic);
        }
    }

    let error_count = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warning_count = diagnostics.len() - error_count;
    match format {
        Format::Human => {
            print_stdout(&human)?;
            let files_word = plural(files.len(), "file", "files");
            if error_count == 0 && read_errors.is_empty() {
                let warnings = match warning_count {
                    0 => String::new(),
                    n => format!(", {n} {}", plural(n, "warning", "warnings")),
                };
                eprintln!("{} {files_word} checked, no errors{warnings}", files.len());
            } else if error_count > 0 {
                eprintln!(
                    "{error_count} {} in {files_with_errors} of {} {files_word} checked",
                    plural(error_count, "error", "errors"),
                    files.len()
                );
            }
        }
        Format::Json => print_json(&Report {
            diagnostics,
            summary: Summary {
                files: files.len(),
                errors: error_count,
                warnings: warning_count,
            },
        })?,
    }

    Ok(if !read_errors.is_empty() {
        Outcome::Incomplete
    } else if error_count > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
