//! Load benchmarks: parse + build + index of generated accounts.
//!
//! `cargo bench -p j1ql-graph --bench load` measures 20 k and 100 k entities from files (so that
//! parallel reading is included), with the generator's own ~1.6 relationships per entity and
//! with 2 per entity (`dense`, the ratio of the 1 M / 2 M target). With `J1QL_BENCH_FULL=1` it
//! also measures issue 4's own case, 1 M entities and 2 M relationships (486 MB of JSON written
//! to a temporary folder first; about a minute). Peak RSS is measured with the CLI under
//! `/usr/bin/time -v`, see `docs/performance.md`. mimalloc, like the `j1ql` binary.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use j1ql_graph::generate::{self, GenerateOptions};
use j1ql_graph::{load_paths, LoadOptions};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let mut cases = vec![
        ("files", 20_000usize, None),
        ("files", 100_000, None),
        ("dense", 100_000, Some(200_000)),
    ];
    if std::env::var_os("J1QL_BENCH_FULL").is_some() {
        cases.push(("dense", 1_000_000, Some(2_000_000)));
    }
    for (name, entities, relationships) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = GenerateOptions {
            entities,
            seed: 1,
            relationships,
        };
        let stats = generate::write_dir_with(options, dir.path()).expect("generate");
        group.throughput(Throughput::Bytes(stats.bytes as u64));
        group.bench_with_input(BenchmarkId::new(name, entities), &dir, |b, dir| {
            b.iter(|| {
                let graph = load_paths(&[dir.path()], LoadOptions::default()).expect("load");
                black_box(graph.entity_count())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
