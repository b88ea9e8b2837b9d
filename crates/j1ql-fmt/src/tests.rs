use super::*;

fn fmt(text: &str) -> String {
    format(text, &FormatOptions::default()).unwrap()
}

#[test]
fn short_query_stays_on_one_line() {
    assert_eq!(
        fmt("find  user with active=true that is Person"),
        "FIND User WITH active = true THAT IS Person\n".replace("User", "user")
    );
}

#[test]
fn return_goes_on_its_own_line() {
    assert_eq!(
        fmt("FIND User as u return u.name,u.email"),
        "FIND User AS u\nRETURN u.name, u.email\n"
    );
}

#[test]
fn traversals_indent() {
    assert_eq!(
        fmt("Find (User|UserGroup) (that assigned AccessRole)? that assigned AccessPolicy that allows as permission * where permission.admin=true return TREE"),
        "FIND (User|UserGroup)\n  (THAT ASSIGNED AccessRole)?\n  THAT ASSIGNED AccessPolicy\n  THAT ALLOWS AS permission *\nWHERE permission.admin = true\nRETURN TREE\n"
    );
}

#[test]
fn keywords_used_as_properties_keep_their_case() {
    assert_eq!(
        fmt("find Host with limit = 5 and order = \"asc\" as h"),
        "FIND Host WITH limit = 5 AND order = 'asc' AS h\n"
    );
}

#[test]
fn comments_are_kept() {
    let text = "/* header */\nFIND Host WITH platform = (\n  'darwin' // macOS\n  OR /* and */ 'linux'\n  // OR 'windows'\n)\n// between\n\n\nFIND User // trailing\n";
    let out = fmt(text);
    assert_eq!(
        comments(&j1ql_syntax::parse(&out).syntax_node()).len(),
        6,
        "{out}"
    );
    assert!(
        out.contains("= (\n  'darwin' // macOS\n  OR /* and */ 'linux'\n  // OR 'windows'\n)\n"),
        "{out}"
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn long_filters_break_before_operators() {
    let long = format!(
        "FIND aws_instance WITH {} ",
        (0..12)
            .map(|i| format!("property{i} = 'value{i}'"))
            .collect::<Vec<_>>()
            .join(" AND ")
    );
    let out = fmt(&long);
    assert!(out.lines().all(|l| l.len() <= 120), "{out}");
    assert!(out.contains("\n  AND property1 = 'value1'"), "{out}");
    assert_eq!(fmt(&out), out);
}

#[test]
fn long_return_puts_one_column_per_line() {
    let long = format!(
        "FIND User AS u RETURN {}",
        (0..12)
            .map(|i| format!("u.property{i} AS \"Column number {i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let out = fmt(&long);
    assert!(
        out.starts_with("FIND User AS u\nRETURN\n  u.property0 AS \"Column number 0\",\n"),
        "{out}"
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn syntax_errors_leave_the_text_alone() {
    assert!(matches!(
        format("FIND User WITH", &FormatOptions::default()),
        Err(FormatError::Syntax(_))
    ));
}

#[test]
fn several_queries() {
    assert_eq!(
        fmt("find A; find B\n\n\n\nfind C"),
        "FIND A;\nFIND B\n\nFIND C\n"
    );
}

#[test]
fn options() {
    let options = FormatOptions {
        keyword_case: KeywordCase::Lower,
        quote_style: QuoteStyle::Double,
        indent: 4,
        ..FormatOptions::default()
    };
    assert_eq!(
        format("FIND User WITH x='a' THAT HAS Device RETURN User", &options).unwrap(),
        "find User with x = \"a\"\n    that has Device\nreturn User\n"
    );
}

#[test]
fn compact_layout() {
    assert_eq!(
        format_compact(
            "find User as u\n  that has Device\n return u.name",
            &FormatOptions::default()
        )
        .unwrap(),
        "FIND User AS u THAT HAS Device RETURN u.name"
    );
}

#[test]
fn range_formatting_touches_only_the_queries_in_range() {
    let text = "find a\nfind   b   with x=1\nfind c\n";
    let start = text.find("find   b").unwrap() as u32;
    let edits = format_range(
        text,
        TextRange::new(start.into(), (start + 3).into()),
        &FormatOptions::default(),
    )
    .unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "find a\nFIND b WITH x = 1\nfind c\n"
    );
    // An empty range inside a query formats that query.
    let edits = format_range(text, TextRange::empty(2.into()), &FormatOptions::default()).unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "FIND a\nfind   b   with x=1\nfind c\n"
    );
    // A range between queries formats nothing... except queries it touches.
    let edits = format_range(
        text,
        TextRange::new(0.into(), (text.len() as u32).into()),
        &FormatOptions::default(),
    )
    .unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "FIND a\nFIND b WITH x = 1\nFIND c\n"
    );
}

#[test]
fn wide_value_groups_put_one_value_per_line() {
    let values: Vec<String> = (0..14).map(|i| format!("'extension-number-{i}'")).collect();
    let text = format!(
        "FIND azure_vm THAT !USES azure_vm_extension WITH displayName ^= ({}) AND active = true",
        values.join(" or ")
    );
    let out = fmt(&text);
    assert!(out.lines().all(|l| l.len() <= 120), "{out}");
    assert!(
        out.contains("^= (\n    'extension-number-0'\n    OR 'extension-number-1'\n"),
        "{out}"
    );
    assert!(out.contains("\n  )\n    AND active = true"), "{out}");
    assert_eq!(fmt(&out), out);
}
