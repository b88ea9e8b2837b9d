use super::*;
use crate::parse;

fn first_query(text: &str) -> Query {
    let parse = parse(text);
    parse.document().queries().next().expect("a query")
}

fn with_filter(q: &Query) -> Filter {
    q.entity()
        .unwrap()
        .with_clauses()
        .next()
        .unwrap()
        .filter()
        .unwrap()
}

#[test]
fn and_binds_tighter_than_or() {
    let q = first_query("FIND x WITH a = 1 OR b = 2 AND c = 3");
    let Filter::Binary(or) = with_filter(&q) else {
        panic!("expected a binary filter")
    };
    assert_eq!(or.op(), Some(LogicOp::Or));
    assert!(matches!(or.lhs(), Some(Filter::Comparison(_))));
    let Some(Filter::Binary(and)) = or.rhs() else {
        panic!("rhs should be the AND")
    };
    assert_eq!(and.op(), Some(LogicOp::And));
    assert_eq!(and.to_string(), "b = 2 AND c = 3");
}

#[test]
fn chains_nest_to_the_left() {
    let q = first_query("FIND x WITH a = 1 AND b = 2 AND c = 3");
    let Filter::Binary(outer) = with_filter(&q) else {
        panic!()
    };
    assert_eq!(outer.lhs().unwrap().syntax().to_string(), "a = 1 AND b = 2");
    assert_eq!(outer.rhs().unwrap().syntax().to_string(), "c = 3");
}

#[test]
fn parentheses_group() {
    let q = first_query("FIND x WITH (a = 1 OR b = 2) AND c = 3");
    let Filter::Binary(and) = with_filter(&q) else {
        panic!()
    };
    assert_eq!(and.op(), Some(LogicOp::And));
    let Some(Filter::Paren(paren)) = and.lhs() else {
        panic!()
    };
    assert!(matches!(paren.filter(), Some(Filter::Binary(_))));
}

