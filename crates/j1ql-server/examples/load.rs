//! A small load client for `j1ql serve`: N concurrent clients each POST the same `queryV1`
//! over loopback (one keep-alive connection per client) until the request budget is spent,
//! then prints latency percentiles, throughput and errors. `bench/serve/run.sh` drives it.
//!
//! `cargo run --release -p j1ql-server --example load -- URL CLIENTS REQUESTS [QUERY]`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: load URL CLIENTS REQUESTS [QUERY]");
        std::process::exit(2);
    }
    let url = format!("{}/graphql", args[1].trim_end_matches('/'));
    let clients: usize = args[2].parse().expect("CLIENTS: a number");
    let requests: usize = args[3].parse().expect("REQUESTS: a number");
    let query = args
        .get(4)
        .cloned()
        .unwrap_or_else(|| "FIND User THAT IS Person".into());
    let body = serde_json::json!({
        "query": "query Q($query: String!) { queryV1(query: $query) { type data cursor } }",
        "variables": { "query": query },
    })
    .to_string();
    let remaining = Arc::new(AtomicUsize::new(requests));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let (url, body, remaining) = (url.clone(), body.clone(), remaining.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0usize;
            while remaining
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
            {
                let t = Instant::now();
                let ok = match client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(b) => !b.windows(9).any(|w| w == b"\"errors\":"),
                        Err(_) => false,
                    },
                    _ => false,
                };
                times.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (t, e) = t.await.expect("client task");
        times.extend(t);
        errors += e;
    }
    let wall = started.elapsed();
    times.sort();
    let pct = |p: f64| {
        let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
        times[i].as_secs_f64() * 1000.0
    };
    println!(
        "{{\"clients\": {clients}, \"requests\": {}, \"errors\": {errors}, \"seconds\": {:.2}, \
         \"requests_per_s\": {:.0}, \"p50_ms\": {:.3}, \"p90_ms\": {:.3}, \"p99_ms\": {:.3}, \
         \"max_ms\": {:.3}}}",
        times.len(),
        wall.as_secs_f64(),
        times.len() as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
    );
    if errors > 0 {
        std::process::exit(1);
    }
}
