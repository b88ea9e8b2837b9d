//! J1QL in Terraform (HCL): the `query` attributes inside the blocks of JupiterOne's provider
//! (`resource "jupiterone_question"`, `jupiterone_rule`, `jupiterone_smart_class_query`,
//! dashboard widget configs, `data "jupiterone_…"`), written as quoted strings or `<<EOF` /
//! `<<-EOF` heredocs, also inside `jsonencode({ … })`.
//!
//! The decoded text keeps HCL `${…}` interpolations and `%{…}` directives as they are written;
//! they are recorded as placeholders, so findings inside them are dropped (they are HCL, not
//! J1QL). hcl-rs, a real HCL parser, checks every file the extractor edits.

use crate::region::{Encoding, Extraction, LineEnding, Region, Unmapped};

/// A cursor over the host.
struct Scan<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn skip_trivia(&mut self, newlines: bool) {
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == b' ' || c == b'\t' || c == b'\r' || (newlines && c == b'\n') {
                self.i += 1;
            } else if c == b'#' || self.s[self.i..].starts_with("//") {
                while self.i < self.b.len() && self.b[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if self.s[self.i..].starts_with("/*") {
                self.i = self.s[self.i + 2..]
                    .find("*/")
                    .map_or(self.b.len(), |k| self.i + 2 + k + 2);
            } else {
                break;
            }
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        while self.i < self.b.len()
            && (self.b[self.i].is_ascii_alphanumeric() || matches!(self.b[self.i], b'_' | b'-'))
        {
            self.i += 1;
        }
        (self.i > start).then(|| &self.s[start..self.i])
    }
}

/// The end of a `${…}` or `%{…}` template sequence starting at `i` (on `$` or `%`).
fn template_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            b'"' => {
                // A string inside the interpolation.
                k += 1;
                while k < b.len() && b[k] != b'"' {
                    if b[k] == b'\\' {
                        k += 1;
                    }
                    k += 1;
                }
            }
            b'\n' => return None,
            _ => {}
        }
        k += 1;
    }
    None
}

/// Decoded text under construction.
#[derive(Default)]
struct Out {
    text: String,
    map: Vec<usize>,
    placeholders: Vec<std::ops::Range<usize>>,
    exact: bool,
}

impl Out {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.map.extend(std::iter::repeat_n(at, c.len_utf8()));
    }

    /// Template parts shared by quoted strings and heredocs at `i`: `$${`, `%%{` escapes and
    /// `${…}`/`%{…}` sequences. Returns the bytes consumed.
    fn template(&mut self, s: &str, i: usize) -> Option<usize> {
        let rest = &s[i..];
        if rest.starts_with("$${") || rest.starts_with("%%{") {
            self.exact = false;
            self.push(rest.as_bytes()[0] as char, i);
            self.push('{', i + 2);
            return Some(3);
        }
        if rest.starts_with("${") || rest.starts_with("%{") {
            let end = template_end(s, i)?;
            let from = self.text.len();
            for (k, c) in s[i..end].char_indices() {
                self.push(c, i + k);
            }
            self.placeholders.push(from..self.text.len());
            return Some(end - i);
        }
        None
    }
}

