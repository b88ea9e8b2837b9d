//! Parsing a large document in parts, on all cores.
//!
//! A document is a sequence of queries, and a query starts at `FIND`. A large document is cut
//! just before `FIND`s that begin a line, into several parts per thread (so that rayon can even
//! out parts that take longer); each part is lexed, parsed and built into a green tree on one
//! of rayon's threads, and the parts' top-level children are joined under one DOCUMENT node.
//! The result is the tree and the errors that a whole-document parse gives, byte for byte and
//! error for error. Each part checks the conditions that make this true, and the document is
//! parsed whole when one fails:
//!
//! * lexing: a part is lexed over the whole text from its start; its tokens must end exactly at
//!   the next cut (no token, such as a string holding `\nFIND`, runs across it), and each later
//!   part must start with the `FIND` keyword, after which the lexer's state is the same as in
//!   a whole lex;
//! * parsing: a part's parser also sees the first tokens after the cut (lexed again from the
//!   cut), so its look-ahead is the same as in a whole parse; it must stop exactly at the cut,
//!   at the document level (error recovery inside parentheses may run past a `FIND`), without
//!   having looked further than the tokens it was given. Its look-behind at its first token,
//!   the cut's `FIND`, sees the start of a line, as a whole parse does.
//!
//! The errors are joined in the same order as a whole parse makes them (lexer errors, then
//! parser errors, then a stable sort by range).
//!
//! The parts' own trees are kept in the [`Parse`], so that dropping it frees the tree on all
//! cores too.

use std::cell::Cell;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rowan::{GreenNode, NodeOrToken};

use crate::lexer::{self, Token};
use crate::parser::{self, event::Event, sink};
use crate::{grammar, Parse, SyntaxError, SyntaxKind};

/// The smallest document parsed in parts: below this, handing work to other threads is not
/// repaid.
pub(crate) const MIN_DOCUMENT: usize = 64 * 1024;

/// The smallest part.
const MIN_PART: usize = 16 * 1024;

/// Parts per thread: more parts than threads let rayon balance parts of unequal cost.
const PARTS_PER_THREAD: usize = 4;

/// How far past its end a part lexes tokens for its parser to look ahead into. The grammar
/// looks at most a couple of tokens past a `FIND`; a parser that looks further is caught.
const LOOKAHEAD_BYTES: usize = 256;

/// Parses `text` in parts on rayon's threads, or `None` when it is too small, cannot be cut,
/// or one of the checks in the module docs fails (then the caller parses it whole).
pub(crate) fn parse(text: &str) -> Option<Parse> {
    let threads = rayon::current_num_threads();
    let parts = (threads * PARTS_PER_THREAD).min(text.len() / MIN_PART);
    if threads < 2 || text.len() < MIN_DOCUMENT {
        return None;
    }
    parse_in_parts(text, parts)
}

/// [`parse`] cut into at most `parts` parts whatever the document's size (for tests and
/// fuzzing, where small documents run many times faster).
pub(crate) fn parse_in_parts(text: &str, parts: usize) -> Option<Parse> {
    if parts < 2 {
        return None;
    }
    let bounds = cut_points(text, parts);
    if bounds.len() < 3 {
        return None;
    }
    // The buffers are the calling thread's, reused from one parse to the next (fresh
    // multi-megabyte vectors cost page faults on every parse); taken out while in use.
    let mut pool = POOL.try_with(Cell::take).unwrap_or_default();
    let parse = parse_parts(text, &bounds, &mut pool);
    shrink(&mut pool);
    // Fails only while the thread is being torn down; the buffers are then just dropped.
    let _ = POOL.try_with(|cell| cell.set(pool));
    parse
}

