//! Parsing a large document in parts, one per core.
//!
//! A document is a sequence of queries, and a query starts at `FIND`. A large document is cut
//! just before `FIND`s that begin a line, near equal byte offsets; each part is lexed, parsed
//! and built into a green tree on its own thread (rayon), and the parts' top-level children are
//! joined under one DOCUMENT node. The result is the tree and the errors that a whole-document
//! parse gives, byte for byte and error for error; every step checks the condition that makes
//! this true, and the document is parsed whole when one fails:
//!
//! * lexing: each part is lexed over the whole text from its start; its tokens must end exactly
//!   at the next cut (no token, such as a string holding `\nFIND`, runs across it), and each
//!   later part must start with the `FIND` keyword, after which the lexer's state is the same
//!   as in a whole lex;
//! * parsing: each part's parser runs over the significant tokens of the whole document (so its
//!   look-ahead and look-behind are the same) and must stop exactly at the next cut while at the
//!   document level (error recovery inside parentheses may run past a `FIND`).
//!
//! The errors are joined in the same order as a whole parse makes them (lexer errors, then
//! parser errors, then a stable sort by range).

use rayon::prelude::*;
use rowan::{GreenNode, NodeOrToken};

use crate::lexer::{self, Token};
use crate::parser::{self, sink};
use crate::{grammar, Parse, SyntaxError, SyntaxKind};

/// The smallest part worth its own thread: below this, the cost of handing work to another
/// thread is not repaid.
pub(crate) const MIN_PART: usize = 32 * 1024;

/// Parses `text` in parts on rayon's threads, or `None` when it is too small, cannot be cut,
/// or one of the checks in the module docs fails (then the caller parses it whole).
pub(crate) fn parse(text: &str) -> Option<Parse> {
    let parts = rayon::current_num_threads().min(text.len() / MIN_PART);
    if parts < 2 {
        return None;
    }
    let bounds = cut_points(text, parts);
    if bounds.len() < 3 {
        return None;
    }
    let count = bounds.len() - 1;

    let lexed: Vec<LexedPart> = (0..count)
        .into_par_iter()
        .map(|i| LexedPart::lex(text, bounds[i], bounds[i + 1], i == 0))
        .collect::<Option<Vec<_>>>()?;

    // The significant tokens of the whole document, and where each part's begin.
    let mut significant = Vec::with_capacity(lexed.iter().map(|p| p.significant.len()).sum());
    let mut starts = Vec::with_capacity(count + 1);
    for part in &lexed {
        starts.push(significant.len());
        significant.extend_from_slice(&part.significant);
    }
    starts.push(significant.len());

    let built: Vec<(GreenNode, Vec<SyntaxError>)> = (0..count)
        .into_par_iter()
        .map(|i| {
            let mut p = parser::Parser::new_at(text, &significant, Vec::new(), starts[i]);
            grammar::document_part(&mut p, starts[i + 1]);
            if p.pos() != starts[i + 1] {
                return None;
            }
            let parser::Parser {
                mut events, errors, ..
            } = p;
            let green = sink::build_tree(text, &lexed[i].tokens, &mut events);
            Some((green, errors))
        })
        .collect::<Option<Vec<_>>>()?;

    let children: Vec<NodeOrToken<GreenNode, rowan::GreenToken>> = built
        .iter()
        .flat_map(|(green, _)| green.children())
        .map(|child| child.to_owned())
        .collect();
    let green = GreenNode::new(SyntaxKind::DOCUMENT.into(), children);

    let mut errors: Vec<SyntaxError> = lexed.into_iter().flat_map(|p| p.errors).collect();
    errors.extend(built.into_iter().flat_map(|(_, errors)| errors));
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Some(Parse { green, errors })
}

/// One part's tokens (trivia included), its significant tokens and its lexer errors.
struct LexedPart {
    tokens: Vec<Token>,
    significant: Vec<Token>,
    errors: Vec<SyntaxError>,
}

