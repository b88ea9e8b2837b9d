//! Lowering: typed AST → [`ir::Query`], with the diagnostics that need no data model
//! (aliases, operators and values, dates, paging, UNIQUE). It never fails: missing parts of a
//! broken tree are skipped, and what can be understood is kept.

mod filter;
mod returns;

use j1ql_syntax::ast::{self, AstNode, NameKind};
use j1ql_syntax::{SyntaxKind, TextRange};

use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{self, AliasDef, AliasKind, Name};

/// Where a filter stands: it decides how property paths are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilterContext {
    /// WITH: paths are flat property keys of the entity (`tag.Production`).
    With,
    /// WHERE: paths are `alias.property`.
    Where,
    /// HAVING: paths name RETURN columns.
    Having,
}

/// Lowers one query. The diagnostics are those of this layer (no catalog checks).
pub fn lower_query(query: &ast::Query) -> (ir::Query, Vec<Diagnostic>) {
    let mut lowerer = Lowerer::default();
    let ir = lowerer.query(query);
    (ir, lowerer.diagnostics)
}

#[derive(Default)]
pub(crate) struct Lowerer {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Aliases defined so far (explicit and implicit), in order.
    pub(crate) aliases: Vec<AliasDef>,
    /// Number of entity steps seen (0 = the start).
    step: usize,
}

