//! Parser throughput over the real-world corpus, the latency of one typical query, and the
//! lexer alone.
//!
//! Run with `cargo bench -p j1ql-syntax --bench parse`. Reads the corpus from
//! `../shared/corpus/queries.jsonl` beside the repository, or from the path in `J1QL_CORPUS`; fails when it is
//! missing. Targets (docs/contracts.md#performance-targets): ≥ 50 MB/s of query text, under 20 µs to parse a typical
//! 200-byte query.
//!
//! Every measurement includes dropping the tree. `parse` keeps its interning cache and
//! buffers per thread, so repeated parses (an editor re-parsing, a CLI going through many
//! queries) are warm; `parse_joined_cold` runs each parse on a fresh thread to show the
//! first-parse cost.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The allocator the `j1ql` binary (CLI and language server) ships with, so that the figures
/// are the ones its users get. The system allocator is about 13 % slower on this workload.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/queries.jsonl"
);

/// A real 199-byte query (FIND ... WITH ... THAT ... THAT ! ... WITH ... RETURN), from the
/// corpus (`JupiterOne/jupiterone-alert-rules`, mimecast).
const TYPICAL: &str = "FIND mimecast_user WITH active = true AS u
  THAT ASSIGNED mimecast_awareness_campaign AS a
  THAT !COMPLETED Training WITH name ~= 'HIPAA'
RETURN
  u.displayName,u.email,
  a.numCompleted,a.numSent
";

fn load_corpus() -> Vec<String> {
    // J1QL_CORPUS names the corpus folder (as in CI and the tests); a file path works too.
    let path = match std::env::var("J1QL_CORPUS") {
        Ok(p) if std::path::Path::new(&p).is_dir() => format!("{p}/queries.jsonl"),
        Ok(p) => p,
        Err(_) => DEFAULT_CORPUS.to_string(),
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the query corpus at {path}: {e}\n\
             (the parse benchmark needs it; set J1QL_CORPUS to its path)"
        )
    });
    let queries: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{path}: not a JSON line ({e}): {line}"));
            row["query"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: a row without a `query` string: {line}"))
                .to_string()
        })
        .collect();
    assert!(!queries.is_empty(), "{path} holds no queries");
    queries
}

fn corpus(c: &mut Criterion) {
    let queries = load_corpus();
    let joined = queries.join("\n");
    let bytes = joined.len() as u64;

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse_joined", |b| {
        b.iter(|| j1ql_syntax::parse(black_box(&joined)))
    });
    // The same document on the calling thread only (`parse` cuts a document this large into
    // parts parsed on all cores).
    group.bench_function("parse_joined_single_threaded", |b| {
        b.iter(|| j1ql_syntax::parse_single_threaded(black_box(&joined)))
    });
    // The same bytes minus the joining newlines.
    let one_by_one_bytes: u64 = queries.iter().map(|q| q.len() as u64).sum();
    group.throughput(Throughput::Bytes(one_by_one_bytes));
    group.bench_function("parse_one_by_one", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(j1ql_syntax::parse(black_box(q)));
            }
        })
    });
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse_joined_cold", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                s.spawn(|| drop(j1ql_syntax::parse(black_box(&joined))));
            })
        })
    });
    group.bench_function("lex_joined", |b| {
        b.iter(|| j1ql_syntax::lexer::tokenize(black_box(&joined)))
    });
    group.finish();
}

fn typical(c: &mut Criterion) {
    assert!(j1ql_syntax::parse(TYPICAL).errors().is_empty());
    let mut group = c.benchmark_group("typical_query");
    group.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| j1ql_syntax::parse(black_box(TYPICAL)))
    });
    group.bench_function("lex", |b| {
        b.iter(|| j1ql_syntax::lexer::tokenize(black_box(TYPICAL)))
    });
    group.finish();
}

criterion_group!(benches, corpus, typical);
criterion_main!(benches);
