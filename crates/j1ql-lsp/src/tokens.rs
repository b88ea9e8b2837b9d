//! Semantic tokens: the legend and how a syntax token is classified. One home for both the
//! tokens kept with each chunk ([`crate::document`]) and the range requests.

use j1ql_syntax::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};
use ropey::Rope;
use tower_lsp_server::ls_types::SemanticTokenType;

use crate::document::{position_in, ChunkToken, Encoding};

/// Semantic token types, in legend order.
pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::CLASS,
    SemanticTokenType::TYPE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::COMMENT,
    SemanticTokenType::REGEXP,
    SemanticTokenType::MACRO,
];

pub fn token_type(t: &SyntaxToken) -> Option<u32> {
    let kind: SyntaxKind = t.kind();
    let parent = t.parent().map(|p| p.kind());
    Some(match kind {
        LINE_COMMENT | BLOCK_COMMENT => 9,
        STRING => 6,
        NUMBER | DATE_LITERAL => 7,
        REGEX => 10,
        PARAM | TEMPLATE | SMART_CLASS_NAME | DATE_NOW => 11,
        IDENT => match parent {
            Some(SELECTOR | SELECTOR_GROUP) => {
                if t.text().starts_with(|c: char| c.is_uppercase()) {
                    1
                } else {
                    2
                }
            }
            Some(VERB | VERB_GROUP) => 3,
            Some(ALIAS) => 4,
            Some(CALL_EXPR) => 3,
            Some(PATH) if is_alias_use(t) => 4,
            _ => 5,
        },
        EQ | NEQ | GT | LT | GTE | LTE | TILDE_EQ | CARET_EQ | DOLLAR_EQ | NOT_TILDE_EQ
        | NOT_CARET_EQ | NOT_DOLLAR_EQ | SHL | SHR | BANG | PLUS | MINUS | SLASH | CARET => 8,
        k if k.is_keyword() => 0,
        _ => return None,
    })
}

/// The semantic tokens of one chunk, positions relative to its first line.
pub fn chunk_tokens(root: &SyntaxNode, rope: &Rope, encoding: Encoding) -> Vec<ChunkToken> {
    let mut out = Vec::new();
    for t in root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        let Some(token_type) = token_type(&t) else {
            continue;
        };
        let range = t.text_range();
        let start = position_in(rope, range.start().into(), encoding);
        // Multi-line tokens (block comments): only their first line.
        let first_line_end =
            usize::from(range.start()) + t.text().find('\n').unwrap_or(t.text().len());
        let end = position_in(rope, first_line_end, encoding);
        out.push(ChunkToken {
            line: start.line,
            start: start.character,
            length: end.character - start.character,
            token_type,
        });
    }
    out
}

/// An identifier that refers to an alias: first of a path (`u.name`), a bare RETURN/ORDER
/// item, an aggregate argument.
pub fn is_alias_use(t: &SyntaxToken) -> bool {
    let Some(parent) = t.parent() else {
        return false;
    };
    match parent.kind() {
        PATH => {
            // First token of the path, and the path is not inside a WITH clause.
            let first = parent
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .next();
            first.as_ref() == Some(t) && !parent.ancestors().any(|a| a.kind() == WITH_CLAUSE)
        }
        _ => false,
    }
}
