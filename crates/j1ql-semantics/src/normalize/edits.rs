//! Text edits on the original query: De Morgan rewrites of filters, and the expansions of
//! smart classes, selectors and parameters, as [`TextEdit`]s a language server can offer as
//! code actions and the CLI can apply ([`apply_edits`]).

use std::collections::BTreeMap;

use j1ql_syntax::ast::{self, AstNode};
use j1ql_syntax::{SyntaxKind, SyntaxNode, TextRange};

use super::demorgan::{flatten, rewrite, Direction};
use super::print::{print_filter, print_selector, quote, selector_names};
use crate::analyze::{Analysis, QueryAnalysis};
use crate::diagnostics::TextEdit;
use crate::ir::{self, CompareOp, Comparison, Filter, Name, PropertyRef, Value};
use crate::smart_classes::SmartClasses;

/// Which clause a filter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clause {
    /// `WITH` (entity properties).
    With,
    /// `WHERE` (`alias.property`).
    Where,
    /// `HAVING` (returned columns).
    Having,
}

/// One filter of a query (after WITH, WHERE or HAVING) that can be rewritten: its range, its
/// text and its lowered form.
///
/// Only filters that lowered completely are sites: a filter with a syntax error, or with a
/// comparison or value lowering dropped (an invalid date, a WHERE property without alias...)
/// is left alone, so an edit never deletes what the user wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterSite {
    /// The clause.
    pub clause: Clause,
    /// The filter's range (after the keyword), in the document.
    pub range: TextRange,
    /// The filter as written.
    pub text: String,
    /// The filter, lowered.
    pub filter: Filter,
    /// The comments inside the filter, as block comments (`// x` becomes `/* x */`). A
    /// rewrite cannot know where they belong in the new text: they are put in front of it.
    pub comments: Vec<String>,
    /// The characters just before and after the filter, to keep new text from gluing onto
    /// its neighbours (`WITH(a = 1)` → `WITH _class = ...`, not `WITH_class`).
    neighbours: (Option<char>, Option<char>),
}

impl FilterSite {
    /// The rewritten filter.
    pub fn rewritten(&self, direction: Direction) -> Filter {
        rewrite(&self.filter, direction)
    }

    /// The text that replaces the site for `filter`: the site's comments, then the filter.
    pub fn replacement(&self, filter: &Filter) -> String {
        let mut text = String::new();
        for comment in &self.comments {
            text.push_str(comment);
            text.push(' ');
        }
        text.push_str(&print_filter(filter));
        pad(self.neighbours, text)
    }

    /// The edit rewriting this filter, when the rewrite changes it (a filter that is already
    /// expanded, or already collapsed, gets none: reformatting is the formatter's job).
    pub fn edit(&self, direction: Direction) -> Option<TextEdit> {
        let new = self.rewritten(direction);
        (print_filter(&new) != print_filter(&self.filter)).then(|| TextEdit {
            range: self.range,
            new_text: self.replacement(&new),
        })
    }

    /// The edit replacing this filter by its rewrite printed canonically, whenever that text
    /// differs from what is written (what `j1ql normalize` applies).
    pub fn canonical_edit(&self, direction: Direction) -> Option<TextEdit> {
        let new_text = self.replacement(&self.rewritten(direction));
        (new_text != self.text).then_some(TextEdit {
            range: self.range,
            new_text,
        })
    }
}

/// The rewritable filters of one query, in order: the WITH clauses of each entity (start,
/// then traversal targets), WHERE, HAVING. `ir` is the query lowered from `query`.
pub fn filter_sites(query: &ast::Query, ir: &ir::Query) -> Vec<FilterSite> {
    let patterns = patterns(ir);
    let mut sites = Vec::new();
    for entity in query.entities() {
        let range = entity.syntax().text_range();
        let Some(lowered) = patterns
            .iter()
            .find(|p| p.range == range)
            .and_then(|p| p.filter.as_ref())
        else {
            continue;
        };
        for clause in entity.with_clauses() {
            if let Some(filter) = clause.filter() {
                sites.extend(site(Clause::With, &filter, lowered));
            }
        }
    }
    let where_filter = query.where_clause().and_then(|w| w.filter());
    if let (Some(filter), Some(lowered)) = (where_filter, &ir.where_filter) {
        sites.extend(site(Clause::Where, &filter, lowered));
    }
    let having = query.having_clause().and_then(|h| h.filter());
    if let (Some(filter), Some(lowered)) = (having, &ir.having) {
        sites.extend(site(Clause::Having, &filter, lowered));
    }
    sites
}

