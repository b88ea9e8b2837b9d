//! Traversals: `THAT [!] verb [<<|>>] [AS rel] target`, and optional groups `( ... )?`.

use super::entity::{self, alias, close_paren, Position};
use super::{at_optional_traversal, CLAUSE_START};
use crate::parser::{Parser, TokenSet};
use crate::ErrorCode;
use crate::SyntaxKind::*;

/// `THAT Relationship Entity`
pub(super) fn traversal(p: &mut Parser<'_>) {
    p.count_traversal();
    let m = p.start();
    p.bump(); // THAT
    let has_verb = relationship(p);
    if has_verb || !(p.at_eof() || p.at_set(CLAUSE_START)) {
        entity::entity(p, Position::Target);
    }
    m.complete(p, TRAVERSAL);
}

/// `[!] (Verb [TO] | RELATES TO | '(' Verb ('|' Verb)* ')') [<< | >>] [AS name]`.
/// Returns whether a verb was found.
fn relationship(p: &mut Parser<'_>) -> bool {
    let m = p.start();
    p.eat(BANG);
    let found = match p.current() {
        IDENT | RELATES_KW => {
            verb(p);
            true
        }
        L_PAREN if p.nth(1) != THAT_KW => {
            verb_group(p);
            true
        }
        _ => {
            p.error_expected(
                ErrorCode::MissingVerb,
                "a relationship verb (such as `HAS`, `IS`, `RELATES TO`) after `THAT`",
            );
            false
        }
    };
    let (mut direction, mut named) = (false, false);
    loop {
        match p.current() {
            SHL | SHR if !direction => {
                let d = p.start();
                p.bump();
                d.complete(p, DIRECTION);
                direction = true;
            }
            AS_KW if !named => {
                alias(p);
                named = true;
            }
            _ => break,
        }
    }
    m.complete(p, RELATIONSHIP);
    found
}

/// One verb: `HAS`, `HAS TO` (filler), `RELATES TO`.
fn verb(p: &mut Parser<'_>) {
    let m = p.start();
    if p.eat(RELATES_KW) {
        if !p.eat(TO_KW) {
            p.error_expected(ErrorCode::MissingTo, "`TO` after `RELATES`");
        }
    } else {
        p.bump();
        p.eat(TO_KW);
    }
    m.complete(p, VERB);
}

/// `( Verb ('|' Verb)* )`
fn verb_group(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(); // (
    loop {
        if p.at(IDENT) || p.at(RELATES_KW) {
            verb(p);
        } else {
            p.error_expected(ErrorCode::MissingVerb, "a relationship verb");
            if !p.at(PIPE) {
                break;
            }
        }
        if !p.eat(PIPE) {
            break;
        }
    }
    close_paren(p, "`)` closing the verb group");
    m.complete(p, VERB_GROUP);
}

/// `( (Traversal | Optional)+ )? [AS name]`
pub(super) fn optional_traversal(p: &mut Parser<'_>) {
    if !p.enter() {
        return;
    }
    let m = p.start();
    p.bump(); // (
    loop {
        match p.current() {
            THAT_KW => traversal(p),
            L_PAREN if at_optional_traversal(p) => optional_traversal(p),
            R_PAREN_QUESTION | R_PAREN => break,
            // A clause keyword: the `)?` is missing, which is reported once, below.
            _ if p.at_eof() || p.at_set(CLAUSE_START) => break,
            _ => {
                p.error_recover(
                    ErrorCode::UnexpectedToken,
                    "`THAT` or `)?` in an optional traversal",
                    CLAUSE_START.union(TokenSet::new(&[R_PAREN, R_PAREN_QUESTION])),
                );
                if !p.at(THAT_KW) {
                    break;
                }
            }
        }
    }
    if !p.eat(R_PAREN_QUESTION) {
        if p.at(R_PAREN) && p.nth(1) == QUESTION {
            // `) ?` with space between: accepted as the same thing.
            p.bump();
            p.bump();
        } else if p.at(R_PAREN) {
            p.error_at_current(
                ErrorCode::UnclosedParen,
                "expected `)?` closing the optional traversal, found `)`".to_string(),
            );
            p.bump();
        } else if p.at_eof() || p.at_set(CLAUSE_START) {
            p.error_expected(
                ErrorCode::UnclosedParen,
                "`)?` closing the optional traversal",
            );
        } else {
            p.error_recover(
                ErrorCode::UnclosedParen,
                "`)?` closing the optional traversal",
                CLAUSE_START.union(TokenSet::new(&[R_PAREN, R_PAREN_QUESTION])),
            );
            if !p.eat(R_PAREN_QUESTION) {
                p.eat(R_PAREN);
            }
        }
    }
    p.leave();
    if p.at(AS_KW) {
        alias(p);
    }
    m.complete(p, OPTIONAL_TRAVERSAL);
}
