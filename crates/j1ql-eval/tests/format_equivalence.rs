//! Differential test of the formatter (and of normalisation followed by formatting): random
//! queries, written with random keyword case, value-keyword case and property names that differ
//! only in case (`tag.True`, `tag.true`), return the same entities on random graphs before and
//! after `j1ql fmt`. This is the check that caught `tag.True` becoming `tag.true`.

use j1ql_eval::{evaluate, EvalOptions, QueryResult};
use j1ql_fmt::{format, FormatOptions, KeywordCase};
use j1ql_graph::Graph;
use j1ql_semantics::normalize::{self, Expand};
use j1ql_semantics::{analyze, Context};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Properties whose names differ only in case, and one plain.
const PROPS: [&str; 4] = ["tag.True", "tag.true", "tag.FALSE", "a"];

fn property_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        any::<bool>().prop_map(|b| Some(json!(b))),
        (0..3i64).prop_map(|n| Some(json!(n))),
        prop_oneof![Just("x"), Just("True")].prop_map(|s| Some(json!(s))),
    ]
}

fn graph_strategy() -> impl Strategy<Value = Vec<Vec<Option<Value>>>> {
    proptest::collection::vec(
        proptest::collection::vec(property_value(), PROPS.len()),
        1..10,
    )
}

/// A word in a random case.
fn cased(word: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(word.to_ascii_uppercase()),
        Just(word.to_ascii_lowercase()),
        Just({
            let mut w = word.to_ascii_lowercase();
            w[..1].make_ascii_uppercase();
            w
        }),
    ]
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        cased("true"),
        cased("false"),
        cased("undefined"),
        (0..3i64).prop_map(|n| n.to_string()),
        prop_oneof![Just("'x'"), Just("\"True\"")].prop_map(str::to_string),
    ]
}

fn comparison() -> impl Strategy<Value = String> {
    let prop = (0..PROPS.len()).prop_map(|i| PROPS[i]);
    let op = prop_oneof![Just("="), Just("!="), Just(">"), Just("<")];
    (prop, op, value_text()).prop_filter_map("ordering needs a number", |(p, o, v)| {
        let numeric = v.parse::<i64>().is_ok();
        (numeric || matches!(o, "=" | "!=")).then(|| format!("{p} {o} {v}"))
    })
}

fn filter() -> impl Strategy<Value = String> {
    comparison().prop_recursive(3, 10, 3, |inner| {
        (inner.clone(), cased("and").prop_union(cased("or")), inner)
            .prop_map(|(l, op, r)| format!("({l}) {op}  {r}"))
    })
}

fn build(entities: &[Vec<Option<Value>>]) -> Graph {
    let items: Vec<Value> = entities
        .iter()
        .enumerate()
        .map(|(i, values)| {
            let mut e = json!({"_key": format!("e{i}"), "_type": "thing", "_class": "Thing"});
            for (name, value) in PROPS.iter().zip(values) {
                if let Some(v) = value {
                    e[*name] = v.clone();
                }
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
        panic!("not a list: {text}")
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
    fn formatted_queries_return_the_same_entities(
        entities in graph_strategy(),
        find in cased("find"),
        with in cased("with"),
        f in filter(),
        lower in any::<bool>(),
    ) {
        let graph = build(&entities);
        let original = format!("{find} thing {with} {f}");
        let options = FormatOptions {
            keyword_case: if lower { KeywordCase::Lower } else { KeywordCase::Upper },
            ..FormatOptions::default()
        };
        let formatted = format(&original, &options).expect("formats");
        let want = keys(&original, &graph);
        prop_assert_eq!(&keys(&formatted, &graph), &want, "formatted: {}", formatted);
        let expanded = normalize::normalize_query_text(&original, &Expand::default());
        let both = format(&expanded, &options).expect("formats");
        prop_assert_eq!(&keys(&both, &graph), &want, "normalised then formatted: {}", both);
    }
}
