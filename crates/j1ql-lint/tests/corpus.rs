//! The whole real-world corpus: linting never panics, every finding lies inside the text, and
//! `--fix` (safe fixes) leaves a document that parses into the same number of queries, has no
//! safe fix left, and is stable when fixed again.

use j1ql_lint::{fix, lint, Applicability, LintOptions};

/// The real-world corpus's `queries.jsonl`, from the folder `J1QL_CORPUS` names (CI sets it
/// to the `shared/corpus` folder beside the repository); `None`, with a note, when it is not
/// set, so a fresh clone's `cargo test` passes. Set but missing is a failure.
fn corpus_file() -> Option<std::path::PathBuf> {
    match std::env::var_os("J1QL_CORPUS") {
        Some(dir) => Some(std::path::PathBuf::from(dir).join("queries.jsonl")),
        None => {
            eprintln!("note: J1QL_CORPUS is not set: the real-world corpus test is skipped");
            None
        }
    }
}

fn corpus() -> Option<Vec<String>> {
    let path = corpus_file()?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("J1QL_CORPUS: cannot read {}: {e}", path.display()));
    Some(
        text.lines()
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                row["query"].as_str().expect("a `query` string").to_string()
            })
            .collect(),
    )
}

#[test]
fn whole_corpus_lints_and_fixes_cleanly() {
    let options = LintOptions::default();
    let Some(rows) = corpus() else { return };
    assert!(rows.len() > 2000, "the corpus looks truncated");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (i, query) in rows.iter().enumerate() {
        let found = lint(query, &options);
        for d in &found {
            assert!(usize::from(d.range.end()) <= query.len(), "row {i}: {d:?}");
            *counts.entry(d.code.to_string()).or_default() += 1;
        }
        let fixed = fix(query, &options, false);
        let before = j1ql_syntax::parse(query);
        if !before.errors().is_empty() {
            assert_eq!(
                &fixed.text, query,
                "row {i}: a document with syntax errors was changed"
            );
            continue;
        }
        let after = j1ql_syntax::parse(&fixed.text);
        assert!(
            after.errors().is_empty(),
            "row {i}: fix broke the query:\n{query}\n=>\n{}",
            fixed.text
        );
        assert_eq!(
            before.document().queries().count(),
            after.document().queries().count(),
            "row {i}"
        );
        assert!(
            !fixed.remaining.iter().any(|d| d
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)),
            "row {i}: safe fixes left after --fix:\n{}\n{:?}",
            fixed.text,
            fixed.remaining
        );
        assert_eq!(
            fix(&fixed.text, &options, false).text,
            fixed.text,
            "row {i}"
        );
    }
    eprintln!("findings over the corpus: {counts:?}");
}
