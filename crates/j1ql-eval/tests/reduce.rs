//! The semi-join reduction on a graph large enough for its outward steps to run on two threads
//! (each half of a slot's members expands into its own set, and the sets are joined): the
//! results equal the unreduced walk's, through the exact-set path and the per-entity test.

use j1ql_eval::{evaluate, explain, EvalOptions, PlanChoice};
use j1ql_graph::Graph;
use j1ql_semantics::{analyze, Context};
use serde_json::{json, Value};

/// 40,000 alphas (sizes 0..7), each USES beta `i % 36,000`; each of the 36,000 betas (red,
/// green, blue) ALLOWS gamma `b % 50` (levels 0..5). More than
/// 32,768 entities in a slot: the reduction expands from it on two threads.
const COLOURS: [&str; 3] = ["red", "green", "blue"];

fn graph() -> Graph {
    let mut entities = Vec::new();
    let mut relationships = Vec::new();
    for i in 0..40_000 {
        entities.push(
            json!({"_key": format!("a{i}"), "_type": "alpha", "_class": "Thing",
                             "size": i % 7}),
        );
        relationships.push(json!({"_class": "USES", "_fromEntityKey": format!("a{i}"),
                                  "_toEntityKey": format!("b{}", i % 36_000)}));
    }
    for b in 0..36_000 {
        entities.push(
            json!({"_key": format!("b{b}"), "_type": "beta", "_class": "Thing",
                             "colour": COLOURS[b % 3]}),
        );
        relationships.push(
            json!({"_class": "ALLOWS", "_fromEntityKey": format!("b{b}"),
                                  "_toEntityKey": format!("g{}", b % 50)}),
        );
    }
    for g in 0..50 {
        entities.push(
            json!({"_key": format!("g{g}"), "_type": "gamma", "_class": "Thing",
                             "level": g % 5}),
        );
    }
    Graph::from_json_value(&json!({"entities": entities, "relationships": relationships}))
        .expect("fixture loads")
}

fn run(text: &str, graph: &Graph, plan: PlanChoice) -> Value {
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors(), "{text}");
    let options = EvalOptions {
        plan,
        ..EvalOptions::default()
    };
    evaluate(&analysis.queries[0].ir, graph, &options)
        .expect("evaluates")
        .to_json()
}

#[test]
fn a_reduction_on_two_threads_gives_the_walk_s_results() {
    let graph = graph();
    for text in [
        // Alpha's filter reads one property: the alphas' exact set from the value groups.
        "FIND alpha AS a WITH size > 2 THAT USES beta AS b THAT ALLOWS gamma AS g \
         RETURN g.level, count(a), count(b)",
        // `Thing` is a class and `size != 3` too, but the beta filter below is tested per
        // entity (a WHERE across aliases is not a slot's own check).
        "FIND Thing AS a WITH size != 3 THAT USES beta AS b THAT ALLOWS gamma AS g \
         WHERE a.size < g.level RETURN a._key, b._key, g._key",
        "FIND alpha AS a THAT USES beta AS b WITH colour = 'blue' THAT ALLOWS gamma AS g \
         WITH level = 4 RETURN count(a)",
    ] {
        let forward = run(text, &graph, PlanChoice::FromStep(0));
        assert!(
            forward["data"].as_array().is_some_and(|d| !d.is_empty()),
            "{text}: {forward}"
        );
        for k in 1..3 {
            assert_eq!(
                forward,
                run(text, &graph, PlanChoice::FromStep(k)),
                "{text} from {k}"
            );
        }
    }
    // The reduction from the end expands from 36,000 betas to the alphas: on two threads.
    let text = "FIND alpha AS a THAT USES beta AS b THAT ALLOWS gamma AS g RETURN count(a)";
    let analysis = analyze(text, &Context::builtin());
    let options = EvalOptions {
        plan: PlanChoice::FromStep(2),
        ..EvalOptions::default()
    };
    let plan = explain(&analysis.queries[0].ir, &graph, &options).expect("explains");
    assert!(plan.contains("after semi-join 40000"), "{plan}");
}
