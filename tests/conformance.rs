//! The conformance suite (`tests/conformance/`): 395 queries whose answers were worked out by
//! hand from the spec and docs/contracts.md#language-decisions and #run, run by the same library as `j1ql test` (issue 9, point 6)
//! in CI mode (no snapshot is written). Every failing case is reported, then the test fails.

use std::path::{Path, PathBuf};

use j1ql_test::{discover, run, Mode, Options, Status};

#[test]
fn conformance_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    assert!(
        root.join("j1ql.toml").is_file(),
        "the suite is missing: {}",
        root.display()
    );
    let suites = discover(&[PathBuf::from(&root)]).unwrap_or_else(|e| panic!("{}", e.0));
    let options = Options {
        mode: Mode::Check,
        filter: None,
        budget: None,
    };
    let report = run(&suites, &options, &mut |_| {});
    let mut failures = Vec::new();
    for file in &report.files {
        if let Some(error) = &file.error {
            failures.push(format!("{}: {error}", file.path.display()));
        }
        for case in file.cases.iter().filter(|c| c.status == Status::Failed) {
            failures.push(format!(
                "{}:{} {}\n  {}\n  {}",
                file.path.display(),
                case.line,
                case.name,
                case.query.trim(),
                case.messages.join("\n  ")
            ));
        }
    }
    assert!(
        report.passed() >= 395,
        "only {} cases passed",
        report.passed()
    );
    assert!(
        failures.is_empty() && report.failed() == 0,
        "{} conformance case(s) failed:\n\n{}",
        report.failed(),
        failures.join("\n\n")
    );
}
