//! Completion by context: what may come at the cursor, read from the tokens before it.

use j1ql_semantics::catalog::Catalog;
use j1ql_syntax::ast::{AstNode, Entity, NameKind, Query};
use j1ql_syntax::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken, TextRange, TextSize};
use tower_lsp_server::ls_types::*;

use crate::document::Document;
use crate::workspace::Workspace;

/// At most this many items of one long list (entity types) when nothing is typed yet; the
/// list is then marked incomplete so that the client asks again as the user types.
const MAX_TYPES: usize = 100;

/// A significant token of the chunk and where it is.
fn significant(t: &SyntaxToken) -> bool {
    !matches!(t.kind(), WHITESPACE | LINE_COMMENT | BLOCK_COMMENT)
}

fn prev_significant(t: &SyntaxToken) -> Option<SyntaxToken> {
    let mut cur = t.prev_token();
    while let Some(t) = cur {
        if significant(&t) {
            return Some(t);
        }
        cur = t.prev_token();
    }
    None
}

fn is_word(kind: SyntaxKind) -> bool {
    kind == IDENT || kind.is_keyword()
}

/// What the cursor is on: the word being typed (replaced by an item) and the tokens before it.
struct Cursor {
    /// Range (chunk-relative) an item replaces: the word being typed, or empty at the cursor.
    replace: TextRange,
    /// The typed prefix.
    prefix: String,
    /// The significant token before the word.
    prev: Option<SyntaxToken>,
    /// A `#` is being typed (smart class).
    smart: bool,
    /// A parameter is being typed (`${`, `${ param.x`, `{{`).
    param: bool,
}

fn cursor(root: &SyntaxNode, offset: TextSize) -> Cursor {
    let at = offset;
    let empty = TextRange::empty(at);
    let token = if root.text_range().is_empty() {
        None
    } else {
        root.token_at_offset(at).left_biased()
    };
    let Some(token) = token else {
        return Cursor {
            replace: empty,
            prefix: String::new(),
            prev: None,
            smart: false,
            param: false,
        };
    };
    let r = token.text_range();
    let typing = r.start() < at && r.end() >= at;
    if typing && (is_word(token.kind()) || token.kind() == SMART_CLASS_NAME) {
        let len = at - r.start();
        let prefix = token.text()[..usize::from(len)].to_string();
        let smart = token.kind() == SMART_CLASS_NAME;
        return Cursor {
            replace: TextRange::new(r.start(), r.end()),
            prefix,
            prev: prev_significant(&token),
            smart,
            param: false,
        };
    }
    let text = token.text();
    if typing
        && matches!(token.kind(), ERROR_TOKEN | PARAM | TEMPLATE)
        && (text.starts_with("${") || text.starts_with("{{"))
    {
        return Cursor {
            replace: r,
            prefix: String::new(),
            prev: prev_significant(&token),
            smart: false,
            param: true,
        };
    }
    if typing && token.text() == "#" {
        return Cursor {
            replace: r,
            prefix: "#".into(),
            prev: prev_significant(&token),
            smart: true,
            param: false,
        };
    }
    let prev = if significant(&token) && r.end() <= at {
        Some(token)
    } else {
        prev_significant(&token)
    };
    Cursor {
        replace: empty,
        prefix: String::new(),
        prev,
        smart: false,
        param: false,
    }
}

/// The last clause keyword at or before `t`.
fn clause_of(t: &SyntaxToken) -> Option<SyntaxToken> {
    let mut cur = Some(t.clone());
    while let Some(t) = cur {
        if t.kind().is_clause_keyword() {
            return Some(t);
        }
        // `ORDER BY`: BY belongs to ORDER.
        cur = prev_significant(&t);
    }
    None
}

struct Items<'a> {
    out: Vec<CompletionItem>,
    replace: Range,
    prefix: String,
    incomplete: bool,
    catalog: &'a Catalog,
    workspace: &'a Workspace,
}

