//! A file loaded in pieces (`LoadOptions::chunk_bytes` smaller than the file) gives what the
//! same file loaded whole gives: the same graph, interned alike, the same report, and for bad
//! input the same error, whatever the piece size and whatever the strings hold (brackets,
//! commas and escaped quotes falling on piece boundaries).

use std::path::Path;

use j1ql_graph::{Graph, LoadOptions, Loader};
use proptest::prelude::*;

/// Everything a load gives, as text: the graph (entities, relationships, their interned
/// names and the adjacency), the report, or the error.
fn outcome(name: &str, bytes: &[u8], chunk_bytes: usize, threads: usize) -> String {
    let mut loader = Loader::new(LoadOptions {
        timestamp_ms: Some(0),
        chunk_bytes,
        threads,
        ..LoadOptions::default()
    });
    match loader.add_bytes(name, bytes).and_then(|()| loader.finish()) {
        Ok(graph) => dump(&graph),
        Err(e) => format!("error: {e}"),
    }
}

fn dump(graph: &Graph) -> String {
    let mut out = format!("{:?}\n", graph.report());
    for e in graph.entities() {
        out += &format!(
            "{} {:?} {:?} out {:?} in {:?}\n",
            e.to_json(),
            e.class_syms(),
            e.property_syms(),
            graph.outgoing(e.id()),
            graph.incoming(e.id())
        );
    }
    for r in graph.relationships() {
        out += &format!("{}\n", r.to_json());
    }
    out
}

/// Loads `bytes` whole and in pieces of several sizes, on one thread and on several.
fn assert_pieces_agree(name: &str, bytes: &[u8], sizes: &[usize]) {
    let whole = outcome(name, bytes, usize::MAX, 1);
    for &size in sizes {
        for threads in [1, 3] {
            let pieces = outcome(name, bytes, size, threads);
            assert_eq!(
                pieces, whole,
                "{name}: pieces of {size} bytes on {threads} thread(s) differ from the whole file"
            );
        }
    }
}

#[test]
fn the_demo_and_conformance_fixtures_load_alike_in_pieces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = 0;
    for dir in ["crates/j1ql-eval/data/demo", "tests/conformance/fixtures"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixture folder") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("fixture");
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert_pieces_agree(&name, &bytes, &[1, 7, 100, 1000]);
            // The same items as JSON-lines: one per line.
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            let mut lines = String::new();
            for list in ["entities", "relationships"] {
                for item in value[list].as_array().into_iter().flatten() {
                    lines += &format!("{item}\n");
                }
            }
            let jsonl = name.replace(".json", ".jsonl");
            assert_pieces_agree(&jsonl, lines.as_bytes(), &[1, 50, 400]);
            files += 1;
        }
    }
    assert!(files >= 9, "only {files} fixture files");
}

#[test]
fn errors_keep_the_file_line_and_column_of_loading_whole() {
    let cases: &[&str] = &[
        // A syntax error in a later element wins over an item error in an earlier one.
        "{\"entities\": [\n {\"_key\": \"a\"},\n {\"_key\": \"b\", \"_type\": \"t\", \"_class\": \"C\" \"x\": 1}\n]}",
        // An unterminated string swallowing the brackets after it.
        "{\"entities\": [{\"_key\": \"a}, {\"_key\": \"b\"}],\n \"relationships\": [1]}",
        // Relationships before entities: the first error by position.
        "{\"relationships\": [{\"_class\": \"HAS\", \"_fromEntityKey\": tru}],\n \"entities\": [{\"_key\": 1x}]}",
        // A typo'd key, an item error, a wrong `relationships`, a bad rule.
        "{\"entites\": [], \"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}]}",
        "{\"entities\": [{\"_key\": \"a\", \"_type\": \"t\"}, {\"_key\": \"b\"}]}",
        "{\"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}], \"relationships\": 3}",
        "{\"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}], \"mappingRules\": [{}]}",
        "{\"scope\": 1, \"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\"}]}",
        // A property given twice (the error points into the file), a bad `_version`.
        "{\"entities\": [\n  {\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\",\n   \"tag\": {\"x\": 1}, \"tag.x\": 2}]}",
        "{\"entities\": [{\"_key\": \"a\", \"_type\": \"t\", \"_class\": \"C\", \"_version\": \"2\"}]}",
        // A byte order mark, then a syntax error on the first line.
        "\u{feff}{\"entities\": [{\"_key\": \"a\" \"_type\": \"t\"}]}",
        // Integers beyond 2^53, a duplicate key inside an element.
        "{\"entities\": [{\"_key\": \"a\", \"n\": 9007199254740993}]}",
        "{\"entities\": [{\"_key\": \"a\", \"_key\": \"b\"}]}",
    ];
    for text in cases {
        let whole = outcome("bad.json", text.as_bytes(), usize::MAX, 1);
        assert!(whole.starts_with("error: "), "{text}: {whole}");
        for size in [1, 10, 30] {
            assert_eq!(
                outcome("bad.json", text.as_bytes(), size, 2),
                whole,
                "{text}"
            );
        }
    }
    let lines = "{\"_key\": \"a\", \"_type\": \"t\"}\n\n{\"_key\": \"b\", \"_type\": \"t\", \"_class\": \"C\"}\n{bad\n";
    let whole = outcome("bad.jsonl", lines.as_bytes(), usize::MAX, 1);
    assert!(whole.contains("bad.jsonl:4:"), "{whole}");
    for size in [1, 20, 60] {
        assert_eq!(outcome("bad.jsonl", lines.as_bytes(), size, 2), whole);
    }
}

