//! Snapshot tests of the syntax tree (in the style of rust-analyzer and apollo-rs).
//!
//! Every `test_data/ok/*.j1ql` and `test_data/err/*.j1ql` file is parsed; the tree dump and
//! errors ([`j1ql_syntax::Parse::debug_tree`]) are recorded with insta under the top-level
//! `snapshots/syntax/` folder as `<dir>__<file stem>.snap`, with the input as the description.
//!
//! Besides the snapshot, every case must be lossless (the tree's text is the input, byte for
//! byte) and report errors inside the input; `ok/` cases must have no error and `err/` cases
//! at least one. One test per directory runs every file and collects all failures before
//! failing, so one bad case does not hide the others.
//!
//! To accept changed snapshots: `INSTA_UPDATE=always cargo test -p j1ql-syntax --test snapshots`
//! (or `cargo insta review`), then read every changed `.snap` file.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use j1ql_syntax::TextSize;

fn test_data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(dir)
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/syntax")
}

/// The `.j1ql` files of a test directory, sorted by name.
fn cases(dir: &str) -> Vec<PathBuf> {
    let path = test_data(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "j1ql"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .j1ql files in {}", path.display());
    files
}

/// Checks one case; returns what is wrong with it (empty when it passes).
fn check_case(dir: &str, path: &Path, expect_errors: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return vec![format!("cannot read: {e}")],
    };
    let parse = match panic::catch_unwind(|| j1ql_syntax::parse(&text)) {
        Ok(parse) => parse,
        Err(_) => return vec!["the parser panicked".to_string()],
    };

    let tree_text = parse.syntax_node().to_string();
    if tree_text != text {
        problems.push(format!(
            "the tree is not lossless:\n  input: {text:?}\n  tree:  {tree_text:?}"
        ));
    }
    let len = TextSize::of(text.as_str());
    for error in parse.errors() {
        if error.range.end() > len {
            problems.push(format!("error outside the input (length {len:?}): {error}"));
        }
    }
    match (expect_errors, parse.errors().is_empty()) {
        (false, false) => problems.push(format!(
            "expected no syntax errors, got:\n  {}",
            parse
                .errors()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        )),
        (true, true) => problems.push("expected at least one syntax error, got none".to_string()),
        _ => {}
    }

    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("UTF-8 file name");
    let name = format!("{dir}__{stem}");
    let dump = parse.debug_tree();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshot_dir());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(path);
    settings.set_description(text.as_str());
    let snapshot = panic::catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name.as_str(), dump));
    }));
    if snapshot.is_err() {
        problems.push(format!("snapshot `{name}` does not match (see above)"));
    }
    problems
}

fn run_dir(dir: &str, expect_errors: bool) {
    let mut failures = Vec::new();
    let files = cases(dir);
    for path in &files {
        let problems = check_case(dir, path, expect_errors);
        if !problems.is_empty() {
            let file = path.strip_prefix(test_data("")).unwrap_or(path);
            failures.push(format!("{}:\n  {}", file.display(), problems.join("\n  ")));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} cases in test_data/{dir} failed:\n\n{}",
            failures.len(),
            files.len(),
            failures.join("\n\n")
        );
    }
}

#[test]
fn ok() {
    run_dir("ok", false);
}

#[test]
fn err() {
    run_dir("err", true);
}

/// Recovery is local: garbage after one query does not leak errors into the next one.
#[test]
fn query_after_garbage_parses_cleanly() {
    let dir = test_data("err");
    let path = cases("err")
        .into_iter()
        .find(|p| {
            p.to_string_lossy()
                .ends_with("_garbage_between_queries.j1ql")
        })
        .unwrap_or_else(|| panic!("no *_garbage_between_queries.j1ql in {}", dir.display()));
    let text = std::fs::read_to_string(&path).unwrap();
    let parse = j1ql_syntax::parse(&text);
    let queries: Vec<_> = parse
        .syntax_node()
        .children()
        .filter(|n| n.kind() == j1ql_syntax::SyntaxKind::QUERY)
        .collect();
    assert_eq!(
        queries.len(),
        2,
        "expected two queries:\n{}",
        parse.debug_tree()
    );
    assert!(
        parse.errors_in(queries[0].text_range()).next().is_some(),
        "the garbage should be reported within the first query"
    );
    let second = &queries[1];
    let errors: Vec<_> = parse.errors_in(second.text_range()).collect();
    assert!(
        errors.is_empty(),
        "the second query should parse cleanly, got {errors:?}"
    );
    assert!(second.to_string().starts_with("FIND Host"));
}