impl Items<'_> {
    fn matches(&self, label: &str) -> bool {
        self.prefix.is_empty()
            || label
                .to_ascii_lowercase()
                .starts_with(&self.prefix.to_ascii_lowercase())
    }

    fn push(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        doc: Option<String>,
        rank: u32,
    ) {
        if !self.matches(label) {
            return;
        }
        self.out.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: doc.filter(|d| !d.is_empty()).map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            sort_text: Some(format!("{rank:02}{}", self.out.len().min(9999) + 10000)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                self.replace,
                label.to_string(),
            ))),
            ..CompletionItem::default()
        });
    }

    fn keywords(&mut self, words: &[&str]) {
        for (i, w) in words.iter().enumerate() {
            self.push(
                w,
                CompletionItemKind::KEYWORD,
                None,
                None,
                20 + i as u32 / 10,
            );
        }
    }

    fn classes(&mut self, rank: u32) {
        let catalog = self.catalog;
        for c in catalog.classes() {
            let detail = c
                .extends
                .as_ref()
                .map_or("class".to_string(), |e| format!("class, extends {e}"));
            self.push(
                &c.name,
                CompletionItemKind::CLASS,
                Some(detail),
                Some(c.description.clone()),
                rank,
            );
        }
    }

    fn types(&mut self, rank: u32) {
        let catalog = self.catalog;
        let mut n = 0;
        for t in catalog.types() {
            if !self.matches(&t.name) {
                continue;
            }
            if n >= MAX_TYPES {
                self.incomplete = true;
                break;
            }
            n += 1;
            let detail = format!(
                "type{}{}",
                if t.classes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", t.classes.join(", "))
                },
                t.integration
                    .as_ref()
                    .map_or(String::new(), |i| format!(", {i}"))
            );
            self.push(
                &t.name,
                CompletionItemKind::STRUCT,
                Some(detail),
                None,
                rank,
            );
        }
    }

    fn selectors(&mut self) {
        self.push(
            "*",
            CompletionItemKind::OPERATOR,
            Some("any entity".into()),
            None,
            12,
        );
        self.classes(10);
        self.types(11);
    }

    /// The targets of a traversal from `from` over `verbs` (any verb when empty): the classes
    /// and types the data model and the workspace data relate to the source with those verbs
    /// come first (either direction: a traversal is bidirectional unless `>>`/`<<` say
    /// otherwise), then every other selector.
    fn targets(&mut self, from: &[String], verbs: &[String]) {
        let catalog = self.catalog;
        let endpoints = crate::features::inlay::endpoints_of(catalog, from);
        let mut related: std::collections::BTreeSet<&str> = Default::default();
        if !from.is_empty() {
            for r in catalog.relationship_types() {
                if !verbs.is_empty() && !verbs.iter().any(|v| v.eq_ignore_ascii_case(&r.verb)) {
                    continue;
                }
                for (here, there) in [(&r.from, &r.to), (&r.to, &r.from)] {
                    if endpoints.contains(here.as_str()) {
                        related.insert(there.as_str());
                        if let Some(t) = catalog.entity_type(there) {
                            related.extend(t.classes.iter().map(String::as_str));
                        }
                    }
                }
            }
        }
        if related.is_empty() {
            self.selectors();
            return;
        }
        // The related ones first, with what relates them.
        let via = if verbs.is_empty() {
            "a relationship".to_string()
        } else {
            verbs.join(" | ")
        };
        for name in &related {
            let (kind, what) = match catalog.entity_type(name) {
                Some(_) => (CompletionItemKind::STRUCT, "type"),
                None => (CompletionItemKind::CLASS, "class"),
            };
            let doc = catalog.class(name).map(|c| c.description.clone());
            self.push(
                name,
                kind,
                Some(format!("{what}, related to {} by {via}", from.join(" | "))),
                doc,
                9,
            );
        }
        let before = self.out.len();
        self.selectors();
        // Each related one once: drop the later, plainer item.
        let mut seen: std::collections::HashSet<String> =
            self.out[..before].iter().map(|i| i.label.clone()).collect();
        let mut i = 0;
        self.out.retain(|item| {
            i += 1;
            i <= before || seen.insert(item.label.clone())
        });
    }

    fn verbs(&mut self, from: &[String]) {
        let catalog = self.catalog;
        // Verbs the data model relates the source to come first.
        let endpoints = crate::features::inlay::endpoints_of(catalog, from);
        let likely: std::collections::HashSet<&str> = catalog
            .relationship_types()
            .filter(|r| endpoints.contains(r.from.as_str()) || endpoints.contains(r.to.as_str()))
            .map(|r| r.verb.as_str())
            .collect();
        for v in catalog.verbs() {
            let rank = if likely.iter().any(|l| l.eq_ignore_ascii_case(&v.name)) {
                10
            } else {
                11
            };
            self.push(
                &v.name,
                CompletionItemKind::FUNCTION,
                Some("relationship verb".into()),
                Some(v.description.clone()),
                rank,
            );
        }
        self.push(
            "RELATES TO",
            CompletionItemKind::KEYWORD,
            Some("any relationship".into()),
            Some("Matches a relationship of any class.".into()),
            12,
        );
    }

    /// Tag keys (`tag.Production` → `Production`): those seen in the workspace data on the
    /// selector's classes and types (every type's for `*`). The data model declares no tag
    /// keys (`tag.` is an open-ended family), so without data nothing is offered.
    fn tag_keys(&mut self, selector_names: &[String]) {
        let mut keys = std::collections::BTreeSet::new();
        let names: Vec<String> =
            if selector_names.is_empty() || selector_names.iter().any(|n| n == "*") {
                self.workspace
                    .observed()
                    .map(|o| o.entity_types.keys().cloned().collect())
                    .unwrap_or_default()
            } else {
                selector_names.to_vec()
            };
        for name in &names {
            for p in self.workspace.data_properties(name) {
                if let Some(key) = p.strip_prefix("tag.") {
                    keys.insert(key.to_string());
                }
            }
        }
        for key in &keys {
            self.push(
                key,
                CompletionItemKind::FIELD,
                Some("tag seen in workspace data".into()),
                None,
                10,
            );
        }
    }

    /// After `date.now -`: amounts, most common first.
    fn relative_amounts(&mut self) {
        for (i, amount) in ["1", "7", "24", "30", "90"].iter().enumerate() {
            self.push(
                amount,
                CompletionItemKind::VALUE,
                Some("amount (then a unit: hours, days, weeks, months, years)".into()),
                None,
                10 + i as u32 / 10,
            );
        }
    }

    /// After `date.now - 7`: the units of a relative date.
    fn date_units(&mut self) {
        for unit in ["hours", "days", "weeks", "months", "years"] {
            self.push(
                unit,
                CompletionItemKind::UNIT,
                Some("time unit".into()),
                None,
                10,
            );
        }
    }

    fn properties(&mut self, selector_names: &[String]) {
        let catalog = self.catalog;
        let mut seen = std::collections::HashSet::new();
        // Properties seen in the workspace data for these classes/types, unless the data
        // model declares them (then they are listed with their schema below, marked too).
        let mut in_data = std::collections::BTreeSet::new();
        for name in selector_names {
            in_data.extend(self.workspace.data_properties(name));
        }
        let declared: std::collections::HashSet<&str> = selector_names
            .iter()
            .flat_map(|n| match NameKind::of(n) {
                NameKind::Class => catalog.class_properties(n),
                NameKind::Type => catalog.type_properties(n),
                NameKind::Any => Vec::new(),
            })
            .filter(|e| !matches!(e.source, j1ql_semantics::catalog::PropertySource::Data))
            .map(|e| e.name)
            .collect();
        for p in &in_data {
            if declared.contains(p) {
                continue;
            }
            if seen.insert(p.to_string()) {
                self.push(
                    p,
                    CompletionItemKind::FIELD,
                    Some("seen in workspace data".into()),
                    None,
                    10,
                );
            }
        }
        for name in selector_names {
            let entries = match NameKind::of(name) {
                NameKind::Class => catalog.class_properties(name),
                NameKind::Type => catalog.type_properties(name),
                NameKind::Any => Vec::new(),
            };
            for e in entries {
                if !seen.insert(e.name.to_string()) {
                    continue;
                }
                let seen_here = in_data.contains(e.name);
                let (rank, detail) = match e.source {
                    j1ql_semantics::catalog::PropertySource::Class(c) => (
                        10,
                        format!(
                            "{} — {c}{}",
                            e.info.map_or("property".into(), |i| i.type_text()),
                            if seen_here {
                                ", seen in workspace data"
                            } else {
                                ""
                            }
                        ),
                    ),
                    j1ql_semantics::catalog::PropertySource::Data => (11, "seen in data".into()),
                    j1ql_semantics::catalog::PropertySource::Metadata => {
                        (13, e.info.map_or("metadata".into(), |i| i.type_text()))
                    }
                };
                let doc = e.info.and_then(|i| i.description.clone());
                self.push(e.name, CompletionItemKind::FIELD, Some(detail), doc, rank);
            }
        }
        for m in catalog.entity_common_properties() {
            if seen.insert(m.name.clone()) {
                self.push(
                    &m.name,
                    CompletionItemKind::FIELD,
                    Some(m.type_text()),
                    m.description.clone(),
                    12,
                );
            }
        }
        for m in catalog.metadata_properties() {
            if seen.insert(m.name.clone()) {
                self.push(
                    &m.name,
                    CompletionItemKind::FIELD,
                    Some(format!("metadata, {}", m.type_text())),
                    m.description.clone(),
                    13,
                );
            }
        }
    }

    fn aliases(&mut self, query: Option<&Query>) {
        let Some(query) = query else { return };
        for (name, binds) in aliases_of(query) {
            self.push(
                &name,
                CompletionItemKind::VARIABLE,
                Some(format!("alias of {binds}")),
                None,
                10,
            );
        }
    }

    fn functions(&mut self) {
        for f in j1ql_semantics::functions::callable() {
            self.push(
                f.name,
                CompletionItemKind::FUNCTION,
                Some(f.signature()),
                Some(f.doc.to_string()),
                11,
            );
        }
    }

    fn values(&mut self) {
        for (v, d) in [
            ("true", "boolean"),
            ("false", "boolean"),
            ("undefined", "the property is absent"),
            ("date.now", "the current time (date.now - 7 days)"),
        ] {
            self.push(v, CompletionItemKind::VALUE, Some(d.into()), None, 10);
        }
        let ws = self.workspace;
        for (name, value) in ws.params() {
            self.push(
                &format!("${{ param.{name} }}"),
                CompletionItemKind::VARIABLE,
                Some(format!("parameter = {value}")),
                Some("From `[params]` of j1ql.toml.".into()),
                11,
            );
        }
    }
}

