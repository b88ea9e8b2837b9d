//! RETURN (items, math, calls, column aliases, TREE), ORDER BY, SKIP and LIMIT.

use super::entity::close_paren;
use super::filter::path;
use super::{CLAUSE_START, SOFT_KEYWORDS};
use crate::parser::{CompletedMarker, Parser, TokenSet};
use crate::ErrorCode;
use crate::SyntaxKind::{self, *};

/// `RETURN TREE` or `RETURN item (, item)*`
pub(super) fn return_clause(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // RETURN
    if p.eat(TREE_KW) {
        m.complete(p, RETURN_CLAUSE);
        return;
    }
    loop {
        return_item(p);
        if !p.eat(COMMA) {
            break;
        }
    }
    m.complete(p, RETURN_CLAUSE);
}

fn return_item(p: &mut Parser<'_>) {
    if !at_expr_start(p) {
        p.error_expected(
            ErrorCode::MissingExpression,
            "something to return (`alias`, `alias.field`, `alias.*`, a function, or `TREE`)",
        );
        if !p.at_eof() && !p.at_set(CLAUSE_START) && !p.at(COMMA) {
            let e = p.start();
            p.skip_balanced();
            e.complete(p, ERROR);
        }
        return;
    }
    let m = p.start();
    expr(p);
    if p.at(AS_KW) {
        let a = p.start();
        p.bump();
        if p.at(IDENT) || p.at(STRING) || p.at_set(SOFT_KEYWORDS) {
            p.bump();
        } else {
            p.error_expected(ErrorCode::MissingAlias, "a column name after `AS`");
        }
        a.complete(p, COLUMN_ALIAS);
    }
    m.complete(p, RETURN_ITEM);
}

const EXPR_START: TokenSet = TokenSet::new(&[
    IDENT,
    BRACKETED_NAME,
    NUMBER,
    STRING,
    TRUE_KW,
    FALSE_KW,
    UNDEFINED_KW,
    PARAM,
    TEMPLATE,
    DATE_LITERAL,
    MINUS,
    PLUS,
    L_PAREN,
    STAR,
]);

fn at_expr_start(p: &Parser<'_>) -> bool {
    p.at_set(EXPR_START) || (p.at_set(SOFT_KEYWORDS) && p.nth(1) == DOT)
}

/// Binding power of a binary math operator: (left, right). `^` is right-associative.
fn infix_power(kind: SyntaxKind) -> Option<(u8, u8)> {
    match kind {
        PLUS | MINUS => Some((1, 2)),
        STAR | SLASH => Some((3, 4)),
        CARET => Some((6, 5)),
        _ => None,
    }
}

/// A math expression (Pratt parsing): `a.x * 0.02 + sum(b.y) ^ 2`.
pub(super) fn expr(p: &mut Parser<'_>) {
    expr_bp(p, 0);
}

fn expr_bp(p: &mut Parser<'_>, min_power: u8) -> Option<CompletedMarker> {
    let mut lhs = primary(p)?;
    while let Some((left, right)) = infix_power(p.current()) {
        if left < min_power {
            break;
        }
        let m = lhs.precede(p);
        if !p.count_operator() {
            // Over the operator limit: every remaining operator and operand, whatever its
            // precedence, stays flat in this node (the query has an error anyway).
            while infix_power(p.current()).is_some() {
                p.bump();
                if !flat_operand(p) {
                    break;
                }
            }
            return Some(m.complete(p, BINARY_EXPR));
        }
        p.bump();
        if at_expr_start(p) {
            expr_bp(p, right);
        } else {
            p.error_expected(ErrorCode::MissingExpression, "an operand");
        }
        lhs = m.complete(p, BINARY_EXPR);
    }
    Some(lhs)
}

