//! Inlay hints: after the target of each traversal step (`THAT HAS aws_iam_role`), the classes
//! the step yields — every step, aliased or not, so a long traversal reads like typed code:
//!
//! - a class target: the class (`THAT HAS Role` → `: Role`);
//! - a type target: its classes in the data model or the workspace data
//!   (`aws_iam_role` → `: AccessRole`);
//! - `*`: the classes the data model relates the previous step to through the verb
//!   (`FIND User THAT ASSIGNED *` → `: AccessRole | Group`), at most five, or `: any entity`;
//! - smart classes get no hint (they filter on properties, not on classes).

use std::collections::{BTreeMap, HashSet};

use j1ql_semantics::catalog::Catalog;
use j1ql_syntax::ast::{AstNode, Entity, NameKind, Query};
use j1ql_syntax::{SyntaxKind::*, SyntaxNode, TextRange};
use tower_lsp_server::ls_types::*;

use crate::document::Document;

/// The most classes a `*` hint lists.
const MAX_CLASSES: usize = 5;

/// Inlay hints for the traversal steps whose target lies in `range`.
pub fn inlay_hints(doc: &Document, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    let catalog = doc.env.workspace.catalog();
    for chunk in &doc.chunks {
        let cr = chunk.range();
        if cr.end() < range.start() || cr.start() > range.end() {
            continue;
        }
        for query in chunk.data.analysis().parse.document().queries() {
            let mut previous: Vec<String> = query
                .entity()
                .map(|e| selector_names(&e))
                .unwrap_or_default();
            for step in query
                .syntax()
                .children()
                .filter(|n| n.kind() == TRAVERSAL)
                .chain(optional_steps(&query))
            {
                let Some(target) = step.children().find_map(Entity::cast) else {
                    continue;
                };
                let Some(selector) = target.selector() else {
                    continue;
                };
                let names = selector_names(&target);
                let at = chunk.to_doc(selector.syntax().text_range());
                if range.contains_range(at) || at.contains_range(range) {
                    let verbs = verbs_of(&step);
                    let classes = yields(catalog, &previous, &verbs, &names);
                    if let Some(label) = classes {
                        out.push(hint(doc, at, label, &verbs, &names));
                    }
                }
                previous = names;
            }
        }
    }
    out.sort_by_key(|h| (h.position.line, h.position.character));
    out
}

/// Steps inside optional groups (`(THAT HAS Device)?`), after the top-level ones.
fn optional_steps(query: &Query) -> Vec<SyntaxNode> {
    query
        .syntax()
        .descendants()
        .filter(|n| n.kind() == TRAVERSAL && n.parent().is_some_and(|p| p.kind() != QUERY))
        .collect()
}

fn selector_names(e: &Entity) -> Vec<String> {
    let Some(s) = e.selector() else {
        return Vec::new();
    };
    let mut names: Vec<String> = s.names().iter().map(|t| t.text().to_string()).collect();
    if !names.iter().any(|n| n == "*")
        && s.syntax()
            .descendants_with_tokens()
            .any(|t| t.kind() == STAR)
    {
        names.push("*".into());
    }
    names
}

/// The verbs of a traversal step, upper case (`RELATES TO`: none, meaning any).
fn verbs_of(step: &SyntaxNode) -> Vec<String> {
    step.descendants()
        .filter(|n| n.kind() == VERB)
        .filter_map(|v| {
            v.children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == IDENT)
                .map(|t| t.text().to_ascii_uppercase())
        })
        .collect()
}

