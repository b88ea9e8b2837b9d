//! # j1ql-syntax
//!
//! The syntax of the JupiterOne Query Language: a [logos] lexer feeding a hand-written,
//! error-tolerant recursive-descent parser that emits events, from which a lossless [rowan]
//! tree is built (the rust-analyzer design). On top sits a typed AST ([`ast`]) so later crates
//! never index the raw tree.
//!
//! ```
//! let parse = j1ql_syntax::parse("FIND User WITH active = true THAT IS Person");
//! assert!(parse.errors().is_empty());
//! assert_eq!(parse.syntax_node().to_string(), "FIND User WITH active = true THAT IS Person");
//! ```
//!
//! Guarantees, for every input: the tree's text equals the input byte for byte; parsing never
//! panics; every error has a code, a message saying what was expected, and a range inside the
//! input; nesting is bounded by [`MAX_NESTING`], so no input overflows the stack.

pub mod ast;
mod error;
mod grammar;
pub mod lexer;
pub mod line_index;
mod parser;
mod syntax_kind;

pub use error::{ErrorCode, SyntaxError};
pub use parser::MAX_NESTING;
pub use rowan::{TextRange, TextSize};
pub use syntax_kind::{J1ql, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};

use rowan::GreenNode;

/// The result of parsing a document: a lossless green tree and the syntax errors, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The root node ([`SyntaxKind::DOCUMENT`]).
    pub fn syntax_node(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed root.
    pub fn document(&self) -> ast::Document {
        ast::Document::cast_root(self.syntax_node())
    }

    /// The green tree (cheap to clone and share between threads).
    pub fn green(&self) -> &GreenNode {
        &self.green
    }

    /// Syntax errors, sorted by position.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Errors whose range lies within `range` (for example one query's).
    pub fn errors_in(&self, range: TextRange) -> impl Iterator<Item = &SyntaxError> {
        self.errors
            .iter()
            .filter(move |e| range.contains_range(e.range))
    }

    /// The tree in its debug form, followed by the errors: what `j1ql parse` prints and what
    /// snapshot tests record.
    pub fn debug_tree(&self) -> String {
        let mut out = format!("{:#?}", self.syntax_node());
        // rowan ends the dump with a newline; keep exactly one.
        while out.ends_with('\n') {
            out.pop();
        }
        out.push('\n');
        for error in &self.errors {
            out.push_str(&format!(
                "error[{}] {}..{}: {}\n",
                error.code,
                u32::from(error.range.start()),
                u32::from(error.range.end()),
                error.message
            ));
        }
        out
    }
}

/// Parses a J1QL document (one or more queries). Never fails: problems are in
/// [`Parse::errors`], and the tree holds every byte of `text`.
pub fn parse(text: &str) -> Parse {
    let (tokens, mut errors) = lexer::tokenize(text);
    let mut p = parser::Parser::new(text, &tokens);
    grammar::document(&mut p);
    let parser::Parser {
        events,
        errors: parse_errors,
        ..
    } = p;
    let green = parser::sink::build_tree(text, &tokens, events);
    errors.extend(parse_errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse { green, errors }
}
