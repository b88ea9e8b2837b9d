//! L014 literal-type-mismatch: a literal whose JSON type differs from the type the compared
//! property is known to have.
//!
//! J1QL compares types strictly: the string `'false'` never equals the boolean `false`, and
//! `tag.Production = 'false'` (the J1QL reference's own example) matches nothing on data where
//! the tag is a boolean, as JupiterOne's integration SDK stores `true`/`false` tag values. We
//! keep strict typing (docs/semantics.md), so the user must hear about it: when the data model
//! (the classes' and types' schemas) or the loaded data (the types of the values seen) knows
//! the property's type, a WITH comparison (`=`, `!=`) with a literal of another type is
//! reported, with a fix when the literal reads as the other type (`'false'` → `false`, `'34'` →
//! `34`, `443` → `'443'`). Where the type is known, L012 (boolean-as-string) leaves the
//! literal to this rule: it would be wrong when the property really holds strings.

use std::collections::BTreeSet;

use j1ql_semantics::catalog::{KnownValueTypes, PropertyType};
use j1ql_semantics::ir::{self, CompareOp};
use j1ql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use crate::{Finding, RuleCode, TextEdit};

/// The findings of L014, and the ranges of every literal whose property type is known (L012
/// stays quiet on them).
pub(crate) fn check(
    analysis: &j1ql_semantics::Analysis,
    root: &SyntaxNode,
) -> (Vec<Finding>, Vec<TextRange>) {
    let mut out = (Vec::new(), Vec::new());
    for query in &analysis.queries {
        for pattern in query.ir.entity_patterns() {
            let Some(filter) = &pattern.filter else {
                continue;
            };
            for c in filter.comparisons() {
                if matches!(c.op, CompareOp::Eq | CompareOp::NotEq) {
                    let known = pattern.value_types(&analysis.catalog, &c.property.key);
                    check_comparison(root, c, &known, &mut out);
                }
            }
        }
    }
    out
}

/// The scalar types a property is known to hold (arrays by their elements; `object` and
/// undeclared types say nothing).
fn scalar_types(known: &KnownValueTypes) -> BTreeSet<PropertyType> {
    known
        .declared
        .iter()
        .chain(&known.seen)
        .filter_map(|t| match t {
            PropertyType::Integer | PropertyType::Number => Some(PropertyType::Number),
            PropertyType::String | PropertyType::Boolean => Some(*t),
            _ => None,
        })
        .collect()
}

fn check_comparison(
    root: &SyntaxNode,
    c: &ir::Comparison,
    known: &KnownValueTypes,
    (findings, decided): &mut (Vec<Finding>, Vec<TextRange>),
) {
    let holds = scalar_types(known);
    if holds.is_empty() {
        return;
    }
    let Some(node) = root
        .covering_element(c.range)
        .ancestors()
        .find(|n| n.kind() == SyntaxKind::COMPARISON)
    else {
        return;
    };
    for token in literal_tokens(&node) {
        decided.push(token.text_range());
        let (literal_type, text) = match token.kind() {
            SyntaxKind::STRING => (
                PropertyType::String,
                j1ql_syntax::ast::unquote(token.text()),
            ),
            SyntaxKind::NUMBER => (PropertyType::Number, token.text().to_string()),
            _ => (PropertyType::Boolean, token.text().to_ascii_lowercase()),
        };
        if holds.contains(&literal_type) {
            continue;
        }
        // An ISO date string against a number: dates are compared as dates (decision 21).
        if literal_type == PropertyType::String
            && holds.contains(&PropertyType::Number)
            && j1ql_semantics::dates::data_date_millis(&text).is_some()
        {
            continue;
        }
        let what = |t: PropertyType| match t {
            PropertyType::String => "strings",
            PropertyType::Number => "numbers",
            _ => "booleans",
        };
        let held: Vec<&str> = holds.iter().map(|t| what(*t)).collect();
        let source = match (known.declared.is_empty(), known.seen.is_empty()) {
            (false, false) => "the data model and the loaded data",
            (false, true) => "the data model",
            _ => "the loaded data",
        };
        let replacement = match literal_type {
            PropertyType::String => {
                let lower = text.to_ascii_lowercase();
                if holds.contains(&PropertyType::Boolean) && (lower == "true" || lower == "false") {
                    Some(lower)
                } else if holds.contains(&PropertyType::Number)
                    && text.trim() == text
                    && text.parse::<f64>().is_ok_and(f64::is_finite)
                {
                    Some(text.clone())
                } else {
                    None
                }
            }
            _ if holds.contains(&PropertyType::String) => Some(format!("'{text}'")),
            _ => None,
        };
        let kind = match literal_type {
            PropertyType::String => "a string",
            PropertyType::Number => "a number",
            _ => "a boolean",
        };
        let mut message = format!(
            "`{}` is {kind}, but `{}` holds {} (per {source}): J1QL compares types strictly, so \
             it never matches",
            token.text(),
            c.property.key,
            held.join(" and "),
        );
        if let Some(r) = &replacement {
            message.push_str(&format!("; write `{r}`"));
        }
        let mut finding = Finding::new(RuleCode::LiteralTypeMismatch, token.text_range(), message);
        if let Some(r) = replacement {
            finding = finding.with_fix(
                format!("Replace with `{r}`"),
                vec![TextEdit {
                    range: token.text_range(),
                    new_text: r,
                }],
            );
        }
        findings.push(finding);
    }
}

/// The string, number and boolean literals of a comparison's value (value groups included).
fn literal_tokens(comparison: &SyntaxNode) -> Vec<SyntaxToken> {
    comparison
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| {
            matches!(
                t.kind(),
                SyntaxKind::STRING
                    | SyntaxKind::NUMBER
                    | SyntaxKind::TRUE_KW
                    | SyntaxKind::FALSE_KW
            ) && t.parent().is_some_and(|p| p.kind() == SyntaxKind::LITERAL)
        })
        .collect()
}
