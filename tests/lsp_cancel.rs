//! `$/cancelRequest` of `j1ql.runQuery` reaches the evaluator: over stdio, a query that would
//! run for hours (a budget of 10^13 units in `[run] budget`) is cancelled, answered with
//! `RequestCancelled`, and the next query runs. `j1ql.runQuery` evaluations take turns (one
//! run slot, held by the evaluating thread until it stops), so the next answer can only come
//! once the cancelled evaluation has really stopped.

mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};

/// 50 users, 50 devices, every user HAS every device.
fn complete_graph() -> String {
    let mut entities: Vec<Value> = (0..50)
        .map(|i| json!({"_key": format!("u{i}"), "_type": "user", "_class": "User", "name": format!("user {i}")}))
        .collect();
    entities.extend((0..50).map(|i| {
        json!({"_key": format!("d{i}"), "_type": "device", "_class": "Device", "name": format!("device {i}")})
    }));
    let mut relationships = Vec::new();
    for u in 0..50 {
        for d in 0..50 {
            relationships.push(json!({"_class": "HAS", "_fromEntityKey": format!("u{u}"),
                                      "_toEntityKey": format!("d{d}")}));
        }
    }
    json!({"entities": entities, "relationships": relationships}).to_string()
}

/// Six HAS hops with a WHERE no path passes: 50^7 (about 8 * 10^11) units of work, no row.
const RUNAWAY: &str = "FIND User AS a THAT HAS Device AS b THAT HAS User AS c THAT HAS Device AS d \
                       THAT HAS User AS e THAT HAS Device AS f THAT HAS User AS g WHERE g.name = b.name";

#[test]
fn a_cancelled_run_stops_and_the_next_query_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/graph.json"), complete_graph()).unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        "data = [\"data\"]\n[run]\nbudget = 10_000_000_000_000\n",
    )
    .unwrap();
    let uri = format!("file://{}/q.j1ql", dir.path().display());
    let (mut client, _) = Client::start(Client::default_init());
    client.open(
        &uri,
        &format!("{RUNAWAY}\nFIND User WITH name = 'user 7'\n"),
    );
    client.diagnostics(&uri, 1);

    client.send(
        json!({"jsonrpc": "2.0", "id": 100, "method": "workspace/executeCommand",
                       "params": {"command": "j1ql.runQuery", "arguments": [uri, 0]}}),
    );
    // Give the evaluation time to start (it would run for hours), then cancel it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    client.notify("$/cancelRequest", json!({"id": 100}));
    client.send(
        json!({"jsonrpc": "2.0", "id": 101, "method": "workspace/executeCommand",
                       "params": {"command": "j1ql.runQuery", "arguments": [uri, 1]}}),
    );

    // The next query is answered (it waited for the run slot, which the cancelled evaluation
    // held until it stopped), and the cancelled one was answered first, with
    // RequestCancelled (-32800). On failure the server is killed: a runaway evaluation would
    // otherwise keep it (and the test run holding its standard error) alive.
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let next = client.wait_for_response(101);
        let names: Vec<&str> = next["result"]["data"]
            .as_array()
            .unwrap_or_else(|| panic!("{next}"))
            .iter()
            .map(|e| e["properties"]["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(names, ["user 7"], "{next}");
        let cancelled = client
            .pending
            .iter()
            .find(|m| m["id"] == 100)
            .unwrap_or_else(|| {
                panic!(
                    "no answer to the cancelled request before the next one: {:?}",
                    client.pending
                )
            });
        assert_eq!(cancelled["error"]["code"], -32800, "{cancelled}");
    }));
    if let Err(panic) = checked {
        let _ = client.child.kill();
        std::panic::resume_unwind(panic);
    }
    client.shutdown();
}
