//! Streamed grouped counts against the row-based grouping on a graph large enough for the walk
//! to run on two threads (the groups of the second half are merged after those of the first),
//! with groups that first appear in the second half.

use j1ql_eval::{evaluate, EvalOptions};
use j1ql_graph::Graph;
use j1ql_semantics::{analyze, Context};
use serde_json::{json, Value};

/// 6,000 alphas, each USES one of 60 betas: the first half only reaches betas 0..30 (red and
/// green), the second half also betas 30..60 (blue, seen only there).
fn graph() -> Graph {
    let mut entities = Vec::new();
    let mut relationships = Vec::new();
    for i in 0..6000 {
        entities.push(
            json!({"_key": format!("a{i}"), "_type": "alpha", "_class": "Thing",
                             "size": i % 7}),
        );
        let beta = if i < 3000 { i % 30 } else { i % 60 };
        relationships.push(json!({"_class": "USES", "_fromEntityKey": format!("a{i}"),
                                  "_toEntityKey": format!("b{beta}")}));
        if i % 5 == 0 {
            relationships.push(json!({"_class": "USES", "_fromEntityKey": format!("a{i}"),
                                      "_toEntityKey": format!("b{}", (beta + 1) % 60)}));
        }
    }
    for b in 0..60 {
        let colour = if b >= 30 {
            "blue"
        } else if b % 2 == 0 {
            "red"
        } else {
            "green"
        };
        entities.push(
            json!({"_key": format!("b{b}"), "_type": "beta", "_class": "Thing",
                             "colour": colour}),
        );
    }
    Graph::from_json_value(&json!({"entities": entities, "relationships": relationships}))
        .expect("fixture loads")
}

fn run(text: &str, graph: &Graph, materialise_rows: bool) -> Value {
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors(), "{text}");
    let options = EvalOptions {
        materialise_rows,
        ..EvalOptions::default()
    };
    evaluate(&analysis.queries[0].ir, graph, &options)
        .expect("evaluates")
        .to_json()
}

#[test]
fn streamed_counts_equal_the_row_based_grouping_on_two_threads() {
    let graph = graph();
    for text in [
        "FIND alpha AS a THAT USES beta AS b RETURN b.colour, count(a), count(*) AS paths",
        "FIND alpha AS a THAT USES beta AS b RETURN a.size AS s, count(b) AS n ORDER BY n DESC",
        "FIND alpha AS a THAT USES beta AS b WHERE b.colour != 'red' RETURN b._key, count(a)",
        "FIND alpha AS a THAT USES beta AS b RETURN count(b), count(a)",
    ] {
        let rows = run(text, &graph, true);
        let streamed = run(text, &graph, false);
        assert_eq!(rows, streamed, "{text}");
    }
    // The expected groups, by hand: blue first appears in the second half, after red and green.
    let counts = run(
        "FIND alpha AS a THAT USES beta AS b RETURN b.colour, count(a), count(b)",
        &graph,
        false,
    );
    let colours: Vec<&str> = counts["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["b.colour"].as_str().unwrap())
        .collect();
    assert_eq!(colours, ["red", "green", "blue"]);
    assert_eq!(counts["data"][2]["count(b)"], json!(30));
}
