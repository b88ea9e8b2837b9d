//! The language server's "▶ Run on JupiterOne": the second lens (`remote.lens`) and
//! `j1ql.runQueryRemote` against a `j1ql serve` binary standing in for the account, a refused
//! key, and cancelling a request that the account does not answer (docs/remote.md).

mod lsp_client;
mod serve_process;

use lsp_client::*;
use serde_json::{json, Value};
use serve_process::{Serve, ACCOUNT, TOKEN};

const QUERIES: &str = "FIND User WITH active = true\n\
FIND User AS u THAT IS Person AS p RETURN u.email AS email, p.displayName AS name\n";

fn workspace(url: &str, key: &str, lens: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        format!(
            "[remote]\nurl = \"{url}\"\naccount = \"{ACCOUNT}\"\nkey-command = \"echo {key}\"\nlens = {lens}\n"
        ),
    )
    .unwrap();
    dir
}

fn lenses(client: &mut Client, uri: &str) -> Vec<(u64, String, String)> {
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap().to_string(),
                l["command"]["command"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn run_on_jupiterone_answers_like_run_and_names_a_refused_key() {
    let serve = Serve::start(&[]);
    let ws = workspace(&serve.url, TOKEN, true);
    let uri = format!("file://{}/q.j1ql", ws.path().display());
    let (mut client, init) = Client::start(Client::default_init());
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert!(
        commands
            .as_array()
            .unwrap()
            .contains(&json!("j1ql.runQueryRemote")),
        "{commands}"
    );
    client.open(&uri, QUERIES);
    assert_eq!(
        lenses(&mut client, &uri),
        vec![
            (0, "▶ Run".to_string(), "j1ql.runQuery".to_string()),
            (
                0,
                "▶ Run on JupiterOne".into(),
                "j1ql.runQueryRemote".into()
            ),
            (1, "▶ Run".into(), "j1ql.runQuery".into()),
            (
                1,
                "▶ Run on JupiterOne".into(),
                "j1ql.runQueryRemote".into()
            ),
        ]
    );
    // No data in the workspace: the local run is on the demo account, which the server
    // serves too, so the answers are equal.
    for index in [0, 1] {
        let local = client.request(
            "workspace/executeCommand",
            json!({"command": "j1ql.runQuery", "arguments": [uri, index]}),
        );
        let remote = client.request(
            "workspace/executeCommand",
            json!({"command": "j1ql.runQueryRemote", "arguments": [uri, index]}),
        );
        assert_eq!(remote, local, "query {index}");
        assert!(!remote["data"].as_array().unwrap().is_empty());
    }
    client.shutdown();

    let wrong = workspace(&serve.url, "wrong-key", false);
    let uri = format!("file://{}/q.j1ql", wrong.path().display());
    let (mut client, _) = Client::start(Client::default_init());
    client.open(&uri, QUERIES);
    // Without `remote.lens`: only the local lens.
    assert_eq!(lenses(&mut client, &uri).len(), 2);
    let response = client.request_raw(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQueryRemote", "arguments": [uri, 0]}),
    );
    let message = response["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("the API key or account was refused (401"),
        "{response}"
    );
    client.shutdown();
}

#[test]
fn a_remote_run_can_be_cancelled() {
    // An address that accepts connections and never answers: the request hangs until the
    // client cancels it.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", silent.local_addr().unwrap());
    let ws = workspace(&url, TOKEN, true);
    let uri = format!("file://{}/q.j1ql", ws.path().display());
    let (mut client, _) = Client::start(Client::default_init());
    client.open(&uri, QUERIES);
    let id = 9001;
    client.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
        "params": {"command": "j1ql.runQueryRemote", "arguments": [uri, 0]}}),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    client.notify("$/cancelRequest", json!({"id": id}));
    let response: Value = client.wait_for_response(id);
    assert_eq!(response["error"]["code"], -32800, "{response}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // The server still answers.
    assert!(!lenses(&mut client, &uri).is_empty());
    client.shutdown();
}
