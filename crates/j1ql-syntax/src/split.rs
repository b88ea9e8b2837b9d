//! Where the queries of a document start: the one rule the language server (which analyses a
//! document query by query, so that an edit re-analyses only what it touches) and the parallel
//! parse (which cuts a large document into parts) share.
//!
//! A query starts at a `FIND` keyword that is the first token on its line — found by the
//! lexer, so a `FIND` inside a string, a regex or a block comment never counts. The start is
//! moved up over the `//` comment lines directly above it, so that a `// j1ql-ignore` comment
//! stays with its query. The first query starts at 0.
//!
//! Parsing the text between two starts on its own gives the tree and errors that parsing the
//! whole document gives for it: the parser never lets a query, or its error recovery, run past
//! a line-starting `FIND` (see `Parser::at_query_start`), and describes such a `FIND` as it
//! describes the end of the input. `tests::chunked_parse_is_the_whole_parse` holds this over
//! the real-world corpus and mutations of it.

use crate::lexer::{tokenize_range_into, Token};
use crate::SyntaxKind::*;

/// How much text [`query_starts_from`] lexes at a time (doubling while no start is found).
const WINDOW: usize = 64 * 1024;

/// The start of every query of `text`, beginning with 0 (see the module docs).
pub fn query_starts(text: &str) -> Vec<usize> {
    query_starts_from(text, 0, |_| false)
}

/// [`query_starts`] from `from` — 0 or a start [`query_starts`] returned for the same text
/// before `from` — until `stop` says yes to a start (that one is not included). The text is
/// lexed a window at a time, so a caller that stops early (an editor re-chunking around an
/// edit) pays for the text it looked at, not for the whole document.
pub fn query_starts_from(
    text: &str,
    from: usize,
    mut stop: impl FnMut(usize) -> bool,
) -> Vec<usize> {
    let mut starts = vec![from];
    let mut tokens: Vec<Token> = Vec::new();
    // Where the next window is lexed from: a query start (the lexer's state there is the
    // initial one), and how far it reaches.
    let mut lex_from = from;
    let mut window = WINDOW;
    while lex_from < text.len() {
        let mut end = (lex_from + window).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        tokenize_range_into(text, lex_from, end, &mut tokens, None);
        let mut last_found = None;
        for k in 0..tokens.len() {
            if tokens[k].kind != FIND_KW || !first_on_line(text, &tokens, k) {
                continue;
            }
            let find = usize::from(tokens[k].range.start());
            if find == lex_from {
                continue;
            }
            let start = comment_run_start(text, &tokens, k).max(from);
            if start > *starts.last().unwrap_or(&0) {
                if stop(start) {
                    return starts;
                }
                starts.push(start);
            }
            last_found = Some(find);
        }
        if end >= text.len() {
            break;
        }
        match last_found {
            // Lex on from the last query's FIND (a clean lexer state).
            Some(find) => {
                lex_from = find;
                window = WINDOW;
            }
            // One query longer than the window: lex it again in a larger one.
            None => window = window.saturating_mul(2),
        }
    }
    starts
}

/// Whether `tokens[k]` is the first token on its line (only whitespace before it there).
fn first_on_line(text: &str, tokens: &[Token], k: usize) -> bool {
    let start = usize::from(tokens[k].range.start());
    if start == 0 {
        return true;
    }
    match k.checked_sub(1).map(|j| tokens[j]) {
        Some(prev) if prev.kind == WHITESPACE => {
            text[prev.range].contains('\n') || usize::from(prev.range.start()) == 0
        }
        Some(_) => false,
        // The first token of a window: windows begin at a query's FIND, itself first on its
        // line, so this is that FIND (skipped by the caller) — or text after a line break.
        None => text[..start].ends_with('\n'),
    }
}

/// The start of the line of `tokens[k]`, moved up over the `//` comment lines directly above.
fn comment_run_start(text: &str, tokens: &[Token], k: usize) -> usize {
    let mut line_start = line_start_of(text, usize::from(tokens[k].range.start()));
    let mut j = k;
    // tokens[j - 1] is the whitespace holding the line break before tokens[j]'s line;
    // tokens[j - 2] a `//` comment alone on the line directly above?
    while j >= 2 {
        let (gap, comment) = (tokens[j - 1], tokens[j - 2]);
        if gap.kind != WHITESPACE || comment.kind != LINE_COMMENT {
            break;
        }
        let gap_text = &text[gap.range];
        let breaks = gap_text.matches('\n').count();
        if breaks != 1 || !first_on_line(text, tokens, j - 2) {
            break;
        }
        line_start = line_start_of(text, usize::from(comment.range.start()));
        j -= 2;
    }
    line_start
}

