//! `pull` against a real `j1ql serve`: the recorded fixture answers the queries as the
//! account does; redaction; nothing written when the server stops.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{device_data, guarded, quick_policy, run_json, Served, ACCOUNT, TOKEN};
use j1ql_remote::pull::{pull, redact_pattern, PullOptions, FIXTURE_FILE, REDACTED};
use j1ql_remote::{block_on, Event, QueryOptions, RemoteError};
use serde_json::Value;

const DEMO_QUERIES: &[&str] = &[
    "FIND User WITH active = true",
    "FIND User AS u THAT IS Person AS p RETURN u.email AS email, p.displayName AS name",
    "FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN a.displayName AS account, count(b) AS buckets",
    "FIND User THAT IS Person RETURN TREE",
    "FIND User AS u THAT IS Person AS p RETURN u, p",
];

/// An answer with its rows (or vertices and edges) sorted: without ORDER BY neither the
/// account nor the fixtures promise an order. Everything else must be equal, metadata
/// (`_id`, `_createdOn`, `_version`, ...) included.
fn unordered(mut answer: Value) -> Value {
    fn sort(rows: &mut Value) {
        if let Some(a) = rows.as_array_mut() {
            a.sort_by_key(|v| v.to_string());
        }
    }
    if answer["type"] == "tree" {
        sort(&mut answer["data"]["vertices"]);
        sort(&mut answer["data"]["edges"]);
    } else {
        sort(&mut answer["data"]);
    }
    answer
}

#[test]
fn pulled_fixtures_answer_like_the_account() {
    let server = Served::start(guarded(vec![]));
    let client = server.client();
    let queries: Vec<String> = DEMO_QUERIES.iter().map(|q| q.to_string()).collect();
    let recording = block_on(pull(&client, &queries, &PullOptions::default())).unwrap();
    assert!(!recording.entities.is_empty());
    assert!(!recording.relationships.is_empty());
    let out = tempfile::tempdir().unwrap();
    let path = recording.write(out.path(), None).unwrap();
    assert_eq!(path, out.path().join(FIXTURE_FILE));
    for query in DEMO_QUERIES {
        let remote = block_on(client.query(query, &QueryOptions::default())).unwrap();
        assert_eq!(
            unordered(run_json(vec![out.path().into()], query)),
            unordered(remote.to_json()),
            "{query}"
        );
    }
    // Relationships between recorded entities are kept even when no query traversed them:
    // every relationship of the account whose two ends were recorded is in the file.
    let account = run_json(vec![], "FIND * AS a THAT RELATES TO AS r * AS b RETURN r._id AS id, a._id AS a, b._id AS b LIMIT 10000");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let recorded: std::collections::HashSet<&str> = file["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["_id"].as_str().unwrap())
        .collect();
    let kept: std::collections::HashSet<&str> = file["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["_id"].as_str().unwrap())
        .collect();
    let mut between = 0;
    for row in account["data"].as_array().unwrap() {
        let (a, b) = (row["a"].as_str().unwrap(), row["b"].as_str().unwrap());
        if recorded.contains(a) && recorded.contains(b) {
            between += 1;
            assert!(kept.contains(row["id"].as_str().unwrap()), "{row}");
        }
    }
    assert!(between > 0);
    // Ownership is kept.
    for e in file["entities"].as_array().unwrap() {
        assert!(e["_source"].is_string() && e["_scope"].is_string(), "{e}");
    }
}

#[test]
fn traversed_entities_are_recorded_for_table_answers() {
    let data = device_data(40);
    let server = Served::start(guarded(vec![data.path().into()]));
    let client = server.client();
    let query =
        "FIND Person AS p THAT HAS Device WITH platform = 'linux' AS d RETURN p.email AS email, count(d) AS n";
    let recording = block_on(pull(&client, &[query.to_string()], &PullOptions::default())).unwrap();
    // The 20 linux devices and their 5 owners (device i belongs to person i % 10, so only
    // even-numbered people own linux devices); not the darwin devices or the other people.
    assert_eq!(recording.entities.len(), 25);
    let out = tempfile::tempdir().unwrap();
    recording.write(out.path(), None).unwrap();
    assert_eq!(
        unordered(run_json(vec![out.path().into()], query)),
        unordered(run_json(vec![data.path().into()], query))
    );
}

#[test]
fn redacted_properties_are_replaced() {
    let data = device_data(4);
    let server = Served::start(guarded(vec![data.path().into()]));
    let options = PullOptions {
        redact: Some(redact_pattern("token|secret").unwrap()),
        ..Default::default()
    };
    let recording = block_on(pull(
        &server.client(),
        &["FIND Person".to_string()],
        &options,
    ))
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = recording
        .write(out.path(), options.redact.as_ref())
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("secret-"), "{text}");
    let file: Value = serde_json::from_str(&text).unwrap();
    for e in file["entities"].as_array().unwrap() {
        assert_eq!(e["apiToken"], REDACTED);
        assert!(e["email"].as_str().unwrap().ends_with("@example.com"));
    }
}

#[test]
fn a_server_that_stops_mid_pull_writes_nothing() {
    let data = device_data(620);
    let server = Served::start(guarded(vec![data.path().into()]));
    let stop = server.stopper();
    let pages = Arc::new(AtomicUsize::new(0));
    let counter = pages.clone();
    let observer: j1ql_remote::Observer = Arc::new(move |e: &Event| {
        if let Event::Page { .. } = e {
            if counter.fetch_add(1, Ordering::SeqCst) == 1 {
                stop();
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    });
    let client = server.client_with(TOKEN, ACCOUNT, quick_policy(), Some(observer));
    let e = block_on(pull(
        &client,
        &["FIND Device LIMIT 1000".to_string()],
        &PullOptions::default(),
    ))
    .unwrap_err();
    assert!(
        matches!(e, RemoteError::Interrupted { pages: 2, .. }),
        "{e:?}"
    );
}
