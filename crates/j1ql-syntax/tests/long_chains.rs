//! Chains of operators of any length (up to a million terms) parse without overflowing a
//! normal thread stack, and the tree stays shallow: past `MAX_OPERATORS` the parser reports P020 and
//! keeps the rest of the chain flat.

use j1ql_syntax::{parse, ErrorCode, SyntaxNode, MAX_NESTING, MAX_OPERATORS};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};

/// The depth of the deepest node, walked without recursion.
fn depth(root: &SyntaxNode) -> usize {
    let mut deepest = 0;
    let mut current = 0usize;
    for event in root.preorder() {
        match event {
            rowan::WalkEvent::Enter(_) => {
                current += 1;
                deepest = deepest.max(current);
            }
            rowan::WalkEvent::Leave(_) => current -= 1,
        }
    }
    deepest
}

/// Parses on a thread with a normal 2 MiB stack (what Rust gives a spawned thread, and tokio
/// a worker); returns the error codes and the tree's depth.
fn parse_on_normal_stack(input: String) -> (Vec<ErrorCode>, usize) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let parse = parse(&input);
            let root = parse.syntax_node();
            assert_eq!(root.text_range().len(), (input.len() as u32).into());
            let codes = parse.errors().iter().map(|e| e.code).collect();
            let depth = depth(&root);
            drop(root);
            drop(parse);
            (codes, depth)
        })
        .expect("spawn")
        .join()
        .expect("the parser overflowed a 2 MiB stack or panicked")
}

/// The deepest tree any query can give: every operator nests once, every parenthesis level a
/// few times, plus the fixed levels of document, query, clause and comparison.
const DEPTH_BOUND: usize = MAX_OPERATORS as usize + 4 * MAX_NESTING as usize + 16;

fn chain(head: &str, term: impl Fn(usize) -> String, op: &str, n: usize) -> String {
    let terms: Vec<String> = (0..n).map(term).collect();
    format!("{head}{}", terms.join(op))
}

#[test]
fn a_million_term_chains_report_p020_and_stay_shallow() {
    let n = 1_000_000;
    // A tenth of that for the chains that take the same code path as one above.
    let m = n / 10;
    let cases = [
        chain("FIND User WITH ", |i| format!("a={i}"), " AND ", n),
        chain("FIND User WITH ", |i| format!("a={i}"), " OR ", m),
        chain("FIND User AS u WHERE ", |i| format!("u.a={i}"), " AND ", m),
        chain("FIND User AS u RETURN ", |i| format!("u.a{i}"), " + ", n),
        chain("FIND User AS u RETURN ", |i| format!("u.a{i}"), " ^ ", n),
        format!("FIND User AS u RETURN {}u.a", "-".repeat(n)),
        chain(
            "FIND User AS u RETURN count(u) AS c HAVING ",
            |i| format!("c>{i}"),
            " OR ",
            m,
        ),
    ];
    for input in cases {
        let head: String = input.chars().take(30).collect();
        let (codes, depth) = parse_on_normal_stack(input);
        assert_eq!(codes, [ErrorCode::TooManyOperators], "{head}");
        assert!(depth <= DEPTH_BOUND, "{head}: depth {depth}");
    }
}

#[test]
fn the_limit_itself_is_accepted() {
    let input = chain(
        "FIND User WITH ",
        |i| format!("a={i}"),
        " AND ",
        MAX_OPERATORS as usize + 1,
    );
    let (codes, _) = parse_on_normal_stack(input);
    assert!(codes.is_empty(), "{codes:?}");
    let input = chain(
        "FIND User WITH ",
        |i| format!("a={i}"),
        " AND ",
        MAX_OPERATORS as usize + 2,
    );
    let (codes, _) = parse_on_normal_stack(input);
    assert_eq!(codes, [ErrorCode::TooManyOperators]);
}

#[test]
fn the_count_restarts_for_each_query() {
    let one = chain("FIND User WITH ", |i| format!("a={i}"), " AND ", 600);
    let (codes, _) = parse_on_normal_stack(format!("{one}\n{one}\n{one}"));
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn parenthesised_chains_share_the_limit() {
    // Chains inside nested parentheses add up: 128 levels of 20 operators each.
    let mut input = "a=0".to_string();
    for _ in 0..MAX_NESTING - 1 {
        input = format!("({input}{})", " AND b=1".repeat(20));
    }
    let (codes, depth) = parse_on_normal_stack(format!("FIND User WITH {input}"));
    assert_eq!(codes, [ErrorCode::TooManyOperators]);
    assert!(depth <= DEPTH_BOUND, "depth {depth}");
}

fn op() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(" AND "),
        Just(" OR "),
        Just(" + "),
        Just(" - "),
        Just(" * "),
        Just(" / "),
        Just(" ^ "),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 3, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() })]

    /// Random mixes of operators, terms and parentheses, up to a million terms.
    #[test]
    fn random_long_chains_stay_shallow(
        n in 1usize..1_000_000,
        ops in proptest::collection::vec(op(), 1..8),
        paren_every in 2usize..50,
        where_clause in any::<bool>(),
    ) {
        let mut text = String::with_capacity(n * 8);
        text.push_str(if where_clause { "FIND User AS u WHERE " } else { "FIND User AS u RETURN " });
        for i in 0..n {
            if i > 0 {
                text.push_str(ops[i % ops.len()]);
            }
            if i % paren_every == 0 {
                text.push('(');
                text.push_str("u.a=1 OR -u.b");
                text.push(')');
            } else {
                text.push_str("u.a=1");
            }
        }
        let (_, depth) = parse_on_normal_stack(text);
        prop_assert!(depth <= DEPTH_BOUND, "depth {}", depth);
    }
}

#[test]
fn the_debug_print_is_linear_in_the_tree_size() {
    // 1,000 operators nest 1,000 levels; rowan's own dump indents each line by its depth
    // (about a million spaces for this query), the debug form stops at 64 levels.
    let input = chain("FIND User WITH ", |i| format!("a={i}"), " AND ", 1001);
    let parse = parse(&input);
    let dump = parse.debug_tree();
    let longest = dump.lines().map(str::len).max().unwrap();
    assert!(
        longest < 2 * j1ql_syntax::DEBUG_INDENT_LEVELS + 80,
        "{longest}"
    );
    assert!(
        dump.contains("[depth 1000] BINARY_FILTER@"),
        "{}",
        &dump[..2000]
    );
    let rowan = format!("{:#?}", parse.syntax_node());
    assert!(rowan.len() > 4 * dump.len());
}

#[test]
fn a_hundred_thousand_traversals_report_p021() {
    let input = format!("FIND *{}", " THAT RELATES TO *".repeat(100_000));
    let (codes, depth) = parse_on_normal_stack(input);
    assert_eq!(codes, [ErrorCode::TooManyTraversals]);
    assert!(depth < 16, "traversals are siblings: depth {depth}");
    let at_limit = format!(
        "FIND *{}",
        " THAT RELATES TO *".repeat(j1ql_syntax::MAX_TRAVERSALS as usize)
    );
    assert!(parse_on_normal_stack(at_limit).0.is_empty());
}
