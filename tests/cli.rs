//! End-to-end tests of the `j1ql` binary: exit codes, human and JSON output, stdin, folders,
//! missing files, and `corpus-check`. Human output is snapshotted under `snapshots/cli/`.

mod common;
use common::*;

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn j1ql(dir: &Path, args: &[&str]) -> Output {
    j1ql_in(dir, args, "")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

/// A temporary folder holding `files` (relative path, contents).
fn temp_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// Snapshots go to the top-level `snapshots/cli/` folder.
fn assert_snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/cli");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).expect("stdout is one JSON document")
}

const BAD: &str = "FIND User THAT\n\
FIND aws_s3_bucket WITH encrypted = false AND\n\
FIND Host WITH (platform = 'linux' OR platform = 'darwin'\n\
FIND Device WITH name = 'unterminated\n";

// ---- parse ---------------------------------------------------------------------------------

#[test]
fn parse_prints_the_tree_and_exits_0() {
    let dir = temp_dir(&[("ok.j1ql", "FIND User THAT IS Person\n")]);
    let out = j1ql(dir.path(), &["parse", "ok.j1ql"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let tree = stdout(&out);
    assert!(tree.starts_with("DOCUMENT@0..25\n"), "{tree}");
    assert!(tree.contains("IDENT@18..24 \"Person\""), "{tree}");
    assert!(!tree.contains("error["), "{tree}");
}

#[test]
fn parse_with_errors_exits_1_and_lists_them() {
    let dir = temp_dir(&[("bad.j1ql", "FIND User THAT")]);
    let out = j1ql(dir.path(), &["parse", "bad.j1ql"]);
    assert_eq!(code(&out), 1);
    let tree = stdout(&out);
    assert!(tree.starts_with("DOCUMENT@0..14\n"), "{tree}");
    assert!(tree.contains("error[P003] 14..14: "), "{tree}");
}

#[test]
fn parse_reads_stdin() {
    let dir = temp_dir(&[]);
    let out = j1ql_in(dir.path(), &["parse", "-"], "FIND *");
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("STAR@5..6 \"*\""), "{}", stdout(&out));
}

#[test]
fn parse_missing_file_exits_2() {
    let dir = temp_dir(&[]);
    let out = j1ql(dir.path(), &["parse", "nope.j1ql"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: cannot read `nope.j1ql`: no such file or folder\n"
    );
}

// ---- check: human output -------------------------------------------------------------------

#[test]
fn check_clean_file_exits_0_silently() {
    let dir = temp_dir(&[(
        "ok.j1ql",
        "FIND User WITH active = true AS u\n  THAT IS Person AS p\n  RETURN u.username, p.email\n",
    )]);
    let out = j1ql(dir.path(), &["check", "ok.j1ql"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "1 file checked, no errors\n");
}

#[test]
fn check_errors_print_location_code_message_and_caret() {
    let dir = temp_dir(&[("queries/bad.j1ql", BAD)]);
    let out = j1ql(dir.path(), &["check", "queries/bad.j1ql"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    // Every diagnostic opens with `file:line:col: error[CODE]: message`.
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("queries/bad.j1ql:"))
        .collect();
    assert!(headers.len() >= 4, "{text}");
    for header in &headers {
        let rest = header.strip_prefix("queries/bad.j1ql:").unwrap();
        let mut parts = rest.splitn(3, ':');
        let line: u32 = parts.next().unwrap().parse().unwrap();
        let col: u32 = parts.next().unwrap().parse().unwrap();
        assert!(line >= 1 && col >= 1);
        assert!(parts.next().unwrap().starts_with(" error[P0"), "{header}");
    }
    assert_snapshot("check_errors_human", &text);
    assert!(
        stderr(&out).ends_with("in 1 of 1 file checked\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_points_just_past_the_last_character_at_end_of_input() {
    let dir = temp_dir(&[("a.j1ql", "FIND User THAT\n\n")]);
    let out = j1ql(dir.path(), &["check", "a.j1ql"]);
    assert_eq!(code(&out), 1);
    assert_snapshot("check_end_of_input", &stdout(&out));
}

#[test]
fn check_columns_count_characters_not_bytes() {
    // `ANDD` starts at character 29 but byte 30 (`ë` is two bytes in UTF-8).
    let dir = temp_dir(&[("u.j1ql", "FIND User WITH name = 'Zoë' ANDD x = 1")]);
    let out = j1ql(dir.path(), &["check", "u.j1ql"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.starts_with("u.j1ql:1:29: error[P001]: "), "{text}");
    assert_snapshot("check_non_ascii", &text);

    let out = j1ql(dir.path(), &["check", "--format", "json", "u.j1ql"]);
    let d = &json(&out)["diagnostics"][0];
    assert_eq!(d["column"], 29);
    assert_eq!(d["range"]["start"], 29); // bytes
}

// ---- check: JSON -------------------------------------------------------------------------

#[test]
fn check_json_is_one_document_with_every_field() {
    let dir = temp_dir(&[("bad.j1ql", BAD), ("ok.j1ql", "FIND *")]);
    let out = j1ql(
        dir.path(),
        &["check", "--format", "json", "bad.j1ql", "ok.j1ql"],
    );
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 4);
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["errors"], diagnostics.len());

    let first = &diagnostics[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "code",
        "name",
        "severity",
        "message",
        "range",
    ];
    let mut sorted_keys = keys.clone();
    sorted_keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted_keys, expected);
    assert_eq!(first["file"], "bad.j1ql");
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 15);
    assert_eq!(first["endLine"], 1);
    assert_eq!(first["endColumn"], 15);
    assert_eq!(first["code"], "P003");
    assert_eq!(first["name"], "missing-verb");
    assert_eq!(first["severity"], "error");
    assert!(first["message"].as_str().unwrap().starts_with("expected"));
    assert_eq!(first["range"]["start"], 14);
    assert_eq!(first["range"]["end"], 14);
    for d in diagnostics {
        assert_eq!(d["file"], "bad.j1ql");
        let code = d["code"].as_str().unwrap();
        assert!(code.starts_with('P') && code.len() == 4, "{code}");
    }
    // Later lines have later positions.
    let lines: Vec<u64> = diagnostics
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    assert_eq!(*lines.last().unwrap(), 4);
}

#[test]
fn check_json_clean_has_empty_diagnostics() {
    let dir = temp_dir(&[("ok.j1ql", "FIND User")]);
    let out = j1ql(dir.path(), &["check", "--format", "json", "ok.j1ql"]);
    assert_eq!(code(&out), 0);
    let doc = json(&out);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 1, "errors": 0, "warnings": 0})
    );
}

