//! Property tests: the parser is total (never panics), lossless, deterministic, reports errors
//! with in-bounds, char-aligned, sorted ranges, and bounds its recursion.
//!
//! Three input generators: token soup over every J1QL token kind, random edits of real
//! queries, and arbitrary strings.

use j1ql_syntax::{parse, ErrorCode, MAX_NESTING};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};

/// `cases` cases, with the fast XorShift generator (ChaCha dominates the run time in debug).
fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    }
}

/// Checks every invariant of a parse of `input`.
fn check(input: &str) {
    let parse = parse(input);
    let root = parse.syntax_node();
    assert_eq!(root.to_string(), input, "the tree is not lossless");
    assert_eq!(
        usize::from(root.text_range().end()),
        input.len(),
        "the root does not span the input"
    );
    let mut previous = None;
    for error in parse.errors() {
        let (start, end) = (
            usize::from(error.range.start()),
            usize::from(error.range.end()),
        );
        assert!(
            end <= input.len(),
            "error {error} ends past the input ({} bytes)",
            input.len()
        );
        assert!(
            input.is_char_boundary(start) && input.is_char_boundary(end),
            "error {error} is not on char boundaries"
        );
        assert!(!error.message.is_empty(), "error {error} has no message");
        let key = (error.range.start(), error.range.end());
        if let Some(previous) = previous {
            assert!(
                previous <= key,
                "errors are not sorted: {:?}",
                parse.errors()
            );
        }
        previous = Some(key);
    }
    let again = j1ql_syntax::parse(input);
    assert_eq!(again.green(), parse.green(), "re-parsing gave another tree");
    assert_eq!(
        again.errors(),
        parse.errors(),
        "re-parsing gave other errors"
    );
}

// ---- (a) token soup ----

use j1ql_syntax::KEYWORDS;

const OPERATORS: &[&str] = &[
    "=", "!=", ">", "<", ">=", "<=", "~=", "^=", "$=", "!~=", "!^=", "!$=", "<<", ">>", "!", "|",
    "(", ")", ")?", "?", ",", ";", ".", "*", "+", "-", "/", "^", "==", "<>", "[", "]", "{", "}",
    "$", "#", "'", "\"", "\\",
];

const FIXED: &[&str] = &[
    "#Smart",
    "#CriticalAsset",
    "${ x }",
    "${ param.name }",
    "${unclosed",
    "{{y}}",
    "{{unclosed",
    "/re/i",
    "/run./",
    "/unclosed",
    "date(2020-01-01)",
    "date(2019-10-30T10:00:00Z)",
    "date(",
    "date.now",
    "date.now - 7 days",
    "// line comment",
    "/* block */",
    "/* unterminated",
    "*/",
    "[tag.Name]",
    "[unclosed",
    "RELATES TO",
    "count(",
    "\u{201c}curly\u{201d}",
];

