//! Hover: data-model docs for classes, types and verbs; what an alias binds; the De Morgan
//! normal form of a filter; a query's match count.

use j1ql_semantics::catalog::Catalog;
use j1ql_semantics::functions::FunctionKind;
use j1ql_semantics::normalize::{filter_sites, print_filter, Direction};
use j1ql_syntax::ast::{AstNode, NameKind, Query};
use j1ql_syntax::{SyntaxKind::*, SyntaxNode, SyntaxToken, TextSize};
use tower_lsp_server::ls_types::*;

use crate::document::{Chunk, Document};
use crate::features::completion::aliases_of;

/// The word token at a chunk-relative offset (preferring a word over punctuation).
pub fn token_at(root: &SyntaxNode, rel: TextSize) -> Option<SyntaxToken> {
    if root.text_range().is_empty() {
        return None;
    }
    let at = root.token_at_offset(rel);
    let mut best = None;
    for t in at {
        if matches!(t.kind(), WHITESPACE | LINE_COMMENT | BLOCK_COMMENT) {
            continue;
        }
        if t.kind() == IDENT || t.kind() == SMART_CLASS_NAME || best.is_none() {
            best = Some(t);
        }
    }
    best
}

/// Markdown about a class, a type or a verb of the data model.
pub fn model_doc(catalog: &Catalog, name: &str, is_verb: bool) -> Option<String> {
    if is_verb {
        let v = catalog.verb(name)?;
        return Some(format!(
            "**{}** — relationship verb\n\n{}",
            v.name, v.description
        ));
    }
    match NameKind::of(name) {
        NameKind::Class => {
            let c = catalog.class(name)?;
            let types: Vec<&str> = catalog
                .types_of_class(name)
                .take(8)
                .map(|t| t.name.as_str())
                .collect();
            let mut s = format!("**{}** — class", c.name);
            if let Some(e) = &c.extends {
                s.push_str(&format!(", extends `{e}`"));
            }
            s.push_str(&format!("\n\n{}", c.description));
            if !types.is_empty() {
                s.push_str(&format!("\n\nTypes: `{}`", types.join("`, `")));
            }
            Some(s)
        }
        NameKind::Type => {
            let t = catalog.entity_type(name)?;
            let mut s = format!("**{}** — entity type", t.name);
            if !t.classes.is_empty() {
                s.push_str(&format!("\n\nClasses: `{}`", t.classes.join("`, `")));
            }
            if let Some(i) = &t.integration {
                s.push_str(&format!("\n\nIntegration: {i}"));
            }
            Some(s)
        }
        NameKind::Any => Some("`*` — any entity".into()),
    }
}

/// Markdown about a function of RETURN, from the functions table.
pub fn function_doc(name: &str) -> Option<String> {
    let f = j1ql_semantics::functions::lookup(name)?;
    let kind = match f.kind {
        FunctionKind::Aggregate(_) => "aggregate function",
        FunctionKind::Scalar(_) => "function",
        FunctionKind::DateLiteral => "date value",
    };
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| format!("- `{}`: {}", p.label, p.doc))
        .collect();
    Some(format!(
        "**{}** — {kind}\n\n{}\n\n{}",
        f.signature(),
        f.doc,
        params.join("\n")
    ))
}

/// Runs a query for the hover on `FIND`: its match count and what it ran on, or why not.
pub type CountFn<'a> = dyn Fn(&str) -> Result<(usize, String), String> + 'a;

/// Hover at a byte offset. `count` runs a query and returns its match count and what it ran
/// on (or why not).
pub fn hover(doc: &Document, offset: usize, count: &CountFn<'_>) -> Option<Hover> {
    let chunk = doc.chunk_at(offset)?;
    let root = chunk.data.root();
    let rel = TextSize::from((offset - chunk.start) as u32);
    let token = token_at(&root, rel)?;
    let parent = token.parent()?;
    let query = token.parent_ancestors().find_map(Query::cast);
    let text = token.text();
    let ws = &doc.env.workspace;
    let value = match (token.kind(), parent.kind()) {
        (IDENT, SELECTOR | SELECTOR_GROUP) => model_doc(ws.catalog(), text, false),
        (IDENT, VERB) => model_doc(ws.catalog(), text, true),
        (IDENT, CALL_EXPR) => function_doc(text),
        (SMART_CLASS_NAME, _) => {
            let name = text.trim_start_matches('#');
            let def = ws.smart().definition(name);
            let origin = if ws.config.smart_classes.contains_key(name) {
                ", from j1ql.toml"
            } else if ws.smart().is_configured(name) {
                ", default definition"
            } else {
                ", tag-derived"
            };
            Some(format!(
                "**{text}** — smart class{origin}\n\nStands for `{def}`"
            ))
        }
        (PARAM | TEMPLATE, _) => {
            let literal = parent.clone();
            let name = j1ql_syntax::ast::Literal::cast(literal)
                .and_then(|l| crate::document::param_name(&l))?;
            Some(match ws.params().get(&name) {
                Some(v) => format!("**{text}** — parameter `{name}` = `{v}` (j1ql.toml)"),
                None => format!("**{text}** — parameter `{name}`: no value in `[params]`"),
            })
        }
        (IDENT, ALIAS) | (IDENT, PATH) => {
            let q = query.as_ref()?;
            aliases_of(q)
                .into_iter()
                .find(|(n, _)| n == text)
                .map(|(n, binds)| format!("alias `{n}` binds `{binds}`"))
                .or_else(|| {
                    let types = property_types(chunk, q, rel);
                    match (types, filter_hover(chunk, q, rel)) {
                        (Some(t), Some(f)) => Some(format!("{t}\n\n{f}")),
                        (t, f) => t.or(f),
                    }
                })
        }
        // `RETURN u.name AS n`: the column and what it holds.
        (IDENT, COLUMN_ALIAS) => {
            let item = parent.parent().filter(|p| p.kind() == RETURN_ITEM)?;
            let expr: String = item
                .children_with_tokens()
                .take_while(|e| e.as_node() != Some(&parent))
                .map(|e| e.to_string())
                .collect();
            Some(format!(
                "column `{text}` — `{}` (the result's column name)",
                expr.trim()
            ))
        }
        (FIND_KW, _) => {
            let q = query.as_ref()?;
            let qtext = q.syntax().text().to_string();
            Some(match count(&qtext) {
                Ok((n, source)) => format!(
                    "**{n}** match{} on {source}",
                    if n == 1 { "" } else { "es" }
                ),
                Err(e) => format!("Not run: {e}"),
            })
        }
        _ => query.as_ref().and_then(|q| filter_hover(chunk, q, rel)),
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(doc.range(chunk.to_doc(token.text_range()))),
    })
}