#[test]
fn check_reports_semantic_errors_and_warnings() {
    let dir = temp_dir(&[("q.j1ql", "FIND Usr AS u WHERE x.active = true")]);
    let out = j1ql(dir.path(), &["check", "--format", "json", "q.j1ql"]);
    assert_eq!(code(&out), 1, "an undefined alias is an error");
    let doc = json(&out);
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["S010", "S001"]);
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");
    assert_eq!(doc["diagnostics"][1]["severity"], "error");
    assert_eq!(doc["diagnostics"][1]["column"], 21);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 1})
    );
    // Warnings alone do not fail the check.
    let dir = temp_dir(&[("w.j1ql", "FIND Usr")]);
    let out = j1ql(dir.path(), &["check", "w.j1ql"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning[S010]"));
}

// ---- check: stdin, folders, missing files ------------------------------------------------

#[test]
fn check_reads_stdin() {
    let dir = temp_dir(&[]);
    let out = j1ql_in(dir.path(), &["check", "-"], "FIND User THAT HAS");
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).starts_with("<stdin>:1:19: error[P002]: "),
        "{}",
        stdout(&out)
    );

    let out = j1ql_in(dir.path(), &["check", "-"], "FIND User THAT HAS Device");
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_folder_checks_every_j1ql_file_recursively_in_order() {
    let dir = temp_dir(&[
        ("qs/b.j1ql", "FIND User THAT"),
        ("qs/a/z.j1ql", "FIND Host WITH"),
        ("qs/a/ok.j1ql", "FIND Host"),
        ("qs/notes.txt", "not J1QL THAT"),
    ]);
    let out = j1ql(dir.path(), &["check", "--format", "json", "qs"]);
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    assert_eq!(doc["summary"]["files"], 3);
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(
        files,
        [format!("qs{sep}a{sep}z.j1ql"), format!("qs{sep}b.j1ql")]
    );
}