fn keyword() -> impl Strategy<Value = String> {
    (prop::sample::select(&KEYWORDS[..]), any::<u32>()).prop_map(|(kw, mask)| {
        kw.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask >> (i % 32) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    })
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => keyword(),
        4 => "[A-Za-z_][A-Za-z0-9_]{0,8}",
        2 => "[a-z_]{1,6}(\\.[a-zA-Z_*][a-zA-Z0-9_]{0,5}){1,3}",
        2 => "'([^'\\\\\n]|\\\\.){0,8}'?",
        2 => "\"([^\"\\\\\n]|\\\\.){0,8}\"?",
        2 => "[0-9]{1,4}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
        6 => prop::sample::select(OPERATORS).prop_map(str::to_string),
        3 => prop::sample::select(FIXED).prop_map(str::to_string),
        4 => "[ \t]{1,3}",
        2 => "\r?\n",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec((token(), prop::bool::weighted(0.6)), 0..60).prop_map(|tokens| {
        let mut out = String::new();
        for (t, space) in tokens {
            out.push_str(&t);
            if space {
                out.push(' ');
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn token_soup(input in soup()) {
        check(&input);
    }
}

// ---- (b) random edits of valid queries ----

/// Real queries, copied from the corpus (`$J1QL_CORPUS/queries.jsonl`) so that this test runs
/// without it.
const VALID: &[&str] = &[
    r#"FIND aws_iam_user (THAT RELATES TO aws_iam_role)? THAT ASSIGNED aws_iam_policy THAT RELATES TO as rel (aws_ecs|aws_ecs_task) WHERE rel.actions ~= ('ecs:*' or 'ecs:RunTask' or 'ecs:Run*' or 'ecs:CreateService' or 'ecs:UpdateService')"#,
    r#"FIND azure_subscription THAT !PERFORMED Assessment WITH displayName ~= /application control/i"#,
    r#"find aws_ecs_task with active=true and createdOn < date.now-24hours that !DEFINES aws_ecs_task_definition"#,
    r#"FIND unique "{{macAddress-or-hostname-or-email-or-ipAddress}}" with _class='Device'
that has (Finding|Problem) as f
return 
  f._type, 
  f.displayName, 
  f.description, 
  f.severity, 
  f.numericSeverity,
  f.status,
  f.createdOn,
  f.updatedOn,
  f.webLink"#,
    r#"find google_sql_postgres_instance with logMinMessages != (/*'debug5' or 'debug4' or 'debug3' or 'debug2' or 'debug1' or 'info' or 'notice' or */ 'warning' or 'error' or 'log' or 'fatal' or 'panic')"#,
    r#"FIND aws_ebs_volume with size!=undefined as b 
  return b.tag.AccountName as Account, 
    SUM(b.size) as TotalSize, 
    AVG(b.size) as AverageSize, 
    MAX(b.size) as LargestVolume,
    COUNT(b) as TotalVolume ORDER BY AverageSize DESC"#,
    r#"find Vendor as v that allows AccessKey that assigned User as u return v.name as name, count(u) as value ORDER by value DESC LIMIT 20"#,
    r#"find aws_ebs_snapshot as i
return i.displayName as snapshotName, i.owner as owner, i.volumeSizeas as snapshotVolumeSize, i.createdOn as createdOn, i.volumeSize * 0.05 as monthlyCostUSD
order by monthlyCostUSD DESC"#,
    r#"FIND User
  (THAT HAS aws_iam_group)?
  (THAT ASSIGNED aws_iam_role)?
  (THAT TRUSTS << aws_iam_role)?
  THAT ASSIGNED AccessPolicy
  THAT ALLOWS as perm aws_iam
WHERE perm.normalizedActions ~= ('iam:attachuserpolicy' OR 'iam:*')"#,
    r#"Find UNIQUE #CriticalAsset as CriticalAsset
(that RELATES TO *)?
that RELATES TO * as AttackSurface
that (ALLOWS|CONNECTS) (Internet|Everyone)
RETURN 
  CriticalAsset._type as name, count(AttackSurface) as value"#,
    r#"FIND Internet THAT RELATES TO aws_security_group AS sg THAT RELATES TO aws_instance AS i THAT HAS >> aws_instance_inventory WITH applicationInventory ~= ('xz-utils_5.6.0' OR 'xz-utils_5.6.1') RETURN i.displayName AS 'EC2', sg.displayName AS 'Security Group'"#,
    r#"FIND HostAgent WITH function = 'anti-malware' THAT !(PROTECTS | MANAGES | ASSIGNED | MONITORS) (Device | Host)"#,
    r#"FIND azure_devops_alert_finding 
 THAT RELATES TO azure_devops_repo 
 RETURN azure_devops_repo, Count(azure_devops_alert_finding)
"#,
    r#"Find unique Training as t 
that assigned as enrollment User as u 
where enrollment.completedOn = undefined 
return t.displayName as name, count(u) as value"#,
    r#"FIND (Backup | Disk | aws_eip) AS a
THAT !RELATES TO *
 RETURN COUNT(a) as '# of Resources', a._type as 'AWS Resource Type'"#,
    r#"Find Finding with severity!=('low' OR 'informational' OR 'none')
that has CodeRepo 
that (Defines|Deployed) (Function|Host|Container) with tag.Production=true
return TREE"#,
    r#"FIND (Host|Device) AS x 
(THAT (PROTECTS | MANAGES) HostAgent)? 
THAT HAS Finding WITH [j1_severity] = 'high' 
RETURN 
count(x) AS value"#,
    r#"Find DataStore with (classification!='public' or classification=undefined) as ds
  that ALLOWS everyone
return ds._type, ds.name, ds.tag.AccountName, ds.encrypted, ds.createdOn, ds.webLink"#,
    r#"find google_compute_project as project
  that HAS google_compute_instance as instance
 where
  project.isOSLoginEnabled=false or
  (project.isOSLoginEnabled=true and instance.isOSLoginEnabled=false)
"#,
    r#"FIND (Host|Device)
  THAT (OWNS|MANAGES|HAS|USES) Person
    THAT IS User
      WITH (active = false OR lastLoginOn < date.now - 30 day)
        AND _integrationClass=("SSO" or "IdP") "#,
    r#"FIND * WITH _integrationType = 'aws' THAT USES Configuration WITH parameter.ssl != 1 OR parameter.rds.force_ssl != 1"#,
    r#"FIND UnifiedVulnerability WITH jupiteroneVulnScore >= 0.6 AS u THAT IS Vulnerability AS v RETURN COUNT(v) AS instanceCount, u HAVING instanceCount > 50"#,
    r#"Find DataStore with createdOn > date(2019-10-30)"#,
    r#"FIND Application WITH loginUrl = ${ param.longURL }"#,
    r#"FIND User AS u
  ORDER BY u.username
  SKIP 10
  LIMIT 5"#,
    r#"'Charlie' that OPENED PR with _createdOn > date.now - 5days as PR
  return PR.displayName, PR.name, PR.webLink"#,
    r#"FIND Risk as r RETURN r.probability ^ 2"#,
    r#"FIND jupiterone_rule WITH [tag.CIS2.0]=true AS rules (THAT REPORTED jupiterone_rule_alert AS alerts)? RETURN (1-count(alerts)/count(rules))*100 AS value"#,
    r#"FIND (aws_s3_bucket |aws_dynamodb_table) as store RETURN store._type, store.displayName, concat(coalesce(store.backupSizeBytes, store.bucketSizeBytes, 0)/1000, 'mb') as size"#,
    r#"FIND Firewall AS src
  THAT allows AS r
  Network with public!=true AS dst
RETURN
  concat(src.tag.AccountName, ' | ', src.displayName) AS x,
  concat(dst.tag.AccountName, ' | ', dst.displayName) AS y,
  r.egress AS egress,
  r.ingress AS ingress,
  r.fromPort as fromPort,
  r.toPort as toPort,
  r.ipProtocol AS protocol"#,
    r#"// Count unencrypted data stores by type

Find DataStore with encrypted=false as ds
  return ds._type, count(ds) as value"#,
];

#[test]
fn samples_are_valid() {
    for q in VALID {
        let parse = parse(q);
        assert!(parse.errors().is_empty(), "{q}\n{:?}", parse.errors());
        check(q);
    }
}

#[derive(Debug, Clone)]
enum Edit {
    /// Insert a string at a position (a fraction of the length, snapped to a char boundary).
    Insert(f64, String),
    /// Delete a range of bytes (snapped to char boundaries).
    Delete(f64, f64),
    /// Replace a range with a string.
    Replace(f64, f64, String),
    /// Duplicate a range at another position.
    Duplicate(f64, f64, f64),
}

fn snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        token(),
        any::<char>().prop_map(String::from),
        prop::sample::select(VALID).prop_map(|q| q.chars().take(20).collect()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let frac = 0.0..=1.0f64;
    prop_oneof![
        (frac.clone(), snippet()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (frac.clone(), 0.0..0.3f64).prop_map(|(at, len)| Edit::Delete(at, len)),
        (frac.clone(), 0.0..0.1f64, snippet()).prop_map(|(at, len, s)| Edit::Replace(at, len, s)),
        (frac.clone(), 0.0..0.2f64, frac).prop_map(|(at, len, to)| Edit::Duplicate(at, len, to)),
    ]
}

/// The char boundary at or before `fraction` of the text.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut i = ((text.len() as f64) * fraction.clamp(0.0, 1.0)) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Insert(at, s) => {
            let at = boundary(text, *at);
            text.insert_str(at, s);
        }
        Edit::Delete(at, len) => {
            let start = boundary(text, *at);
            let end = boundary(text, at + len).max(start);
            text.replace_range(start..end, "");
        }
        Edit::Replace(at, len, s) => {
            let start = boundary(text, *at);
            let end = boundary(text, at + len).max(start);
            text.replace_range(start..end, s);
        }
        Edit::Duplicate(at, len, to) => {
            let start = boundary(text, *at);
            let end = boundary(text, at + len).max(start);
            let piece = text[start..end].to_string();
            let to = boundary(text, *to);
            text.insert_str(to, &piece);
        }
    }
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn edited_queries(
        base in prop::collection::vec(prop::sample::select(VALID), 1..3),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let mut text = base.join("\n");
        for edit in &edits {
            apply(&mut text, edit);
        }
        check(&text);
    }
}

// ---- (c) arbitrary strings ----

proptest! {
    #![proptest_config(config(1_000))]

    #[test]
    fn arbitrary_strings(input in any::<String>()) {
        check(&input);
    }

    #[test]
    fn printable_strings(input in "\\PC*") {
        check(&input);
    }

    #[test]
    fn ascii_strings(input in "[ -~\t\n]{0,200}") {
        check(&input);
    }
}

// ---- bounded recursion ----

const DEEP: usize = 100_000;

/// Parses `input` on a thread with a 256 KiB stack: deep input must not overflow it.
fn parse_on_small_stack(input: String) -> Vec<ErrorCode> {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let parse = parse(&input);
            assert_eq!(parse.syntax_node().to_string().len(), input.len());
            let codes = parse.errors().iter().map(|e| e.code).collect();
            drop(parse);
            codes
        })
        .expect("spawn")
        .join()
        .expect("the parser overflowed a 256 KiB stack or panicked")
}