/// Every alias of a query (name, what it binds, as written: the selector or the verbs).
pub fn aliases_of(query: &Query) -> Vec<(String, String)> {
    query
        .aliases()
        .filter_map(|a| {
            let name = a.name()?.text().to_string();
            let owner = a.syntax().parent()?;
            let binds = match owner.kind() {
                ENTITY => Entity::cast(owner)
                    .and_then(|e| e.selector())
                    .map(|s| s.syntax().text().to_string().trim().to_string())
                    .unwrap_or_default(),
                _ => owner
                    .children()
                    .find(|n| matches!(n.kind(), VERB | VERB_GROUP))
                    .map(|n| n.text().to_string())
                    .unwrap_or_else(|| "a relationship".into()),
            };
            Some((name, binds))
        })
        .collect()
}

/// The selector names (classes/types) an alias binds.
pub fn alias_selector(query: &Query, alias: &str) -> Vec<String> {
    for a in query.aliases() {
        if a.name().is_some_and(|n| n.text() == alias) {
            if let Some(e) = a.syntax().parent().and_then(Entity::cast) {
                return selector_names(&e);
            }
        }
    }
    Vec::new()
}

fn selector_names(e: &Entity) -> Vec<String> {
    e.selector()
        .map(|s| s.names().iter().map(|t| t.text().to_string()).collect())
        .unwrap_or_default()
}

