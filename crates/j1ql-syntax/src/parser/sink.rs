//! Turns parser events and the full token list (trivia included) into a rowan green tree.
//!
//! Trivia before a node start is attached outside that node (so comments between queries
//! belong to the document, and a query's leading `// name:` comment precedes its node);
//! trivia before a token goes into the node that holds the token. Every token of the input,
//! trivia and error tokens included, is added exactly once: the tree is lossless.

use rowan::{GreenNode, GreenNodeBuilder, NodeCache};

use super::event::Event;
use crate::lexer::Token;
use crate::SyntaxKind;

pub(crate) fn build_tree(text: &str, tokens: &[Token], mut events: Vec<Event>) -> GreenNode {
    let mut cache = NodeCache::default();
    let mut builder = GreenNodeBuilder::with_cache(&mut cache);
    let mut pos = 0usize; // index into `tokens`
    let mut depth = 0usize;
    let mut parents: Vec<SyntaxKind> = Vec::new();

    let emit_trivia = |builder: &mut GreenNodeBuilder, pos: &mut usize| {
        while *pos < tokens.len() && tokens[*pos].kind.is_trivia() {
            let t = tokens[*pos];
            builder.token(t.kind.into(), &text[t.range]);
            *pos += 1;
        }
    };

    for i in 0..events.len() {
        match std::mem::replace(&mut events[i], Event::Tombstone) {
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
                    emit_trivia(&mut builder, &mut pos);
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
                    while pos < tokens.len() {
                        let t = tokens[pos];
                        builder.token(t.kind.into(), &text[t.range]);
                        pos += 1;
                    }
                }
                builder.finish_node();
            }
            Event::Token => {
                emit_trivia(&mut builder, &mut pos);
                let t = tokens[pos];
                builder.token(t.kind.into(), &text[t.range]);
                pos += 1;
            }
            Event::Tombstone => {}
        }
    }
    builder.finish()
}
