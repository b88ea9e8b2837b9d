//! Any bytes as a fixture file, read once as JSON (`fuzz.json`) and once as JSON-lines
//! (`fuzz.jsonl`), with and without the global mapping rules: the loader must not panic, and
//! every error must say where: `file:line:col` for malformed JSON, the item for a bad item.
#![no_main]

use j1ql_graph::{LoadError, LoadOptions, Loader};
use libfuzzer_sys::fuzz_target;

fn check(name: &str, data: &[u8], global_mappings: bool) {
    let mut loader = Loader::new(LoadOptions {
        global_mappings,
        timestamp_ms: Some(0),
        threads: 1,
        ..LoadOptions::default()
    });
    let result = loader.add_bytes(name, data).and_then(|()| loader.finish());
    match result {
        Ok(graph) => {
            // The views must work on whatever was loaded.
            for e in graph.entities() {
                let _ = e.to_json();
            }
            for r in graph.relationships() {
                let _ = r.to_json();
            }
        }
        Err(LoadError::Json {
            file, line, column, ..
        }) => {
            assert_eq!(file, name);
            assert!(line >= 1, "a JSON error without a line: {line}:{column}");
        }
        Err(LoadError::Item { file, item, message }) => {
            assert_eq!(file, name);
            assert!(!item.is_empty(), "an item error without an item: {message}");
            assert!(!message.is_empty());
        }
        Err(LoadError::Unresolved(skipped)) => {
            panic!("not strict, yet unresolved endpoints were an error: {skipped:?}")
        }
        Err(LoadError::Io { .. }) => panic!("no I/O happens here"),
    }
}

fuzz_target!(|data: &[u8]| {
    let global = data.first().is_some_and(|b| b & 1 == 1);
    check("fuzz.json", data, global);
    check("fuzz.jsonl", data, !global);
});