fn assert_too_deep(input: String) {
    let codes = parse_on_small_stack(input);
    assert!(
        codes.contains(&ErrorCode::NestingTooDeep),
        "expected P011, got {codes:?}"
    );
}

fn nested(prefix: &str, open: &str, middle: &str, close: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + DEEP * (open.len() + close.len()) + 64);
    s.push_str(prefix);
    for _ in 0..DEEP {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..DEEP {
        s.push_str(close);
    }
    s.push_str(suffix);
    s
}

#[test]
fn deep_with_filter() {
    assert_too_deep(nested(
        "FIND User WITH ",
        "(",
        "active = true",
        ")",
        " THAT IS Person",
    ));
    assert_too_deep(nested("FIND User WITH ", "(", "active = true", "", ""));
}

#[test]
fn deep_return_math() {
    assert_too_deep(nested(
        "FIND User AS u RETURN ",
        "(",
        "u.x + 1",
        ")",
        " AS y",
    ));
    assert_too_deep(nested("FIND User AS u RETURN ", "-(", "u.x", ")", ""));
    assert_too_deep(nested("FIND User AS u RETURN ", "count(", "u", ")", ""));
    assert_too_deep(nested("FIND User AS u RETURN ", "(", "", "", ""));
}

#[test]
fn deep_value_group() {
    assert_too_deep(nested("FIND User WITH name = ", "(", "'a'", ")", ""));
    assert_too_deep(nested("FIND User WITH name = ", "('a' OR ", "'b'", ")", ""));
}

