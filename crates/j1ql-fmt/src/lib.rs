//! # j1ql-fmt
//!
//! The J1QL formatter. It walks the lossless syntax tree of `j1ql-syntax` (as taplo's
//! formatter does for TOML), so every comment is kept, and it lays each query out in the house
//! style:
//!
//! - keywords and relationship verbs in upper case (configurable), `true`/`false`/`undefined`
//!   in lower case, string values in single quotes (configurable);
//! - one space between words, none inside paths (`u.name`), after `(`, before `)` and `,`,
//!   around `|` in alternations, after `!`, or between a function and its arguments;
//! - a short query stays on one line; a long one (wider than the line width, or with a RETURN
//!   clause, three or more clauses, or a comment that needs its own line) puts each clause on
//!   its own line: `THAT` traversals indented one level, `WHERE`, `HAVING`, `RETURN`,
//!   `ORDER BY`, `SKIP` and `LIMIT` at the start of a line;
//! - a clause still wider than the line width breaks before each `AND`/`OR` of its filter, or
//!   puts each returned column on its own line;
//! - queries of a document are separated by a line break, blank lines between them are kept
//!   (at most one), and the document ends with one line break.
//!
//! A document with syntax errors is never changed: [`format`] returns the errors instead.
//! Every result is checked before it is returned: the output must parse to the same tree as
//! the input (trivia, keyword case and quote style aside), every query must lower to the same
//! IR (so the same property names with the same case, values, aliases and column names:
//! [`query_meanings`]), and every comment must be kept. A formatter bug therefore leaves the
//! text untouched ([`FormatError::Unstable`]) rather than changing what a query means.

use std::fmt;

pub use j1ql_config::{FormatOptions, KeywordCase, QuoteStyle};
use j1ql_syntax::keyword_case::{self, Casing};
use j1ql_syntax::{SyntaxError, SyntaxKind, SyntaxNode, SyntaxToken, TextRange};

use SyntaxKind::*;

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The document has syntax errors; it is left as it is.
    Syntax(Vec<SyntaxError>),
    /// The formatted text would not mean the same (a formatter bug); the text is left as it
    /// is.
    Unstable(String),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(errors) => write!(
                f,
                "{} syntax error{}: not formatted",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ),
            FormatError::Unstable(message) => write!(f, "not formatted: {message}"),
        }
    }
}

impl std::error::Error for FormatError {}

pub use j1ql_syntax::edit::{apply_edits, TextEdit};

/// Formats a whole document.
pub fn format(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    format_with(text, options, Layout::Normal)
}

/// Formats a document keeping each query on one line where comments allow (for queries
/// stored in one-line strings, such as JSON values). No final line break is added.
pub fn format_compact(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    format_with(text, options, Layout::Compact)
}

/// Formats the queries that overlap `range` (or contain it, when it is empty) and returns
/// one edit per query. Text between queries is left alone, and so is a query with a syntax
/// error: each query parses on its own (`j1ql_syntax::split`), so the others are formatted —
/// an editor's format-on-save works while one query is being written. An error only when
/// every query the range touches has a syntax error.
pub fn format_range(
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Result<Vec<TextEdit>, FormatError> {
    let parse = j1ql_syntax::parse(text);
    let root = parse.syntax_node();
    let errors = parse.errors();
    let mut edits = Vec::new();
    let mut broken = Vec::new();
    let (mut touched, mut broken_queries) = (0, 0);
    for query in root.children().filter(|n| n.kind() == QUERY) {
        let r = query.text_range();
        let touches = if range.is_empty() {
            r.contains_inclusive(range.start())
        } else {
            r.intersect(range).is_some_and(|i| !i.is_empty())
        };
        if !touches {
            continue;
        }
        touched += 1;
        let own: Vec<SyntaxError> = errors
            .iter()
            .filter(|e| r.contains_range(e.range))
            .cloned()
            .collect();
        if !own.is_empty() {
            broken.extend(own);
            broken_queries += 1;
            continue;
        }
        let new_text = format_query(&query, options, Layout::Normal);
        if new_text != query.text().to_string() {
            // The query alone, before and after: queries parse independently.
            verify(
                &j1ql_syntax::parse(&query.text().to_string()).syntax_node(),
                &new_text,
            )?;
            edits.push(TextEdit { range: r, new_text });
        }
    }
    if touched > 0 && broken_queries == touched {
        return Err(FormatError::Syntax(broken));
    }
    Ok(edits)
}

/// Whether two trees are the same query text, trivia aside: same nodes, same tokens, with
/// keywords and verbs compared without case, and strings by their value.
pub fn same_tree(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    if a.kind() != b.kind() {
        return false;
    }
    let mut ea = a
        .children_with_tokens()
        .filter(|e| !e.kind().is_trivia())
        .peekable();
    let mut eb = b.children_with_tokens().filter(|e| !e.kind().is_trivia());
    loop {
        match (ea.next(), eb.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => match (x, y) {
                (rowan::NodeOrToken::Node(x), rowan::NodeOrToken::Node(y)) => {
                    if !same_tree(&x, &y) {
                        return false;
                    }
                }
                (rowan::NodeOrToken::Token(x), rowan::NodeOrToken::Token(y)) => {
                    if x.kind() != y.kind() || token_key(&x) != token_key(&y) {
                        return false;
                    }
                }
                _ => return false,
            },
            _ => return false,
        }
    }
}

/// The comments of a tree, in order (line comments without trailing spaces).
pub fn comments(node: &SyntaxNode) -> Vec<String> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| matches!(t.kind(), LINE_COMMENT | BLOCK_COMMENT))
        .map(|t| t.text().trim_end().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Normal,
    Compact,
}

