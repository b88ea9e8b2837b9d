//! `j1ql check [PATH...|-]`: what is wrong in the queries of J1QL files and of every host
//! format (YAML, JSON, Markdown, Terraform): syntax errors, semantic diagnostics, parameters
//! `[params]` lacks and regions the extractor cannot map, from the project's one diagnostics
//! pipeline (`j1ql-project`), which honours `j1ql.toml` and `// j1ql-ignore:` comments. Style
//! rules are `lint`'s. Exits 1 on any error; warnings alone do not fail the check.

use std::path::PathBuf;

use j1ql_project::Projects;
use serde::Serialize;

use crate::cli::Format;
use crate::commands::report::to_diagnostic;
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
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut projects = Projects::default();
    let (files, mut read_errors) = input::collect_documents(paths, &mut projects);

    let mut diagnostics = Vec::new();
    let mut human = String::new();
    let mut files_with_errors = 0;
    for file in &files {
        let project = match projects.for_path(file.path.as_deref()) {
            Ok(p) => p,
            Err(e) => {
                read_errors.push(CliError::msg(format!("invalid configuration: {e}")));
                continue;
            }
        };
        if let Some(problem) = project.data_problem() {
            read_errors.push(CliError::msg(problem));
        }
        let path = file
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(&file.name));
        let report = j1ql_project::diagnose(&project, &path, file.kind, &file.text);
        let source = Source::new(&file.name, &file.text);
        let found: Vec<Diagnostic> = report
            .findings
            .iter()
            .filter(|f| !f.is_style() && f.severity >= j1ql_lint::Severity::Warning)
            .map(|f| to_diagnostic(&file.name, f, true))
            .collect();
        if found.is_empty() {
            continue;
        }
        if found.iter().any(|d| d.severity == Severity::Error) {
            files_with_errors += 1;
        }
        if format == Format::Human {
            source.render_all(&found, &mut human);
        }
        diagnostics.extend(found);
    }
    read_errors.dedup_by(|a, b| a.to_string() == b.to_string());
    for error in &read_errors {
        eprintln!("error: {error}");
    }

    let error_count = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warning_count = diagnostics.len() - error_count;
    match format {
        Format::Human => {
            print_stdout(&crate::output::paint_headers(
                &human,
                crate::output::color(false),
            ))?;
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
