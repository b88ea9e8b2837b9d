//! Load benchmarks: parse + build + index of generated accounts.
//!
//! `cargo bench -p j1ql-graph --bench load` measures 20 k and 100 k entities from files (so that
//! parallel reading is included). The 1 M-entity figure of `docs/performance.md` is measured
//! with the CLI under `/usr/bin/time -v` (peak RSS), see that document.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use j1ql_graph::{generate, load_paths, LoadOptions};

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for entities in [20_000usize, 100_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let stats = generate::write_dir(entities, 1, dir.path()).expect("generate");
        group.throughput(Throughput::Bytes(stats.bytes as u64));
        group.bench_with_input(BenchmarkId::new("files", entities), &dir, |b, dir| {
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
