//! End-to-end tests of `j1ql lsp`: the real binary over stdio, driven by a small JSON-RPC
//! client (Content-Length framing).

mod lsp_client;

use lsp_client::*;
use serde_json::{json, Value};

#[test]
fn initialize_advertises_capabilities_and_utf16() {
    let (client, result) = Client::start(Client::default_init());
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(result["serverInfo"]["name"], "j1ql-lsp");
    assert_eq!(caps["semanticTokensProvider"]["range"], true);
    assert_eq!(caps["semanticTokensProvider"]["full"]["delta"], true);
    assert_eq!(
        caps["signatureHelpProvider"]["triggerCharacters"],
        json!(["(", ","])
    );
    assert_eq!(caps["inlayHintProvider"], true);
    client.shutdown();
}

#[test]
fn utf8_when_the_client_offers_it() {
    let mut init = Client::default_init();
    init["capabilities"] = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut client, result) = Client::start(init);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    // `é` is 2 bytes in UTF-8: the error after `AND` is at byte column 30 (29 in UTF-16).
    client.open(URI, "FIND User WITH name = 'é' AND\r\n");
    let d = client.diagnostics(URI, 1);
    let error = d
        .iter()
        .find(|d| d["code"] == "P009")
        .expect("syntax error");
    assert_eq!(error["severity"], 1);
    assert_eq!(error["range"]["start"], pos(0, 30));
    client.shutdown();
}

#[test]
fn diagnostics_on_open_and_after_incremental_changes() {
    let (mut client, _) = Client::start(Client::default_init());
    let text = "FIND User WITH name = '😀' THAT HAS Hots\r\nFIND Host AS h WHERE x.name = 1\r\n";
    client.open(URI, text);
    let d = client.diagnostics(URI, 1);
    let codes1 = codes(&d);
    assert!(codes1.contains(&"S010".to_string()), "{codes1:?}");
    assert!(codes1.contains(&"S001".to_string()), "{codes1:?}");
    let unknown = d.iter().find(|d| d["code"] == "S010").unwrap();
    // Line 0: the emoji counts two UTF-16 units.
    assert_eq!(unknown["range"]["start"], pos(0, 36));
    assert_eq!(unknown["severity"], 2);
    assert_eq!(unknown["source"], "j1ql");
    assert_eq!(
        unknown["codeDescription"]["href"],
        "https://example.test/lint-rules.md#s010"
    );
    assert_eq!(unknown["data"]["explain"], "j1ql lint --explain S010");

    // Fix the class with an incremental edit (UTF-16 columns), then the alias.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [
                   {"range": {"start": pos(0, 36), "end": pos(0, 40)}, "text": "Host"},
                   {"range": {"start": pos(1, 21), "end": pos(1, 22)}, "text": "h"}]}),
    );
    let d = client.diagnostics(URI, 2);
    assert!(
        d.iter().all(|d| d["severity"] != 1 && d["code"] != "S010"),
        "{d:?}"
    );

    // An edit that changes no finding publishes nothing (a big document's findings are
    // megabytes); the next edit that does is published.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3},
               "contentChanges": [{"range": {"start": pos(2, 0), "end": pos(2, 0)}, "text": " "}]}),
    );
    // Past the 50 ms debounce, so that version 3 would be published.
    std::thread::sleep(std::time::Duration::from_millis(400));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4},
               "contentChanges": [{"range": {"start": pos(2, 1), "end": pos(2, 1)}, "text": "FIND Hots"}]}),
    );
    let d = client.diagnostics(URI, 4);
    assert!(codes(&d).contains(&"S010".to_string()), "{d:?}");
    assert!(
        !client.pending.iter().any(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 3
        ),
        "the unchanged findings of version 3 were published again"
    );
    client.shutdown();
}

