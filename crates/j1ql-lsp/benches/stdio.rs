//! The language server end to end, as an editor sees it: the `j1ql` binary over stdio, a
//! document of 5,000 real-world queries from the corpus, 200 random one-character edits, each
//! followed — as Neovim does — by `semanticTokens/full/delta` (from the last result id), then
//! a completion and a hover; and the time from each `didChange` to its diagnostics (debounce
//! 0). Prints p50/p99 per operation (docs/performance.md "Language server over stdio"), the
//! time from opening to the first (visible part) and to all diagnostics, and the server's
//! peak memory against the document's size.
//!
//! ```sh
//! cargo build --release --bin j1ql
//! J1QL_CORPUS=../shared/corpus J1QL_BIN=target/release/j1ql \
//!   cargo bench -p j1ql-lsp --bench stdio
//! J1QL_BENCH_QUERIES=50000 J1QL_BENCH_PULL=1 ... cargo bench -p j1ql-lsp --bench stdio
//! ```
//!
//! `J1QL_BIN` defaults to `target/release/j1ql`; the corpus folder comes from `J1QL_CORPUS`
//! (default `../shared/corpus` beside the repository). Fails when either is missing.
//! `J1QL_BENCH_QUERIES` sets the document's size in queries (default 5,000);
//! `J1QL_BENCH_PULL=1` makes the client pull diagnostics (`textDocument/diagnostic` after
//! each edit, as VS Code does) instead of having them pushed.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

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

    /// The next message; the server's own requests (progress creation, refreshes) are
    /// answered on the way.
    fn recv(&mut self) -> Value {
        let m = self
            .rx
            .recv_timeout(Duration::from_secs(300))
            .expect("the server answers");
        if m.get("id").is_some() && m.get("method").is_some() {
            let id = m["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        m
    }

    /// The server's peak resident memory (`VmHWM`), in MB.
    fn peak_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
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
    let queries: usize = std::env::var("J1QL_BENCH_QUERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let pull = std::env::var("J1QL_BENCH_PULL").is_ok_and(|v| v == "1");
    let corpus = corpus_queries();
    let mut lines: Vec<String> = Vec::new();
    for i in 0..queries {
        lines.extend(corpus[i % corpus.len()].lines().map(str::to_string));
    }
    let text = lines.join("\n") + "\n";
    println!(
        "document: {queries} corpus queries, {} lines, {:.2} MB; diagnostics {}; binary {bin}",
        lines.len(),
        text.len() as f64 / 1e6,
        if pull { "pulled" } else { "pushed" }
    );

    let mut server = start(&bin);
    let mut ignore = |_: &Value| {};
    server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "textDocument": {"semanticTokens": {"requests": {"full": {"delta": true}, "range": false},
                "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
                "diagnostic": if pull { json!({}) } else { Value::Null }},
            "window": {"workDoneProgress": true}},
            "initializationOptions": {"diagnosticsDelayMs": 0}}),
        &mut ignore,
    );
    server.notify("initialized", json!({}));
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "j1ql", "version": 1, "text": text}}),
    );
    // The first diagnostics (the visible part of a big document), then all of them when the
    // background analysis reports its end (documents longer than the 300 lines shown first).
    let background = lines.len() > 300;
    let (mut first, mut done, mut findings) = (None, None, 0);
    let mut pulled_id = Value::Null;
    if pull {
        let r = server.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
            &mut ignore,
        );
        first = Some(opened.elapsed());
        findings = r["items"].as_array().map_or(0, Vec::len);
    }
    while first.is_none() || (background && done.is_none()) {
        let m = server.recv();
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1 {
            first.get_or_insert(opened.elapsed());
            findings = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        } else if m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end" {
            done = Some(opened.elapsed());
        }
    }
    if pull {
        let r = server.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
            &mut ignore,
        );
        findings = r["items"].as_array().map_or(0, Vec::len);
        pulled_id = r["resultId"].clone();
    } else if background {
        // The full publish follows the end of the progress (unless it repeats the first).
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(m) = server.rx.recv_timeout(Duration::from_millis(50)) {
                if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1 {
                    findings = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
                    break;
                }
            }
        }
    }
    println!(
        "open → first diagnostics: {:.1} ms; all analysed: {:.1} ms ({findings} findings); peak memory {:.0} MB ({:.1}× the document)",
        first.unwrap_or_default().as_secs_f64() * 1e3,
        done.or(first).unwrap_or_default().as_secs_f64() * 1e3,
        server.peak_mb(),
        server.peak_mb() * 1024.0 * 1024.0 / text.len() as f64
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
        if pull {
            // As VS Code does after a change: pull with the last result id.
            let asked = Instant::now();
            let r = server.request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": URI}, "previousResultId": pulled_id}),
                &mut ignore,
            );
            let _ = asked;
            diagnostics.push(edited.elapsed());
            pulled_id = r["resultId"].clone();
            continue;
        }
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
        percentiles(
            if pull {
                "didChange → diagnostics (pulled)"
            } else {
                "didChange → diagnostics (published)"
            },
            diagnostics,
        );
    }
    println!("server peak memory: {:.0} MB", server.peak_mb());
    server.request("shutdown", Value::Null, &mut ignore);
    server.notify("exit", Value::Null);
    let status = server.child.wait().expect("the server exits");
    assert!(status.success(), "the server exited with {status}");
}
