//! The conformance suite (`tests/conformance/`): every J1QL feature of the spec, with answers
//! worked out by hand from the fixture graph, run through the shared evaluator.
//!
//! The suite is a `j1ql test` suite (a folder with `j1ql.toml` and `*.j1ql` files). Each query
//! is preceded by comments:
//!
//! ```text
//! // name: users that are people
//! // expect: keys = u-alice, u-bob
//! // why: (free text)
//! FIND User THAT IS Person
//! ```
//!
//! Expectations: `keys = a, b` (the `_key`s of a list result, or the vertices of a tree,
//! order-insensitive), `ordered keys = a, b`, `count = N`, `empty`, `nonempty`,
//! `rows = [JSON]` / `ordered rows = [JSON]` (exact table rows; a cell holding an entity or a
//! relationship is written as its `_key`), `columns include a, b`, `vertices = a, b`,
//! `edges = N`, `error` (the query is refused or fails).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use j1ql_eval::{run_query, EvalOptions, QueryResult, ValueContext};
use j1ql_graph::{Graph, LoadOptions};
use j1ql_semantics::catalog::Catalog;
use j1ql_semantics::smart_classes::SmartClasses;
use j1ql_semantics::Context;
use serde::Deserialize;
use serde_json::Value;

/// `j1ql.toml` of a suite (the keys this runner understands).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteConfig {
    /// Fixture paths, relative to the suite folder.
    data: Vec<PathBuf>,
    /// The clock for relative dates (RFC 3339).
    now: String,
    /// Values of `${ param.x }`, `${x}`, `{{x}}`.
    #[serde(default)]
    params: BTreeMap<String, Value>,
    /// Smart-class definitions (name without `#` → filter text).
    #[serde(default, rename = "smart-classes")]
    smart_classes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Keys(Vec<String>),
    OrderedKeys(Vec<String>),
    Count(usize),
    Empty,
    NonEmpty,
    Rows(Vec<Value>),
    OrderedRows(Vec<Value>),
    ColumnsInclude(Vec<String>),
    Vertices(Vec<String>),
    Edges(usize),
    Error,
}

#[derive(Debug)]
struct Case {
    file: String,
    line: usize,
    name: String,
    expects: Vec<Expect>,
    query: String,
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_expect(text: &str) -> Result<Expect, String> {
    let text = text.trim();
    let (head, rest) = match text.split_once('=') {
        Some((h, r)) => (h.trim(), r.trim()),
        None => (text, ""),
    };
    let json_rows = |r: &str| -> Result<Vec<Value>, String> {
        match serde_json::from_str::<Value>(r) {
            Ok(Value::Array(rows)) => Ok(rows),
            Ok(_) => Err("rows must be a JSON array".into()),
            Err(e) => Err(format!("rows: bad JSON: {e}")),
        }
    };
    let number = |r: &str| r.parse::<usize>().map_err(|e| format!("`{r}`: {e}"));
    Ok(match head {
        "keys" => Expect::Keys(list(rest)),
        "ordered keys" => Expect::OrderedKeys(list(rest)),
        "count" => Expect::Count(number(rest)?),
        "empty" => Expect::Empty,
        "nonempty" => Expect::NonEmpty,
        "rows" => Expect::Rows(json_rows(rest)?),
        "ordered rows" => Expect::OrderedRows(json_rows(rest)?),
        "vertices" => Expect::Vertices(list(rest)),
        "edges" => Expect::Edges(number(rest)?),
        "error" => Expect::Error,
        h if h.starts_with("columns include") => {
            Expect::ColumnsInclude(list(h.trim_start_matches("columns include")))
        }
        other => return Err(format!("unknown expectation `{other}`")),
    })
}

/// Splits a suite file into cases: each starts at a `// name:` line; the comment lines right
/// after it hold its expectations; the query runs to the next `// name:`.
fn parse_file(file: &str, text: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    let mut in_header = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix("// name:") {
            cases.push(Case {
                file: file.to_string(),
                line: i + 1,
                name: name.trim().to_string(),
                expects: Vec::new(),
                query: String::new(),
            });
            in_header = true;
            continue;
        }
        let Some(case) = cases.last_mut() else {
            if !line.is_empty() && !line.starts_with("//") {
                return Err(format!(
                    "{file}:{}: query text before the first `// name:`",
                    i + 1
                ));
            }
            continue;
        };
        if in_header {
            if let Some(c) = line.strip_prefix("//") {
                if let Some(e) = c.trim().strip_prefix("expect:") {
                    case.expects
                        .push(parse_expect(e).map_err(|m| format!("{file}:{}: {m}", i + 1))?);
                }
                continue;
            }
            in_header = false;
        }
        case.query.push_str(raw);
        case.query.push('\n');
    }
    for case in &mut cases {
        let q = case.query.trim_end();
        case.query = q.strip_suffix(';').unwrap_or(q).trim().to_string();
        if case.expects.is_empty() {
            return Err(format!(
                "{}:{}: `{}` has no `// expect:`",
                case.file, case.line, case.name
            ));
        }
        if case.query.is_empty() {
            return Err(format!(
                "{}:{}: `{}` has no query",
                case.file, case.line, case.name
            ));
        }
    }
    Ok(cases)
}