fn format_with(text: &str, options: &FormatOptions, layout: Layout) -> Result<String, FormatError> {
    let parse = j1ql_syntax::parse(text);
    if !parse.errors().is_empty() {
        return Err(FormatError::Syntax(parse.errors().to_vec()));
    }
    let root = parse.syntax_node();
    let mut output = format_document(&root, options, layout);
    // A byte order mark at the start (whitespace to the lexer) stays: formatting changes
    // layout, not the file's encoding marker.
    let bom = j1ql_syntax::lexer::BYTE_ORDER_MARK;
    if text.starts_with(bom) && !output.starts_with(bom) {
        output.insert(0, bom);
    }
    verify(&root, &output)?;
    Ok(output)
}

/// The safety net: the output parses cleanly to the same tree, with the same comments.
fn verify(before: &SyntaxNode, output: &str) -> Result<(), FormatError> {
    let after = j1ql_syntax::parse(output);
    if let Some(e) = after.errors().first() {
        return Err(FormatError::Unstable(format!(
            "the formatted text has a syntax error ({}: {})",
            e.code, e.message
        )));
    }
    let after = after.syntax_node();
    if !same_tree(before, &after) {
        return Err(FormatError::Unstable(
            "the formatted text parses differently (a formatter bug)".to_string(),
        ));
    }
    if query_meanings(before) != query_meanings(&after) {
        return Err(FormatError::Unstable(
            "the formatted text would mean something else (a formatter bug)".to_string(),
        ));
    }
    if comments(before) != comments(&after) {
        return Err(FormatError::Unstable(
            "the formatted text lost a comment (a formatter bug)".to_string(),
        ));
    }
    Ok(())
}

/// What each query of a document means: its lowered IR ([`j1ql_semantics::ir::Query`]), in
/// its serialized form, which leaves out source ranges and keeps everything else (property
/// names with their case, values, column names, aliases), followed by the codes of the
/// lowering diagnostics (an alias that became undefined shows there). Two texts whose queries
/// have the same meanings return the same results.
pub fn query_meanings(root: &SyntaxNode) -> Vec<String> {
    use j1ql_syntax::ast::AstNode;
    root.children()
        .filter_map(j1ql_syntax::ast::Query::cast)
        .map(|query| {
            let (ir, diagnostics) = j1ql_semantics::lower::lower_query(&query);
            let mut value = serde_json::to_value(&ir).unwrap_or_default();
            // A relationship verb is a keyword (`has` is `HAS`), but it also names an implicit
            // alias as written; only a reference to that alias (checked through the
            // diagnostics below) makes its case matter.
            // Unreferenced, `has` and `HAS` are the same alias (the first definition wins).
            if let Some(aliases) = value.get_mut("aliases").and_then(|a| a.as_array_mut()) {
                let mut seen = std::collections::HashSet::new();
                aliases.retain_mut(|alias| {
                    if alias["implicit"] != true || alias["kind"] != "relationship" {
                        return true;
                    }
                    let Some(text) = alias.pointer_mut("/name/text") else {
                        return true;
                    };
                    let upper = text.as_str().unwrap_or_default().to_uppercase();
                    *text = upper.clone().into();
                    seen.insert(upper)
                });
            }
            let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
            format!("{value} {codes:?}")
        })
        .collect()
}