/// Every entity pattern of a lowered query: the start, then traversal targets in order
/// (through optional groups).
fn patterns(ir: &ir::Query) -> Vec<&ir::EntityPattern> {
    fn walk<'a>(steps: &'a [ir::Step], out: &mut Vec<&'a ir::EntityPattern>) {
        for step in steps {
            match step {
                ir::Step::Traversal(t) => out.push(&t.target),
                ir::Step::Optional(o) => walk(&o.steps, out),
            }
        }
    }
    let mut out = vec![&ir.start];
    walk(&ir.steps, &mut out);
    out
}

fn site(clause: Clause, filter: &ast::Filter, lowered: &Filter) -> Option<FilterSite> {
    let node = filter.syntax();
    let range = node.text_range();
    if has_error(node) {
        return None;
    }
    let filter = slice(range, lowered)?;
    // Everything written must have been lowered: a dropped comparison or value would be lost.
    if written_operands(node) != lowered_operands(&filter) {
        return None;
    }
    let mut comments = Vec::new();
    for token in node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        match token.kind() {
            SyntaxKind::BLOCK_COMMENT => comments.push(token.text().to_string()),
            SyntaxKind::LINE_COMMENT => {
                let body = token.text().trim_start_matches('/').trim();
                if body.contains("*/") {
                    return None;
                }
                comments.push(format!("/* {body} */"));
            }
            _ => {}
        }
    }
    Some(FilterSite {
        clause,
        range,
        text: node.to_string(),
        filter,
        comments,
        neighbours: neighbours(node),
    })
}

