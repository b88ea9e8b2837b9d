//! Printing the findings of the project's diagnostics pipeline with the CLI's renderer.

use j1ql_project::Finding;

use crate::diagnostic_render::{ByteRange, Diagnostic, Severity};

/// A pipeline finding as the renderer's diagnostic (`file` left out when `with_file` is false).
pub fn to_diagnostic(file: &str, f: &Finding, with_file: bool) -> Diagnostic {
    Diagnostic {
        file: with_file.then(|| file.to_string()),
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        code: f.code.as_str(),
        name: f.code.name(),
        severity: match f.severity {
            j1ql_lint::Severity::Error => Severity::Error,
            j1ql_lint::Severity::Warning => Severity::Warning,
            j1ql_lint::Severity::Info => Severity::Info,
            j1ql_lint::Severity::Hint => Severity::Hint,
        },
        message: f.message.clone(),
        range: ByteRange {
            start: f.range.start as u32,
            end: f.range.end as u32,
        },
    }
}
