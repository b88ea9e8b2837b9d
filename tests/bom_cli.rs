//! A UTF-8 byte order mark at the start of a file (some editors write one) is skipped by every
//! reader: J1QL files, JSON/YAML/Markdown/Terraform hosts, test files and fixture data.

use std::path::Path;
use std::process::{Command, Output};

const BOM: &str = "\u{feff}";

fn j1ql(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .current_dir(dir)
        .args(args)
        .env_remove("J1QL_BUDGET")
        .output()
        .expect("the binary runs")
}

fn ok(out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn every_reader_skips_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write =
        |name: &str, text: &str| std::fs::write(d.join(name), format!("{BOM}{text}")).unwrap();
    write(
        "j1ql.toml",
        "data = [\"fixtures\"]\n[test]\nsnapshots = \"never\"\n",
    );
    std::fs::create_dir(d.join("fixtures")).unwrap();
    write(
        "fixtures/a.json",
        r#"{"entities": [{"_key": "u1", "_type": "user", "_class": "User", "name": "ann"}]}"#,
    );
    write(
        "fixtures/b.jsonl",
        "{\"_key\": \"u2\", \"_type\": \"user\", \"_class\": \"User\", \"name\": \"bob\"}\n",
    );
    write("people.j1ql", "// expect: count = 2\nfind user\n");
    write("host.json", r#"{"queries": [{"query": "find user"}]}"#);
    write("questions.yaml", "questions:\n  - title: t\n    queries:\n      - query: FIND User\n        expect: count = 2\n");
    write("doc.md", "# Queries\n\n```j1ql\nFIND User\n```\n");
    write(
        "rule.tf",
        "resource \"jupiterone_question\" \"q\" {\n  query {\n    query = \"FIND User\"\n  }\n}\n",
    );

    let checked = ok(&j1ql(d, &["check", "."]));
    assert!(checked.contains("no errors"), "{checked}");
    let tested = ok(&j1ql(d, &["test"]));
    assert!(tested.contains("2 passed, 0 failed"), "{tested}");
    let run = ok(&j1ql(d, &["run", "people.j1ql"]));
    assert!(run.contains("\"ann\"") && run.contains("\"bob\""), "{run}");
    // `fmt` reformats, and the mark stays where it was.
    ok(&j1ql(d, &["fmt", "people.j1ql", "host.json"]));
    assert_eq!(
        std::fs::read_to_string(d.join("people.j1ql")).unwrap(),
        format!("{BOM}// expect: count = 2\nFIND user\n")
    );
    assert_eq!(
        std::fs::read_to_string(d.join("host.json")).unwrap(),
        format!("{BOM}{}", r#"{"queries": [{"query": "FIND user"}]}"#)
    );
}
