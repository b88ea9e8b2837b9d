//! Entity patterns: the selector, WITH filters and aliases.

use super::{at_name, filter, CLAUSE_START};
use crate::parser::{CompletedMarker, Parser, TokenSet};
use crate::ErrorCode;
use crate::SyntaxKind::*;

/// Where an entity pattern stands: it decides what "missing" means and whether a full-text
/// string may be the selector.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Position {
    /// After FIND.
    Start,
    /// After a relationship verb.
    Target,
}

/// `Selector (WITH Filter | AS name)*`
pub(super) fn entity(p: &mut Parser<'_>, position: Position) -> CompletedMarker {
    let m = p.start();
    selector(p, position);
    loop {
        match p.current() {
            WITH_KW => filter::with_clause(p),
            AS_KW => alias(p),
            _ => break,
        }
    }
    m.complete(p, ENTITY)
}

fn selector(p: &mut Parser<'_>, position: Position) {
    let m = p.start();
    let mut any = false;
    while p.at(SMART_CLASS_NAME) {
        p.bump();
        any = true;
    }
    match p.current() {
        IDENT | STAR => {
            p.bump();
            any = true;
        }
        STRING if position == Position::Start && !any => {
            p.bump();
            any = true;
        }
        L_PAREN if p.nth(1) != THAT_KW => {
            selector_group(p);
            any = true;
        }
        _ => {}
    }
    if !any {
        let after = match position {
            Position::Start => "`FIND`",
            Position::Target => "the relationship",
        };
        p.error_expected(
            ErrorCode::MissingSelector,
            &format!("a class, type, `*`, `(A|B)` or smart class after {after}"),
        );
    }
    m.complete(p, SELECTOR);
}

/// `( Name ('|' Name)* )`
fn selector_group(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // (
    loop {
        if p.at(IDENT) || p.at(STAR) {
            p.bump();
        } else {
            p.error_expected(ErrorCode::MissingSelector, "a class or type");
            if !p.at(PIPE) && !p.at(R_PAREN) {
                break;
            }
        }
        if !p.eat(PIPE) {
            break;
        }
    }
    close_paren(p, "`)` closing the class/type group");
    m.complete(p, SELECTOR_GROUP);
}

/// Expects `)`; accepts `)?` too (reporting it) so a stray `?` does not derail the query.
pub(super) fn close_paren(p: &mut Parser<'_>, what: &str) {
    if p.eat(R_PAREN) {
        return;
    }
    if p.at(R_PAREN_QUESTION) {
        p.error_at_current(
            ErrorCode::UnexpectedToken,
            format!("expected {what}, found `)?` (only a traversal group can be optional)"),
        );
        p.bump();
        return;
    }
    // Skip what cannot be placed inside the parentheses, up to the closing one.
    if !p.at_eof() && !p.at_set(CLAUSE_START) {
        p.error_recover(
            ErrorCode::UnclosedParen,
            what,
            CLAUSE_START.union(TokenSet::new(&[R_PAREN, R_PAREN_QUESTION])),
        );
        p.eat(R_PAREN);
    } else {
        p.error_expected(ErrorCode::UnclosedParen, what);
    }
}

/// `AS name`
pub(super) fn alias(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // AS
    if at_name(p) {
        p.bump();
    } else {
        p.error_expected(ErrorCode::MissingAlias, "a name after `AS`");
    }
    m.complete(p, ALIAS);
}
