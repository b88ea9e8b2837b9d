//! End-to-end tests of the project model through the CLI: a repository of the kind JupiterOne
//! teams keep (question YAML, rule-pack JSON, dashboard JSON, Markdown runbooks, Terraform,
//! `.j1ql` files), each with one broken query; `check .`, `lint .` and `fmt --check .` see them
//! all, positioned inside each broken query's lines, and never read Terraform as J1QL.

mod common;
use common::*;

use std::fs;
use std::path::Path;

const QUESTIONS: &str = "questions:
  - id: cloud
    title: Cloud
    description: |
      query: FIND Fake WITH
    queries:
      - name: good
        query: FIND User THAT IS Person
      - name: broken
        query: >
          FIND aws_instance
          WITH tag.Env = 'prod' AND
";

const RULE_PACK: &str = r#"[
  {
    "name": "rule",
    "question": {
      "queries": [
        { "name": "query0", "query": "FIND Finding WITH severity = 'high'", "version": "v1" },
        { "name": "query1", "query": "FIND Host\nTHAT", "version": "v1" }
      ]
    }
  }
]
"#;

const DASHBOARD: &str = r#"{"widgets": [{"config": {"queries": [{"name": "q", "query": "FIND User RETURN COUNT(User) AS"}]}}]}"#;

const RUNBOOK: &str =
    "# Runbook\n\nCheck this:\n\n```j1ql\nFIND User\n  WITH active = true AND (\n```\n";

const TERRAFORM: &str = r#"resource "jupiterone_question" "q" {
  title = "Users in ${var.region}"
  query {
    name  = "ok"
    query = "FIND User WITH region = '${var.region}'"
  }
  query {
    name  = "broken"
    query = <<-EOF
      FIND Host
        THAT HAS
    EOF
  }
}
"#;

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("questions/cloud.yaml", QUESTIONS),
        ("rule-packs/aws.json", RULE_PACK),
        ("dashboards/main.json", DASHBOARD),
        ("docs/runbook.md", RUNBOOK),
        ("terraform/main.tf", TERRAFORM),
        ("queries/a.j1ql", "FIND User WITH\n"),
        ("queries/ok.j1ql", "FIND User\n"),
        ("ignored/bad.j1ql", "FIND (\n"),
        ("package.json", "{\"name\": \"x\"}"),
        (".gitignore", "ignored/\n"),
    ] {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// The 1-based line of the first line of `host` containing `needle`.
fn line_of(host: &str, needle: &str) -> usize {
    host.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn lines_for(output: &str, file: &str) -> Vec<usize> {
    output
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{file}:")))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect()
}

#[test]
fn check_finds_the_broken_query_of_every_host_format() {
    let dir = repo();
    let o = j1ql_in(dir.path(), &["check", "."], "");
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}\n{}", err(&o));
    let path = |p: &str| Path::new(".").join(p).display().to_string();
    // Each broken query: a diagnostic inside its lines.
    let yaml = lines_for(&text, &path("questions/cloud.yaml"));
    assert!(
        !yaml.is_empty() && yaml.iter().all(|&l| (10..=12).contains(&l)),
        "{text}"
    );
    let json = lines_for(&text, &path("rule-packs/aws.json"));
    assert_eq!(json, [line_of(RULE_PACK, "query1")], "{text}");
    let dash = lines_for(&text, &path("dashboards/main.json"));
    assert_eq!(dash, [1], "{text}");
    let md = lines_for(&text, &path("docs/runbook.md"));
    assert!(
        !md.is_empty() && md.iter().all(|&l| (6..=7).contains(&l)),
        "{text}"
    );
    let tf = lines_for(&text, &path("terraform/main.tf"));
    assert!(
        !tf.is_empty() && tf.iter().all(|&l| (10..=11).contains(&l)),
        "Terraform is not read as J1QL, and `${{var.region}}` is no error: {text}"
    );
    let j1ql = lines_for(&text, &path("queries/a.j1ql"));
    assert_eq!(j1ql, [1], "{text}");
    assert!(
        !text.contains("ignored/bad.j1ql"),
        ".gitignore is respected: {text}"
    );
    assert!(
        !text.contains("Fake"),
        "text of another key is not a query: {text}"
    );
    assert!(err(&o).contains("of 8 files checked"), "{}", err(&o));
}

#[test]
fn lint_finds_them_too() {
    let dir = repo();
    let o = j1ql_in(dir.path(), &["lint", "."], "");
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    for file in [
        "questions/cloud.yaml",
        "rule-packs/aws.json",
        "dashboards/main.json",
        "docs/runbook.md",
        "terraform/main.tf",
        "queries/a.j1ql",
    ] {
        let name = Path::new(".").join(file).display().to_string();
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{name}:")) && l.contains("error[P")),
            "{file}: {text}"
        );
    }
}

#[test]
fn exclude_and_include_select_files() {
    let dir = repo();
    fs::write(
        dir.path().join("j1ql.toml"),
        "exclude = [\"terraform/**\", \"docs\"]\n",
    )
    .unwrap();
    let text = out(&j1ql_in(dir.path(), &["check", "."], ""));
    assert!(
        !text.contains("main.tf") && !text.contains("runbook.md"),
        "{text}"
    );
    assert!(text.contains("aws.json"), "{text}");
    fs::write(dir.path().join("j1ql.toml"), "include = [\"**/*.tf\"]\n").unwrap();
    let o = j1ql_in(dir.path(), &["check", "."], "");
    let text = out(&o);
    assert!(
        text.contains("main.tf") && !text.contains("aws.json"),
        "{text}"
    );
}

#[test]
fn check_honours_ignore_comments_and_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.j1ql"),
        "// j1ql-ignore: S010\nFIND Usr\n",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["check", "a.j1ql"], "");
    assert!(!out(&o).contains("S010"), "{}", out(&o));
    fs::write(dir.path().join("b.j1ql"), "FIND Usr\n").unwrap();
    let o = j1ql_in(dir.path(), &["check", "b.j1ql"], "");
    assert!(out(&o).contains("warning[S010]"), "{}", out(&o));
}

