//! Lints every query of the real-world corpus (`$J1QL_CORPUS/queries.jsonl`, default `../shared/corpus`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<String> {
    // The corpus folder from J1QL_CORPUS (as the tests read it), else ../shared/corpus beside
    // the repository.
    let folder = std::env::var("J1QL_CORPUS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus").to_string()
    });
    let path = format!("{folder}/queries.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the corpus at {path} (set J1QL_CORPUS to its folder): {e}"));
    text.lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            row["query"].as_str().expect("a query").to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let queries = corpus();
    let bytes: usize = queries.iter().map(String::len).sum();
    let options = j1ql_lint::LintOptions::default();
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| j1ql_lint::lint(q, &options).len())
                .sum::<usize>()
        })
    });
    group.bench_function("corpus_fix", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| j1ql_lint::fix(q, &options, false).applied)
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