/// A string that likes to hold the bytes a scan could trip on.
fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\\\"".to_string()),
            Just("\n".to_string()),
            Just("é".to_string()),
            "[a-c]{1,3}",
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

#[derive(Debug, Clone)]
struct Item {
    key: String,
    value: String,
    nested: bool,
}

fn payload(entities: &[Item], edges: &[(usize, usize, String)], pretty: bool) -> String {
    let entity = |e: &Item| {
        let mut v = serde_json::json!({"_key": e.key, "_type": "t", "_class": "C", "v": e.value});
        if e.nested {
            v["tag"] = serde_json::json!({"x": [e.value, {"y": e.value}]});
        }
        v
    };
    let value = serde_json::json!({
        "source": "s",
        "entities": entities.iter().map(entity).collect::<Vec<_>>(),
        "relationships": edges.iter().map(|(a, b, note)| serde_json::json!({
            "_class": "HAS",
            "_fromEntityKey": entities[*a % entities.len()].key,
            "_toEntityKey": entities[*b % entities.len()].key,
            "note": note,
        })).collect::<Vec<_>>(),
    });
    if pretty {
        serde_json::to_string_pretty(&value).unwrap()
    } else {
        value.to_string()
    }
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(
        (tricky_string(), tricky_string(), any::<bool>()).prop_map(|(key, value, nested)| Item {
            key,
            value,
            nested,
        }),
        1..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_payloads_load_alike_in_pieces(
        entities in items(),
        edges in prop::collection::vec((0usize..20, 0usize..20, tricky_string()), 0..12),
        pretty in any::<bool>(),
        size in 1usize..200,
    ) {
        let text = payload(&entities, &edges, pretty);
        let whole = outcome("p.json", text.as_bytes(), usize::MAX, 1);
        prop_assert_eq!(outcome("p.json", text.as_bytes(), size, 2), whole);
    }

    #[test]
    fn generated_json_lines_load_alike_in_pieces(
        entities in items(),
        edges in prop::collection::vec((0usize..20, 0usize..20, tricky_string()), 0..12),
        size in 1usize..200,
    ) {
        let value: serde_json::Value =
            serde_json::from_str(&payload(&entities, &edges, false)).unwrap();
        let mut text = String::new();
        for list in ["entities", "relationships"] {
            for item in value[list].as_array().unwrap() {
                text += &format!("{item}\n");
            }
        }
        let whole = outcome("p.jsonl", text.as_bytes(), usize::MAX, 1);
        prop_assert_eq!(outcome("p.jsonl", text.as_bytes(), size, 2), whole);
    }

    /// One byte changed anywhere: whatever the whole file gives (a graph or an error with its
    /// position), the pieces give too.
    #[test]
    fn damaged_payloads_fail_alike_in_pieces(
        entities in items(),
        edges in prop::collection::vec((0usize..20, 0usize..20, tricky_string()), 0..6),
        pretty in any::<bool>(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[],:\"\\ x1n\n".to_vec()),
        size in 1usize..120,
    ) {
        let mut bytes = payload(&entities, &edges, pretty).into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let whole = outcome("d.json", &bytes, usize::MAX, 1);
        prop_assert_eq!(outcome("d.json", &bytes, size, 2), whole);
        let whole = outcome("d.jsonl", &bytes, usize::MAX, 1);
        prop_assert_eq!(outcome("d.jsonl", &bytes, size, 2), whole);
    }
}

#[test]
fn progress_counts_every_byte_once_in_file_order() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().expect("temp dir");
    let big = payload(
        &(0..50)
            .map(|i| Item {
                key: format!("k{i}"),
                value: "{,}".into(),
                nested: i % 2 == 0,
            })
            .collect::<Vec<_>>(),
        &[(1, 2, "x".into())],
        true,
    );
    std::fs::write(dir.path().join("a.json"), r#"{"entities": []}"#).unwrap();
    std::fs::write(dir.path().join("b.json"), &big).unwrap();
    let total = (16 + big.len()) as u64;
    let calls: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let seen = calls.clone();
    let mut loader = Loader::new(LoadOptions {
        chunk_bytes: 100,
        progress: Some(j1ql_graph::Progress(Arc::new(move |done, all| {
            seen.lock().unwrap().push((done, all))
        }))),
        ..LoadOptions::default()
    });
    loader
        .add_paths(&[dir.path().to_path_buf()])
        .expect("loads");
    let calls = calls.lock().unwrap().clone();
    assert!(calls.len() > 3, "{calls:?}");
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "{calls:?}");
    assert!(calls.iter().all(|&(_, all)| all == total), "{calls:?}");
    assert_eq!(calls.last().unwrap().0, total);
}