impl LexedPart {
    /// Lexes `start..end`; `None` unless the tokens end exactly at `end` and a later part
    /// (`first` false) starts with the `FIND` keyword.
    fn lex(text: &str, start: usize, end: usize, first: bool) -> Option<LexedPart> {
        let mut tokens = Vec::new();
        let errors = lexer::tokenize_range_into(text, start, end, &mut tokens);
        let ends_at_cut = tokens
            .last()
            .is_some_and(|t| usize::from(t.range.end()) == end);
        let starts_at_find = first
            || tokens
                .first()
                .is_some_and(|t| t.kind == SyntaxKind::FIND_KW);
        if !ends_at_cut || !starts_at_find {
            return None;
        }
        let significant = tokens
            .iter()
            .filter(|t| !t.kind.is_trivia())
            .copied()
            .collect();
        Some(LexedPart {
            tokens,
            significant,
            errors,
        })
    }
}

/// `0`, up to `parts - 1` cut points, and `text.len()`: each cut is the start of a line that
/// begins with `FIND ` (any case), at or after an equal share of the text.
fn cut_points(text: &str, parts: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    for i in 1..parts {
        let target = (text.len() / parts * i).max(bounds[bounds.len() - 1] + 1);
        match find_line_starting_with_find(bytes, target) {
            Some(cut) if cut < text.len() => bounds.push(cut),
            _ => break,
        }
    }
    bounds.push(text.len());
    bounds.dedup();
    bounds
}

/// The offset of the first `FIND` at or after `from` that follows a newline and is followed by
/// whitespace.
fn find_line_starting_with_find(bytes: &[u8], from: usize) -> Option<usize> {
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
mod tests {
    use super::*;

    fn joined(copies: usize, query: &str) -> String {
        vec![query; copies].join("\n")
    }

    /// The parallel parse is the whole parse, tree and errors. `false` when it was not cut.
    fn assert_same(text: &str) -> bool {
        // Two threads, even on a one-core machine (the first test to get here sets it).
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build_global()
            .ok();
        let whole = crate::parse_single_threaded(text);
        match parse(text) {
            Some(parts) => {
                assert_eq!(parts.green, whole.green, "trees differ");
                assert_eq!(parts.errors, whole.errors, "errors differ");
                true
            }
            None => false,
        }
    }

    /// The real-world corpus joined into one document: it is cut, and parses the same. It
    /// holds docs snippets that are not J1QL, so there are errors on both sides of a cut.
    #[test]
    fn the_joined_corpus_parses_the_same_in_parts() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/queries.jsonl"
        );
        let corpus = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the query corpus at {path}: {e}"));
        let queries: Vec<String> = corpus
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                row["query"].as_str().expect("a query string").to_string()
            })
            .collect();
        assert!(queries.len() > 2000, "only {} queries", queries.len());
        let joined = queries.join("\n");
        assert!(assert_same(&joined), "the corpus was not cut");
        assert!(!crate::parse_single_threaded(&joined).errors.is_empty());
    }

    #[test]
    fn cut_points_fall_before_line_start_finds() {
        let text = joined(4000, "FIND User WITH active = true");
        let bounds = cut_points(&text, 2);
        assert_eq!(bounds.len(), 3);
        assert_eq!(&text[bounds[1]..bounds[1] + 5], "FIND ");
        assert_eq!(&text[bounds[1] - 1..bounds[1]], "\n");
    }

    #[test]
    fn clean_documents_parse_the_same_in_parts() {
        let text = joined(3000, "FIND aws_instance WITH tag.Production = true AS i\n  THAT HAS aws_ebs_volume RETURN i.name");
        assert!(assert_same(&text), "the document was not cut");
    }

    #[test]
    fn errors_on_both_sides_of_a_cut_are_the_same() {
        let text = joined(
            3000,
            "FIND User WITH (x = AND THAT\nFIND 'unterminated\n\"ok\"",
        );
        assert_same(&text);
        let text = joined(3000, "FIND User THAT HAS\n// a comment\n  ");
        assert!(assert_same(&text), "the document was not cut");
    }

    #[test]
    fn a_string_across_a_cut_is_parsed_whole() {
        // Every `\nFIND` is inside one long string: the lexer check refuses the cut.
        let inner = joined(4000, "FIND x");
        let text = format!("FIND User WITH name = '{inner}'");
        assert!(!assert_same(&text));
    }

    #[test]
    fn recovery_across_a_cut_is_parsed_whole() {
        // A parenthesis opened at the document level is skipped through, `FIND`s included.
        let inner = joined(4000, "FIND x");
        let text = format!(") (\n{inner}\n)");
        assert!(!assert_same(&text));
    }
}