fn parse_parts(text: &str, bounds: &[usize], pool: &mut Vec<PartBuffers>) -> Option<Parse> {
    let count = bounds.len() - 1;
    pool.resize_with(count, PartBuffers::default);
    let built: Vec<BuiltPart> = pool[..count]
        .par_iter_mut()
        .enumerate()
        .map(|(i, part)| part.build(text, bounds[i], bounds[i + 1], i == 0, i + 1 == count))
        .collect::<Option<Vec<_>>>()?;

    let children: Vec<NodeOrToken<GreenNode, rowan::GreenToken>> = built
        .iter()
        .flat_map(|part| part.green.children())
        .map(|child| child.to_owned())
        .collect();
    let green = GreenNode::new(SyntaxKind::DOCUMENT.into(), children);

    let mut lex_errors = Vec::new();
    let mut parse_errors = Vec::new();
    let mut parts = Vec::with_capacity(count);
    for part in built {
        lex_errors.extend(part.lex_errors);
        parse_errors.extend(part.parse_errors);
        parts.push((part.thread, part.green));
    }
    let mut errors = lex_errors;
    errors.append(&mut parse_errors);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Some(Parse {
        green,
        errors,
        parts: Some(Arc::new(Parts(parts))),
    })
}

/// The trees of the parts of a document parsed in parts, each with the index of the rayon
/// thread that built it.
pub(crate) struct Parts(Vec<(usize, GreenNode)>);

/// Frees the trees of the parts of a document parsed in parts, on all cores (see
/// [`Parse`]'s `Drop`), each on the thread that built it: its tokens are shared with that
/// thread's node cache, so their reference counts stay in that core's cache. Parts still shared
/// with a clone of the `Parse` are left to it.
pub(crate) fn drop_parts(parts: Arc<Parts>) {
    let Ok(Parts(parts)) = Arc::try_unwrap(parts) else {
        return;
    };
    let threads = rayon::current_num_threads();
    let mut groups: Vec<Vec<GreenNode>> = (0..threads).map(|_| Vec::new()).collect();
    for (thread, green) in parts {
        groups[thread % threads].push(green);
    }
    let groups: Vec<Mutex<Vec<GreenNode>>> = groups.into_iter().map(Mutex::new).collect();
    rayon::broadcast(|ctx| {
        if let Some(group) = groups.get(ctx.index()) {
            let mine = std::mem::take(&mut *group.lock().unwrap_or_else(|e| e.into_inner()));
            drop(mine);
        }
    });
}

/// What one part gives: its tree (a DOCUMENT node over its queries) and its errors.
struct BuiltPart {
    green: GreenNode,
    /// The index of the rayon thread that built it (whose node cache holds its tokens).
    thread: usize,
    lex_errors: Vec<SyntaxError>,
    parse_errors: Vec<SyntaxError>,
}

thread_local! {
    /// The buffers of the parts, per calling thread.
    static POOL: Cell<Vec<PartBuffers>> = const { Cell::new(Vec::new()) };
}

/// Buffers grown by a huge document are released rather than kept for the thread's life.
fn shrink(pool: &mut Vec<PartBuffers>) {
    const KEEP: usize = 1 << 20;
    if pool.iter().any(|p| p.tokens.capacity() > KEEP) {
        pool.clear();
    }
}

/// One part's tokens (trivia included), its significant tokens followed by the look-ahead
/// ones, and its parser events.
#[derive(Default)]
struct PartBuffers {
    tokens: Vec<Token>,
    significant: Vec<Token>,
    lookahead: Vec<Token>,
    events: Vec<Event>,
}

