//! `j1ql lsp` started the ways editors start it: `--stdio` (vscode-languageclient),
//! `--clientProcessId N` / `--clientProcessId=N`, `initialize`'s `processId`, and the
//! transports it refuses. See `docs/lsp.md` ("Starting the server").

mod lsp_client;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lsp_client::*;
use serde_json::json;

/// A stand-in for the editor's process: alive until killed.
fn editor_process() -> Child {
    Command::new("sleep")
        .arg("600")
        .spawn()
        .expect("spawn sleep")
}

/// Waits (up to 30 s: the server polls every 2 s) for the server to exit, and returns its
/// exit code and standard error.
fn wait_exit(mut client: Client) -> (Option<i32>, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = client.child.try_wait().expect("try_wait") {
            let mut stderr = String::new();
            if let Some(mut e) = client.child.stderr.take() {
                e.read_to_string(&mut stderr).expect("read stderr");
            }
            return (status.code(), stderr);
        }
        assert!(
            Instant::now() < deadline,
            "the server did not exit after its client process was gone"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn hover_works(client: &mut Client) {
    client.open(URI, "FIND User\n");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 6)}),
    );
    assert!(
        hover["contents"].to_string().contains("User"),
        "hover: {hover}"
    );
}

#[test]
fn stdio_flag_as_vscode_languageclient_passes_it() {
    let (mut client, result) = Client::start_with(
        &["lsp", "--stdio"],
        Stdio::inherit(),
        Client::default_init(),
    );
    assert_eq!(result["serverInfo"]["name"], "j1ql-lsp");
    hover_works(&mut client);
    client.shutdown();
}

#[test]
fn exits_when_the_client_process_of_the_command_line_is_gone() {
    for form in ["separate", "equals"] {
        let mut editor = editor_process();
        let pid = editor.id().to_string();
        let args: Vec<String> = match form {
            "separate" => vec!["lsp".into(), "--clientProcessId".into(), pid.clone()],
            _ => vec![
                "lsp".into(),
                format!("--clientProcessId={pid}"),
                "--stdio".into(),
            ],
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (mut client, _) = Client::start_with(&args, Stdio::piped(), Client::default_init());
        // While the editor lives, the server serves.
        hover_works(&mut client);
        assert!(
            client.child.try_wait().unwrap().is_none(),
            "{form}: exited early"
        );
        editor.kill().expect("kill");
        editor.wait().expect("wait");
        let (code, stderr) = wait_exit(client);
        assert_eq!(code, Some(1), "{form}: {stderr}");
        assert!(
            stderr.contains(&format!("the client process {pid} is gone")),
            "{form}: {stderr}"
        );
    }
}

#[test]
fn exits_when_the_process_id_of_initialize_is_gone() {
    let mut editor = editor_process();
    let pid = editor.id();
    let mut init = Client::default_init();
    init["processId"] = json!(pid);
    let (mut client, _) = Client::start_with(&["lsp"], Stdio::piped(), init);
    hover_works(&mut client);
    editor.kill().expect("kill");
    editor.wait().expect("wait");
    let (code, stderr) = wait_exit(client);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("the client process {pid} is gone")),
        "{stderr}"
    );
}

#[test]
fn other_transports_are_refused_with_their_name() {
    for (arg, named) in [
        ("--pipe=/tmp/x.sock", "`--pipe=/tmp/x.sock`"),
        ("--socket=5007", "`--socket=5007`"),
        ("--node-ipc", "`--node-ipc`"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_j1ql"))
            .args(["lsp", arg])
            .stdin(Stdio::null())
            .output()
            .expect("run j1ql lsp");
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{arg}: {stderr}");
        assert!(
            stderr.contains("standard input and output only"),
            "{arg}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{arg}: wrote to stdout");
    }
}

#[test]
fn a_client_process_id_that_is_not_a_number_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(["lsp", "--clientProcessId=abc"])
        .stdin(Stdio::null())
        .output()
        .expect("run j1ql lsp");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--clientProcessId"));
}
