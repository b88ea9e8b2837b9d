//! Evaluation benchmarks: the `bench/compare` query shapes on a generated 100k-entity account,
//! built in process (generator + loader), so regressions of the evaluator show in `cargo bench`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use j1ql_eval::{evaluate, EvalOptions};
use j1ql_semantics::{analyze, Context};

#[path = "support/shapes.rs"]
mod shapes;

fn bench_eval(c: &mut Criterion) {
    let graph = shapes::generated_graph(100_000);
    let options = EvalOptions::default();
    let mut group = c.benchmark_group("eval_100k");
    group.sample_size(20);
    for (name, text) in shapes::SHAPES {
        let analysis = analyze(text, &Context::builtin());
        assert!(!analysis.has_errors(), "{name}: the query has errors");
        let query = &analysis.queries[0].ir;
        group.bench_function(*name, |b| {
            b.iter(|| black_box(evaluate(query, &graph, &options).expect("evaluates").len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
