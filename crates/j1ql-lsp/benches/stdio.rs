//! The language server end to end, as an editor sees it: the `j1ql` binary over stdio, a
//! document of 5,000 real-world queries from the corpus, 200 random one-character edits, each
//! followed — as Neovim does — by `semanticTokens/full/delta` (from the last result id), then
//! a completion and a hover; and the time from each `didChange` to its diagnostics (debounce
//! 0). Prints p50/p99 per operation (docs/performance.md "Language server over stdio").
//!
//! ```sh
//! cargo build --release --bin j1ql
//! J1QL_CORPUS=../shared/corpus J1QL_BIN=target/release/j1ql \
//!   cargo bench -p j1ql-lsp --bench stdio
//! ```
//!
//! `J1QL_BIN` defaults to `target/release/j1ql`; the corpus folder comes from `J1QL_CORPUS`
//! (default `../shared/corpus` beside the repository). Fails when either is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const QUERIES: usize = 5_000;
const EDITS: usize = 200;
const URI: &str = "file:///tmp/j1ql-bench/queries.j1ql";

struct Server {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response; notifications on the way are passed to
    /// `seen`.
    fn request(&mut self, method: &str, params: Value, seen: &mut impl FnMut(&Value)) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method}: {m}");
                return m["result"].clone();
            }
            seen(&m);
        }
    }

    fn recv(&mut self) -> Value {
        self.rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers")
    }

    /// Waits for the diagnostics of `version`.
    fn diagnostics(&mut self, version: i64) -> usize {
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

fn start(bin: &str) -> Server {
    let mut child = Command::new(bin)
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e} (build it: cargo build --release)"));
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
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
                    length = v.parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(value) = serde_json::from_slice(&body) else {
                return;
            };
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    Server {
        child,
        stdin,
        rx,
        next_id: 0,
    }
}

fn corpus_queries() -> Vec<String> {
    let dir = std::env::var("J1QL_CORPUS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus").to_string()
    });
    let path = format!("{dir}/queries.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the corpus at {path}: {e} (set J1QL_CORPUS)"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let row: Value = serde_json::from_str(l).expect("a JSON line");
            row["query"].as_str().expect("a query").trim().to_string()
        })
        .collect()
}

/// A small deterministic generator (xorshift), so that runs edit the same places.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn percentiles(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<32} p50 {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms   (n = {})",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn main() {
    let bin = std::env::var("J1QL_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/j1ql").to_string()
    });
    let corpus = corpus_queries();
    let mut lines: Vec<String> = Vec::new();
    for i in 0..QUERIES {
        lines.extend(corpus[i % corpus.len()].lines().map(str::to_string));
    }
    let text = lines.join("\n") + "\n";
    println!(
        "document: {QUERIES} corpus queries, {} lines, {:.2} MB; binary {bin}",
        lines.len(),
        text.len() as f64 / 1e6
    );

    let mut server = start(&bin);
    let mut ignore = |_: &Value| {};
    server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "textDocument": {"semanticTokens": {"requests": {"full": {"delta": true}, "range": false},
                "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}}},
            "initializationOptions": {"diagnosticsDelayMs": 0}}),
        &mut ignore,
    );
    server.notify("initialized", json!({}));
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "j1ql", "version": 1, "text": text}}),
    );
    let findings = server.diagnostics(1);
    println!(
        "open → first diagnostics: {:.1} ms ({findings} findings)",
        opened.elapsed().as_secs_f64() * 1e3
    );
    let tokens = server.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
        &mut ignore,
    );
    let mut result_id = tokens["resultId"].clone();

    let (mut diagnostics, mut semantic, mut completion, mut hover) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut version = 1;
    for _ in 0..EDITS {
        // Type one character at a random place of a random line.
        let line = rng.below(lines.len());
        let column = rng.below(lines[line].chars().count() + 1);
        let character: usize = lines[line].chars().take(column).map(char::len_utf16).sum();
        let mut chars: Vec<char> = lines[line].chars().collect();
        chars.insert(column, 'x');
        lines[line] = chars.into_iter().collect();
        version += 1;
        let edited = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": character},
                                                  "end": {"line": line, "character": character}},
                                       "text": "x"}]}),
        );
        // Neovim asks for the tokens right after each change.
        let asked = Instant::now();
        let mut published = None;
        let mut watch = |m: &Value| {
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                published = Some(edited.elapsed());
            }
        };
        let delta = server.request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
            &mut watch,
        );
        semantic.push(asked.elapsed());
        result_id = delta["resultId"].clone();
        let position = json!({"line": line, "character": character + 1});
        let asked = Instant::now();
        server.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": position}),
            &mut watch,
        );
        completion.push(asked.elapsed());
        let asked = Instant::now();
        server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": 1}}),
            &mut watch,
        );
        hover.push(asked.elapsed());
        // Diagnostics are skipped when they repeat the last ones: count those published
        // (waiting a little for one still on its way).
        let deadline = Instant::now() + Duration::from_millis(500);
        while published.is_none() && Instant::now() < deadline {
            if let Ok(m) = server.rx.recv_timeout(Duration::from_millis(20)) {
                if m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["version"] == version
                {
                    published = Some(edited.elapsed());
                }
            }
        }
        if let Some(d) = published {
            diagnostics.push(d);
        }
    }
    percentiles("semanticTokens/full/delta", semantic);
    percentiles("completion", completion);
    percentiles("hover", hover);
    if !diagnostics.is_empty() {
        percentiles("didChange → diagnostics (published)", diagnostics);
    }
    server.request("shutdown", Value::Null, &mut ignore);
    server.notify("exit", Value::Null);
    let status = server.child.wait().expect("the server exits");
    assert!(status.success(), "the server exited with {status}");
}