#[test]
fn bad_requests_get_errors_not_crashes() {
    let (mut client, _) = Client::start(Client::default_init());
    client.open(URI, "FIND Host");
    client.diagnostics(URI, 1);
    // An edit out of range is logged and ignored; the server stays up.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": pos(40, 0), "end": pos(41, 0)}, "text": "x"}]}),
    );
    let r = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.j1ql"}, "position": pos(0, 0)}),
    );
    assert!(r.get("error").is_some(), "{r}");
    client.shutdown();
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn complete(client: &mut Client, line: u32, character: u32) -> Vec<String> {
    let r = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(line, character)}),
    );
    labels(&r)
}

#[test]
fn completion_by_context() {
    let (mut client, _) = Client::start(Client::default_init());
    let text = "FIND \nFIND User THAT \nFIND User WITH \nFIND User AS u THAT HAS Device AS d WHERE u. \nFIND # \nFIND User AS u RETURN \nFIND User \n";
    client.open(URI, text);
    client.diagnostics(URI, 1);

    let after_find = complete(&mut client, 0, 5);
    assert!(after_find.contains(&"User".to_string()), "{after_find:?}");
    assert!(after_find.contains(&"DataStore".to_string()));
    assert!(after_find.iter().any(|l| l.starts_with("aws_")));

    let after_that = complete(&mut client, 1, 15);
    assert!(after_that.contains(&"HAS".to_string()), "{after_that:?}");
    assert!(after_that.contains(&"RELATES TO".to_string()));

    let after_with = complete(&mut client, 2, 15);
    assert!(
        after_with.contains(&"username".to_string()) || after_with.contains(&"email".to_string()),
        "{after_with:?}"
    );
    assert!(after_with.contains(&"_type".to_string()));

    let after_dot = complete(&mut client, 3, 44);
    assert!(after_dot.contains(&"_class".to_string()), "{after_dot:?}");

    let smart = complete(&mut client, 4, 6);
    assert!(
        smart.iter().all(|l| l.starts_with('#')) && !smart.is_empty(),
        "{smart:?}"
    );

    let ret = complete(&mut client, 5, 22);
    assert_eq!(ret.first().map(String::as_str), Some("u"), "{ret:?}");
    assert!(ret.contains(&"count".to_string()));

    let keywords = complete(&mut client, 6, 10);
    assert!(
        keywords.contains(&"WITH".to_string()) && keywords.contains(&"THAT".to_string()),
        "{keywords:?}"
    );
    client.shutdown();
}

#[test]
fn hover_docs_aliases_normal_form_and_count() {
    let (mut client, _) = Client::start(Client::default_init());
    let text = "FIND User AS u THAT HAS Device WHERE u.name != ('a' OR 'b')\nFIND aws_s3_bucket";
    client.open(URI, text);
    client.diagnostics(URI, 1);
    let hover = |client: &mut Client, line, ch| {
        let r = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(line, ch)}),
        );
        r["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let class = hover(&mut client, 0, 6);
    assert!(class.contains("**User** — class"), "{class}");
    let verb = hover(&mut client, 0, 21);
    assert!(verb.contains("relationship verb"), "{verb}");
    let alias = hover(&mut client, 0, 37);
    assert!(alias.contains("alias `u` binds `User`"), "{alias}");
    let group = hover(&mut client, 0, 50);
    assert!(group.contains("u.name != 'a' AND u.name != 'b'"), "{group}");
    let count = hover(&mut client, 0, 1);
    assert!(count.contains("match"), "{count}");
    let ty = hover(&mut client, 1, 8);
    assert!(ty.contains("entity type"), "{ty}");
    client.shutdown();
}

