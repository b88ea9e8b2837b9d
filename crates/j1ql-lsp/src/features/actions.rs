//! Code actions: every lint fix and "did you mean" suggestion, De Morgan expand/collapse with
//! the result in the title, and expanding smart classes.

use std::collections::HashMap;

use j1ql_semantics::normalize::{
    filter_sites, print_filter, query_expansion_edits, query_pairs, Direction, Expand,
};
use j1ql_semantics::smart_classes::SmartClasses;
use j1ql_syntax::{TextRange, TextSize};
use tower_lsp_server::ls_types::*;

use crate::document::{Chunk, Document};

/// An edit of the document; line breaks in the new text are written in the document's own
/// ending (a CRLF document stays CRLF, as with formatting).
fn edit(doc: &Document, chunk: &Chunk, range: TextRange, new_text: String) -> TextEdit {
    let eol = j1ql_project::LineEnding::detect(&doc.text);
    TextEdit::new(doc.range(chunk.to_doc(range)), eol.apply(&new_text))
}

fn action(
    uri: &Uri,
    title: String,
    kind: CodeActionKind,
    edits: Vec<TextEdit>,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn preview(text: &str) -> String {
    const MAX: usize = 60;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > MAX {
        format!("{}…", one_line.chars().take(MAX).collect::<String>())
    } else {
        one_line
    }
}

/// The code actions for a document range (byte offsets).
pub fn code_actions(
    doc: &Document,
    uri: &Uri,
    start: usize,
    end: usize,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let Some(chunk) = doc.chunk_at(start) else {
        return out;
    };
    let base = chunk.start;
    let rel = TextRange::new(
        TextSize::from((start - base) as u32),
        TextSize::from((end.max(start) - base).min(chunk.data.text.len()) as u32),
    );
    let touches = |r: TextRange| r.intersect(rel).is_some() || r.contains_inclusive(rel.start());

    // Fixes of the findings under the cursor.
    for d in chunk.data.lint() {
        let Some(fix) = &d.fix else { continue };
        if !touches(d.range) {
            continue;
        }
        let edits = fix
            .edits
            .iter()
            .map(|e| edit(doc, chunk, e.range, e.new_text.clone()))
            .collect();
        let safe = fix.applicability == j1ql_lint::Applicability::Safe;
        out.push(action(
            uri,
            format!("{} ({})", fix.title, d.code),
            CodeActionKind::QUICKFIX,
            edits,
            safe,
        ));
    }

    let analysis = chunk.data.analysis();
    for (query, qa) in query_pairs(&analysis) {
        if !touches(qa.range()) {
            continue;
        }
        // De Morgan on the filter under the cursor.
        for site in filter_sites(&query, &qa.ir) {
            if !touches(site.range) {
                continue;
            }
            for (direction, name) in [
                (Direction::Expand, "Expand"),
                (Direction::Collapse, "Collapse"),
            ] {
                if let Some(e) = site.edit(direction) {
                    let shown = print_filter(&site.rewritten(direction));
                    out.push(action(
                        uri,
                        format!("{name} (De Morgan): {}", preview(&shown)),
                        CodeActionKind::REFACTOR_REWRITE,
                        vec![edit(doc, chunk, e.range, e.new_text)],
                        false,
                    ));
                }
            }
        }
        // Smart classes.
        let options = Expand {
            smart_classes: Some(SmartClasses::default()),
            ..Expand::default()
        };
        let edits = query_expansion_edits(&query, &qa.ir, &options);
        if !edits.is_empty() {
            let first = preview(&edits[0].new_text);
            out.push(action(
                uri,
                format!("Expand smart class: {first}"),
                CodeActionKind::REFACTOR_REWRITE,
                edits
                    .into_iter()
                    .map(|e| edit(doc, chunk, e.range, e.new_text))
                    .collect(),
                false,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Encoding;
    use crate::workspace::Env;

    #[test]
    fn edits_keep_the_documents_line_ending() {
        for (text, want) in [
            ("FIND User\r\nFIND Host\r\n", "a\r\nb"),
            ("FIND User\nFIND Host\n", "a\nb"),
        ] {
            let doc = Document::new(text, 0, Encoding::Utf16, Env::builtin());
            let chunk = doc.chunk_at(0).unwrap();
            let e = edit(&doc, chunk, TextRange::empty(0.into()), "a\nb".into());
            assert_eq!(e.new_text, want);
        }
    }
}
