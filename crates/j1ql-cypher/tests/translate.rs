//! The translator's output for the core constructs (snapshots), and its refusals.

use j1ql_cypher::translate;
use j1ql_semantics::{analyze, Context};

fn cypher(query: &str) -> Result<String, String> {
    let analysis = analyze(query, &Context::builtin());
    assert!(!analysis.has_errors(), "{query}: the query has errors");
    translate(&analysis.queries[0].ir)
        .map(|t| t.cypher)
        .map_err(|r| r.to_string())
}

#[test]
fn traversal_with_negation_aliases_and_where() {
    insta::assert_snapshot!(cypher(
        "FIND User AS u WITH active = true THAT !IS Person THAT OWNS >> Device AS d \
         WHERE u.email = 'a@b' AND d.platform != ('linux' OR 'windows') RETURN u.email, d"
    )
    .unwrap());
}

#[test]
fn list_of_starting_entities_with_skip_and_limit() {
    insta::assert_snapshot!(cypher(
        "FIND (User|aws_iam_user) THAT (HAS|OWNS) << * WITH tag.Production = undefined SKIP 2 LIMIT 5"
    )
    .unwrap());
}

#[test]
fn count_of_distinct_entities() {
    insta::assert_snapshot!(cypher(
        "FIND User AS u THAT HAS Device AS d RETURN u.department, count(d)"
    )
    .unwrap());
}

#[test]
fn constructs_without_an_exact_counterpart_are_refused() {
    for (query, construct) in [
        ("FIND User WITH age > 3", "`>` comparison"),
        ("FIND User WITH age = 34", "`=` with a whole number or date"),
        ("FIND User (THAT IS Person)?", "optional traversal"),
        ("FIND User RETURN TREE", "RETURN TREE"),
        ("FIND User WITH name ~= /a.*/", "regular expression"),
        ("FIND User AS u ORDER BY u.name", "ORDER BY"),
        (
            "FIND User THAT !IS Person AS p WHERE p.name = 'x'",
            "an alias that binds nothing (`p`)",
        ),
    ] {
        let message = cypher(query).expect_err(query);
        assert!(
            message.starts_with(&format!("cannot translate {construct}")),
            "{query}: {message}"
        );
    }
}

#[test]
fn a_fractional_number_and_a_date_string_are_exact() {
    let text = cypher("FIND User WITH score = 1.5 AND createdOn = '2024-12-20'").unwrap();
    assert!(text.contains("x = 1.5"), "{text}");
    assert!(
        text.contains("(x = '2024-12-20' OR x = 1734652800000)"),
        "a date string also equals its epoch milliseconds: {text}"
    );
}

#[test]
fn smart_classes_expand_to_their_definitions() {
    let text = cypher("FIND #Production").unwrap();
    assert!(
        text.contains("n0.`tags`") && text.contains("x = 'Production'"),
        "{text}"
    );
    let text = cypher("FIND #CriticalAsset").unwrap();
    assert!(
        text.contains("n0.`tag.Production`") && text.contains("x = 'CriticalAsset'"),
        "{text}"
    );
}
