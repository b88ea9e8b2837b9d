//! Evaluation benchmarks: the `bench/compare` query shapes on a generated 100k-entity account,
//! built in process (generator + loader), so regressions of the evaluator show in `cargo bench`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use j1ql_eval::{evaluate, EvalOptions};
use j1ql_graph::{generate, LoadOptions, Loader};
use j1ql_semantics::{analyze, Context};

const QUERIES: &[(&str, &str)] = &[
    (
        "type_filter_count",
        "FIND aws_s3_bucket WITH public = true RETURN count(aws_s3_bucket)",
    ),
    (
        "one_hop_filters_both_ends",
        "FIND aws_instance AS i WITH state = 'stopped' THAT USES aws_iam_role AS r \
         WITH tag.Team = 'security' RETURN count(i)",
    ),
    (
        "three_hops_where_grouped_count",
        "FIND aws_security_group AS sg THAT PROTECTS aws_instance AS i THAT USES aws_iam_role \
         AS r THAT ALLOWS aws_s3_bucket AS b WHERE i.tag.Environment = 'production' AND \
         b.classification = 'confidential' AND sg.region = b.region RETURN i.platform, count(b)",
    ),
    (
        "negated_traversal",
        "FIND aws_instance WITH state = 'running' THAT !USES aws_iam_role \
         RETURN count(aws_instance)",
    ),
    (
        "default_list_page",
        "FIND aws_instance AS i THAT USES aws_iam_role THAT ALLOWS aws_s3_bucket WITH \
         encrypted = false",
    ),
];

fn bench_eval(c: &mut Criterion) {
    let mut loader = Loader::new(LoadOptions::default());
    for file in generate::generate(100_000, 1) {
        loader
            .add_bytes(&file.name, file.text.as_bytes())
            .expect("generated data loads");
    }
    let graph = loader.finish().expect("graph");
    let options = EvalOptions::default();
    let mut group = c.benchmark_group("eval_100k");
    group.sample_size(20);
    for (name, text) in QUERIES {
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