/// The label for a target: its classes, or `None` when there is nothing to say.
fn yields(
    catalog: &Catalog,
    previous: &[String],
    verbs: &[String],
    names: &[String],
) -> Option<String> {
    let mut classes: Vec<String> = Vec::new();
    let mut push = |c: &str| {
        if !classes.iter().any(|x| x == c) {
            classes.push(c.to_string());
        }
    };
    for name in names {
        match name.as_str() {
            "*" => {
                let related = related_classes(catalog, previous, verbs);
                if related.is_empty() {
                    return Some("any entity".into());
                }
                related.iter().for_each(|c| push(c));
            }
            n => match NameKind::of(n) {
                NameKind::Class => push(n),
                NameKind::Type => {
                    if let Some(t) = catalog.entity_type(n) {
                        t.classes.iter().for_each(|c| push(c));
                    }
                }
                NameKind::Any => {}
            },
        }
    }
    (!classes.is_empty()).then(|| classes.join(" | "))
}

/// Classes the data model relates `from` (classes or types) to through `verbs` (any verb when
/// empty), most documented first.
fn related_classes(catalog: &Catalog, from: &[String], verbs: &[String]) -> Vec<String> {
    let endpoints = endpoints_of(catalog, from);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in catalog.relationship_types() {
        if !verbs.is_empty() && !verbs.iter().any(|v| v.eq_ignore_ascii_case(&r.verb)) {
            continue;
        }
        let other = if endpoints.contains(r.from.as_str()) {
            &r.to
        } else if endpoints.contains(r.to.as_str()) {
            &r.from
        } else {
            continue;
        };
        let classes: Vec<String> = match NameKind::of(other) {
            NameKind::Class => vec![other.clone()],
            _ => catalog
                .entity_type(other)
                .map(|t| t.classes.clone())
                .unwrap_or_default(),
        };
        for c in classes {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(MAX_CLASSES)
        .map(|(c, _)| c)
        .collect()
}

/// The names a relationship row may use for `names`: the classes and types themselves, and
/// the types of the classes.
pub fn endpoints_of<'a>(catalog: &'a Catalog, names: &'a [String]) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for name in names {
        out.insert(name.as_str());
        if NameKind::of(name) == NameKind::Class {
            out.extend(catalog.types_of_class(name).map(|t| t.name.as_str()));
        }
    }
    out
}

fn hint(
    doc: &Document,
    selector: TextRange,
    classes: String,
    verbs: &[String],
    names: &[String],
) -> InlayHint {
    let verb = if verbs.is_empty() {
        "RELATES TO".to_string()
    } else {
        verbs.join(" | ")
    };
    InlayHint {
        position: doc.position(selector.end().into()),
        label: InlayHintLabel::String(format!(": {classes}")),
        kind: Some(InlayHintKind::TYPE),
        text_edits: None,
        tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: format!(
                "`THAT {verb} {}` yields entities of class `{}`",
                names.join("|"),
                classes.replace(" | ", "`, `")
            ),
        })),
        padding_left: Some(false),
        padding_right: Some(true),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Encoding;
    use crate::workspace::Env;

    fn labels(text: &str) -> Vec<(u32, String)> {
        let doc = Document::new(text, 0, Encoding::Utf16, Env::builtin());
        let all = TextRange::new(0.into(), (text.len() as u32).into());
        inlay_hints(&doc, all)
            .into_iter()
            .map(|h| match h.label {
                InlayHintLabel::String(s) => (h.position.character, s),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn each_step_says_what_it_yields() {
        let text = "FIND User THAT HAS aws_iam_role AS r THAT RELATES TO (Role|Group)";
        assert_eq!(
            labels(text),
            vec![
                (31, ": AccessRole".to_string()),
                (65, ": Role | Group".to_string())
            ]
        );
        // The start entity gets none; a smart class gets none.
        assert!(labels("FIND User THAT HAS #CriticalAsset").is_empty());
    }

    #[test]
    fn a_wildcard_target_gets_the_related_classes() {
        let got = labels("FIND aws_iam_user THAT HAS *");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("AccessPolicy"), "{got:?}");
        let unknown = labels("FIND Nothing THAT HAS *");
        assert_eq!(unknown, vec![(23, ": any entity".to_string())]);
    }
}
