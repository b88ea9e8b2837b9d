//! The evaluator's modules import each other in one direction only (docs/evaluator.md): this
//! test reads every `crate::…` path in `src/` (comments left out), maps it to the module file
//! it names, and fails on a cycle, printing it. Each file is its own node (`exec/walk.rs` is
//! `exec::walk`, `exec/mod.rs` is `exec`), so a parent and its child importing each other is
//! a cycle too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module path of a source file relative to `src/` (`None` for the crate root).
fn module_of(relative: &Path) -> Option<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if stem != "mod" && !(parts.is_empty() && stem == "lib") {
        parts.push(stem.to_string());
    }
    (!parts.is_empty()).then(|| parts.join("::"))
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The longest known module that `path` (`a::b::Item`) starts with.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// Every `crate::` path in code lines of `text` (`crate::{a, b::C}` gives `a` and `b::C`).
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                out.extend(inner.split(',').map(|p| p.trim().to_string()));
            } else {
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                out.push(path.trim_end_matches(':').to_string());
            }
        }
    }
    out
}

fn import_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let named: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let module = module_of(p.strip_prefix(&src).ok()?)?;
            Some((
                module,
                std::fs::read_to_string(p).expect("source is readable"),
            ))
        })
        .collect();
    let modules: BTreeSet<String> = named.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    for (module, text) in &named {
        let edges = graph.entry(module.clone()).or_default();
        for path in crate_paths(text) {
            if let Some(target) = resolve(&path, &modules).filter(|t| t != module) {
                edges.insert(target);
            }
        }
    }
    graph
}

/// One cycle of `graph`, as the modules along it, when there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, State>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(State::Done) => return None,
            Some(State::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node.to_string(), State::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node.to_string(), State::Done);
        None
    }
    let mut state = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut state, &mut Vec::new()))
}

#[test]
fn evaluator_modules_import_each_other_in_one_direction() {
    let graph = import_graph();
    // The layout the test reads: if these moved, the test would check nothing.
    for module in [
        "plan",
        "optimize",
        "optimize::pushdown",
        "exec",
        "exec::walk",
        "output",
    ] {
        assert!(graph.contains_key(module), "module {module} not found");
    }
    assert!(
        graph["exec::walk"].contains("plan"),
        "the walk's imports were not read"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle between evaluator modules: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph = Graph::new();
    graph
        .entry("plan".into())
        .or_default()
        .insert("exec".into());
    graph.entry("exec".into()).or_default().insert("row".into());
    graph.entry("row".into()).or_default().insert("plan".into());
    assert_eq!(
        find_cycle(&graph),
        Some(vec![
            "exec".into(),
            "row".into(),
            "plan".into(),
            "exec".into()
        ])
    );
    graph.get_mut("row").unwrap().clear();
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn crate_paths_are_read_from_code_only() {
    let text = "use crate::plan::{Plan, PlanStep};\nuse crate::{row::Row, exec};\n\
                /// See [`crate::output`].\nlet x = crate::tuning::ADMIT_RATIO; // crate::json";
    assert_eq!(
        crate_paths(text),
        ["plan", "row::Row", "exec", "tuning::ADMIT_RATIO"]
    );
}
