//! `--explain` output, snapshot-tested (reviewed by hand): on a generated 2,000-entity account
//! (deterministic: fixed seed), the benchmark shapes plus an optional group on the demo graph.
//! Each plan names its mode, the start step, the push-down and estimated vs. actual sizes.

use std::path::Path;

use j1ql_eval::{demo, explain, EvalOptions};
use j1ql_graph::Graph;
use j1ql_semantics::{analyze, Context};

fn plan(text: &str, graph: &Graph) -> String {
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors(), "{text} has errors");
    let plan = explain(&analysis.queries[0].ir, graph, &EvalOptions::default()).expect("explains");
    format!("{text}\n\n{plan}")
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings
        .set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/explain"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[path = "../benches/support/shapes.rs"]
mod shapes;

/// Beyond the benchmark's shapes: the most selective step at the end of the chain.
const SELECTIVE_END: (&str, &str) = (
    "selective_end",
    "FIND aws_instance AS i THAT USES aws_iam_role AS r THAT ALLOWS aws_s3_bucket AS b \
     WITH public = true AND encrypted = false RETURN i.name, b.name",
);

#[test]
fn explain_generated() {
    let graph = shapes::generated_graph(2_000);
    let settings = settings();
    for (name, text) in shapes::SHAPES.iter().chain([&SELECTIVE_END]) {
        settings.bind(|| insta::assert_snapshot!(*name, plan(text, &graph)));
    }
}

#[test]
fn explain_optional_on_demo() {
    let graph = demo::graph().expect("demo graph");
    settings().bind(|| {
        insta::assert_snapshot!(
            "optional_group",
            plan(
                "FIND User AS u (THAT IS Person AS p)? WHERE u.active = true RETURN u.username, p.email",
                &graph
            )
        )
    });
}
