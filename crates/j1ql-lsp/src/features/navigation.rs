//! Document symbols, folding ranges, aliases (definition, references, rename), code lenses,
//! formatting and semantic tokens.

use std::collections::HashMap;

use j1ql_syntax::ast::{AstNode, Query};
use j1ql_syntax::{SyntaxKind::*, TextRange, TextSize};
use tower_lsp_server::ls_types::*;

use crate::document::{Chunk, Document, Snapshot};
use crate::features::hover::token_at;
pub use crate::tokens::TOKEN_TYPES;
use crate::tokens::{is_alias_use, token_type};

/// One symbol per query, named by its selector (`FIND User THAT HAS Host` → `User`).
pub fn document_symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for chunk in &doc.chunks {
        for query in chunk.data.analysis().parse.document().queries() {
            let range = doc.range(chunk.to_doc(query.syntax().text_range()));
            let name = query
                .entity()
                .and_then(|e| e.selector())
                .map(|s| s.syntax().text().to_string().trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "query".into());
            let detail = query.syntax().text().to_string();
            let detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
            #[allow(deprecated)]
            out.push(DocumentSymbol {
                name,
                detail: Some(detail.chars().take(80).collect()),
                kind: SymbolKind::FUNCTION,
                tags: None,
                deprecated: None,
                range,
                selection_range: query
                    .find_token()
                    .map(|t| doc.range(chunk.to_doc(t.text_range())))
                    .unwrap_or(range),
                children: None,
            });
        }
    }
    out
}

/// A folding range per multi-line query and per multi-line block comment.
pub fn folding_ranges(doc: &Document) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    for chunk in &doc.chunks {
        let root = chunk.data.root();
        for element in root.descendants_with_tokens() {
            let (range, kind) = match &element {
                rowan::NodeOrToken::Node(n) if n.kind() == QUERY => (n.text_range(), None),
                rowan::NodeOrToken::Token(t) if t.kind() == BLOCK_COMMENT => {
                    (t.text_range(), Some(FoldingRangeKind::Comment))
                }
                _ => continue,
            };
            let r = doc.range(chunk.to_doc(range));
            // A query ending at the start of a line (its line break included) ends on the
            // line before.
            let end_line = if r.end.character == 0 && r.end.line > r.start.line {
                r.end.line - 1
            } else {
                r.end.line
            };
            if end_line > r.start.line {
                out.push(FoldingRange {
                    start_line: r.start.line,
                    start_character: None,
                    end_line,
                    end_character: None,
                    kind,
                    collapsed_text: None,
                });
            }
        }
    }
    out
}

/// The alias under the cursor: its name and every occurrence (definition first) in the
/// query, as chunk-relative ranges.
fn alias_occurrences(chunk: &Chunk, offset: usize) -> Option<(String, Vec<TextRange>)> {
    let root = chunk.data.root();
    let rel = TextSize::from((offset - chunk.start) as u32);
    let token = token_at(&root, rel)?;
    if token.kind() != IDENT {
        return None;
    }
    let query = token.parent_ancestors().find_map(Query::cast)?;
    let name = token.text().to_string();
    let def = query
        .aliases()
        .filter_map(|a| a.name())
        .find(|n| n.text() == name)?;
    let mut ranges = vec![def.text_range()];
    for t in query
        .syntax()
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        if t.kind() == IDENT
            && t.text() == name
            && t.text_range() != def.text_range()
            && is_alias_use(&t)
        {
            ranges.push(t.text_range());
        }
    }
    // The cursor must be on the alias or one of its uses.
    ranges
        .iter()
        .any(|r| r.contains_inclusive(rel))
        .then_some((name, ranges))
}

/// Go to definition of an alias.
pub fn definition(doc: &Document, offset: usize) -> Option<Range> {
    let chunk = doc.chunk_at(offset)?;
    let (_, ranges) = alias_occurrences(chunk, offset)?;
    Some(doc.range(chunk.to_doc(ranges[0])))
}

/// Every occurrence of an alias.
pub fn references(doc: &Document, offset: usize, include_declaration: bool) -> Vec<Range> {
    let Some(chunk) = doc.chunk_at(offset) else {
        return Vec::new();
    };
    let Some((_, ranges)) = alias_occurrences(chunk, offset) else {
        return Vec::new();
    };
    ranges
        .into_iter()
        .skip(usize::from(!include_declaration))
        .map(|r| doc.range(chunk.to_doc(r)))
        .collect()
}

/// Whether a rename can start at the cursor: on an alias (its definition or a use), the
/// alias's range and name; `None` elsewhere, so that the client says so before asking for
/// the new name.
pub fn prepare_rename(doc: &Document, offset: usize) -> Option<PrepareRenameResponse> {
    let chunk = doc.chunk_at(offset)?;
    let (name, ranges) = alias_occurrences(chunk, offset)?;
    let rel = TextSize::from((offset - chunk.start) as u32);
    let at = ranges.into_iter().find(|r| r.contains_inclusive(rel))?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: doc.range(chunk.to_doc(at)),
        placeholder: name,
    })
}

