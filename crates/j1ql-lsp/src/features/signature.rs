//! Signature help: the parameters of the function call around the cursor, with the active
//! parameter. The functions, their parameters and docs come from the one table,
//! `j1ql_semantics::functions` (`date(...)` values included).

use j1ql_semantics::functions::{lookup as signature, Function};
use j1ql_syntax::{SyntaxKind::*, SyntaxNode, TextSize};
use tower_lsp_server::ls_types::*;

use crate::document::Document;

/// The help for a function signature with `active` (0-based) as the active parameter.
fn help(sig: &Function, active: usize) -> SignatureHelp {
    let mut label = format!("{}(", sig.name);
    let mut parameters = Vec::new();
    for (i, param) in sig.params.iter().enumerate() {
        let (p, doc) = (param.label, param.doc);
        if i > 0 {
            label.push_str(", ");
        }
        let start = label.encode_utf16().count() as u32;
        label.push_str(p);
        let end = label.encode_utf16().count() as u32;
        parameters.push(ParameterInformation {
            label: ParameterLabel::LabelOffsets([start, end]),
            documentation: Some(Documentation::String(doc.to_string())),
        });
    }
    if sig.variadic {
        label.push_str(", ...");
    }
    label.push(')');
    let last = sig.params.len().saturating_sub(1);
    let active = if sig.variadic {
        active.min(last)
    } else {
        active
    } as u32;
    SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: sig.doc.to_string(),
            })),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    }
}

/// Signature help at a byte offset of the document: the innermost call whose parentheses hold
/// the cursor, or a `date(` being written.
pub fn signature_help(doc: &Document, offset: usize) -> Option<SignatureHelp> {
    let chunk = doc.chunk_at(offset)?;
    let rel = TextSize::from((offset - chunk.start) as u32);
    let root = chunk.data.root();
    if let Some(h) = call_at(&root, rel) {
        return Some(h);
    }
    date_at(&chunk.data.text[..usize::from(rel)])
}

fn call_at(root: &SyntaxNode, rel: TextSize) -> Option<SignatureHelp> {
    if root.text_range().is_empty() {
        return None;
    }
    let mut token = root.token_at_offset(rel).left_biased()?;
    // In the blank after `(` or `,`: the token before it.
    while matches!(token.kind(), WHITESPACE | LINE_COMMENT | BLOCK_COMMENT) {
        token = token.prev_token()?;
    }
    for list in token.parent_ancestors().filter(|n| n.kind() == ARG_LIST) {
        let open = list
            .children_with_tokens()
            .find(|e| e.kind() == L_PAREN)?
            .text_range();
        let close = list
            .children_with_tokens()
            .find(|e| e.kind() == R_PAREN)
            .map(|e| e.text_range());
        let inside = open.end() <= rel && close.is_none_or(|c| rel <= c.start());
        if !inside {
            continue;
        }
        let call = list.parent().filter(|p| p.kind() == CALL_EXPR)?;
        let name = call
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|t| t.kind() == IDENT)?;
        let sig = signature(name.text())?;
        let active = list
            .children_with_tokens()
            .filter(|e| e.kind() == COMMA && e.text_range().end() <= rel)
            .count();
        return Some(help(sig, active));
    }
    None
}

/// `date(` without its `)` on the text before the cursor (a date being typed lexes as an
/// error, not as a call).
fn date_at(before: &str) -> Option<SignatureHelp> {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let lower = line.to_ascii_lowercase();
    let at = lower.rfind("date(")?;
    let word_start = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
    if !word_start || line[at..].contains(')') {
        return None;
    }
    Some(help(signature("date")?, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Env;

    fn at(text: &str) -> Option<(String, u32)> {
        let offset = text.find('|').expect("cursor");
        let text = text.replace('|', "");
        let doc = Document::new(&text, 0, crate::document::Encoding::Utf16, Env::builtin());
        let h = signature_help(&doc, offset)?;
        Some((h.signatures[0].label.clone(), h.active_parameter?))
    }

    #[test]
    fn active_parameter_follows_commas() {
        assert_eq!(
            at("FIND User AS u RETURN CONCAT(u.a, |"),
            Some(("CONCAT(value1, value2, ...)".into(), 1))
        );
        assert_eq!(
            at("FIND User AS u RETURN CONCAT(u.a, ' ', |u.b)"),
            Some(("CONCAT(value1, value2, ...)".into(), 1))
        );
        assert_eq!(
            at("FIND User AS u RETURN ROUND(avg(u.x), |2)"),
            Some(("ROUND(x, digits)".into(), 1))
        );
        assert_eq!(
            at("FIND User AS u RETURN ROUND(avg(|u.x), 2)"),
            Some(("avg(alias.property)".into(), 0))
        );
        assert_eq!(
            at("FIND User AS u RETURN count(|"),
            Some(("count(alias)".into(), 0))
        );
        assert_eq!(at("FIND User AS u RETURN count(u)|"), None);
        assert_eq!(at("FIND User AS u RETURN u.name|"), None);
    }

    #[test]
    fn date_being_typed() {
        assert_eq!(
            at("FIND User WITH _createdOn > date(2024-|"),
            Some(("date(YYYY-MM-DD[THH:MM[:SS[.sss]]Z])".into(), 0))
        );
        assert_eq!(at("FIND User WITH _createdOn > date(2024-01-01) |"), None);
        assert_eq!(at("FIND User WITH x = 'mandate(|"), None);
    }
}
