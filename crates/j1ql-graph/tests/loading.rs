//! docs/contracts.md#fixture-data loading: files, JSON-lines, folders, defaults, flattening, errors.

use std::fs;

use j1ql_graph::{load_paths, Graph, LoadError, LoadOptions, PropValue};
use serde_json::json;

fn opts() -> LoadOptions {
    LoadOptions {
        timestamp_ms: Some(1_000),
        ..LoadOptions::default()
    }
}

#[test]
fn defaults_overrides_classes_ids_metadata_and_flattening() {
    let g = Graph::from_json_value(&json!({
        "source": "integration-managed",
        "entities": [
            {"_key": "a", "_type": "aws_s3_bucket", "_class": "DataStore",
             "tag": {"Production": true, "Owner": {"Team": "x"}}, "ports": [1, {"n": 2}]},
            {"_key": "b", "_type": "t", "_class": ["Host", "Device"], "_id": "given-id",
             "_scope": "other", "_version": 7}
        ]
    }))
    .unwrap();
    let a = g.entity(g.entities_of_type("aws_s3_bucket")[0]);
    assert_eq!(a.source(), "integration-managed");
    assert_eq!(a.scope(), "fixture");
    assert_eq!(a.property("tag.Production"), Some(&PropValue::Bool(true)));
    assert!(a.property("tag.Owner.Team").is_some());
    assert_eq!(a.property("_createdOn"), Some(&PropValue::Number(0.0)));
    assert_eq!(a.property("_beginOn"), Some(&PropValue::Number(0.0)));
    assert_eq!(a.property("_version"), Some(&PropValue::Number(1.0)));
    assert_eq!(a.property("_deleted"), Some(&PropValue::Bool(false)));
    assert_eq!(a.id_str().len(), 36, "generated ids are UUID-shaped");
    let ports = a.property("ports").unwrap().as_array().unwrap();
    assert_eq!(ports[0], PropValue::Number(1.0));
    assert_eq!(
        g.value_ref(&ports[1]),
        j1ql_graph::ValueRef::Str(r#"{"n":2}"#)
    );
    let b = g.entity(g.entity_by_id("given-id").unwrap());
    assert_eq!(b.classes().collect::<Vec<_>>(), ["Host", "Device"]);
    assert_eq!(g.entities_of_class("Device"), g.entities_of_class("Host"));
    assert_eq!(b.scope(), "other");
    assert_eq!(b.property("_version"), Some(&PropValue::Number(7.0)));
    assert_eq!(b.get("_class").unwrap().as_array().unwrap().len(), 2);
    // Same data, same generated ids.
    let again = Graph::from_json_value(&json!({"source": "integration-managed",
        "entities": [{"_key": "a", "_type": "aws_s3_bucket", "_class": "DataStore"}]}))
    .unwrap();
    assert_eq!(
        again
            .entity(again.entities_of_type("aws_s3_bucket")[0])
            .id_str(),
        a.id_str()
    );
    let summary = g.schema_summary();
    assert!(summary
        .type_classes
        .iter()
        .any(|(_, classes)| classes.iter().any(|c| c == "Device")));
    assert!(summary
        .type_properties
        .contains(&("aws_s3_bucket".to_string(), "tag.Production".to_string())));
}

#[test]
fn folders_are_read_recursively_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("b/nested")).unwrap();
    // The same key in the same subgraph three times: the last in path order wins.
    let item = |v: i32| json!({"scope": "s", "entities": [{"_key": "k", "_type": "t", "_class": "C", "v": v}]});
    fs::write(dir.path().join("b/nested/z.json"), item(3).to_string()).unwrap();
    fs::write(dir.path().join("a.json"), item(1).to_string()).unwrap();
    fs::write(dir.path().join("b/a.json"), item(2).to_string()).unwrap();
    fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let g = load_paths(&[dir.path()], opts()).unwrap();
    assert_eq!(g.report().files, 3);
    assert_eq!(g.report().duplicates, 2);
    let e = g.entity(g.entities_of_type("t")[0]);
    assert_eq!(e.property("v"), Some(&PropValue::Number(3.0)));
    assert_eq!(e.property("_version"), Some(&PropValue::Number(3.0)));
    assert_eq!(e.property("_createdOn"), Some(&PropValue::Number(1000.0)));
}

#[test]
fn json_lines_items_and_payloads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.jsonl");
    let text = [
        json!({"_key": "h", "_type": "host", "_class": "Host"}).to_string(),
        String::new(),
        json!({"source": "integration-managed", "scope": "x",
               "entities": [{"_key": "y", "_type": "user", "_class": "User"}]})
        .to_string(),
        json!({"_class": "USES", "_fromEntityKey": "h", "_toEntityKey": "y"}).to_string(),
        json!({"_class": "USES", "_fromEntityKey": "h", "_toEntityKey": "y",
               "_toEntitySource": "integration-managed", "_toEntityScope": "x"})
        .to_string(),
    ]
    .join("\n");
    fs::write(&path, text).unwrap();
    let g = load_paths(&[&path], opts()).unwrap();
    assert_eq!(g.entity_count(), 2);
    let h = g.entity(g.entities_of_type("host")[0]);
    assert_eq!((h.source(), h.scope()), ("api", "events"));
    assert_eq!(g.relationship_count(), 1);
    let skipped = &g.report().skipped_relationships;
    assert_eq!(skipped.len(), 1);
    assert_eq!((skipped[0].index, skipped[0].line), (0, Some(4)));
}