fn numbers_equal(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
}

/// JSON equality with numbers compared as numbers (`25` = `25.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => numbers_equal(x, y),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A table cell holding an entity or a relationship is compared by its `_key`.
fn simplify_cell(v: &Value) -> Value {
    for kind in ["entity", "relationship"] {
        if let Some(key) = v.get(kind).and_then(|m| m.get("_key")) {
            return key.clone();
        }
    }
    v.clone()
}

fn simplify_rows(rows: &[serde_json::Map<String, Value>]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            Value::Object(
                r.iter()
                    .map(|(k, v)| (k.clone(), simplify_cell(v)))
                    .collect(),
            )
        })
        .collect()
}

fn entity_keys(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.get("entity")
                .and_then(|e| e.get("_key"))
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn same_rows_unordered(expected: &[Value], actual: &[Value]) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        match (0..actual.len()).find(|i| !used[*i] && json_eq(e, &actual[*i])) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 3000 {
        format!("{}… ({} chars)", &text[..3000], text.len())
    } else {
        text
    }
}

/// Checks one expectation; `Err` describes the difference.
fn check(expect: &Expect, result: &QueryResult) -> Result<(), String> {
    let list_keys = || -> Result<Vec<String>, String> {
        match result {
            QueryResult::List(items) => Ok(entity_keys(items)),
            QueryResult::Tree { vertices, .. } => Ok(entity_keys(vertices)),
            QueryResult::Table(rows) => Err(format!(
                "expected a list, got a table: {}",
                show(&Value::Array(simplify_rows(rows)))
            )),
        }
    };
    let table = || -> Result<Vec<Value>, String> {
        match result {
            QueryResult::Table(rows) => Ok(simplify_rows(rows)),
            other => Err(format!(
                "expected a table, got {}",
                show(&other.to_json()["type"])
            )),
        }
    };
    match expect {
        Expect::Keys(keys) => {
            let actual = sorted(list_keys()?);
            let expected = sorted(keys.clone());
            (actual == expected)
                .then_some(())
                .ok_or_else(|| format!("keys: expected {expected:?}\n      got      {actual:?}"))
        }
        Expect::OrderedKeys(keys) => {
            let actual = list_keys()?;
            (&actual == keys).then_some(()).ok_or_else(|| {
                format!("ordered keys: expected {keys:?}\n              got      {actual:?}")
            })
        }
        Expect::Count(n) => (result.len() == *n)
            .then_some(())
            .ok_or_else(|| format!("count: expected {n}, got {}", result.len())),
        Expect::Empty => result
            .is_empty()
            .then_some(())
            .ok_or_else(|| format!("expected empty, got {} item(s)", result.len())),
        Expect::NonEmpty => (!result.is_empty())
            .then_some(())
            .ok_or_else(|| "expected a non-empty result, got none".to_string()),
        Expect::Rows(rows) | Expect::OrderedRows(rows) => {
            let actual = table()?;
            let ok = if matches!(expect, Expect::Rows(_)) {
                same_rows_unordered(rows, &actual)
            } else {
                json_eq(&Value::Array(rows.clone()), &Value::Array(actual.clone()))
            };
            ok.then_some(()).ok_or_else(|| {
                format!(
                    "rows: expected {}\n      got      {}",
                    show(&Value::Array(rows.clone())),
                    show(&Value::Array(actual))
                )
            })
        }
        Expect::ColumnsInclude(columns) => {
            let actual = table()?;
            if actual.is_empty() {
                return Err("columns include: the table has no rows".into());
            }
            for row in &actual {
                let missing: Vec<&String> = columns
                    .iter()
                    .filter(|c| row.get(c.as_str()).is_none())
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "columns {missing:?} missing from row {}",
                        show(row)
                    ));
                }
            }
            Ok(())
        }
        Expect::Vertices(keys) => match result {
            QueryResult::Tree { vertices, .. } => {
                let actual = sorted(entity_keys(vertices));
                let expected = sorted(keys.clone());
                (actual == expected).then_some(()).ok_or_else(|| {
                    format!("vertices: expected {expected:?}\n          got      {actual:?}")
                })
            }
            _ => Err("expected a tree".into()),
        },
        Expect::Edges(n) => match result {
            QueryResult::Tree { edges, .. } => (edges.len() == *n)
                .then_some(())
                .ok_or_else(|| format!("edges: expected {n}, got {}", edges.len())),
            _ => Err("expected a tree".into()),
        },
        Expect::Error => Err(format!(
            "expected the query to fail, got {} item(s)",
            result.len()
        )),
    }
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

