//! The value-group index of the start step (`FIND type WITH key op value`) must give exactly
//! what a scan gives: random graphs whose property values mix scalars of every kind, arrays
//! and missing values, random filters with every comparison operator, compared against the
//! same filter on `FIND *` with `_type`/`_class` tests (which never uses the index).

use j1ql_eval::{evaluate, EvalOptions};
use j1ql_graph::{Graph, Selector};
use j1ql_semantics::{analyze, Context};
use proptest::prelude::*;
use serde_json::{json, Value};

const TYPES: [&str; 2] = ["t1", "t2"];

fn value(i: usize) -> Option<Value> {
    [
        None,
        Some(json!(null)),
        Some(json!(true)),
        Some(json!(false)),
        Some(json!(0)),
        Some(json!(1)),
        Some(json!(2.5)),
        Some(json!("a")),
        Some(json!("b")),
        Some(json!([1, 2])),
        Some(json!(["a", true])),
        Some(json!([])),
    ][i]
        .clone()
}

/// Entities: (type, class 0..2, value of `p`, value of `q`).
type Fixture = Vec<(usize, usize, usize, usize)>;

fn fixture() -> impl Strategy<Value = Fixture> {
    proptest::collection::vec((0..2usize, 0..2usize, 0..12usize, 0..12usize), 1..40)
}

fn build(ents: &Fixture) -> Graph {
    let entities: Vec<Value> = ents
        .iter()
        .enumerate()
        .map(|(i, (t, c, p, q))| {
            let class = ["Thing", "Other"][*c];
            let mut e = json!({"_key": format!("e{i}"), "_type": TYPES[*t], "_class": class});
            if let Some(v) = value(*p) {
                e["p"] = v;
            }
            if let Some(v) = value(*q) {
                e["q"] = v;
            }
            e
        })
        .collect();
    Graph::from_json_value(&json!({ "entities": entities })).expect("generated fixture loads")
}

fn comparison(key: &'static str) -> impl Strategy<Value = String> {
    const ANY: [&str; 8] = ["true", "false", "1", "2", "0", "'a'", "'b'", "undefined"];
    let op_const = prop_oneof![
        (
            prop_oneof![Just("="), Just("!=")],
            proptest::sample::select(&ANY[..])
        ),
        (
            prop_oneof![Just(">"), Just("<"), Just(">="), Just("<=")],
            prop_oneof![Just("0"), Just("1"), Just("2")],
        ),
        (
            prop_oneof![Just("^="), Just("$="), Just("~=")],
            prop_oneof![Just("'a'"), Just("'b'")],
        ),
    ];
    op_const.prop_map(move |(op, c)| format!("{key} {op} {c}"))
}

fn filter() -> impl Strategy<Value = String> {
    prop_oneof![
        comparison("p"),
        (comparison("p"), comparison("p")).prop_map(|(a, b)| format!("{a} OR {b}")),
        (comparison("p"), comparison("p")).prop_map(|(a, b)| format!("{a} AND {b}")),
        (comparison("p"), comparison("q")).prop_map(|(a, b)| format!("{a} AND {b}")),
        (comparison("p"), comparison("q")).prop_map(|(a, b)| format!("{a} OR {b}")),
    ]
}

/// (indexed selector, the same selector as a filter on `*`).
fn selector() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop_oneof![
        Just(("t1", "_type = 't1'")),
        Just(("t2", "_type = 't2'")),
        Just(("Thing", "_class = 'Thing'")),
        Just(("(t1|Other)", "(_type = 't1' OR _class = 'Other')")),
    ]
}

fn run(text: &str, graph: &Graph) -> Result<Value, String> {
    let analysis = analyze(text, &Context::builtin());
    if analysis.has_errors() {
        return Err(format!("refused: {text}"));
    }
    evaluate(&analysis.queries[0].ir, graph, &EvalOptions::default())
        .map(|r| r.to_json())
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_index_gives_what_a_scan_gives(
        ents in fixture(),
        (sel, as_filter) in selector(),
        f in filter(),
        count in any::<bool>(),
    ) {
        let graph = build(&ents);
        let ret = if count { "RETURN count(x)" } else { "RETURN x._key LIMIT 1000" };
        let indexed = run(&format!("FIND {sel} AS x WITH {f} {ret}"), &graph);
        let scan = run(&format!("FIND * AS x WITH {as_filter} AND ({f}) {ret}"), &graph);
        prop_assert!(indexed.is_ok(), "{:?}", indexed);
        prop_assert_eq!(&indexed, &scan, "{} on {}", f, sel);
    }
}

/// The index is really used (so the test above compares two different paths), and its answer
/// is the hand-counted one.
#[test]
fn a_type_filter_count_builds_and_uses_the_groups() {
    let graph = build(&vec![
        (0, 0, 2, 0),
        (0, 0, 3, 0),
        (0, 1, 10, 0),
        (1, 0, 2, 0),
        (0, 0, 0, 0),
    ]);
    let t1 = Selector::Type(graph.sym("t1").unwrap());
    let p = graph.sym("p").unwrap();
    assert!(!graph.value_groups_built(t1, p));
    // `true` and the array holding `true` match (docs/contracts.md#language-decisions: any element); false, missing don't.
    let got = run("FIND t1 WITH p = true RETURN count(t1)", &graph).unwrap();
    assert!(graph.value_groups_built(t1, p));
    assert_eq!(got, json!({"type": "table", "data": [{"count(t1)": 2}]}));
}