fn primary(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    match p.current() {
        NUMBER | STRING | TRUE_KW | FALSE_KW | UNDEFINED_KW | PARAM | TEMPLATE | DATE_LITERAL => {
            let m = p.start();
            p.bump();
            Some(m.complete(p, LITERAL))
        }
        MINUS | PLUS => {
            let m = p.start();
            if p.count_operator() {
                p.bump();
                expr_bp(p, 7);
            } else {
                flat_operand(p);
            }
            Some(m.complete(p, PREFIX_EXPR))
        }
        L_PAREN => {
            if !p.enter() {
                return None;
            }
            let m = p.start();
            p.bump();
            if at_expr_start(p) {
                expr_bp(p, 0);
            } else {
                p.error_expected(ErrorCode::MissingExpression, "an expression after `(`");
            }
            close_paren(p, "`)` closing the expression");
            p.leave();
            Some(m.complete(p, PAREN_EXPR))
        }
        // `count(*)`: a star where an operand is expected.
        STAR => {
            let m = p.start();
            p.bump();
            Some(m.complete(p, PATH))
        }
        IDENT if p.nth(1) == L_PAREN => Some(call(p)),
        _ if at_expr_start(p) => Some(path(p)),
        _ => {
            p.error_expected(ErrorCode::MissingExpression, "an expression");
            None
        }
    }
}

/// Past the operator limit: any signs, then one operand, without nesting. `false` when no
/// operand follows (an error has been reported).
fn flat_operand(p: &mut Parser<'_>) -> bool {
    while p.at(MINUS) || p.at(PLUS) {
        p.bump();
    }
    if at_expr_start(p) {
        primary(p);
        true
    } else {
        p.error_expected(ErrorCode::MissingExpression, "an operand");
        false
    }
}

/// `name ( args )`
fn call(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(); // name
    if !p.enter() {
        return m.complete(p, CALL_EXPR);
    }
    let args = p.start();
    p.bump(); // (
    if !p.at(R_PAREN) {
        loop {
            if at_expr_start(p) {
                expr(p);
            } else {
                p.error_expected(ErrorCode::MissingExpression, "an argument");
                if !p.at(COMMA) {
                    break;
                }
            }
            if !p.eat(COMMA) {
                break;
            }
        }
    }
    close_paren(p, "`)` closing the argument list");
    p.leave();
    args.complete(p, ARG_LIST);
    m.complete(p, CALL_EXPR)
}

/// `ORDER BY item (, item)*` where item is `path [ASC|DESC]`.
pub(super) fn order_clause(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // ORDER
    if !p.eat(BY_KW) {
        p.error_expected(ErrorCode::MissingOrderBy, "`BY` after `ORDER`");
    }
    loop {
        if p.at(IDENT) || p.at(BRACKETED_NAME) || p.at(STRING) {
            let item = p.start();
            if p.at(STRING) {
                // ORDER BY "Column Name": a quoted column alias.
                let l = p.start();
                p.bump();
                l.complete(p, LITERAL);
            } else {
                path(p);
            }
            if !p.eat(ASC_KW) {
                p.eat(DESC_KW);
            }
            item.complete(p, ORDER_ITEM);
        } else {
            p.error_expected(
                ErrorCode::MissingOrderBy,
                "a field to sort by (`alias.field` or a column name)",
            );
            break;
        }
        if !p.eat(COMMA) {
            break;
        }
    }
    m.complete(p, ORDER_CLAUSE);
}

/// `SKIP n` or `LIMIT n` (a number or a parameter).
pub(super) fn skip_or_limit(p: &mut Parser<'_>) {
    let kind = if p.at(SKIP_KW) {
        SKIP_CLAUSE
    } else {
        LIMIT_CLAUSE
    };
    let keyword = p.current_text().to_uppercase();
    let m = p.start();
    p.bump();
    if p.at(NUMBER) || p.at(PARAM) || p.at(TEMPLATE) || (p.at(MINUS) && p.nth(1) == NUMBER) {
        let l = p.start();
        p.eat(MINUS);
        p.bump();
        l.complete(p, LITERAL);
    } else if p.at(IDENT) || p.at(STRING) && !p.at_line_start() {
        // `LIMIT ten`, `LIMIT '10'`: the wrong kind of value, reported once and kept here.
        p.error_at_current(
            ErrorCode::MissingNumber,
            format!(
                "expected a number after `{keyword}`, found `{}`",
                p.current_text()
            ),
        );
        let e = p.start();
        p.bump();
        e.complete(p, ERROR);
    } else {
        p.error_expected(
            ErrorCode::MissingNumber,
            &format!("a number after `{keyword}`"),
        );
    }
    m.complete(p, kind);
}
