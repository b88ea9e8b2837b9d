//! `j1ql fmt [PATH...|-] [--check]`: formats J1QL in place.
//!
//! Folders are searched for every host file (J1QL, question YAML, rule-pack/dashboard JSON,
//! Markdown, Terraform; see `j1ql_project::files`); the queries of each are formatted in
//! place and written back in the host's own syntax (`j1ql_project::rewrite`, checked by a real
//! parser of the format; what cannot be written back exactly is left and reported). Files are
//! written atomically and never through a link leaving the repository. `-` reads standard
//! input and writes the result to standard output. `--check` changes nothing: it prints a
//! diff of each file that would change and exits 1. A query with syntax errors is left as it
//! is and its errors are reported (exit 1). CRLF files stay CRLF.

use std::path::PathBuf;

use j1ql_project::{HostKind, Projects};
use j1ql_syntax::{SyntaxError, TextRange};

use crate::diagnostic_render::Source;
use crate::input;
use crate::output::{print_stdout, CliError, Outcome};

/// The result of formatting one host file.
struct Formatted {
    text: String,
    /// Syntax errors (host positions) of regions left untouched.
    errors: Vec<SyntaxError>,
    /// Other reasons a region was left untouched (fail the run).
    notes: Vec<String>,
    /// Parts of the host that hold J1QL but cannot be mapped (warnings only).
    warnings: Vec<String>,
}

fn format_host(
    name: &str,
    kind: HostKind,
    host: &str,
    options: &j1ql_fmt::FormatOptions,
) -> Formatted {
    let extraction = j1ql_project::extract(kind, host);
    let mut edits = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let warnings = extraction
        .unmapped
        .iter()
        .map(|u| format!("{name}: byte {}: {}", u.range.start, u.reason))
        .collect();
    for (i, region) in extraction.regions.iter().enumerate() {
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
                if formatted != region.text {
                    edits.push((i, formatted));
                }
            }
            Err(j1ql_fmt::FormatError::Syntax(errs)) => {
                for e in errs {
                    let r = region.host_range_of(e.range.start().into()..e.range.end().into());
                    errors.push(SyntaxError::new(
                        e.code,
                        e.message,
                        TextRange::new((r.start as u32).into(), (r.end as u32).into()),
                    ));
                }
            }
            Err(e) => notes.push(format!("{name}: {e}")),
        }
    }
    let rewrite = j1ql_project::rewrite(kind, host, &extraction, &edits);
    for (i, why) in &rewrite.left {
        notes.push(format!(
            "{name}: the query at byte {} is left as it is: {why}",
            extraction.regions[*i].host_range.start
        ));
    }
    Formatted {
        text: rewrite.text,
        errors,
        notes,
        warnings,
    }
}

pub fn run(paths: &[PathBuf], check: bool) -> Result<Outcome, CliError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut projects = Projects::default();
    let (files, read_errors) = input::collect_documents(paths, &mut projects);
    for error in &read_errors {
        eprintln!("error: {error}");
    }
    let mut problems = false;
    let mut changed = 0usize;
    let mut unchanged = 0usize;
    let mut writes = crate::commands::write::Writes::default();
    let mut report = String::new();
    for file in &files {
        let project = projects
            .for_path(file.path.as_deref())
            .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
        let result = format_host(&file.name, file.kind, &file.text, &project.format_options());
        if !result.errors.is_empty() {
            problems = true;
            let source = Source::new(&file.name, &file.text);
            let found: Vec<_> = result
                .errors
                .iter()
                .map(|e| source.diagnostic(e, true))
                .collect();
            source.render_all(&found, &mut report);
            eprint!(
                "{}",
                crate::output::paint_headers(&report, crate::output::color(true))
            );
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
        for warning in &result.warnings {
            eprintln!("warning: {warning}");
        }
        if file.path.is_none() {
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
            writes.write(&file.name, &result.text, &project);
        }
    }
    let is_stdin_only = files.iter().all(|f| f.path.is_none());
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
    let write_failed = writes.finish("reformatted");
    Ok(if !read_errors.is_empty() || write_failed {
        Outcome::Incomplete
    } else if problems || (check && changed > 0) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// A unified diff of a file that would change (coloured on a terminal).
fn diff(name: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string();
    if crate::output::color(false) {
        j1ql_test::report::colour_diff(&diff, true)
    } else {
        diff
    }
}
