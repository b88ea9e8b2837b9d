//! Latency of the language server's features on a 5,000-query document: completion, hover,
//! and an edit followed by the document's diagnostics. Besides criterion's figures, prints
//! p50/p99 over 1,000 runs of each (the target is ≤ 10 ms p99).

use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use j1ql_lsp::document::{Document, Encoding};
use j1ql_lsp::features;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

const TEMPLATES: &[&str] = &[
    "FIND User WITH active = true AND email ~= '@example.com' AS u\n  THAT HAS Device WITH platform != ('darwin' OR 'windows') AS d\n  RETURN u.username, d.hostname\n",
    "FIND aws_s3_bucket WITH encrypted != true AND tag.Production = true\n",
    "FIND Host AS h THAT RELATES TO AS r User AS u WHERE h.name = u.username RETURN count(h)\n",
    "// j1ql-ignore\nFIND DataStore WITH classification = 'critical' THAT !PROTECTS Firewall LIMIT 10\n",
    "FIND #CriticalAsset THAT HAS Finding WITH severity = ('high' OR 'critical') AND _createdOn > date.now - 7 days\n",
];

fn document(n: usize) -> Document {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(TEMPLATES[i % TEMPLATES.len()]);
    }
    let doc = Document::new(
        &text,
        1,
        Encoding::Utf16,
        j1ql_lsp::workspace::Env::builtin(),
    );
    // Analysis is made on first use: opening includes analysing every query.
    doc.analyse(0..doc.chunks.len(), true);
    doc
}

/// The offset just after `User WITH ` of the query in the middle, and its position.
fn middle(doc: &Document) -> (usize, Position) {
    let mid = doc.text.len() / 2;
    let at = mid + doc.text[mid..].find("FIND User WITH ").unwrap() + "FIND User WITH ".len();
    (at, doc.position(at))
}

fn edit(doc: &mut Document, version: i32) {
    let (_, p) = middle(doc);
    // Type one character, then delete it: the document alternates between two states.
    let change = if version % 2 == 0 {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(p, p)),
            range_length: None,
            text: "x".into(),
        }
    } else {
        let q = Position::new(p.line, p.character + 1);
        TextDocumentContentChangeEvent {
            range: Some(Range::new(p, q)),
            range_length: None,
            text: String::new(),
        }
    };
    doc.apply_changes(&[change], version).unwrap();
}

fn bench(c: &mut Criterion) {
    let mut doc = document(5000);
    let uri: Uri = "file:///bench.j1ql".parse().unwrap();
    let links = j1ql_lsp::diagnostics::DocLinks::default();
    let (at, _) = middle(&doc);
    let no_count = |_: &str| -> Result<(usize, String), String> { Err("not run".into()) };

    c.bench_function("lsp/completion_5000_queries", |b| {
        b.iter(|| features::completion::completion(&doc, at))
    });
    let class_at = at - "User WITH ".len() + 1;
    c.bench_function("lsp/hover_5000_queries", |b| {
        b.iter(|| features::hover::hover(&doc, class_at, &no_count))
    });
    let mut version = 2;
    c.bench_function("lsp/edit_then_diagnostics_5000_queries", |b| {
        b.iter(|| {
            edit(&mut doc, version);
            version += 1;
            j1ql_lsp::diagnostics::diagnostics(&doc, &uri, &links)
        })
    });
}

fn percentiles(name: &str, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = (0..1000)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name}: p50 {:?}, p99 {:?}, max {:?}",
        times[500], times[990], times[999]
    );
}

fn tail_latency() {
    let started = Instant::now();
    let mut doc = document(5000);
    println!(
        "5,000-query document: {} bytes, {} chunks, opened in {:?}",
        doc.text.len(),
        doc.chunks.len(),
        started.elapsed()
    );
    let uri: Uri = "file:///bench.j1ql".parse().unwrap();
    let links = j1ql_lsp::diagnostics::DocLinks::default();
    let (at, _) = middle(&doc);
    let no_count = |_: &str| -> Result<(usize, String), String> { Err("not run".into()) };
    percentiles("completion", || {
        std::hint::black_box(features::completion::completion(&doc, at));
    });
    let class_at = at - "User WITH ".len() + 1;
    percentiles("hover", || {
        std::hint::black_box(features::hover::hover(&doc, class_at, &no_count));
    });
    let mut version = 2;
    percentiles("edit + diagnostics", || {
        edit(&mut doc, version);
        version += 1;
        std::hint::black_box(j1ql_lsp::diagnostics::diagnostics(&doc, &uri, &links));
    });
}

criterion_group!(benches, bench);

fn main() {
    tail_latency();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
