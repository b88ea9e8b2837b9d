//! `run --remote`, `pull` and `test --remote` on the command line, against a `j1ql serve`
//! binary these tests start (docs/remote.md).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

mod serve_process;

use serve_process::{Serve, ACCOUNT, TOKEN};

/// `j1ql ARGS` in `dir` with only the given JUPITERONE_* variables.
fn j1ql(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_j1ql"));
    cmd.args(args).current_dir(dir);
    for var in [
        "JUPITERONE_API_KEY",
        "JUPITERONE_ACCOUNT_ID",
        "JUPITERONE_REGION",
        "JUPITERONE_API_URL",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("j1ql runs")
}

fn env_for(serve: &Serve) -> Vec<(&'static str, String)> {
    vec![
        ("JUPITERONE_API_URL", serve.url.clone()),
        ("JUPITERONE_ACCOUNT_ID", ACCOUNT.into()),
        ("JUPITERONE_API_KEY", TOKEN.into()),
    ]
}

fn remote(dir: &Path, serve: &Serve, args: &[&str]) -> Output {
    let env = env_for(serve);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    j1ql(dir, &env, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Rows (or vertices and edges) sorted: neither side promises an order without ORDER BY.
fn unordered(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let sort = |rows: &mut Value| {
        if let Some(a) = rows.as_array_mut() {
            a.sort_by_key(|r| r.to_string());
        }
    };
    if v["type"] == "tree" {
        sort(&mut v["data"]["vertices"]);
        sort(&mut v["data"]["edges"]);
    } else {
        sort(&mut v["data"]);
    }
    v
}

const QUERIES: &[&str] = &[
    "FIND User WITH active = true",
    "FIND User AS u THAT IS Person AS p RETURN u.email AS email, p.displayName AS name",
    "FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN a.displayName AS account, count(b) AS buckets",
    "FIND User THAT IS Person RETURN TREE",
];

#[test]
fn run_remote_prints_exactly_what_run_prints_in_every_format() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    for query in QUERIES {
        for format in ["json", "table"] {
            let local = j1ql(dir.path(), &[], &["run", "--format", format, query]);
            let live = remote(
                dir.path(),
                &serve,
                &["run", "--remote", "--format", format, query],
            );
            assert!(live.status.success(), "{}", stderr(&live));
            assert_eq!(stdout(&live), stdout(&local), "{query} --format {format}");
            // Not on a terminal: no progress line, nothing on stderr.
            assert_eq!(stderr(&live), "");
        }
    }
    let deferred = remote(
        dir.path(),
        &serve,
        &["run", "--remote", "--deferred", QUERIES[1]],
    );
    assert_eq!(
        stdout(&deferred),
        stdout(&j1ql(dir.path(), &[], &["run", QUERIES[1]]))
    );
    let cut = remote(
        dir.path(),
        &serve,
        &["run", "--remote", "--max-rows", "2", QUERIES[0]],
    );
    let v: Value = serde_json::from_str(&stdout(&cut)).unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert!(
        stderr(&cut).contains("more rows than --max-rows 2"),
        "{}",
        stderr(&cut)
    );
}

#[test]
fn refused_keys_missing_settings_and_bad_queries_are_named() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let wrong = [
        ("JUPITERONE_API_URL", serve.url.as_str()),
        ("JUPITERONE_ACCOUNT_ID", ACCOUNT),
        ("JUPITERONE_API_KEY", "wrong-key"),
    ];
    let o = j1ql(dir.path(), &wrong, &["run", "--remote", "FIND User"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the API key or account was refused (401"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("JUPITERONE_API_KEY"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let o = j1ql(dir.path(), &wrong[..2], &["run", "--remote", "FIND User"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no API key: set JUPITERONE_API_KEY"),
        "{}",
        stderr(&o)
    );
    let o = remote(dir.path(), &serve, &["run", "--remote", "FIND User WITH"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 1, column"), "{}", stderr(&o));
}

#[test]
fn remote_settings_come_from_j1ql_toml_but_never_the_key() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("j1ql.toml"),
        format!(
            "[remote]\nurl = \"{}\"\naccount = \"{ACCOUNT}\"\nkey-command = \"echo {TOKEN}\"\n",
            serve.url
        ),
    )
    .unwrap();
    let o = j1ql(
        dir.path(),
        &[],
        &["run", "--remote", "FIND User WITH active = true"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        stdout(&j1ql(
            dir.path(),
            &[],
            &["run", "FIND User WITH active = true"]
        ))
    );
    std::fs::write(
        dir.path().join("j1ql.toml"),
        format!("[remote]\nurl = \"{}\"\nkey = \"{TOKEN}\"\n", serve.url),
    )
    .unwrap();
    let o = j1ql(dir.path(), &[], &["run", "--remote", "FIND User"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("never kept in j1ql.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pulled_fixtures_answer_like_the_account_and_a_stopped_server_writes_nothing() {
    let mut serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "pull", "--remote", "--out", "fixtures", "--redact", "secret",
    ];
    args.extend(QUERIES);
    let o = remote(dir.path(), &serve, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("into fixtures/pulled.json"),
        "{}",
        stderr(&o)
    );
    for query in QUERIES {
        let local = j1ql(
            dir.path(),
            &[],
            &[
                "run",
                "--data",
                "fixtures",
                "--now",
                "2025-11-21T00:00:00Z",
                query,
            ],
        );
        let live = remote(dir.path(), &serve, &["run", "--remote", query]);
        assert_eq!(
            unordered(&stdout(&local)),
            unordered(&stdout(&live)),
            "{query}"
        );
    }
    serve.stop();
    let o = remote(
        dir.path(),
        &serve,
        &[
            "pull",
            "--remote",
            "--attempts",
            "2",
            "--out",
            "later",
            QUERIES[0],
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("could not connect"), "{}", stderr(&o));
    assert!(!dir.path().join("later").exists());
}

#[test]
fn paging_under_a_rate_limit_gets_every_row() {
    let data = tempfile::tempdir().unwrap();
    let devices: Vec<Value> = (0..620)
        .map(|i| {
            json!({ "_key": format!("d{i:04}"), "_type": "user_endpoint", "_class": "Device",
                         "displayName": format!("Device {i}"), "_createdOn": 1_700_000_000_000u64,
                         "_beginOn": 1_700_000_000_000u64 })
        })
        .collect();
    std::fs::write(
        data.path().join("devices.json"),
        json!({ "scope": "devices", "entities": devices }).to_string(),
    )
    .unwrap();
    let data_arg = data.path().to_str().unwrap();
    let serve = Serve::start(&[
        "--data",
        data_arg,
        "--rate-limit",
        "1/s",
        "--now",
        "2025-11-21T00:00:00Z",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let query = "FIND Device LIMIT 1000";
    let live = remote(dir.path(), &serve, &["run", "--remote", query]);
    assert!(live.status.success(), "{}", stderr(&live));
    let local = j1ql(
        dir.path(),
        &[],
        &[
            "run",
            "--data",
            data_arg,
            "--now",
            "2025-11-21T00:00:00Z",
            query,
        ],
    );
    assert_eq!(stdout(&live), stdout(&local));
    let v: Value = serde_json::from_str(&stdout(&live)).unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 620);
}

#[test]
fn test_remote_reports_row_diffs_and_fails_on_them() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j1ql.toml"), "data = [\"fixtures\"]\n").unwrap();
    std::fs::write(
        dir.path().join("users.j1ql"),
        format!(
            "// name: active users\n{}\n\n// name: emails\n{}\n",
            QUERIES[0], QUERIES[1]
        ),
    )
    .unwrap();
    let o = remote(
        dir.path(),
        &serve,
        &["pull", "--remote", "--out", "fixtures", "users.j1ql"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = remote(dir.path(), &serve, &["test", "--remote"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("2 queries compared: 2 same, 0 different or failed"),
        "{}",
        stdout(&o)
    );
    // Deactivate Bob in the fixture: both queries now differ from the account.
    let path = dir.path().join("fixtures/pulled.json");
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for e in file["entities"].as_array_mut().unwrap() {
        if e["_key"] == "okta-user-bob" {
            e["active"] = false.into();
            e["email"] = "robert@acme.com".into();
        }
    }
    std::fs::write(&path, file.to_string()).unwrap();
    let o = remote(dir.path(), &serve, &["test", "--remote"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("users.j1ql:1 active users: 0 only in the fixtures, 1 only on the account"),
        "{out}"
    );
    assert!(
        out.contains("+ {") && out.contains("okta-user-bob"),
        "{out}"
    );
    assert!(out.contains("- {\"email\":\"robert@acme.com\""), "{out}");
    let json_out = remote(
        dir.path(),
        &serve,
        &["test", "--remote", "--format", "json", "--filter", "emails"],
    );
    assert_eq!(json_out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&json_out)).unwrap();
    assert_eq!(v["failed"], 1);
    assert_eq!(v["queries"][0]["status"], "differ");
}

#[test]
fn an_out_folder_that_cannot_be_made_is_named() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), "a file, not a folder").unwrap();
    let o = remote(
        dir.path(),
        &serve,
        &["pull", "--remote", "--out", "taken/sub", "FIND User"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write the fixture: taken/sub"),
        "{}",
        stderr(&o)
    );
}