#[test]
fn deep_optional_traversals() {
    assert_too_deep(nested(
        "FIND User ",
        "(THAT HAS Device ",
        "",
        ")?",
        " RETURN User",
    ));
    assert_too_deep(nested("FIND User ", "(THAT HAS Device ", "", "", ""));
}

#[test]
fn nesting_at_the_limit_is_fine() {
    let depth = MAX_NESTING as usize;
    let filter = format!(
        "FIND User WITH {}a = 1{}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(
        parse(&filter).errors().is_empty(),
        "{:?}",
        parse(&filter).errors()
    );
    let deeper = format!(
        "FIND User WITH {}a = 1{}",
        "(".repeat(depth + 1),
        ")".repeat(depth + 1)
    );
    let codes: Vec<_> = parse(&deeper).errors().iter().map(|e| e.code).collect();
    assert_eq!(codes, vec![ErrorCode::NestingTooDeep]);
}

#[test]
fn deep_garbage_outside_queries() {
    // Parentheses where no query is: skipped iteratively, no nesting error needed.
    parse_on_small_stack("(".repeat(DEEP));
    parse_on_small_stack(")".repeat(DEEP));
    parse_on_small_stack("FIND A THAT ".to_string() + &"(".repeat(DEEP));
}

// ---- regressions found by fuzzing and the properties above ----

