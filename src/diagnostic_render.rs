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
    /// How many diagnostics [`Source::render`] was given.
    rendered: std::cell::Cell<usize>,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        Source {
            name,
            text,
            index: LineIndex::new(text),
            rendered: std::cell::Cell::new(0),
        }
    }

    /// Renders `diagnostics` ([`Source::render`]), a blank line between two; past
    /// [`MAX_RENDERED_PER_SOURCE`], one line gives the exact number not shown: `… and 1,234
    /// more in FILE`.
    pub fn render_all<'d>(
        &self,
        diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
        out: &mut String,
    ) {
        use std::fmt::Write;
        let mut hidden = 0usize;
        for diagnostic in diagnostics {
            if self.rendered.get() >= MAX_RENDERED_PER_SOURCE {
                hidden += 1;
                continue;
            }
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            self.render(diagnostic, out);
        }
        if hidden > 0 {
            let _ = writeln!(
                out,
                "\n… and {} more in {} (not shown; `--format json` lists them all)",
                thousands(hidden),
                escape_all(self.name)
            );
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
    ///
    /// Bounded whatever the input: the snippet shows at most [`SNIPPET_COLUMNS`] columns of
    /// the line around the caret (`…` marks cut text), control characters and bidirectional
    /// overrides from the source are printed escaped (`\u{1b}`) so a file cannot drive the
    /// terminal, and after [`MAX_RENDERED_PER_SOURCE`] diagnostics of one source one line says
    /// that the others are not shown ([`Source::render_all`] says how many).
    pub fn render(&self, diagnostic: &Diagnostic, out: &mut String) {
        use std::fmt::Write;
        let rendered = self.rendered.get() + 1;
        self.rendered.set(rendered);
        if rendered > MAX_RENDERED_PER_SOURCE {
            if rendered == MAX_RENDERED_PER_SOURCE + 1 {
                let _ = writeln!(
                    out,
                    "{}: more than {MAX_RENDERED_PER_SOURCE} diagnostics; the others are not \
                     shown (`--format json` lists them all)",
                    escape_all(self.name)
                );
            }
            return;
        }
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            escape_all(self.name),
            diagnostic.line,
            diagnostic.column,
            diagnostic.severity.as_str(),
            diagnostic.code,
            escape_all(&diagnostic.message)
        );
        let line = diagnostic.line - 1;
        let Some(line_range) = self.index.line_range(line) else {
            return;
        };
        let line_text = &self.text[line_range];
        let line_start = usize::from(line_range.start());
        let number = diagnostic.line.to_string();
        let gutter = " ".repeat(number.len());

        // The caret's byte range within this line.
        let shown = self.display_range(TextRange::new(
            diagnostic.range.start.into(),
            diagnostic.range.end.into(),
        ));
        let caret_start = floor_char_boundary(
            line_text,
            usize::from(shown.start()).saturating_sub(line_start),
        );
        let caret_end = if diagnostic.end_line == diagnostic.line {
            floor_char_boundary(
                line_text,
                usize::from(shown.end()).saturating_sub(line_start),
            )
        } else {
            line_text.len()
        };
        let window = Window::around(line_text, caret_start, caret_end.max(caret_start));

        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {}", window.text);
        let _ = writeln!(
            out,
            "{gutter} | {}{}",
            window.pad,
            "^".repeat(window.caret_width.max(1))
        );
        let _ = writeln!(out, "{gutter} |");
    }
}

/// `n` with a comma between groups of three digits (`1,234`).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The widest snippet line printed, in columns (characters, escapes counted by their length).
pub const SNIPPET_COLUMNS: usize = 200;

/// Columns of context kept before the caret when a line is cut.
const CONTEXT_BEFORE: usize = 60;

/// How many diagnostics of one source [`Source::render`] prints; one line then says the
/// others are not shown (the JSON output has them all).
pub const MAX_RENDERED_PER_SOURCE: usize = 100;

/// The part of a line shown in a snippet.
struct Window {
    /// The visible text, escaped, with `…` where it was cut.
    text: String,
    /// What goes before the caret: spaces, and the tabs of the visible text.
    pad: String,
    /// How many `^`.
    caret_width: usize,
}

