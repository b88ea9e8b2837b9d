//! End-to-end tests of `j1ql lint`: exit codes, the four output formats, `--fix` and
//! `--unsafe-fixes`, `--explain`, stdin, and positions of embedded queries in their host.

mod common;
use common::*;

use std::fs;

use serde_json::Value;

#[test]
fn warnings_exit_0_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("warn.j1ql"), "find User\n").unwrap();
    fs::write(dir.path().join("ok.j1ql"), "FIND User\n").unwrap();
    fs::write(
        dir.path().join("error.j1ql"),
        "FIND User AS u WHERE x.a = 1\n",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["lint", "warn.j1ql", "ok.j1ql"], "");
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert_eq!(
        out(&o),
        "warn.j1ql:1:1: warning[L001] 1 keyword is not in upper case: `find` [*]\n"
    );
    let o = j1ql_in(dir.path(), &["lint", "error.j1ql"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("error[S001]"), "{}", out(&o));
}

#[test]
fn json_github_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.j1ql"),
        "FIND User\nfind Host WITH x = 'true'\n",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["lint", "--format", "json", "a.j1ql"], "");
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let d = &v["diagnostics"];
    assert_eq!(d[0]["code"], "L001");
    assert_eq!(d[0]["line"], 2);
    assert_eq!(d[0]["column"], 1);
    assert_eq!(d[0]["fix"], "safe");
    assert_eq!(d[1]["code"], "L012");
    assert_eq!(d[1]["column"], 20);
    assert_eq!(v["summary"]["problems"], 2);

    let o = j1ql_in(dir.path(), &["lint", "--format", "github", "a.j1ql"], "");
    assert!(
        out(&o).starts_with(
            "::warning file=a.j1ql,line=2,col=1,endLine=2,endColumn=5,title=L001 keyword-case::"
        ),
        "{}",
        out(&o)
    );

    let o = j1ql_in(dir.path(), &["lint", "--format", "sarif", "a.j1ql"], "");
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let result = &v["runs"][0]["results"][1];
    assert_eq!(result["ruleId"], "L012");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startColumn"],
        20
    );
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 25
    );
}

#[test]
fn fix_and_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "find User WITH active = 'true' AND (mfa = true)\n";
    fs::write(dir.path().join("a.j1ql"), text).unwrap();
    let o = j1ql_in(dir.path(), &["lint", "--fix", "a.j1ql"], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.j1ql")).unwrap(),
        "FIND User WITH active = 'true' AND mfa = true\n"
    );
    // `User.active` is a boolean in the data model: L014 knows it (and L012 does not guess).
    assert!(out(&o).contains("L014"), "{}", out(&o));
    assert!(!out(&o).contains("L012"), "{}", out(&o));
    let o = j1ql_in(dir.path(), &["lint", "--unsafe-fixes", "a.j1ql"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.j1ql")).unwrap(),
        "FIND User WITH active = true AND mfa = true\n"
    );
    assert_eq!(out(&o), "");
    // stdin: the fixed text on stdout, findings on stderr.
    let o = j1ql_in(dir.path(), &["lint", "--fix", "-"], "find User");
    assert_eq!(out(&o), "FIND User");
}

#[test]
fn explain() {
    let dir = tempfile::tempdir().unwrap();
    let o = j1ql_in(dir.path(), &["lint", "--explain", "L002"], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).starts_with("L002 neq-and-group\n"), "{}", out(&o));
    assert!(out(&o).contains("Bad:") && out(&o).contains("Good:"));
    let o = j1ql_in(dir.path(), &["lint", "--explain", "S010"], "");
    assert!(out(&o).contains("unknown-class"));
    let o = j1ql_in(dir.path(), &["lint", "--explain", "X999"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn ignore_comment_and_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.j1ql"),
        "// j1ql-ignore: L001\nfind User\nFIND User LIMIT 1000\n",
    )
    .unwrap();
    let o = j1ql_in(dir.path(), &["lint", "a.j1ql"], "");
    assert_eq!(out(&o), "a.j1ql:3:17: warning[L009] LIMIT 1000 is above the 250 rows JupiterOne returns in one page; page with SKIP, or aggregate\n");
    fs::write(
        dir.path().join("j1ql.toml"),
        "[lint]\nmax-limit = 5000\n[lint.severity]\nL001 = \"error\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("b.j1ql"), "find User LIMIT 1000\n").unwrap();
    let o = j1ql_in(dir.path(), &["lint", "b.j1ql"], "");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        out(&o),
        "b.j1ql:1:1: error[L001] 2 keywords are not in upper case: `find`, `LIMIT`... [*]\n"
            .replace("`find`, `LIMIT`...", "`find`")
            .replace("2 keywords are", "1 keyword is")
    );
}

#[test]
fn embedded_positions_are_in_the_host_file() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "questions:\n  - id: q1\n    queries:\n      - query: |\n          FIND User AS u\n            WHERE x.name = 'a'\n";
    fs::write(dir.path().join("q.yaml"), yaml).unwrap();
    fs::create_dir(dir.path().join("rule-packs")).unwrap();
    let json = "[{\"queries\": [{\"query\": \"FIND aws_s3_bucket AS b RETURN b.*\"}]}]";
    fs::write(dir.path().join("rule-packs/aws.json"), json).unwrap();
    let md = "text\n\n```j1ql\nFIND Usr\n```\n";
    fs::write(dir.path().join("doc.md"), md).unwrap();
    let o = j1ql_in(
        dir.path(),
        &["lint", "q.yaml", "rule-packs/aws.json", "doc.md"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("q.yaml:6:19: error[S001]"), "{text}");
    assert!(
        text.contains("rule-packs/aws.json:1:57: warning[L010]"),
        "{text}"
    );
    assert!(text.contains("doc.md:4:6: warning[S010]"), "{text}");
    // --fix edits the host in place.
    fs::write(dir.path().join("d.md"), "```j1ql\nfind User\n```\n").unwrap();
    let o = j1ql_in(dir.path(), &["lint", "--fix", "d.md"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("d.md")).unwrap(),
        "```j1ql\nFIND User\n```\n"
    );
}
