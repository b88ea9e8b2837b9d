//! The lint rules of this crate (`L001`...), over the lossless syntax tree.

use std::collections::HashMap;

use j1ql_config::KeywordCase;
use j1ql_syntax::keyword_case::{self, Casing};
use j1ql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::{Finding, LintOptions, RuleCode, TextEdit};
use SyntaxKind::*;

/// Every finding of the L rules in a document (configuration is applied by the caller).
pub(crate) fn check(root: &SyntaxNode, options: &LintOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    for query in root.children().filter(|n| n.kind() == QUERY) {
        keyword_case(&query, options, &mut out);
        aliases(&query, &mut out);
        for node in query.descendants() {
            match node.kind() {
                COMPARISON => {
                    neq_and_group(&node, &mut out);
                    boolean_as_string(&node, &mut out);
                }
                BINARY_FILTER => chains(&node, &mut out),
                PAREN_FILTER => redundant_parens(&node, &mut out),
                LIMIT_CLAUSE => limit(&node, options, &mut out),
                RETURN_ITEM if options.alert => alert_wildcard(&node, &mut out),
                ENTITY => alias_before_with(&node, &mut out),
                LITERAL => double_quotes(&node, &mut out),
                _ => {}
            }
        }
    }
    out
}

fn tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
}

fn has_comments(node: &SyntaxNode, range: TextRange) -> bool {
    node.descendants_with_tokens().any(|e| {
        matches!(e.kind(), LINE_COMMENT | BLOCK_COMMENT) && range.contains_range(e.text_range())
    })
}

