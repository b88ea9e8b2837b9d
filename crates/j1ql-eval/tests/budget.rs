//! The work budget covers every evaluation path, and a cancelled evaluation stops.

use j1ql_eval::{evaluate, Budget, Cancel, EvalError, EvalOptions, PlanChoice};
use j1ql_graph::Graph;
use j1ql_semantics::{analyze, Context};
use serde_json::{json, Value};

/// `users` users and `devices` devices (d0 is the only `special` one), with a HAS
/// relationship for each `(user, device)` pair `has` accepts.
fn graph(users: usize, devices: usize, has: impl Fn(usize, usize) -> bool) -> Graph {
    let mut entities: Vec<Value> = (0..users)
        .map(|i| {
            json!({"_key": format!("u{i}"), "_type": "user", "_class": "User",
                   "name": format!("user {i}")})
        })
        .collect();
    entities.extend((0..devices).map(|i| {
        json!({"_key": format!("d{i}"), "_type": "device", "_class": "Device",
               "name": format!("device {i}"), "special": i == 0})
    }));
    let mut relationships = Vec::new();
    for u in 0..users {
        for d in (0..devices).filter(|&d| has(u, d)) {
            relationships.push(json!({"_class": "HAS", "_fromEntityKey": format!("u{u}"),
                                      "_toEntityKey": format!("d{d}")}));
        }
    }
    Graph::from_json_value(&json!({"entities": entities, "relationships": relationships}))
        .expect("fixture loads")
}

/// Every user HAS every device.
fn complete(users: usize, devices: usize) -> Graph {
    graph(users, devices, |_, _| true)
}

fn eval(text: &str, graph: &Graph, options: &EvalOptions) -> Result<Value, EvalError> {
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors(), "{text}");
    evaluate(&analysis.queries[0].ir, graph, options).map(|r| r.to_json())
}

fn with_budget(max_work: u64, plan: PlanChoice) -> EvalOptions {
    EvalOptions {
        budget: Budget {
            max_work,
            ..Budget::default()
        },
        plan,
        ..EvalOptions::default()
    }
}

#[test]
fn the_semi_join_reduction_charges_filter_comparisons() {
    // 200 users, each checked against a group of 1,000 regexes: 200,000 comparisons. The
    // device step (one special device) is the most selective, so the planner reduces from it
    // and tests the users it reaches with the regex group: that path must be charged too.
    let graph = complete(200, 3);
    let group: Vec<String> = (0..1_000).map(|i| format!("/nomatch{i}|user/")).collect();
    let query = format!(
        "FIND User WITH name = ({}) AS u THAT HAS Device WITH special = true AS d \
         RETURN u.name, d.name",
        group.join(" OR ")
    );
    let small = with_budget(50_000, PlanChoice::Auto);
    let analysis = analyze(&query, &Context::builtin());
    let plan = j1ql_eval::explain(
        &analysis.queries[0].ir,
        &graph,
        &with_budget(u64::MAX, PlanChoice::Auto),
    )
    .expect("explain");
    assert!(plan.contains("semi-join reduction from it"), "{plan}");
    for choice in [
        PlanChoice::Auto,
        PlanChoice::FromStep(1),
        PlanChoice::FromStep(0),
    ] {
        let options = EvalOptions {
            plan: choice,
            ..small.clone()
        };
        let err = eval(&query, &graph, &options).map(|_| ()).unwrap_err();
        assert!(matches!(err, EvalError::Budget { .. }), "{choice:?}: {err}");
    }
    // With room for the comparisons, every plan answers: the 200 users.
    let big = with_budget(10_000_000, PlanChoice::Auto);
    let answer = eval(&query, &graph, &big).expect("runs within a larger budget");
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(200));
}

#[test]
fn the_seed_of_the_reduction_is_charged_for_its_comparisons() {
    // The most selective step itself carries the large group: seeding the reduction decides
    // each of the 400 devices' names against it, although the walk then follows one edge.
    let graph = graph(2, 400, |u, d| u == 1 && d == 7);
    let group: Vec<String> = (0..1_000)
        .map(|i| format!("/nomatch{i}|device 7$/"))
        .collect();
    let query = format!(
        "FIND User WITH name = 'user 1' AS u THAT HAS Device WITH name = ({}) AS d \
         RETURN u.name, d.name",
        group.join(" OR ")
    );
    let err = eval(
        &query,
        &graph,
        &with_budget(50_000, PlanChoice::FromStep(1)),
    )
    .unwrap_err();
    assert!(matches!(err, EvalError::Budget { .. }), "{err}");
    let answer = eval(
        &query,
        &graph,
        &with_budget(100_000_000, PlanChoice::FromStep(1)),
    )
    .expect("runs within a larger budget");
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(1));
}

/// Four HAS hops over a complete bipartite graph, with a WHERE that no path passes: 40^5
/// (about 10^8) units of work and no row, so it runs until its budget (or a cancellation).
const RUNAWAY: &str =
    "FIND User AS a THAT HAS Device AS b THAT HAS User AS c THAT HAS Device AS d \
                       THAT HAS User AS e WHERE e.name = b.name";

#[test]
fn a_cancelled_token_stops_the_evaluation() {
    let graph = complete(40, 40);
    let cancel = Cancel::new();
    let options = EvalOptions {
        budget: Budget {
            max_work: u64::MAX,
            cancel: cancel.clone(),
            ..Budget::default()
        },
        ..EvalOptions::default()
    };
    // Cancelled from another thread while it runs: it returns `Cancelled`, not a result or a
    // budget error (with an unlimited budget it would otherwise run for minutes).
    let result = std::thread::scope(|scope| {
        let running = scope.spawn(|| eval(RUNAWAY, &graph, &options));
        std::thread::sleep(std::time::Duration::from_millis(50));
        cancel.cancel();
        running.join().expect("no panic")
    });
    assert_eq!(result.unwrap_err(), EvalError::Cancelled);
    // Already cancelled: even a trivial query stops at once.
    let err = eval("FIND User", &graph, &options).unwrap_err();
    assert_eq!(err, EvalError::Cancelled);
    assert!(err.to_string().contains("cancelled"), "{err}");
}

#[test]
fn the_budget_message_names_the_settings() {
    let graph = complete(40, 40);
    let err = eval(RUNAWAY, &graph, &with_budget(1_000, PlanChoice::Auto)).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("--budget"), "{text}");
    assert!(text.contains("[run] budget"), "{text}");
    assert!(text.contains("J1QL_BUDGET"), "{text}");
}
