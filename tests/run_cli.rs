//! `j1ql run` end to end: the built binary on the demo account and on fixture files.

use std::process::Command;

use serde_json::Value;

fn j1ql(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn readme_command_on_the_demo_graph() {
    let out = j1ql(&["run", "FIND User THAT IS Person"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    assert_eq!(doc["type"], "list");
    assert_eq!(doc["data"].as_array().unwrap().len(), 7);
    let item = &doc["data"][0];
    for key in [
        "_id",
        "_key",
        "_type",
        "_class",
        "_source",
        "_scope",
        "displayName",
    ] {
        assert!(
            item["entity"].get(key).is_some(),
            "entity lacks {key}: {item}"
        );
    }
    assert!(item["properties"].is_object());
}

#[test]
fn table_result_and_column_names() {
    let out = j1ql(&[
        "run",
        "FIND Person AS p RETURN p.firstName, count(p) AS n ORDER BY p.firstName LIMIT 2",
    ]);
    let doc = json(&out);
    assert_eq!(doc["type"], "table");
    let rows = doc["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["p.firstName", "n"], "columns keep RETURN order");
    assert_eq!(rows[0]["p.firstName"], "Alice");
}

#[test]
fn params_and_now() {
    let out = j1ql(&[
        "run",
        "FIND Person WITH firstName = ${ param.who }",
        "--param",
        "who=\"Bob\"",
    ]);
    assert_eq!(json(&out)["data"].as_array().unwrap().len(), 1);
    let out = j1ql(&[
        "run",
        "FIND Person WITH firstName = {{who}}",
        "--param",
        "who=[\"Bob\",\"Dave\"]",
    ]);
    assert_eq!(json(&out)["data"].as_array().unwrap().len(), 2);
    // With the clock moved a year ahead nothing was created in the last 7 days.
    let out = j1ql(&[
        "run",
        "FIND DataStore WITH createdOn > date.now - 7 days",
        "--now",
        "2026-11-21T00:00:00Z",
    ]);
    assert_eq!(json(&out)["data"], serde_json::json!([]));
}

#[test]
fn errors_are_refused_with_positions() {
    let out = j1ql(&["run", "FIND User THAT"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1:15: error[P003]"), "{stderr}");
    assert!(out.stdout.is_empty());
    let out = j1ql(&["run", "FIND Person WITH firstName = ${ param.who }"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--param who=VALUE"));
}

#[test]
fn fixture_data_and_table_format() {
    let dir = std::env::temp_dir().join(format!("j1ql-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("data.json");
    std::fs::write(
        &file,
        r#"{"entities": [
             {"_key": "u1", "_type": "my_user", "_class": "User", "displayName": "ann", "active": true},
             {"_key": "u2", "_type": "my_user", "_class": "User", "displayName": "ben", "active": false}
           ]}"#,
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = j1ql(&["run", "--data", path, "FIND my_user WITH active = true"]);
    let doc = json(&out);
    assert_eq!(doc["data"][0]["entity"]["displayName"], "ann");
    assert_eq!(doc["data"][0]["entity"]["_scope"], "data");
    let out = j1ql(&["run", "--data", path, "--format", "table", "FIND User"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ann") && text.contains("ben") && text.contains("2 rows"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_and_timings() {
    let out = j1ql(&["run", "--explain", "FIND User THAT !OWNS Device"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("start: User (class/type index"), "{text}");
    assert!(text.contains("keep rows with NO OWNS"), "{text}");
    let file = std::env::temp_dir().join(format!("j1ql-timings-{}.j1ql", std::process::id()));
    std::fs::write(&file, "FIND User THAT IS Person\nFIND Person\n").unwrap();
    let out = j1ql(&["run", "--timings", file.to_str().unwrap(), "--repeat", "2"]);
    let doc = json(&out);
    assert!(doc["load_ms"].as_f64().unwrap() >= 0.0);
    let queries = doc["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 2);
    assert_eq!(queries[0]["query"], "FIND User THAT IS Person");
    assert_eq!(queries[0]["rows"], 7);
    assert_eq!(queries[1]["rows"], 5);
    std::fs::remove_file(&file).ok();
}

#[test]
fn normalize_prints_the_de_morgan_form() {
    let out = j1ql(&[
        "normalize",
        "FIND jira_user WITH accountType != ('atlassian' OR 'app' OR 'customer')",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "FIND jira_user WITH accountType != 'atlassian' AND accountType != 'app' AND accountType != 'customer'\n"
    );
    let out = j1ql(&[
        "normalize",
        "--expand",
        "selectors",
        "FIND (Host|aws_instance)",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "FIND * WITH _class = 'Host' OR _type = 'aws_instance'\n"
    );
    let out = j1ql(&["normalize", "FIND User WITH"]);
    assert_eq!(out.status.code(), Some(1));
}