impl PartBuffers {
    /// Lexes, parses and builds `start..end`; `None` when a check of the module docs fails.
    fn build(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        first: bool,
        last: bool,
    ) -> Option<BuiltPart> {
        self.significant.clear();
        let lex_errors = lexer::tokenize_range_into(
            text,
            start,
            end,
            &mut self.tokens,
            Some(&mut self.significant),
        );
        let ends_at_cut = self
            .tokens
            .last()
            .is_some_and(|t| usize::from(t.range.end()) == end);
        let starts_at_find = first
            || self
                .tokens
                .first()
                .is_some_and(|t| t.kind == SyntaxKind::FIND_KW);
        if !ends_at_cut || !starts_at_find {
            return None;
        }
        let stop = self.significant.len();
        if !last {
            let window = (end + LOOKAHEAD_BYTES).min(text.len());
            let _ = lexer::tokenize_range_into(
                text,
                end,
                window,
                &mut self.lookahead,
                Some(&mut self.significant),
            );
        }

        let events = std::mem::take(&mut self.events);
        let mut p = parser::Parser::new_at(text, &self.significant, events, 0, stop);
        grammar::document_part(&mut p, stop);
        let exact = last || (p.pos() == stop && !p.looked_past_end());
        let parser::Parser {
            mut events,
            errors: parse_errors,
            ..
        } = p;
        let green = exact.then(|| sink::build_tree(text, &self.tokens, &mut events));
        self.events = events;
        Some(BuiltPart {
            green: green?,
            thread: rayon::current_thread_index().unwrap_or(0),
            lex_errors,
            parse_errors,
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
        match crate::split::guess_query_start(bytes, target) {
            Some(cut) if cut < text.len() => bounds.push(cut),
            _ => break,
        }
    }
    bounds.push(text.len());
    bounds.dedup();
    bounds
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
        // The corpus folder comes from J1QL_CORPUS (CI sets it); a fresh clone skips this.
        let Some(path) = std::env::var_os("J1QL_CORPUS")
            .map(|dir| std::path::PathBuf::from(dir).join("queries.jsonl"))
        else {
            eprintln!("note: J1QL_CORPUS is not set: the joined-corpus test is skipped");
            return;
        };
        let corpus = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("J1QL_CORPUS: cannot read {}: {e}", path.display()));
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
        // The language server's query-by-query parse gives the same errors (crate::split).
        crate::split::tests::assert_chunked_parse_is_whole(&joined);
    }

    #[test]
    fn a_parser_that_looks_past_its_tokens_is_caught() {
        let text = "FIND User THAT HAS";
        let (tokens, _) = lexer::tokenize(text);
        let significant: Vec<Token> = tokens.into_iter().filter(|t| !t.kind.is_trivia()).collect();
        let p = parser::Parser::new_at(text, &significant, Vec::new(), 0, 4);
        assert_eq!(p.nth(3), SyntaxKind::IDENT);
        assert!(!p.looked_past_end());
        assert_eq!(p.nth(4), parser::EOF);
        assert!(p.looked_past_end());
    }

    /// 3,000 clean queries, a document that is cut and parses the same in parts.
    fn document_in_parts() -> String {
        let text = joined(
            3000,
            "FIND User WITH active = true AS u THAT IS Person RETURN u.name",
        );
        assert!(assert_same(&text), "the document was not cut");
        text
    }

    /// Dropping a `Parse` frees its parts only when nothing else holds them: a clone of the
    /// `Parse`, or a node taken from it, keeps its tree whole.
    #[test]
    fn clones_and_nodes_outlive_a_dropped_parse_in_parts() {
        let text = document_in_parts();
        let first = parse(&text).expect("cut");
        let clone = first.clone();
        let node = first.syntax_node();
        drop(first);
        assert_eq!(clone.syntax_node().to_string(), text);
        drop(clone);
        assert_eq!(node.to_string(), text);
        assert_eq!(node.children().count(), 3000);
    }

    /// Parses in parts, made and dropped on rayon's own threads at the same time (a caller that
    /// parses documents in parallel): freeing each part on the thread that built it must not
    /// wait on a thread that is itself freeing.
    #[test]
    fn parses_in_parts_dropped_inside_rayon_jobs_do_not_deadlock() {
        let text = document_in_parts();
        let lengths: Vec<usize> = (0..8)
            .into_par_iter()
            .map(|_| {
                let parse = parse(&text).expect("cut");
                let len = parse.syntax_node().text().len().into();
                drop(parse);
                len
            })
            .collect();
        assert_eq!(lengths, vec![text.len(); 8]);
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
