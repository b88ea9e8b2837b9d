//! Diagnostics: syntax errors, semantic checks and lint rules, as `j1ql lint` reports them.

use j1ql_semantics::Severity;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use crate::document::Document;

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

/// Every finding of the document, in order, as LSP diagnostics. `uri` is used for related
/// information (the other definition of a duplicate alias, ...).
pub fn diagnostics(doc: &Document, uri: &Uri, links: &DocLinks) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for chunk in &doc.chunks {
        for d in &chunk.data.lint {
            let range = doc.range(chunk.to_doc(d.range));
            let mut related = Vec::new();
            if let Some(fix) = &d.fix {
                if let Some(edit) = fix.edits.first() {
                    related.push(DiagnosticRelatedInformation {
                        location: Location::new(uri.clone(), doc.range(chunk.to_doc(edit.range))),
                        message: format!("fix available: {}", fix.title),
                    });
                }
            }
            out.push(Diagnostic {
                range,
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.code.clone())),
                code_description: links.href(&d.code).map(|href| CodeDescription { href }),
                source: Some("j1ql".into()),
                message: d.message.clone(),
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: Some(serde_json::json!({
                    "name": d.name,
                    "explain": format!("j1ql lint --explain {}", d.code),
                })),
            });
        }
    }
    out
}