impl Window {
    /// The window of `line` around the caret `caret_start..caret_end` (byte offsets on char
    /// boundaries). Only the window's characters are visited, so a huge line costs the same as
    /// a short one.
    fn around(line: &str, caret_start: usize, caret_end: usize) -> Window {
        // Start up to CONTEXT_BEFORE characters before the caret.
        let mut left = caret_start;
        for (taken, (i, _)) in line[..caret_start].char_indices().rev().enumerate() {
            if taken >= CONTEXT_BEFORE {
                break;
            }
            left = i;
        }
        let mut text = String::new();
        let mut pad = String::new();
        let mut columns = 0;
        if left > 0 {
            text.push('…');
            pad.push(' ');
            columns += 1;
        }
        let mut caret_width = 0;
        let mut cut = false;
        for (i, c) in line[left..].char_indices() {
            let i = left + i;
            if matches!(c, '\n' | '\r') && i + c.len_utf8() == line.len() {
                break; // The line break ending the line.
            }
            let shown = escape_char(c);
            let width = shown.chars().count();
            if columns + width > SNIPPET_COLUMNS - 1 && i >= caret_start {
                cut = true;
                break;
            }
            columns += width;
            text.push_str(&shown);
            if i < caret_start {
                if c == '\t' {
                    pad.push('\t');
                } else {
                    pad.extend(std::iter::repeat_n(' ', width));
                }
            } else if i < caret_end {
                caret_width += width;
            }
        }
        if cut {
            text.push('…');
        }
        Window {
            text,
            pad,
            caret_width,
        }
    }
}

/// A character as printed in a snippet: itself, or `\u{..}` for control characters (except
/// tab) and for the bidirectional controls that can reorder what a terminal shows.
fn escape_char(c: char) -> std::borrow::Cow<'static, str> {
    if (c.is_control() && c != '\t') || is_bidi_control(c) {
        format!("\\u{{{:x}}}", c as u32).into()
    } else {
        let mut buf = [0u8; 4];
        String::from(&*c.encode_utf8(&mut buf)).into()
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// `text` with every control character (tabs and line breaks included) and bidirectional
/// control escaped: for one-line headers (file names, messages quoting the source).
fn escape_all(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// The largest char boundary of `text` at or before `at` (clamped to its length).
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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

    #[test]
    fn a_long_line_is_clipped_around_the_caret() {
        let text = format!("FIND User WITH {} ANDD x = 1", "a = 1 AND ".repeat(10_000));
        let start = text.find("ANDD").unwrap() as u32;
        let out = render(&text, &error(start, start + 4));
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() <= SNIPPET_COLUMNS + 10),
            "{out}"
        );
        assert!(lines[2].starts_with("1 | …"), "{out}");
        assert!(lines[2].contains("a = 1 AND  ANDD x = 1"), "{out}");
        // The caret is still under `ANDD`.
        let caret = lines[3].find('^').unwrap();
        assert_eq!(
            &lines[2][..].chars().skip(caret).take(4).collect::<String>(),
            "ANDD"
        );
        assert_eq!(lines[3].matches('^').count(), 4);
        // A caret early in a long line: the line is cut on the right.
        let out = render(&text, &error(0, 4));
        assert!(out.lines().nth(2).unwrap().ends_with('…'), "{out}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let text = "FIND User \u{1b}]0;pwned\u{7} WITH \u{202e}x = 1 ?";
        let start = text.find('?').unwrap() as u32;
        let e = SyntaxError::new(
            ErrorCode::UnexpectedToken,
            "found `\u{1b}[2J`",
            TextRange::new(start.into(), (start + 1).into()),
        );
        let out = render(text, &e);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
        assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out}");
        assert!(out.contains("found `\\u{1b}[2J`"), "{out}");
        // The caret accounts for the escapes' width.
        let lines: Vec<&str> = out.lines().collect();
        let caret = lines[3].find('^').unwrap();
        assert_eq!(lines[2].as_bytes()[caret], b'?');
    }

    #[test]
    fn at_most_a_hundred_diagnostics_per_source() {
        let text = "FIND ".repeat(20_000);
        let source = Source::new("f.j1ql", &text);
        let mut out = String::new();
        for i in 0..20_000u32 {
            let d = source.diagnostic(&error(i * 5, i * 5 + 4), true);
            source.render(&d, &mut out);
        }
        assert_eq!(out.matches("error[P001]").count(), MAX_RENDERED_PER_SOURCE);
        assert!(out.ends_with("f.j1ql: more than 100 diagnostics; the others are not shown (`--format json` lists them all)\n"));
        assert!(out.len() < 100 * 1024, "{}", out.len());
    }

    #[test]
    fn render_all_says_exactly_how_many_are_not_shown() {
        let text = "FIND ".repeat(20_000);
        let source = Source::new("f.j1ql", &text);
        let all: Vec<Diagnostic> = (0..1_334u32)
            .map(|i| source.diagnostic(&error(i * 5, i * 5 + 4), true))
            .collect();
        let mut out = String::new();
        source.render_all(&all, &mut out);
        assert_eq!(out.matches("error[P001]").count(), MAX_RENDERED_PER_SOURCE);
        assert!(
            out.ends_with(
                "\n… and 1,234 more in f.j1ql (not shown; `--format json` lists them all)\n"
            ),
            "{}",
            &out[out.len() - 200..]
        );
        assert!(!out.contains("more than 100"), "only the exact count");
        let few = Source::new("g.j1ql", &text);
        let mut out = String::new();
        few.render_all(&all[..3], &mut out);
        assert_eq!(out.matches("error[P001]").count(), 3);
        assert!(!out.contains("more in"), "{out}");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
