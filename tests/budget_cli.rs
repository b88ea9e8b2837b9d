//! The work budget from the command line (`--budget`), the environment (`J1QL_BUDGET`) and
//! `[run] budget` of j1ql.toml, in that order of precedence, for `run` and `test`.

use std::path::Path;
use std::process::{Command, Output};

/// A query on the demo account that does a few hundred units of work.
const QUERY: &str = "FIND User THAT IS Person";

fn j1ql(dir: &Path, args: &[&str], env: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_j1ql"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("J1QL_BUDGET");
    if let Some(value) = env {
        command.env("J1QL_BUDGET", value);
    }
    command.output().expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Whether the run stopped on a budget of `n` units (and said how to raise it).
fn stopped_at(out: &Output, n: u64) -> bool {
    let text = stderr(out);
    let stopped = !out.status.success() && text.contains(&format!("budget ({n} units)"));
    if stopped {
        assert!(text.contains("--budget N"), "{text}");
        assert!(text.contains("[run] budget = N"), "{text}");
    }
    stopped
}

#[test]
fn run_takes_the_flag_then_the_environment_then_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let ok = |out: &Output| assert!(out.status.success(), "{}", stderr(out));
    ok(&j1ql(dir.path(), &["run", QUERY], None));
    assert!(stopped_at(
        &j1ql(dir.path(), &["run", "--budget", "5", QUERY], None),
        5
    ));
    std::fs::write(dir.path().join("j1ql.toml"), "[run]\nbudget = 6\n").unwrap();
    assert!(stopped_at(&j1ql(dir.path(), &["run", QUERY], None), 6));
    // The environment variable wins over the file, the flag over both.
    ok(&j1ql(dir.path(), &["run", QUERY], Some("1_000_000")));
    assert!(stopped_at(&j1ql(dir.path(), &["run", QUERY], Some("7")), 7));
    ok(&j1ql(
        dir.path(),
        &["run", "--budget", "1000000", QUERY],
        Some("7"),
    ));
    assert!(stopped_at(
        &j1ql(
            dir.path(),
            &["run", "--budget", "8", QUERY],
            Some("1000000")
        ),
        8
    ));
    // Unusable values are errors, not a silent default.
    let bad = j1ql(dir.path(), &["run", QUERY], Some("lots"));
    assert!(
        !bad.status.success() && stderr(&bad).contains("J1QL_BUDGET"),
        "{}",
        stderr(&bad)
    );
    let zero = j1ql(dir.path(), &["run", "--budget", "0", QUERY], None);
    assert!(!zero.status.success(), "{}", stderr(&zero));
    std::fs::write(dir.path().join("j1ql.toml"), "[run]\nbudget = 0\n").unwrap();
    let zero = j1ql(dir.path(), &["run", QUERY], None);
    assert!(stderr(&zero).contains("run.budget"), "{}", stderr(&zero));
}

#[test]
fn test_takes_the_flag_and_the_suite_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        "[test]\nsnapshots = \"never\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("people.j1ql"),
        format!("// expect: count = 7\n{QUERY}\n"),
    )
    .unwrap();
    let passed = j1ql(dir.path(), &["test"], None);
    assert!(
        passed.status.success(),
        "{}",
        String::from_utf8_lossy(&passed.stdout)
    );
    let out = j1ql(dir.path(), &["test", "--budget", "5"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success() && stdout.contains("budget (5 units)"),
        "{stdout}"
    );
    std::fs::write(
        dir.path().join("j1ql.toml"),
        "[test]\nsnapshots = \"never\"\n[run]\nbudget = 6\n",
    )
    .unwrap();
    let out = j1ql(dir.path(), &["test"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success() && stdout.contains("budget (6 units)"),
        "{stdout}"
    );
    assert!(j1ql(dir.path(), &["test", "--budget", "1000000"], None)
        .status
        .success());
}
