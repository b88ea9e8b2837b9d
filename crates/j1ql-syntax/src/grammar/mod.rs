//! The J1QL grammar, as recursive descent over the [`Parser`] cursor.
//!
//! ```text
//! Document  = (Query | Error)*
//! Query     = [FIND] [UNIQUE] Entity (Traversal | OptionalTraversal)*
//!             (Where | Return | Having | OrderBy | Skip | Limit)* [;]
//! Entity    = Selector (WITH Filter | AS name)*
//! Selector  = #Smart* (Name | * | '(' Name ('|' Name)* ')' | "full text")
//! Traversal = THAT [!] (Verb [TO] | RELATES TO | '(' Verb ('|' Verb)* ')')
//!             [<< | >>] [AS name] Entity
//! Optional  = '(' (Traversal | Optional)+ ')?' [AS name]
//! Filter    = And (OR And)* ;  And = Atom (AND Atom)* ;  Atom = '(' Filter ')' | Comparison
//! ```
//! A query starts at FIND (or at a bare string, for full-text search) and ends before the
//! next FIND, after a `;`, or at the end of the input.

mod entity;
mod expression;
mod filter;
mod query;
mod traversal;

use crate::parser::{Parser, TokenSet};
use crate::SyntaxKind::{self, *};

/// Keywords that start a clause of a query, and `;`: where recovery stops skipping.
pub(crate) const CLAUSE_START: TokenSet =
    TokenSet::new(&crate::syntax_kind::CLAUSE_KEYWORDS).union(TokenSet::new(&[SEMICOLON]));

/// Tokens that may start a query (besides FIND): what a query with a missing FIND looks like.
const QUERY_START_WITHOUT_FIND: TokenSet =
    TokenSet::new(&[UNIQUE_KW, IDENT, STAR, SMART_CLASS_NAME, STRING]);

/// Keywords that may also be used as names ([`crate::syntax_kind::SOFT_KEYWORDS`]).
pub(crate) const SOFT_KEYWORDS: TokenSet = TokenSet::new(&crate::syntax_kind::SOFT_KEYWORDS);

/// Parses a whole document into events.
pub(crate) fn document(p: &mut Parser<'_>) {
    document_part(p, usize::MAX);
}

/// Parses the queries from the current token up to the significant token `stop` (or the end)
/// into one DOCUMENT node. A document parsed in parts is one such node per part, each
/// starting at a `FIND`; the parts' children are then joined under one DOCUMENT. The part is
/// exactly what a whole-document parse makes of those tokens when the parser ends at `stop`
/// at the document level; the caller checks that it did not go past it.
pub(crate) fn document_part(p: &mut Parser<'_>, stop: usize) {
    let m = p.start();
    // An empty document (or one of only comments and `;`) is valid: it holds no query.
    // Editors and `j1ql check` see such files all the time; `j1ql run` refuses "no query".
    while !p.at_eof() && p.pos() < stop {
        if p.at(FIND_KW) || p.at_set(QUERY_START_WITHOUT_FIND) {
            query::query(p);
        } else if p.at(SEMICOLON) {
            // An empty statement between queries: harmless, kept in the document.
            p.bump();
        } else {
            p.error_recover(
                crate::ErrorCode::MissingFind,
                "a query starting with `FIND`",
                TokenSet::new(&[FIND_KW]),
            );
        }
    }
    m.complete(p, DOCUMENT);
}

/// Whether an optional traversal starts here: `(` then, after any further `(` (nested optional
/// groups), `THAT`. The look-ahead is bounded by [`crate::MAX_NESTING`].
pub(crate) fn at_optional_traversal(p: &Parser<'_>) -> bool {
    let mut n = 0;
    while p.nth(n) == L_PAREN && n <= crate::MAX_NESTING as usize {
        n += 1;
    }
    n > 0 && p.nth(n) == THAT_KW
}

/// Whether the current token can be read as a name (an identifier, or a soft keyword).
pub(crate) fn at_name(p: &Parser<'_>) -> bool {
    p.at(IDENT) || p.at_set(SOFT_KEYWORDS)
}

/// The kinds of a comparison operator token.
pub(crate) fn is_comparison(kind: SyntaxKind) -> bool {
    kind.is_comparison_op()
}
