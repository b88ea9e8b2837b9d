//! `j1ql translate --to cypher` and `j1ql export --to cypher|csv` end to end (docs/cypher.md).

use std::process::Command;

fn j1ql(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn translate_prints_cypher_and_refuses_with_the_construct() {
    let dir = tempfile::tempdir().unwrap();
    let out = j1ql(
        dir.path(),
        &["translate", "--to", "cypher", "FIND User THAT IS Person"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cypher = text(&out.stdout);
    assert!(cypher.starts_with("MATCH (n0:`User`)"), "{cypher}");
    assert!(cypher.contains("-[r1:`IS`]-(n1:`Person`)"), "{cypher}");
    assert!(cypher.ends_with("RETURN n0;\n"), "{cypher}");

    let out = j1ql(
        dir.path(),
        &["translate", "--to", "cypher", "FIND User RETURN TREE"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("<query>:1:1: error: cannot translate RETURN TREE to Cypher"),
        "{}",
        text(&out.stderr)
    );

    let out = j1ql(
        dir.path(),
        &["translate", "--to", "cypher", "FIND User WITH"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the query was not translated"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn export_writes_statements_and_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    std::fs::write(
        &data,
        r#"{"entities": [
            {"_key": "u1", "_type": "okta_user", "_class": "User", "name": "Ann", "tags": ["a", "b"]},
            {"_key": "p1", "_type": "employee", "_class": ["Person", "Record"], "name": "Ann O'Neil"}
          ],
          "relationships": [
            {"_key": "u1-is-p1", "_type": "okta_user_is_employee", "_class": "IS",
             "_fromEntityKey": "u1", "_toEntityKey": "p1"}
          ]}"#,
    )
    .unwrap();
    let out = j1ql(
        dir.path(),
        &["export", "--to", "cypher", "--data", "data.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cypher = text(&out.stdout);
    let statements: Vec<&str> = cypher.split(";\n").filter(|s| !s.is_empty()).collect();
    assert_eq!(
        statements.len(),
        5,
        "two indexes, two label sets, one edge shape:\n{cypher}"
    );
    assert!(cypher.contains("CREATE (n:`employee`:`Person`:`Record`) SET n = row"));
    assert!(cypher.contains("'Ann O\\'Neil'"), "{cypher}");
    assert!(
        cypher.contains("CREATE (a)-[r:`IS`]->(b) SET r = row.p"),
        "{cypher}"
    );

    let out = j1ql(
        dir.path(),
        &[
            "export",
            "--to",
            "csv",
            "--data",
            "data.json",
            "--out",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let nodes = std::fs::read_to_string(dir.path().join("csv/nodes.csv")).unwrap();
    let header = nodes.lines().next().unwrap();
    assert!(header.starts_with("_id:ID,:LABEL,"), "{header}");
    assert!(header.contains("tags:string[]"), "{header}");
    assert!(nodes.contains("employee;Person;Record"), "{nodes}");
    assert!(nodes.contains(",a;b"), "{nodes}");
    let rels = std::fs::read_to_string(dir.path().join("csv/relationships.csv")).unwrap();
    assert!(rels.starts_with(":START_ID,:END_ID,:TYPE,"), "{rels}");
    assert_eq!(rels.lines().count(), 2);

    let out = j1ql(
        dir.path(),
        &["export", "--to", "csv", "--data", "data.json"],
    );
    assert_eq!(out.status.code(), Some(2), "--to csv needs --out");
}