impl Lowerer {
    pub(crate) fn report(&mut self, code: Code, range: TextRange, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(code, range, message));
    }

    fn query(&mut self, query: &ast::Query) -> ir::Query {
        let range = query.syntax().text_range();
        let start = match query.entity() {
            Some(entity) => self.entity(&entity),
            None => empty_pattern(range),
        };
        let steps = query.steps().map(|s| self.step(&s)).collect::<Vec<_>>();
        self.add_implicit_aliases(query);

        let where_filter = query
            .where_clause()
            .and_then(|w| w.filter())
            .and_then(|f| self.filter(&f, FilterContext::Where));
        let returns = self.returns(query.return_clause());
        let having = query
            .having_clause()
            .and_then(|h| h.filter())
            .and_then(|f| self.filter(&f, FilterContext::Having));
        self.check_having_columns(having.as_ref(), &returns);
        let order_by = self.order_by(query.order_clause(), &returns);
        let Paging {
            skip,
            limit,
            skip_param,
            limit_param,
        } = self.paging(query);

        if let (Some(unique), ir::Return::Default) = (query.unique_token(), &returns) {
            self.report(
                Code::UniqueWithoutReturn,
                unique.text_range(),
                "`UNIQUE` has no effect without `RETURN`: add a RETURN clause naming the columns to \
                 de-duplicate, or remove UNIQUE",
            );
        }
        self.check_wildcard_traversal(query, &start, &steps);

        ir::Query {
            range,
            unique: query.is_unique(),
            start,
            steps,
            where_filter,
            returns,
            having,
            order_by,
            skip,
            limit,
            skip_param,
            limit_param,
            aliases: std::mem::take(&mut self.aliases),
        }
    }

    fn entity(&mut self, entity: &ast::Entity) -> ir::EntityPattern {
        let selector = entity.selector().map(|s| selector(&s)).unwrap_or_default();
        let filters: Vec<ir::Filter> = entity
            .with_clauses()
            .filter_map(|w| w.filter())
            .filter_map(|f| self.filter(&f, FilterContext::With))
            .collect();
        let filter = match filters.len() {
            0 => None,
            1 => filters.into_iter().next(),
            _ => Some(filter::and_all(filters)),
        };
        let mut alias = None;
        for a in entity.aliases() {
            if let Some(name) = a.name() {
                let name = name_of(&name);
                if alias.is_some() {
                    self.report(
                        Code::DuplicateAlias,
                        name.range,
                        format!(
                            "this entity already has an alias; `{}` is a second one",
                            name.text
                        ),
                    );
                    continue;
                }
                self.define(name.clone(), AliasKind::Entity);
                alias = Some(name);
            }
        }
        let pattern = ir::EntityPattern {
            selector,
            filter,
            alias,
            range: entity.syntax().text_range(),
        };
        self.step += 1;
        pattern
    }

    fn step(&mut self, step: &ast::Step) -> ir::Step {
        match step {
            ast::Step::Traversal(t) => ir::Step::Traversal(self.traversal(t)),
            ast::Step::Optional(o) => {
                let steps = o.steps().map(|s| self.step(&s)).collect();
                let alias = o.alias().and_then(|a| a.name()).map(|n| name_of(&n));
                if let Some(alias) = &alias {
                    self.define(alias.clone(), AliasKind::Optional);
                }
                ir::Step::Optional(ir::OptionalGroup {
                    steps,
                    alias,
                    range: o.syntax().text_range(),
                })
            }
        }
    }

    fn traversal(&mut self, t: &ast::Traversal) -> ir::Traversal {
        let relationship = t.relationship();
        let (negated, verbs, direction, relationship_alias) = match &relationship {
            Some(rel) => {
                let verbs = rel
                    .verbs()
                    .iter()
                    .filter(|v| !v.is_relates_to())
                    .filter_map(|v| {
                        let token = v.name()?;
                        Some(Name {
                            text: token.text().to_uppercase(),
                            range: token.text_range(),
                        })
                    })
                    .collect::<Vec<_>>();
                // `(HAS|RELATES TO)` is any relationship: drop the specific verbs.
                let any = rel.verbs().iter().any(|v| v.is_relates_to());
                let alias = rel.alias().and_then(|a| a.name()).map(|n| name_of(&n));
                if let Some(alias) = &alias {
                    self.define(alias.clone(), AliasKind::Relationship);
                }
                (
                    rel.is_negated(),
                    if any { Vec::new() } else { verbs },
                    rel.direction(),
                    alias,
                )
            }
            None => (false, Vec::new(), ir::Direction::Both, None),
        };
        let target = match t.entity() {
            Some(e) => self.entity(&e),
            None => empty_pattern(t.syntax().text_range()),
        };
        ir::Traversal {
            negated,
            verbs,
            direction,
            relationship_alias,
            target,
            range: t.syntax().text_range(),
        }
    }

    fn define(&mut self, name: Name, kind: AliasKind) {
        if let Some(previous) = self
            .aliases
            .iter()
            .find(|a| !a.implicit && a.name.text == name.text)
        {
            let message = format!(
                "alias `{}` is already defined (as the {} alias at {}..{}); give this one another name",
                name.text,
                kind_word(previous.kind),
                u32::from(previous.name.range.start()),
                u32::from(previous.name.range.end()),
            );
            self.report(Code::DuplicateAlias, name.range, message);
            return;
        }
        self.aliases.push(AliasDef {
            name,
            kind,
            implicit: false,
            step: self.step,
        });
    }

    /// A selector with a single class or type and no alias can be referred to by that name
    /// (`Find User (that is Person)? Return User, Person`), and so can a relationship with a
    /// single verb and no alias (`that allows Service where allows.conditions = undefined`).
    fn add_implicit_aliases(&mut self, query: &ast::Query) {
        for (step, entity) in query.entities().enumerate() {
            if entity.alias().is_some() {
                continue;
            }
            let Some(selector) = entity.selector() else {
                continue;
            };
            let names = selector.names();
            if names.len() != 1 || names[0].kind() != SyntaxKind::IDENT {
                continue;
            }
            self.define_implicit(name_of(&names[0]), AliasKind::Entity, step);
        }
        let traversals = query
            .syntax()
            .descendants()
            .filter_map(ast::Traversal::cast);
        for (i, traversal) in traversals.enumerate() {
            let Some(rel) = traversal.relationship() else {
                continue;
            };
            let verbs = rel.verbs();
            if rel.alias().is_some() || verbs.len() != 1 || verbs[0].is_relates_to() {
                continue;
            }
            if let Some(token) = verbs[0].name() {
                self.define_implicit(name_of(&token), AliasKind::Relationship, i + 1);
            }
        }
    }

    fn define_implicit(&mut self, name: Name, kind: AliasKind, step: usize) {
        if self.aliases.iter().any(|a| a.name.text == name.text) {
            return;
        }
        self.aliases.push(AliasDef {
            name,
            kind,
            implicit: true,
            step,
        });
    }

    /// Checks that `alias` is defined; reports `code` with a "did you mean" fix otherwise.
    pub(crate) fn check_alias(&mut self, alias: &str, range: TextRange, code: Code, what: &str) {
        if self.aliases.iter().any(|a| a.name.text == alias) {
            return;
        }
        let candidates: Vec<&str> = self.aliases.iter().map(|a| a.name.text.as_str()).collect();
        let suggestion = crate::suggest::best_match(alias, candidates.iter().copied());
        let explicit: Vec<&str> = self
            .aliases
            .iter()
            .filter(|a| !a.implicit)
            .map(|a| a.name.text.as_str())
            .collect();
        let defined = if explicit.is_empty() {
            "the query defines no alias: name a selector with `AS`".to_string()
        } else {
            format!("defined aliases: {}", explicit.join(", "))
        };
        let mut message = format!("{what} uses alias `{alias}`, which is not defined ({defined})");
        if let Some(s) = suggestion {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        let mut diagnostic = Diagnostic::new(code, range, message);
        if let Some(s) = suggestion {
            diagnostic =
                diagnostic.with_replacement(format!("Replace with `{s}`"), range, s.to_string());
        }
        self.diagnostics.push(diagnostic);
    }

    /// SKIP and LIMIT: a number, checked here (S009), or a parameter, read when the query runs.
    fn paging(&mut self, query: &ast::Query) -> Paging {
        let mut paging = Paging {
            skip: 0,
            limit: ir::DEFAULT_LIMIT,
            skip_param: None,
            limit_param: None,
        };
        if let Some(value) = query.skip_clause().and_then(|c| c.value()) {
            if let Some(param) = page_param(&value) {
                paging.skip_param = Some(param);
            } else if value.number_value().is_some() {
                match query.skip_clause().and_then(|c| c.number()) {
                    Some(n) if n >= 0 => paging.skip = n as u64,
                    _ => self.report(
                        Code::InvalidPaging,
                        value.syntax().text_range(),
                        "SKIP takes a whole number of results, zero or more",
                    ),
                }
            }
        }
        if let Some(value) = query.limit_clause().and_then(|c| c.value()) {
            if let Some(param) = page_param(&value) {
                paging.limit_param = Some(param);
            } else if value.number_value().is_some() {
                match query.limit_clause().and_then(|c| c.number()) {
                    Some(n) if n > 0 => paging.limit = n as u64,
                    _ => self.report(
                        Code::InvalidPaging,
                        value.syntax().text_range(),
                        "LIMIT takes a whole number of results, one or more",
                    ),
                }
            }
        }
        paging
    }

    fn check_wildcard_traversal(
        &mut self,
        query: &ast::Query,
        start: &ir::EntityPattern,
        steps: &[ir::Step],
    ) {
        let only_star = start.selector.any
            && start.selector.classes.is_empty()
            && start.selector.types.is_empty()
            && start.selector.smart_classes.is_empty();
        if !only_star || start.filter.is_some() || steps.is_empty() {
            return;
        }
        let range = query
            .entity()
            .and_then(|e| e.selector())
            .map(|s| s.syntax().text_range())
            .unwrap_or(start.range);
        self.report(
            Code::WildcardTraversal,
            range,
            "`FIND *` followed by `THAT` without a `WITH` filter scans every entity and may be \
             slow: start from a class or type, or add `WITH`",
        );
    }
}

