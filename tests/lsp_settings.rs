//! The language server and editor settings: `initializationOptions.config` and
//! `workspace/didChangeConfiguration` (a `j1ql.toml`-shaped object) merged over the
//! workspace's `j1ql.toml`, key by key; relative `data` paths of the settings resolve against
//! the first workspace folder. Over stdio, against temporary workspaces.

mod lsp_client;

use std::path::Path;

use lsp_client::*;
use serde_json::{json, Value};

const QUERIES: &str = "FIND User WITH age > ${ param.minAge }
FIND #Nope
FIND User WITH age > ${ param.maxAge }
";

fn data() -> String {
    json!({
        "source": "api", "scope": "test",
        "entities": [
            {"_key": "u1", "_type": "okta_user", "_class": "User", "displayName": "ann", "age": 45},
            {"_key": "u2", "_type": "okta_user", "_class": "User", "displayName": "bob", "age": 30}
        ],
        "relationships": []
    })
    .to_string()
}

/// A temporary folder with `data/account.json` and `queries/`, and `j1ql.toml` if given.
fn folder(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::create_dir(dir.path().join("queries")).unwrap();
    std::fs::write(dir.path().join("data/account.json"), data()).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("j1ql.toml"), config).unwrap();
    }
    dir
}

fn uri(dir: &Path, rel: &str) -> String {
    format!("file://{}/{rel}", dir.display())
}

/// Starts the server with `dir` as its workspace folder and `config` as the settings.
fn start(dir: &Path, config: Option<Value>) -> Client {
    let mut init = Client::default_init();
    init["workspaceFolders"] = json!([{"uri": uri(dir, ""), "name": "ws"}]);
    if let Some(config) = config {
        init["initializationOptions"]["config"] = config;
    }
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

fn names(run: &Value) -> Vec<&str> {
    run["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{run}"))
        .iter()
        .map(|e| e["entity"]["displayName"].as_str().unwrap())
        .collect()
}

#[test]
fn params_of_the_settings_feed_diagnostics_and_run() {
    // `j1ql.toml` names the data and `minAge`; the settings add `maxAge`.
    let dir = folder(Some("data = [\"data\"]\n[params]\nminAge = 40\n"));
    let doc = uri(dir.path(), "queries/q.j1ql");

    // Without settings: `maxAge` is unknown.
    let mut client = start(dir.path(), None);
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(
        on_line(&d, 2)
            .iter()
            .any(|m| m.starts_with("unknown-parameter") && m.contains("maxAge")),
        "{d:?}"
    );
    client.shutdown();

    let mut client = start(dir.path(), Some(json!({"params": {"maxAge": 44}})));
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(on_line(&d, 2).is_empty(), "{:?}", on_line(&d, 2));
    assert!(on_line(&d, 0).is_empty(), "the file's params stay: {d:?}");
    assert!(!on_line(&d, 1).is_empty(), "{d:?}");
    // Run the query at column 0 of its line: that query, with the parameter of the settings.
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [doc, pos(2, 0)]}),
    );
    assert_eq!(names(&run), ["ann"]);
    // The settings' value wins over the file's.
    client.shutdown();
    let mut client = start(
        dir.path(),
        Some(json!({"params": {"minAge": 20, "maxAge": 44}})),
    );
    client.open(&doc, QUERIES);
    client.diagnostics(&doc, 1);
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [doc, pos(0, 0)]}),
    );
    assert_eq!(names(&run), ["ann", "bob"]);
    client.shutdown();
}

#[test]
fn settings_alone_name_data_relative_to_the_workspace_folder() {
    let dir = folder(None);
    let doc = uri(dir.path(), "queries/q.j1ql");
    let config = json!({"data": ["data"], "params": {"minAge": 40, "maxAge": 44}});
    let mut client = start(dir.path(), Some(config));
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(
        on_line(&d, 0).is_empty() && on_line(&d, 2).is_empty(),
        "{d:?}"
    );
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [doc, 0]}),
    );
    assert_eq!(
        names(&run),
        ["ann"],
        "the data of the folder, not the demo account"
    );
    client.shutdown();
}

#[test]
fn a_lint_setting_turns_a_rule_off() {
    let dir = folder(Some(
        "data = [\"data\"]\n[params]\nminAge = 40\nmaxAge = 44\n",
    ));
    let doc = uri(dir.path(), "queries/q.j1ql");
    let mut client = start(dir.path(), None);
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(
        on_line(&d, 1).iter().any(|m| m.starts_with("S012")),
        "{d:?}"
    );
    client.shutdown();

    let mut client = start(dir.path(), Some(json!({"lint": {"ignore": ["S012"]}})));
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(on_line(&d, 1).is_empty(), "{d:?}");
    client.shutdown();
}

#[test]
fn did_change_configuration_re_publishes_diagnostics() {
    let dir = folder(Some("data = [\"data\"]\n[params]\nminAge = 40\n"));
    let doc = uri(dir.path(), "queries/q.j1ql");
    let mut client = start(dir.path(), None);
    client.open(&doc, QUERIES);
    let d = client.diagnostics(&doc, 1);
    assert!(
        !on_line(&d, 1).is_empty() && !on_line(&d, 2).is_empty(),
        "{d:?}"
    );

    // The `j1ql` section, as VS Code-style clients send it.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"j1ql": {"config": {"params": {"maxAge": 44}}}}}),
    );
    let d = client.diagnostics(&doc, 1);
    assert!(on_line(&d, 2).is_empty(), "{d:?}");
    assert!(!on_line(&d, 1).is_empty(), "{d:?}");

    // The shape of `initializationOptions`: replaces the previous settings.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"config": {"lint": {"ignore": ["S012"]}}}}),
    );
    let d = client.diagnostics(&doc, 1);
    assert!(on_line(&d, 1).is_empty(), "{d:?}");
    assert!(!on_line(&d, 2).is_empty(), "{d:?}");

    // Settings that do not fit are reported; the file alone is used.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"config": {"format": {"indent": 0}}}}),
    );
    let d = client.diagnostics(&doc, 1);
    assert!(
        d.iter()
            .any(|d| d["code"] == "config"
                && d["message"].as_str().unwrap().contains("editor settings")),
        "{d:?}"
    );
    assert!(!on_line(&d, 1).is_empty(), "{d:?}");
    client.shutdown();
}
