//! The differential test of `j1ql translate --to cypher` and `j1ql export --to cypher`
//! (docs/cypher.md, issue 23): every query of the conformance suite (`tests/conformance/`) is
//! run by the evaluator (what `j1ql run` prints) and, translated, on FalkorDB (embedded:
//! FalkorDBLite from PyPI) holding the exported fixture graph. Each case must agree or be
//! refused by the translator with a reason; a single difference fails the test.
//!
//! Needs a Python with `falkordblite` installed, named by `J1QL_CYPHER_PYTHON`;
//! `tests/cypher/run.sh` makes one (a virtualenv under the user's cache folder) and runs this
//! test. Ignored by a plain `cargo test`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use j1ql_eval::QueryResult;
use serde_json::{json, Value};

struct Engine {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl Engine {
    fn start(python: &str) -> Engine {
        let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cypher/falkordb_driver.py");
        let mut child = Command::new(python)
            .arg(&driver)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python} {}: {e}", driver.display()));
        let input = child.stdin.take();
        let output = BufReader::new(child.stdout.take().expect("stdout"));
        Engine {
            child,
            input,
            output,
        }
    }

    fn ask(&mut self, request: &Value) -> Value {
        let input = self.input.as_mut().expect("the driver's stdin");
        writeln!(input, "{request}").expect("write to the driver");
        input.flush().expect("flush");
        let mut line = String::new();
        self.output
            .read_line(&mut line)
            .expect("read from the driver");
        assert!(!line.is_empty(), "the FalkorDB driver stopped");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad answer {line}: {e}"))
    }
}

impl Drop for Engine {
    /// Closing the pipe ends the driver, which stops its embedded server; a driver that does
    /// not end within 20 s is killed.
    fn drop(&mut self) {
        drop(self.input.take());
        for _ in 0..200 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A cell as compared: an entity (a J1 list item, or a node) is its `_id`; numbers are f64.
fn normal(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.contains_key("node") => m["node"]["_id"].clone(),
        Value::Object(m) if m.contains_key("edge") => m["edge"]["_id"].clone(),
        Value::Object(m)
            if m.contains_key("id")
                && (m.contains_key("entity") || m.contains_key("relationship")) =>
        {
            m["id"].clone()
        }
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(normal).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), normal(v))).collect()),
        other => other.clone(),
    }
}

fn sorted(rows: Vec<String>) -> Vec<String> {
    let mut rows = rows;
    rows.sort();
    rows
}

/// The J1 answer as comparable rows (one string each), and the Cypher answer likewise.
fn rows_of_j1(result: &QueryResult, columns: &Option<Vec<String>>) -> Vec<String> {
    match (result, columns) {
        (QueryResult::List(items), _) => items.iter().map(|i| normal(i).to_string()).collect(),
        (QueryResult::Table(rows), Some(cols)) => rows
            .iter()
            .map(|r| {
                Value::Array(
                    cols.iter()
                        .map(|c| normal(r.get(c).unwrap_or(&Value::Null)))
                        .collect(),
                )
                .to_string()
            })
            .collect(),
        (QueryResult::Table(rows), None) => rows
            .iter()
            .map(|r| Value::Object(r.clone()).to_string())
            .collect(),
        (QueryResult::Tree { .. }, _) => vec!["<tree>".into()],
    }
}

fn rows_of_cypher(rows: &[Value], list: bool) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let cells: Vec<Value> = r
                .as_array()
                .map(|c| c.iter().map(normal).collect())
                .unwrap_or_default();
            if list {
                cells.first().cloned().unwrap_or(Value::Null).to_string()
            } else {
                Value::Array(cells).to_string()
            }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    agree: usize,
    invalid: usize,
    refused: BTreeMap<String, Vec<String>>,
    differ: Vec<String>,
}

