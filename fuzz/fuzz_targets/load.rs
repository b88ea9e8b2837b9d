//! Any bytes as a fixture file, read once as JSON (`fuzz.json`) and once as JSON-lines
//! (`fuzz.jsonl`), with and without the global mapping rules: the loader must not panic, and
//! every error must say where: `file:line:col` for malformed JSON, the item for a bad item.
//! Each file is loaded whole and in pieces (`chunk_bytes`, from the input's second byte): both
//! must give the same graph or the same error.
#![no_main]

use j1ql_graph::{LoadError, LoadOptions, Loader};
use libfuzzer_sys::fuzz_target;

fn load(name: &str, data: &[u8], global_mappings: bool, chunk_bytes: usize) -> Result<j1ql_graph::Graph, LoadError> {
    let mut loader = Loader::new(LoadOptions {
        global_mappings,
        timestamp_ms: Some(0),
        // rayon's global pool, built once: `threads: 1` built (and tore down) a pool for every
        // load, four per input, which under AddressSanitizer cost more than the loading.
        threads: 0,
        chunk_bytes,
        ..LoadOptions::default()
    });
    loader.add_bytes(name, data).and_then(|()| loader.finish())
}

/// The entities and relationships as JSON, or the error.
fn views(result: &Result<j1ql_graph::Graph, LoadError>) -> Result<Vec<serde_json::Value>, String> {
    match result {
        Ok(graph) => Ok(graph
            .entities()
            .map(|e| e.to_json())
            .chain(graph.relationships().map(|r| r.to_json()))
            .collect()),
        Err(e) => Err(e.to_string()),
    }
}

fn check(name: &str, data: &[u8], global_mappings: bool) {
    let result = load(name, data, global_mappings, usize::MAX);
    let chunk = usize::from(data.get(1).copied().unwrap_or(0) % 64) + 1;
    let pieces = load(name, data, global_mappings, chunk);
    assert_eq!(views(&pieces), views(&result), "in pieces of {chunk} bytes");
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
