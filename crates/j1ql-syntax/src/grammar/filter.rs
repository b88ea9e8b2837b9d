//! Filters (WITH and WHERE): AND/OR chains with the spec's precedence (parentheses, then
//! comparisons, then AND, then OR), comparisons, property paths and values.

use super::entity::close_paren;
use super::{is_comparison, SOFT_KEYWORDS};
use crate::parser::{CompletedMarker, Parser};
use crate::ErrorCode;
use crate::SyntaxKind::{self, *};

/// `WITH Filter`
pub(super) fn with_clause(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // WITH
    filter(p, "a condition after `WITH`");
    m.complete(p, WITH_CLAUSE);
}

/// `WHERE Filter` or `HAVING Filter` (`kind` is the node to build).
pub(super) fn where_clause(p: &mut Parser<'_>, kind: SyntaxKind) {
    let m = p.start();
    let keyword = p.current_text().to_uppercase();
    p.bump();
    filter(p, &format!("a condition after `{keyword}`"));
    m.complete(p, kind);
}

/// A filter: OR binds loosest. Returns `None` when there was no condition at all (an error
/// has been reported).
fn filter(p: &mut Parser<'_>, expected: &str) -> Option<CompletedMarker> {
    let mut lhs = and_filter(p, expected)?;
    while p.at(OR_KW) {
        let m = lhs.precede(p);
        if p.count_operator() {
            p.bump();
            and_filter(p, "a condition after `OR`");
        } else {
            // Over the operator limit: the rest of the chain stays flat in this node.
            while p.at(OR_KW) {
                p.bump();
                and_filter(p, "a condition after `OR`");
            }
        }
        lhs = m.complete(p, BINARY_FILTER);
    }
    Some(lhs)
}

fn and_filter(p: &mut Parser<'_>, expected: &str) -> Option<CompletedMarker> {
    let mut lhs = atom(p, expected)?;
    while p.at(AND_KW) {
        let m = lhs.precede(p);
        if p.count_operator() {
            p.bump();
            atom(p, "a condition after `AND`");
        } else {
            // Over the operator limit: the rest of the chain stays flat in this node.
            while p.at(AND_KW) {
                p.bump();
                atom(p, "a condition after `AND`");
            }
        }
        lhs = m.complete(p, BINARY_FILTER);
    }
    Some(lhs)
}

/// Whether a comparison can start here.
fn at_comparison_start(p: &Parser<'_>) -> bool {
    p.at(IDENT)
        || p.at(BRACKETED_NAME)
        || is_comparison(p.current())
        // A value on the left: `date.now - 7 days > lastSeenOn`.
        || p.at(DATE_NOW)
        || SINGLE_TOKEN_VALUES.contains(&p.current())
        // A keyword used as a property name: `WITH limit = 5`, `WITH to.x = 1`.
        || (p.current().is_keyword() && (is_comparison(p.nth(1)) || p.nth(1) == DOT))
}

fn atom(p: &mut Parser<'_>, expected: &str) -> Option<CompletedMarker> {
    if p.at(L_PAREN) && p.nth(1) != THAT_KW {
        if !p.enter() {
            return None;
        }
        let m = p.start();
        p.bump();
        filter(p, "a condition after `(`");
        close_paren(p, "`)` closing the condition group");
        p.leave();
        return Some(m.complete(p, PAREN_FILTER));
    }
    if at_comparison_start(p) {
        return Some(comparison(p));
    }
    p.error_expected(ErrorCode::MissingCondition, expected);
    None
}

/// `Path Operator Value`
fn comparison(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    if is_comparison(p.current()) {
        p.error_expected(
            ErrorCode::MissingCondition,
            "a property name before the operator",
        );
    } else if p.at(IDENT)
        || p.at(BRACKETED_NAME)
        || p.current().is_keyword() && !SINGLE_TOKEN_VALUES.contains(&p.current())
    {
        path(p);
    } else {
        value(p);
    }
    let doubled_eq = p.at(EQ) && p.nth(1) == EQ && p.nth_is_glued(1);
    let sql_neq = p.at(LT) && p.nth(1) == GT && p.nth_is_glued(1);
    // `=>` / `=<`: `>=` / `<=` written backwards.
    let reversed = p.at(EQ) && matches!(p.nth(1), GT | LT) && p.nth_is_glued(1);
    if doubled_eq || sql_neq || reversed || p.at(BANG) {
        bad_operator(p);
    } else if is_comparison(p.current()) {
        p.bump();
        value(p);
    } else {
        p.error_expected(
            ErrorCode::MissingOperator,
            "a comparison operator (`=`, `!=`, `>`, `<`, `>=`, `<=`, `~=`, `^=`, `$=`, `!~=`, `!^=`, `!$=`)",
        );
        // `active true`: still read the value, so the one mistake gives one error.
        if SINGLE_TOKEN_VALUES.contains(&p.current()) && !(p.at(STRING) && p.at_line_start()) {
            value(p);
        }
    }
    m.complete(p, COMPARISON)
}