/// SKIP and LIMIT as lowered.
struct Paging {
    skip: u64,
    limit: u64,
    skip_param: Option<ir::PageParam>,
    limit_param: Option<ir::PageParam>,
}

/// A `${ param.n }` / `${n}` / `{{n}}` literal as a paging parameter.
fn page_param(value: &ast::Literal) -> Option<ir::PageParam> {
    if !matches!(
        value.kind()?,
        ast::LiteralKind::Param | ast::LiteralKind::Template
    ) {
        return None;
    }
    let (name, written) = filter::placeholder(value)?;
    Some(ir::PageParam {
        name,
        written,
        range: value.syntax().text_range(),
    })
}

fn kind_word(kind: AliasKind) -> &'static str {
    match kind {
        AliasKind::Entity => "entity",
        AliasKind::Relationship => "relationship",
        AliasKind::Optional => "optional group",
    }
}

fn empty_pattern(range: TextRange) -> ir::EntityPattern {
    ir::EntityPattern {
        selector: ir::Selector::default(),
        filter: None,
        alias: None,
        range: TextRange::empty(range.end()),
    }
}

pub(crate) fn name_of(token: &j1ql_syntax::SyntaxToken) -> Name {
    Name {
        text: token.text().to_string(),
        range: token.text_range(),
    }
}

fn selector(selector: &ast::Selector) -> ir::Selector {
    let mut out = ir::Selector::default();
    for token in selector.names() {
        let name = name_of(&token);
        match NameKind::of(&name.text) {
            NameKind::Any => out.any = true,
            NameKind::Class => out.classes.push(name),
            NameKind::Type => out.types.push(name),
        }
    }
    for token in selector.smart_classes() {
        out.smart_classes.push(Name {
            text: token.text().trim_start_matches('#').to_string(),
            range: token.text_range(),
        });
    }
    out.full_text = selector
        .full_text()
        .map(|t| j1ql_syntax::ast::unquote(t.text()));
    out
}

/// A filter lowered from standalone text, with the problems found.
pub struct LoweredFilter {
    /// The filter, if any could be read.
    pub filter: Option<ir::Filter>,
    /// Syntax and semantic error messages.
    pub errors: Vec<String>,
}

/// Lowers filter text as written after `WITH` (smart-class definitions, configuration).
pub fn lower_filter_text(text: &str) -> LoweredFilter {
    let query_text = format!("FIND * WITH {text}");
    let parse = j1ql_syntax::parse(&query_text);
    let mut errors: Vec<String> = parse.errors().iter().map(|e| e.message.clone()).collect();
    let Some(query) = parse.document().queries().next() else {
        return LoweredFilter {
            filter: None,
            errors,
        };
    };
    let (ir, diagnostics) = lower_query(&query);
    errors.extend(
        diagnostics
            .into_iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .map(|d| d.message),
    );
    LoweredFilter {
        filter: ir.start.filter,
        errors,
    }
}
