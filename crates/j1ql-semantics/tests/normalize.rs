//! Normalisation: De Morgan expansion and collapse, smart-class / selector / parameter
//! expansion, printing, and the text edits.
//!
//! * Snapshots (`snapshots/normalize/`) of every query in `test_data/normalize/*.j1ql`:
//!   input → expanded → collapsed (and the other expansions).
//! * The spec's truth tables, checked with a small reference evaluator written here (docs/contracts.md#language-decisions
//!   semantics), before and after expansion.
//! * The spec's smart-class table: each expansion lowers to the same IR as the spec's text.
//! * Property tests over random filters: printing round-trips, expansion is idempotent and
//!   stable through text, collapse is its inverse, and all three agree on random entities.

use std::collections::BTreeMap;
use std::path::Path;

use j1ql_semantics::ir::{CompareOp, Comparison, Filter, LogicOp, PropertyRef, Value};
use j1ql_semantics::lower::lower_filter_text;
use j1ql_semantics::normalize::{
    apply_edits, collapse, demorgan_edits, expand, expansion_edits, flatten, normalize_query_text,
    print_filter, Direction, Expand,
};
use j1ql_semantics::smart_classes::SmartClasses;
use j1ql_semantics::{analyze, Analysis, Context, Severity};
use j1ql_syntax::ast::AstNode;
use j1ql_syntax::TextRange;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// helpers

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings
        .set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/normalize"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data/normalize")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn analysis(text: &str) -> Analysis {
    analyze(text, &Context::builtin())
}

/// The text of each query of a document (comments between queries dropped).
fn queries(text: &str) -> Vec<String> {
    let parse = j1ql_syntax::parse(text);
    assert!(parse.errors().is_empty(), "{:?}", parse.errors());
    parse
        .document()
        .queries()
        .map(|q| q.syntax().to_string().trim_end().to_string())
        .collect()
}

