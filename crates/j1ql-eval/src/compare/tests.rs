//! The spec's truth tables, row by row.

use j1ql_graph::{EntityId, Graph};
use j1ql_semantics::ir::{CompareOp, LogicOp};
use serde_json::json;

use super::{compare, RValue};

/// One entity per row of the spec's table: `tags` holds the row's values.
fn graph() -> Graph {
    Graph::from_json_value(&json!({
        "entities": [
            {"_key": "a", "_type": "t", "_class": "C", "tags": "fruit"},
            {"_key": "b", "_type": "t", "_class": "C", "tags": "nut-filled"},
            {"_key": "c", "_type": "t", "_class": "C", "tags": ["fruit", "nut-filled"]},
            {"_key": "d", "_type": "t", "_class": "C", "tags": "non-fruit"},
            {"_key": "e", "_type": "t", "_class": "C", "tags": ["non-fruit", "plain"]},
            {"_key": "f", "_type": "t", "_class": "C"}
        ]
    }))
    .expect("fixture loads")
}

fn s(v: &str) -> RValue {
    RValue::Str(v.to_string())
}

fn column(graph: &Graph, op: CompareOp, value: &RValue) -> Vec<bool> {
    (0..6)
        .map(|i| {
            let id = graph.entities_with_key(["a", "b", "c", "d", "e", "f"][i])[0].1;
            compare(graph, graph.property(id, "tags"), op, value)
        })
        .collect()
}

#[test]
fn positive_truth_table() {
    let g = graph();
    let and = RValue::Group(LogicOp::And, vec![s("fruit"), s("nut-filled")]);
    let or = RValue::Group(LogicOp::Or, vec![s("fruit"), s("nut-filled")]);
    // Rows: "fruit" | "nut-filled" | both | "non-fruit" | "non-fruit","plain" | undefined
    assert_eq!(
        column(&g, CompareOp::Eq, &s("fruit")),
        [true, false, true, false, false, false]
    );
    assert_eq!(
        column(&g, CompareOp::Eq, &s("nut-filled")),
        [false, true, true, false, false, false]
    );
    assert_eq!(
        column(&g, CompareOp::Eq, &and),
        [false, false, true, false, false, false]
    );
    assert_eq!(
        column(&g, CompareOp::Eq, &or),
        [true, true, true, false, false, false]
    );
}

#[test]
fn negated_truth_table() {
    let g = graph();
    let and = RValue::Group(LogicOp::And, vec![s("fruit"), s("nut-filled")]);
    let or = RValue::Group(LogicOp::Or, vec![s("fruit"), s("nut-filled")]);
    assert_eq!(
        column(&g, CompareOp::NotEq, &and),
        [true, true, false, true, true, true]
    );
    assert_eq!(
        column(&g, CompareOp::NotEq, &or),
        [false, false, false, true, true, true]
    );
}

#[test]
fn undefined_and_string_operators() {
    let g = graph();
    assert_eq!(
        column(&g, CompareOp::Eq, &RValue::Undefined),
        [false, false, false, false, false, true]
    );
    assert_eq!(
        column(&g, CompareOp::NotEq, &RValue::Undefined),
        [true, true, true, true, true, false]
    );
    // `~=` applies element by element; case-sensitive.
    assert_eq!(
        column(&g, CompareOp::Contains, &s("fruit")),
        [true, false, true, true, true, false]
    );
    assert_eq!(column(&g, CompareOp::Contains, &s("Fruit")), [false; 6]);
    assert_eq!(
        column(&g, CompareOp::StartsWith, &s("non")),
        [false, false, false, true, true, false]
    );
    assert_eq!(
        column(&g, CompareOp::EndsWith, &s("filled")),
        [false, true, true, false, false, false]
    );
    // The negations are exact: an absent property satisfies them.
    assert_eq!(
        column(&g, CompareOp::NotContains, &s("fruit")),
        [false, true, false, false, false, true]
    );
    let re = RValue::Regex(
        regex::RegexBuilder::new("FRU")
            .case_insensitive(true)
            .build()
            .unwrap(),
    );
    assert_eq!(
        column(&g, CompareOp::Contains, &re),
        [true, false, true, true, true, false]
    );
}

#[test]
fn ordering_compares_numbers_and_iso_dates() {
    let g = Graph::from_json_value(&json!({"entities": [
        {"_key": "n", "_type": "t", "_class": "C", "age": 30, "seen": "2022-01-19T20:26:17.842Z"}
    ]}))
    .unwrap();
    let id = EntityId(0);
    assert!(compare(
        &g,
        g.property(id, "age"),
        CompareOp::Gt,
        &RValue::Num(29.0)
    ));
    assert!(!compare(
        &g,
        g.property(id, "age"),
        CompareOp::Gt,
        &RValue::Num(30.0)
    ));
    assert!(compare(
        &g,
        g.property(id, "age"),
        CompareOp::Lte,
        &RValue::Num(30.0)
    ));
    assert!(!compare(&g, g.property(id, "age"), CompareOp::Gt, &s("29")));
    let jan_2022 = 1_640_995_200_000.0;
    assert!(compare(
        &g,
        g.property(id, "seen"),
        CompareOp::Gt,
        &RValue::Num(jan_2022)
    ));
    assert!(!compare(
        &g,
        g.property(id, "missing"),
        CompareOp::Lt,
        &RValue::Num(1.0)
    ));
}
