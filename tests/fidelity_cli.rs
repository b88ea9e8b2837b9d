//! Issue 18 end to end ("where the evaluator guesses silently"): the built binary refuses or
//! reports what it used to answer confidently. Decisions: docs/semantics.md.

mod common;

use common::{err, j1ql_in, out};
use serde_json::Value;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    j1ql_in(dir, args, "")
}

fn keys(stdout: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    doc["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["entity"]["_key"].as_str().unwrap().to_string())
        .collect()
}

/// (1) `WITH dept = eng` is refused with S018 and the quoted word; `lint --fix
/// --unsafe-fixes` quotes it.
#[test]
fn bare_word_is_refused_and_the_fix_quotes_it() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["run", "FIND User WITH username = alice"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).is_empty());
    let e = err(&o);
    assert!(
        e.contains("error[S018]: string values must be quoted: write `'alice'`"),
        "{e}"
    );

    let file = dir.path().join("q.j1ql");
    std::fs::write(&file, "FIND User WITH username = alice\n").unwrap();
    let o = run(dir.path(), &["lint", "--fix", "--unsafe-fixes", "q.j1ql"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "FIND User WITH username = 'alice'\n",
        "{}",
        err(&o)
    );
    let o = run(dir.path(), &["check", "q.j1ql"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
}

/// (2) `LIMIT ${ param.n }` and `SKIP {{n}}` use the value; a bad value names the parameter.
#[test]
fn paging_parameters_are_applied_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let all = run(dir.path(), &["run", "FIND User AS u ORDER BY u._key"]);
    let all = keys(&out(&all));
    assert!(all.len() > 3, "the demo account has users: {all:?}");

    let o = run(
        dir.path(),
        &[
            "run",
            "FIND User AS u ORDER BY u._key SKIP {{s}} LIMIT ${ param.n }",
            "--param",
            "n=2",
            "--param",
            "s=1",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(keys(&out(&o)), all[1..3].to_vec());

    for (value, shown) in [("0", "0"), ("-1", "-1"), ("2.5", "2.5"), ("two", "\"two\"")] {
        let param = format!("n={value}");
        let o = run(
            dir.path(),
            &["run", "FIND User LIMIT ${ param.n }", "--param", &param],
        );
        assert_ne!(o.status.code(), Some(0), "LIMIT {value} ran");
        assert!(
            err(&o).contains(&format!(
                "parameter ${{ param.n }} of LIMIT is {shown}: LIMIT takes a whole number, one or more"
            )),
            "{value}: {}",
            err(&o)
        );
    }
}

/// (3) `max(u)` is refused with S019 and a suggestion; `count(u)` runs.
#[test]
fn aggregate_over_a_bare_selector_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for func in ["min", "max", "sum", "avg"] {
        let query = format!("FIND User AS u RETURN {func}(u)");
        let o = run(dir.path(), &["run", &query]);
        assert_eq!(o.status.code(), Some(1), "{query}: {}", out(&o));
        assert!(
            err(&o).contains(&format!("error[S019]: `{func}` combines the values of a property: write `{func}(u.property)`")),
            "{}",
            err(&o)
        );
    }
    let o = run(dir.path(), &["run", "FIND User AS u RETURN count(u)"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

/// A project folder whose data has a deleted user, a deleted relationship and a relationship
/// from the deleted user.
fn deleted_project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/account.json"),
        serde_json::json!({
            "source": "api", "scope": "s",
            "entities": [
                {"_key": "alice", "_type": "okta_user", "_class": "User"},
                {"_key": "ghost", "_type": "okta_user", "_class": "User", "_deleted": true},
                {"_key": "laptop", "_type": "user_endpoint", "_class": "Device"},
                {"_key": "phone", "_type": "user_endpoint", "_class": "Device"}
            ],
            "relationships": [
                {"_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "laptop"},
                {"_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "phone", "_deleted": true},
                {"_class": "OWNS", "_fromEntityKey": "ghost", "_toEntityKey": "phone"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        format!("data = [\"data\"]\nnow = \"2025-01-01T00:00:00Z\"\n{config}"),
    )
    .unwrap();
    dir
}

fn sorted_keys(o: &std::process::Output) -> Vec<String> {
    assert_eq!(o.status.code(), Some(0), "{}", err(o));
    let mut k = keys(&out(o));
    k.sort();
    k
}

/// (4) Deleted items are left out of `run` by default; `--include-deleted` and
/// `include-deleted = true` keep them; `load` says how many there are.
#[test]
fn deleted_items_are_left_out_unless_asked() {
    let dir = deleted_project("");
    let users = run(dir.path(), &["run", "FIND User"]);
    assert_eq!(sorted_keys(&users), ["alice"]);
    let owned = run(dir.path(), &["run", "FIND Device THAT OWNS << User"]);
    assert_eq!(sorted_keys(&owned), ["laptop"]);
    let all = run(dir.path(), &["run", "--include-deleted", "FIND User"]);
    assert_eq!(sorted_keys(&all), ["alice", "ghost"]);
    let owned_all = run(
        dir.path(),
        &["run", "--include-deleted", "FIND Device THAT OWNS << User"],
    );
    assert_eq!(sorted_keys(&owned_all), ["laptop", "phone"]);

    let configured = deleted_project("include-deleted = true\n");
    let all = run(configured.path(), &["run", "FIND User"]);
    assert_eq!(sorted_keys(&all), ["alice", "ghost"]);

    let load = run(dir.path(), &["load", "--data", "data", "--format", "json"]);
    let summary: Value = serde_json::from_str(&out(&load)).unwrap();
    assert_eq!(
        (
            &summary["deletedEntities"],
            &summary["deletedRelationships"]
        ),
        (&Value::from(1), &Value::from(1)),
        "{summary}"
    );
    let load = run(dir.path(), &["load", "--data", "data", "--format", "human"]);
    assert!(
        out(&load).contains("deleted: 1 entities and 1 relationships are `_deleted: true`"),
        "{}",
        out(&load)
    );
}

/// (4) `j1ql test` runs suites without deleted items unless the suite or the flag asks.
#[test]
fn test_suites_leave_deleted_items_out() {
    let dir = deleted_project("");
    std::fs::write(
        dir.path().join("users.j1ql"),
        "// name: users\n// expect: keys = alice\nFIND User\n",
    )
    .unwrap();
    let o = run(dir.path(), &["test", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let o = run(dir.path(), &["test", "--check", "--include-deleted"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("ghost"), "{}", out(&o));
}

/// (5) ISO date strings and epoch milliseconds are the same dates in comparisons, math,
/// aggregates and ORDER BY.
#[test]
fn iso_date_strings_are_dates_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("findings.json"),
        serde_json::json!({
            "entities": [
                {"_key": "f1", "_type": "finding", "_class": "Finding",
                 "createdOn": "2024-01-01T00:00:00Z", "closedOn": "2024-01-03T12:00:00.000Z"},
                {"_key": "f2", "_type": "finding", "_class": "Finding",
                 "createdOn": "2024-01-02T09:00:00+09:00", "closedOn": 1704326400000_i64}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let query = |q: &str| {
        let o = run(
            dir.path(),
            &[
                "run",
                "--data",
                "findings.json",
                "--now",
                "2025-01-01T00:00:00Z",
                q,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{q}: {}", err(&o));
        serde_json::from_str::<Value>(&out(&o)).unwrap()["data"].clone()
    };
    let days = query(
        "FIND Finding AS f RETURN f._key AS k, (f.closedOn - f.createdOn) / (3600000 * 24) AS days ORDER BY k",
    );
    // f2: created 2024-01-02T00:00Z, closed 2024-01-04T00:00Z (epoch ms).
    assert_eq!(
        days,
        serde_json::json!([{"k": "f1", "days": 2.5}, {"k": "f2", "days": 2}])
    );
    let newest =
        query("FIND Finding AS f RETURN max(f.closedOn) AS last, min(f.createdOn) AS first");
    assert_eq!(
        newest,
        serde_json::json!([{"last": 1704326400000_i64, "first": 1704067200000_i64}])
    );
    let ordered = query("FIND Finding AS f ORDER BY f.closedOn DESC");
    let keys: Vec<&str> = ordered
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"]["_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["f2", "f1"]);
    let after = query("FIND Finding WITH createdOn > date(2024-01-01T12:00Z)");
    assert_eq!(after.as_array().unwrap().len(), 1);
}

/// (6) `j1ql run` on data where `tag.Production` is a boolean warns that `'false'` can never
/// match (L014), and still runs the query (strict typing is kept: the answer is empty).
#[test]
fn quoted_boolean_against_boolean_data_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hosts.json"),
        serde_json::json!({
            "entities": [
                {"_key": "h1", "_type": "aws_instance", "_class": "Host", "tag": {"Production": false}}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let o = run(
        dir.path(),
        &[
            "run",
            "--data",
            "hosts.json",
            "FIND Host WITH tag.Production = 'false'",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("warning[L014]: `'false'` is a string, but `tag.Production` holds booleans (per the loaded data)"),
        "{}",
        err(&o)
    );
    assert!(keys(&out(&o)).is_empty());
    let o = run(
        dir.path(),
        &[
            "run",
            "--data",
            "hosts.json",
            "FIND Host WITH tag.Production = false",
        ],
    );
    assert!(!err(&o).contains("L014"), "{}", err(&o));
    assert_eq!(keys(&out(&o)), ["h1"]);
}