/// The canonical text of a node: its tokens with single spaces, keywords in upper case and
/// strings by value, so that `a='x'` and `a = "x"` compare equal.
fn key(node: &SyntaxNode) -> String {
    tokens(node)
        .map(|t| match t.kind() {
            STRING => format!("'{}'", j1ql_syntax::ast::unquote(t.text())),
            TRUE_KW | FALSE_KW | UNDEFINED_KW => t.text().to_ascii_lowercase(),
            k if k.is_keyword() && t.parent().is_some_and(|p| p.kind() != PATH) => {
                t.text().to_ascii_uppercase()
            }
            _ => t.text().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ---- L001 keyword-case ----------------------------------------------------------------------

fn keyword_case(query: &SyntaxNode, options: &LintOptions, out: &mut Vec<Finding>) {
    let (casing, word) = match options.keyword_case {
        KeywordCase::Upper => (Casing::Upper, "upper"),
        KeywordCase::Lower => (Casing::Lower, "lower"),
        KeywordCase::Preserve => return,
    };
    // Exactly what the formatter changes (j1ql_syntax::keyword_case).
    let alias_refs = keyword_case::alias_references(query);
    let wrong: Vec<(SyntaxToken, String)> = tokens(query)
        .filter_map(|t| {
            let want = keyword_case::recased(&t, casing, &alias_refs)?;
            (want != t.text()).then_some((t, want))
        })
        .collect();
    let Some((first, _)) = wrong.first() else {
        return;
    };
    let values = wrong.iter().any(|(t, _)| keyword_case::is_value_keyword(t));
    let case = if values && casing == Casing::Upper {
        "upper case (`true`, `false` and `undefined` in lower case)".to_string()
    } else {
        format!("{word} case")
    };
    let list = wrong
        .iter()
        .take(3)
        .map(|(t, _)| format!("`{}`", t.text()))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if wrong.len() > 3 { ", ..." } else { "" };
    let edits = wrong
        .iter()
        .map(|(t, want)| TextEdit {
            range: t.text_range(),
            new_text: want.clone(),
        })
        .collect();
    out.push(
        Finding::new(
            RuleCode::KeywordCase,
            first.text_range(),
            format!(
                "{} keyword{} not in {case}: {list}{more}",
                wrong.len(),
                if wrong.len() == 1 { " is" } else { "s are" }
            ),
        )
        .with_fix(format!("Write keywords in {word} case"), edits),
    );
}

// ---- comparisons --------------------------------------------------------------------------

/// A comparison's property path, operator token and value node (either order).
fn comparison_parts(node: &SyntaxNode) -> Option<(SyntaxNode, SyntaxToken, SyntaxNode)> {
    let op = node
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind().is_comparison_op())?;
    let mut children = node.children();
    let first = children.next()?;
    let second = children.next()?;
    match (first.kind(), second.kind()) {
        (PATH, PATH) => None,
        (PATH, _) => Some((first, op, second)),
        (_, PATH) => Some((second, op, first)),
        _ => None,
    }
}

/// A single literal value the rules can compare: string, number, boolean or undefined.
fn literal_value(node: &SyntaxNode) -> Option<String> {
    if node.kind() != LITERAL {
        return None;
    }
    let mut toks = tokens(node);
    let t = toks.next()?;
    if toks.next().is_some() {
        return None;
    }
    matches!(
        t.kind(),
        STRING | NUMBER | TRUE_KW | FALSE_KW | UNDEFINED_KW
    )
    .then(|| key(node))
}

// ---- L002 neq-and-group -------------------------------------------------------------------

fn neq_and_group(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some((path, op, value)) = comparison_parts(node) else {
        return;
    };
    if op.kind() != NEQ || value.kind() != VALUE_GROUP {
        return;
    }
    let ops: Vec<SyntaxKind> = value
        .children_with_tokens()
        .map(|e| e.kind())
        .filter(|k| matches!(k, AND_KW | OR_KW))
        .collect();
    if ops.is_empty() || ops.iter().any(|&k| k != AND_KW) {
        return;
    }
    let property = path.text().to_string();
    let values: Vec<String> = value.children().map(|v| v.text().to_string()).collect();
    let expansion = format!(
        "({})",
        values
            .iter()
            .map(|v| format!("{property} != {v}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    let mut finding = Finding::new(
        RuleCode::NeqAndGroup,
        node.text_range(),
        format!(
            "`!=` with an AND group matches when `{property}` lacks any one of the values: it means `{expansion}`; for \"none of them\" write `!= ({})`",
            values.join(" OR ")
        ),
    );
    if !has_comments(node, node.text_range())
        && path.text_range().end() < value.text_range().start()
    {
        finding = finding.with_fix(
            "Rewrite in the De Morgan form",
            vec![TextEdit {
                range: node.text_range(),
                new_text: expansion,
            }],
        );
    }
    out.push(finding);
}

// ---- L012 boolean-as-string ---------------------------------------------------------------

fn boolean_as_string(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some((_, op, value)) = comparison_parts(node) else {
        return;
    };
    if !matches!(op.kind(), EQ | NEQ) || value.kind() != LITERAL {
        return;
    }
    let Some(string) = tokens(&value).next().filter(|t| t.kind() == STRING) else {
        return;
    };
    let inner = j1ql_syntax::ast::unquote(string.text()).to_ascii_lowercase();
    let boolean = match inner.as_str() {
        "true" | "yes" => "true",
        "false" | "no" => "false",
        _ => return,
    };
    let mut finding = Finding::new(
        RuleCode::BooleanAsString,
        string.text_range(),
        format!(
            "{} is a string, not a boolean: a boolean property never equals it; write `{boolean}`",
            string.text()
        ),
    );
    if inner == "true" || inner == "false" {
        finding = finding.with_fix(
            format!("Replace with `{boolean}`"),
            vec![TextEdit {
                range: string.text_range(),
                new_text: boolean.to_string(),
            }],
        );
    }
    out.push(finding);
}

// ---- L011 double-quoted-string ------------------------------------------------------------

fn double_quotes(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some(t) = tokens(node).next().filter(|t| t.kind() == STRING) else {
        return;
    };
    let text = t.text();
    if !text.starts_with('"') || text.len() < 2 || !text.ends_with('"') {
        return;
    }
    let inner = &text[1..text.len() - 1];
    let mut finding = Finding::new(
        RuleCode::DoubleQuotedString,
        t.text_range(),
        "string value in double quotes",
    );
    if !inner.contains(['\\', '\'', '"']) {
        finding = finding.with_fix(
            "Use single quotes",
            vec![TextEdit {
                range: t.text_range(),
                new_text: format!("'{inner}'"),
            }],
        );
    }
    out.push(finding);
}

// ---- AND/OR chains: L003, L004, L005 --------------------------------------------------------

fn logic_op(node: &SyntaxNode) -> Option<SyntaxKind> {
    node.children_with_tokens()
        .map(|e| e.kind())
        .find(|k| matches!(k, AND_KW | OR_KW))
}

fn chain_operands(node: &SyntaxNode, op: SyntaxKind, out: &mut Vec<SyntaxNode>) {
    for child in node.children() {
        if child.kind() == BINARY_FILTER && logic_op(&child) == Some(op) {
            chain_operands(&child, op, out);
        } else {
            out.push(child);
        }
    }
}

fn chains(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some(op) = logic_op(node) else { return };
    // Only the top of a chain.
    if node
        .parent()
        .is_some_and(|p| p.kind() == BINARY_FILTER && logic_op(&p) == Some(op))
    {
        return;
    }
    let mut operands = Vec::new();
    chain_operands(node, op, &mut operands);
    let op_word = if op == AND_KW { "AND" } else { "OR" };

    // L005: duplicates.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, operand) in operands.iter().enumerate() {
        let k = key(operand);
        if let Some(&first) = seen.get(&k) {
            let range = TextRange::new(
                operands[i - 1].text_range().end(),
                operand.text_range().end(),
            );
            let mut finding = Finding::new(
                RuleCode::DuplicateCondition,
                operand.text_range(),
                format!(
                    "this condition repeats `{}` in the same {op_word} chain",
                    operands[first].text()
                ),
            );
            if !has_comments(node, range) {
                finding = finding.with_fix(
                    "Remove the repeated condition",
                    vec![TextEdit {
                        range,
                        new_text: String::new(),
                    }],
                );
            }
            out.push(finding);
        } else {
            seen.insert(k, i);
        }
    }

    // L003 / L004: the same property compared with literals.
    let mut by_property: HashMap<String, Vec<(SyntaxKind, String, &SyntaxNode)>> = HashMap::new();
    for operand in &operands {
        if operand.kind() != COMPARISON {
            continue;
        }
        let Some((path, cmp, value)) = comparison_parts(operand) else {
            continue;
        };
        let Some(v) = literal_value(&value) else {
            continue;
        };
        if !matches!(cmp.kind(), EQ | NEQ) {
            continue;
        }
        by_property
            .entry(path.text().to_string().split_whitespace().collect())
            .or_default()
            .push((cmp.kind(), v, operand));
    }
    let mut properties: Vec<_> = by_property.into_iter().collect();
    properties.sort_by_key(|(_, v)| v[0].2.text_range().start());
    for (property, comparisons) in properties {
        for (j, (k2, v2, n2)) in comparisons.iter().enumerate() {
            for (k1, v1, n1) in &comparisons[..j] {
                let opposite = k1 != k2 && v1 == v2;
                let two_values =
                    *k1 == EQ && *k2 == EQ && v1 != v2 && !looks_multi_valued(&property);
                if op == AND_KW && (opposite || two_values) {
                    let why = if opposite {
                        format!("`{property}` cannot both equal and not equal {v1}")
                    } else {
                        format!("`{property}` cannot equal both {v1} and {v2} (on a scalar property); did you mean OR, or a value group `= ({v1} OR {v2})`?")
                    };
                    out.push(Finding::new(
                        RuleCode::ContradictoryFilter,
                        TextRange::new(n1.text_range().start(), n2.text_range().end()),
                        format!("this filter never matches: {why}"),
                    ));
                } else if op == OR_KW && opposite {
                    out.push(Finding::new(
                        RuleCode::TautologicalFilter,
                        TextRange::new(n1.text_range().start(), n2.text_range().end()),
                        format!("this filter always matches: `{property}` either equals {v1} or it does not"),
                    ));
                } else {
                    continue;
                }
                break;
            }
        }
    }
}

/// Whether a property name reads as a list (`actions`, `permissions`, `tags`): on an array
/// property `= 'a' AND = 'b'` means "contains both", which can match.
fn looks_multi_valued(property: &str) -> bool {
    let last = property
        .rsplit('.')
        .next()
        .unwrap_or(property)
        .trim_matches(['[', ']']);
    let lower = last.to_ascii_lowercase();
    lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("status")
        && !lower.ends_with("us")
        || lower.ends_with("list")
        || lower.ends_with("ids")
}

// ---- L006 redundant-parentheses -----------------------------------------------------------

fn redundant_parens(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some(inner) = node.children().next() else {
        return;
    };
    let parent = node.parent();
    let parent_kind = parent.as_ref().map(|p| p.kind());
    let reason = if matches!(
        parent_kind,
        Some(WITH_CLAUSE | WHERE_CLAUSE | HAVING_CLAUSE)
    ) {
        "around the whole filter"
    } else if inner.kind() == COMPARISON {
        "around a single comparison"
    } else if inner.kind() == PAREN_FILTER {
        "around parentheses"
    } else if inner.kind() == BINARY_FILTER
        && parent_kind == Some(BINARY_FILTER)
        && logic_op(&inner) == parent.as_ref().and_then(logic_op)
    {
        if logic_op(&inner) == Some(AND_KW) {
            "around AND inside AND"
        } else {
            "around OR inside OR"
        }
    } else {
        return;
    };
    let parens: Vec<SyntaxToken> = node
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| matches!(t.kind(), L_PAREN | R_PAREN))
        .collect();
    let mut finding = Finding::new(
        RuleCode::RedundantParentheses,
        node.text_range(),
        format!("redundant parentheses {reason}"),
    );
    if parens.len() == 2 {
        finding = finding.with_fix(
            "Remove the parentheses",
            parens
                .iter()
                .map(|t| TextEdit {
                    range: t.text_range(),
                    new_text: String::new(),
                })
                .collect(),
        );
    }
    out.push(finding);
}

// ---- L007 unused-alias, L008 reserved-alias -------------------------------------------------

const RESERVED: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "find",
    "that",
    "with",
    "where",
    "return",
    "order",
    "by",
    "limit",
    "skip",
    "has",
    "relates",
    "to",
    "from",
    "and",
    "or",
    "not",
    "true",
    "false",
    "null",
    "undefined",
    "as",
];

fn aliases(query: &SyntaxNode, out: &mut Vec<Finding>) {
    let mut used: Vec<String> = Vec::new();
    for node in query.descendants() {
        if node.kind() != PATH {
            continue;
        }
        let in_reference_clause = node.ancestors().any(|a| {
            matches!(
                a.kind(),
                WHERE_CLAUSE | RETURN_CLAUSE | ORDER_CLAUSE | HAVING_CLAUSE
            )
        });
        if in_reference_clause {
            if let Some(first) = tokens(&node).next() {
                used.push(first.text().to_ascii_lowercase());
            }
        }
    }
    for alias in query.descendants().filter(|n| n.kind() == ALIAS) {
        let Some(name) = tokens(&alias).find(|t| t.kind() != AS_KW) else {
            continue;
        };
        let text = name.text();
        if RESERVED.contains(&text.to_ascii_lowercase().as_str()) {
            out.push(Finding::new(
                RuleCode::ReservedAlias,
                name.text_range(),
                format!("`{text}` is a reserved word: JupiterOne rejects it as an alias"),
            ));
        }
        if used.contains(&text.to_ascii_lowercase()) {
            continue;
        }
        // Remove ` AS name` with the whitespace before it.
        let start = match alias.prev_sibling_or_token() {
            Some(prev) if prev.kind() == WHITESPACE => prev.text_range().start(),
            _ => alias.text_range().start(),
        };
        let range = TextRange::new(start, alias.text_range().end());
        let mut finding = Finding::new(
            RuleCode::UnusedAlias,
            alias.text_range(),
            format!("the alias `{text}` is never used"),
        );
        if !has_comments(query, range) {
            finding = finding.with_fix(
                format!("Remove `AS {text}`"),
                vec![TextEdit {
                    range,
                    new_text: String::new(),
                }],
            );
        }
        out.push(finding);
    }
}

// ---- L009 limit-too-large -------------------------------------------------------------------

fn limit(node: &SyntaxNode, options: &LintOptions, out: &mut Vec<Finding>) {
    let Some(number) = tokens(node).find(|t| t.kind() == NUMBER) else {
        return;
    };
    let Ok(n) = number.text().parse::<u64>() else {
        return;
    };
    let max = options.config.max_limit;
    if n > max {
        out.push(Finding::new(
            RuleCode::LimitTooLarge,
            number.text_range(),
            format!("LIMIT {n} is above the {max} rows JupiterOne returns in one page; page with SKIP, or aggregate"),
        ));
    }
}

// ---- L010 alert-return-wildcard -----------------------------------------------------------

fn alert_wildcard(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let Some(path) = node.children().find(|c| c.kind() == PATH) else {
        return;
    };
    if tokens(&path).last().is_some_and(|t| t.kind() == STAR) {
        out.push(Finding::new(
            RuleCode::AlertReturnWildcard,
            path.text_range(),
            format!(
                "`{}` returns every property in an alert rule; return the properties the alert needs",
                path.text()
            ),
        ));
    }
}

// ---- L013 alias-before-with ---------------------------------------------------------------

fn alias_before_with(node: &SyntaxNode, out: &mut Vec<Finding>) {
    let mut alias: Option<SyntaxNode> = None;
    for child in node.children() {
        match child.kind() {
            ALIAS => alias = Some(child),
            WITH_CLAUSE => {
                if let Some(alias) = &alias {
                    out.push(Finding::new(
                        RuleCode::AliasBeforeWith,
                        alias.text_range(),
                        format!(
                            "the alias comes before WITH; JupiterOne's style is `WITH ... {}`",
                            alias.text()
                        ),
                    ));
                    return;
                }
            }
            _ => {}
        }
    }
}
