//! The first byte picks a small graph shape, the rest is a query: evaluation on the graph never
//! panics, and with a small work budget it either answers or stops with a budget error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// The graph of a shape byte: 1 to 16 users and devices with `HAS` relationships in a
/// byte-chosen pattern. Built once per shape and reused (as the language server and
/// `j1ql serve` reuse theirs), so that the fuzzer's time goes to evaluation.
fn graph(shape: u8) -> Option<&'static j1ql_graph::Graph> {
    static GRAPHS: OnceLock<Vec<OnceLock<Option<j1ql_graph::Graph>>>> = OnceLock::new();
    let graphs = GRAPHS.get_or_init(|| (0..256).map(|_| OnceLock::new()).collect());
    graphs[usize::from(shape)]
        .get_or_init(|| {
            let n = usize::from(shape % 16) + 1;
            let entities: Vec<_> = (0..n)
                .map(|i| {
                    json!({"_key": format!("e{i}"), "_type": if i % 2 == 0 { "user" } else { "device" },
                           "_class": if i % 2 == 0 { "User" } else { "Device" },
                           "name": format!("n{}", i % 3), "score": i, "tag.True": i % 2 == 0})
                })
                .collect();
            let relationships: Vec<_> = (0..n)
                .map(|i| {
                    json!({"_key": format!("r{i}"), "_type": "user_has_device", "_class": "HAS",
                           "_fromEntityKey": format!("e{i}"),
                           "_toEntityKey": format!("e{}", (i * usize::from(shape) + 1) % n)})
                })
                .collect();
            j1ql_graph::Graph::from_json_value(
                &json!({"entities": entities, "relationships": relationships}),
            )
            .ok()
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some((&shape, rest)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(rest) else {
        return;
    };
    let Some(graph) = graph(shape) else {
        return;
    };
    let options = j1ql_eval::EvalOptions {
        budget: j1ql_eval::Budget {
            max_work: 10_000,
            max_rows: 1_000,
            ..j1ql_eval::Budget::default()
        },
        ..j1ql_eval::EvalOptions::default()
    };
    let _ = j1ql_eval::run_query(
        query,
        graph,
        &j1ql_semantics::Context::builtin(),
        &options,
    );
});