/// The canonical form of a token for tree comparison.
fn token_key(token: &SyntaxToken) -> String {
    let kind = token.kind();
    let text = token.text();
    if keyword_case::is_value_keyword(token) {
        text.to_ascii_lowercase()
    } else if keyword_case::is_casable_keyword(token) || keyword_case::is_verb_word(token) {
        text.to_ascii_uppercase()
    } else if kind == STRING && is_value_string(token) {
        j1ql_syntax::ast::unquote(text)
    } else {
        text.to_string()
    }
}

/// A string that is a value (not a full-text search, a column name, or an ORDER BY column).
fn is_value_string(token: &SyntaxToken) -> bool {
    token
        .parent()
        .is_some_and(|p| p.kind() == LITERAL && !p.ancestors().any(|a| a.kind() == ORDER_ITEM))
}

fn format_document(root: &SyntaxNode, options: &FormatOptions, layout: Layout) -> String {
    let mut out = String::new();
    // Newlines seen in the whitespace since the last item.
    let mut newlines = 0usize;
    // What the last item was.
    #[derive(PartialEq)]
    enum Last {
        Nothing,
        Query,
        LineComment,
        BlockComment,
    }
    let mut last = Last::Nothing;
    for element in root.children_with_tokens() {
        match element {
            rowan::NodeOrToken::Token(token) => match token.kind() {
                WHITESPACE => newlines += token.text().matches('\n').count(),
                LINE_COMMENT | BLOCK_COMMENT => {
                    separate(
                        &mut out,
                        last == Last::Nothing,
                        newlines,
                        last == Last::LineComment,
                        layout,
                    );
                    out.push_str(token.text().trim_end());
                    last = if token.kind() == LINE_COMMENT {
                        Last::LineComment
                    } else {
                        Last::BlockComment
                    };
                    newlines = 0;
                }
                _ => {
                    // Only trivia and queries sit at the top of an error-free document; keep
                    // anything else verbatim.
                    separate(&mut out, last == Last::Nothing, newlines, true, layout);
                    out.push_str(token.text());
                    last = Last::Query;
                    newlines = 0;
                }
            },
            rowan::NodeOrToken::Node(node) => {
                let must_break = matches!(last, Last::Query | Last::LineComment);
                separate(
                    &mut out,
                    last == Last::Nothing,
                    newlines,
                    must_break,
                    layout,
                );
                out.push_str(&format_query(&node, options, layout));
                last = Last::Query;
                newlines = 0;
            }
        }
    }
    if layout == Layout::Normal && !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Writes what goes between two top-level items: nothing before the first, a space when the
/// source had them on one line (a trailing comment), else one line break, or two where the
/// source had a blank line.
fn separate(out: &mut String, first: bool, newlines: usize, must_break: bool, layout: Layout) {
    if first {
        return;
    }
    if newlines == 0 && !must_break {
        out.push(' ');
    } else if newlines >= 2 && layout == Layout::Normal {
        out.push_str("\n\n");
    } else {
        out.push('\n');
    }
}

/// Where a line may or must break before an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// Inline.
    None,
    /// A clause start: on its own line at this indentation level, once the query is long.
    Clause(usize),
    /// A filter operator or returned column: on its own line when its clause is too wide.
    Soft,
}

#[derive(Debug, Clone)]
struct Item {
    text: String,
    brk: Break,
    /// No space before it.
    glue: bool,
    comment: Option<Comment>,
    /// An opening parenthesis whose group holds comments that need their own lines: its
    /// content goes on indented lines, and the closing one on a line of its own.
    opens_block: bool,
    /// The closing parenthesis of such a group.
    closes_block: bool,
    /// Parenthesis or AND/OR of a value group: one value per line when a clause is still too
    /// wide with its filter broken.
    in_value_group: bool,
}

#[derive(Debug, Clone, Copy)]
struct Comment {
    /// It started its line in the source.
    own_line: bool,
    /// A line break must follow it (a line comment, or a block comment followed by one).
    newline_after: bool,
    /// It spans lines.
    multiline: bool,
}

