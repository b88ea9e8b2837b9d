//! The language server and the workspace config: `j1ql.toml` (found from the document upward)
//! with `data`, `[params]` and `[smart-classes]` feeds diagnostics, hover, completion and
//! `j1ql.runQuery`, and is reloaded when it or the data changes
//! (`workspace/didChangeWatchedFiles`, registered dynamically). Over stdio, against a
//! temporary workspace.

mod lsp_client;

use std::path::Path;

use lsp_client::*;
use serde_json::{json, Value};

const CONFIG: &str = r#"data = ["./data"]
now = "2025-01-01T00:00:00Z"
[params]
minAge = 40
[smart-classes]
ProdBucket = "_type = 'aws_s3_bucket' and tag.Production = true"
"#;

fn data(extra_tag: &str) -> String {
    json!({
        "source": "api", "scope": "test",
        "entities": [
            {"_key": "u1", "_type": "okta_user", "_class": "User", "displayName": "ann",
             "age": 45, "favouriteColour": "blue", "tags": ["Prod"]},
            {"_key": "u2", "_type": "okta_user", "_class": "User", "displayName": "bob",
             "age": 30, "favouriteColour": "blue"},
            {"_key": "b1", "_type": "aws_s3_bucket", "_class": "DataStore", "displayName": "logs",
             "tag.Production": true, "tags": [extra_tag]},
            {"_key": "w1", "_type": "acme_widget", "_class": "Device", "displayName": "w"}
        ],
        "relationships": []
    })
    .to_string()
}

const QUERIES: &str = "FIND User WITH age > ${ param.minAge } AND favouriteColour = 'blue'
FIND #ProdBucket
FIND #Prod
FIND #Nope
FIND User WITH age > ${ param.maxAge }
FIND acme_widget
FIND # 
FIND User WITH age > 
FIND User AS u WHERE u.
FIND User WITH age > ${
FIND aws_s3_bucket WITH tag.
";

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::create_dir(dir.path().join("queries")).unwrap();
        std::fs::write(dir.path().join("j1ql.toml"), CONFIG).unwrap();
        std::fs::write(dir.path().join("data/account.json"), data("Other")).unwrap();
        Workspace { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}/{rel}", self.path().display())
    }
}

fn start(watch: bool) -> Client {
    let mut init = Client::default_init();
    init["capabilities"] =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}}});
    Client::start(init).0
}

/// `code message` of each diagnostic on `line`.
fn on_line(diagnostics: &[Value], line: u64) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d["range"]["start"]["line"] == line)
        .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["message"]))
        .collect()
}

#[test]
fn config_feeds_diagnostics_hover_completion_and_run() {
    let ws = Workspace::new();
    let uri = ws.uri("queries/q.j1ql");
    let mut client = start(false);
    client.open(&uri, QUERIES);
    let d = client.diagnostics(&uri, 1);
    // Configured parameter and smart class, a tag of the data, a type of the data: fine.
    for line in [0, 1, 2, 5] {
        assert!(
            on_line(&d, line).is_empty(),
            "line {line}: {:?}",
            on_line(&d, line)
        );
    }
    // Neither configured nor a tag; a parameter [params] lacks.
    assert!(
        on_line(&d, 3).iter().any(|m| m.starts_with("S012")),
        "{d:?}"
    );
    let unknown_param = on_line(&d, 4);
    assert!(
        unknown_param
            .iter()
            .any(|m| m.starts_with("unknown-parameter") && m.contains("`maxAge`")),
        "{unknown_param:?}"
    );
    snap!(
        "workspace_diagnostics",
        pretty(&normalize(&json!(d), ws.path()))
    );

    let hover = |client: &mut Client, line: u32, ch: u32| {
        let h = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(line, ch)}),
        );
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let param = hover(&mut client, 0, 25);
    assert!(param.contains("`minAge` = `40`"), "{param}");
    let smart = hover(&mut client, 1, 8);
    assert!(
        smart.contains("from j1ql.toml") && smart.contains("tag.Production = true"),
        "{smart}"
    );
    let count = hover(&mut client, 0, 1);
    assert!(
        count.starts_with("**1** match on the workspace data"),
        "{count}"
    );

    let complete = |client: &mut Client, line: u32, ch: u32| {
        client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(line, ch)}),
        )
    };
    let smart_classes = complete(&mut client, 6, 6);
    snap!(
        "workspace_completion_smart",
        completion_table(&smart_classes)
    );
    let values = complete(&mut client, 7, 21);
    let labels = completion_table(&values);
    assert!(
        labels.contains("${ param.minAge } | kind 6 | parameter = 40"),
        "{labels}"
    );
    let dollar = complete(&mut client, 9, 23);
    snap!("workspace_completion_param", pretty(&dollar));
    let with = complete(&mut client, 0, 15);
    let with = completion_table(&with);
    assert!(
        with.lines().next_back().is_some()
            && with.contains("favouriteColour | kind 5 | seen in workspace data"),
        "{with}"
    );
    let dot = complete(&mut client, 8, 23);
    let dot = completion_table(&dot);
    assert!(
        dot.contains("favouriteColour | kind 5 | seen in workspace data")
            && dot.contains("age | kind 5 | seen in workspace data"),
        "{dot}"
    );
    // `tag.` offers the tag keys seen in the data, not properties as if `tag` were an alias.
    let tag = completion_table(&complete(&mut client, 10, 28));
    assert!(
        tag.contains("Production | kind 5 | tag seen in workspace data")
            && !tag.contains("displayName"),
        "{tag}"
    );
    // Data properties the model declares are marked too, not listed twice.
    assert_eq!(dot.matches("\ndisplayName |").count(), 1, "{dot}");
    assert!(
        dot.contains("displayName | kind 5 | string — Entity, seen in workspace data"),
        "{dot}"
    );

    // runQuery: the parameter, the smart class and the data of j1ql.toml.
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [uri, 0]}),
    );
    let names: Vec<&str> = run["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"]["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["ann"], "{run}");
    let buckets = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [uri, 1]}),
    );
    assert_eq!(
        buckets["data"][0]["entity"]["displayName"], "logs",
        "{buckets}"
    );
    // What the runs used, in words (`:J1qlRun` shows it): the data of j1ql.toml.
    let source = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.dataSource", "arguments": [uri]}),
    );
    let source = source.as_str().unwrap();
    assert!(source.starts_with("the workspace data (`"), "{source}");
    let untitled = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.dataSource", "arguments": ["untitled:q.j1ql"]}),
    );
    assert_eq!(untitled, "the demo account");
    client.shutdown();
}