#[test]
fn malformed_json_gives_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    fs::write(
        &path,
        "{\n  \"entities\": [\n    {\"_key\": \"a\",}\n  ]\n}\n",
    )
    .unwrap();
    let err = load_paths(&[&path], opts()).unwrap_err();
    let LoadError::Json { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, *column), (3, 18));
    assert_eq!(
        err.to_string(),
        format!("{}:3:18: trailing comma", path.display())
    );
    let lines = dir.path().join("bad.jsonl");
    fs::write(
        &lines,
        "{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}\n{oops}\n",
    )
    .unwrap();
    let err = load_paths(&[&lines], opts()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}:2:2: ", lines.display())),
        "{err}"
    );
}

#[test]
fn items_without_key_type_or_class_are_errors_naming_the_item() {
    for (item, missing) in [
        (json!({"_type": "t", "_class": "C"}), "`_key`"),
        (json!({"_key": "k", "_class": "C"}), "`_type`"),
        (json!({"_key": "k", "_type": "t"}), "`_class`"),
        (
            json!({"_key": 3, "_type": "t", "_class": "C"}),
            "`_key` must be a string",
        ),
        (json!({"_key": "k", "_type": "t", "_class": []}), "`_class`"),
    ] {
        let err = Graph::from_json_value(
            &json!({"entities": [{"_key": "ok", "_type": "t", "_class": "C"}, item]}),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("fixture.json: entities[1]: "), "{text}");
        assert!(text.contains(missing), "{text}");
    }
    let err = Graph::from_json_value(
        &json!({"relationships": [{"_fromEntityKey": "a", "_toEntityKey": "b"}]}),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("relationships[0]: relationship has no `_class`"),
        "{err}"
    );
}

#[test]
fn adjacency_by_verb_and_direction() {
    let g = Graph::from_json_value(&json!({"entities": [
        {"_key": "a", "_type": "t", "_class": "C"},
        {"_key": "b", "_type": "t", "_class": "C"},
        {"_key": "c", "_type": "t", "_class": "C"}
    ], "relationships": [
        {"_class": "HAS", "_fromEntityKey": "a", "_toEntityKey": "b"},
        {"_class": "uses", "_fromEntityKey": "a", "_toEntityKey": "c"},
        {"_class": "HAS", "_fromEntityKey": "c", "_toEntityKey": "b"}
    ]}))
    .unwrap();
    let a = g.entity_by_key("api", "fixture", "a").unwrap();
    let b = g.entity_by_key("api", "fixture", "b").unwrap();
    assert_eq!(g.outgoing(a).len(), 2);
    let has = g.verb("has").unwrap();
    assert_eq!(g.outgoing_with(a, has).len(), 1);
    assert_eq!(g.incoming_with(b, has).len(), 2);
    assert_eq!(
        g.outgoing_with(a, g.verb("USES").unwrap())[0].other,
        g.entity_by_key("api", "fixture", "c").unwrap()
    );
    assert_eq!(g.relationships_of_class("Uses").len(), 1);
    let r = g.relationship(g.outgoing_with(a, has)[0].rel);
    assert_eq!(r.key(), "a|has|b");
    assert_eq!(r.type_name(), "t_has_t");
    assert_eq!(g.neighbours(b).count(), 2);
}

/// Loads one file with these bytes: the error's text, or the entity count.
fn load_bytes(bytes: &[u8]) -> Result<usize, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    fs::write(&path, bytes).unwrap();
    load_paths(&[&path], opts())
        .map(|g| g.entity_count())
        .map_err(|e| e.to_string())
}

#[test]
fn a_duplicated_payload_key_is_an_error_not_a_lost_array() {
    let err = load_bytes(
        br#"{"entities": [{"_key": "a", "_type": "t", "_class": "C"}],
            "entities": [{"_key": "b", "_type": "t", "_class": "C"}]}"#,
    )
    .unwrap_err();
    assert!(err.contains("duplicate key `entities`"), "{err}");
}

