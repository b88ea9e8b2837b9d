//! The demo account built into the binary: what `j1ql run` queries when no `--data` is given.
//!
//! Hand-designed payloads (see `scripts/gen-demo-graph.py`): an Okta identity provider with
//! users and groups, the people behind them (HR, `api` source), two AWS accounts with buckets,
//! instances, security groups, IAM roles and policies, GitHub repositories, laptops with
//! endpoint agents, and findings — 53 entities and 66 relationships in six subgraphs.

use j1ql_graph::{Graph, LoadError, LoadOptions, Loader};

/// The payload files, by name (the name is the default scope and appears in reports).
pub const FILES: [(&str, &str); 6] = [
    ("okta.json", include_str!("../data/demo/okta.json")),
    ("hr.json", include_str!("../data/demo/hr.json")),
    ("aws.json", include_str!("../data/demo/aws.json")),
    ("github.json", include_str!("../data/demo/github.json")),
    (
        "endpoints.json",
        include_str!("../data/demo/endpoints.json"),
    ),
    ("findings.json", include_str!("../data/demo/findings.json")),
];

/// "Now" for the demo graph's dates (2025-11-21T00:00:00Z): pass it as `--now` for
/// reproducible relative-date answers.
pub const DEMO_NOW_MS: i64 = 1_763_683_200_000;

/// Loads the demo account (strict: every relationship of it resolves).
pub fn graph() -> Result<Graph, LoadError> {
    loader(true)?.finish()
}

/// A loader holding the demo account's files, with the demo's timestamps, so that callers can
/// add more data (`j1ql serve` adds uploaded subgraphs) and get the same demo entities as
/// [`graph`].
pub fn loader(strict: bool) -> Result<Loader, LoadError> {
    let mut loader = Loader::new(LoadOptions {
        strict,
        timestamp_ms: Some(DEMO_NOW_MS - 30 * 86_400_000),
        ..LoadOptions::default()
    });
    for (name, text) in FILES {
        loader.add_bytes(name, text.as_bytes())?;
    }
    Ok(loader)
}
