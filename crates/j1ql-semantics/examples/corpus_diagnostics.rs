//! Lowers every query of a corpus JSON-lines file and tallies semantic diagnostics by code.
use std::collections::BTreeMap;

use j1ql_syntax::ast::AstNode;

fn main() {
    let path = std::env::args().nth(1).expect("path to queries.jsonl");
    let kinds: Vec<String> = std::env::args().skip(2).collect();
    let text = std::fs::read_to_string(&path).expect("readable corpus");
    let cx = j1ql_semantics::Context::builtin();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let kind = row["source_kind"].as_str().unwrap_or("");
        if !kinds.is_empty() && !kinds.iter().any(|k| k == kind) {
            continue;
        }
        let q = row["query"].as_str().unwrap();
        let parse = j1ql_syntax::parse(q);
        for query in parse.document().queries() {
            let analysis = j1ql_semantics::analyze::analyze_query(&query, &cx);
            for d in analysis.diagnostics {
                *tally
                    .entry(format!("{} {}", d.code, d.severity.as_str()))
                    .or_default() += 1;
                if std::env::var("SHOW").is_ok_and(|s| s == d.code.as_str()) {
                    println!("--- {}\n{}\n  => {}", d.code, query.syntax(), d.message);
                }
            }
        }
    }
    for (code, n) in tally {
        println!("{code}: {n}");
    }
}
