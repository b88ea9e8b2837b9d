//! Tests of the extractor and the write-back: every host format and scalar style, positions
//! back into the host, and the round-trip check.

use crate::{extract, rewrite, HostKind};

fn texts(kind: HostKind, host: &str) -> Vec<String> {
    extract(kind, host)
        .regions
        .into_iter()
        .map(|r| r.text)
        .collect()
}

/// The host text at the region position of `needle` in the region text.
fn host_at<'a>(host: &'a str, region: &crate::Region, needle: &str) -> &'a str {
    let at = region.text.find(needle).expect("needle in region");
    let r = region.host_range_of(at..at + needle.len());
    &host[r]
}

const QUESTIONS: &str = "questions:
  - id: a
    description: |
      query: FIND Fake
    queries:
      - name: literal
        query: |
          find User
            that has Device

        resultsAre: GOOD
      - query: |-
          find A
      - query: >
          find Folded
          that has X

          with y = 1
      - query: >-
          find more
            indented
          back
      - query: find Host with a = 'b'  # c
      - query: find plain
          on two lines
      - query: 'find X with a = ''q''
          and b = 1'
      - query: \"find Y\\twith\\u00e9 \\
          z\"
      - query: &anchor !!str find Anchored
      - query: |2
           find Indented
      - query: ''
";

#[test]
fn yaml_every_scalar_style() {
    let extraction = extract(HostKind::Yaml, QUESTIONS);
    assert_eq!(extraction.unmapped, vec![], "{extraction:?}");
    let t: Vec<&str> = extraction.regions.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        t,
        [
            "find User\n  that has Device\n",
            "find A",
            "find Folded that has X\nwith y = 1\n",
            "find more\n  indented\nback",
            "find Host with a = 'b'",
            "find plain on two lines",
            "find X with a = 'q' and b = 1",
            "find Y\twith\u{e9} z",
            "find Anchored",
            " find Indented\n",
            "",
        ]
    );
    // `query: FIND Fake` inside another key's block text is not a query.
    assert!(!t.iter().any(|q| q.contains("Fake")));
    let r = &extraction.regions;
    assert_eq!(host_at(QUESTIONS, &r[0], "that"), "that");
    assert_eq!(host_at(QUESTIONS, &r[2], "with y"), "with y");
    assert_eq!(host_at(QUESTIONS, &r[5], "on two"), "on two");
    assert_eq!(host_at(QUESTIONS, &r[6], "'q'"), "''q''");
    assert_eq!(host_at(QUESTIONS, &r[6], "and b"), "and b");
    assert_eq!(host_at(QUESTIONS, &r[7], "\t"), "\\t");
    assert_eq!(host_at(QUESTIONS, &r[7], "é"), "\\u00e9");
    assert_eq!(host_at(QUESTIONS, &r[7], "z"), "z");
    assert_eq!(host_at(QUESTIONS, &r[8], "Anchored"), "Anchored");
}

#[test]
fn yaml_non_string_query_and_bad_yaml_are_reported() {
    let e = extract(HostKind::Yaml, "q:\n  - query:\n      a: 1\n");
    assert!(e.regions.is_empty());
    assert_eq!(e.unmapped.len(), 1);
    assert!(e.unmapped[0].reason.contains("not a string"));
    let e = extract(HostKind::Yaml, "query: [unclosed\n");
    assert!(
        e.unmapped
            .iter()
            .any(|u| u.reason.contains("not valid YAML")),
        "{e:?}"
    );
}

#[test]
fn yaml_rewrite_every_style_round_trips() {
    let e = extract(HostKind::Yaml, QUESTIONS);
    let edits: Vec<(usize, String)> = e
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.text.is_empty() && !r.text.starts_with(' '))
        .map(|(i, r)| (i, r.text.to_uppercase()))
        .collect();
    let out = rewrite(HostKind::Yaml, QUESTIONS, &e, &edits);
    assert!(out.left.is_empty(), "{:?}", out.left);
    let again = extract(HostKind::Yaml, &out.text);
    for (i, text) in &edits {
        assert_eq!(&again.regions[*i].text, text, "{}", out.text);
    }
    assert!(out
        .text
        .contains("description: |\n      query: FIND Fake\n"));
}

