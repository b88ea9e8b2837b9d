//! The `bench/compare` query shapes and a generated account to run them on, shared by the
//! evaluation benchmark (`benches/eval.rs`) and the `--explain` snapshots (`tests/explain.rs`),
//! so that the plans under test are the plans being timed.

use j1ql_graph::{generate, Graph, LoadOptions, Loader};

/// (name, query): a type filter with a count, one hop with filters on both ends, three hops
/// with WHERE across aliases and a grouped count, a negated traversal, and a default list.
pub const SHAPES: &[(&str, &str)] = &[
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
];

/// A generated account of about `entities` entities (seed 1: the same graph every time).
pub fn generated_graph(entities: usize) -> Graph {
    let mut loader = Loader::new(LoadOptions::default());
    for file in generate::generate(entities, 1) {
        loader
            .add_bytes(&file.name, file.text.as_bytes())
            .expect("generated data loads");
    }
    loader.finish().expect("graph")
}