#[test]
fn code_actions_formatting_symbols_aliases_and_run() {
    let (mut client, _) = Client::start(Client::default_init());
    let text = "find User with name != ('a' OR 'b') as u return u.name\nFIND Hots";
    client.open(URI, text);
    client.diagnostics(URI, 1);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 16), "end": pos(0, 16)},
               "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Expand (De Morgan): name != 'a' AND name != 'b'")),
        "{titles:?}"
    );
    let fixes = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(1, 6), "end": pos(1, 6)},
               "context": {"diagnostics": []}}),
    );
    assert!(
        fixes
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"].as_str().unwrap().contains("Host")),
        "{fixes}"
    );

    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap()
            .starts_with("FIND User"),
        "{edits}"
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols[0]["name"], "User");
    assert_eq!(symbols[1]["name"], "Hots");

    let def = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 48)}),
    );
    assert_eq!(def["range"]["start"], pos(0, 39), "{def}");
    let rename = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 39), "newName": "person"}),
    );
    assert_eq!(
        rename["changes"][URI].as_array().unwrap().len(),
        2,
        "{rename}"
    );
    let prepare = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 48)}),
    );
    assert_eq!(prepare["range"]["start"], pos(0, 48), "{prepare}");
    assert_eq!(prepare["placeholder"], "u", "{prepare}");
    assert!(prepare["placeholder"].is_string(), "{prepare}");
    let nothing = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 1)}),
    );
    assert!(nothing.is_null(), "no rename on FIND: {nothing}");
    let keyword = client.request_raw(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 39), "newName": "with"}),
    );
    assert!(
        keyword["error"]["message"]
            .as_str()
            .unwrap()
            .contains("keyword"),
        "{keyword}"
    );

    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(lenses.as_array().unwrap().len(), 2);
    assert_eq!(lenses[0]["command"]["command"], "j1ql.runQuery");

    let result = client.request(
        "workspace/executeCommand",
        json!({"command": "j1ql.runQuery", "arguments": ["FIND User"]}),
    );
    assert_eq!(result["type"], "list", "{result}");
    assert!(!result["data"].as_array().unwrap().is_empty());

    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(!tokens["data"].as_array().unwrap().is_empty());
    // After an edit, `full/delta` from the last result id: its edits turn the old data into
    // what `full` now answers.
    let old: Vec<Value> = tokens["data"].as_array().unwrap().clone();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": pos(1, 0), "end": pos(1, 0)}, "text": "FIND Device AS d\n"}]}),
    );
    let delta = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": URI}, "previousResultId": tokens["resultId"]}),
    );
    let edits = delta["edits"]
        .as_array()
        .expect("a delta, not the whole data");
    let mut data = old;
    for e in edits.iter().rev() {
        let start = e["start"].as_u64().unwrap() as usize;
        let end = start + e["deleteCount"].as_u64().unwrap() as usize;
        let new: Vec<Value> = e["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..end, new);
    }
    let full = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(Value::Array(data), full["data"]);
    assert_ne!(delta["resultId"], tokens["resultId"]);
    // An unknown previous id gets the whole data.
    let whole = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": URI}, "previousResultId": "nope"}),
    );
    assert_eq!(whole["data"], full["data"]);
    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(folds.is_array());
    client.shutdown();
}

/// A document of about `bytes` bytes: realistic queries, every one different, one in fifty
/// with a finding (an unknown class).
fn big_document(bytes: usize) -> String {
    const TEMPLATES: &[&str] = &[
        "FIND User WITH active = true AND email ~= '@example.com' AS u\n  THAT HAS Device WITH platform != ('darwin' OR 'windows') AS d\n  RETURN u.username, d.hostname\n",
        "FIND aws_s3_bucket WITH encrypted != true AND tag.Production = true\n",
        "FIND Host AS h THAT RELATES TO User AS u WHERE h.name = u.username RETURN count(h)\n",
        "FIND DataStore WITH classification = 'critical' THAT !PROTECTS Firewall LIMIT 10\n",
        "FIND #CriticalAsset THAT HAS Finding WITH severity = ('high' OR 'critical') AND _createdOn > date.now - 7 days\n",
    ];
    let mut text = String::with_capacity(bytes + 200);
    let mut i = 0;
    while text.len() < bytes {
        // Every query different (no two chunks share an analysis).
        let t = if i % 50 == 49 {
            "FIND Hots\n"
        } else {
            TEMPLATES[i % TEMPLATES.len()]
        };
        text.push_str(&format!("// {i}\n{t}"));
        i += 1;
    }
    text
}