#[test]
fn unknown_parameters_are_found_by_check_when_the_project_runs_queries() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("j1ql.toml"), "[params]\nminAge = 4\n").unwrap();
    fs::write(
        dir.path().join("a.j1ql"),
        "FIND User WITH age > ${ param.minAg }\n",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["check", "a.j1ql"], "");
    assert!(
        out(&o).contains("warning[unknown-parameter]"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("did you mean `minAge`"), "{}", out(&o));
}

#[test]
fn fmt_check_sees_every_host_and_fmt_writes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("q.yaml", "questions:\n  - queries:\n      - query: >\n          find User\n          that is Person\n"),
        ("r.json", "{\"query\": \"find Host\"}\n"),
        ("d.md", "```j1ql\r\nfind User\r\n```\r\n"),
        ("m.tf", "resource \"jupiterone_rule\" \"r\" {\n  query = \"find Finding\"\n}\n"),
        ("a.j1ql", "find User\r\n"),
    ];
    for (p, t) in files {
        fs::write(dir.path().join(p), t).unwrap();
    }
    let o = j1ql_in(dir.path(), &["fmt", "--check", "."], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("5 files would be reformatted"),
        "{}",
        err(&o)
    );
    let o = j1ql_in(dir.path(), &["fmt", "."], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let read = |p: &str| fs::read_to_string(dir.path().join(p)).unwrap();
    assert_eq!(
        read("q.yaml"),
        "questions:\n  - queries:\n      - query: |\n          FIND User THAT IS Person\n",
        "a folded block becomes a literal block"
    );
    assert_eq!(read("r.json"), "{\"query\": \"FIND Host\"}\n");
    assert_eq!(
        read("d.md"),
        "```j1ql\r\nFIND User\r\n```\r\n",
        "CRLF stays CRLF"
    );
    assert_eq!(
        read("m.tf"),
        "resource \"jupiterone_rule\" \"r\" {\n  query = \"FIND Finding\"\n}\n"
    );
    assert_eq!(read("a.j1ql"), "FIND User\r\n", "CRLF stays CRLF");
    let o = j1ql_in(dir.path(), &["fmt", "--check", "."], "");
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
}