#[test]
fn reloads_when_the_config_or_the_data_changes() {
    let ws = Workspace::new();
    let uri = ws.uri("queries/q.j1ql");
    let mut client = start(true);
    // The server registers a watcher for configs and data.
    let registration = client.wait_for_server_request("client/registerCapability");
    let watchers = &registration["params"]["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = watchers["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert!(
        globs.contains(&"**/j1ql.toml") && globs.contains(&"**/*.json"),
        "{globs:?}"
    );

    client.open(&uri, QUERIES);
    let d = client.diagnostics(&uri, 1);
    assert!(!on_line(&d, 4).is_empty() && !on_line(&d, 3).is_empty());

    // A new parameter in j1ql.toml.
    std::fs::write(
        ws.path().join("j1ql.toml"),
        CONFIG.replace("minAge = 40", "minAge = 40\nmaxAge = 90"),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("j1ql.toml"), "type": 2}]}),
    );
    let d = client.diagnostics(&uri, 1);
    assert!(on_line(&d, 4).is_empty(), "{:?}", on_line(&d, 4));
    assert!(!on_line(&d, 3).is_empty(), "{d:?}");

    // A new tag in the data.
    std::fs::write(ws.path().join("data/account.json"), data("Nope")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("data/account.json"), "type": 2}]}),
    );
    let d = client.diagnostics(&uri, 1);
    assert!(on_line(&d, 3).is_empty(), "{:?}", on_line(&d, 3));

    // A broken config is reported, not fatal.
    std::fs::write(ws.path().join("j1ql.toml"), "data = [").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("j1ql.toml"), "type": 2}]}),
    );
    let d = client.diagnostics(&uri, 1);
    assert!(
        d.iter().any(|d| d["code"] == "config"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("workspace settings not used")),
        "{d:?}"
    );
    // ... and said once as an error the editor shows.
    let shown = client.wait_for("window/showMessage", |p| {
        p["type"] == 1
            && p["message"].as_str().is_some_and(|m| {
                m.contains("workspace settings not used") && m.contains("j1ql.toml")
            })
    });
    assert!(
        shown["message"]
            .as_str()
            .unwrap()
            .contains("unclosed array"),
        "{shown}"
    );
    client.shutdown();
}

#[test]
fn no_watcher_registration_without_client_support() {
    let mut client = start(false);
    // A round trip: anything the server sent after `initialized` has arrived by then.
    client.request("shutdown", Value::Null);
    assert!(
        client
            .server_requests
            .iter()
            .all(|r| r["method"] != "client/registerCapability"),
        "{:?}",
        client.server_requests
    );
    client.notify("exit", Value::Null);
}

/// The same file gives the same findings in the editor and on the command line: the server and
/// `j1ql lint` both run `j1ql-project`'s pipeline with the workspace's project (data, params,
/// smart classes), and the server's query-by-query parse gives the whole parse's syntax errors
/// (`j1ql_syntax::split`), messages included — also for errors at a query's end, an unclosed
/// parenthesis and a quote inside a regex.
#[test]
fn the_server_and_lint_report_the_same_findings() {
    let ws = Workspace::new();
    let mut text: String = QUERIES.split_inclusive('\n').take(8).collect();
    text.push_str(
        "FIND User WITH (active = true AND\nFIND Host THAT\n  FIND User WITH name ~= /it's/ AND\n\
         // j1ql-ignore: S010\nFIND Usr\n",
    );
    std::fs::write(ws.path().join("queries/q.j1ql"), &text).unwrap();
    let uri = ws.uri("queries/q.j1ql");
    let mut client = start(false);
    client.open(&uri, &text);
    let mut from_server: Vec<(u64, u64, String, String)> = client
        .diagnostics(&uri, 1)
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    client.shutdown();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(["lint", "--format", "json", "queries/q.j1ql"])
        .current_dir(ws.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut from_lint: Vec<(u64, u64, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    from_server.sort();
    from_lint.sort();
    assert!(!from_lint.is_empty());
    assert!(
        from_lint.iter().any(|f| f.2 == "unknown-parameter"),
        "{from_lint:?}"
    );
    assert!(
        from_lint
            .iter()
            .any(|f| f.2 == "P004" && f.3.contains("the end of the query")),
        "the unclosed parenthesis ends with its query: {from_lint:?}"
    );
    assert!(!from_lint.iter().any(|f| f.2 == "S010"), "{from_lint:?}");
    assert_eq!(from_server, from_lint);
}