fn format_query(query: &SyntaxNode, options: &FormatOptions, layout: Layout) -> String {
    let items = query_items(query, options);
    let forced = items.iter().any(|item| {
        item.comment
            .is_some_and(|c| c.own_line || c.newline_after || c.multiline)
    });
    let broken = match layout {
        Layout::Compact => forced,
        Layout::Normal => {
            let clauses = items
                .iter()
                .filter(|i| matches!(i.brk, Break::Clause(_)))
                .count();
            let has_return = query.children().any(|n| n.kind() == RETURN_CLAUSE);
            forced
                || has_return
                || clauses >= 3
                || render_segment(&items, 0, false, false, options)
                    .chars()
                    .count()
                    > options.line_width
        }
    };

    // Segments start at clause items (with the own-line comments just before them).
    let mut starts = vec![0usize];
    if broken {
        for i in 1..items.len() {
            if matches!(items[i].brk, Break::Clause(_)) {
                let mut s = i;
                while s - 1 > *starts.last().unwrap()
                    && items[s - 1].comment.is_some_and(|c| c.own_line)
                {
                    s -= 1;
                }
                starts.push(s);
            }
        }
    }
    let mut out = String::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(items.len());
        let segment = &items[start..end];
        let level = segment
            .iter()
            .find(|i| i.comment.is_none())
            .and_then(|i| match i.brk {
                Break::Clause(level) if broken && n > 0 => Some(level),
                _ => None,
            })
            .unwrap_or(0);
        let prefix = indent(level, options);
        let mut text = render_segment(segment, level, false, false, options);
        let normal = layout == Layout::Normal;
        if normal
            && segment.iter().any(|i| i.brk == Break::Soft)
            && too_wide(&prefix, &text, options)
        {
            text = render_segment(segment, level, true, false, options);
        }
        if normal && segment.iter().any(|i| i.in_value_group) && too_wide(&prefix, &text, options) {
            let soft = segment.iter().any(|i| i.brk == Break::Soft);
            text = render_segment(segment, level, soft, true, options);
        }
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&prefix);
        out.push_str(&text);
    }
    out
}

fn too_wide(prefix: &str, text: &str, options: &FormatOptions) -> bool {
    text.lines().enumerate().any(|(i, line)| {
        line.chars().count() + if i == 0 { prefix.len() } else { 0 } > options.line_width
    })
}

fn indent(level: usize, options: &FormatOptions) -> String {
    " ".repeat(level * options.indent)
}

/// Lays out items that start a line at `level` (the first line's indentation is not
/// included).
fn render_segment(
    items: &[Item],
    level: usize,
    soft: bool,
    wide: bool,
    options: &FormatOptions,
) -> String {
    let mut out = String::new();
    let mut head_done = false;
    let mut force_newline = false;
    // Indentation of the current line, and of the lines that opened each block.
    let mut line_indent = level;
    let mut blocks: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let continuation = match blocks.last() {
                Some(&outer) => outer + 1,
                None if head_done => level + 1,
                None => level,
            };
            let own_line = item.comment.is_some_and(|c| c.own_line);
            let mut newline = |out: &mut String, n: usize| {
                out.push('\n');
                out.push_str(&indent(n, options));
                line_indent = n;
            };
            let group = wide && item.in_value_group;
            if item.closes_block || (group && item.text == ")") {
                let outer = blocks.pop().unwrap_or(level);
                newline(&mut out, outer);
            } else if force_newline || own_line || (group && item.text != "(") {
                newline(&mut out, continuation);
            } else if soft && item.brk == Break::Soft && blocks.is_empty() {
                newline(&mut out, level + 1);
            } else if !item.glue {
                out.push(' ');
            }
        }
        out.push_str(&item.text);
        if item.comment.is_none() {
            head_done = true;
        }
        force_newline = item.comment.is_some_and(|c| c.newline_after);
        if item.opens_block || (wide && item.in_value_group && item.text == "(") {
            blocks.push(line_indent);
            force_newline = true;
        }
    }
    out
}