#[test]
fn check_missing_file_exits_2_with_a_message() {
    let dir = temp_dir(&[("ok.j1ql", "FIND User")]);
    let out = j1ql(dir.path(), &["check", "ok.j1ql", "missing.j1ql"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("error: cannot read `missing.j1ql`: no such file or folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_empty_folder_exits_2() {
    let dir = temp_dir(&[("empty/notes.txt", "find nothing")]);
    let out = j1ql(dir.path(), &["check", "empty"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no J1QL, YAML, JSON, Markdown or Terraform files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_without_paths_checks_the_current_folder() {
    let dir = temp_dir(&[("q/a.j1ql", "FIND User"), ("q/b.j1ql", "FIND User THAT")]);
    let out = j1ql(dir.path(), &["check"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("b.j1ql:1:"), "{}", stdout(&out));
    let empty = temp_dir(&[]);
    assert_eq!(code(&j1ql(empty.path(), &["check"])), 2);
}

// ---- corpus-check ------------------------------------------------------------------------

const CORPUS: &str = r#"{"query": "FIND User THAT IS Person", "source_kind": "json"}
{"query": "FIND User THAT", "source_kind": "json", "repo": "acme/rules", "path": "rules/x.json"}
{"query": "FIND <entity>", "source_kind": "markdown-fence"}
"#;

#[test]
fn corpus_check_reports_passes_and_failures() {
    let dir = temp_dir(&[("q.jsonl", CORPUS)]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl", "--kinds", "json"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.lines().any(|l| l == "1 passed, 1 failed"), "{text}");
    assert!(
        text.contains("FAIL q.jsonl:2 (json, acme/rules rules/x.json)"),
        "{text}"
    );
    assert_snapshot("corpus_check_human", &text);
}

#[test]
fn corpus_check_all_kinds_by_default() {
    let dir = temp_dir(&[("q.jsonl", CORPUS)]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).ends_with("1 passed, 2 failed\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn corpus_check_passes_when_every_query_parses() {
    let dir = temp_dir(&[("q.jsonl", CORPUS)]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl", "--kinds", "json"]);
    assert_eq!(code(&out), 1);
    let good = temp_dir(&[("q.jsonl", CORPUS.lines().next().unwrap())]);
    let out = j1ql(good.path(), &["corpus-check", "q.jsonl"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).ends_with("1 passed, 0 failed\n"));
}

#[test]
fn corpus_check_json() {
    let dir = temp_dir(&[("q.jsonl", CORPUS)]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    assert_eq!(doc["summary"]["passed"], 1);
    assert_eq!(doc["summary"]["failed"], 2);
    assert_eq!(doc["summary"]["lossless"], 3);
    assert_eq!(
        doc["summary"]["byKind"]["markdown-fence"],
        serde_json::json!({"passed": 0, "failed": 1})
    );
    let failures = doc["failures"].as_array().unwrap();
    assert_eq!(failures[0]["line"], 2);
    assert_eq!(failures[0]["repo"], "acme/rules");
    assert_eq!(failures[0]["diagnostics"][0]["code"], "P003");
    assert_eq!(failures[1]["sourceKind"], "markdown-fence");
}

#[test]
fn corpus_check_empty_file_fails() {
    let dir = temp_dir(&[("q.jsonl", ""), ("blank.jsonl", "\n\n")]);
    for file in ["q.jsonl", "blank.jsonl"] {
        let out = j1ql(dir.path(), &["corpus-check", file]);
        assert_eq!(code(&out), 2, "{file}");
        assert!(stderr(&out).contains("has no rows"), "{}", stderr(&out));
    }
}

#[test]
fn corpus_check_missing_file_fails_naming_the_path() {
    let dir = temp_dir(&[]);
    let out = j1ql(dir.path(), &["corpus-check", "no/such/queries.jsonl"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("no/such/queries.jsonl"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn corpus_check_unknown_kind_fails_loudly() {
    let dir = temp_dir(&[("q.jsonl", CORPUS)]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl", "--kinds", "jsn"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no rows with source_kind `jsn`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn corpus_check_malformed_line_names_it() {
    let dir = temp_dir(&[("q.jsonl", "{\"query\": \"FIND A\"}\n{oops\n")]);
    let out = j1ql(dir.path(), &["corpus-check", "q.jsonl"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("q.jsonl:2: not valid JSON"),
        "{}",
        stderr(&out)
    );
}

// ---- the shipped example -----------------------------------------------------------------

#[test]
fn demo_example_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = j1ql(root, &["check", "examples/demo.j1ql"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}