/// Operators from other languages (`==`, `<>`, a lone `!`): reported, and the value still read.
fn bad_operator(p: &mut Parser<'_>) {
    let start = p.current_range().start();
    let e = p.start();
    let first = p.current();
    p.bump();
    let second = p.current();
    if matches!(
        (first, second),
        (EQ, EQ) | (LT, GT) | (BANG, EQ) | (EQ, GT) | (EQ, LT)
    ) {
        p.bump();
    }
    e.complete(p, ERROR);
    let message = match (first, second) {
        (EQ, GT) => "not a J1QL operator: use `>=` for greater than or equal",
        (EQ, LT) => "not a J1QL operator: use `<=` for less than or equal",
        _ => "not a J1QL operator: use `=` for equality and `!=` for inequality",
    };
    p.push_error(
        ErrorCode::MissingOperator,
        message.to_string(),
        rowan::TextRange::new(start, p.previous_range().end()),
    );
    value(p);
}

/// A property path: `name(.name)*`, `[bracketed]`, `alias.[bracketed]`, `alias.*`.
pub(super) fn path(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    // First segment: a name, a bracketed name, or a keyword used as a name.
    p.bump();
    while p.at(DOT) && p.nth_is_glued(0) {
        p.bump();
        match p.current() {
            IDENT | BRACKETED_NAME | NUMBER | STAR => p.bump(),
            k if k.is_keyword() => p.bump(),
            _ => {
                p.error_expected(ErrorCode::UnexpectedToken, "a property name after `.`");
                break;
            }
        }
    }
    m.complete(p, PATH)
}

const SINGLE_TOKEN_VALUES: [SyntaxKind; 9] = [
    STRING,
    NUMBER,
    TRUE_KW,
    FALSE_KW,
    UNDEFINED_KW,
    DATE_LITERAL,
    REGEX,
    PARAM,
    TEMPLATE,
];

/// A value after an operator: a literal, a relative date, a value group, or (in WHERE) a path.
fn value(p: &mut Parser<'_>) {
    let kind = p.current();
    if SINGLE_TOKEN_VALUES.contains(&kind) {
        let m = p.start();
        p.bump();
        m.complete(p, LITERAL);
        return;
    }
    match kind {
        DATE_NOW => {
            let m = p.start();
            p.bump();
            if (p.at(MINUS) || p.at(PLUS)) && p.nth(1) == NUMBER {
                p.bump();
                p.bump();
                unit(p);
            }
            m.complete(p, RELATIVE_DATE);
        }
        MINUS | PLUS if p.nth(1) == NUMBER => {
            let m = p.start();
            p.bump();
            p.bump();
            if p.at(IDENT) {
                p.bump();
                m.complete(p, RELATIVE_DATE);
            } else {
                m.complete(p, LITERAL);
            }
        }
        L_PAREN => value_group(p),
        IDENT | BRACKETED_NAME => {
            if p.at(IDENT) && p.current_text().eq_ignore_ascii_case("date") && p.nth(1) == L_PAREN {
                p.error_at_current(
                    ErrorCode::UnclosedParen,
                    "malformed date: expected `date(YYYY-MM-DD...)` on one line with a closing `)`"
                        .to_string(),
                );
            }
            path(p);
        }
        k if SOFT_KEYWORDS.contains(k) && p.nth(1) == DOT => {
            path(p);
        }
        // Characters the lexer did not recognise (curly quotes...): already reported by the
        // lexer, so kept as the value without a second error.
        ERROR_TOKEN => {
            let m = p.start();
            p.bump();
            m.complete(p, ERROR);
        }
        _ => p.error_expected(
            ErrorCode::MissingValue,
            "a value (a string, number, `true`, `false`, `undefined`, date, parameter or `(` group)",
        ),
    }
}

/// The unit of a relative date (`day`, `7days`); any name is accepted here and checked by the
/// semantic layer.
fn unit(p: &mut Parser<'_>) {
    if p.at(IDENT) {
        p.bump();
    } else {
        p.error_expected(
            ErrorCode::MissingValue,
            "a time unit (`hours`, `days`, `months`, `years`...)",
        );
    }
}

/// `( value ((AND|OR) value)* )`
fn value_group(p: &mut Parser<'_>) {
    if !p.enter() {
        return;
    }
    let m = p.start();
    p.bump(); // (
    loop {
        if p.at(R_PAREN) || p.at_eof() {
            p.error_expected(ErrorCode::MissingValue, "a value in the group");
            break;
        }
        value(p);
        if !(p.eat(OR_KW) || p.eat(AND_KW)) {
            break;
        }
    }
    close_paren(p, "`)` closing the value group");
    p.leave();
    m.complete(p, VALUE_GROUP);
}
