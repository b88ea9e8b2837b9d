//! The typed AST: thin, zero-cost views over syntax nodes (rust-analyzer style).
//!
//! Every accessor returns `Option` (or an iterator) because the tree may come from broken
//! input: a missing part is `None`, never a panic. Later crates (semantics, formatter, linter,
//! language server) read queries only through these types.

mod expressions;
mod filters;
mod query;
mod values;

pub use expressions::*;
pub use filters::*;
pub use query::*;
pub use values::*;

use crate::{SyntaxKind, SyntaxNode, SyntaxToken};

/// A typed view of a syntax node of one kind.
pub trait AstNode: Sized {
    /// Whether a node of `kind` can be viewed as `Self`.
    fn can_cast(kind: SyntaxKind) -> bool;
    /// The typed view of `node`, if it has the right kind.
    fn cast(node: SyntaxNode) -> Option<Self>;
    /// The underlying node (for ranges, text and trivia).
    fn syntax(&self) -> &SyntaxNode;
}

/// Declares a struct wrapping a node of one kind.
macro_rules! ast_node {
    ($(#[$doc:meta])* $name:ident, $kind:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) syntax: $crate::SyntaxNode,
        }

        impl $crate::ast::AstNode for $name {
            fn can_cast(kind: $crate::SyntaxKind) -> bool {
                kind == $crate::SyntaxKind::$kind
            }
            fn cast(node: $crate::SyntaxNode) -> Option<Self> {
                Self::can_cast(node.kind()).then_some($name { syntax: node })
            }
            fn syntax(&self) -> &$crate::SyntaxNode {
                &self.syntax
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.syntax, f)
            }
        }
    };
}
pub(crate) use ast_node;

/// The first child node of type `N`.
pub(crate) fn child<N: AstNode>(parent: &SyntaxNode) -> Option<N> {
    parent.children().find_map(N::cast)
}

/// All child nodes of type `N`, in order.
pub(crate) fn children<N: AstNode>(parent: &SyntaxNode) -> impl Iterator<Item = N> {
    parent.children().filter_map(N::cast)
}

/// The first direct child token of `kind`.
pub(crate) fn token(parent: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    parent
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == kind)
}

/// The first direct child token that is not trivia and matches `pred`.
pub(crate) fn token_where(
    parent: &SyntaxNode,
    pred: impl Fn(SyntaxKind) -> bool,
) -> Option<SyntaxToken> {
    parent
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| !t.kind().is_trivia() && pred(t.kind()))
}

/// The text of a string token without its quotes, with `\\`, `\'` and `\"` unescaped (other
/// backslash sequences are kept as written, so regex-like text such as `\d` survives). An
/// unterminated string yields what was written after the opening quote.
pub fn unquote(text: &str) -> String {
    let Some(quote) = text.chars().next().filter(|c| *c == '\'' || *c == '"') else {
        return text.to_string();
    };
    let body = &text[1..];
    let body = if body.ends_with(quote) && !ends_with_escape(&body[..body.len() - 1]) {
        &body[..body.len() - 1]
    } else {
        body
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('\\' | '\'' | '"')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn ends_with_escape(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

#[cfg(test)]
mod tests;
