//! End-to-end responses of `j1ql lsp`, snapshot-tested (`snapshots/lsp`): completion lists,
//! hover, code actions, signature help, inlay hints, semantic tokens (full and range, decoded
//! to one token a line), symbols and folding. The server runs as a subprocess over stdio.

mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};

const TEXT: &str = "FIND User AS u THAT HAS Device WHERE u.name != ('a' OR 'b') RETURN u.name
FIND aws_iam_user THAT HAS aws_iam_policy AS p THAT RELATES TO * RETURN CONCAT(p.policyName, ' ', 
FIND User AS u RETURN ROUND(avg(u.age), 2)
FIND Hots WITH _createdOn > date(2024-
FIND User THAT 
FIND User WITH 
FIND # 
FIND Host
  WITH platform = 'linux'
/* a block
   comment */
";

fn doc() -> Value {
    json!({"uri": URI})
}

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": doc(), "position": pos(line, character)})
}

fn start() -> (Client, Vec<String>) {
    let (mut client, init) = Client::start(Client::default_init());
    let legend: Vec<String> = init["capabilities"]["semanticTokensProvider"]["legend"]
        ["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    client.open(URI, TEXT);
    client.diagnostics(URI, 1);
    (client, legend)
}

fn line_len(line: usize) -> u32 {
    TEXT.lines().nth(line).unwrap().encode_utf16().count() as u32
}

#[test]
fn completion_lists() {
    let (mut client, _) = start();
    let after_that = client.request("textDocument/completion", at(4, line_len(4)));
    snap!("completion_after_that", completion_table(&after_that));
    let after_with = client.request("textDocument/completion", at(5, line_len(5)));
    snap!("completion_after_with", completion_table(&after_with));
    let smart = client.request("textDocument/completion", at(6, 6));
    snap!("completion_smart_class", pretty(&smart));
    let in_return = client.request("textDocument/completion", at(0, 67));
    snap!("completion_in_return", completion_table(&in_return));
    client.shutdown();
}

#[test]
fn hovers() {
    let (mut client, _) = start();
    let mut out = String::new();
    for (what, line, ch) in [
        ("class", 0, 6),
        ("verb", 0, 21),
        ("alias", 0, 38),
        ("value group", 0, 50),
        ("match count", 0, 1),
        ("entity type", 1, 8),
        ("scalar function", 2, 23),
        ("aggregate", 2, 29),
    ] {
        let h = client.request("textDocument/hover", at(line, ch));
        out.push_str(&format!("== {what} ({line}:{ch})\n{}\n", pretty(&h)));
    }
    snap!("hovers", out);
    client.shutdown();
}

#[test]
fn code_actions() {
    let (mut client, _) = start();
    let range = |l, a, b| json!({"start": pos(l, a), "end": pos(l, b)});
    let de_morgan = client.request(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": range(0, 50, 50), "context": {"diagnostics": []}}),
    );
    snap!("code_actions_de_morgan", pretty(&normalize_uri(&de_morgan)));
    let typo = client.request(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": range(3, 6, 6), "context": {"diagnostics": []}}),
    );
    snap!("code_actions_unknown_class", pretty(&normalize_uri(&typo)));
    client.shutdown();
}

/// The test URI is fixed, but keep the snapshots independent of it.
fn normalize_uri(v: &Value) -> Value {
    let text = serde_json::to_string(v).unwrap().replace(URI, "$URI");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn signature_help() {
    let (mut client, _) = start();
    let mut out = String::new();
    for (what, line, ch) in [
        ("CONCAT, third argument", 1, line_len(1)),
        ("ROUND, second argument", 2, 40),
        ("avg inside ROUND", 2, 32),
        ("date being typed", 3, line_len(3)),
    ] {
        let h = client.request("textDocument/signatureHelp", at(line, ch));
        out.push_str(&format!("== {what} ({line}:{ch})\n{}\n", pretty(&h)));
    }
    snap!("signature_help", out);
    // Outside a call: nothing.
    let none = client.request("textDocument/signatureHelp", at(0, 70));
    assert!(none.is_null(), "{none}");
    client.shutdown();
}

#[test]
fn inlay_hints() {
    let (mut client, _) = start();
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc(), "range": {"start": pos(0, 0), "end": pos(7, 0)}}),
    );
    snap!("inlay_hints", pretty(&hints));
    // Only the steps inside the requested range.
    let line1 = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc(), "range": {"start": pos(1, 0), "end": pos(1, 99)}}),
    );
    let lines: Vec<u64> = line1
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["position"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![1, 1], "{line1}");
    client.shutdown();
}

#[test]
fn semantic_tokens_full_and_range() {
    let (mut client, legend) = start();
    let full = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": doc()}),
    );
    let full_text = decode_tokens(&full["data"], &legend, TEXT);
    snap!("semantic_tokens_full", full_text.clone());
    let range = client.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": doc(), "range": {"start": pos(2, 0), "end": pos(3, 0)}}),
    );
    let range_text = decode_tokens(&range["data"], &legend, TEXT);
    snap!("semantic_tokens_range", range_text.clone());
    // The range response is exactly the full response's tokens on that line.
    let expected: String = full_text
        .lines()
        .filter(|l| l.starts_with("2:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(range_text, expected);
    client.shutdown();
}

#[test]
fn symbols_and_folding() {
    let (mut client, _) = start();
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": doc()}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    snap!("document_symbols", names.join("\n"));
    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    snap!("folding_ranges", pretty(&folds));
    client.shutdown();
}
