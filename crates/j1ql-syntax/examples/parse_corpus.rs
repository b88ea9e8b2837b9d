//! A profiling driver: parses the joined query corpus repeatedly, so that `perf record` or
//! `valgrind --tool=callgrind` see the parser's steady state.
//!
//! `cargo run --release -p j1ql-syntax --example parse_corpus -- [CORPUS] [ROUNDS] [single|parts]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/queries.jsonl"
        )
        .to_string()
    });
    let rounds: usize = args
        .next()
        .map_or(200, |r| r.parse().expect("ROUNDS is a number"));
    let single = args.next().as_deref() != Some("parts");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let joined = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            row["query"].as_str().expect("a query string").to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let start = Instant::now();
    let mut nodes = 0usize;
    for _ in 0..rounds {
        let parse = if single {
            j1ql_syntax::parse_single_threaded(&joined)
        } else {
            j1ql_syntax::parse(&joined)
        };
        nodes += parse.green().children().len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} bytes x {rounds}: {:.3} ms per parse, {:.1} MiB/s ({nodes} top-level children)",
        joined.len(),
        secs * 1e3 / rounds as f64,
        joined.len() as f64 * rounds as f64 / secs / (1 << 20) as f64
    );
}

/// The `j1ql` binary's allocator, as in the parse benchmark.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