/// Renames an alias everywhere in its query.
pub fn rename(doc: &Document, uri: &Uri, offset: usize, new_name: &str) -> Option<WorkspaceEdit> {
    let chunk = doc.chunk_at(offset)?;
    let (_, ranges) = alias_occurrences(chunk, offset)?;
    let edits = ranges
        .into_iter()
        .map(|r| TextEdit::new(doc.range(chunk.to_doc(r)), new_name.to_string()))
        .collect();
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// A "Run" lens above each query (command `j1ql.runQuery` with the uri and the query index),
/// and, when the workspace's `remote.lens` is on, a "Run on JupiterOne" lens beside it
/// (`j1ql.runQueryRemote`, the same arguments; docs/remote.md).
pub fn code_lenses(doc: &Document, uri: &Uri) -> Vec<CodeLens> {
    let remote = doc.env.workspace.project.config().remote.lens;
    let mut out = Vec::new();
    let mut index = 0usize;
    for chunk in &doc.chunks {
        for query in chunk.data.analysis().parse.document().queries() {
            let r = doc.range(chunk.to_doc(query.syntax().text_range()));
            let lens = |title: &str, command: &str| CodeLens {
                range: Range::new(r.start, r.start),
                command: Some(Command {
                    title: title.into(),
                    command: command.into(),
                    arguments: Some(vec![
                        serde_json::json!(uri.as_str()),
                        serde_json::json!(index),
                    ]),
                }),
                data: None,
            };
            out.push(lens("▶ Run", "j1ql.runQuery"));
            if remote {
                out.push(lens("▶ Run on JupiterOne", "j1ql.runQueryRemote"));
            }
            index += 1;
        }
    }
    out
}

/// The text of the `index`-th query of the document.
pub fn query_text(doc: &Document, index: usize) -> Option<String> {
    doc.chunks
        .iter()
        .flat_map(|c| {
            c.data
                .analysis()
                .parse
                .document()
                .queries()
                .map(|q| q.syntax().text().to_string())
                .collect::<Vec<_>>()
        })
        .nth(index)
}

/// The text of the query at a byte offset.
pub fn query_at(doc: &Document, offset: usize) -> Option<String> {
    let chunk = doc.chunk_at(offset)?;
    let rel = TextSize::from((offset - chunk.start) as u32);
    let queries: Vec<Query> = chunk.data.analysis().parse.document().queries().collect();
    queries
        .iter()
        .find(|q| q.syntax().text_range().contains_inclusive(rel))
        .or(queries.first())
        .map(|q| q.syntax().text().to_string())
}

/// Formats the whole document (one edit replacing everything that changed). A CRLF document
/// stays CRLF. When a query has a syntax error, the other queries are formatted one by one
/// (and the broken one left as it is), so format-on-save keeps working while a query is being
/// written.
pub fn format(doc: &Snapshot) -> Result<Vec<TextEdit>, String> {
    let eol = j1ql_project::LineEnding::detect(&doc.text);
    let formatted = match j1ql_fmt::format(&doc.text, &doc.format) {
        Ok(formatted) => eol.apply(&formatted),
        Err(j1ql_fmt::FormatError::Syntax(_)) => {
            let all = TextRange::new(0.into(), TextSize::from(doc.text.len() as u32));
            return format_range(doc, all);
        }
        Err(e) => return Err(e.to_string()),
    };
    if formatted == doc.text {
        return Ok(Vec::new());
    }
    let end = doc.range(TextRange::empty(TextSize::from(doc.text.len() as u32)));
    Ok(vec![TextEdit::new(
        Range::new(Position::new(0, 0), end.end),
        formatted,
    )])
}

/// Formats the queries a range touches.
pub fn format_range(doc: &Snapshot, range: TextRange) -> Result<Vec<TextEdit>, String> {
    let eol = j1ql_project::LineEnding::detect(&doc.text);
    let edits = j1ql_fmt::format_range(&doc.text, range, &doc.format).map_err(|e| e.to_string())?;
    Ok(edits
        .into_iter()
        .map(|e| TextEdit::new(doc.range(e.range), eol.apply(&e.new_text)))
        .collect())
}

/// The semantic tokens of the whole document, from each chunk's cached tokens. With
/// `only_analysed` (a big document still analysed in the background), the chunks not analysed
/// yet have none for now: the client is asked to refresh when they are.
pub fn semantic_tokens_full(doc: &Document, only_analysed: bool) -> Vec<SemanticToken> {
    let mut out = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for chunk in &doc.chunks {
        if only_analysed && !chunk.data.is_analysed() {
            continue;
        }
        for t in chunk.data.tokens() {
            let line = chunk.line + t.line;
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 {
                t.start - last_start
            } else {
                t.start
            };
            out.push(SemanticToken {
                delta_line,
                delta_start,
                length: t.length,
                token_type: t.token_type,
                token_modifiers_bitset: 0,
            });
            last_line = line;
            last_start = t.start;
        }
    }
    out
}

/// The edit that turns the token data `old` into `new` (`semanticTokens/full/delta`): one
/// replacement of what lies between their common beginning and end, in `u32` units (five
/// per token), or none when they are equal.
pub fn semantic_tokens_edits(
    old: &[SemanticToken],
    new: &[SemanticToken],
) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let rest = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(rest)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == old.len() && prefix == new.len() {
        return Vec::new();
    }
    let replaced = &new[prefix..new.len() - suffix];
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: ((old.len() - prefix - suffix) * 5) as u32,
        data: (!replaced.is_empty()).then(|| replaced.to_vec()),
    }]
}

