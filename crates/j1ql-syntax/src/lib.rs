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
pub mod edit;
mod error;
mod grammar;
pub mod keyword_case;
pub mod lexer;
pub mod line_index;
mod parallel;
mod parser;
pub mod split;
mod syntax_kind;

pub use error::{ErrorCode, SyntaxError};
pub use parser::{MAX_NESTING, MAX_OPERATORS, MAX_TRAVERSALS};
pub use rowan::{TextRange, TextSize};
pub use syntax_kind::{
    J1ql, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken, CLAUSE_KEYWORDS, KEYWORDS,
    SOFT_KEYWORDS,
};

use std::cell::Cell;
use std::sync::Arc;

use rowan::GreenNode;

/// The result of parsing a document: a lossless green tree and the syntax errors, in order.
#[derive(Clone)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
    /// For a document parsed in parts, each part's own tree: the same children as `green`'s,
    /// kept so that dropping the `Parse` frees them on all cores.
    parts: Option<Arc<parallel::Parts>>,
}

impl Drop for Parse {
    fn drop(&mut self) {
        if let Some(parts) = self.parts.take() {
            // The document node goes first (its children live on in the parts, unless the
            // tree is still used elsewhere), then the parts are freed in parallel.
            drop(std::mem::replace(
                &mut self.green,
                GreenNode::new(SyntaxKind::DOCUMENT.into(), []),
            ));
            parallel::drop_parts(parts);
        }
    }
}

/// Two parses are equal when their trees and errors are, however they were parsed.
impl PartialEq for Parse {
    fn eq(&self, other: &Self) -> bool {
        self.green == other.green && self.errors == other.errors
    }
}

impl Eq for Parse {}

impl std::fmt::Debug for Parse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parse")
            .field("green", &self.green)
            .field("errors", &self.errors)
            .finish()
    }
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
    ///
    /// The layout is rowan's (`{:#?}`: two spaces per level, `KIND@start..end`, tokens with
    /// their text), except that indentation stops growing at [`DEBUG_INDENT_LEVELS`]: deeper
    /// lines start with `[depth N]` instead, so the output stays linear in the tree's size even
    /// for the deepest tree the parser builds.
    pub fn debug_tree(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let mut level = 0usize;
        for event in self.syntax_node().preorder_with_tokens() {
            match event {
                rowan::WalkEvent::Enter(element) => {
                    let shown = level.min(DEBUG_INDENT_LEVELS);
                    out.extend(std::iter::repeat_n("  ", shown));
                    if level > DEBUG_INDENT_LEVELS {
                        let _ = write!(out, "[depth {level}] ");
                    }
                    let _ = match element {
                        rowan::NodeOrToken::Node(node) => writeln!(out, "{node:?}"),
                        rowan::NodeOrToken::Token(token) => writeln!(out, "{token:?}"),
                    };
                    level += 1;
                }
                rowan::WalkEvent::Leave(_) => level -= 1,
            }
        }
        // Keep exactly one final newline.
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

/// How many levels [`Parse::debug_tree`] indents; deeper lines carry their depth as a number.
pub const DEBUG_INDENT_LEVELS: usize = 64;

/// Parses a J1QL document (one or more queries). Never fails: problems are in
/// [`Parse::errors`], and the tree holds every byte of `text`.
///
/// A large document (64 KiB or more) is parsed in parts on rayon's threads, cut before
/// line-starting `FIND`s; the tree and errors are exactly those of a whole parse (see the
/// `parallel` module for the checks that guarantee it).
pub fn parse(text: &str) -> Parse {
    if text.len() >= parallel::MIN_DOCUMENT {
        if let Some(parse) = parallel::parse(text) {
            return parse;
        }
    }
    parse_single_threaded(text)
}

/// [`parse`] cut into at most `parts` parts, however small `text` is; `None` when it cannot be
/// cut (no line-starting `FIND` after the first share of the text) or when a part fails a check
/// of the parallel parse (then [`parse`] parses the document whole). For tests and fuzzing of
/// the parallel parse on small documents; use [`parse`].
#[doc(hidden)]
pub fn parse_in_parts(text: &str, parts: usize) -> Option<Parse> {
    parallel::parse_in_parts(text, parts)
}

/// [`parse`] on the current thread only, whatever the size: for callers that already parse
/// many documents in parallel, and to check that the parallel parse gives the same result.
pub fn parse_single_threaded(text: &str) -> Parse {
    // The token and event buffers are reused from one parse to the next on a thread (taken
    // out while in use, so nothing is borrowed across the parse).
    let mut scratch = SCRATCH.try_with(Cell::take).unwrap_or_default();
    scratch.significant.clear();
    let mut errors = lexer::tokenize_range_into(
        text,
        0,
        text.len(),
        &mut scratch.tokens,
        Some(&mut scratch.significant),
    );
    let events = std::mem::take(&mut scratch.events);
    let mut p = parser::Parser::new(text, &scratch.significant, events);
    grammar::document(&mut p);
    let parser::Parser {
        events,
        errors: parse_errors,
        ..
    } = p;
    scratch.events = events;
    let green = parser::sink::build_tree(text, &scratch.tokens, &mut scratch.events);
    errors.extend(parse_errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    scratch.shrink();
    // Fails only while the thread is being torn down; the buffers are then just dropped.
    let _ = SCRATCH.try_with(|cell| cell.set(scratch));
    Parse {
        green,
        errors,
        parts: None,
    }
}

/// Buffers [`parse`] reuses between calls on one thread.
#[derive(Default)]
struct Scratch {
    tokens: Vec<lexer::Token>,
    significant: Vec<lexer::Token>,
    events: Vec<parser::event::Event>,
}

impl Scratch {
    /// Buffers grown by a huge document are released rather than kept for the thread's life.
    fn shrink(&mut self) {
        const KEEP: usize = 1 << 20;
        if self.tokens.capacity() > KEEP {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}
