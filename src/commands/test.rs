//! `j1ql test [PATH...] [--review | --accept | --check] [--filter NAME] [--format ...]`:
//! snapshot-tested query suites (the logic is in the `j1ql-test` crate).

use std::path::PathBuf;

use j1ql_test::{report, review, Mode, Options};

use crate::output::{print_json, print_stdout, CliError, Outcome};

/// How `test` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// A progress line per file, failures with diffs, a summary.
    Human,
    /// JUnit XML on stdout.
    Junit,
    /// One JSON document on stdout.
    Json,
}

fn colour() -> bool {
    crate::output::color(false)
}

/// The options of a local `j1ql test` (not `--remote`).
pub struct LocalArgs {
    pub review: bool,
    pub accept: bool,
    pub check: bool,
    pub filter: Option<String>,
    pub format: TestFormat,
    pub demo: bool,
    /// `--include-deleted`: every suite keeps `_deleted: true` items (as `include-deleted`).
    pub include_deleted: bool,
    /// `--budget`: the work budget per query, over `J1QL_BUDGET` and `[run] budget`.
    pub budget: Option<u64>,
}

pub fn run(paths: &[PathBuf], args: LocalArgs) -> Result<Outcome, CliError> {
    let LocalArgs {
        review: review_mode,
        accept,
        check,
        filter,
        format,
        demo,
        include_deleted,
        budget,
    } = args;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let (mut suites, notes) =
        j1ql_test::discover_with_notes(&paths).map_err(|e| CliError::msg(e.to_string()))?;
    for suite in &mut suites {
        suite.config.include_deleted |= include_deleted;
    }
    for note in &notes {
        eprintln!("warning: {note}");
    }
    if suites.iter().all(|s| s.files.is_empty()) {
        return Err(CliError::msg(
            "no test files (*.j1ql, question YAML, alert rule-pack JSON) under the given paths",
        ));
    }
    if let Some(s) = suites.iter().find(|s| s.config_path.is_none()) {
        if !demo {
            return Err(CliError::msg(format!(
                "`{}` is not in a test suite (no j1ql.toml in it or above it): make one with a \
                 `j1ql.toml` naming its fixtures (`data = [\"fixtures\"]`, `now = \"2025-01-01T00:00:00Z\"`), \
                 or pass `--demo` to run on the demo account (docs/testing-queries.md)",
                s.files.first().map_or_else(|| s.root.display().to_string(), |f| f.display().to_string())
            )));
        }
    }
    let mode = if accept {
        Mode::Accept
    } else if check {
        Mode::Check
    } else {
        Mode::Write
    };
    let options = Options {
        mode,
        filter,
        budget,
    };
    let color = colour();
    let human = format == TestFormat::Human;
    let mut progress_error = None;
    let report = j1ql_test::run(&suites, &options, &mut |file| {
        if human {
            if let Err(e) = print_stdout(&report::progress_line(file, color)) {
                progress_error.get_or_insert(e);
            }
        }
    });
    if let Some(e) = progress_error {
        return Err(e);
    }
    match format {
        TestFormat::Human => {
            let mut out = String::new();
            for f in &report.files {
                out.push_str(&report::failures(f, color));
            }
            out.push('\n');
            out.push_str(&report::summary(&report, color));
            print_stdout(&out)?;
        }
        TestFormat::Junit => print_stdout(&report::junit(&report))?,
        TestFormat::Json => print_json(&report::json(&report))?,
    }
    let mut failed = report.failed();
    if let Some(f) = &options.filter {
        if report.files.iter().all(|file| file.cases.is_empty()) {
            eprintln!("error: no query matches --filter `{f}`");
            failed += 1;
        }
    }
    if review_mode {
        let pending = review::pending(&suites);
        if pending.is_empty() {
            print_stdout("no snapshots to review\n")?;
        } else {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut out = std::io::stdout().lock();
            review::review(&pending, &mut input, &mut out, color)?;
            drop(out);
            // The verdict is the suites' state after the review.
            let after = j1ql_test::run(
                &suites,
                &Options {
                    mode: Mode::Check,
                    filter: options.filter.clone(),
                    budget: options.budget,
                },
                &mut |_| {},
            );
            failed = after.failed();
            print_stdout(&format!("after review: {}", report::summary(&after, color)))?;
        }
    }
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

/// `test --remote`: every query of the suites on their fixtures and on the live account, the
/// rows that differ per query (the comparison is `j1ql_remote::suite`); exit 1 on any
/// difference or failure.
pub fn run_remote(
    paths: &[PathBuf],
    filter: Option<String>,
    format: TestFormat,
    remote_args: &crate::cli::RemoteArgs,
) -> Result<Outcome, CliError> {
    use crate::commands::remote;
    if format == TestFormat::Junit {
        return Err(CliError::msg(
            "--format junit is not available with --remote (use human or json)",
        ));
    }
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let (suites, notes) =
        j1ql_test::discover_with_notes(&paths).map_err(|e| CliError::msg(e.to_string()))?;
    for note in &notes {
        eprintln!("warning: {note}");
    }
    if let Some(s) = suites.iter().find(|s| s.config_path.is_none()) {
        return Err(CliError::msg(format!(
            "`{}` is not in a test suite (no j1ql.toml in it or above it): `test --remote` \
             compares a suite's fixtures with the account",
            s.root.display()
        )));
    }
    if suites.iter().all(|s| s.files.is_empty()) {
        return Err(CliError::msg("no test files under the given paths"));
    }
    let project = remote::project()?;
    let options = remote::query_options(&project, remote_args, &[])?;
    let (client, progress) = remote::client(&project, remote_args)?;
    let human = format == TestFormat::Human;
    let mut print_error = None;
    let comparisons = j1ql_remote::block_on(j1ql_remote::suite::compare_suites(
        &client,
        &suites,
        filter.as_deref(),
        &options,
        &mut |c| {
            progress.finish();
            if human {
                if let Err(e) = print_stdout(&j1ql_remote::suite::line(c)) {
                    print_error.get_or_insert(e);
                }
            }
        },
    ));
    progress.finish();
    if let Some(e) = print_error {
        return Err(e);
    }
    let comparisons = comparisons.map_err(|e| CliError::msg(e.to_string()))?;
    if let Some(f) = &filter {
        if comparisons.is_empty() {
            eprintln!("error: no query matches --filter `{f}`");
            return Ok(Outcome::Problems);
        }
    }
    match format {
        TestFormat::Json => print_json(&j1ql_remote::suite::json(&comparisons))?,
        // Junit was refused above.
        TestFormat::Human | TestFormat::Junit => {
            print_stdout(&format!("\n{}", j1ql_remote::suite::summary(&comparisons)))?
        }
    }
    Ok(if comparisons.iter().any(|c| c.outcome.failed()) {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
