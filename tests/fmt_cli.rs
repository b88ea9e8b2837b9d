//! End-to-end tests of `j1ql fmt`: in place, folders, `--check` with a diff, stdin, syntax
//! errors left alone, `j1ql.toml`, and queries embedded in YAML, JSON and Markdown.

mod common;
use common::*;

use std::fs;

#[test]
fn formats_files_and_folders_in_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("q/sub")).unwrap();
    fs::write(dir.path().join("q/a.j1ql"), "find User with active=true\n").unwrap();
    fs::write(dir.path().join("q/sub/b.j1ql"), "FIND Host\n").unwrap();
    fs::write(dir.path().join("q/notes.txt"), "find x").unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "q"], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("q/a.j1ql")).unwrap(),
        "FIND User WITH active = true\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("q/notes.txt")).unwrap(),
        "find x"
    );
    assert!(
        err(&o).contains("1 file reformatted, 1 file left unchanged"),
        "{}",
        err(&o)
    );
}

#[test]
fn check_prints_a_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.j1ql"), "find User\n").unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "--check", "a.j1ql"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("-find User\n+FIND User\n"), "{}", out(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.j1ql")).unwrap(),
        "find User\n"
    );
    fs::write(dir.path().join("a.j1ql"), "FIND User\n").unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "--check", "a.j1ql"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(out(&o), "");
}

#[test]
fn stdin_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "-"], "find User as u return u.name");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(out(&o), "FIND User AS u\nRETURN u.name\n");
}

#[test]
fn syntax_errors_are_reported_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.j1ql"), "find User WITH\n").unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "bad.j1ql"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("bad.j1ql:1:15: error[P009]"),
        "{}",
        err(&o)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("bad.j1ql")).unwrap(),
        "find User WITH\n"
    );
}

#[test]
fn configuration_is_read_from_j1ql_toml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("j1ql.toml"),
        "[format]\nkeyword-case = \"lower\"\nindent = 4\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("q")).unwrap();
    fs::write(
        dir.path().join("q/a.j1ql"),
        "FIND User THAT HAS Device RETURN User",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "q/a.j1ql"], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("q/a.j1ql")).unwrap(),
        "find User\n    that has Device\nreturn User\n"
    );
    fs::write(dir.path().join("j1ql.toml"), "[format]\nline_width = 3\n").unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "q/a.j1ql"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("invalid configuration"), "{}", err(&o));
}

#[test]
fn embedded_queries_are_formatted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "questions:\n  - id: q1\n    queries:\n      - name: good\n        query: |\n          find User as u\n            that has Device return u.name\n        resultsAre: GOOD\n      - query: find Host with a = \"b\"\n";
    fs::write(dir.path().join("questions.yaml"), yaml).unwrap();
    let json = "{\n  \"queries\": [\n    { \"name\": \"query0\", \"query\": \"find aws_s3_bucket with public=true\", \"version\": \"v1\" }\n  ]\n}\n";
    fs::write(dir.path().join("rules.json"), json).unwrap();
    let md = "# Queries\n\n```j1ql\nfind  Host\n```\n\n```sql\nselect  1\n```\n";
    fs::write(dir.path().join("README.md"), md).unwrap();
    let o = j1ql_in(
        dir.path(),
        &["fmt", "questions.yaml", "rules.json", "README.md"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("questions.yaml")).unwrap(),
        "questions:\n  - id: q1\n    queries:\n      - name: good\n        query: |\n          FIND User AS u\n            THAT HAS Device\n          RETURN u.name\n        resultsAre: GOOD\n      - query: FIND Host WITH a = 'b'\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("rules.json")).unwrap(),
        json.replace(
            "find aws_s3_bucket with public=true",
            "FIND aws_s3_bucket WITH public = true"
        )
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("README.md")).unwrap(),
        md.replace("find  Host", "FIND Host")
    );
    // Formatting again changes nothing.
    let o = j1ql_in(
        dir.path(),
        &[
            "fmt",
            "--check",
            "questions.yaml",
            "rules.json",
            "README.md",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}