#[test]
fn yaml_encoder_quotes_what_plain_cannot_hold() {
    let host = "queries:\n  - query: \"FIND a\"\n";
    let e = extract(HostKind::Yaml, host);
    for weird in [
        "FIND x WITH a = '\u{2028}'",
        "FIND x WITH a = '\r'",
        "FIND x WITH a = '\u{85}'",
        "FIND x WITH a = '\u{7}'",
        "FIND x WITH a = '\t'",
        "FIND x WITH a: b",
        "true",
        "FIND # not a comment",
    ] {
        let out = rewrite(HostKind::Yaml, host, &e, &[(0, weird.to_string())]);
        assert!(out.left.is_empty(), "{weird:?}: {:?}", out.left);
        assert_eq!(
            extract(HostKind::Yaml, &out.text).regions[0].text,
            weird,
            "{}",
            out.text
        );
    }
    let out = rewrite(
        HostKind::Yaml,
        host,
        &e,
        &[(0, "FIND a\nTHAT HAS b".into())],
    );
    assert_eq!(out.text, host);
    assert_eq!(out.left.len(), 1);
}

#[test]
fn json_strings() {
    let host = r#"{"rules": [{"name": "q", "queries": [{"name": "query0", "query": "find User\nthat has \"x\"", "version": "v1"}]}], "query": 5}"#;
    let e = extract(HostKind::Json, host);
    assert_eq!(e.regions.len(), 1);
    assert_eq!(e.regions[0].text, "find User\nthat has \"x\"");
    assert_eq!(host_at(host, &e.regions[0], "that"), "that");
    assert_eq!(host_at(host, &e.regions[0], "\""), "\\\"");
    assert_eq!(e.unmapped.len(), 1, "the numeric query is reported");
    let out = rewrite(
        HostKind::Json,
        host,
        &e,
        &[(0, "FIND User\n  THAT HAS \"x\"".into())],
    );
    assert!(out.left.is_empty());
    let v: serde_json::Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(
        v["rules"][0]["queries"][0]["query"],
        "FIND User\n  THAT HAS \"x\""
    );
    let bad = extract(HostKind::Json, "{\"query\": \"x\",}");
    assert!(bad.unmapped[0].reason.contains("not valid JSON"));
    assert!(extract(HostKind::Json, "{// comment\n}")
        .unmapped
        .is_empty());
}

#[test]
fn markdown_fences() {
    let host = "# Title\r\n\r\n```j1ql\r\nfind User\r\n```\r\n\r\n```sql\r\nselect 1\r\n```\r\n\r\n- item\r\n  ```J1QL\r\n  find Host\r\n  ```\r\n";
    let e = extract(HostKind::Markdown, host);
    assert_eq!(
        texts(HostKind::Markdown, host),
        ["find User\n", "find Host\n"]
    );
    assert!(e.unmapped.is_empty(), "{e:?}");
    let out = rewrite(
        HostKind::Markdown,
        host,
        &e,
        &[(0, "FIND User\n".into()), (1, "FIND Host\n".into())],
    );
    assert!(out.left.is_empty(), "{:?}", out.left);
    assert_eq!(out.text, host.replace("find", "FIND"), "CRLF is kept");
    let quoted = "> ```j1ql\n> find User\n> ```\n";
    assert_eq!(extract(HostKind::Markdown, quoted).unmapped.len(), 1);
}

const TERRAFORM: &str = r#"# questions
resource "jupiterone_question" "users" {
  title = "Users"
  query {
    name  = "q0"
    query = "FIND User WITH region = '${var.region}' AND x = \"y\""
  }
  query {
    query = <<-EOF
      FIND Host
        THAT HAS Device
    EOF
  }
}

resource "aws_s3_bucket" "b" {
  query = "not J1QL"
}

resource "jupiterone_rule" "r" {
  question {
    queries {
      query = <<EOF
FIND Finding WITH severity = 'high'
EOF
    }
  }
  operations = jsonencode([{ "query": "FIND Alert" }])
  other = { query = var.q }
}
"#;

#[test]
fn terraform_queries() {
    let e = extract(HostKind::Terraform, TERRAFORM);
    let t: Vec<&str> = e.regions.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        t,
        [
            "FIND User WITH region = '${var.region}' AND x = \"y\"",
            "FIND Host\n  THAT HAS Device\n",
            "FIND Finding WITH severity = 'high'\n",
            "FIND Alert",
        ]
    );
    assert_eq!(e.unmapped.len(), 1, "`query = var.q` is reported: {e:?}");
    assert_eq!(e.regions[0].placeholders.len(), 1);
    assert_eq!(host_at(TERRAFORM, &e.regions[0], "\"y"), "\\\"y");
    assert_eq!(host_at(TERRAFORM, &e.regions[1], "THAT"), "THAT");
    let out = rewrite(
        HostKind::Terraform,
        TERRAFORM,
        &e,
        &[
            (1, "FIND Host\n  THAT HAS Laptop\n".into()),
            (0, "FIND User".into()),
        ],
    );
    assert!(out.left.is_empty(), "{:?}", out.left);
    assert!(out
        .text
        .contains("    query = <<-EOF\n      FIND Host\n        THAT HAS Laptop\n    EOF\n"));
    assert!(hcl::parse(&out.text).is_ok());
}

