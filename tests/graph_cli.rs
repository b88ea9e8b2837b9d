//! `j1ql load` and `j1ql gen`, run as the built binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn j1ql(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the j1ql binary runs")
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn gen_then_load_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = j1ql(
        dir.path(),
        &["gen", "--entities", "3000", "--seed", "9", "--out", "data"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("entities"), "{text}");
    // Deterministic for a seed.
    let first = fs::read(dir.path().join("data/aws-0000.json")).unwrap();
    let again = j1ql(
        dir.path(),
        &["gen", "--entities", "3000", "--seed", "9", "--out", "data2"],
    );
    assert!(again.status.success());
    assert_eq!(
        first,
        fs::read(dir.path().join("data2/aws-0000.json")).unwrap()
    );

    let out = j1ql(dir.path(), &["load", "--data", "data", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = stdout_json(&out);
    assert!(report["entities"].as_u64().unwrap() >= 2990);
    let rels = report["relationships"].as_u64().unwrap();
    assert!(rels > 4000, "{rels}");
    assert_eq!(report["skippedRelationships"], json!([]));
    assert_eq!(report["duplicates"], 0);
    assert_eq!(report["mapperEntities"], 0);
    assert_eq!(report["mapperRelationships"], 0);

    let human = j1ql(dir.path(), &["load", "--data", "data", "--format", "human"]);
    assert!(String::from_utf8_lossy(&human.stdout).starts_with("loaded "));
}

#[test]
fn load_reports_skipped_relationships_and_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.json"),
        json!({"source": "integration-managed", "scope": "gh",
               "entities": [{"_key": "repo", "_type": "github_repo", "_class": "CodeRepo"}]})
        .to_string(),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.json"),
        json!({"entities": [{"_key": "m", "_type": "npm_package", "_class": "CodeModule"}],
               "relationships": [{"_class": "USES", "_fromEntityKey": "repo", "_toEntityKey": "m"}],
               "mappingRules": [{"sourceFilter": {"_class": "CodeModule"},
                                 "relationshipProperties": {"_class": "HAS"},
                                 "relationshipDirection": "REVERSE",
                                 "targetFilterKeys": [["_type"]],
                                 "propertyMappings": [{"targetValue": "registry", "targetProperty": "_type"},
                                                      {"targetValue": "Service", "targetProperty": "_class"}]}]})
        .to_string(),
    )
    .unwrap();
    let out = j1ql(
        dir.path(),
        &["load", "--data", "a.json", "--data", "b.json"],
    );
    assert!(out.status.success());
    let report = stdout_json(&out);
    assert_eq!(report["entities"], 3);
    assert_eq!(report["mapperEntities"], 1);
    assert_eq!(report["mapperRelationships"], 1);
    let skipped = &report["skippedRelationships"][0];
    assert_eq!(skipped["file"], "b.json");
    assert_eq!(skipped["index"], 0);
    assert!(skipped["reason"].as_str().unwrap().contains("own subgraph"));

    let strict = j1ql(dir.path(), &["load", "--data", ".", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("b.json: relationships[0]"));
}

#[test]
fn malformed_input_exits_non_zero_with_position() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.json"),
        "{\"entities\": [\n  {\"_key\": }\n]}",
    )
    .unwrap();
    let out = j1ql(dir.path(), &["load", "--data", "bad.json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:2:12: expected value"), "{err}");

    fs::write(
        dir.path().join("nokey.json"),
        json!({"entities": [{"_type": "t", "_class": "C"}]}).to_string(),
    )
    .unwrap();
    let out = j1ql(dir.path(), &["load", "--data", "nokey.json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nokey.json: entities[0]: entity has no `_key`"),
        "{err}"
    );

    let out = j1ql(dir.path(), &["load", "--data", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn load_prints_the_paths_it_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("a.json"),
        r#"{"entities": [{"_key": "a", "_type": "t", "_class": "C"}]}"#,
    )
    .unwrap();
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    let human = j1ql(dir.path(), &["load", "--data", "d", "--format", "human"]);
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("loaded 1 entities"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("skipped `d/self`") && l.contains("already visited")),
        "{text}"
    );
    let json = stdout_json(&j1ql(dir.path(), &["load", "--data", "d"]));
    let skipped = json["skippedPaths"].as_array().expect("skippedPaths");
    assert_eq!(skipped.len(), 1, "{json}");
    assert!(skipped[0].as_str().unwrap().contains("d/self"), "{json}");
}