/// The last character before `node` and the first after it.
fn neighbours(node: &SyntaxNode) -> (Option<char>, Option<char>) {
    let before = node
        .first_token()
        .and_then(|t| t.prev_token())
        .and_then(|t| t.text().chars().last());
    let after = node
        .last_token()
        .and_then(|t| t.next_token())
        .and_then(|t| t.text().chars().next());
    (before, after)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` with a space on a side where it would otherwise glue onto a neighbouring word.
fn pad((before, after): (Option<char>, Option<char>), text: String) -> String {
    let glue_before = before.is_some_and(is_word) && text.chars().next().is_some_and(is_word);
    let glue_after = after.is_some_and(is_word) && text.chars().last().is_some_and(is_word);
    match (glue_before, glue_after) {
        (false, false) => text,
        (true, false) => format!(" {text}"),
        (false, true) => format!("{text} "),
        (true, true) => format!(" {text} "),
    }
}

fn has_error(node: &SyntaxNode) -> bool {
    node.descendants_with_tokens()
        .any(|e| matches!(e.kind(), SyntaxKind::ERROR | SyntaxKind::ERROR_TOKEN))
}

/// The part of `lowered` that came from the text in `range`: all of it, or (when several WITH
/// clauses were joined with AND) the operands of its AND that lie inside.
fn slice(range: TextRange, lowered: &Filter) -> Option<Filter> {
    let inside = |f: &Filter| {
        let mut ranges = Vec::new();
        comparison_ranges(f, &mut ranges);
        !ranges.is_empty() && ranges.iter().all(|r| range.contains_range(*r))
    };
    if inside(lowered) {
        return Some(lowered.clone());
    }
    let Filter::And(children) = lowered else {
        return None;
    };
    let mut parts: Vec<Filter> = children.iter().filter(|c| inside(c)).cloned().collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Filter::And(parts)),
    }
}

fn comparison_ranges(filter: &Filter, out: &mut Vec<TextRange>) {
    match filter {
        Filter::And(children) | Filter::Or(children) => {
            children.iter().for_each(|c| comparison_ranges(c, out))
        }
        Filter::Compare(c) => out.push(c.range),
    }
}

/// Properties and values written in a filter.
fn written_operands(node: &SyntaxNode) -> usize {
    node.descendants()
        .filter(|n| {
            matches!(
                n.kind(),
                SyntaxKind::PATH | SyntaxKind::LITERAL | SyntaxKind::RELATIVE_DATE
            )
        })
        .count()
}

/// Properties and values of a lowered filter (what [`written_operands`] counts).
fn lowered_operands(filter: &Filter) -> usize {
    fn values(v: &Value) -> usize {
        match v {
            Value::Group { values: vs, .. } => vs.iter().map(values).sum(),
            _ => 1,
        }
    }
    match filter {
        Filter::And(children) | Filter::Or(children) => children.iter().map(lowered_operands).sum(),
        Filter::Compare(c) => 1 + values(&c.value),
    }
}

/// The rewritable filters of a whole document: [`filter_sites`] of every query, less those a
/// syntax error touches.
pub fn document_filter_sites(analysis: &Analysis) -> Vec<FilterSite> {
    let errors = analysis.parse.errors();
    query_pairs(analysis)
        .flat_map(|(query, qa)| filter_sites(&query, &qa.ir))
        .filter(|s| {
            !errors
                .iter()
                .any(|e| e.range.start() <= s.range.end() && e.range.end() >= s.range.start())
        })
        .collect()
}

/// Each query's syntax with its analysis.
pub fn query_pairs(analysis: &Analysis) -> impl Iterator<Item = (ast::Query, &QueryAnalysis)> {
    analysis.parse.document().queries().zip(&analysis.queries)
}

/// The De Morgan edits of one query: one per filter the rewrite changes.
pub fn query_demorgan_edits(
    query: &ast::Query,
    ir: &ir::Query,
    direction: Direction,
) -> Vec<TextEdit> {
    filter_sites(query, ir)
        .iter()
        .filter_map(|s| s.edit(direction))
        .collect()
}

/// The De Morgan edits of a whole document (expand or collapse every filter the rewrite
/// changes), in order, non-overlapping.
pub fn demorgan_edits(analysis: &Analysis, direction: Direction) -> Vec<TextEdit> {
    document_filter_sites(analysis)
        .iter()
        .filter_map(|s| s.edit(direction))
        .collect()
}

/// Which expansions apply (besides value groups, which [`normalize_query_text`] always
/// expands).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expand {
    /// Smart classes become their definitions (`#Production` → `WITH tags = 'Production'`),
    /// with these definitions. `None`: smart classes are left as written.
    pub smart_classes: Option<SmartClasses>,
    /// Class and type selectors become filters: `FIND User` → `FIND * WITH _class = 'User'`.
    pub selectors: bool,
    /// Parameters (`${ param.x }`, `${x}`, `{{x}}`, looked up as `x`) become these values.
    /// `None`: parameters are left as written; one without a value is left too.
    pub params: Option<BTreeMap<String, serde_json::Value>>,
}

impl Expand {
    /// Every expansion: the default smart classes, selectors, and these parameters.
    pub fn all(params: BTreeMap<String, serde_json::Value>) -> Expand {
        Expand {
            smart_classes: Some(SmartClasses::default()),
            selectors: true,
            params: Some(params),
        }
    }
}

/// The edits of the expansions `options` selects, for one query.
pub fn query_expansion_edits(
    query: &ast::Query,
    ir: &ir::Query,
    options: &Expand,
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    if options.smart_classes.is_some() || options.selectors {
        let patterns = patterns(ir);
        for entity in query.entities() {
            let range = entity.syntax().text_range();
            if let Some(pattern) = patterns.iter().find(|p| p.range == range) {
                edits.extend(entity_edits(query, &entity, pattern, options));
            }
        }
    }
    if let Some(params) = &options.params {
        edits.extend(param_edits(query, params));
    }
    coalesce(edits)
}

/// The expansion edits of a whole document.
pub fn expansion_edits(analysis: &Analysis, options: &Expand) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    for (query, qa) in query_pairs(analysis) {
        edits.extend(query_expansion_edits(&query, &qa.ir, options));
    }
    edits
}