#[test]
fn crlf_j1ql_files_stay_crlf() {
    let host = "find User\r\nthat is Person\r\n";
    let e = extract(HostKind::J1ql, host);
    let out = rewrite(
        HostKind::J1ql,
        host,
        &e,
        &[(0, "FIND User\nTHAT IS Person\n".into())],
    );
    assert_eq!(out.text, "FIND User\r\nTHAT IS Person\r\n");
}

#[test]
fn yaml_empty_blocks() {
    for host in [
        "q:\n  - query: |-\n",
        "q:\n  - query: |-\n  - b: 1\n",
        "query: >\n\nx: 1\n",
    ] {
        let e = extract(HostKind::Yaml, host);
        assert_eq!(e.regions.len(), 1, "{host:?}: {e:?}");
        assert_eq!(e.regions[0].text, "", "{host:?}");
        let out = rewrite(HostKind::Yaml, host, &e, &[(0, "FIND x".into())]);
        assert!(out.left.is_empty(), "{host:?}: {:?}", out.left);
        assert_eq!(
            extract(HostKind::Yaml, &out.text).regions[0].text,
            "FIND x",
            "{}",
            out.text
        );
    }
}

/// Found by the `host_roundtrip` fuzz target (session 8): YAML takes a lone carriage return as a
/// line break, the block-scalar decoder splits lines at `\n` only, so a block header followed by
/// a lone `\r` put the header's line end past the scalar's end and sliced backwards; and the
/// header search cut one byte after a multi-byte whitespace character (U+2028) on that line.
#[test]
fn yaml_block_scalar_after_a_lone_carriage_return_is_unmapped_not_a_panic() {
    let crash = include_str!("../tests/data/fuzz-yaml-lone-cr");
    for host in [
        crash,
        include_str!("../tests/data/fuzz-yaml-header-separator"),
        "query: |\r |\r\nx: 1\n",
        "q:\n  - query: |\r  FIND x\r\n",
    ] {
        let e = extract(HostKind::Yaml, host);
        // The block is reported (its query is not checked), never mapped wrongly.
        assert!(e.regions.is_empty(), "{host:?}: {e:?}");
        assert!(
            e.unmapped
                .iter()
                .any(|u| u.reason.contains("cannot be mapped")),
            "{host:?}: {e:?}"
        );
    }
}

/// Found by the `host_roundtrip` fuzz target: a multi-byte character outside any string made the
/// Terraform scanner slice inside it.
#[test]
fn terraform_scanner_steps_over_multi_byte_characters() {
    for host in [
        "é query = \"x\"",
        "resource \"jupiterone_rule\" \"r\" { ü = 1\n query = \"FIND é\" }",
        "\u{2028}//x\n",
    ] {
        let e = extract(HostKind::Terraform, host);
        assert!(e.regions.len() <= 1, "{host:?}");
    }
    let crash = include_bytes!("../tests/data/fuzz-terraform-multibyte");
    for kind in [
        HostKind::Yaml,
        HostKind::Json,
        HostKind::Markdown,
        HostKind::Terraform,
    ] {
        let text = String::from_utf8_lossy(crash);
        let _ = extract(kind, &text);
    }
}

#[test]
fn the_work_budget_is_resolved_flag_then_environment_then_file() {
    use crate::resolve_budget;
    use j1ql_eval::DEFAULT_MAX_WORK;
    assert_eq!(resolve_budget(None, None), Ok(DEFAULT_MAX_WORK));
    assert_eq!(resolve_budget(Some(5), None), Ok(5));
    assert_eq!(resolve_budget(Some(5), Some("7")), Ok(7));
    assert_eq!(resolve_budget(Some(5), Some(" 1_000 ")), Ok(1_000));
    assert_eq!(resolve_budget(Some(5), Some("")), Ok(5));
    for bad in ["lots", "0", "-3", "1e9"] {
        let e = resolve_budget(None, Some(bad)).unwrap_err();
        assert!(e.contains("J1QL_BUDGET"), "{e}");
    }
    let config = j1ql_config::Config::from_toml("[run]\nbudget = 1234\n").unwrap();
    let project = crate::Project::from_config(".".into(), None, config, "test".into()).unwrap();
    if std::env::var_os(j1ql_eval::MAX_WORK_ENV).is_none() {
        assert_eq!(project.eval_options().budget.max_work, 1234);
    }
    let project = project.with_budget(Some(99));
    assert_eq!(project.budget(), 99);
    assert_eq!(project.eval_options().budget.max_work, 99);
    assert_eq!(project.with_budget(None).budget(), 99);
}