#[test]
fn comparison_parts() {
    let q = first_query("FIND DataStore WITH tag.Production != ('a' OR \"b\")");
    let Filter::Comparison(c) = with_filter(&q) else {
        panic!()
    };
    assert_eq!(c.op(), Some(CompareOp::NotEq));
    assert_eq!(c.property().unwrap().key(), "tag.Production");
    let Some(Value::Group(group)) = c.right() else {
        panic!()
    };
    assert_eq!(group.op(), Some(LogicOp::Or));
    let values: Vec<String> = group
        .values()
        .map(|v| match v {
            Value::Literal(l) => l.string_value().unwrap(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(values, vec!["a", "b"]);
}

#[test]
fn value_first_comparison() {
    let q = first_query("FIND s WITH date.now - 7 days > lastSeenOn");
    let Filter::Comparison(c) = with_filter(&q) else {
        panic!()
    };
    let Some(Value::RelativeDate(d)) = c.left() else {
        panic!()
    };
    assert_eq!(d.amount(), Some(-7.0));
    assert_eq!(d.unit().unwrap().text(), "days");
    assert_eq!(c.property().unwrap().key(), "lastSeenOn");
}

#[test]
fn literals() {
    let cases = [
        ("'it\\'s'", LiteralKind::String),
        ("-5", LiteralKind::Number),
        ("true", LiteralKind::Boolean),
        ("undefined", LiteralKind::Undefined),
        ("date(2019-10-30)", LiteralKind::Date),
        ("/run./i", LiteralKind::Regex),
        ("${ param.loginUrl }", LiteralKind::Param),
        ("{{tenantId}}", LiteralKind::Template),
    ];
    for (text, kind) in cases {
        let q = first_query(&format!("FIND x WITH a = {text}"));
        let Filter::Comparison(c) = with_filter(&q) else {
            panic!()
        };
        let Some(Value::Literal(l)) = c.right() else {
            panic!("{text}")
        };
        assert_eq!(l.kind(), Some(kind), "{text}");
        match kind {
            LiteralKind::String => assert_eq!(l.string_value().unwrap(), "it's"),
            LiteralKind::Number => assert_eq!(l.integer(), Some(-5)),
            LiteralKind::Boolean => assert_eq!(l.bool_value(), Some(true)),
            LiteralKind::Date => assert_eq!(l.date_text().unwrap(), "2019-10-30"),
            LiteralKind::Regex => {
                assert_eq!(l.regex_parts().unwrap(), ("run.".into(), "i".into()))
            }
            LiteralKind::Param => assert_eq!(l.placeholder_name().unwrap(), "param.loginUrl"),
            LiteralKind::Template => assert_eq!(l.placeholder_name().unwrap(), "tenantId"),
            LiteralKind::Undefined => {}
        }
    }
}

#[test]
fn traversals_and_aliases() {
    let q = first_query(
        "FIND Firewall AS fw THAT !ALLOWS >> AS rule (Internet|Everyone) AS n \
         THAT RELATES TO aws_account",
    );
    let start = q.entity().unwrap();
    assert_eq!(start.alias().unwrap().text(), "fw");
    let steps: Vec<Step> = q.steps().collect();
    assert_eq!(steps.len(), 2);
    let Step::Traversal(t) = &steps[0] else {
        panic!()
    };
    let rel = t.relationship().unwrap();
    assert!(rel.is_negated());
    assert_eq!(rel.direction(), Direction::Outgoing);
    assert_eq!(rel.alias().unwrap().text(), "rule");
    assert_eq!(rel.verbs()[0].class().as_deref(), Some("ALLOWS"));
    let target = t.entity().unwrap();
    let names: Vec<String> = target
        .selector()
        .unwrap()
        .names()
        .iter()
        .map(|t| t.text().to_string())
        .collect();
    assert_eq!(names, vec!["Internet", "Everyone"]);
    assert_eq!(target.alias().unwrap().text(), "n");
    let Step::Traversal(t2) = &steps[1] else {
        panic!()
    };
    let verbs = t2.relationship().unwrap().verbs();
    assert!(verbs[0].is_relates_to());
    assert_eq!(verbs[0].class(), None);
    let aliases: Vec<String> = q.aliases().map(|a| a.text()).collect();
    assert_eq!(aliases, vec!["fw", "rule", "n"]);
}

#[test]
fn verb_groups_and_optional_traversals() {
    let q = first_query("Find User (that IS Person)? as p that (has|OWNS) << Device");
    let steps: Vec<Step> = q.steps().collect();
    let Step::Optional(opt) = &steps[0] else {
        panic!()
    };
    assert_eq!(opt.alias().unwrap().text(), "p");
    assert_eq!(opt.steps().count(), 1);
    let Step::Traversal(t) = &steps[1] else {
        panic!()
    };
    let rel = t.relationship().unwrap();
    let verbs: Vec<_> = rel.verbs().iter().filter_map(Verb::class).collect();
    assert_eq!(verbs, vec!["HAS", "OWNS"]);
    assert_eq!(rel.direction(), Direction::Incoming);
}

#[test]
fn selectors() {
    let q = first_query("FIND UNIQUE #Production Application");
    assert!(q.is_unique());
    let sel = q.entity().unwrap().selector().unwrap();
    assert_eq!(sel.smart_classes().next().unwrap().text(), "#Production");
    assert_eq!(NameKind::of(sel.names()[0].text()), NameKind::Class);
    assert_eq!(NameKind::of("aws_s3_bucket"), NameKind::Type);
    assert_eq!(NameKind::of("*"), NameKind::Any);
    let q = first_query("Find \"127.0.0.1\" with _class='Host'");
    assert_eq!(
        q.entity()
            .unwrap()
            .selector()
            .unwrap()
            .full_text()
            .unwrap()
            .text(),
        "\"127.0.0.1\""
    );
}

#[test]
fn return_items_and_columns() {
    let q = first_query(
        "FIND x AS s RETURN s.tag.AccountName AS Account, sum(s.allocatedStorage) * 0.02 AS \"Cost\", \
         count( s ), s.*, CONCAT(s.a, ' b') ORDER BY Account DESC SKIP 10 LIMIT 5",
    );
    let ret = q.return_clause().unwrap();
    assert!(!ret.is_tree());
    let items: Vec<ReturnItem> = ret.items().collect();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0].column_alias().unwrap().name().unwrap(), "Account");
    let Some(Expr::Path(p)) = items[0].expr() else {
        panic!()
    };
    assert_eq!(p.head().unwrap(), "s");
    assert_eq!(p.tail().unwrap(), "tag.AccountName");
    assert_eq!(items[1].column_alias().unwrap().name().unwrap(), "Cost");
    let Some(Expr::Binary(b)) = items[1].expr() else {
        panic!()
    };
    assert_eq!(b.op(), Some(MathOp::Mul));
    let Some(Expr::Call(call)) = b.lhs() else {
        panic!()
    };
    assert_eq!(call.name().unwrap(), "sum");
    assert_eq!(items[2].expr().unwrap().normalized_text(), "count( s )");
    let Some(Expr::Path(star)) = items[3].expr() else {
        panic!()
    };
    assert!(star.is_wildcard());
    let Some(Expr::Call(concat)) = items[4].expr() else {
        panic!()
    };
    assert_eq!(concat.args().len(), 2);
    let order = q.order_clause().unwrap().items().next().unwrap();
    assert!(order.is_descending());
    assert_eq!(order.path().unwrap().key(), "Account");
    assert_eq!(q.skip_clause().unwrap().number(), Some(10));
    assert_eq!(q.limit_clause().unwrap().number(), Some(5));
}

#[test]
fn math_precedence() {
    let q = first_query("FIND x AS a RETURN a.b + a.c * 2 ^ 3 ^ 2");
    let item = q.return_clause().unwrap().items().next().unwrap();
    let Some(Expr::Binary(add)) = item.expr() else {
        panic!()
    };
    assert_eq!(add.op(), Some(MathOp::Add));
    let Some(Expr::Binary(mul)) = add.rhs() else {
        panic!()
    };
    assert_eq!(mul.op(), Some(MathOp::Mul));
    let Some(Expr::Binary(pow)) = mul.rhs() else {
        panic!()
    };
    assert_eq!(pow.op(), Some(MathOp::Pow));
    // `^` is right-associative: 2 ^ (3 ^ 2).
    assert_eq!(pow.rhs().unwrap().syntax().to_string(), "3 ^ 2");
}

#[test]
fn broken_input_gives_none_not_panics() {
    let q = first_query("FIND User THAT");
    let Some(Step::Traversal(t)) = q.steps().next() else {
        panic!()
    };
    assert!(t.relationship().unwrap().verbs().is_empty());
    assert!(t.entity().is_none());
    let q = first_query("FIND x WITH a = ");
    let Filter::Comparison(c) = with_filter(&q) else {
        panic!()
    };
    assert!(c.right().is_none());
    assert_eq!(c.op(), Some(CompareOp::Eq));
}

#[test]
fn several_queries() {
    let parse = parse("FIND A; FIND B\nFIND C\n\"text\"");
    let texts: Vec<String> = parse
        .document()
        .queries()
        .map(|q| q.syntax().to_string())
        .collect();
    assert_eq!(texts, vec!["FIND A;", "FIND B", "FIND C", "\"text\""]);
}

#[test]
fn negate_is_an_involution() {
    for op in [
        CompareOp::Eq,
        CompareOp::NotEq,
        CompareOp::Gt,
        CompareOp::Lt,
        CompareOp::Gte,
        CompareOp::Lte,
        CompareOp::Contains,
        CompareOp::StartsWith,
        CompareOp::EndsWith,
        CompareOp::NotContains,
        CompareOp::NotStartsWith,
        CompareOp::NotEndsWith,
    ] {
        assert_eq!(op.negate().negate(), op);
        assert_ne!(op.negate(), op);
        assert_eq!(op.is_negative(), op.as_str().starts_with('!'));
    }
}

#[test]
fn unquote_handles_escapes() {
    assert_eq!(unquote(r#"'a\'b'"#), "a'b");
    assert_eq!(unquote(r#""a\"b\\""#), "a\"b\\");
    assert_eq!(unquote(r"'\d+'"), r"\d+");
    assert_eq!(unquote("'open"), "open");
}
