//! The parser machinery: a cursor over significant tokens that records [`event::Event`]s,
//! markers to open and close nodes (with `precede` for left-nested operators), error
//! reporting with ranges, and the nesting limit. The grammar itself is in [`crate::grammar`].

pub(crate) mod event;
pub(crate) mod sink;
mod token_set;

pub(crate) use token_set::TokenSet;

use std::cell::Cell;

use rowan::{TextRange, TextSize};

use crate::error::{ErrorCode, SyntaxError};
use crate::lexer::Token;
use crate::SyntaxKind::{self, *};
use event::Event;

/// How deeply parentheses (filters, value groups, expressions, optional traversals) may nest
/// before the parser stops descending and reports [`ErrorCode::NestingTooDeep`]. Recursion is
/// bounded by this, so no input can overflow the stack.
pub const MAX_NESTING: u32 = 128;

/// How many binary operators (`AND`, `OR`, `+ - * / ^`) and prefix signs one query may chain
/// before the parser stops nesting and reports [`ErrorCode::TooManyOperators`]. Each operator
/// adds one level to the syntax tree (`a AND b AND c` is `(a AND b) AND c`), and the tree, the
/// query IR and everything that walks them (lowering, formatting, evaluation, the language
/// server, dropping the tree) are recursive; with this limit and [`MAX_NESTING`] no tree is
/// deeper than about 1,400 levels, whatever the input's size. Real queries use fewer than 30
/// operators; a long list of alternatives is written as a value group (`id = (1 OR 2 OR …)`),
/// which is flat and has no limit.
pub const MAX_OPERATORS: u32 = 1000;

/// How many traversals (`THAT ...`, including those inside optional groups) one query may
/// have before the parser reports [`ErrorCode::TooManyTraversals`]. The evaluator walks a path
/// one traversal deeper per step (recursively), so this bounds its stack; real queries use
/// fewer than 15.
pub const MAX_TRAVERSALS: u32 = 256;

/// A cursor over the significant (non-trivia) tokens.
pub(crate) struct Parser<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pos: usize,
    pub(crate) events: Vec<Event>,
    pub(crate) errors: Vec<SyntaxError>,
    depth: u32,
    /// Binary operators and prefix signs seen in the current query (see [`MAX_OPERATORS`]).
    operators: u32,
    /// Traversals seen in the current query (see [`MAX_TRAVERSALS`]).
    traversals: u32,
    /// Set when the parser looked for a token past the end of `tokens` (it saw the end of
    /// input there). A part of a document parsed in parts has only a few tokens of the next
    /// part to look ahead into; if it looks further, the part is parsed again whole.
    looked_past_end: Cell<bool>,
}

impl<'t> Parser<'t> {
    /// A parser over `tokens`, the significant tokens of `text`, recording into `events`
    /// (an empty buffer, passed in so that its allocation can be reused).
    pub(crate) fn new(text: &'t str, tokens: &'t [Token], mut events: Vec<Event>) -> Self {
        events.clear();
        events.reserve(tokens.len() * 2 + 2);
        Parser {
            text,
            events,
            tokens,
            pos: 0,
            errors: Vec::new(),
            depth: 0,
            operators: 0,
            traversals: 0,
            looked_past_end: Cell::new(false),
        }
    }

    /// A parser that starts at the significant token `pos` of `tokens` and is expected to stop
    /// near `stop` (a part of a document parsed in parts: it still sees the tokens around the
    /// part for look-ahead and look-behind).
    pub(crate) fn new_at(
        text: &'t str,
        tokens: &'t [Token],
        mut events: Vec<Event>,
        pos: usize,
        stop: usize,
    ) -> Self {
        events.clear();
        events.reserve(stop.saturating_sub(pos) * 2 + 2);
        Parser {
            text,
            events,
            tokens,
            pos,
            errors: Vec::new(),
            depth: 0,
            operators: 0,
            traversals: 0,
            looked_past_end: Cell::new(false),
        }
    }

    /// The index of the current significant token.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Whether the parser looked for a token past the end of its tokens.
    pub(crate) fn looked_past_end(&self) -> bool {
        self.looked_past_end.get()
    }

