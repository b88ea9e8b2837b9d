//! Snapshot tests (input, output) of the formatter: every seed example of the syntax crate
//! (`crates/j1ql-syntax/test_data/ok/*.j1ql`), every query of the real-world corpus
//! (all 2,049), and range-formatting cases. Snapshots live in `snapshots/fmt/`. Each case also
//! asserts idempotence.

use std::path::Path;

use j1ql_fmt::{apply_edits, format, format_range, FormatError, FormatOptions};
use j1ql_syntax::{TextRange, TextSize};

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/fmt"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn case(input: &str) -> String {
    let options = FormatOptions::default();
    match format(input, &options) {
        Ok(output) => {
            assert_eq!(format(&output, &options).unwrap(), output, "not idempotent");
            format!("--- input\n{input}\n--- output\n{output}")
        }
        Err(FormatError::Syntax(errors)) => {
            format!(
                "--- input\n{input}\n--- left as it is: {} syntax errors\n",
                errors.len()
            )
        }
        Err(e) => panic!("{e}\n{input}"),
    }
}

#[test]
fn seed_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../j1ql-syntax/test_data/ok");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the seed examples")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "j1ql"))
        .collect();
    files.sort();
    assert!(files.len() > 100, "seed examples missing");
    for file in files {
        let input = std::fs::read_to_string(&file).unwrap();
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        settings().bind(|| insta::assert_snapshot!(format!("seed_{name}"), case(&input)));
    }
}

#[test]
fn corpus() {
    let Some(path) = std::env::var_os("J1QL_CORPUS")
        .map(|dir| std::path::PathBuf::from(dir).join("queries.jsonl"))
    else {
        eprintln!("note: J1QL_CORPUS is not set: the corpus snapshot is skipped");
        return;
    };
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("J1QL_CORPUS: cannot read {}: {e}", path.display()));
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let query = row["query"].as_str().unwrap();
        out.push_str(&format!("===== row {i}\n{}\n", case(query)));
    }
    settings().bind(|| insta::assert_snapshot!("corpus", out));
}

fn range_case(text: &str, selected: &str) -> String {
    let start = text.find(selected).expect("selection in text") as u32;
    let range = TextRange::new(
        TextSize::from(start),
        TextSize::from(start + selected.len() as u32),
    );
    let edits = format_range(text, range, &FormatOptions::default()).unwrap();
    let output = apply_edits(text, &edits);
    format!("--- input (selected: {selected:?})\n{text}\n--- output\n{output}")
}

#[test]
fn range_formatting() {
    let text = "// header\nfind User with active=true\n\nfind  Device   that has  Finding return tree\nfind Host  // trailing\n";
    let cases = [
        range_case(text, "active"),
        range_case(text, "Device   that"),
        range_case(text, "// header"),
        range_case(text, "tree\nfind Host"),
        range_case(text, text),
    ];
    settings().bind(|| insta::assert_snapshot!("range_formatting", cases.join("\n")));
}
