//! `cargo run --release -p j1ql-graph --example gen_and_load -- N DIR [RELATIONSHIPS]`:
//! generates N entities (and at least RELATIONSHIPS relationships, when given) into DIR unless it
//! exists, and times a load. Uses mimalloc, like the `j1ql` binary.
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = std::path::PathBuf::from(args.get(2).cloned().unwrap_or("/tmp/j1ql-gen".into()));
    if !dir.exists() {
        let t = Instant::now();
        let options = j1ql_graph::generate::GenerateOptions {
            entities: n,
            seed: 1,
            relationships: args.get(3).and_then(|a| a.parse().ok()),
        };
        let s = j1ql_graph::generate::write_dir_with(options, &dir).unwrap();
        eprintln!("generated {s:?} in {:?}", t.elapsed());
    }
    let t = Instant::now();
    let g = j1ql_graph::load_paths(
        &[&dir],
        j1ql_graph::LoadOptions {
            threads: std::env::var("THREADS")
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0),
            ..Default::default()
        },
    )
    .unwrap();
    let el = t.elapsed();
    let r = g.report();
    eprintln!(
        "loaded {} entities, {} relationships, skipped {}, dup {} in {:?}; heap {} MB ({} B/entity)",
        r.entities,
        r.relationships,
        r.skipped_relationships.len(),
        r.duplicates,
        el,
        g.heap_bytes() / 1_000_000,
        g.heap_bytes() / r.entities.max(1)
    );
}