#[test]
fn ten_megabyte_document_stays_responsive() {
    let (mut client, _) = Client::start(Client::default_init());
    let text = big_document(10 * 1024 * 1024);
    let lines = text.lines().count() as u32;
    let started = std::time::Instant::now();
    // Opening analyses all ~100,000 queries (on every core): slow in an unoptimised build.
    client.timeout = std::time::Duration::from_secs(600);
    client.open(URI, &text);
    // First the queries an editor shows on opening (the first 300 lines), at once...
    let visible = client.diagnostics(URI, 1);
    let first = started.elapsed();
    let line_of = |d: &Value| d["range"]["start"]["line"].as_u64().unwrap();
    assert!(!visible.is_empty());
    assert!(visible.iter().all(|d| line_of(d) < 310), "{visible:?}");
    // ...then all of them, analysed in the background.
    let d = client.diagnostics(URI, 1);
    let opened = started.elapsed();
    client.timeout = std::time::Duration::from_secs(20);
    assert!(d.len() > 1000, "{}", d.len());
    assert_eq!(d[..visible.len()], visible[..]);
    let findings_before = d.len();
    eprintln!("10 MB: first diagnostics {first:?}, all {opened:?}");
    let timed = |client: &mut Client, method: &str, params: Value| {
        let t = std::time::Instant::now();
        let r = client.request(method, params);
        (t.elapsed(), r)
    };
    let last = lines - 3;
    let (t_completion, c) = timed(
        &mut client,
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(last, 10)}),
    );
    assert!(!labels(&c).is_empty());
    let (t_hover, _) = timed(
        &mut client,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(lines / 2, 6)}),
    );
    let (t_tokens, tokens) = timed(
        &mut client,
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(lines / 2, 0), "end": pos(lines / 2 + 60, 0)}}),
    );
    assert!(!tokens["data"].as_array().unwrap().is_empty());
    // An edit in the middle, then its diagnostics.
    let t = std::time::Instant::now();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": pos(lines / 2, 0), "end": pos(lines / 2, 0)}, "text": "FIND Hots\n"}]}),
    );
    let d2 = client.diagnostics(URI, 2);
    let t_edit = t.elapsed();
    assert_eq!(d2.len(), findings_before + 1);
    eprintln!(
        "10 MB: completion {t_completion:?}, hover {t_hover:?}, tokens (range) {t_tokens:?}, edit + diagnostics {t_edit:?}"
    );
    // Cancellation: formatting 10 MB runs on a blocking thread; a `$/cancelRequest` right
    // after answers `RequestCancelled` at once, and the server keeps answering meanwhile.
    let t = std::time::Instant::now();
    client.send(
        json!({"jsonrpc": "2.0", "id": 9001, "method": "textDocument/formatting",
        "params": {"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}}),
    );
    client.notify("$/cancelRequest", json!({"id": 9001}));
    let hover = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(2, 6)}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    let cancelled = client.wait_for_response(9001);
    let t_cancel = t.elapsed();
    assert_eq!(cancelled["error"]["code"], -32800, "{cancelled}");
    eprintln!("10 MB: formatting cancelled after {t_cancel:?}");
    // Generous bounds (an unoptimised build on a shared 2-core machine); the release figures
    // are in docs/performance.md.
    for (what, t) in [
        ("completion", t_completion),
        ("hover", t_hover),
        ("semantic tokens (range)", t_tokens),
        ("edit + diagnostics", t_edit),
        ("cancelled formatting", t_cancel),
    ] {
        assert!(t < std::time::Duration::from_secs(5), "{what} took {t:?}");
    }
    client.shutdown();
}

#[test]
fn malformed_and_out_of_range_requests_get_error_responses() {
    let (mut client, _) = Client::start(Client::default_init());
    client.open(URI, "FIND Host\n");
    client.diagnostics(URI, 1);
    // Not JSON at all: a parse error response (id null), and the server lives on.
    client.send_raw("{this is not json");
    let parse_error = client.wait_for_response_where(|m| m["id"].is_null());
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    // A line past the end of the document.
    let r = client.request_raw(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(99, 0)}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("past the end"),
        "{r}"
    );
    // A range that ends before it starts.
    let r = client.request_raw(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 5), "end": pos(0, 1)}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Params of the wrong shape.
    let r = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": "here"}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A method the server does not have.
    let r = client.request_raw("textDocument/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Still serving.
    let h = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 6)}),
    );
    assert!(
        h["contents"]["value"].as_str().unwrap().contains("Host"),
        "{h}"
    );
    client.shutdown();
}

