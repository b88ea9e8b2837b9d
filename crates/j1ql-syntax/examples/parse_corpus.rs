//! A profiling driver: parses the joined query corpus repeatedly, so that `perf record` or
//! `valgrind --tool=callgrind` see the parser's steady state (criterion's harness would blur a
//! profile).
//!
//! `cargo run --release -p j1ql-syntax --example parse_corpus -- [CORPUS] [ROUNDS] [single|parts]`
//!
//! `CORPUS` defaults to `$J1QL_CORPUS/queries.jsonl` (J1QL_CORPUS: the corpus folder), else
//! `../shared/corpus/queries.jsonl` beside the repository; `ROUNDS` to 200;
//! `single` (the default) times `parse_single_threaded`, `parts` times `parse` (which parses a
//! document this large in parts on all cores).

use std::process::ExitCode;
use std::time::Instant;

/// The `j1ql` binary's allocator, as in the parse benchmark.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parse_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        let folder = std::env::var("J1QL_CORPUS").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus").to_string()
        });
        format!("{folder}/queries.jsonl")
    });
    let rounds: usize = match args.next() {
        None => 200,
        Some(r) => r
            .parse()
            .map_err(|_| format!("ROUNDS must be a whole number, not `{r}`"))?,
    };
    let single = match args.next().as_deref() {
        None | Some("single") => true,
        Some("parts") => false,
        Some(other) => return Err(format!("expected `single` or `parts`, not `{other}`")),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut queries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("{path}:{}: not a JSON line: {e}", n + 1))?;
        let query = row["query"]
            .as_str()
            .ok_or_else(|| format!("{path}:{}: no `query` string", n + 1))?;
        queries.push(query.to_string());
    }
    let joined = queries.join("\n");
    let start = Instant::now();
    let mut children = 0usize;
    for _ in 0..rounds {
        let parse = if single {
            j1ql_syntax::parse_single_threaded(&joined)
        } else {
            j1ql_syntax::parse(&joined)
        };
        children += parse.green().children().len();
    }
    let secs = start.elapsed().as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "{} bytes x {rounds}: {:.3} ms per parse, {:.1} MiB/s ({children} top-level children)",
        joined.len(),
        secs * 1e3 / rounds.max(1) as f64,
        joined.len() as f64 * rounds as f64 / secs / (1 << 20) as f64
    );
    Ok(())
}
