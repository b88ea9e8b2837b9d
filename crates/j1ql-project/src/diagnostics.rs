//! The one diagnostics pipeline: `check`, `lint`, `fmt`, `test`, `run` and the language
//! server all call it, so the same file gives the same findings everywhere.
//!
//! For each region of a host file: syntax errors, semantic diagnostics (with the project's
//! catalog, smart classes and tags), lint rules, `// j1ql-ignore:` comments and `[lint]`
//! settings (all through `j1ql-lint`), and parameters `[params]` lacks when the project runs
//! queries. Findings inside a host's own placeholders (HCL `${…}`) are dropped. Regions the
//! extractor cannot map are findings too (`unmapped`). Positions are in the host file.

use std::path::Path;

use j1ql_lint::{Applicability, Code, LintDiagnostic, LintFix, Severity};
use j1ql_syntax::ast::{AstNode, Literal, LiteralKind};
use j1ql_syntax::line_index::LineIndex;
use j1ql_syntax::{SyntaxNode, TextSize};
use serde::Serialize;

use crate::{extract, Extraction, HostKind, Project};

/// The code of a parameter `[params]` has no value for.
pub const UNKNOWN_PARAMETER: &str = "unknown-parameter";

/// One finding, positioned in its host file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable code (`P004`, `S010`, `L001`, `unknown-parameter`, `unmapped`).
    pub code: Code,
    /// Kebab-case name.
    pub name: &'static str,
    /// Severity, after `[lint]` overrides.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Host byte range.
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start, in characters.
    pub column: u32,
    /// 1-based line just past the end.
    pub end_line: u32,
    /// 1-based column just past the end, in characters.
    pub end_column: u32,
    /// Whether a fix exists, and whether it is safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Applicability>,
}

impl Finding {
    /// Whether this is a style finding of the linter (an `L` rule), which `check` leaves to
    /// `lint`.
    pub fn is_style(&self) -> bool {
        self.code.is_style()
    }
}

/// Every finding of one host file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// What kind of host it is.
    pub kind: HostKind,
    /// The regions and what could not be mapped.
    pub extraction: Extraction,
    /// The findings, sorted by position.
    pub findings: Vec<Finding>,
}

impl FileReport {
    /// Findings of error severity.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

/// Runs the pipeline on one host file. `path` is the file (for `[lint]` alert paths);
/// `kind` says how to read it.
pub fn diagnose(project: &Project, path: &Path, kind: HostKind, host: &str) -> FileReport {
    let extraction = extract(kind, host);
    let findings = findings(project, path, kind, host, &extraction);
    FileReport {
        kind,
        extraction,
        findings,
    }
}

/// The findings of an extraction.
pub fn findings(
    project: &Project,
    path: &Path,
    kind: HostKind,
    host: &str,
    extraction: &Extraction,
) -> Vec<Finding> {
    let index = LineIndex::new(host);
    let options = project.lint_options(path);
    let context = project.context();
    let mut out = Vec::new();
    for region in &extraction.regions {
        if kind != HostKind::J1ql && region.text.trim().is_empty() {
            continue;
        }
        let analysis = j1ql_semantics::analyze(&region.text, &context);
        for d in text_findings(project, &analysis, &options) {
            let start: usize = d.range.start().into();
            let end: usize = d.range.end().into();
            if region
                .placeholders
                .iter()
                .any(|p| p.start <= start && end <= p.end.max(p.start + 1))
            {
                continue;
            }
            let host_range = region.host_range_of(start..end);
            out.push(finding(
                &index,
                host_range,
                d.code,
                d.severity,
                d.message,
                d.fix.map(|f| f.applicability),
            ));
        }
    }
    for u in &extraction.unmapped {
        out.push(finding(
            &index,
            u.range.clone(),
            Code::Unmapped,
            Severity::Warning,
            u.reason.clone(),
            None,
        ));
    }
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code))
    });
    out
}

/// The findings of one J1QL text already analysed with [`Project::context`], in the text's own
/// offsets, sorted: syntax, semantic and lint findings after `[lint]` and `// j1ql-ignore:`
/// (all through `j1ql-lint`), and unknown parameters when the project runs queries. The core
/// of the pipeline: [`diagnose`] calls it per region, the language server per chunk.
pub fn text_findings(
    project: &Project,
    analysis: &j1ql_semantics::Analysis,
    options: &j1ql_lint::LintOptions,
) -> Vec<LintDiagnostic> {
    let mut found = j1ql_lint::lint_analysis(analysis, options);
    if project.checks_params() && project.data_problem().is_none() {
        found.extend(unknown_parameters(&analysis.parse.syntax_node(), project));
        found.sort_by_key(|d| (d.range.start(), d.range.end()));
    }
    found
}

fn finding(
    index: &LineIndex,
    range: std::ops::Range<usize>,
    code: Code,
    severity: Severity,
    message: String,
    fix: Option<Applicability>,
) -> Finding {
    let s = index.line_col(TextSize::from(range.start as u32));
    let e = index.line_col(TextSize::from(range.end as u32));
    Finding {
        code,
        name: code.name(),
        severity,
        message,
        range,
        line: s.line + 1,
        column: s.col_char + 1,
        end_line: e.line + 1,
        end_column: e.col_char + 1,
        fix,
    }
}

/// The name of a parameter literal (`${ param.x }`, `${x}`, `{{x}}` → `x`).
pub fn param_name(literal: &Literal) -> Option<String> {
    let name = literal.placeholder_name()?;
    Some(
        name.strip_prefix("param.")
            .unwrap_or(&name)
            .trim()
            .to_string(),
    )
}

/// Parameters without a value in `[params]`: code `unknown-parameter`, with a "did you mean"
/// fix when a configured name is close.
pub fn unknown_parameters(root: &SyntaxNode, project: &Project) -> Vec<LintDiagnostic> {
    let params = project.params();
    root.descendants()
        .filter_map(Literal::cast)
        .filter(|l| matches!(l.kind(), Some(LiteralKind::Param | LiteralKind::Template)))
        .filter_map(|l| {
            let name = param_name(&l)?;
            if params.contains_key(&name) {
                return None;
            }
            let suggestion =
                j1ql_semantics::suggest::best_match(&name, params.keys().map(String::as_str));
            let range = l.syntax().text_range();
            let mut message = format!(
                "unknown parameter `{name}`: not in `[params]` of j1ql.toml (running the query fails)"
            );
            let fix = suggestion.map(|s| {
                message.push_str(&format!("; did you mean `{s}`?"));
                let written = l.syntax().text().to_string();
                LintFix {
                    title: format!("Replace with `{s}`"),
                    edits: vec![j1ql_lint::TextEdit {
                        range,
                        new_text: written.replacen(&name, s, 1),
                    }],
                    applicability: Applicability::Unsafe,
                }
            });
            Some(LintDiagnostic {
                code: Code::UnknownParameter,
                name: UNKNOWN_PARAMETER.into(),
                severity: Severity::Warning,
                range,
                message,
                fix,
            })
        })
        .collect()
}