/// Semantic tokens of the whole document, or of the tokens that overlap `range`.
pub fn semantic_tokens(doc: &Document, range: Option<TextRange>) -> Vec<SemanticToken> {
    let mut out = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    let overlaps = |r: TextRange| {
        range.is_none_or(|want| r.start() < want.end() && want.start() < r.end() || r == want)
    };
    let first = match range {
        Some(want) => doc
            .chunks
            .partition_point(|c| c.range().end() <= want.start()),
        None => 0,
    };
    for chunk in &doc.chunks[first.min(doc.chunks.len())..] {
        if let Some(want) = range {
            if chunk.range().start() >= want.end() && !want.is_empty() {
                break;
            }
        }
        let root = chunk.data.root();
        for t in root
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            if !overlaps(chunk.to_doc(t.text_range())) {
                continue;
            }
            let Some(ty) = token_type(&t) else { continue };
            let r = doc.range(chunk.to_doc(t.text_range()));
            // Multi-line tokens (block comments): only their first line.
            let length = if r.end.line == r.start.line {
                r.end.character - r.start.character
            } else {
                let line_end = doc.position(
                    usize::from(chunk.to_doc(t.text_range()).start())
                        + t.text().find('\n').unwrap_or(t.text().len()),
                );
                line_end.character - r.start.character
            };
            let delta_line = r.start.line - last_line;
            let delta_start = if delta_line == 0 {
                r.start.character - last_start
            } else {
                r.start.character
            };
            out.push(SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type: ty,
                token_modifiers_bitset: 0,
            });
            last_line = r.start.line;
            last_start = r.start.character;
        }
    }
    out
}

#[cfg(test)]
mod crlf_tests {
    use super::*;

    fn snapshot(text: &str) -> Snapshot {
        Snapshot {
            text: text.to_string(),
            rope: ropey::Rope::from_str(text),
            encoding: crate::document::Encoding::Utf16,
            format: j1ql_fmt::FormatOptions::default(),
        }
    }

    #[test]
    fn formatting_keeps_crlf() {
        let doc = snapshot("find User\r\nthat is Person\r\n");
        let edits = format(&doc).unwrap();
        assert_eq!(edits.len(), 1);
        assert!(
            !edits[0].new_text.replace("\r\n", "").contains('\n'),
            "{:?}",
            edits[0].new_text
        );
        assert!(edits[0].new_text.contains("\r\n"));
        let formatted = snapshot(&edits[0].new_text);
        assert!(
            format(&formatted).unwrap().is_empty(),
            "formatted CRLF text is stable"
        );
    }
}

#[cfg(test)]
mod semantic_token_tests {
    use super::*;
    use crate::document::Encoding;
    use crate::workspace::Env;

    const TEXT: &str = "FIND User WITH name = 'é😀' AS u /* a\nblock */ THAT HAS Hots\r\n// c\r\nFIND Host AS h\r\n  WHERE h.a = 1 RETURN count(h)\nFIND #Prod WITH x ~= /a'b/\n";

    fn apply(old: &[SemanticToken], edits: &[SemanticTokensEdit]) -> Vec<SemanticToken> {
        let mut out = old.to_vec();
        for e in edits.iter().rev() {
            let start = e.start as usize / 5;
            let end = start + e.delete_count as usize / 5;
            out.splice(start..end, e.data.clone().unwrap_or_default());
        }
        out
    }

    #[test]
    fn cached_chunk_tokens_are_the_documents_tokens() {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let mut doc = Document::new(TEXT, 1, encoding, Env::builtin());
            assert!(doc.chunks.len() >= 3);
            assert_eq!(
                semantic_tokens_full(&doc, false),
                semantic_tokens(&doc, None)
            );
            // After an edit (the cache of untouched chunks is reused).
            let before = semantic_tokens_full(&doc, false);
            let change = tower_lsp_server::ls_types::TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(3, 5), Position::new(3, 5))),
                range_length: None,
                text: "Device AS d THAT HAS ".into(),
            };
            doc.apply_changes(&[change], 2).unwrap();
            let after = semantic_tokens_full(&doc, false);
            assert_eq!(after, semantic_tokens(&doc, None));
            assert_ne!(before, after);
            // The delta turns the old data into the new.
            let edits = semantic_tokens_edits(&before, &after);
            assert_eq!(edits.len(), 1);
            assert_eq!(apply(&before, &edits), after);
            assert!(semantic_tokens_edits(&after, &after).is_empty());
        }
    }
}
