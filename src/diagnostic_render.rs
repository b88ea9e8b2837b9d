//! Turning syntax errors into diagnostics with 1-based positions, and printing them.
//!
//! Human form (ruff/rustc style), columns counted in characters:
//!
//! ```text
//! queries/bad.j1ql:2:6: error[P003]: expected a relationship verb ..., found `Host`
//!   |
//! 2 | THAT Host
//!   |      ^^^^
//!   |
//! ```
//!
//! An empty range (something missing) gets a single `^` at the position; a range over several
//! lines is underlined to the end of its first line. The JSON form is [`Diagnostic`] itself.

use j1ql_syntax::line_index::LineIndex;
use j1ql_syntax::{SyntaxError, TextRange, TextSize};
use serde::Serialize;

/// One problem, positioned for people and tools. Lines and columns are 1-based; columns count
/// characters (Unicode scalar values). `end_line`/`end_column` point just past the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The stable code (`P004`).
    pub code: &'static str,
    /// The code's kebab-case name (`unclosed-paren`).
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Byte offsets in the document.
    pub range: ByteRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A byte range `start..end` (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteRange {
    pub start: u32,
    pub end: u32,
}

/// A document with its line index, ready to position and print diagnostics.
pub struct Source<'a> {
    /// The name printed before `:line:col` (a path, `<stdin>`, ...).
    pub name: &'a str,
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        Source {
            name,
            text,
            index: LineIndex::new(text),
        }
    }

    /// Positions a syntax error. `file` is left out of the JSON when `with_file` is false.
    pub fn diagnostic(&self, error: &SyntaxError, with_file: bool) -> Diagnostic {
        let range = self.display_range(error.range);
        let start = self.index.line_col(range.start());
        let end = self.index.line_col(range.end());
        Diagnostic {
            file: with_file.then(|| self.name.to_string()),
            line: start.line + 1,
            column: start.col_char + 1,
            end_line: end.line + 1,
            end_column: end.col_char + 1,
            code: error.code.as_str(),
            name: error.code.name(),
            severity: Severity::Error,
            message: error.message.clone(),
            range: ByteRange {
                start: error.range.start().into(),
                end: error.range.end().into(),
            },
        }
    }

    /// Positions a semantic diagnostic (`S0xx`), keeping its severity.
    pub fn semantic(&self, d: &j1ql_semantics::Diagnostic, with_file: bool) -> Diagnostic {
        let as_syntax = SyntaxError::new(
            j1ql_syntax::ErrorCode::UnexpectedToken,
            d.message.clone(),
            d.range,
        );
        let mut diagnostic = self.diagnostic(&as_syntax, with_file);
        diagnostic.code = d.code.as_str();
        diagnostic.name = d.code.name();
        diagnostic.severity = match d.severity {
            j1ql_semantics::Severity::Error => Severity::Error,
            j1ql_semantics::Severity::Warning => Severity::Warning,
            j1ql_semantics::Severity::Info => Severity::Info,
            j1ql_semantics::Severity::Hint => Severity::Hint,
        };
        diagnostic
    }

    /// Where an error is shown. An empty range at the very end of a text that ends with line
    /// breaks would point at an empty last line; show it just past the last character instead.
    fn display_range(&self, range: TextRange) -> TextRange {
        let len = TextSize::of(self.text);
        let range = TextRange::new(range.start().min(len), range.end().min(len));
        if range.is_empty() && range.start() == len {
            let trimmed = TextSize::of(self.text.trim_end_matches(['\n', '\r']));
            return TextRange::empty(trimmed);
        }
        range
    }

    /// Appends the human form of `diagnostic` (header, snippet, caret) to `out`.
    pub fn render(&self, diagnostic: &Diagnostic, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            self.name,
            diagnostic.line,
            diagnostic.column,
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        );
        let line = diagnostic.line - 1;
        let Some(line_range) = self.index.line_range(line) else {
            return;
        };
        let line_text = &self.text[line_range];
        let number = diagnostic.line.to_string();
        let gutter = " ".repeat(number.len());

        // Characters before the caret, and how many carets: within this line only.
        let start_char = diagnostic.column as usize - 1;
        let end_char = if diagnostic.end_line == diagnostic.line {
            diagnostic.end_column as usize - 1
        } else {
            line_text.chars().count()
        };
        let width = end_char.saturating_sub(start_char).max(1);
        // Keep tabs before the caret so it lines up under a tab-indented line.
        let pad: String = line_text
            .chars()
            .take(start_char)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();

        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {line_text}");
        let _ = writeln!(out, "{gutter} | {pad}{}", "^".repeat(width));
        let _ = writeln!(out, "{gutter} |");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use j1ql_syntax::ErrorCode;

    fn error(start: u32, end: u32) -> SyntaxError {
        SyntaxError::new(
            ErrorCode::UnexpectedToken,
            "expected X, found Y",
            TextRange::new(start.into(), end.into()),
        )
    }

    fn render(text: &str, e: &SyntaxError) -> String {
        let source = Source::new("q.j1ql", text);
        let d = source.diagnostic(e, true);
        let mut out = String::new();
        source.render(&d, &mut out);
        out
    }

    #[test]
    fn caret_under_range() {
        let text = "FIND User\nTHAT Host";
        assert_eq!(
            render(text, &error(15, 19)),
            "q.j1ql:2:6: error[P001]: expected X, found Y\n  |\n2 | THAT Host\n  |      ^^^^\n  |\n"
        );
    }

    #[test]
    fn empty_range_at_end_of_input_after_newline() {
        let text = "FIND User THAT\n";
        let d = Source::new("q", text).diagnostic(&error(15, 15), false);
        assert_eq!((d.line, d.column, d.end_line, d.end_column), (1, 15, 1, 15));
        assert_eq!(d.range, ByteRange { start: 15, end: 15 });
        assert!(render(text, &error(15, 15)).contains("1 | FIND User THAT\n  |               ^\n"));
    }

    #[test]
    fn columns_count_characters() {
        let text = "FIND User WITH name = 'Zoë' ANDD";
        let start = text.find("ANDD").unwrap() as u32;
        let d = Source::new("q", text).diagnostic(&error(start, start + 4), false);
        assert_eq!((d.column, d.end_column), (29, 33));
        assert!(render(text, &error(start, start + 4))
            .ends_with(&format!("  | {}^^^^\n  |\n", " ".repeat(28))));
    }

    #[test]
    fn multi_line_range_is_underlined_to_end_of_line() {
        let text = "FIND A WITH x = (1\nOR 2";
        let out = render(text, &error(16, 22));
        assert!(
            out.contains("1 | FIND A WITH x = (1\n  |                 ^^\n"),
            "{out}"
        );
    }

    #[test]
    fn tabs_are_kept_before_the_caret() {
        let out = render("\tFIND ?", &error(6, 7));
        assert!(out.contains("  | \t     ^\n"), "{out}");
    }
}
