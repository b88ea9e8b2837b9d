//! Issue 18 in the language server: `j1ql.runQuery` leaves `_deleted: true` items out unless
//! `include-deleted` (j1ql.toml or the editor settings) says otherwise. Over stdio, against a
//! temporary workspace.

mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};

fn workspace(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/account.json"),
        json!({
            "source": "api", "scope": "s",
            "entities": [
                {"_key": "alice", "_type": "okta_user", "_class": "User", "active": true, "age": 30},
                {"_key": "ghost", "_type": "okta_user", "_class": "User", "_deleted": true,
                 "active": "yes", "age": 40}
            ],
            "relationships": []
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        format!("data = [\"data\"]\nnow = \"2025-01-01T00:00:00Z\"\n{config}"),
    )
    .unwrap();
    dir
}

fn run_keys(client: &mut Client, uri: &str) -> Vec<String> {
    let run = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": [uri, 0]}),
    );
    let mut keys: Vec<String> = run["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{run}"))
        .iter()
        .map(|e| e["entity"]["_key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

#[test]
fn run_query_honours_include_deleted() {
    for (config, settings, expected) in [
        ("", Value::Null, vec!["alice"]),
        (
            "include-deleted = true\n",
            Value::Null,
            vec!["alice", "ghost"],
        ),
        ("", json!({"include-deleted": true}), vec!["alice", "ghost"]),
        (
            "include-deleted = true\n",
            json!({"include-deleted": false}),
            vec!["alice"],
        ),
    ] {
        let dir = workspace(config);
        let uri = format!("file://{}/q.j1ql", dir.path().display());
        let mut init = Client::default_init();
        if !settings.is_null() {
            init["initializationOptions"]["config"] = settings.clone();
        }
        let (mut client, _) = Client::start(init);
        client.open(&uri, "FIND User\n");
        assert_eq!(run_keys(&mut client, &uri), expected, "{config} {settings}");
        client.shutdown();
    }
}

/// (6) A literal whose type differs from what the workspace data holds is a warning (L014)
/// with a quick fix writing it in the property's type; hover on the property shows the types
/// seen in the data.
#[test]
fn literal_type_warning_quick_fix_and_hover() {
    let dir = workspace("");
    let uri = format!("file://{}/q.j1ql", dir.path().display());
    let (mut client, _) = Client::start(Client::default_init());
    let text = "FIND okta_user WITH active = 'true' AND age = '30'\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, 1);
    let l014: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "L014").collect();
    assert_eq!(l014.len(), 2, "{diagnostics:?}");
    assert!(
        l014[0]["message"]
            .as_str()
            .unwrap()
            .contains("`'true'` is a string, but `active` holds booleans"),
        "{}",
        l014[0]["message"]
    );
    assert!(
        !diagnostics.iter().any(|d| d["code"] == "L012"),
        "{diagnostics:?}"
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": pos(0, 30), "end": pos(0, 30)},
               "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Replace with `true` (L014)")
        .unwrap_or_else(|| panic!("{actions}"));
    let edits = &fix["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "true", "{fix}");
    assert_eq!(edits[0]["range"]["start"], pos(0, 29), "{fix}");

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(0, 22)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    // The deleted user's `"yes"` is not in the data queries see.
    assert!(
        value.contains("**`active`**") && value.contains("seen in the data: boolean"),
        "{hover}"
    );
    assert!(!value.contains("string"), "{value}");
    client.shutdown();
}