/// Asserts that `text` parses and lowers without errors (warnings are fine).
fn assert_valid(text: &str) {
    let a = analysis(text);
    assert!(
        a.parse.errors().is_empty(),
        "{text}\n{:?}",
        a.parse.errors()
    );
    let errors: Vec<_> = a
        .diagnostics()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{text}\n{errors:#?}");
}

fn rewrite_text(text: &str, direction: Direction) -> String {
    apply_edits(text, &demorgan_edits(&analysis(text), direction))
}

fn lower(text: &str) -> Filter {
    let lowered = lower_filter_text(text);
    lowered
        .filter
        .unwrap_or_else(|| panic!("{text}: {:?}", lowered.errors))
}

/// The filter with every range emptied, for structural comparison.
fn strip(f: &Filter) -> Filter {
    fn prop(p: &PropertyRef) -> PropertyRef {
        PropertyRef {
            alias: p.alias.clone(),
            key: p.key.clone(),
            range: TextRange::default(),
        }
    }
    fn value(v: &Value) -> Value {
        match v {
            Value::Group { op, values } => Value::Group {
                op: *op,
                values: values.iter().map(value).collect(),
            },
            Value::Property(p) => Value::Property(prop(p)),
            other => other.clone(),
        }
    }
    match f {
        Filter::And(c) => Filter::And(c.iter().map(strip).collect()),
        Filter::Or(c) => Filter::Or(c.iter().map(strip).collect()),
        Filter::Compare(c) => Filter::Compare(Comparison {
            property: prop(&c.property),
            op: c.op,
            value: value(&c.value),
            range: TextRange::default(),
        }),
    }
}

/// A canonical text of a filter up to the order of AND/OR operands (and of flattening).
fn canon(f: &Filter) -> String {
    match flatten(f) {
        Filter::Compare(_) => print_filter(&flatten(f)),
        Filter::And(c) | Filter::Or(c) if c.is_empty() => String::from("<empty>"),
        Filter::And(c) => {
            let mut parts: Vec<String> = c.iter().map(canon).collect();
            parts.sort();
            format!("AND[{}]", parts.join(", "))
        }
        Filter::Or(c) => {
            let mut parts: Vec<String> = c.iter().map(canon).collect();
            parts.sort();
            format!("OR[{}]", parts.join(", "))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the reference evaluator (docs/contracts.md#language-decisions), for tests only

#[derive(Debug, Clone, PartialEq)]
enum Prop {
    Str(String),
    Num(f64),
    Bool(bool),
    Arr(Vec<Prop>),
}

type Entity = BTreeMap<String, Prop>;

fn eval(f: &Filter, e: &Entity) -> bool {
    match f {
        Filter::And(c) => c.iter().all(|f| eval(f, e)),
        Filter::Or(c) => c.iter().any(|f| eval(f, e)),
        Filter::Compare(c) => holds(c.op, e.get(&c.property.key), &c.value),
    }
}

/// `prop op value`: `!=` and the other negative operators are the exact negation of their
/// positive operator; a value group distributes its connective; against an array, a positive
/// operator holds when it holds for an element; an absent property satisfies no positive
/// comparison except `= undefined`.
fn holds(op: CompareOp, prop: Option<&Prop>, value: &Value) -> bool {
    if op.is_negative() {
        return !holds(op.negate(), prop, value);
    }
    match value {
        Value::Group {
            op: LogicOp::And,
            values,
        } => values.iter().all(|v| holds(op, prop, v)),
        Value::Group {
            op: LogicOp::Or,
            values,
        } => values.iter().any(|v| holds(op, prop, v)),
        Value::Undefined => op == CompareOp::Eq && prop.is_none(),
        _ => match prop {
            None => false,
            Some(Prop::Arr(items)) => items.iter().any(|i| scalar(op, i, value)),
            Some(p) => scalar(op, p, value),
        },
    }
}

fn scalar(op: CompareOp, p: &Prop, v: &Value) -> bool {
    match (op, p, v) {
        (CompareOp::Eq, Prop::Str(a), Value::String(b)) => a == b,
        (CompareOp::Eq, Prop::Num(a), Value::Number(b)) => a == b,
        (CompareOp::Eq, Prop::Bool(a), Value::Bool(b)) => a == b,
        (CompareOp::Contains, Prop::Str(a), Value::String(b)) => a.contains(b.as_str()),
        (CompareOp::StartsWith, Prop::Str(a), Value::String(b)) => a.starts_with(b.as_str()),
        (CompareOp::EndsWith, Prop::Str(a), Value::String(b)) => a.ends_with(b.as_str()),
        (CompareOp::Gt, Prop::Num(a), Value::Number(b)) => a > b,
        (CompareOp::Lt, Prop::Num(a), Value::Number(b)) => a < b,
        (CompareOp::Gte, Prop::Num(a), Value::Number(b)) => a >= b,
        (CompareOp::Lte, Prop::Num(a), Value::Number(b)) => a <= b,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// the spec's truth tables

#[test]
fn truth_tables_of_the_spec() {
    let s = |x: &str| Prop::Str(x.to_string());
    // Entity rows, and the spec's columns: "fruit", "nut-filled", =(AND), =(OR).
    let rows: Vec<(Option<Prop>, [bool; 4])> = vec![
        (Some(s("fruit")), [true, false, false, true]),
        (Some(s("nut-filled")), [false, true, false, true]),
        (
            Some(Prop::Arr(vec![s("fruit"), s("nut-filled")])),
            [true, true, true, true],
        ),
        (Some(s("non-fruit")), [false, false, false, false]),
        (
            Some(Prop::Arr(vec![s("non-fruit"), s("plain")])),
            [false, false, false, false],
        ),
        (None, [false, false, false, false]),
    ];
    let columns = [
        "tags = 'fruit'",
        "tags = 'nut-filled'",
        r#"tags = ("fruit" AND "nut-filled")"#,
        r#"tags = ("fruit" OR "nut-filled")"#,
    ];
    // "Negated Queries": the same entities, columns "fruit", "nut-filled", !=(AND), !=(OR).
    let negated_columns = [
        "tags = 'fruit'",
        "tags = 'nut-filled'",
        r#"tags != ("fruit" AND "nut-filled")"#,
        r#"tags != ("fruit" OR "nut-filled")"#,
    ];
    let negated_rows = [
        [true, false, true, false],
        [false, true, true, false],
        [true, true, false, false],
        [false, false, true, true],
        [false, false, true, true],
        [false, false, true, true],
    ];
    for (i, (prop, expected)) in rows.iter().enumerate() {
        let mut entity = Entity::new();
        if let Some(p) = prop {
            entity.insert("tags".to_string(), p.clone());
        }
        for (table, cols, want) in [
            ("truth", &columns, expected),
            ("negated", &negated_columns, &negated_rows[i]),
        ] {
            for (col, want) in cols.iter().zip(want.iter()) {
                let f = lower(col);
                for (form, g) in [
                    ("as written", f.clone()),
                    ("expanded", expand(&f)),
                    ("collapsed", collapse(&f)),
                    ("expanded text", lower(&print_filter(&expand(&f)))),
                ] {
                    assert_eq!(
                        eval(&g, &entity),
                        *want,
                        "{table} table, row {i} ({prop:?}), column `{col}` {form}: `{}`",
                        print_filter(&g)
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// snapshots

/// `label: text` blocks.
fn block(out: &mut String, label: &str, text: &str) {
    out.push_str(&format!(
        "{label:>10}: {}\n",
        text.replace('\n', "\n            ")
    ));
}

#[test]
fn demorgan_snapshots() {
    let mut out = String::new();
    for query in queries(&data("demorgan.j1ql")) {
        let expanded = rewrite_text(&query, Direction::Expand);
        let collapsed = rewrite_text(&expanded, Direction::Collapse);
        assert_valid(&expanded);
        assert_valid(&collapsed);
        // Collapsing the input or its expansion gives the same filters (the text may differ:
        // an input that is already collapsed gets no edit, so it keeps its quotes and case).
        let direct: Vec<Filter> = filters(&rewrite_text(&query, Direction::Collapse));
        let round: Vec<Filter> = filters(&collapsed);
        assert_eq!(
            direct.iter().map(strip).collect::<Vec<_>>(),
            round.iter().map(strip).collect::<Vec<_>>(),
            "{query}"
        );
        // Both directions are fixed points.
        assert_eq!(rewrite_text(&expanded, Direction::Expand), expanded);
        assert_eq!(rewrite_text(&collapsed, Direction::Collapse), collapsed);
        // The normalised text of the input is its expansion.
        let normalized = normalize_query_text(&query, &Expand::default());
        assert_valid(&normalized);
        assert_equivalent(&query, &expanded);
        assert_equivalent(&query, &collapsed);
        block(&mut out, "input", &query);
        block(&mut out, "expanded", &expanded);
        block(&mut out, "collapsed", &collapsed);
        if normalized != expanded {
            block(&mut out, "normalized", &normalized);
        }
        out.push('\n');
    }
    settings().bind(|| insta::assert_snapshot!("demorgan", out));
}

/// Every filter of `a` and the one at the same place in `b` agree on entities built from the
/// properties and values they mention (every combination of absent, each value, and arrays of
/// two values, for up to two properties; random beyond).
fn assert_equivalent(a: &str, b: &str) {
    let fa = filters(a);
    let fb = filters(b);
    assert_eq!(fa.len(), fb.len(), "{a}\n{b}");
    for (x, y) in fa.iter().zip(&fb) {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        collect(x, &mut keys, &mut values);
        let mut entities = vec![Entity::new()];
        for key in &keys {
            let mut choices: Vec<Option<Prop>> = vec![None];
            choices.extend(values.iter().cloned().map(Some));
            for (i, v) in values.iter().enumerate() {
                for w in &values[i + 1..] {
                    choices.push(Some(Prop::Arr(vec![v.clone(), w.clone()])));
                }
            }
            let mut next = Vec::new();
            for e in &entities {
                for c in &choices {
                    let mut e = e.clone();
                    if let Some(p) = c {
                        e.insert(key.clone(), p.clone());
                    }
                    next.push(e);
                }
            }
            next.truncate(20_000);
            entities = next;
        }
        for e in &entities {
            assert_eq!(
                eval(x, e),
                eval(y, e),
                "`{}` and `{}` differ on {e:?}",
                print_filter(x),
                print_filter(y)
            );
        }
    }
}

/// Every filter (WITH clauses per entity, WHERE, HAVING) of a one-query text.
fn filters(text: &str) -> Vec<Filter> {
    let a = analysis(text);
    let ir = &a.queries[0].ir;
    let mut out: Vec<Filter> = ir.start.filter.iter().cloned().collect();
    for step in &ir.steps {
        if let j1ql_semantics::ir::Step::Traversal(t) = step {
            out.extend(t.target.filter.iter().cloned());
        }
    }
    out.extend(ir.where_filter.iter().cloned());
    out.extend(ir.having.iter().cloned());
    out
}

fn collect(f: &Filter, keys: &mut Vec<String>, values: &mut Vec<Prop>) {
    fn value(v: &Value, values: &mut Vec<Prop>) {
        let p = match v {
            Value::Group { values: vs, .. } => return vs.iter().for_each(|v| value(v, values)),
            Value::String(s) => Prop::Str(s.clone()),
            Value::Number(n) => Prop::Num(*n),
            Value::Bool(b) => Prop::Bool(*b),
            _ => return,
        };
        if !values.contains(&p) {
            values.push(p);
        }
    }
    match f {
        Filter::And(c) | Filter::Or(c) => c.iter().for_each(|f| collect(f, keys, values)),
        Filter::Compare(c) => {
            if !keys.contains(&c.property.key) {
                keys.push(c.property.key.clone());
            }
            value(&c.value, values);
        }
    }
}

/// Expansion snapshots: input → the expansion edits applied → the normalised text.
fn expansion_snapshot(file: &str, options: &Expand) -> String {
    let mut out = String::new();
    for query in queries(&data(file)) {
        let expanded = apply_edits(&query, &expansion_edits(&analysis(&query), options));
        let normalized = normalize_query_text(&query, options);
        let collapsed = rewrite_text(&normalized, Direction::Collapse);
        assert_valid(&expanded);
        assert_valid(&normalized);
        assert_valid(&collapsed);
        block(&mut out, "input", &query);
        block(&mut out, "expanded", &expanded);
        block(&mut out, "normalized", &normalized);
        block(&mut out, "collapsed", &collapsed);
        out.push('\n');
    }
    out
}

#[test]
fn smart_class_snapshots() {
    let options = Expand {
        smart_classes: Some(SmartClasses::default()),
        ..Expand::default()
    };
    let out = expansion_snapshot("smart_classes.j1ql", &options);
    settings().bind(|| insta::assert_snapshot!("smart_classes", out));
}

#[test]
fn selector_snapshots() {
    let options = Expand {
        smart_classes: Some(SmartClasses::default()),
        selectors: true,
        params: None,
    };
    let out = expansion_snapshot("selectors.j1ql", &options);
    settings().bind(|| insta::assert_snapshot!("selectors", out));
}

#[test]
fn param_snapshots() {
    let params: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&data("params.json")).unwrap();
    let options = Expand {
        params: Some(params),
        ..Expand::default()
    };
    let out = expansion_snapshot("params.j1ql", &options);
    settings().bind(|| insta::assert_snapshot!("params", out));
}

/// The spec's table: each smart-class query, expanded, means what the spec's expanded query
/// means (same IR, ranges aside).
#[test]
fn smart_class_table_of_the_spec() {
    let def = "((_class = ('Application' or 'CodeRepo' or 'DataStore' or 'Function' or 'Host' \
               or 'Logs') and (tag.Production = true and classification = 'critical')) or \
               tags = 'CriticalAsset')";
    let rows = [
        (
            "FIND #CriticalAsset".to_string(),
            format!("FIND * WITH {def}"),
        ),
        (
            "FIND #CriticalAsset THAT HAS Finding".to_string(),
            format!("FIND * WITH {def} THAT HAS Finding"),
        ),
        // The spec writes `THAT HAS *` here; the query says RELATES TO (any relationship),
        // and the expansion keeps that.
        (
            "FIND Finding THAT RELATES TO #CriticalAsset".to_string(),
            format!("FIND Finding THAT RELATES TO * WITH {def}"),
        ),
        (
            "FIND #Production Application".to_string(),
            "FIND Application WITH tags = 'Production'".to_string(),
        ),
    ];
    let options = Expand {
        smart_classes: Some(SmartClasses::default()),
        ..Expand::default()
    };
    for (query, spec) in rows {
        let expanded = apply_edits(&query, &expansion_edits(&analysis(&query), &options));
        let ours = serde_json::to_value(&analysis(&expanded).queries[0].ir).unwrap();
        let theirs = serde_json::to_value(&analysis(&spec).queries[0].ir).unwrap();
        assert_eq!(ours, theirs, "{query}\n  ours: {expanded}\n  spec: {spec}");
    }
}

#[test]
fn a_smart_class_whose_definition_does_not_parse_stays() {
    let mut smart = SmartClasses::default();
    smart.define("Broken", "a = ");
    let options = Expand {
        smart_classes: Some(smart),
        ..Expand::default()
    };
    let text = "FIND #Broken #Production Host";
    let out = apply_edits(text, &expansion_edits(&analysis(text), &options));
    assert_eq!(out, "FIND #Broken Host WITH tags = 'Production'");
    let text = "FIND #Broken";
    assert!(expansion_edits(&analysis(text), &options).is_empty());
}

#[test]
fn json_parameter_values() {
    use j1ql_semantics::normalize::json_to_j1ql;
    let j = |s: &str| json_to_j1ql(&serde_json::from_str(s).unwrap());
    assert_eq!(j(r#""it's""#).as_deref(), Some(r"'it\'s'"));
    assert_eq!(j("-1.5").as_deref(), Some("-1.5"));
    assert_eq!(j("12345678901234567").as_deref(), Some("12345678901234567"));
    assert_eq!(j("null").as_deref(), Some("undefined"));
    assert_eq!(j(r#"["a"]"#).as_deref(), Some("'a'"));
    assert_eq!(
        j(r#"["a", [1, true]]"#).as_deref(),
        Some("('a' OR (1 OR true))")
    );
    assert_eq!(j("[]"), None);
    assert_eq!(j(r#"{"a": 1}"#), None);
}

#[test]
fn edits_replace_only_the_filters() {
    let text = "FIND Host WITH a = ('x' OR 'y') AS h THAT HAS Finding WITH b != (1 OR 2)";
    let edits = demorgan_edits(&analysis(text), Direction::Expand);
    let shown: Vec<(&str, &str)> = edits
        .iter()
        .map(|e| (&text[e.range], e.new_text.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("a = ('x' OR 'y')", "a = 'x' OR a = 'y'"),
            ("b != (1 OR 2)", "b != 1 AND b != 2"),
        ]
    );
    // Already expanded: nothing to do in that direction.
    let expanded = apply_edits(text, &edits);
    assert!(demorgan_edits(&analysis(&expanded), Direction::Expand).is_empty());
}

#[test]
fn broken_filters_are_left_alone() {
    for text in [
        // A syntax error inside the filter.
        "FIND Host WITH a = ('x' OR 'y') AND b = ",
        // A value lowering drops (invalid date): rewriting would delete it.
        "FIND Host WITH a = ('x' OR 'y') AND d > date(2019-02-30)",
        // A WHERE property without alias.
        "FIND Host AS h WHERE name = ('x' OR 'y')",
    ] {
        let edits = demorgan_edits(&analysis(text), Direction::Expand);
        assert!(edits.is_empty(), "{text}: {edits:?}");
        assert_eq!(normalize_query_text(text, &Expand::default()), text);
    }
}

#[test]
fn multi_query_documents_keep_what_is_between() {
    let text =
        "// first\nFIND A WITH x = (1 OR 2);\n\n/* second */ FIND b WITH y != ('p' OR 'q')\n";
    assert_eq!(
        normalize_query_text(text, &Expand::default()),
        "// first\nFIND A WITH x = 1 OR x = 2;\n\n/* second */ FIND b WITH y != 'p' AND y != 'q'\n"
    );
}

// ---------------------------------------------------------------------------------------------
// property tests

fn arb_op() -> impl Strategy<Value = CompareOp> {
    prop_oneof![
        Just(CompareOp::Eq),
        Just(CompareOp::NotEq),
        Just(CompareOp::Gt),
        Just(CompareOp::Lt),
        Just(CompareOp::Gte),
        Just(CompareOp::Lte),
        Just(CompareOp::Contains),
        Just(CompareOp::StartsWith),
        Just(CompareOp::EndsWith),
        Just(CompareOp::NotContains),
        Just(CompareOp::NotStartsWith),
        Just(CompareOp::NotEndsWith),
    ]
}

fn arb_logic() -> impl Strategy<Value = LogicOp> {
    prop_oneof![Just(LogicOp::And), Just(LogicOp::Or)]
}

/// Values the reference evaluator understands, from small sets so that entities hit them.
fn arb_simple_scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(vec!["x", "y", "xy"]).prop_map(|s| Value::String(s.into())),
        3 => (1..4i32).prop_map(|n| Value::Number(n as f64)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Undefined),
    ]
    .boxed()
}

/// Every kind of value.
fn arb_full_scalar() -> BoxedStrategy<Value> {
    use j1ql_semantics::ir::DateUnit;
    let unit = prop::sample::select(vec![
        DateUnit::Minute,
        DateUnit::Hour,
        DateUnit::Day,
        DateUnit::Week,
        DateUnit::Month,
        DateUnit::Year,
    ]);
    prop_oneof![
        3 => "[a-z'\\\\\" .-]{0,6}".prop_map(Value::String),
        2 => (-400..400i32).prop_map(|n| Value::Number(n as f64 / 4.0)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Undefined),
        1 => (0..4_000_000_000_000i64).prop_map(Value::Date),
        1 => (0..4_000_000i64).prop_map(|d| Value::Date(d * 1_000_000)),
        1 => ((-30..30i32), unit).prop_map(|(n, u)| Value::RelativeDate {
            amount: n as f64,
            unit: (n != 0).then_some(u),
        }),
        1 => ("[a-z][a-z.*]{0,3}", "[gi]{0,2}")
            .prop_map(|(pattern, flags)| Value::Regex { pattern, flags }),
        1 => ("[a-z][a-zA-Z]{0,4}", 0..3usize).prop_map(|(name, form)| {
            let written = match form {
                0 => format!("${{ param.{name} }}"),
                1 => format!("${{{name}}}"),
                _ => format!("{{{{{name}}}}}"),
            };
            Value::Param { name, written }
        }),
    ]
    .boxed()
}

fn arb_value(scalar: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    scalar
        .prop_recursive(2, 8, 3, |inner| {
            (arb_logic(), prop::collection::vec(inner, 2..4))
                .prop_map(|(op, values)| Value::Group { op, values })
        })
        .boxed()
}

fn arb_filter(keys: Vec<&'static str>, scalar: BoxedStrategy<Value>) -> BoxedStrategy<Filter> {
    let comparison =
        (prop::sample::select(keys), arb_op(), arb_value(scalar)).prop_map(|(key, op, value)| {
            Filter::Compare(Comparison {
                property: PropertyRef {
                    alias: None,
                    key: key.to_string(),
                    range: TextRange::default(),
                },
                op,
                value,
                range: TextRange::default(),
            })
        });
    comparison
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
                prop::collection::vec(inner, 2..4).prop_map(Filter::Or),
            ]
        })
        .boxed()
}

fn full_filter() -> BoxedStrategy<Filter> {
    arb_filter(
        vec![
            "a",
            "tag.Env",
            "b_c",
            "weird-key",
            "and",
            "x.y:z",
            "date.nowish",
        ],
        arb_full_scalar(),
    )
}

fn simple_filter() -> BoxedStrategy<Filter> {
    arb_filter(vec!["a", "b", "tag.Env"], arb_simple_scalar())
}

fn arb_prop() -> impl Strategy<Value = Option<Prop>> {
    let scalar = prop_oneof![
        prop::sample::select(vec!["x", "y", "xy", "z"]).prop_map(|s| Prop::Str(s.into())),
        (1..4i32).prop_map(|n| Prop::Num(n as f64)),
    ];
    prop_oneof![
        2 => Just(None),
        3 => scalar.clone().prop_map(Some),
        1 => any::<bool>().prop_map(|b| Some(Prop::Bool(b))),
        2 => prop::collection::vec(scalar, 0..4).prop_map(|v| Some(Prop::Arr(v))),
    ]
}

fn arb_entity() -> impl Strategy<Value = Entity> {
    (arb_prop(), arb_prop(), arb_prop()).prop_map(|(a, b, t)| {
        let mut e = Entity::new();
        for (k, v) in [("a", a), ("b", b), ("tag.Env", t)] {
            if let Some(v) = v {
                e.insert(k.to_string(), v);
            }
        }
        e
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (a) printing, parsing and lowering gives the filter back (up to flattening).
    #[test]
    fn print_round_trips(f in full_filter()) {
        let text = print_filter(&f);
        let parse = j1ql_syntax::parse(&format!("FIND * WITH {text}"));
        prop_assert!(parse.errors().is_empty(), "{}: {:?}", text, parse.errors());
        let lowered = lower(&text);
        prop_assert_eq!(strip(&flatten(&lowered)), strip(&flatten(&f)), "{}", text);
    }

    /// (b) expansion is idempotent and leaves no value group.
    #[test]
    fn expand_is_idempotent(f in full_filter()) {
        let e = expand(&f);
        prop_assert_eq!(expand(&e), e.clone());
        prop_assert!(!has_group(&e), "{}", print_filter(&e));
    }

    /// (c) print(expand(f)) → parse → lower → expand → print is stable.
    #[test]
    fn expansion_is_stable_through_text(f in full_filter()) {
        let once = print_filter(&expand(&f));
        let twice = print_filter(&expand(&lower(&once)));
        prop_assert_eq!(once, twice);
    }

    /// (d) collapse is the inverse of expand (up to the order of operands), and idempotent;
    /// its text lowers to itself.
    #[test]
    fn collapse_inverts_expand(f in full_filter()) {
        let e = expand(&f);
        let c = collapse(&e);
        prop_assert_eq!(canon(&expand(&c)), canon(&e), "{}", print_filter(&c));
        prop_assert_eq!(print_filter(&collapse(&c)), print_filter(&c));
        prop_assert_eq!(print_filter(&collapse(&f)), print_filter(&c));
        let text = print_filter(&c);
        prop_assert_eq!(strip(&flatten(&lower(&text))), strip(&c), "{}", text);
    }

    /// (e) f, expand(f) and collapse(f) agree on random entities.
    #[test]
    fn rewrites_keep_the_meaning(
        f in simple_filter(),
        entities in prop::collection::vec(arb_entity(), 16),
    ) {
        let e = expand(&f);
        let c = collapse(&f);
        for entity in &entities {
            let want = eval(&f, entity);
            prop_assert_eq!(eval(&e, entity), want, "expand: `{}` → `{}` on {:?}",
                print_filter(&f), print_filter(&e), entity);
            prop_assert_eq!(eval(&c, entity), want, "collapse: `{}` → `{}` on {:?}",
                print_filter(&f), print_filter(&c), entity);
        }
    }

    /// Edits on a query text give the same text as printing the rewritten filter.
    #[test]
    fn edits_match_the_rewrite(f in full_filter()) {
        let query = format!("FIND Host WITH {} THAT HAS Finding", print_filter(&f));
        for direction in [Direction::Expand, Direction::Collapse] {
            let rewritten = rewrite_text(&query, direction);
            let want = match direction {
                Direction::Expand => expand(&f),
                Direction::Collapse => collapse(&f),
            };
            prop_assert_eq!(
                rewritten,
                format!("FIND Host WITH {} THAT HAS Finding", print_filter(&want))
            );
        }
    }
}

fn has_group(f: &Filter) -> bool {
    match f {
        Filter::And(c) | Filter::Or(c) => c.iter().any(has_group),
        Filter::Compare(c) => matches!(c.value, Value::Group { .. }),
    }
}

#[test]
fn new_text_does_not_glue_onto_its_neighbours() {
    // A filter glued to WITH.
    let text = "FIND * WITH(_class = 'Host' OR _class = 'Device') AND ip = '10.0.0.1'";
    let out = rewrite_text(text, Direction::Collapse);
    assert_eq!(
        out,
        "FIND * WITH _class = ('Host' OR 'Device') AND ip = '10.0.0.1'"
    );
    // A filter glued to the next keyword.
    let text = "FIND * WITH a = (1 OR 2)AS x";
    assert_eq!(
        rewrite_text(text, Direction::Expand),
        "FIND * WITH a = 1 OR a = 2 AS x"
    );
    // A selector glued to FIND.
    let options = Expand {
        smart_classes: Some(SmartClasses::default()),
        ..Expand::default()
    };
    let text = "FIND#Production Host";
    let out = apply_edits(text, &expansion_edits(&analysis(text), &options));
    assert_eq!(out, "FIND Host WITH tags = 'Production'");
    // A parameter glued to AND.
    let options = Expand {
        params: Some([("p".to_string(), serde_json::json!(true))].into()),
        ..Expand::default()
    };
    let text = "FIND * WITH a = ${p}AND b = 1";
    let out = apply_edits(text, &expansion_edits(&analysis(text), &options));
    assert_eq!(out, "FIND * WITH a = true AND b = 1");
    assert_valid(&out);
}