#[test]
fn regressions() {
    for input in REGRESSIONS {
        check(input);
    }
}

const REGRESSIONS: &[&str] = &[
    "",
    "(",
    ")?",
    "'",
    "\"\\",
    "/*",
    "FIND x WITH a = /",
    "FIND x WITH a ~= /é\\",
    "\u{201c}\u{201c}",
];

// ---- (d) documents parsed in parts on several threads ----

/// Parsing `text` in 2, 3 and 8 parts gives the single-threaded tree and errors whenever the
/// parts pass their checks; returns how many of the three were cut.
fn check_in_parts(text: &str) -> usize {
    let single = j1ql_syntax::parse_single_threaded(text);
    let mut cut = 0;
    for parts in [2, 3, 8] {
        if let Some(parallel) = j1ql_syntax::parse_in_parts(text, parts) {
            assert_eq!(
                parallel.green(),
                single.green(),
                "trees differ in {parts} parts"
            );
            assert_eq!(
                parallel.errors(),
                single.errors(),
                "errors differ in {parts} parts"
            );
            assert_eq!(parallel.syntax_node().to_string(), text);
            cut += 1;
        }
    }
    cut
}

#[test]
fn the_valid_samples_parse_the_same_in_parts() {
    let text = VALID.join("\n");
    assert_eq!(
        check_in_parts(&text),
        3,
        "the samples were not cut every time"
    );
}

proptest! {
    #![proptest_config(config(1_000))]

    /// Small documents of edited real queries, cut into parts whatever their size: cuts fall
    /// next to broken queries, unterminated strings, comments and stray parentheses.
    #[test]
    fn edited_documents_parse_the_same_in_parts(
        base in prop::collection::vec(prop::sample::select(VALID), 2..8),
        edits in prop::collection::vec(edit(), 0..6),
    ) {
        let mut text = base.join("\n");
        for edit in &edits {
            apply(&mut text, edit);
        }
        check_in_parts(&text);
    }
}

/// Repeats `block` (joined with newlines) until the document is large enough to be parsed in
/// parts (64 KiB and more).
fn large_document(block: &str) -> String {
    let mut text = String::with_capacity(80 * 1024);
    while text.len() < 72 * 1024 {
        text.push_str(block);
        text.push('\n');
    }
    text
}

proptest! {
    #![proptest_config(config(48))]

    /// A large document parses to the same tree and errors in parts as on one thread, whatever
    /// its queries and errors (edited real queries, so cuts fall next to broken ones).
    #[test]
    fn large_documents_parse_the_same_in_parts(
        base in prop::collection::vec(prop::sample::select(VALID), 8..40),
        edits in prop::collection::vec(edit(), 0..12),
    ) {
        let mut block = base.join("\n");
        for edit in &edits {
            apply(&mut block, edit);
        }
        let text = large_document(&block);
        let parallel = parse(&text);
        let single = j1ql_syntax::parse_single_threaded(&text);
        prop_assert_eq!(parallel.green(), single.green());
        prop_assert_eq!(parallel.errors(), single.errors());
        prop_assert_eq!(parallel.syntax_node().to_string(), text);
    }
}
