//! Load benchmarks: parse + build + index of generated accounts.
//!
//! `cargo bench -p j1ql-graph --bench load` measures 20 k and 100 k entities from files (so that
//! parallel reading is included), with the generator's own ~1.6 relationships per entity and
//! with 2 per entity (`dense`, the ratio of the 1 M / 2 M target). The 1 M-entity figure of
//! `docs/performance.md` is measured with the CLI under `/usr/bin/time -v` (peak RSS), see that
//! document. mimalloc, like the `j1ql` binary.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use j1ql_graph::generate::{self, GenerateOptions};
use j1ql_graph::{load_paths, LoadOptions};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, entities, relationships) in [
        ("files", 20_000usize, None),
        ("files", 100_000, None),
        ("dense", 100_000, Some(200_000)),
    ] {
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
