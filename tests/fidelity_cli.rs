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
