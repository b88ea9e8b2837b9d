//! End-to-end runs on the demo graph: answers worked out by hand from the demo payloads.

use j1ql_eval::{demo, run_query, EvalOptions, QueryResult, ValueContext};
use j1ql_semantics::Context;
use serde_json::Value;

fn run(text: &str) -> QueryResult {
    let graph = demo::graph().expect("demo graph loads");
    let options = EvalOptions {
        values: ValueContext {
            now_ms: demo::DEMO_NOW_MS,
            ..ValueContext::default()
        },
        ..EvalOptions::default()
    };
    run_query(text, &graph, &Context::builtin(), &options).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn names(result: &QueryResult) -> Vec<String> {
    let QueryResult::List(items) = result else {
        panic!("expected a list, got {result:?}")
    };
    let mut names: Vec<String> = items
        .iter()
        .map(|i| {
            i["entity"]["displayName"]
                .as_str()
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn demo_graph_loads_everything() {
    let graph = demo::graph().unwrap();
    assert_eq!(graph.entity_count(), 53);
    assert_eq!(graph.relationship_count(), 66);
    assert!(graph.report().skipped_relationships.is_empty());
}

#[test]
fn users_that_are_people() {
    // Five Okta users and two GitHub users have an IS relationship to a Person; the deploy bot
    // has none.
    let r = run("FIND User THAT IS Person");
    assert_eq!(
        names(&r),
        [
            "Alice Smith",
            "Bob Jones",
            "Carol White",
            "Dave Brown",
            "Frank Green",
            "alice-sec",
            "bob-dev"
        ]
    );
}

#[test]
fn list_items_have_the_j1_shape() {
    let r = run("FIND aws_s3_bucket WITH displayName = 'web-assets'");
    let json = r.to_json();
    assert_eq!(json["type"], "list");
    let item = &json["data"][0];
    assert_eq!(item["entity"]["_type"], Value::from(vec!["aws_s3_bucket"]));
    assert_eq!(item["entity"]["_class"], Value::from(vec!["DataStore"]));
    assert_eq!(item["entity"]["_key"], "s3-web-assets");
    assert_eq!(item["entity"]["_source"], "integration-managed");
    assert_eq!(item["entity"]["_scope"], "aws");
    assert_eq!(item["properties"]["encrypted"], false);
    assert_eq!(item["id"], item["entity"]["_id"]);
}

#[test]
fn negated_traversal() {
    // Devices without a protecting agent: only Bob's laptop.
    assert_eq!(
        names(&run("FIND Device THAT !PROTECTS HostAgent")),
        ["bob-mbp"]
    );
    // Carol's agent is inactive: her laptop has no *active* protecting agent.
    assert_eq!(
        names(&run(
            "FIND Device THAT !PROTECTS HostAgent WITH active = true"
        )),
        ["bob-mbp", "carol-surface"]
    );
}

#[test]
fn direction() {
    // Security groups ALLOW the internet; the internet allows nothing.
    assert_eq!(
        names(&run("FIND Firewall THAT ALLOWS >> Internet")),
        ["internal-sg", "web-sg"]
    );
    assert!(run("FIND Firewall THAT ALLOWS << Internet").is_empty());
    assert_eq!(
        names(&run("FIND Internet THAT ALLOWS << Firewall")),
        ["Internet"]
    );
}

#[test]
fn where_across_aliases_and_relationship_alias() {
    let r = run(
        "FIND Firewall AS fw THAT ALLOWS AS rule * AS n \
         WHERE rule.ingress = true AND (rule.fromPort = 443 OR rule.toPort = 22) RETURN fw.displayName, n.displayName",
    );
    let QueryResult::Table(rows) = r else {
        panic!()
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["fw.displayName"], "web-sg");
    assert_eq!(rows[0]["n.displayName"], "Internet");
}

#[test]
fn aggregates_group_by_the_other_columns() {
    let r = run("FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN a.displayName, count(b), sum(b.bucketSizeBytes) AS bytes");
    let QueryResult::Table(rows) = r else {
        panic!()
    };
    let prod = rows
        .iter()
        .find(|r| r["a.displayName"] == "acme-prod")
        .unwrap();
    assert_eq!(prod["count(b)"], 3);
    assert_eq!(
        prod["bytes"],
        52_000_000_000u64 + 1_200_000_000 + 9_800_000_000
    );
    let dev = rows
        .iter()
        .find(|r| r["a.displayName"] == "acme-dev")
        .unwrap();
    assert_eq!(dev["count(b)"], 1);
    // All aggregates: one row over the whole traversal.
    let QueryResult::Table(rows) =
        run("FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN count(a), count(b)")
    else {
        panic!()
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["count(a)"], 2);
    assert_eq!(rows[0]["count(b)"], 4);
}

#[test]
fn optional_traversal_unions() {
    // Users, plus the people reached through IS.
    let r = run("FIND okta_user WITH active = false (THAT IS Person)?");
    assert_eq!(names(&r), ["Frank Green", "Frank Green"]);
}

#[test]
fn relative_dates_use_now() {
    // Buckets created in the last 7 days (before DEMO_NOW): acme-logs (5 days), dev-scratch (2).
    assert_eq!(
        names(&run("FIND DataStore WITH createdOn > date.now - 7 days")),
        ["acme-logs", "dev-scratch"]
    );
}

#[test]
fn order_skip_limit() {
    let QueryResult::Table(rows) =
        run("FIND Person AS p RETURN p.firstName ORDER BY p.age DESC SKIP 1 LIMIT 2")
    else {
        panic!()
    };
    let first: Vec<&str> = rows
        .iter()
        .map(|r| r["p.firstName"].as_str().unwrap())
        .collect();
    // Ages: frank 51, carol 45, dave 39, alice 34, bob 28.
    assert_eq!(first, ["Carol", "Dave"]);
}

#[test]
fn tree() {
    let r = run("FIND Firewall WITH displayName = 'web-sg' THAT PROTECTS Host RETURN TREE");
    let QueryResult::Tree { vertices, edges } = r else {
        panic!()
    };
    assert_eq!(vertices.len(), 3);
    assert_eq!(edges.len(), 2);
    assert!(edges[0]["fromVertexId"].is_string());
}

#[test]
fn huge_relative_dates_do_not_wrap_around() {
    // `date.now + 1e300 days` overflowed i64 and wrapped to a date in the past: every entity
    // matched. It is now beyond every date.
    assert!(run("FIND * WITH _createdOn > date.now + 1e300 days").is_empty());
    assert!(run("FIND * WITH _createdOn < date.now - 1e300 years").is_empty());
    assert!(!run("FIND * WITH _createdOn < date.now + 1e300 months").is_empty());
}

#[test]
fn the_budget_counts_value_group_comparisons() {
    // 60 entities checked against a group of 10,000 regexes is 600,000 comparisons: over a
    // budget of 100,000 work units, although the walk itself is tiny.
    let graph = demo::graph().expect("demo graph loads");
    let group: Vec<String> = (0..10_000).map(|i| format!("/x{i}y/")).collect();
    let query = format!("FIND * WITH displayName = ({})", group.join(" OR "));
    let options = EvalOptions {
        budget: j1ql_eval::Budget {
            max_work: 100_000,
            ..j1ql_eval::Budget::default()
        },
        ..EvalOptions::default()
    };
    let err = run_query(&query, &graph, &Context::builtin(), &options).unwrap_err();
    assert!(err.to_string().contains("filter comparisons"), "{err}");
    // The same group with the default budget runs.
    assert!(run_query(&query, &graph, &Context::builtin(), &EvalOptions::default()).is_ok());
}