/// Whether the cursor is inside a string, a regex or a comment, where nothing is completed.
/// At the end of an unterminated string or block comment, or of a line comment, it is still
/// inside.
fn in_text(root: &SyntaxNode, rel: TextSize) -> bool {
    if root.text_range().is_empty() {
        return false;
    }
    let Some(t) = root.token_at_offset(rel).left_biased() else {
        return false;
    };
    let range = t.text_range();
    if rel <= range.start() {
        return false;
    }
    let text = t.text();
    match t.kind() {
        LINE_COMMENT => true,
        BLOCK_COMMENT => rel < range.end() || !(text.len() >= 4 && text.ends_with("*/")),
        STRING => {
            let quote = text.chars().next();
            let closed = text.len() >= 2 && text.chars().last() == quote;
            rel < range.end() || !closed
        }
        REGEX => rel < range.end(),
        _ => false,
    }
}

/// Completion at a byte offset of the document.
pub fn completion(doc: &Document, offset: usize) -> CompletionResponse {
    let Some(chunk) = doc.chunk_at(offset) else {
        return CompletionResponse::Array(Vec::new());
    };
    let root = chunk.data.root();
    let rel = TextSize::from((offset - chunk.start) as u32);
    if in_text(&root, rel) {
        return CompletionResponse::Array(Vec::new());
    }
    let c = cursor(&root, rel);
    let mut items = Items {
        out: Vec::new(),
        replace: doc.range(chunk.to_doc(c.replace)),
        prefix: c.prefix.clone(),
        incomplete: false,
        catalog: doc.env.workspace.catalog(),
        workspace: &doc.env.workspace,
    };
    let query = c
        .prev
        .as_ref()
        .and_then(|t| t.parent_ancestors().find_map(Query::cast));

    if c.smart {
        let ws = items.workspace;
        for n in ws.smart().names() {
            let label = format!("#{n}");
            let configured = ws.config.smart_classes.contains_key(n);
            items.push(
                &label,
                CompletionItemKind::CONSTANT,
                Some(if configured {
                    "smart class (j1ql.toml)".into()
                } else {
                    "smart class".into()
                }),
                Some(format!("Stands for `{}`", ws.smart().definition(n))),
                10,
            );
        }
        for tag in ws.known_tags().into_iter().flatten() {
            if !ws.smart().is_configured(tag) {
                items.push(
                    &format!("#{tag}"),
                    CompletionItemKind::CONSTANT,
                    Some("tag seen in workspace data".into()),
                    Some(format!("Stands for `{}`", ws.smart().definition(tag))),
                    11,
                );
            }
        }
        return finish(items);
    }
    if c.param {
        let ws = items.workspace;
        for (name, value) in ws.params() {
            items.push(
                &format!("${{ param.{name} }}"),
                CompletionItemKind::VARIABLE,
                Some(format!("parameter = {value}")),
                Some("From `[params]` of j1ql.toml.".into()),
                10,
            );
        }
        return finish(items);
    }

    let Some(prev) = c.prev.clone() else {
        items.keywords(&["FIND"]);
        return finish(items);
    };
    let pk = prev.kind();
    // `alias.` → the alias's properties; `tag.` (no alias named `tag`) → tag keys.
    if pk == DOT {
        if let Some(alias) = prev_significant(&prev).filter(|t| t.kind() == IDENT) {
            let is_alias = query.as_ref().is_some_and(|q| {
                q.aliases()
                    .filter_map(|a| a.name())
                    .any(|n| n.text() == alias.text())
            });
            if alias.text() == "tag" && !is_alias {
                let names = prev
                    .parent_ancestors()
                    .find_map(Entity::cast)
                    .map(|e| selector_names(&e))
                    .unwrap_or_default();
                items.tag_keys(&names);
                return finish(items);
            }
            let names = query
                .as_ref()
                .map(|q| alias_selector(q, alias.text()))
                .unwrap_or_default();
            items.properties(&names);
            return finish(items);
        }
    }
    let clause_token = clause_of(&prev);
    let clause = clause_token.as_ref().map(|t| t.kind());
    match clause {
        None => items.keywords(&["FIND"]),
        Some(FIND_KW) => {
            if matches!(pk, FIND_KW | UNIQUE_KW | L_PAREN | PIPE) {
                if pk == FIND_KW {
                    items.keywords(&["UNIQUE"]);
                }
                items.selectors();
            } else {
                items.keywords(&["WITH", "THAT", "AS", "RETURN", "ORDER BY", "SKIP", "LIMIT"]);
            }
        }
        Some(THAT_KW) => {
            let parent = prev.parent().map(|p| p.kind());
            if matches!(pk, THAT_KW | BANG) {
                let from = source_of_traversal(&prev);
                items.verbs(&from);
            } else if pk == RELATES_KW {
                items.keywords(&["TO"]);
            } else if matches!(pk, TO_KW | SHL | SHR | R_PAREN)
                || parent == Some(VERB)
                || (pk == IDENT && parent == Some(VERB_GROUP))
            {
                let from = source_of_traversal(&prev);
                items.targets(&from, &verbs_before(&prev));
            } else {
                items.keywords(&[
                    "WITH", "THAT", "AS", "WHERE", "RETURN", "ORDER BY", "SKIP", "LIMIT",
                ]);
            }
        }
        Some(WITH_KW) => {
            if matches!(pk, WITH_KW | AND_KW | OR_KW | L_PAREN) {
                let names = prev
                    .parent_ancestors()
                    .find_map(Entity::cast)
                    .map(|e| selector_names(&e))
                    .unwrap_or_default();
                items.properties(&names);
            } else if pk.is_comparison_op() {
                items.values();
            } else if matches!(pk, PLUS | MINUS) {
                items.relative_amounts();
            } else if pk == NUMBER
                && prev_significant(&prev).is_some_and(|t| matches!(t.kind(), PLUS | MINUS))
            {
                items.date_units();
            } else if pk == IDENT && prev.parent().is_some_and(|p| p.kind() == PATH) {
                for op in ["=", "!=", "~=", "^=", "$=", ">", "<", ">=", "<="] {
                    items.push(op, CompletionItemKind::OPERATOR, None, None, 10);
                }
            } else {
                items.keywords(&[
                    "AND", "OR", "THAT", "AS", "WHERE", "RETURN", "ORDER BY", "SKIP", "LIMIT",
                ]);
            }
        }
        Some(WHERE_KW) | Some(HAVING_KW) => {
            if matches!(pk, WHERE_KW | HAVING_KW | AND_KW | OR_KW | L_PAREN) {
                items.aliases(query.as_ref());
                if clause == Some(HAVING_KW) {
                    items.functions();
                }
            } else if pk.is_comparison_op() {
                items.values();
                items.aliases(query.as_ref());
            } else {
                items.keywords(&["AND", "OR", "RETURN", "ORDER BY", "SKIP", "LIMIT"]);
            }
        }
        Some(RETURN_KW) => {
            if matches!(
                pk,
                RETURN_KW | COMMA | L_PAREN | PLUS | MINUS | STAR | SLASH | CARET
            ) {
                items.aliases(query.as_ref());
                items.functions();
                if pk == RETURN_KW {
                    items.keywords(&["TREE"]);
                }
            } else {
                items.keywords(&["AS", "ORDER BY", "SKIP", "LIMIT", "HAVING"]);
            }
        }
        Some(ORDER_KW) => {
            if pk == ORDER_KW {
                items.keywords(&["BY"]);
            } else if matches!(pk, BY_KW | COMMA) {
                items.aliases(query.as_ref());
                if let Some(q) = &query {
                    if let Some(r) = q.return_clause() {
                        for item in r.items() {
                            if let Some(name) = item.column_alias().and_then(|a| a.name()) {
                                items.push(
                                    &name,
                                    CompletionItemKind::VARIABLE,
                                    Some("column".into()),
                                    None,
                                    10,
                                );
                            }
                        }
                    }
                }
            } else {
                items.keywords(&["ASC", "DESC", "SKIP", "LIMIT"]);
            }
        }
        Some(SKIP_KW) => items.keywords(&["LIMIT"]),
        // `RETURN … AS column`: what may follow a column.
        Some(AS_KW)
            if pk != AS_KW
                && clause_token
                    .as_ref()
                    .and_then(|t| t.parent())
                    .is_some_and(|p| p.kind() == COLUMN_ALIAS) =>
        {
            items.keywords(&["ORDER BY", "SKIP", "LIMIT", "HAVING"]);
        }
        Some(AS_KW) if pk != AS_KW => {
            items.keywords(&[
                "WITH", "THAT", "WHERE", "RETURN", "ORDER BY", "SKIP", "LIMIT",
            ]);
        }
        _ => {}
    }
    finish(items)
}

