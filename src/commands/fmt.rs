//! `j1ql fmt [PATH...|-] [--check]`: formats J1QL in place.
//!
//! Folders are searched recursively for `*.j1ql`; files given by name may also be YAML or JSON
//! question/rule files or Markdown (their embedded queries are formatted in place, see
//! [`crate::embedded`]). `-` reads standard input and writes the result to standard output.
//! `--check` changes nothing: it prints a diff of each file that would change and exits 1.
//! A document with syntax errors is left as it is and its errors are reported (exit 1).

use std::path::PathBuf;

use j1ql_syntax::{SyntaxError, TextRange, TextSize};

use crate::diagnostic_render::Source;
use crate::embedded::{self, Configs, HostKind};
use crate::input::{self, STDIN_NAME};
use crate::output::{print_stdout, CliError, Outcome};

/// The result of formatting one host file.
struct Formatted {
    text: String,
    /// Syntax errors (host positions) of regions left untouched.
    errors: Vec<SyntaxError>,
    /// Other reasons a region was left untouched.
    notes: Vec<String>,
}

fn format_host(name: &str, host: &str, options: &j1ql_fmt::FormatOptions) -> Formatted {
    let kind = if name == STDIN_NAME {
        HostKind::J1ql
    } else {
        HostKind::of(name)
    };
    let mut edits = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    for region in embedded::extract(kind, host) {
        if region.text.trim().is_empty() && kind != HostKind::J1ql {
            continue;
        }
        let result = if region.single_line() {
            j1ql_fmt::format_compact(&region.text, options)
        } else {
            j1ql_fmt::format(&region.text, options)
        };
        match result {
            Ok(formatted) => {
                let formatted = region.fit(formatted);
                if formatted == region.text {
                    continue;
                }
                match region.encode(&formatted) {
                    Some(new_text) => edits.push(j1ql_fmt::TextEdit {
                        range: TextRange::new(
                            TextSize::from(region.host_start as u32),
                            TextSize::from(region.host_end as u32),
                        ),
                        new_text,
                    }),
                    None => notes.push(format!(
                        "{name}: a query at byte {} does not fit on one line: left as it is",
                        region.host_start
                    )),
                }
            }
            Err(j1ql_fmt::FormatError::Syntax(errs)) => {
                for e in errs {
                    let start = region.host_offset(e.range.start().into());
                    let end = region.host_offset(e.range.end().into()).max(start);
                    errors.push(SyntaxError::new(
                        e.code,
                        e.message,
                        TextRange::new((start as u32).into(), (end as u32).into()),
                    ));
                }
            }
            Err(e) => notes.push(format!("{name}: {e}")),
        }
    }
    Formatted {
        text: j1ql_fmt::apply_edits(host, &edits),
        errors,
        notes,
    }
}

pub fn run(paths: &[PathBuf], check: bool) -> Result<Outcome, CliError> {
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
    let mut problems = false;
    let mut changed = 0usize;
    let mut unchanged = 0usize;
    let mut report = String::new();
    for file in &files {
        let config = match configs.for_file(&file.name) {
            Ok(c) => c,
            Err(e) => return Err(CliError::msg(format!("invalid configuration: {e}"))),
        };
        let result = format_host(&file.name, &file.text, &config.format);
        if !result.errors.is_empty() {
            problems = true;
            let source = Source::new(&file.name, &file.text);
            for e in &result.errors {
                let d = source.diagnostic(e, true);
                source.render(&d, &mut report);
            }
            eprint!("{report}");
            report.clear();
            eprintln!(
                "{}: {} syntax error{}: the query is left as it is",
                file.name,
                result.errors.len(),
                if result.errors.len() == 1 { "" } else { "s" }
            );
        }
        for note in &result.notes {
            problems = true;
            eprintln!("error: {note}");
        }
        if file.name == STDIN_NAME {
            if check {
                if result.text != file.text {
                    print_stdout(&diff(&file.name, &file.text, &result.text))?;
                    changed += 1;
                }
            } else {
                print_stdout(&result.text)?;
            }
            continue;
        }
        if result.text == file.text {
            unchanged += 1;
            continue;
        }
        changed += 1;
        if check {
            print_stdout(&diff(&file.name, &file.text, &result.text))?;
        } else {
            std::fs::write(&file.name, &result.text).map_err(|e| {
                CliError::msg(format!(
                    "cannot write `{}`: {}",
                    file.name,
                    input::describe(&e)
                ))
            })?;
        }
    }
    let is_stdin_only = files.iter().all(|f| f.name == STDIN_NAME);
    if !is_stdin_only || check {
        let word = |n: usize| if n == 1 { "file" } else { "files" };
        if check {
            eprintln!(
                "{changed} {} would be reformatted, {unchanged} {} already formatted",
                word(changed),
                word(unchanged)
            );
        } else {
            eprintln!(
                "{changed} {} reformatted, {unchanged} {} left unchanged",
                word(changed),
                word(unchanged)
            );
        }
    }
    Ok(if !read_errors.is_empty() {
        Outcome::Incomplete
    } else if problems || (check && changed > 0) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// A unified diff of a file that would change.
fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}