/// The tokens and comments of a query, with their formatted text and break opportunities.
fn query_items(query: &SyntaxNode, options: &FormatOptions) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut prev: Option<SyntaxToken> = None;
    let mut newline_before = false;
    // Trivia (space or comment) since the previous significant token.
    let mut trivia_before = false;
    let tokens: Vec<SyntaxToken> = query
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .collect();
    let alias_refs = keyword_case::alias_references(query);
    for (i, token) in tokens.iter().enumerate() {
        match token.kind() {
            WHITESPACE => {
                newline_before |= token.text().contains('\n');
                trivia_before = true;
                continue;
            }
            LINE_COMMENT | BLOCK_COMMENT => {
                // A line break after a block comment is kept, unless the layout may break there
                // anyway (before a clause, an AND/OR or a column, or inside a value group): then
                // the layout decides, so that formatting twice gives the same result.
                let next_ws = tokens
                    .get(i + 1)
                    .is_some_and(|t| t.kind() == WHITESPACE && t.text().contains('\n'))
                    && tokens[i + 1..]
                        .iter()
                        .find(|t| !t.kind().is_trivia())
                        .is_none_or(|t| !layout_may_break_before(t));
                // Likewise a line break before it, right after a value group's `(` (a wide
                // group breaks there).
                let after_group_open = tokens[..i]
                    .iter()
                    .rev()
                    .find(|t| t.kind() != WHITESPACE)
                    .is_some_and(opens_value_group);
                let text = token.text().trim_end().to_string();
                items.push(Item {
                    brk: Break::None,
                    glue: false,
                    opens_block: false,
                    closes_block: false,
                    in_value_group: false,
                    comment: Some(Comment {
                        own_line: newline_before && !after_group_open,
                        newline_after: token.kind() == LINE_COMMENT || next_ws,
                        multiline: text.contains('\n'),
                    }),
                    text,
                });
                prev = None;
                trivia_before = true;
            }
            _ => {
                let verbatim = in_unnamed_column(token);
                let glue = match &prev {
                    // An unnamed column is named by its text with spaces as written (collapsed
                    // to one), so its spacing and case are kept: changing them would rename
                    // the column in the results.
                    Some(p) if verbatim && in_unnamed_column(p) => !trivia_before,
                    Some(p) => glued(p, token),
                    None => false,
                };
                trivia_before = false;
                let block = !verbatim
                    && matches!(token.kind(), L_PAREN | R_PAREN | R_PAREN_QUESTION)
                    && token.parent().is_some_and(|p| holds_line_comments(&p));
                items.push(Item {
                    text: if verbatim {
                        token.text().to_string()
                    } else {
                        token_text(token, options, &alias_refs)
                    },
                    brk: break_before(token),
                    glue,
                    comment: None,
                    opens_block: block && token.kind() == L_PAREN,
                    closes_block: block && token.kind() != L_PAREN,
                    in_value_group: !block
                        && matches!(token.kind(), L_PAREN | R_PAREN | AND_KW | OR_KW)
                        && token.parent().is_some_and(|p| p.kind() == VALUE_GROUP),
                });
                prev = Some(token.clone());
            }
        }
        newline_before = false;
    }
    items
}

/// Whether the layout may put a line break before `token`: a clause, an AND/OR of a filter
/// chain, a returned column, or the AND/OR and `)` of a value group (a wide group puts one
/// value per line). A comment's line break next to such a place is the layout's to decide.
fn layout_may_break_before(token: &SyntaxToken) -> bool {
    break_before(token) != Break::None
        || (matches!(token.kind(), AND_KW | OR_KW | R_PAREN)
            && token.parent().is_some_and(|p| p.kind() == VALUE_GROUP))
}

/// Whether `token` is the `(` of a value group (a wide group breaks the line after it).
fn opens_value_group(token: &SyntaxToken) -> bool {
    token.kind() == L_PAREN && token.parent().is_some_and(|p| p.kind() == VALUE_GROUP)
}

/// Whether a token belongs to the expression of a RETURN column without `AS` (whose name is
/// the expression's text).
fn in_unnamed_column(token: &SyntaxToken) -> bool {
    let mut in_alias = false;
    for node in token.parent_ancestors() {
        match node.kind() {
            COLUMN_ALIAS => in_alias = true,
            RETURN_ITEM => {
                return !in_alias && !node.children().any(|c| c.kind() == COLUMN_ALIAS);
            }
            RETURN_CLAUSE | QUERY => return false,
            _ => {}
        }
    }
    false
}

/// Whether a parenthesised group (value group, filter, selector or verb alternation) holds
/// a comment that needs a line of its own.
fn holds_line_comments(node: &SyntaxNode) -> bool {
    matches!(
        node.kind(),
        VALUE_GROUP | PAREN_FILTER | SELECTOR_GROUP | VERB_GROUP | PAREN_EXPR | ARG_LIST
    ) && node.descendants_with_tokens().any(|e| {
        e.kind() == LINE_COMMENT
            || (e.kind() == BLOCK_COMMENT && e.as_token().is_some_and(|t| t.text().contains('\n')))
    })
}