/// The selector names of the entity a traversal starts from.
fn source_of_traversal(t: &SyntaxToken) -> Vec<String> {
    // The entity right before the THAT: the previous ENTITY node in the query.
    let query = t.parent_ancestors().find_map(Query::cast);
    let Some(query) = query else {
        return Vec::new();
    };
    let at = t.text_range().start();
    query
        .entities()
        .filter(|e| e.syntax().text_range().end() <= at)
        .last()
        .map(|e| selector_names(&e))
        .unwrap_or_default()
}

/// The verbs of the traversal the cursor follows (none for `RELATES TO`): the identifiers of
/// the `VERB` / `VERB_GROUP` node holding or ending at `t`.
fn verbs_before(t: &SyntaxToken) -> Vec<String> {
    let node = t
        .parent_ancestors()
        .find(|n| matches!(n.kind(), VERB | VERB_GROUP))
        .or_else(|| {
            // `THAT HAS >>`: the arrow follows the verb node.
            prev_significant(t)?
                .parent_ancestors()
                .find(|n| matches!(n.kind(), VERB | VERB_GROUP))
        });
    node.map(|n| {
        n.descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == IDENT)
            .map(|t| t.text().to_string())
            .collect()
    })
    .unwrap_or_default()
}

fn finish(items: Items<'_>) -> CompletionResponse {
    CompletionResponse::List(CompletionList {
        is_incomplete: items.incomplete,
        items: items.out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Encoding;
    use crate::workspace::Env;

    /// The labels offered at `|`.
    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').expect("cursor");
        let text = text.replace('|', "");
        let doc = Document::new(&text, 0, Encoding::Utf16, Env::builtin());
        let items = match completion(&doc, offset) {
            CompletionResponse::Array(items) => items,
            CompletionResponse::List(list) => list.items,
        };
        items.into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn nothing_inside_strings_regexes_and_comments() {
        for text in [
            "FIND User WITH name = 'Us|'",
            "FIND User WITH name = 'Us|",
            "FIND User WITH name = \"a|b\"",
            "FIND User WITH name ~= /U|s/",
            "FIND User // a comm|",
            "FIND User /* FIND U| */",
            "FIND User /* FIND U|",
        ] {
            assert_eq!(labels(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn after_a_column_alias_only_what_follows_a_column() {
        let got = labels("FIND User AS u RETURN u.name AS n |");
        assert!(got.contains(&"ORDER BY".to_string()), "{got:?}");
        assert!(
            !got.contains(&"WITH".to_string()) && !got.contains(&"THAT".to_string()),
            "{got:?}"
        );
        // An entity alias is still followed by WITH and THAT.
        assert!(labels("FIND User AS u |").contains(&"THAT".to_string()));
    }

    #[test]
    fn relative_dates_complete_amounts_then_units() {
        let amounts = labels("FIND User WITH _createdOn > date.now - |");
        assert!(amounts.contains(&"7".to_string()), "{amounts:?}");
        assert!(!amounts.contains(&"AND".to_string()), "{amounts:?}");
        let units = labels("FIND User WITH _createdOn > date.now - 7 |");
        assert!(units.contains(&"days".to_string()), "{units:?}");
    }

    #[test]
    fn tag_is_not_an_alias() {
        // Without data there are no tag keys, and the entity's properties are not offered
        // as if `tag` were an alias.
        let got = labels("FIND User WITH tag.|");
        assert!(!got.contains(&"active".to_string()), "{got:?}");
        // An alias named `tag` is an alias.
        let aliased = labels("FIND User AS tag RETURN tag.|");
        assert!(aliased.contains(&"active".to_string()), "{aliased:?}");
    }

    #[test]
    fn after_a_string_or_comment_completion_is_back() {
        assert!(labels("FIND User WITH name = 'x' |").contains(&"AND".to_string()));
        assert!(labels("FIND User /* c */ |").contains(&"WITH".to_string()));
        assert!(labels("FIND |").contains(&"User".to_string()));
    }
}

#[cfg(test)]
mod target_tests {
    use super::*;
    use crate::document::Encoding;
    use crate::workspace::Env;

    /// The items offered at the last `|`, best first (by `sortText`, as editors order them).
    fn ranked(text: &str) -> Vec<CompletionItem> {
        let offset = text.rfind('|').expect("cursor");
        let text = format!("{}{}", &text[..offset], &text[offset + 1..]);
        let doc = Document::new(&text, 0, Encoding::Utf16, Env::builtin());
        let mut items = match completion(&doc, offset) {
            CompletionResponse::Array(items) => items,
            CompletionResponse::List(list) => list.items,
        };
        items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        items
    }

    #[test]
    fn targets_after_a_verb_are_ranked_by_the_data_models_relationships() {
        let labels = |items: &[CompletionItem]| -> Vec<String> {
            items.iter().map(|i| i.label.clone()).collect()
        };
        // The data model relates Person to User (and to aws_iam_user) with IS.
        let items = ranked("FIND Person THAT IS |");
        let got = labels(&items);
        assert_eq!(got[..2], ["User", "aws_iam_user"], "{got:?}");
        assert_eq!(
            items[0].detail.as_deref(),
            Some("class, related to Person by IS")
        );
        // Every other selector still follows, each once.
        let pos = |l: &str| got.iter().position(|g| g == l);
        assert!(pos("Alert") > pos("aws_iam_user"), "{got:?}");
        let unique: std::collections::HashSet<&String> = got.iter().collect();
        assert_eq!(unique.len(), got.len());
        // The verb matters: aws_instance USES an EBS volume; it does not HAVE one.
        let uses = labels(&ranked("FIND aws_instance THAT USES |"));
        assert!(
            uses.iter().position(|l| l == "aws_ebs_volume")
                < uses.iter().position(|l| l == "Alert")
        );
        let first_related = |items: &[CompletionItem]| -> Vec<String> {
            items
                .iter()
                .filter(|i| i.sort_text.as_deref().is_some_and(|s| s.starts_with("09")))
                .map(|i| i.label.clone())
                .collect()
        };
        assert!(first_related(&ranked("FIND aws_instance THAT USES |"))
            .contains(&"aws_ebs_volume".to_string()));
        assert!(!first_related(&ranked("FIND aws_instance THAT HAS |"))
            .contains(&"aws_ebs_volume".to_string()));
        // A verb group counts each of its verbs; RELATES TO any verb.
        let group = first_related(&ranked("FIND aws_instance THAT (HAS|USES) |"));
        assert!(group.contains(&"aws_ebs_volume".to_string()), "{group:?}");
        let any = first_related(&ranked("FIND aws_instance THAT RELATES TO |"));
        assert!(any.contains(&"aws_ebs_volume".to_string()), "{any:?}");
        // An unknown source: every selector, unranked.
        assert!(first_related(&ranked("FIND Nothing THAT IS |")).is_empty());
    }
}
