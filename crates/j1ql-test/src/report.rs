//! Printing a [`Report`]: for people (progress lines, failures with coloured diffs, a
//! summary), JUnit XML and JSON.

use std::fmt::Write as _;

use crate::{CaseReport, FileReport, Report, Status};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// A unified diff with removed lines red, added lines green and hunk headers cyan.
pub fn colour_diff(diff: &str, color: bool) -> String {
    let mut out = String::new();
    for line in diff.lines() {
        let painted = if !color {
            line.to_string()
        } else if line.starts_with("---") || line.starts_with("+++") {
            paint(line, BOLD, true)
        } else if line.starts_with('-') {
            paint(line, RED, true)
        } else if line.starts_with('+') {
            paint(line, GREEN, true)
        } else if line.starts_with("@@") {
            paint(line, CYAN, true)
        } else {
            line.to_string()
        };
        out.push_str(&painted);
        out.push('\n');
    }
    out
}

/// The progress line of a file: `PASS path (N passed)` or `FAIL path (N passed, N failed)`.
pub fn progress_line(file: &FileReport, color: bool) -> String {
    let failed = file.failed();
    let tag = if failed == 0 {
        paint("PASS", GREEN, color)
    } else {
        paint("FAIL", RED, color)
    };
    let mut counts = format!("{} passed", file.passed());
    if failed > 0 {
        counts.push_str(&format!(", {failed} failed"));
    }
    format!("{tag} {} ({counts})\n", file.path.display())
}

fn case_details(file: &FileReport, case: &CaseReport, color: bool, out: &mut String) {
    let _ = writeln!(
        out,
        "\n{} {}:{} {}",
        paint("✗", RED, color),
        file.path.display(),
        case.line,
        paint(&case.name, BOLD, color)
    );
    for line in case.query.lines() {
        let _ = writeln!(out, "    | {line}");
    }
    for m in &case.messages {
        let _ = writeln!(out, "  {}", m.replace('\n', "\n  "));
    }
    if let Some(d) = &case.diff {
        for line in colour_diff(d, color).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
}

/// The failures of a file, in detail (nothing when it passed).
pub fn failures(file: &FileReport, color: bool) -> String {
    let mut out = String::new();
    if let Some(e) = &file.error {
        let _ = writeln!(
            out,
            "\n{} {}: {e}",
            paint("✗", RED, color),
            file.path.display()
        );
    }
    for case in file.cases.iter().filter(|c| c.status == Status::Failed) {
        case_details(file, case, color, &mut out);
    }
    out
}

/// The closing summary: `N passed, N failed`, and how to review new snapshots.
pub fn summary(report: &Report, color: bool) -> String {
    let failed = report.failed();
    let text = format!("{} passed, {} failed", report.passed(), failed);
    let mut out = if failed == 0 {
        paint(&text, GREEN, color)
    } else {
        paint(&text, RED, color)
    };
    out.push('\n');
    let accepted = report
        .files
        .iter()
        .flat_map(|f| &f.cases)
        .filter(|c| {
            c.written
                .as_ref()
                .is_some_and(|p| p.extension().is_some_and(|e| e == "snap"))
        })
        .count();
    if accepted > 0 {
        let _ = writeln!(out, "{accepted} snapshot(s) accepted");
    }
    let pending = report.pending().len();
    if pending > 0 {
        let _ = writeln!(
            out,
            "{pending} snapshot(s) written as .snap.new: review them with `j1ql test --review`, or accept all with `j1ql test --accept`"
        );
    }
    out
}

/// The whole human-readable report (what the CLI prints, progress lines included).
pub fn human(report: &Report, color: bool) -> String {
    let mut out = String::new();
    for f in &report.files {
        out.push_str(&progress_line(f, color));
    }
    for f in &report.files {
        out.push_str(&failures(f, color));
    }
    out.push('\n');
    out.push_str(&summary(report, color));
    out
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: `<testsuites>` with one `<testsuite>` per file and one `<testcase>` per query;
/// a failing query has a `<failure message=...>` holding its messages and diff.
pub fn junit(report: &Report) -> String {
    let secs = |d: std::time::Duration| format!("{:.3}", d.as_secs_f64());
    let total: usize = report
        .files
        .iter()
        .map(|f| f.cases.len() + usize::from(f.error.is_some()))
        .sum();
    let time: std::time::Duration = report.files.iter().map(|f| f.duration).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"j1ql test\" tests=\"{total}\" failures=\"{}\" errors=\"0\" time=\"{}\">",
        report.failed(),
        secs(time)
    );
    for f in &report.files {
        let path = f.path.display().to_string();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\">",
            xml(&path),
            f.cases.len() + usize::from(f.error.is_some()),
            f.failed(),
            secs(f.duration)
        );
        if let Some(e) = &f.error {
            let _ = writeln!(
                out,
                "    <testcase name=\"(file)\" classname=\"{0}\" file=\"{0}\" time=\"0.000\">\n      <failure message=\"{1}\" type=\"file\">{1}</failure>\n    </testcase>",
                xml(&path),
                xml(e)
            );
        }
        for c in &f.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{}\"",
                xml(&c.name),
                xml(&path),
                xml(&path),
                c.line,
                secs(c.duration)
            );
            if c.status == Status::Passed {
                out.push_str("/>\n");
                continue;
            }
            let message = c.messages.first().cloned().unwrap_or_default();
            let mut body = c.messages.join("\n");
            if let Some(d) = &c.diff {
                body.push('\n');
                body.push_str(d);
            }
            let kind = if c.diff.is_some() {
                "snapshot"
            } else {
                "assertion"
            };
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{kind}\">{}</failure>\n    </testcase>",
                xml(message.lines().next().unwrap_or("")),
                xml(&body)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// One JSON document: `{"passed", "failed", "pending", "files": [...]}`.
pub fn json(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "passed": report.passed(),
        "failed": report.failed(),
        "pending": report.pending(),
        "files": report.files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_only_when_asked() {
        let d = "--- stored snapshot\n+++ new result\n@@ -1 +1 @@\n-count: 1\n+count: 2\n same\n";
        assert_eq!(colour_diff(d, false), d);
        let c = colour_diff(d, true);
        assert!(c.contains("\x1b[31m-count: 1\x1b[0m"));
        assert!(c.contains("\x1b[32m+count: 2\x1b[0m"));
        assert!(c.contains("\n same\n"));
    }

    #[test]
    fn xml_escapes() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        let report = Report::default();
        assert!(
            junit(&report).contains("<testsuites name=\"j1ql test\" tests=\"0\" failures=\"0\"")
        );
    }
}