/// The offset of the start of the line holding `offset`.
fn line_start_of(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// A fast guess at a cut for the parallel parse: the offset of the first `FIND` at or after
/// `from` at the very start of a line and followed by whitespace, found without lexing. It
/// follows the rule of [`query_starts`] except that it cannot see strings and comments; the
/// parallel parse checks every cut against the lexer and parses whole when one is wrong.
pub(crate) fn guess_query_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from.max(1);
    while i + 4 < bytes.len() {
        if bytes[i - 1] == b'\n'
            && bytes[i..i + 4].eq_ignore_ascii_case(b"find")
            && bytes[i + 4].is_ascii_whitespace()
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn starts_at_line_first_finds_with_their_comments() {
        let text =
            "FIND Host\n// j1ql-ignore\nFIND User WITH a = 1\n  AND b = 2\n/* FIND no */\nfind x";
        let starts = query_starts(text);
        assert_eq!(starts.len(), 3, "{starts:?}");
        assert!(text[starts[1]..].starts_with("// j1ql-ignore\nFIND User"));
        assert!(text[starts[2]..].starts_with("find x"));
    }

    #[test]
    fn find_in_strings_regexes_and_comments_is_no_start() {
        let text =
            "FIND User WITH x ~= /it's/ AND\n  FIND Host WITH n = 'FIND'\n/* x\nFIND y */ FIND z";
        let starts = query_starts(text);
        // Only the indented `FIND Host`: the quote inside the regex opens no string.
        assert_eq!(starts.len(), 2, "{starts:?}");
        assert!(text[starts[1]..].starts_with("  FIND Host"));
        // A string ends with its line (the lexer's rule), so a FIND on the next line starts a
        // query.
        assert_eq!(query_starts("FIND a WITH n = 'x\nFIND b'").len(), 2);
    }

    #[test]
    fn a_blank_line_ends_the_comment_run() {
        let text = "FIND a\n// about a\n\n// about b\nFIND b";
        let starts = query_starts(text);
        assert_eq!(starts, vec![0, text.find("// about b").unwrap()]);
    }

    #[test]
    fn windows_and_stopping_give_the_same_starts() {
        let query = "// note\nFIND User WITH name ~= /x'y/\n  AND a = 'q FIND'\n";
        let text = query.repeat(20_000);
        let starts = query_starts(&text);
        assert_eq!(starts.len(), 20_000);
        assert!(starts
            .iter()
            .all(|&s| text[s..].starts_with("// note\nFIND")));
        let some = query_starts_from(&text, starts[10], |s| s >= starts[15]);
        assert_eq!(some, starts[10..15]);
    }

    /// The tree below the document without trivia (whose place between queries differs).
    fn significant_shape(root: &crate::SyntaxNode) -> String {
        let mut out = String::new();
        for event in root.preorder_with_tokens() {
            match event {
                rowan::WalkEvent::Enter(rowan::NodeOrToken::Node(n)) if n != *root => {
                    out.push_str(&format!("{:?}(", n.kind()))
                }
                rowan::WalkEvent::Leave(rowan::NodeOrToken::Node(n)) if n != *root => out.push(')'),
                rowan::WalkEvent::Enter(rowan::NodeOrToken::Token(t)) if !t.kind().is_trivia() => {
                    out.push_str(&format!("{:?} ", t.text()))
                }
                _ => {}
            }
        }
        out
    }

    /// Parsing each query's text alone gives the errors of the whole parse, moved.
    pub(crate) fn assert_chunked_parse_is_whole(text: &str) {
        let whole = crate::parse_single_threaded(text);
        let starts = query_starts(text);
        let mut errors = Vec::new();
        let mut shape = String::new();
        for (i, &s) in starts.iter().enumerate() {
            let e = starts.get(i + 1).copied().unwrap_or(text.len());
            let part = crate::parse_single_threaded(&text[s..e]);
            let shift = rowan::TextSize::from(s as u32);
            for mut err in part.errors().iter().cloned() {
                err.range += shift;
                errors.push(err);
            }
            shape.push_str(&significant_shape(&part.syntax_node()));
        }
        errors.sort_by_key(|e| (e.range.start(), e.range.end()));
        let mut whole_errors = whole.errors().to_vec();
        whole_errors.sort_by_key(|e| (e.range.start(), e.range.end()));
        assert_eq!(errors, whole_errors, "errors differ for {text:?}");
        assert_eq!(
            shape,
            significant_shape(&whole.syntax_node()),
            "trees differ for {text:?}"
        );
    }

    #[test]
    fn chunked_parse_is_the_whole_parse() {
        for text in [
            "FIND User WITH (x = 1\nFIND Host",
            ") (\nFIND x\n)",
            "FIND User THAT\nFIND Host WITH a = 1 AND\n  FIND b",
            "FIND User AS u RETURN u.name, \n// c\nFIND x (",
            "FIND (User |\nFIND Host",
            "'a\nFIND b",
        ] {
            assert_chunked_parse_is_whole(text);
        }
    }

    #[test]
    fn chunked_parse_is_the_whole_parse_on_mutations() {
        use proptest::prelude::*;
        let pieces = [
            "FIND User",
            " WITH ",
            "(",
            ")",
            "a = 1",
            " AND ",
            " OR ",
            "\n",
            "THAT HAS ",
            "Host",
            "'s'",
            "/r'x/",
            " RETURN ",
            "u.name",
            ",",
            "\nFIND ",
            "// j1ql-ignore\n",
            "/*",
            "*/",
            "(THAT HAS x)?",
            "AS u",
            "ORDER BY",
            "LIMIT 5",
            "\"",
            "'",
        ];
        let strategy = proptest::collection::vec(0..pieces.len(), 0..40)
            .prop_map(move |ix| ix.into_iter().map(|i| pieces[i]).collect::<String>());
        proptest!(ProptestConfig::with_cases(2_000), |(text in strategy)| {
            assert_chunked_parse_is_whole(&text);
        });
    }
}