/// The types a WITH property under the cursor holds: declared by the data model and seen in
/// the workspace data (J1QL compares types strictly; lint rule L014 uses the same facts).
fn property_types(chunk: &Chunk, query: &Query, rel: TextSize) -> Option<String> {
    let analysis = chunk.data.analysis();
    let qa = analysis
        .queries
        .iter()
        .find(|qa| qa.range() == query.syntax().text_range())?;
    for pattern in qa.ir.entity_patterns() {
        let Some(filter) = &pattern.filter else {
            continue;
        };
        let Some(c) = filter
            .comparisons()
            .into_iter()
            .find(|c| c.property.range.contains_inclusive(rel))
        else {
            continue;
        };
        let known = pattern.value_types(&analysis.catalog, &c.property.key);
        let list = |types: &std::collections::BTreeSet<j1ql_semantics::catalog::PropertyType>| {
            types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut lines = vec![format!("**`{}`**", c.property.key)];
        if !known.declared.is_empty() {
            lines.push(format!("data model: {}", list(&known.declared)));
        }
        if !known.seen.is_empty() {
            lines.push(format!("seen in the data: {}", list(&known.seen)));
        }
        return (!known.is_empty()).then(|| lines.join("  \n"));
    }
    None
}

/// The De Morgan normal form of the filter under the cursor (comparison or value group).
fn filter_hover(chunk: &Chunk, query: &Query, rel: TextSize) -> Option<String> {
    let analysis = chunk.data.analysis();
    let qa = analysis
        .queries
        .iter()
        .find(|qa| qa.range() == query.syntax().text_range())?;
    let site = filter_sites(query, &qa.ir)
        .into_iter()
        .find(|s| s.range.contains_inclusive(rel))?;
    let expanded = print_filter(&site.rewritten(Direction::Expand));
    let collapsed = print_filter(&site.rewritten(Direction::Collapse));
    de_morgan_text(&site.text, &expanded, &collapsed)
}

/// The De Morgan forms worth showing: only those that differ from the filter as written
/// (spacing aside), and none when both are what is written.
fn de_morgan_text(written: &str, expanded: &str, collapsed: &str) -> Option<String> {
    let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
    let mut parts = Vec::new();
    if !same(expanded, written) {
        parts.push(format!("De Morgan normal form:\n```j1ql\n{expanded}\n```"));
    }
    if !same(collapsed, written) && !same(collapsed, expanded) {
        parts.push(format!("Collapsed:\n```j1ql\n{collapsed}\n```"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::de_morgan_text;

    #[test]
    fn a_column_alias_says_what_it_holds() {
        use crate::document::{Document, Encoding};
        let text = "FIND User AS u RETURN u.name AS n, count(u) AS total";
        let doc = Document::new(text, 0, Encoding::Utf16, crate::workspace::Env::builtin());
        let at = |needle: &str| text.rfind(needle).unwrap() + 1;
        let none = |_: &str| -> Result<(usize, String), String> { Err(String::new()) };
        let value = |offset| match super::hover(&doc, offset, &none).map(|h| h.contents) {
            Some(tower_lsp_server::ls_types::HoverContents::Markup(m)) => m.value,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            value(at("total")),
            "column `total` — `count(u)` (the result's column name)"
        );
        assert_eq!(
            value(at(" n,") + 1),
            "column `n` — `u.name` (the result's column name)"
        );
    }

    #[test]
    fn de_morgan_forms_only_when_they_differ() {
        // Written in the normal form already (spacing aside): nothing to show.
        assert_eq!(
            de_morgan_text("a = 1  AND b = 2", "a = 1 AND b = 2", "a = 1 AND b = 2"),
            None
        );
        // A negated group: its expansion differs, the collapsed form is what is written.
        let text = de_morgan_text(
            "NOT (a = 1 OR b = 2)",
            "a != 1 AND b != 2",
            "NOT (a = 1 OR b = 2)",
        )
        .unwrap();
        assert!(text.contains("a != 1 AND b != 2"), "{text}");
        assert!(!text.contains("Collapsed"), "{text}");
        // Both differ from what is written, and from each other: both shown.
        let text = de_morgan_text("x", "a != 1 AND b != 2", "NOT (a = 1 OR b = 2)").unwrap();
        assert!(text.contains("Collapsed:"), "{text}");
    }
}