/// A client that pulls diagnostics (`textDocument/diagnostic`) gets none pushed; a pull
/// answers "unchanged" with the same result id while the findings stay the same, and the full
/// list when they change. A big document is analysed in the background with work-done
/// progress, and the client is asked to pull diagnostics and semantic tokens again when it
/// is done.
#[test]
fn pulled_diagnostics_and_background_analysis() {
    let init = json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostics": {"refreshSupport": true},
                          "semanticTokens": {"refreshSupport": true}},
            "window": {"workDoneProgress": true}
        },
        "initializationOptions": {"diagnosticsDelayMs": 0}
    });
    let (mut client, init_result) = Client::start(init);
    assert_eq!(
        init_result["capabilities"]["diagnosticProvider"]["identifier"],
        "j1ql"
    );
    client.open(URI, "FIND Hots\nFIND User\n");
    let pull = |client: &mut Client, uri: &str, previous: Option<&str>| {
        client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
        )
    };
    let first = pull(&mut client, URI, None);
    assert_eq!(first["kind"], "full", "{first}");
    assert_eq!(first["items"].as_array().unwrap().len(), 1, "{first}");
    let id = first["resultId"].as_str().unwrap().to_string();
    let again = pull(&mut client, URI, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    // A client that lost its copy (another previous id) gets the full list again.
    let lost = pull(&mut client, URI, Some("other"));
    assert_eq!(lost["kind"], "full");
    assert_eq!(lost["items"], first["items"]);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": pos(1, 5), "end": pos(1, 9)}, "text": "Usr"}]}),
    );
    let changed = pull(&mut client, URI, Some(&id));
    assert_eq!(changed["kind"], "full");
    assert_eq!(changed["items"].as_array().unwrap().len(), 2, "{changed}");
    assert_ne!(changed["resultId"], json!(id));

    // A big document: progress, then the refresh requests.
    const BIG: &str = "file:///tmp/j1ql-lsp-test/big.j1ql";
    let text = big_document(60 * 1024);
    client.timeout = std::time::Duration::from_secs(600);
    client.open(BIG, &text);
    let begin = client.wait_for("$/progress", |p| p["value"]["kind"] == "begin");
    assert_eq!(begin["value"]["title"], "j1ql: analysing big.j1ql");
    let token = begin["token"].clone();
    let end = client.wait_for("$/progress", |p| {
        p["token"] == token && p["value"]["kind"] == "end"
    });
    assert!(
        end["value"]["message"]
            .as_str()
            .unwrap()
            .ends_with("queries analysed"),
        "{end}"
    );
    client.wait_for_server_request("window/workDoneProgress/create");
    client.wait_for_server_request("workspace/diagnostic/refresh");
    client.wait_for_server_request("workspace/semanticTokens/refresh");
    let all = pull(&mut client, BIG, None);
    let items = all["items"].as_array().unwrap();
    let queries = text.matches("FIND ").count();
    // One query in fifty has an unknown class.
    assert!(items.len() >= queries / 50, "{} of {queries}", items.len());
    assert!(items
        .iter()
        .any(|d| d["range"]["start"]["line"].as_u64() > Some(1000)));
    // Nothing was pushed to this client.
    assert!(
        !client
            .pending
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "diagnostics pushed to a client that pulls them"
    );
    client.shutdown();
}