#[cfg(unix)]
#[test]
fn fmt_never_writes_through_a_link_leaving_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("q")).unwrap();
    fs::write(outer.path().join("outside.j1ql"), "find User\n").unwrap();
    std::os::unix::fs::symlink("../../outside.j1ql", repo.join("q/link.j1ql")).unwrap();
    fs::write(repo.join("q/a.j1ql"), "find Host\n").unwrap();
    // Named explicitly: refused with a message; the other file is still formatted.
    let o = j1ql_in(&repo, &["fmt", "q/link.j1ql", "q/a.j1ql"], "");
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("outside"), "{}", err(&o));
    assert!(err(&o).contains("1 file not reformatted"), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(outer.path().join("outside.j1ql")).unwrap(),
        "find User\n"
    );
    assert_eq!(
        fs::read_to_string(repo.join("q/a.j1ql")).unwrap(),
        "FIND Host\n"
    );
    // Through a folder walk the link is not even read.
    let o = j1ql_in(&repo, &["fmt", "q"], "");
    assert!(err(&o).contains("outside"), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(outer.path().join("outside.j1ql")).unwrap(),
        "find User\n"
    );
}

#[cfg(unix)]
#[test]
fn fmt_keeps_permissions_and_reports_unwritable_files_then_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("ro")).unwrap();
    fs::write(dir.path().join("ro/a.j1ql"), "find User\n").unwrap();
    fs::write(dir.path().join("b.j1ql"), "find Host\n").unwrap();
    fs::set_permissions(dir.path().join("b.j1ql"), fs::Permissions::from_mode(0o640)).unwrap();
    fs::set_permissions(dir.path().join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let o = j1ql_in(dir.path(), &["fmt", "ro/a.j1ql", "b.j1ql"], "");
    fs::set_permissions(dir.path().join("ro"), fs::Permissions::from_mode(0o755)).unwrap();
    if fs::read_to_string(dir.path().join("ro/a.j1ql")).unwrap() == "FIND User\n" {
        return; // running as root: the folder is writable anyway
    }
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("1 file not reformatted"), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("b.j1ql")).unwrap(),
        "FIND Host\n"
    );
    let mode = fs::metadata(dir.path().join("b.j1ql"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn run_uses_the_suite_fixtures_and_prints_warnings_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("fixtures")).unwrap();
    fs::write(
        dir.path().join("fixtures/a.json"),
        r#"{"entities": [{"_key": "u1", "_type": "okta_user", "_class": "User", "displayName": "Ann", "age": 50},
                        {"_key": "u2", "_type": "okta_user", "_class": "User", "displayName": "Bob", "age": 20}]}"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("j1ql.toml"),
        "data = [\"fixtures\"]\n[params]\nminAge = 40\n[smart-classes]\nOld = \"age > 60\"\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("q.j1ql"),
        "// name: adults\nFIND User WITH age > ${ param.minAge }\n\n// name: all\nFIND User\n",
    )
    .unwrap();
    let keys = |o: &std::process::Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", out(o), err(o)));
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["entity"]["_key"].as_str().unwrap().to_string())
            .collect()
    };
    let o = j1ql_in(
        dir.path(),
        &["run", "FIND User WITH age > ${ param.minAge }"],
        "",
    );
    assert_eq!(keys(&o), ["u1"], "the suite's fixtures and [params]");
    let o = j1ql_in(dir.path(), &["run", "q.j1ql::adults"], "");
    assert_eq!(keys(&o), ["u1"]);
    let o = j1ql_in(dir.path(), &["run", "q.j1ql:2"], "");
    assert_eq!(keys(&o), ["u1", "u2"]);
    let o = j1ql_in(dir.path(), &["run", "FIND #Old"], "");
    assert!(keys(&o).is_empty(), "[smart-classes]");
    let o = j1ql_in(
        dir.path(),
        &["run", "--smart-class", "Old=age > 30", "FIND #Old"],
        "",
    );
    assert_eq!(keys(&o), ["u1"], "--smart-class overrides");
    let o = j1ql_in(dir.path(), &["run", "q.j1ql::nope"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("adults, all"), "{}", err(&o));
    let o = j1ql_in(dir.path(), &["run", "-"], "FIND User WITH age < 30");
    assert_eq!(keys(&o), ["u2"]);
    // Warnings on stderr, results on stdout.
    let empty = tempfile::tempdir().unwrap();
    let o = j1ql_in(empty.path(), &["run", "FIND Usr"], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("warning[S010]") && err(&o).contains("`User`"),
        "{}",
        err(&o)
    );
    assert!(keys(&o).is_empty());
}