#[test]
fn a_misspelt_payload_key_is_named() {
    let err =
        load_bytes(br#"{"entites": [{"_key": "a", "_type": "t", "_class": "C"}]}"#).unwrap_err();
    assert!(
        err.contains("unknown top-level key `entites` (did you mean `entities`?)"),
        "{err}"
    );
    let err = load_bytes(br#"{"Relationship": []}"#).unwrap_err();
    assert!(err.contains("did you mean `relationships`?"), "{err}");
}

#[test]
fn integers_beyond_2_pow_53_are_refused() {
    let err = load_bytes(
        br#"{"entities": [{"_key": "a", "_type": "t", "_class": "C", "id": 9007199254740993}]}"#,
    )
    .unwrap_err();
    assert!(err.contains("larger than 2^53"), "{err}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(br#"{"entities": [{"_key": "a", "_type": "t", "_class": "C"}]}"#);
    assert_eq!(load_bytes(&bytes), Ok(1));
}

#[test]
fn a_symbolic_link_cycle_loads_each_file_once_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    fs::write(
        d.join("a.json"),
        r#"{"entities": [{"_key": "a", "_type": "t", "_class": "C"}]}"#,
    )
    .unwrap();
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    let graph = load_paths(&[&d], opts()).unwrap();
    assert_eq!(graph.entity_count(), 1);
    assert_eq!(graph.report().duplicates, 0);
    assert_eq!(graph.report().skipped_paths.len(), 1);
    assert!(graph.report().skipped_paths[0].contains("cycle"));
}

#[test]
fn proc_self_is_refused() {
    let err = load_paths(&["/proc/self"], opts()).unwrap_err().to_string();
    assert!(err.contains("pseudo filesystem"), "{err}");
}

/// Loads `bytes` as the file `name`: the error's text, or the number of entities.
fn load_named(name: &str, bytes: &[u8]) -> Result<usize, String> {
    let mut loader = j1ql_graph::Loader::new(opts());
    loader.add_bytes(name, bytes).map_err(|e| e.to_string())?;
    let graph = loader.finish().map_err(|e| e.to_string())?;
    Ok(graph.entity_count())
}

#[test]
fn a_nested_object_and_a_dotted_key_naming_one_property_are_an_error() {
    // Either value used to be kept silently.
    let text = "{\"entities\": [\n  {\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\",\n   \"tag\": {\"x\": 1}, \"tag.x\": 2}\n]}";
    let err = load_named("data.json", text.as_bytes()).unwrap_err();
    assert!(
        err.starts_with("data.json:3:21: entities[0]: property `tag.x` is given twice"),
        "{err}"
    );
    assert!(
        err.contains(r#"(`"tag": {"x": …}` and `"tag.x"`)"#),
        "{err}"
    );
    // The other order, deeper nesting, a relationship, JSON lines: the same error, at the
    // later spelling.
    let text = "{\"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\", \"a.b\": {\"c\": 1}, \"a\": {\"b\": {\"c\": 2}}}]}";
    let err = load_named("data.json", text.as_bytes()).unwrap_err();
    assert!(err.contains("property `a.b.c` is given twice"), "{err}");
    assert!(err.starts_with("data.json:1:"), "{err}");
    let text = "{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}\n{\"_key\": \"b\", \"_type\": \"t\", \"_class\": \"C\"}\n{\"_fromEntityKey\": \"a\", \"_toEntityKey\": \"b\", \"_class\": \"HAS\", \"w\": {\"v\": 1}, \"w.v\": 1}\n";
    let err = load_named("data.jsonl", text.as_bytes()).unwrap_err();
    assert!(err.starts_with("data.jsonl:3:"), "{err}");
    assert!(err.contains("property `w.v` is given twice"), "{err}");
    // Distinct names still flatten side by side.
    let text = br#"{"entities": [{"_key": "a", "_type": "t", "_class": "C", "tag": {"x": 1}, "tag.y": 2}]}"#;
    assert_eq!(load_named("data.json", text), Ok(1));
}

#[test]
fn version_must_be_a_whole_number_and_deleted_a_boolean() {
    let item = |extra: &str| {
        format!(r#"{{"entities": [{{"_key": "a", "_type": "t", "_class": "C", {extra}}}]}}"#)
    };
    for (extra, expected) in [
        (
            r#""_version": "x""#,
            "`_version` must be a whole number, not the string \"x\"",
        ),
        (
            r#""_version": 1.5"#,
            "`_version` must be a whole number, not the number 1.5",
        ),
        (r#""_version": -1"#, "`_version` must be a whole number"),
        (
            r#""_deleted": "yes""#,
            "`_deleted` must be true or false, not the string \"yes\"",
        ),
        (
            r#""_deleted": 1"#,
            "`_deleted` must be true or false, not the number 1",
        ),
    ] {
        let err = load_named("data.json", item(extra).as_bytes()).unwrap_err();
        assert!(err.starts_with("data.json:1:"), "{extra}: {err}");
        assert!(err.contains(expected), "{extra}: {err}");
    }
    for extra in [
        r#""_version": 3"#,
        r#""_deleted": false"#,
        r#""_deleted": true"#,
    ] {
        assert_eq!(
            load_named("data.json", item(extra).as_bytes()),
            Ok(1),
            "{extra}"
        );
    }
    let rel = r#"{"_fromEntityKey": "a", "_toEntityKey": "a", "_class": "HAS", "_deleted": "no"}"#;
    let text = format!("{{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}}\n{rel}\n");
    let err = load_named("data.jsonl", text.as_bytes()).unwrap_err();
    assert!(err.contains("`_deleted` must be true or false"), "{err}");
}

#[test]
fn a_byte_order_mark_starts_a_json_lines_file_too() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(b"{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}\n");
    bytes.extend_from_slice(b"{\"_key\": \"b\", \"_type\": \"t\", \"_class\": \"C\"}\n");
    assert_eq!(load_named("data.jsonl", &bytes), Ok(2));
}