/// Decodes a quoted HCL string starting at `start` (on `"`): the region, and the offset
/// after the closing quote.
fn quoted(s: &str, start: usize) -> Option<(Region, usize)> {
    let b = s.as_bytes();
    let mut out = Out {
        exact: true,
        ..Out::default()
    };
    let mut i = start + 1;
    while i < b.len() {
        if let Some(n) = out.template(s, i) {
            i += n;
            continue;
        }
        let c = s[i..].chars().next()?;
        match c {
            '"' => {
                out.map.push(i);
                let mut region = Region::new(
                    out.text,
                    out.map,
                    start..i + 1,
                    Encoding::HclString { exact: out.exact },
                );
                region.placeholders = out.placeholders;
                return Some((region, i + 1));
            }
            '\n' => return None,
            '\\' => {
                let e = *b.get(i + 1)?;
                let hex = |n: usize| -> Option<char> {
                    char::from_u32(u32::from_str_radix(s.get(i + 2..i + 2 + n)?, 16).ok()?)
                };
                let (d, len) = match e {
                    b'n' => ('\n', 2),
                    b'r' => ('\r', 2),
                    b't' => ('\t', 2),
                    b'"' => ('"', 2),
                    b'\\' => ('\\', 2),
                    b'u' => (hex(4)?, 6),
                    b'U' => (hex(8)?, 10),
                    _ => return None,
                };
                out.push(d, i);
                i += len;
            }
            c => {
                for (k, ch) in c.to_string().char_indices() {
                    out.push(ch, i + k);
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// Decodes a heredoc whose `<<` is at `start`: the region (its body), and the offset after
/// the closing marker line.
fn heredoc(s: &str, start: usize) -> Option<(Region, usize)> {
    let mut i = start + 2;
    let indented = s[i..].starts_with('-');
    if indented {
        i += 1;
    }
    let marker_end = s[i..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(s.len(), |k| i + k);
    let marker = &s[i..marker_end];
    if marker.is_empty() {
        return None;
    }
    let body_start = s[marker_end..].find('\n').map(|k| marker_end + k + 1)?;
    // The body's lines, up to the line that is the marker.
    let mut lines = Vec::new();
    let mut pos = body_start;
    let close_end;
    loop {
        if pos >= s.len() {
            return None;
        }
        let end = s[pos..].find('\n').map_or(s.len(), |k| pos + k);
        let line = s[pos..end].trim_end_matches('\r');
        if line.trim() == marker {
            close_end = end;
            break;
        }
        lines.push((pos, line));
        pos = (end + 1).min(s.len() + 1);
    }
    let close_start = pos;
    let strip = if indented {
        lines
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let mut out = Out {
        exact: true,
        ..Out::default()
    };
    for &(line_start, line) in &lines {
        let from = (line.len() - line.trim_start_matches(' ').len()).min(strip);
        let mut k = line_start + from;
        let end = line_start + line.len();
        while k < end {
            if let Some(n) = out.template(s, k) {
                k += n;
                continue;
            }
            let c = s[k..].chars().next()?;
            out.push(c, k);
            k += c.len_utf8();
        }
        out.push('\n', end);
    }
    out.map.push(close_start);
    let mut region = Region::new(
        out.text,
        out.map,
        body_start..close_start,
        Encoding::HclHeredoc {
            strip,
            marker: marker.to_string(),
            exact: out.exact,
        },
    );
    region.placeholders = out.placeholders;
    Some((region, close_end))
}

/// Whether a block's type label belongs to JupiterOne's Terraform provider.
fn is_jupiterone(label: &str) -> bool {
    label.starts_with("jupiterone_")
}

/// Every query of a Terraform host.
pub(crate) fn extract(host: &str) -> Extraction {
    let mut out = Extraction::default();
    let eol = LineEnding::detect(host);
    let mut scan = Scan {
        s: host,
        b: host.as_bytes(),
        i: 0,
    };
    // Brace depth, and the depth at which the current JupiterOne block was opened.
    let mut depth = 0usize;
    let mut inside: Option<usize> = None;
    // The last top-level identifiers and labels (`resource "jupiterone_rule" "x"`).
    let mut labels: Vec<String> = Vec::new();
    while scan.i < scan.b.len() {
        scan.skip_trivia(true);
        if scan.i >= scan.b.len() {
            break;
        }
        let c = scan.b[scan.i];
        match c {
            b'{' => {
                if depth == 0 && labels.iter().any(|l| is_jupiterone(l)) {
                    inside = Some(depth);
                }
                labels.clear();
                depth += 1;
                scan.i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if inside == Some(depth) {
                    inside = None;
                }
                scan.i += 1;
            }
            b'"' => {
                let start = scan.i;
                match quoted(host, start) {
                    Some((region, next)) => {
                        scan.i = next;
                        if depth == 0 {
                            labels.push(region.text.clone());
                        }
                        // `"query": "..."` inside jsonencode.
                        continue_attribute(
                            &mut scan,
                            &mut out,
                            inside.is_some(),
                            &region.text,
                            eol,
                        );
                    }
                    None => {
                        // Not decodable: skip to the end of the line.
                        scan.i = host[start..].find('\n').map_or(host.len(), |k| start + k);
                    }
                }
            }
            b'<' if host[scan.i..].starts_with("<<") => {
                scan.i = heredoc(host, scan.i).map_or(scan.i + 2, |(_, next)| next);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let word = scan.ident().unwrap_or_default().to_string();
                if depth == 0 {
                    labels.push(word.clone());
                }
                continue_attribute(&mut scan, &mut out, inside.is_some(), &word, eol);
            }
            // One character (never into the middle of a multi-byte one).
            _ => scan.i += host[scan.i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    for (slot, region) in out.regions.iter_mut().enumerate() {
        region.slot = slot;
    }
    out
}

/// After a word or a string: when it is `query` followed by `=` or `:` inside a JupiterOne
/// block, reads the value.
fn continue_attribute(
    scan: &mut Scan<'_>,
    out: &mut Extraction,
    active: bool,
    word: &str,
    eol: LineEnding,
) {
    if !active || word != "query" {
        return;
    }
    let save = scan.i;
    scan.skip_trivia(false);
    if scan.i >= scan.b.len()
        || !matches!(scan.b[scan.i], b'=' | b':')
        || scan.s[scan.i..].starts_with("==")
    {
        scan.i = save;
        return;
    }
    scan.i += 1;
    scan.skip_trivia(false);
    let at = scan.i;
    let value = if scan.s[at..].starts_with('"') {
        quoted(scan.s, at)
    } else if scan.s[at..].starts_with("<<") {
        heredoc(scan.s, at)
    } else {
        let end = scan.s[at..].find('\n').map_or(scan.s.len(), |k| at + k);
        out.unmapped.push(Unmapped {
            range: at..end,
            reason: "this `query` is an HCL expression, not a string: it is not checked".into(),
        });
        return;
    };
    match value {
        Some((mut region, next)) => {
            region.line_ending = eol;
            out.regions.push(region);
            scan.i = next;
        }
        None => out.unmapped.push(Unmapped {
            range: at..at,
            reason: "this `query` string cannot be decoded exactly: it is not checked".into(),
        }),
    }
}

/// An HCL quoted string for `text` (interpolations kept as they are).
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Checks that `new` parses as HCL (when `old` did) and reads back as `old`'s queries with
/// some slots replaced.
pub(crate) fn verify(old: &str, new: &str, edits: &[(usize, String)]) -> Result<(), String> {
    if hcl::parse(old).is_ok() {
        hcl::parse(new).map_err(|e| format!("the edited file is not valid HCL: {e}"))?;
    }
    let mut intended: Vec<String> = extract(old).regions.into_iter().map(|r| r.text).collect();
    for (slot, text) in edits {
        *intended.get_mut(*slot).ok_or("a query slot is missing")? = text.clone();
    }
    let got: Vec<String> = extract(new).regions.into_iter().map(|r| r.text).collect();
    if got != intended {
        return Err("the edited file does not read back as the intended queries".into());
    }
    Ok(())
}