/// `_class = 'User'` / `_type = 'aws_iam_user'` for each name of a selector, joined by OR.
pub fn selector_filter(selector: &ir::Selector) -> Option<Filter> {
    let mut named: Vec<(&Name, &str)> = selector
        .classes
        .iter()
        .map(|n| (n, "_class"))
        .chain(selector.types.iter().map(|n| (n, "_type")))
        .collect();
    named.sort_by_key(|(n, _)| n.range.start());
    let mut parts: Vec<Filter> = named
        .into_iter()
        .map(|(name, key)| {
            Filter::Compare(Comparison {
                property: PropertyRef {
                    alias: None,
                    key: key.to_string(),
                    range: name.range,
                },
                op: CompareOp::Eq,
                value: Value::String(name.text.clone()),
                range: name.range,
            })
        })
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Filter::Or(parts)),
    }
}

/// A filter as an operand of AND: an OR is parenthesised.
fn and_operand(filter: &Filter) -> String {
    let text = print_filter(filter);
    if matches!(filter, Filter::Or(c) if c.len() > 1) {
        format!("({text})")
    } else {
        text
    }
}

fn entity_edits(
    query: &ast::Query,
    entity: &ast::Entity,
    pattern: &ir::EntityPattern,
    options: &Expand,
) -> Vec<TextEdit> {
    let Some(selector_node) = entity.selector() else {
        return Vec::new();
    };
    let selector = &pattern.selector;
    if has_error(selector_node.syntax()) || selector.full_text.is_some() {
        return Vec::new();
    }
    let mut added: Vec<Filter> = Vec::new();
    let mut new_selector = selector.clone();
    let expand_names = options.selectors
        && !selector.any
        && !(selector.classes.is_empty() && selector.types.is_empty());
    if expand_names {
        added.extend(selector_filter(selector));
        new_selector.classes.clear();
        new_selector.types.clear();
    }
    if let Some(smart) = &options.smart_classes {
        new_selector.smart_classes.clear();
        for name in &selector.smart_classes {
            match smart.filter(&name.text) {
                Ok(filter) => added.push(filter),
                // A definition that does not parse: the smart class stays as written.
                Err(_) => new_selector.smart_classes.push(name.clone()),
            }
        }
    }
    if added.is_empty() {
        return Vec::new();
    }
    if selector_names(&new_selector).is_empty() && new_selector.smart_classes.is_empty() {
        new_selector.any = true;
    }
    let selector_text = print_selector(&new_selector);
    let selector_range = selector_node.syntax().text_range();
    let around_selector = neighbours(selector_node.syntax());
    let operands: Vec<Filter> = match flatten(&Filter::And(added)) {
        Filter::And(parts) => parts,
        one => vec![one],
    };

    let mut edits = Vec::new();
    match entity.with_clauses().next() {
        Some(clause) => {
            // `WITH existing` → `WITH added AND (existing)`.
            let (Some(with_kw), Some(existing)) = (
                clause
                    .syntax()
                    .first_token()
                    .filter(|t| t.kind() == SyntaxKind::WITH_KW),
                clause.filter(),
            ) else {
                return Vec::new();
            };
            edits.push(TextEdit {
                range: selector_range,
                new_text: pad(around_selector, selector_text),
            });
            let added_text: Vec<String> = operands.iter().map(and_operand).collect();
            edits.push(TextEdit {
                range: TextRange::empty(with_kw.text_range().end()),
                new_text: format!(" {} AND", added_text.join(" AND ")),
            });
            let is_or =
                matches!(&existing, ast::Filter::Binary(b) if b.op() == Some(ir::LogicOp::Or));
            if is_or {
                let range = existing.syntax().text_range();
                edits.push(TextEdit {
                    range: TextRange::empty(range.start()),
                    new_text: "(".to_string(),
                });
                edits.push(TextEdit {
                    range: TextRange::empty(range.end()),
                    new_text: ")".to_string(),
                });
            }
        }
        None => {
            let filter_text = match operands.as_slice() {
                [one] => print_filter(one),
                many => many
                    .iter()
                    .map(and_operand)
                    .collect::<Vec<_>>()
                    .join(" AND "),
            };
            edits.push(TextEdit {
                range: selector_range,
                new_text: pad(
                    around_selector,
                    format!("{selector_text} WITH {filter_text}"),
                ),
            });
        }
    }
    // `FIND User ... RETURN User.name`: the implicit alias `User` must stay defined.
    if expand_names && entity.alias().is_none() {
        if let [name] = selector_names(selector).as_slice() {
            if refers_to(query, name) {
                edits.push(TextEdit {
                    range: TextRange::empty(entity.syntax().text_range().end()),
                    new_text: format!(" AS {name}"),
                });
            }
        }
    }
    edits
}

