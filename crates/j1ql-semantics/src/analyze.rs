//! The one-call entry point: parse, lower and check a document.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use j1ql_syntax::ast::AstNode;
use j1ql_syntax::{Parse, TextRange};

use crate::catalog::Catalog;
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir;
use crate::smart_classes::SmartClasses;

/// What the analysis knows about the world: the data model and the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Classes, verbs, types and properties (the builtin one, or extended by loaded data).
    pub catalog: &'a Catalog,
    /// Smart-class definitions.
    pub smart_classes: &'a SmartClasses,
    /// Tags seen in loaded data, when data is loaded (unknown-smart-class checks need it).
    pub known_tags: Option<&'a BTreeSet<String>>,
}

impl Context<'static> {
    /// The builtin data model and default smart classes, no data loaded.
    pub fn builtin() -> Context<'static> {
        static SMART: OnceLock<SmartClasses> = OnceLock::new();
        Context {
            catalog: Catalog::builtin(),
            smart_classes: SMART.get_or_init(SmartClasses::default),
            known_tags: None,
        }
    }
}

/// One query's meaning and problems.
#[derive(Debug, Clone)]
pub struct QueryAnalysis {
    /// The lowered query.
    pub ir: ir::Query,
    /// Semantic diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl QueryAnalysis {
    /// The query's range in the document.
    pub fn range(&self) -> TextRange {
        self.ir.range
    }
}

/// A whole document, analysed.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The syntax tree and syntax errors.
    pub parse: Parse,
    /// Each query, in order.
    pub queries: Vec<QueryAnalysis>,
    /// The data model the document was analysed against (a cheap handle): rules that read
    /// property types (lint L014) see the same catalog, loaded data included.
    pub catalog: Catalog,
}

impl Analysis {
    /// Every semantic diagnostic of the document, in order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.queries.iter().flat_map(|q| q.diagnostics.iter())
    }

    /// Whether anything (syntax or semantics) is an error: such a query must not run.
    pub fn has_errors(&self) -> bool {
        !self.parse.errors().is_empty() || self.diagnostics().any(|d| d.severity == Severity::Error)
    }
}

/// Parses `text`, lowers every query and runs every check.
pub fn analyze(text: &str, cx: &Context<'_>) -> Analysis {
    let parse = j1ql_syntax::parse(text);
    let queries = parse
        .document()
        .queries()
        .map(|q| analyze_query(&q, cx))
        .collect();
    Analysis {
        parse,
        queries,
        catalog: cx.catalog.clone(),
    }
}

/// Lowers and checks one query of a parsed document.
pub fn analyze_query(query: &j1ql_syntax::ast::Query, cx: &Context<'_>) -> QueryAnalysis {
    let (ir, mut diagnostics) = crate::lower::lower_query(query);
    diagnostics.extend(crate::check::check_query(
        &ir,
        cx.catalog,
        cx.smart_classes,
        cx.known_tags,
    ));
    diagnostics.sort_by_key(|d| (d.range.start(), d.range.end(), d.code));
    debug_assert!(diagnostics
        .iter()
        .all(|d| query.syntax().text_range().contains_range(d.range)));
    QueryAnalysis { ir, diagnostics }
}