#[test]
fn unknown_lint_codes_in_the_configuration_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("j1ql.toml"),
        "[lint]\nignore = [\"S999\"]\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.j1ql"), "FIND User\n").unwrap();
    for command in ["check", "lint"] {
        let o = j1ql_in(dir.path(), &[command, "a.j1ql"], "");
        assert_eq!(o.status.code(), Some(2), "{command}: {}", err(&o));
        assert!(err(&o).contains("unknown lint code `S999`"), "{}", err(&o));
    }
}

#[test]
fn lint_fix_of_stdin_keeps_stdout_for_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    for flags in [
        &["--fix"][..],
        &["--unsafe-fixes"][..],
        &["--fix", "--format", "json"][..],
    ] {
        let mut args = vec!["lint", "-"];
        args.extend_from_slice(flags);
        let o = j1ql_in(dir.path(), &args, "find User with a = 1 and a = 1\n");
        assert_eq!(
            out(&o),
            "FIND User WITH a = 1\n",
            "{flags:?}: stdout is the fixed text only"
        );
        assert!(!err(&o).is_empty());
    }
}

#[test]
fn colour_on_request_for_every_command_and_never_by_default_in_pipes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("j1ql.toml"), "").unwrap();
    fs::write(dir.path().join("a.j1ql"), "find Usr THAT\n").unwrap();
    let ansi = "\x1b[";
    for args in [
        &["check", "a.j1ql"][..],
        &["lint", "a.j1ql"][..],
        &["fmt", "--check", "b.j1ql"][..],
    ] {
        if args[0] == "fmt" {
            fs::write(dir.path().join("b.j1ql"), "find User\n").unwrap();
        }
        let plain = j1ql_in(dir.path(), args, "");
        assert!(!out(&plain).contains(ansi), "{args:?}: no colour in a pipe");
        let mut coloured_args = vec!["--color", "always"];
        coloured_args.extend_from_slice(args);
        let coloured = j1ql_in(dir.path(), &coloured_args, "");
        assert!(
            out(&coloured).contains(ansi),
            "{args:?}: {}",
            out(&coloured)
        );
        let mut never = args.to_vec();
        never.extend_from_slice(&["--color", "never"]);
        assert!(!out(&j1ql_in(dir.path(), &never, "")).contains(ansi));
    }
}

#[test]
fn normalize_expands_the_project_smart_classes_and_params() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("j1ql.toml"),
        "[params]\nminAge = 40\n[smart-classes]\nOld = \"age > 60\"\n",
    )
    .unwrap();
    let o = j1ql_in(
        dir.path(),
        &[
            "normalize",
            "--expand",
            "smart-classes,params",
            "FIND #Old WITH x > ${ param.minAge }",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("age > 60") && out(&o).contains("40"),
        "{}",
        out(&o)
    );
}