#[test]
#[ignore = "needs FalkorDBLite: run tests/cypher/run.sh"]
fn conformance_suite_on_falkordb() {
    let python = std::env::var("J1QL_CYPHER_PYTHON")
        .expect("J1QL_CYPHER_PYTHON: a Python with falkordblite (tests/cypher/run.sh makes one)");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let suites = j1ql_test::discover(&[PathBuf::from(&root)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!suites.is_empty(), "the conformance suite is missing");
    let mut tally = Tally::default();
    for suite in &suites {
        run_suite(suite, &python, &mut tally);
    }
    let refused: usize = tally.refused.values().map(Vec::len).sum();
    println!(
        "agree {} / refused {} / differ {} (and {} cases the checker rejects, as j1ql run does)",
        tally.agree,
        refused,
        tally.differ.len(),
        tally.invalid
    );
    for (construct, cases) in &tally.refused {
        println!(
            "  refused {construct}: {} ({})",
            cases.len(),
            cases.join(", ")
        );
    }
    assert!(tally.agree > 0, "nothing agreed");
    assert!(
        tally.differ.is_empty(),
        "{} case(s) differ:\n\n{}",
        tally.differ.len(),
        tally.differ.join("\n\n")
    );
}

/// One suite (a `j1ql.toml` and its files): its graph exported into a fresh engine, each case
/// run both ways.
fn run_suite(suite: &j1ql_test::Suite, python: &str, tally: &mut Tally) {
    let loaded = j1ql_test::load(suite).unwrap_or_else(|e| panic!("{e}"));
    let project = loaded.project();
    let graph = project.graph().unwrap_or_else(|e| panic!("{e}"));
    let context = project.context();

    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("graph.cypher");
    std::fs::write(&export, j1ql_cypher::export::cypher(graph)).expect("write the export");
    let mut engine = Engine::start(python);
    let loaded_answer = engine.ask(&json!({"op": "load", "file": export}));
    assert_eq!(
        loaded_answer["ok"],
        json!(true),
        "loading the export: {loaded_answer}"
    );
    let count = engine.ask(&json!({"op": "query", "cypher": "MATCH (n) RETURN count(n)"}));
    assert_eq!(
        count["rows"][0][0],
        json!(graph.entity_count()),
        "every entity is a node"
    );
    let count = engine.ask(&json!({"op": "query", "cypher": "MATCH ()-[r]->() RETURN count(r)"}));
    assert_eq!(
        count["rows"][0][0],
        json!(graph.relationship_count()),
        "every relationship is an edge"
    );

    for file in &suite.files {
        let cases =
            j1ql_test::read_cases(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let short = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        for case in cases {
            let name = format!("{short}::{}", case.name);
            let analysis = j1ql_semantics::analyze(&case.query, &context);
            if analysis.has_errors() || analysis.queries.len() != 1 {
                tally.invalid += 1;
                continue;
            }
            let ir = &analysis.queries[0].ir;
            let j1 = j1ql_test::run_case(&loaded, &case.query);
            let translation = match j1ql_cypher::translate_with(ir, project.smart_classes()) {
                Ok(t) => t,
                Err(refusal) => {
                    tally
                        .refused
                        .entry(refusal.construct.clone())
                        .or_default()
                        .push(name);
                    continue;
                }
            };
            // A parameter without a value is not sent: the engine refuses the query, as
            // `j1ql run` does.
            let params: serde_json::Map<String, Value> = translation
                .params
                .iter()
                .filter_map(|p| Some((p.clone(), project.params().get(p)?.clone())))
                .collect();
            let answer =
                engine.ask(&json!({"op": "query", "cypher": translation.cypher, "params": params}));
            let (j1, ordered) = match (j1, answer["rows"].as_array()) {
                (Ok(r), _) => r,
                (Err(_), None) => {
                    tally.agree += 1;
                    continue;
                }
                (Err(e), Some(_)) => {
                    tally.differ.push(format!(
                        "{name}: j1ql run failed ({e}) but the engine answered"
                    ));
                    continue;
                }
            };
            let Some(rows) = answer["rows"].as_array() else {
                tally.differ.push(format!(
                    "{name}: the engine failed: {}\n{}",
                    answer["error"], translation.cypher
                ));
                continue;
            };
            let list = translation.columns.is_none();
            let mut want = rows_of_j1(&j1, &translation.columns);
            let mut got = rows_of_cypher(rows, list);
            if !ordered {
                want = sorted(want);
                got = sorted(got);
            }
            if want == got {
                tally.agree += 1;
            } else if !ordered
                && paged_subset(ir, project, graph, &translation.columns, &want, &got)
            {
                // A page of an unordered answer: which starting entities fill it is storage
                // order in both engines; the same number of rows, each from the whole answer.
                tally.agree += 1;
            } else {
                tally.differ.push(format!(
                    "{name}\n  {}\n  cypher: {}\n  j1ql run: {want:?}\n  cypher:   {got:?}",
                    case.query.trim(),
                    translation.cypher.replace('\n', "\n          ")
                ));
            }
        }
    }
}

/// For an unordered answer that J1 paged (its whole answer is larger): the same number of
/// rows, every one of them a row of the whole answer.
fn paged_subset(
    ir: &j1ql_semantics::ir::Query,
    project: &j1ql_project::Project,
    graph: &j1ql_graph::Graph,
    columns: &Option<Vec<String>>,
    want: &[String],
    got: &[String],
) -> bool {
    if want.len() != got.len() {
        return false;
    }
    let mut whole = ir.clone();
    whole.skip = 0;
    whole.limit = u64::MAX;
    let Ok(all) = j1ql_eval::evaluate(&whole, graph, &project.eval_options()) else {
        return false;
    };
    let all = rows_of_j1(&all, columns);
    all.len() > want.len() && got.iter().all(|g| all.contains(g))
}