/// Whether a path outside WITH clauses starts with `name` (an implicit alias in use).
fn refers_to(query: &ast::Query, name: &str) -> bool {
    query
        .syntax()
        .descendants()
        .filter_map(ast::Path::cast)
        .filter(|p| {
            !p.syntax()
                .ancestors()
                .any(|a| a.kind() == SyntaxKind::WITH_CLAUSE)
        })
        .any(|p| p.head().as_deref() == Some(name))
}

fn param_edits(query: &ast::Query, params: &BTreeMap<String, serde_json::Value>) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    for literal in query.syntax().descendants().filter_map(ast::Literal::cast) {
        if !matches!(
            literal.kind(),
            Some(ast::LiteralKind::Param | ast::LiteralKind::Template)
        ) {
            continue;
        }
        let (Some(token), Some(full)) = (literal.token(), literal.placeholder_name()) else {
            continue;
        };
        let short = full.strip_prefix("param.").unwrap_or(&full).trim();
        let value = params.get(short).or_else(|| params.get(&full));
        if let Some(text) = value.and_then(json_to_j1ql) {
            let around = (
                token.prev_token().and_then(|t| t.text().chars().last()),
                token.next_token().and_then(|t| t.text().chars().next()),
            );
            edits.push(TextEdit {
                range: token.text_range(),
                new_text: pad(around, text),
            });
        }
    }
    edits
}

/// A JSON value as a J1QL value: strings quoted, numbers, booleans, `null` as `undefined`, an
/// array as a value group with OR (one element: the element). `None` for an object or an
/// empty array, which J1QL cannot write.
pub fn json_to_j1ql(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => "undefined".to_string(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => quote(s),
        J::Array(items) => {
            let texts: Option<Vec<String>> = items.iter().map(json_to_j1ql).collect();
            let mut texts = texts?;
            match texts.len() {
                0 => return None,
                1 => texts.pop()?,
                _ => format!("({})", texts.join(" OR ")),
            }
        }
        J::Object(_) => return None,
    })
}

/// Sorts edits by position and merges an insertion with the edit it touches, so that no two
/// edits start at the same place (editors apply such edits in an unspecified order).
/// Insertions at one place keep the order they were made in.
pub fn coalesce(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for edit in edits {
        if let Some(last) = out.last_mut() {
            let touches = last.range.end() == edit.range.start()
                && (last.range.is_empty() || edit.range.is_empty());
            if touches {
                last.range = last.range.cover(edit.range);
                last.new_text.push_str(&edit.new_text);
                continue;
            }
        }
        out.push(edit);
    }
    out
}

/// Applies non-overlapping edits to `text` (an edit overlapping an earlier one is skipped),
/// after merging adjacent insertions ([`coalesce`]).
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    j1ql_syntax::edit::apply_edits(text, &coalesce(edits.to_vec()))
}

/// The normalised text of a document (what `j1ql normalize` prints): the expansions
/// `options` selects are applied, then every filter (WITH, WHERE, HAVING) is replaced by its
/// De Morgan expansion, printed canonically. Everything else — other clauses, comments
/// between clauses, whitespace, other queries — is kept as written; comments inside a filter
/// move in front of it. A filter with a syntax error (or one that does not lower completely)
/// is left as written.
pub fn normalize_query_text(text: &str, options: &Expand) -> String {
    let parse = j1ql_syntax::parse(text);
    let mut edits = Vec::new();
    for query in parse.document().queries() {
        let (ir, _) = crate::lower::lower_query(&query);
        edits.extend(query_expansion_edits(&query, &ir, options));
    }
    let expanded = apply_edits(text, &edits);

    let parse = j1ql_syntax::parse(&expanded);
    let errors = parse.errors();
    let mut edits = Vec::new();
    for query in parse.document().queries() {
        let (ir, _) = crate::lower::lower_query(&query);
        for site in filter_sites(&query, &ir) {
            let touched = errors.iter().any(|e| {
                e.range.start() <= site.range.end() && e.range.end() >= site.range.start()
            });
            if !touched {
                edits.extend(site.canonical_edit(Direction::Expand));
            }
        }
    }
    apply_edits(&expanded, &edits)
}
