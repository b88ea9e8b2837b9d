//! Turns parser events and the full token list (trivia included) into a rowan green tree.
//!
//! Trivia before a node start is attached outside that node (so comments between queries
//! belong to the document, and a query's leading `// name:` comment precedes its node);
//! trivia before a token goes into the node that holds the token. Every token of the input,
//! trivia and error tokens included, is added exactly once: the tree is lossless.
//!
//! Tokens and small nodes are interned in a rowan [`NodeCache`] that is kept from one parse
//! to the next on the same thread (see [`with_cache`]): repeated keywords, names, spaces and
//! paths are then allocated once, and most of a parse is cache hits. Trees are the same either
//! way (green trees compare structurally).

use std::cell::RefCell;

use rowan::{GreenNode, GreenNodeBuilder, NodeCache};

use super::event::Event;
use crate::lexer::Token;
use crate::SyntaxKind;

/// Builds the tree of `events` over `tokens` (all of them, trivia included). `events` is left
/// in an unspecified state.
pub(crate) fn build_tree(text: &str, tokens: &[Token], events: &mut [Event]) -> GreenNode {
    with_cache(text.len(), |cache| {
        let mut builder = GreenNodeBuilder::with_cache(cache);
        let mut pos = 0usize; // index into `tokens`
        let mut depth = 0usize;
        let mut parents: Vec<SyntaxKind> = Vec::new();

        for i in 0..events.len() {
            // Forward parents are consumed (tombstoned) when their child starts.
            match events[i] {
                Event::Start {
                    kind,
                    forward_parent,
                } => {
                    parents.clear();
                    parents.push(kind);
                    let mut idx = i;
                    let mut fp = forward_parent;
                    while let Some(delta) = fp {
                        idx += delta as usize;
                        fp = match std::mem::replace(&mut events[idx], Event::Tombstone) {
                            Event::Start {
                                kind,
                                forward_parent,
                            } => {
                                parents.push(kind);
                                forward_parent
                            }
                            _ => None,
                        };
                    }
                    // The root opens before any trivia so that leading trivia is inside it.
                    if depth > 0 {
                        while let Some(&t) = tokens.get(pos) {
                            if !t.kind.is_trivia() {
                                break;
                            }
                            builder.token(t.kind.into(), &text[t.range]);
                            pos += 1;
                        }
                    }
                    for kind in parents.drain(..).rev() {
                        builder.start_node(kind.into());
                        depth += 1;
                    }
                }
                Event::Finish => {
                    depth -= 1;
                    if depth == 0 {
                        // Whatever is left (trailing trivia) belongs to the root.
                        for t in &tokens[pos..] {
                            builder.token(t.kind.into(), &text[t.range]);
                        }
                        pos = tokens.len();
                    }
                    builder.finish_node();
                }
                Event::Token => {
                    // The trivia before the token, then the token.
                    while let Some(&t) = tokens.get(pos) {
                        builder.token(t.kind.into(), &text[t.range]);
                        pos += 1;
                        if !t.kind.is_trivia() {
                            break;
                        }
                    }
                }
                Event::Tombstone => {}
            }
        }
        builder.finish()
    })
}

/// How much text a thread parses through one cache before starting a new one: the cache
/// never evicts, so this bounds its size (to what that much text can intern).
const CACHE_BUDGET: usize = 32 << 20;

thread_local! {
    /// The thread's cache, and how many bytes have been parsed through it.
    static CACHE: RefCell<(NodeCache, usize)> = RefCell::new((NodeCache::default(), 0));
}

/// Runs `f` with the thread's node cache, charging `len` bytes of text to it.
fn with_cache<R>(len: usize, f: impl FnOnce(&mut NodeCache) -> R) -> R {
    let mut f = Some(f);
    let result = CACHE.try_with(|cell| {
        let mut guard = cell.try_borrow_mut().ok()?;
        let (cache, used) = &mut *guard;
        *used = used.saturating_add(len);
        if *used > CACHE_BUDGET {
            *cache = NodeCache::default();
            *used = len;
        }
        f.take().map(|f| f(cache))
    });
    match result {
        Ok(Some(result)) => result,
        // The cache is in use (not reachable today: building a tree never parses) or the
        // thread is being torn down: a private cache does the same job.
        _ => (f.take().expect("not called yet"))(&mut NodeCache::default()),
    }
}
