//! `--explain` output, snapshot-tested (reviewed by hand): on a generated 2,000-entity account
//! (deterministic: fixed seed), the benchmark shapes plus an optional group on the demo graph.
//! Each plan names its mode, the start step, the push-down and estimated vs. actual sizes.

use std::path::Path;

use j1ql_eval::{demo, explain, EvalOptions};
use j1ql_graph::{generate, Graph, LoadOptions, Loader};
use j1ql_semantics::{analyze, Context};

fn generated() -> Graph {
    let mut loader = Loader::new(LoadOptions::default());
    for file in generate::generate(2_000, 1) {
        loader
            .add_bytes(&file.name, file.text.as_bytes())
            .expect("generated data loads");
    }
    loader.finish().expect("graph")
}

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

const GENERATED: &[(&str, &str)] = &[
    (
        "type_filter_count",
        "FIND aws_s3_bucket WITH public = true RETURN count(aws_s3_bucket)",
    ),
    (
        "one_hop_filters_both_ends",
        "FIND aws_instance AS i WITH state = 'stopped' THAT USES aws_iam_role AS r \
         WITH tag.Team = 'security' RETURN count(i)",
    ),
    (
        "three_hops_where_grouped_count",
        "FIND aws_security_group AS sg THAT PROTECTS aws_instance AS i THAT USES aws_iam_role \
         AS r THAT ALLOWS aws_s3_bucket AS b WHERE i.tag.Environment = 'production' AND \
         b.classification = 'confidential' AND sg.region = b.region RETURN i.platform, count(b)",
    ),
    (
        "negated_traversal",
        "FIND aws_instance WITH state = 'running' THAT !USES aws_iam_role \
         RETURN count(aws_instance)",
    ),
    (
        "default_list_page",
        "FIND aws_instance AS i THAT USES aws_iam_role THAT ALLOWS aws_s3_bucket WITH \
         encrypted = false",
    ),
    (
        "selective_end",
        "FIND aws_instance AS i THAT USES aws_iam_role AS r THAT ALLOWS aws_s3_bucket AS b \
         WITH public = true AND encrypted = false RETURN i.name, b.name",
    ),
];

#[test]
fn explain_generated() {
    let graph = generated();
    let settings = settings();
    for (name, text) in GENERATED {
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
