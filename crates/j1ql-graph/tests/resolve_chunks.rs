//! Endpoint resolution works through the relationships a chunk at a time on several threads:
//! every relationship is inserted or reported, in input order, whatever the thread count.

use j1ql_graph::{LoadOptions, Loader};

/// More than two resolution chunks (65,536 relationships each).
const RELS: usize = 2 * 65_536 + 5;
const UNRESOLVED: usize = 65_536;

fn payload() -> String {
    let mut text = String::from(r#"{"scope": "s", "entities": ["#);
    for i in 0..100 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"_key": "e{i}", "_type": "t", "_class": "C"}}"#
        ));
    }
    text.push_str(r#"], "relationships": ["#);
    for i in 0..RELS {
        if i > 0 {
            text.push(',');
        }
        let to = if i == UNRESOLVED {
            "missing".to_string()
        } else {
            format!("e{}", (i * 7) % 100)
        };
        let key = if i == UNRESOLVED - 1 {
            String::new() // a generated key, at a chunk's end
        } else {
            format!(r#""_key": "r{i}", "#)
        };
        text.push_str(&format!(
            r#"{{{key}"_class": "HAS", "_fromEntityKey": "e{}", "_toEntityKey": "{to}"}}"#,
            i % 100
        ));
    }
    text.push_str("]}");
    text
}

fn load(text: &str, threads: usize) -> j1ql_graph::Graph {
    let mut loader = Loader::new(LoadOptions {
        timestamp_ms: Some(0),
        threads,
        ..LoadOptions::default()
    });
    loader.add_bytes("p.json", text.as_bytes()).unwrap();
    loader.finish().unwrap()
}

#[test]
fn every_relationship_across_chunks_is_inserted_or_reported() {
    let text = payload();
    let one = load(&text, 1);
    let three = load(&text, 3);
    for g in [&one, &three] {
        assert_eq!(g.relationship_count(), RELS - 1);
        let skipped = &g.report().skipped_relationships;
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].index, UNRESOLVED);
        assert_eq!(skipped[0].endpoint, "missing");
        let keys: Vec<&str> = g.relationships().map(|r| r.key()).collect();
        assert_eq!(keys[0], "r0");
        assert_eq!(keys[UNRESOLVED - 1], "e35|has|e45");
        assert_eq!(keys[UNRESOLVED], format!("r{}", UNRESOLVED + 1));
        assert_eq!(keys[RELS - 2], format!("r{}", RELS - 1));
    }
    let ids = |g: &j1ql_graph::Graph| -> Vec<String> {
        g.relationships().map(|r| r.id_str().to_string()).collect()
    };
    assert_eq!(ids(&one), ids(&three));
    let last = one.relationships().last().unwrap();
    assert_eq!(one.relationship_by_id(last.id_str()), Some(last.id()));
}

#[test]
fn relationship_indexes_count_per_file_in_json_lines() {
    let mut loader = Loader::new(LoadOptions {
        timestamp_ms: Some(0),
        ..LoadOptions::default()
    });
    let lines = [
        r#"{"_key": "a", "_type": "t", "_class": "C"}"#,
        r#"{"_class": "HAS", "_fromEntityKey": "a", "_toEntityKey": "a"}"#,
        r#"{"_key": "b", "_type": "t", "_class": "C"}"#,
        r#"{"_class": "USES", "_fromEntityKey": "a", "_toEntityKey": "b"}"#,
        r#"{"_class": "HAS", "_fromEntityKey": "a", "_toEntityKey": "nope"}"#,
    ]
    .join("\n");
    loader.add_bytes("one.jsonl", lines.as_bytes()).unwrap();
    let second = r#"{"_class": "HAS", "_fromEntityKey": "x", "_toEntityKey": "a"}"#;
    loader.add_bytes("two.jsonl", second.as_bytes()).unwrap();
    let g = loader.finish().unwrap();
    assert_eq!(g.relationship_count(), 2);
    let skipped: Vec<(&str, usize, Option<usize>)> = g
        .report()
        .skipped_relationships
        .iter()
        .map(|s| (s.file.as_str(), s.index, s.line))
        .collect();
    assert_eq!(
        skipped,
        [("one.jsonl", 2, Some(5)), ("two.jsonl", 0, Some(1))]
    );
}
