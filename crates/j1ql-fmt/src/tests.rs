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
fn range_formatting_skips_only_the_queries_with_syntax_errors() {
    let text = "find a\nfind b with (x = 1\nfind   c   that has d\n";
    let all = TextRange::new(0.into(), (text.len() as u32).into());
    let edits = format_range(text, all, &FormatOptions::default()).unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "FIND a\nfind b with (x = 1\nFIND c THAT HAS d\n"
    );
    // Only the broken query in range: its syntax errors.
    let inside = text.find("with (").unwrap() as u32;
    match format_range(
        text,
        TextRange::empty(inside.into()),
        &FormatOptions::default(),
    ) {
        Err(FormatError::Syntax(errors)) => assert!(!errors.is_empty()),
        other => panic!("expected the query's syntax errors, got {other:?}"),
    }
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

#[test]
fn value_keywords_in_property_paths_keep_their_case() {
    // `tag.True` is a property name; lowering it would compare another property.
    assert_eq!(
        fmt("find User with tag.True = 1 and tag.False=TRUE and x.Undefined = Undefined"),
        "FIND User WITH tag.True = 1 AND tag.False = true AND x.Undefined = undefined\n"
    );
}

#[test]
fn unnamed_columns_keep_their_text() {
    // An unnamed column is named by its expression as written: `u.a+u.b` and `u.a + u.b`
    // are different column names, so the formatter leaves the expression alone.
    assert_eq!(
        fmt("FIND User as u return u.a+u.b, TRUE,u.c  *  2 as Doubled"),
        "FIND User AS u\nRETURN u.a+u.b, TRUE, u.c * 2 AS Doubled\n"
    );
}

#[test]
fn the_check_compares_what_queries_mean() {
    let before = j1ql_syntax::parse("FIND User WITH tag.True = 1 RETURN User.name");
    let before = before.syntax_node();
    // Same tree shape and tokens up to the case of `true`: the token comparison alone
    // accepted this; the meanings differ.
    assert!(matches!(
        verify(&before, "FIND User WITH tag.true = 1 RETURN User.name"),
        Err(FormatError::Unstable(_))
    ));
    let after = j1ql_syntax::parse("FIND User WITH tag.true = 1 RETURN User.name");
    assert_ne!(
        query_meanings(&before),
        query_meanings(&after.syntax_node())
    );
    assert_eq!(
        verify(&before, "find User with tag.True = 1 return User.name"),
        Ok(())
    );
}

#[test]
fn verbs_used_as_aliases_keep_their_case() {
    // `that has` defines the implicit alias `has`; upper-casing the verb would leave
    // `has.since` undefined.
    assert_eq!(
        fmt("find User that has Device where has.since > 1"),
        "FIND User THAT has Device WHERE has.since > 1\n"
    );
    assert_eq!(
        fmt("find User that has Device"),
        "FIND User THAT HAS Device\n"
    );
}

#[test]
fn comments_inside_unnamed_columns_keep_the_name() {
    let text = "FIND azure_devops_pr THAT RELATES TO azure_devops_repo\nRETURN azure_devops_repo, Count( // c\nazure_devops_pr)\n";
    let out = fmt(text);
    assert!(out.contains("Count( // c\n"), "{out}");
    assert!(out.contains("azure_devops_pr)\n"), "{out}");
    assert_eq!(fmt(&out), out);
}

#[test]
fn a_byte_order_mark_stays_at_the_start() {
    let out = format("\u{feff}find user", &FormatOptions::default()).unwrap();
    assert_eq!(out, "\u{feff}FIND user\n");
    assert_eq!(format(&out, &FormatOptions::default()).unwrap(), out);
}

/// Found by the `format` fuzz target (session 8): a wide value group put a comment that followed
/// its `(` on a line of its own; read again, that comment counted as written on its own line,
/// which changed the layout (the values were no longer one per line).
#[test]
fn comments_at_the_edges_of_wide_value_groups_format_to_themselves() {
    let crash = "find google_sql_postgres_instance with logMinMessages = (/*'debug5' or 'debug4' or 'debug3' or 'or 'notice' or */ 'warning' or 'error' or 'log' or 'fatal' or 'panic')";
    let values: Vec<String> = (0..8).map(|i| format!("'value-number-{i}'")).collect();
    let wide = values.join(" or ");
    for text in [
        crash.to_string(),
        format!("FIND Host WITH name = (/* c */ {wide})"),
        format!("FIND Host WITH name = ({wide} /* c */)"),
        format!("FIND Host WITH name = ('x' /* c */ or {wide})"),
        format!("FIND Host WITH name = ('x' or /* c */ {wide})"),
    ] {
        let once = fmt(&text);
        assert!(once.contains("\n  OR "), "not wide: {once}");
        assert_eq!(fmt(&once), once, "from {text}");
    }
}