fn load_suite(dir: &Path) -> (SuiteConfig, Graph, Vec<Case>) {
    assert!(
        dir.is_dir(),
        "the conformance suite folder {} is missing",
        dir.display()
    );
    let config_text = std::fs::read_to_string(dir.join("j1ql.toml"))
        .unwrap_or_else(|e| panic!("{}/j1ql.toml: {e}", dir.display()));
    let config: SuiteConfig =
        toml::from_str(&config_text).unwrap_or_else(|e| panic!("j1ql.toml: {e}"));
    let now_ms = j1ql_semantics::dates::parse_iso_date(&config.now)
        .unwrap_or_else(|e| panic!("j1ql.toml: now `{}`: {e}", config.now));
    let paths: Vec<PathBuf> = config.data.iter().map(|p| dir.join(p)).collect();
    let graph = j1ql_graph::load_paths(
        &paths,
        LoadOptions {
            strict: true,
            timestamp_ms: Some(now_ms),
            ..LoadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("fixtures: {e}"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "j1ql"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        cases.extend(parse_file(&name, &text).unwrap_or_else(|e| panic!("{e}")));
    }
    assert!(!cases.is_empty(), "the conformance suite has no queries");
    (config, graph, cases)
}

#[test]
fn conformance_suite() {
    let dir = suite_dir();
    let (config, graph, cases) = load_suite(&dir);
    let now_ms = j1ql_semantics::dates::parse_iso_date(&config.now).unwrap();
    let mut smart = SmartClasses::default();
    for (name, definition) in &config.smart_classes {
        smart.define(name.clone(), definition.clone());
    }
    let catalog = Catalog::builtin().extended(&graph.observations());
    let context = Context {
        catalog: &catalog,
        smart_classes: &smart,
        known_tags: None,
    };
    let options = EvalOptions {
        values: ValueContext {
            now_ms,
            params: config.params.clone().into_iter().collect(),
        },
        smart_classes: smart.clone(),
        ..EvalOptions::default()
    };
    let mut failures = String::new();
    let mut failed = 0;
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        let mut problems: Vec<String> = Vec::new();
        if !names.insert((&case.file, &case.name)) {
            problems.push("duplicate name in this file".into());
        }
        match run_query(&case.query, &graph, &context, &options) {
            Ok(result) => {
                for expect in &case.expects {
                    if let Err(e) = check(expect, &result) {
                        problems.push(e);
                    }
                }
            }
            Err(e) => {
                if !case.expects.contains(&Expect::Error) {
                    let detail = match &e {
                        j1ql_eval::RunError::Refused(a) => {
                            let mut d: Vec<String> =
                                a.parse.errors().iter().map(|e| format!("{e:?}")).collect();
                            d.extend(
                                a.diagnostics()
                                    .filter(|d| d.severity == j1ql_semantics::Severity::Error)
                                    .map(|d| d.message.to_string()),
                            );
                            d.join("; ")
                        }
                        _ => String::new(),
                    };
                    problems.push(format!("the query failed: {e} {detail}"));
                }
            }
        }
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n--- {}:{} `{}`\n{}\n  {}",
                case.file,
                case.line,
                case.name,
                case.query
                    .lines()
                    .map(|l| format!("    | {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                problems.join("\n  ")
            );
        }
    }
    eprintln!(
        "conformance: {} queries, {} passed, {} failed",
        cases.len(),
        cases.len() - failed,
        failed
    );
    assert!(
        failed == 0,
        "{failed} of {} conformance queries failed:{failures}",
        cases.len()
    );
}

#[test]
fn suite_format_parses() {
    let text = "// header comment\n\n// name: a\n// expect: keys = x, y\n// why: because\nFIND User\n  THAT IS Person;\n\n// name: b\n// expect: count = 3\n// expect: rows = [{\"a\": 1}]\nFIND *\n";
    let cases = parse_file("t.j1ql", text).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].query, "FIND User\n  THAT IS Person");
    assert_eq!(
        cases[0].expects,
        vec![Expect::Keys(vec!["x".into(), "y".into()])]
    );
    assert_eq!(cases[1].expects.len(), 2);
    assert!(parse_file("t.j1ql", "FIND User\n").is_err());
    assert!(parse_file("t.j1ql", "// name: a\nFIND User\n").is_err());
    assert!(parse_expect("bogus = 1").is_err());
    assert!(json_eq(
        &serde_json::json!({"n": 25}),
        &serde_json::json!({"n": 25.0})
    ));
}
