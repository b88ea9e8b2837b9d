//! `j1ql test`: snapshot-tested query suites, end to end (docs/testing-queries.md).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DATA: &str = r#"{"source": "api", "scope": "acme",
 "entities": [
  {"_key": "u-alice", "_type": "okta_user", "_class": "User", "username": "alice", "active": true, "mfaEnabled": true},
  {"_key": "u-bob", "_type": "okta_user", "_class": "User", "username": "bob", "active": false, "mfaEnabled": false},
  {"_key": "h-web", "_type": "aws_instance", "_class": "Host", "displayName": "web", "public": true}
 ],
 "relationships": [
  {"_key": "r1", "_type": "okta_user_has_aws_instance", "_class": "HAS", "_fromEntityKey": "u-alice", "_toEntityKey": "h-web"}
 ]}"#;

const QUERIES: &str = "// name: active users
FIND User WITH active = true

// name: who has which host
FIND User AS u THAT HAS Host AS h RETURN u.username, h.displayName

FIND Host WITH public = true
";

fn j1ql(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run j1ql")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn suite() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        "data = [\"fixtures\"]\nnow = \"2025-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("fixtures")).unwrap();
    std::fs::write(dir.path().join("fixtures/acme.json"), DATA).unwrap();
    std::fs::write(dir.path().join("security.j1ql"), QUERIES).unwrap();
    dir
}

fn snaps(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("snapshots"))
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A suite whose snapshots have been accepted.
fn accepted_suite() -> tempfile::TempDir {
    let dir = suite();
    let o = j1ql(dir.path(), &["test", "--accept"]);
    assert!(o.status.success(), "{}", stdout(&o));
    dir
}

#[test]
fn new_queries_write_snap_new_and_fail() {
    let dir = suite();
    let o = j1ql(dir.path(), &["test"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL ./security.j1ql (0 passed, 3 failed)"),
        "{out}"
    );
    assert!(out.contains("0 passed, 3 failed"), "{out}");
    assert!(out.contains("new snapshot, written to"), "{out}");
    assert_eq!(
        snaps(dir.path()),
        [
            "security__active_users.snap.new",
            "security__query-3.snap.new",
            "security__who_has_which_host.snap.new"
        ]
    );
    // The insta format: a YAML header (source, description, expression), then the result.
    let text =
        std::fs::read_to_string(dir.path().join("snapshots/security__active_users.snap.new"))
            .unwrap();
    assert!(
        text.starts_with(
            "---\nsource: security.j1ql\ndescription: active users\nexpression: \"FIND User WITH active = true\"\n---\ntype: list\ncount: 1\ndata:\n- "
        ),
        "{text}"
    );
    assert!(text.contains("  _key: u-alice\n"), "{text}");
    let table = std::fs::read_to_string(
        dir.path()
            .join("snapshots/security__who_has_which_host.snap.new"),
    )
    .unwrap();
    assert!(
        table
            .ends_with("type: table\ncount: 1\nrows:\n- u.username: alice\n  h.displayName: web\n"),
        "{table}"
    );
    // --check writes nothing and fails.
    let dir = suite();
    let o = j1ql(dir.path(), &["test", "--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(snaps(dir.path()).is_empty());
}

#[test]
fn accept_then_passing() {
    let dir = suite();
    let o = j1ql(dir.path(), &["test", "--accept"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("3 passed, 0 failed"), "{out}");
    assert!(out.contains("3 snapshot(s) accepted"), "{out}");
    assert_eq!(
        snaps(dir.path()),
        [
            "security__active_users.snap",
            "security__query-3.snap",
            "security__who_has_which_host.snap"
        ]
    );
    for args in [&["test"][..], &["test", "--check"], &["test", "."]] {
        let o = j1ql(dir.path(), args);
        let out = stdout(&o);
        assert!(o.status.success(), "{args:?}: {out}");
        assert!(out.contains("PASS ./security.j1ql (3 passed)"), "{out}");
        assert!(out.ends_with("\n3 passed, 0 failed\n"), "{out}");
    }
}

#[test]
fn changed_fixture_gives_a_readable_diff_and_exit_1() {
    let dir = accepted_suite();
    let data = DATA.replace(
        r#""username": "bob", "active": false"#,
        r#""username": "bob", "active": true"#,
    );
    std::fs::write(dir.path().join("fixtures/acme.json"), data).unwrap();
    let o = j1ql(dir.path(), &["test", "--check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL ./security.j1ql (2 passed, 1 failed)"),
        "{out}"
    );
    assert!(out.contains("./security.j1ql:1 active users"), "{out}");
    assert!(out.contains("    | FIND User WITH active = true"), "{out}");
    assert!(
        out.contains("--- stored snapshot\n  +++ new result"),
        "{out}"
    );
    assert!(out.contains("  -count: 1\n  +count: 2\n"), "{out}");
    assert!(out.contains("  +  _key: u-bob\n"), "{out}");
    assert!(out.contains("2 passed, 1 failed"), "{out}");
    assert!(
        !out.contains('\x1b'),
        "no colour when NO_COLOR or not a terminal"
    );
    // --check wrote nothing; the default run writes the new result beside the old one.
    assert!(!snaps(dir.path()).iter().any(|s| s.ends_with(".new")));
    let o = j1ql(dir.path(), &["test"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(snaps(dir.path()).contains(&"security__active_users.snap.new".to_string()));
    // Restoring the fixture passes again, and the stale `.snap.new` is removed.
    std::fs::write(dir.path().join("fixtures/acme.json"), DATA).unwrap();
    let o = j1ql(dir.path(), &["test"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(!snaps(dir.path()).iter().any(|s| s.ends_with(".new")));
}

#[test]
fn a_new_query_in_a_passing_suite_gets_a_snap_new() {
    let dir = accepted_suite();
    let mut text = QUERIES.to_string();
    text.push_str("\n// name: inactive users\nFIND User WITH active = false\n");
    std::fs::write(dir.path().join("security.j1ql"), text).unwrap();
    let o = j1ql(dir.path(), &["test"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("3 passed, 1 failed"), "{out}");
    assert!(out.contains("1 snapshot(s) written as .snap.new"), "{out}");
    assert!(snaps(dir.path()).contains(&"security__inactive_users.snap.new".to_string()));
    let o = j1ql(dir.path(), &["test", "--accept"]);
    assert!(o.status.success());
    let o = j1ql(dir.path(), &["test", "--check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("4 passed, 0 failed"));
}

#[test]
fn review_accepts_rejects_and_skips_from_stdin() {
    let dir = suite();
    assert_eq!(j1ql(dir.path(), &["test"]).status.code(), Some(1));
    // Three pending, in name order: active_users, query-3, who_has_which_host.
    let mut child = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(["test", "--review"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a\nr\ns\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let out = stdout(&o);
    assert!(out.contains("Snapshot 1 of 3"), "{out}");
    assert!(
        out.contains("expression: \"FIND User WITH active = true\""),
        "{out}"
    );
    assert!(out.contains("+  _key: u-alice"), "{out}");
    assert!(out.contains("accept (a), reject (r), skip (s)"), "{out}");
    assert!(out.contains("1 accepted, 1 rejected, 1 skipped"), "{out}");
    assert!(out.contains("after review: 1 passed, 2 failed"), "{out}");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        snaps(dir.path()),
        [
            "security__active_users.snap",
            "security__who_has_which_host.snap.new"
        ]
    );
    // Accepting everything that is left (`A`), after a run that re-creates the rejected one.
    let mut child = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(["test", "--review"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"A\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let out = stdout(&o);
    assert!(out.contains("2 accepted, 0 rejected, 0 skipped"), "{out}");
    assert!(o.status.success(), "{out}");
    assert!(j1ql(dir.path(), &["test", "--check"]).status.success());
}

const ASSERTIONS_PASS: &str = "// expect: count = 2
FIND User

// expect: empty
FIND User WITH username = 'carol'

// expect: nonempty
FIND Host

// expect: keys = u-bob, u-alice
FIND User

// name: ordered
// expect: ordered keys = u-alice, u-bob
FIND User AS u ORDER BY u.username

// name: rows
// expect: rows = [{\"u.username\": \"alice\", \"h.displayName\": \"web\"}]
FIND User AS u THAT HAS Host AS h RETURN u.username, h.displayName
";

const ASSERTIONS_FAIL: &str = "// name: count
// expect: count = 3
FIND User

// name: empty
// expect: empty
FIND User WITH active = true

// name: nonempty
// expect: nonempty
FIND User WITH username = 'carol'

// name: keys
// expect: keys = u-alice
FIND User
";

#[test]
fn each_assertion_kind_passes_and_fails() {
    let dir = suite();
    std::fs::remove_file(dir.path().join("security.j1ql")).unwrap();
    std::fs::write(dir.path().join("pass.j1ql"), ASSERTIONS_PASS).unwrap();
    let o = j1ql(dir.path(), &["test", "--check"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("6 passed, 0 failed"), "{out}");
    // Queries with assertions have no snapshot (by default).
    assert!(snaps(dir.path()).is_empty());

    std::fs::write(dir.path().join("fail.j1ql"), ASSERTIONS_FAIL).unwrap();
    let o = j1ql(dir.path(), &["test", "--check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL ./fail.j1ql (0 passed, 4 failed)"),
        "{out}"
    );
    assert!(out.contains("PASS ./pass.j1ql (6 passed)"), "{out}");
    assert!(out.contains("count: expected 3, got 2"), "{out}");
    assert!(out.contains("expected empty, got 1 item(s)"), "{out}");
    assert!(
        out.contains("expected a non-empty result, got none"),
        "{out}"
    );
    assert!(out.contains("keys: expected [\"u-alice\"]"), "{out}");
    assert!(out.contains("got      [\"u-alice\", \"u-bob\"]"), "{out}");
    assert!(out.contains("6 passed, 4 failed"), "{out}");

    // --filter runs a subset.
    let o = j1ql(dir.path(), &["test", "--filter", "nonempty"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("0 passed, 1 failed"), "{out}");
    let o = j1ql(dir.path(), &["test", "--filter", "pass.j1ql::"]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn refused_queries_fail_unless_an_error_is_expected() {
    let dir = suite();
    std::fs::write(
        dir.path().join("security.j1ql"),
        "// name: broken\nFIND User WITH age >\n\n// name: refused on purpose\n// expect: error\nFIND User THAT\n",
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test", "--check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("the query was refused: 1:"), "{out}");
    assert!(out.contains("1 passed, 1 failed"), "{out}");
}

#[test]
fn junit_output_has_the_schema_required_elements() {
    let dir = suite();
    std::fs::write(dir.path().join("fail.j1ql"), ASSERTIONS_FAIL).unwrap();
    let o = j1ql(dir.path(), &["test", "--check", "--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    for attr in ["tests", "failures"] {
        assert!(root.attribute(attr).is_some(), "testsuites@{attr}");
    }
    assert_eq!(root.attribute("tests"), Some("7"));
    assert_eq!(root.attribute("failures"), Some("7"));
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 2);
    let mut failures = 0;
    for s in &suites {
        assert_eq!(s.tag_name().name(), "testsuite");
        for attr in ["name", "tests", "failures"] {
            assert!(s.attribute(attr).is_some(), "testsuite@{attr}");
        }
        let cases: Vec<_> = s.children().filter(|n| n.is_element()).collect();
        assert_eq!(
            cases.len().to_string(),
            s.attribute("tests").unwrap(),
            "tests= counts the testcases"
        );
        for c in cases {
            assert_eq!(c.tag_name().name(), "testcase");
            assert!(c.attribute("name").is_some() && c.attribute("classname").is_some());
            for f in c.children().filter(|n| n.is_element()) {
                assert_eq!(f.tag_name().name(), "failure");
                assert!(!f.attribute("message").unwrap().is_empty());
                failures += 1;
            }
        }
    }
    assert_eq!(failures, 7);
    assert!(
        xml.contains("<testcase name=\"count\" classname=\"./fail.j1ql\""),
        "{xml}"
    );
    assert!(
        xml.contains("message=\"count: expected 3, got 2\""),
        "{xml}"
    );
    // A snapshot failure carries its diff.
    assert!(xml.contains("type=\"snapshot\""), "{xml}");
    assert!(xml.contains("+++ new result"), "{xml}");
}

#[test]
fn json_output() {
    let dir = accepted_suite();
    let o = j1ql(dir.path(), &["test", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON document");
    assert_eq!(v["passed"], 3);
    assert_eq!(v["failed"], 0);
    let cases = v["files"][0]["cases"].as_array().unwrap();
    assert_eq!(cases[0]["name"], "active users");
    assert_eq!(cases[0]["status"], "passed");
    assert_eq!(cases[0]["snapshot"], "matched");
}

#[test]
fn question_yaml_suite() {
    let dir = suite();
    std::fs::remove_file(dir.path().join("security.j1ql")).unwrap();
    std::fs::write(
        dir.path().join("questions.yaml"),
        "---
sourceId: managed:test
questions:
  - id: managed-question-mfa
    title: Which users do not have MFA enabled?
    tags: [identity]
    queries:
      - name: bad
        query: FIND User WITH mfaEnabled != true
        expect: keys = u-bob
      - name: good
        query: |
          // expect: count = 1
          FIND User WITH mfaEnabled = true
  - id: public-hosts
    title: Which hosts are public?
    queries:
      - query: FIND Host WITH public = true
",
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL ./questions.yaml (2 passed, 1 failed)"),
        "{out}"
    );
    assert_eq!(
        snaps(dir.path()),
        ["questions__which_hosts_are_public.snap.new"]
    );
    assert!(j1ql(dir.path(), &["test", "--accept"]).status.success());
    let o = j1ql(dir.path(), &["test", "--check", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v["files"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Which users do not have MFA enabled? / bad",
            "Which users do not have MFA enabled? / good",
            "Which hosts are public?"
        ]
    );
}

#[test]
fn files_outside_a_suite_are_refused_unless_demo() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("demo.j1ql"),
        "// expect: nonempty\nFIND User\n",
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test", "demo.j1ql"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(e.contains("no j1ql.toml") && e.contains("--demo"), "{e}");
    assert!(!dir.path().join("snapshots").exists(), "nothing written");
    let o = j1ql(dir.path(), &["test", "--demo", "demo.j1ql"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 passed, 0 failed"));
    let o = j1ql(dir.path(), &["test", "missing"]);
    assert_eq!(o.status.code(), Some(2));
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's own conformance suite runs through `j1ql test` (issue 9, point 6).
#[test]
fn conformance_suite_runs_through_j1ql_test() {
    let o = j1ql(&repo(), &["test", "tests/conformance", "--check"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains(", 0 failed"), "{out}");
    assert!(!repo().join("tests/conformance/snapshots").exists());
}

/// The worked example suite (`examples/security-suite/`) passes in CI mode.
#[test]
fn example_suite_passes() {
    let o = j1ql(&repo(), &["test", "examples/security-suite", "--check"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("PASS examples/security-suite/questions.yaml"),
        "{out}"
    );
    assert!(out.contains(", 0 failed"), "{out}");
}

#[test]
fn filter_is_case_insensitive_and_must_match_something() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("q.j1ql"),
        "// name: Users\n// expect: nonempty\nFIND User\n",
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test", "--filter", "users"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 passed, 0 failed"), "{}", stdout(&o));
    let o = j1ql(dir.path(), &["test", "--filter", "nomatch"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no query matches --filter `nomatch`"));
}

#[test]
fn a_suite_without_now_passes_twice_in_a_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fixtures")).unwrap();
    std::fs::write(
        dir.path().join("fixtures/a.json"),
        r#"{"entities": [{"_key": "u1", "_type": "okta_user", "_class": "User"}]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "data = [\"fixtures\"]\n").unwrap();
    std::fs::write(dir.path().join("q.j1ql"), "FIND User\n").unwrap();
    let o = j1ql(dir.path(), &["test", "--accept"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let snap = std::fs::read_to_string(dir.path().join("snapshots/q__query-1.snap")).unwrap();
    assert!(snap.contains("_createdOn"), "{snap}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = j1ql(dir.path(), &["test", "--check"]);
    assert!(
        o.status.success(),
        "the second run sees the same snapshot: {}",
        stdout(&o)
    );
}

#[cfg(unix)]
#[test]
fn snapshots_are_never_written_through_links_leaving_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("snapshots")).unwrap();
    std::fs::write(repo.join("j1ql.toml"), "").unwrap();
    std::fs::write(repo.join("q.j1ql"), "FIND User\n").unwrap();
    std::fs::write(outer.path().join("victim"), "keep").unwrap();
    std::os::unix::fs::symlink("../../victim", repo.join("snapshots/q__query-1.snap.new")).unwrap();
    let o = j1ql(&repo, &["test"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(outer.path().join("victim")).unwrap(),
        "keep"
    );
    assert!(stdout(&o).contains("outside"), "{}", stdout(&o));
}

#[test]
fn rule_packs_and_non_ascii_names_are_test_cases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("pack.json"),
        r#"[{"name": "Benutzer älter", "question": {"queries": [{"query": "FIND User"}]}},
            {"name": "Benutzer ölter", "question": {"queries": [{"query": "FIND Person"}]}}]"#,
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test", "--accept"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 passed, 0 failed"), "{}", stdout(&o));
    assert!(dir
        .path()
        .join("snapshots/pack__benutzer_älter.snap")
        .exists());
    assert!(dir
        .path()
        .join("snapshots/pack__benutzer_ölter.snap")
        .exists());
}

#[test]
fn question_typos_fail_instead_of_passing_with_no_tests() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("q.yaml"),
        "questions:\n  - title: T\n    queries:\n      - querys: FIND User\n",
    )
    .unwrap();
    let o = j1ql(dir.path(), &["test"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("querys"), "{}", stdout(&o));
}

#[cfg(unix)]
#[test]
fn suite_discovery_does_not_loop_on_link_cycles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "").unwrap();
    std::fs::create_dir_all(dir.path().join("d")).unwrap();
    std::fs::write(
        dir.path().join("d/q.j1ql"),
        "// expect: nonempty\nFIND User\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("d/self")).unwrap();
    std::os::unix::fs::symlink("/", dir.path().join("d/root")).unwrap();
    let o = j1ql(dir.path(), &["test"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 passed, 0 failed"), "{}", stdout(&o));
    let e = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(e.contains("self") && e.contains("root"), "{e}");
}

#[cfg(unix)]
#[test]
fn review_never_accepts_through_a_link_leaving_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("snapshots")).unwrap();
    std::fs::write(repo.join("j1ql.toml"), "").unwrap();
    std::fs::write(repo.join("q.j1ql"), "FIND User\n").unwrap();
    std::fs::write(outer.path().join("victim"), "keep").unwrap();
    std::os::unix::fs::symlink("../../victim", repo.join("snapshots/q__query-1.snap")).unwrap();
    assert_eq!(j1ql(&repo, &["test"]).status.code(), Some(1));
    assert!(repo.join("snapshots/q__query-1.snap.new").exists());
    let mut child = Command::new(env!("CARGO_BIN_EXE_j1ql"))
        .args(["test", "--review"])
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(outer.path().join("victim")).unwrap(),
        "keep"
    );
}
