//! The JSON-RPC test client of the language server's end-to-end tests: spawns `j1ql lsp`,
//! frames messages (Content-Length), answers the server's own requests, and normalises
//! responses (file URIs and temporary paths) for snapshots.
#![allow(dead_code)] // each test binary uses a part

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A running `j1ql lsp` and its JSON-RPC connection.
pub struct Client {
    pub child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen while waiting for something else.
    pub pending: Vec<Value>,
    /// How long to wait for a response or notification.
    pub timeout: Duration,
    /// Requests the server sent (answered with `null`).
    pub server_requests: Vec<Value>,
}

pub const URI: &str = "file:///tmp/j1ql-lsp-test/queries.j1ql";

impl Client {
    pub fn start(init: Value) -> (Client, Value) {
        Client::start_with(&["lsp"], Stdio::inherit(), init)
    }

    /// Starts `j1ql` with `args` (e.g. `["lsp", "--stdio"]`), its standard error going to
    /// `stderr`, and initializes it with `init`.
    pub fn start_with(args: &[&str], stderr: Stdio, init: Value) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_j1ql"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start j1ql lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON body");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            rx,
            next_id: 0,
            pending: Vec::new(),
            server_requests: Vec::new(),
            timeout: Duration::from_secs(20),
        };
        let result = client.request("initialize", init);
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn default_init() -> Value {
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {},
            "initializationOptions": { "diagnosticsDelayMs": 10, "docsUrl": "https://example.test/lint-rules.md" }
        })
    }

    pub fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a body as is (malformed messages).
    pub fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Waits for the response with `id` (of a request sent with [`Client::send`]).
    pub fn wait_for_response(&mut self, id: i64) -> Value {
        self.wait_for_response_where(|m| m["id"] == id)
    }

    /// Waits for a response satisfying `pred`.
    pub fn wait_for_response_where(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let is_response = |m: &Value| m.get("method").is_none() && m.get("id").is_some();
        if let Some(i) = self.pending.iter().position(|m| is_response(m) && pred(m)) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let m = self.recv(deadline).expect("no such response");
            if is_response(&m) && pred(&m) {
                return m;
            }
            self.pending.push(m);
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message from the server, answering its requests (`client/registerCapability`
    /// ...) with a `null` result on the way.
    pub fn recv(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = match self.rx.recv_timeout(left) {
                Ok(v) => v,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("server exited"),
            };
            if m.get("id").is_some() && m.get("method").is_some() {
                let id = m["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                self.server_requests.push(m);
                continue;
            }
            return Some(m);
        }
    }

    /// Waits until the server has sent a request `method` (answered already).
    pub fn wait_for_server_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(r) = self.server_requests.iter().find(|r| r["method"] == method) {
                return r.clone();
            }
            // `recv` answers requests without returning them: look again every 50 ms.
            let step = (Instant::now() + Duration::from_millis(50)).min(deadline);
            match self.recv(step) {
                Some(m) => self.pending.push(m),
                None if Instant::now() >= deadline => {
                    panic!("no {method} request from the server")
                }
                None => {}
            }
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + self.timeout;
        loop {
            let m = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to {method}"));
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            self.pending.push(m);
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Waits for a notification `method` whose params satisfy `pred`.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .pending
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.pending.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let m = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no {method} notification"));
            if m["method"] == method && pred(&m["params"]) {
                return m["params"].clone();
            }
            self.pending.push(m);
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "j1ql", "version": 1, "text": text}}),
        );
    }

    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

pub fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// `value` with every occurrence of `dir` (as a path or inside a `file://` URI) replaced by
/// `$DIR`, so snapshots do not depend on where the temporary folder is.
pub fn normalize(value: &Value, dir: &std::path::Path) -> Value {
    let dir = dir.to_string_lossy().to_string();
    let text = serde_json::to_string(value).unwrap();
    let text = text
        .replace(&format!("file://{dir}"), "file://$DIR")
        .replace(&dir, "$DIR");
    serde_json::from_str(&text).unwrap()
}

/// Pretty JSON for a snapshot.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// Semantic tokens decoded into one line each: `line:col len type "text"`, so a snapshot can
/// be read by eye. `legend` is the server's token types, `text` the document.
pub fn decode_tokens(data: &Value, legend: &[String], text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let nums: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut col) = (0u64, 0u64);
    let mut out = String::new();
    for t in nums.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            col = t[1];
        } else {
            col += t[1];
        }
        let l: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let word = String::from_utf16_lossy(&l[col as usize..(col + t[2]) as usize]);
        out.push_str(&format!(
            "{line}:{col} {} {} {word:?}\n",
            t[2], legend[t[3] as usize]
        ));
    }
    out
}

/// A completion response as one line per item: label, kind, detail, sort text.
pub fn completion_table(result: &Value) -> String {
    let items = result.get("items").unwrap_or(result);
    let mut out = format!(
        "isIncomplete: {}\n",
        result.get("isIncomplete").unwrap_or(&Value::Null)
    );
    for i in items.as_array().unwrap() {
        out.push_str(&format!(
            "{} | kind {} | {} | {}\n",
            i["label"].as_str().unwrap(),
            i["kind"],
            i["detail"].as_str().unwrap_or("-"),
            i["sortText"].as_str().unwrap_or("-"),
        ));
    }
    out
}

/// Asserts a snapshot in `snapshots/lsp`.
#[macro_export]
macro_rules! snap {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots/lsp");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}