    /// The token at index `i`; `None` past the end (noted in `looked_past_end`).
    #[inline]
    fn token(&self, i: usize) -> Option<&'t Token> {
        let token = self.tokens.get(i);
        if token.is_none() {
            self.looked_past_end.set(true);
        }
        token
    }

    /// The kind of the token `n` ahead (`EOF` is reported as `ERROR` past the end: use
    /// [`Parser::at_eof`] to test for the end).
    pub(crate) fn nth(&self, n: usize) -> SyntaxKind {
        self.token(self.pos + n).map_or(EOF, |t| t.kind)
    }

    pub(crate) fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    pub(crate) fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    pub(crate) fn at_set(&self, set: TokenSet) -> bool {
        !self.at_eof() && set.contains(self.current())
    }

    pub(crate) fn at_eof(&self) -> bool {
        self.token(self.pos).is_none()
    }

    /// The text of the current token (empty at the end).
    pub(crate) fn current_text(&self) -> &'t str {
        self.token(self.pos).map_or("", |t| &self.text[t.range])
    }

    /// Whether the token `n` ahead starts right where the one before it ends (no trivia).
    pub(crate) fn nth_is_glued(&self, n: usize) -> bool {
        let i = self.pos + n;
        i > 0
            && self
                .token(i)
                .is_some_and(|t| self.tokens[i - 1].range.end() == t.range.start())
    }

    /// Adds the current token to the innermost open node.
    pub(crate) fn bump(&mut self) {
        if !self.at_eof() {
            self.pos += 1;
            self.events.push(Event::Token);
        }
    }

    /// Bumps when at `kind`.
    pub(crate) fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn start(&mut self) -> Marker {
        let pos = self.events.len() as u32;
        self.events.push(Event::Start {
            kind: TOMBSTONE,
            forward_parent: None,
        });
        Marker { pos }
    }

    /// "expected X, found Y": at the current token, or just after the previous one when the
    /// input ended or the current token starts a new clause (something is missing).
    pub(crate) fn error_expected(&mut self, code: ErrorCode, expected: &str) {
        let found = self.describe_current();
        let message = format!("expected {expected}, found {found}");
        let range = self.missing_range();
        self.push_error(code, message, range);
    }

    /// An error spanning the current token.
    pub(crate) fn error_at_current(&mut self, code: ErrorCode, message: String) {
        let range = self.current_range();
        self.push_error(code, message, range);
    }

    pub(crate) fn push_error(&mut self, code: ErrorCode, message: String, range: TextRange) {
        self.errors.push(SyntaxError::new(code, message, range));
    }

    /// Reports "expected X", then skips tokens into one ERROR node until a token of
    /// `recovery` (or the end). Skips nothing when already at a recovery token.
    pub(crate) fn error_recover(&mut self, code: ErrorCode, expected: &str, recovery: TokenSet) {
        self.error_recover_until(code, expected, |p| p.at_set(recovery));
    }

    /// [`Parser::error_recover`] with a predicate saying where to stop.
    pub(crate) fn error_recover_until(
        &mut self,
        code: ErrorCode,
        expected: &str,
        stop: impl Fn(&Parser<'_>) -> bool,
    ) {
        if self.at_eof() || stop(self) {
            self.error_expected(code, expected);
            return;
        }
        let start = self.current_range().start();
        let message = format!("expected {expected}, found {}", self.describe_current());
        let m = self.start();
        while !self.at_eof() && !stop(self) {
            self.skip_balanced();
        }
        m.complete(self, ERROR);
        let end = self.tokens[self.pos - 1].range.end();
        self.push_error(code, message, TextRange::new(start, end));
    }

    /// Whether the current token is a `FIND` that starts a new query: the first token on its
    /// line, after the document's first token. Nothing — a query, error recovery, skipped
    /// parentheses — runs past it, so that each query parses as it would alone
    /// (crate::split).
    pub(crate) fn at_query_start(&self) -> bool {
        self.pos > 0 && self.at(FIND_KW) && self.at_line_start()
    }

    /// Whether the current token is the first on its line (only trivia before it on the line).
    pub(crate) fn at_line_start(&self) -> bool {
        let Some(t) = self.token(self.pos) else {
            return false;
        };
        let before = match self.pos {
            0 => &self.text[..usize::from(t.range.start())],
            n => {
                &self.text
                    [usize::from(self.tokens[n - 1].range.end())..usize::from(t.range.start())]
            }
        };
        self.pos == 0 || before.contains('\n')
    }

    /// Bumps one token; if it is an opening parenthesis, bumps through its matching close
    /// (iteratively, so arbitrarily deep input is fine).
    pub(crate) fn skip_balanced(&mut self) {
        let mut open = 0usize;
        loop {
            // Never into the next query (crate::split): an unclosed `(` ends with its line.
            if open > 0 && self.at_query_start() {
                break;
            }
            match self.current() {
                L_PAREN => open += 1,
                R_PAREN | R_PAREN_QUESTION => open = open.saturating_sub(1),
                _ => {}
            }
            self.bump();
            if open == 0 || self.at_eof() {
                break;
            }
        }
    }

    /// Enters one level of nesting; `false` (with an error, and the nested input skipped into
    /// an ERROR node) when [`MAX_NESTING`] is reached.
    pub(crate) fn enter(&mut self) -> bool {
        if self.depth >= MAX_NESTING {
            let start = self.current_range().start();
            let m = self.start();
            self.skip_balanced();
            m.complete(self, ERROR);
            let end = self.tokens[self.pos - 1].range.end();
            self.push_error(
                ErrorCode::NestingTooDeep,
                format!("parentheses nested more than {MAX_NESTING} deep"),
                TextRange::new(start, end),
            );
            return false;
        }
        self.depth += 1;
        true
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Starts counting the operators of a new query.
    pub(crate) fn start_query(&mut self) {
        self.operators = 0;
        self.traversals = 0;
    }

    /// Counts the traversal starting at the current token (`THAT`); the first one over
    /// [`MAX_TRAVERSALS`] gets an error. The tree stays flat either way.
    pub(crate) fn count_traversal(&mut self) {
        self.traversals = self.traversals.saturating_add(1);
        if self.traversals == MAX_TRAVERSALS + 1 {
            self.error_at_current(
                ErrorCode::TooManyTraversals,
                format!(
                    "more than {MAX_TRAVERSALS} traversals (`THAT ...`) in one query: split it \
                     into several queries"
                ),
            );
        }
    }

    /// Counts the operator at the current token. `true` while the query has at most
    /// [`MAX_OPERATORS`]; past that, `false` (with one error for the query, at the first
    /// operator over the limit) and the caller keeps the rest of its chain flat, in one node,
    /// instead of nesting it deeper.
    pub(crate) fn count_operator(&mut self) -> bool {
        self.operators = self.operators.saturating_add(1);
        if self.operators <= MAX_OPERATORS {
            return true;
        }
        if self.operators == MAX_OPERATORS + 1 {
            self.error_at_current(
                ErrorCode::TooManyOperators,
                format!(
                    "more than {MAX_OPERATORS} operators (`AND`, `OR`, `+ - * / ^`) in one query: \
                     split it into several queries, or list alternatives in a value group \
                     (`x = (1 OR 2 OR 3)`)"
                ),
            );
        }
        false
    }

    /// The range of the last bumped token.
    pub(crate) fn previous_range(&self) -> TextRange {
        match self.pos {
            0 => TextRange::empty(TextSize::from(0)),
            n => self.tokens[n - 1].range,
        }
    }

    pub(crate) fn current_range(&self) -> TextRange {
        match self.token(self.pos) {
            Some(t) => t.range,
            None => TextRange::empty(self.end_of_previous()),
        }
    }

    /// Where a missing thing is reported: an empty range right after the previous token.
    fn missing_range(&self) -> TextRange {
        TextRange::empty(self.end_of_previous())
    }

    fn end_of_previous(&self) -> TextSize {
        if self.pos == 0 {
            self.tokens
                .first()
                .map_or(TextSize::from(0), |t| t.range.start())
        } else {
            self.tokens[self.pos - 1].range.end()
        }
    }

    fn describe_current(&self) -> String {
        // The next query's FIND ends this one as the end of the input would.
        if self.at_eof() || self.at_query_start() {
            return "the end of the query".to_string();
        }
        let kind = self.current();
        match kind {
            IDENT | NUMBER | BRACKETED_NAME | SMART_CLASS_NAME | ERROR_TOKEN => {
                format!("`{}`", self.current_text())
            }
            k if k.is_keyword() => format!("`{}`", self.current_text()),
            k => k.describe().to_string(),
        }
    }
}

/// The end of input, as returned by [`Parser::current`] past the last token.
pub(crate) const EOF: SyntaxKind = SyntaxKind::ERROR;
/// The kind of a `Start` event not completed yet.
const TOMBSTONE: SyntaxKind = SyntaxKind::ERROR;

/// An open node. Complete it with a kind, or abandon it.
#[must_use]
pub(crate) struct Marker {
    pos: u32,
}

impl Marker {
    pub(crate) fn complete(self, p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
        match &mut p.events[self.pos as usize] {
            Event::Start { kind: k, .. } => *k = kind,
            _ => unreachable!("a marker always points at its Start event"),
        }
        p.events.push(Event::Finish);
        CompletedMarker { pos: self.pos }
    }
}

/// A finished node, which can still be wrapped in a new parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompletedMarker {
    pos: u32,
}

impl CompletedMarker {
    /// Opens a new node that will contain this one (and what follows).
    pub(crate) fn precede(self, p: &mut Parser<'_>) -> Marker {
        let new = p.start();
        if let Event::Start { forward_parent, .. } = &mut p.events[self.pos as usize] {
            *forward_parent = Some(new.pos - self.pos);
        }
        new
    }
}
