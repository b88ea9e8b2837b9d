//! Diagnostics: syntax errors, semantic checks and lint rules, as `j1ql lint` reports them.

use j1ql_semantics::Severity;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::document::Document;
use crate::publish::Scope;

/// Where diagnostic codes link to: `{base}#{code}` (lower case), e.g. the `docs/lint-rules.md`
/// of the workspace. `None`: no link.
#[derive(Debug, Clone, Default)]
pub struct DocLinks {
    /// The page documenting every code.
    pub base: Option<String>,
}

impl DocLinks {
    fn href(&self, code: &str) -> Option<Uri> {
        let base = self.base.as_ref()?;
        format!("{base}#{}", code.to_ascii_lowercase()).parse().ok()
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The findings of a chunk as LSP diagnostics, positioned by `position` (chunk-relative).
/// Related information points at the fix; its uri is filled in by [`diagnostics`].
pub fn chunk_diagnostics(
    lint: &[j1ql_lint::LintDiagnostic],
    position: &dyn Fn(usize) -> Position,
) -> Vec<Diagnostic> {
    let range = |r: j1ql_syntax::TextRange| {
        Range::new(position(r.start().into()), position(r.end().into()))
    };
    let placeholder: Uri = "file:///".parse().expect("uri");
    lint.iter()
        .map(|d| {
            let related = d.fix.as_ref().and_then(|fix| {
                let edit = fix.edits.first()?;
                Some(vec![DiagnosticRelatedInformation {
                    location: Location::new(placeholder.clone(), range(edit.range)),
                    message: format!("fix available: {}", fix.title),
                }])
            });
            Diagnostic {
                range: range(d.range),
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.code.to_string())),
                code_description: None,
                source: Some("j1ql".into()),
                message: d.message.clone(),
                related_information: related,
                tags: None,
                data: Some(if is_registered(d.code.as_str()) {
                    serde_json::json!({
                        "name": d.name,
                        "explain": format!("j1ql lint --explain {}", d.code),
                    })
                } else {
                    serde_json::json!({ "name": d.name })
                }),
            }
        })
        .collect()
}

/// Whether a code is one of `j1ql lint`'s own (syntax, semantic, rule): `unknown-parameter`,
/// `unmapped` and the server's `config` have no documentation page.
fn is_registered(code: &str) -> bool {
    use j1ql_lint::Code;
    Code::parse(code).is_some_and(|c| !matches!(c, Code::UnknownParameter | Code::Unmapped))
}

/// The code of the diagnostic saying the workspace's `j1ql.toml` or its data is unusable.
pub const CONFIG_PROBLEM: &str = "config";

fn shift(p: Position, lines: u32) -> Position {
    Position::new(p.line + lines, p.character)
}

/// Every finding of the document, in order, as LSP diagnostics: the cached ones of each
/// chunk, moved to the chunk's line. `uri` is used for related information.
pub fn diagnostics(doc: &Document, uri: &Uri, links: &DocLinks) -> Vec<Diagnostic> {
    diagnostics_in(doc, uri, links, &Scope::All)
}

/// The findings of the chunks `scope` names (analysing them first), as [`diagnostics`].
pub fn diagnostics_in(
    doc: &Document,
    uri: &Uri,
    links: &DocLinks,
    scope: &Scope,
) -> Vec<Diagnostic> {
    match scope {
        Scope::All => doc.analyse(0..doc.chunks.len(), false),
        Scope::Analysed(ranges) => {
            for r in ranges {
                doc.analyse(r.clone(), false);
            }
        }
    }
    let mut hrefs: std::collections::HashMap<String, Option<Uri>> = Default::default();
    let mut out = Vec::new();
    if let Some(problem) = &doc.env.workspace.problem {
        out.push(Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String(CONFIG_PROBLEM.into())),
            source: Some("j1ql".into()),
            message: format!("workspace settings not used: {problem}"),
            ..Diagnostic::default()
        });
    }
    for chunk in doc.chunks.iter().filter(|c| c.data.is_analysed()) {
        for d in chunk.data.diagnostics() {
            let mut d = d.clone();
            d.range = Range::new(
                shift(d.range.start, chunk.line),
                shift(d.range.end, chunk.line),
            );
            if let Some(related) = &mut d.related_information {
                for r in related {
                    r.location.uri = uri.clone();
                    let l = &mut r.location.range;
                    *l = Range::new(shift(l.start, chunk.line), shift(l.end, chunk.line));
                }
            }
            if let Some(NumberOrString::String(code)) = &d.code {
                let href = hrefs
                    .entry(code.clone())
                    .or_insert_with(|| is_registered(code).then(|| links.href(code)).flatten())
                    .clone();
                d.code_description = href.map(|href| CodeDescription { href });
            }
            out.push(d);
        }
    }
    out
}
