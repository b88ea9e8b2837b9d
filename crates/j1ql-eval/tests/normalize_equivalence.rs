//! A query and its De Morgan normalisation (expanded, and collapsed back) return the same
//! entities on random graphs.

use j1ql_eval::{evaluate, EvalOptions, QueryResult};
use j1ql_graph::Graph;
use j1ql_semantics::normalize::{self, Direction, Expand};
use j1ql_semantics::{analyze, Context};
use proptest::prelude::*;
use serde_json::{json, Value};

const WORDS: [&str; 4] = ["fruit", "nut-filled", "plain", "non-fruit"];

fn property_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        (0..4usize).prop_map(|i| Some(json!(WORDS[i]))),
        proptest::collection::vec(0..4usize, 0..4).prop_map(|v| Some(Value::Array(
            v.into_iter().map(|i| json!(WORDS[i])).collect()
        ))),
        (0..5i64).prop_map(|n| Some(json!(n))),
    ]
}

fn graph_strategy() -> impl Strategy<Value = Vec<(Option<Value>, Option<Value>)>> {
    proptest::collection::vec((property_value(), property_value()), 1..12)
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..4usize).prop_map(|i| format!("'{}'", WORDS[i])),
        (0..5i64).prop_map(|n| n.to_string()),
        Just("undefined".to_string()),
    ]
}

fn comparison() -> impl Strategy<Value = String> {
    let prop = prop_oneof![Just("a"), Just("b")];
    let op = prop_oneof![Just("="), Just("!=")];
    let group = (
        proptest::collection::vec(value_text(), 1..4),
        prop_oneof![Just("OR"), Just("AND")],
    )
        .prop_map(|(values, op)| format!("({})", values.join(&format!(" {op} "))));
    let value = prop_oneof![value_text(), group];
    (prop, op, value).prop_map(|(p, o, v)| format!("{p} {o} {v}"))
}

fn filter() -> impl Strategy<Value = String> {
    comparison().prop_recursive(3, 12, 3, |inner| {
        (inner.clone(), prop_oneof![Just("AND"), Just("OR")], inner)
            .prop_map(|(l, op, r)| format!("({l}) {op} ({r})"))
    })
}

fn build(entities: &[(Option<Value>, Option<Value>)]) -> Graph {
    let items: Vec<Value> = entities
        .iter()
        .enumerate()
        .map(|(i, (a, b))| {
            let mut e = json!({"_key": format!("e{i}"), "_type": "thing", "_class": "Thing"});
            if let Some(a) = a {
                e["a"] = a.clone();
            }
            if let Some(b) = b {
                e["b"] = b.clone();
            }
            e
        })
        .collect();
    Graph::from_json_value(&json!({ "entities": items })).expect("generated fixture loads")
}

fn keys(text: &str, graph: &Graph) -> Vec<String> {
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors(), "{text} has errors");
    let result = evaluate(&analysis.queries[0].ir, graph, &EvalOptions::default()).unwrap();
    let QueryResult::List(items) = result else {
        panic!()
    };
    let mut keys: Vec<String> = items
        .iter()
        .map(|i| i["entity"]["_key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn normalised_queries_return_the_same_entities(entities in graph_strategy(), f in filter()) {
        let graph = build(&entities);
        let original = format!("FIND thing WITH {f}");
        let expanded = normalize::normalize_query_text(&original, &Expand::default());
        let analysis = analyze(&expanded, &Context::builtin());
        let collapsed = normalize::apply_edits(&expanded, &normalize::demorgan_edits(&analysis, Direction::Collapse));
        let want = keys(&original, &graph);
        prop_assert_eq!(&keys(&expanded, &graph), &want, "expanded: {}", expanded);
        prop_assert_eq!(&keys(&collapsed, &graph), &want, "collapsed: {}", collapsed);
    }
}
