//! `j1ql check FILE...|-`: syntax errors as diagnostics, for people or as JSON.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::Format;
use crate::diagnostic_render::{Diagnostic, Source};
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
}

pub fn run(paths: &[PathBuf], format: Format) -> Result<Outcome, CliError> {
    let (files, read_errors) = input::collect_documents(paths);
    for error in &read_errors {
        eprintln!("error: {error}");
    }

    let mut diagnostics = Vec::new();
    let mut human = String::new();
    let mut files_with_errors = 0;
    for file in &files {
        let parse = j1ql_syntax::parse(&file.text);
        if parse.errors().is_empty() {
            continue;
        }
        files_with_errors += 1;
        let source = Source::new(&file.name, &file.text);
        for error in parse.errors() {
            let diagnostic = source.diagnostic(error, true);
            if format == Format::Human {
                if !human.is_empty() {
                    human.push('\n');
                }
                source.render(&diagnostic, &mut human);
            }
            diagnostics.push(diagnostic);
        }
    }

    let error_count = diagnostics.len();
    match format {
        Format::Human => {
            print_stdout(&human)?;
            let files_word = plural(files.len(), "file", "files");
            if error_count == 0 && read_errors.is_empty() {
                eprintln!("{} {files_word} checked, no errors", files.len());
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