/// The formatted text of a token. `alias_refs` are the words the query uses as aliases (the
/// first segment of its paths), upper-cased: a verb among them, in any case, names an implicit
/// alias and keeps its case.
fn token_text(
    token: &SyntaxToken,
    options: &FormatOptions,
    alias_refs: &std::collections::HashSet<String>,
) -> String {
    let text = token.text();
    let kind = token.kind();
    let casing = match options.keyword_case {
        KeywordCase::Upper => Some(Casing::Upper),
        KeywordCase::Lower => Some(Casing::Lower),
        KeywordCase::Preserve => None,
    };
    if let Some(recased) = casing.and_then(|c| keyword_case::recased(token, c, alias_refs)) {
        return recased;
    }
    if kind == STRING && is_value_string(token) {
        return requote(text, options.quote_style);
    }
    text.to_string()
}

/// Rewrites a string literal in the preferred quotes when that needs no escaping.
fn requote(text: &str, style: QuoteStyle) -> String {
    let target = match style {
        QuoteStyle::Single => '\'',
        QuoteStyle::Double => '"',
        QuoteStyle::Preserve => return text.to_string(),
    };
    let Some(quote) = text.chars().next() else {
        return text.to_string();
    };
    if quote == target || text.len() < 2 || !text.ends_with(quote) {
        return text.to_string();
    }
    let inner = &text[1..text.len() - 1];
    if inner.contains(['\\', '\'', '"']) {
        return text.to_string();
    }
    format!("{target}{inner}{target}")
}

/// Whether no space goes between `prev` and `token`.
fn glued(prev: &SyntaxToken, token: &SyntaxToken) -> bool {
    let (p, t) = (prev.kind(), token.kind());
    let parent = token.parent().map(|n| n.kind());
    let prev_parent = prev.parent().map(|n| n.kind());
    if parent == Some(PATH) && prev_parent == Some(PATH) && prev.parent() == token.parent() {
        return true;
    }
    match (p, t) {
        (L_PAREN | BANG | PIPE | DOT, _) => true,
        (_, R_PAREN | R_PAREN_QUESTION | COMMA | SEMICOLON | PIPE | DOT | QUESTION) => true,
        (_, L_PAREN) if parent == Some(ARG_LIST) => true,
        (MINUS, _) if matches!(prev_parent, Some(LITERAL | PREFIX_EXPR)) => true,
        _ => false,
    }
}

/// The break opportunity before a token.
fn break_before(token: &SyntaxToken) -> Break {
    let Some(parent) = token.parent() else {
        return Break::None;
    };
    let grandparent = parent.parent().map(|n| n.kind());
    let first_of_parent = parent.first_token().is_some_and(|first| first == *token);
    match token.kind() {
        THAT_KW if parent.kind() == TRAVERSAL && grandparent == Some(QUERY) => Break::Clause(1),
        L_PAREN
            if parent.kind() == OPTIONAL_TRAVERSAL
                && grandparent == Some(QUERY)
                && first_of_parent =>
        {
            Break::Clause(1)
        }
        WHERE_KW | RETURN_KW | HAVING_KW | ORDER_KW | SKIP_KW | LIMIT_KW
            if first_of_parent && grandparent == Some(QUERY) =>
        {
            Break::Clause(0)
        }
        AND_KW | OR_KW if parent.kind() == BINARY_FILTER && top_filter_chain(&parent) => {
            Break::Soft
        }
        _ => {
            // The first token of a returned column.
            let item = token
                .parent_ancestors()
                .take_while(|n| n.kind() != RETURN_CLAUSE)
                .find(|n| n.kind() == RETURN_ITEM);
            match item {
                Some(item)
                    if item.first_token().is_some_and(|f| f == *token)
                        && item.parent().is_some_and(|p| p.kind() == RETURN_CLAUSE) =>
                {
                    Break::Soft
                }
                _ => Break::None,
            }
        }
    }
}

/// Whether a binary filter is part of the top AND/OR chain of a WITH, WHERE or HAVING clause
/// (not inside parentheses).
fn top_filter_chain(node: &SyntaxNode) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            BINARY_FILTER => current = n.parent(),
            WITH_CLAUSE | WHERE_CLAUSE | HAVING_CLAUSE => return true,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests;
