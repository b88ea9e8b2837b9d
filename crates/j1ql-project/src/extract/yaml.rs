//! J1QL in YAML: the value of every `query` key (JupiterOne question files), in every scalar
//! style: plain (one or several lines), single- and double-quoted, literal `|` and folded `>`
//! blocks with chomping and indentation indicators, after anchors and tags.
//!
//! A real YAML 1.2 parser (saphyr-parser) finds the scalars and their values; this module
//! decodes each one again from the host text, keeping for every byte where it came from, and
//! keeps the region only when its decoding equals the parser's value. A `query:` line inside
//! another key's text is text, not a key, so it is never taken for a query.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::region::{indent_lines, Encoding, Extraction, LineEnding, Region, Unmapped};

/// Byte offset of each character index (and of the end).
fn char_offsets(host: &str) -> Vec<usize> {
    let mut out: Vec<usize> = host.char_indices().map(|(i, _)| i).collect();
    out.push(host.len());
    out
}

enum Frame {
    Map {
        key: Option<String>,
        expect_key: bool,
    },
    Seq,
}

/// One query scalar as the parser saw it.
struct Found {
    value: String,
    style: ScalarStyle,
    span: Range<usize>,
    /// The column (characters) the scalar starts at.
    start_col: usize,
    /// Its position in the parser's event stream.
    event: usize,
}

/// Scalars that are values of a `query` key, with the parser's values; and what could not be
/// used (non-string values, a file that does not parse).
fn query_scalars(host: &str) -> (Vec<Found>, Vec<Unmapped>) {
    let bytes = char_offsets(host);
    let at = |i: usize| bytes[i.min(bytes.len() - 1)];
    let mut found = Vec::new();
    let mut unmapped = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the next node is the value of a `query` key (and takes that slot).
    fn take_value(stack: &mut [Frame]) -> bool {
        match stack.last_mut() {
            Some(Frame::Map { key, expect_key }) if !*expect_key => {
                *expect_key = true;
                key.as_deref() == Some("query")
            }
            _ => false,
        }
    }
    for (index, event) in Parser::new_from_str(host).enumerate() {
        let (event, span): (Event, Span) = match event {
            Ok(e) => e,
            Err(e) => {
                if !host.contains("query") {
                    break; // not ours: nothing to check
                }
                let pos = at(e.marker().index());
                unmapped.push(Unmapped {
                    range: pos..pos,
                    reason: format!(
                        "not valid YAML, queries after this point are not read: {}",
                        e.info()
                    ),
                });
                break;
            }
        };
        let range = at(span.start.index())..at(span.end.index());
        match event {
            Event::Scalar(value, style, _, _) => {
                if let Some(Frame::Map { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(value.to_string());
                        *expect_key = false;
                        continue;
                    }
                }
                if take_value(&mut stack) {
                    found.push(Found {
                        value: value.to_string(),
                        style,
                        span: range,
                        start_col: span.start.col(),
                        event: index,
                    });
                }
            }
            Event::Alias(_) => {
                take_value(&mut stack);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if let Some(Frame::Map {
                    expect_key: true, ..
                }) = stack.last()
                {
                    // A complex key: its contents are never a query.
                    if let Some(Frame::Map { expect_key, .. }) = stack.last_mut() {
                        *expect_key = false;
                    }
                } else if take_value(&mut stack) {
                    unmapped.push(Unmapped {
                        range: range.start..range.start,
                        reason: "the value of `query` is not a string".into(),
                    });
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        key: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Seq
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    (found, unmapped)
}

/// Every query of a YAML host.
pub(crate) fn extract(host: &str) -> Extraction {
    let (found, unmapped) = query_scalars(host);
    let mut out = Extraction {
        regions: Vec::new(),
        unmapped,
    };
    let eol = LineEnding::detect(host);
    for (slot, f) in found.into_iter().enumerate() {
        let decoded = match f.style {
            ScalarStyle::Literal | ScalarStyle::Folded => block(host, &f),
            _ => flow(host, &f),
        };
        match decoded {
            Some(mut region) if region.text == f.value => {
                region.line_ending = eol;
                region.slot = slot;
                out.regions.push(region);
            }
            _ => out.unmapped.push(Unmapped {
                range: f.span.clone(),
                reason: "this YAML scalar cannot be mapped back to the file exactly: the query is not checked".into(),
            }),
        }
    }
    out
}

/// Skips node properties (`&anchor`, `!tag`, `!!str`) and the whitespace after them.
fn skip_properties(host: &str, mut pos: usize, end: usize) -> usize {
    let b = host.as_bytes();
    while pos < end && (b[pos] == b'&' || b[pos] == b'!') {
        while pos < end && !b[pos].is_ascii_whitespace() {
            pos += 1;
        }
        while pos < end && b[pos].is_ascii_whitespace() {
            pos += 1;
        }
    }
    pos
}

/// Text and map under construction.
#[derive(Default)]
struct Out {
    text: String,
    map: Vec<usize>,
}

impl Out {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.map.extend(std::iter::repeat_n(at, c.len_utf8()));
    }
    fn push_str_at(&mut self, s: &str, start: usize) {
        for (i, c) in s.char_indices() {
            self.push(c, start + i);
        }
    }
}

/// Whether `text` has a carriage return that is not part of a `\r\n` pair.
fn has_lone_cr(text: &str) -> bool {
    text.match_indices('\r')
        .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

/// Lines of `host[range]`: (start offset, content without the line break).
fn lines_in(host: &str, range: Range<usize>) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = range.start;
    for line in host[range.clone()].split('\n') {
        let content = line.strip_suffix('\r').unwrap_or(line);
        out.push((pos, content));
        pos += line.len() + 1;
    }
    out
}

/// A plain, single- or double-quoted scalar, folded as YAML folds flow scalars.
fn flow(host: &str, f: &Found) -> Option<Region> {
    let start = skip_properties(host, f.span.start, f.span.end);
    let end = f.span.end;
    let (inner, quote) = match f.style {
        ScalarStyle::SingleQuoted => (start + 1..end.checked_sub(1)?, Some('\'')),
        ScalarStyle::DoubleQuoted => (start + 1..end.checked_sub(1)?, Some('"')),
        _ => (start..end, None),
    };
    if inner.start > inner.end {
        return None;
    }
    if let Some(q) = quote {
        if !host[start..].starts_with(q) || !host[..end].ends_with(q) {
            return None;
        }
    }
    let lines = lines_in(host, inner.clone());
    let last = lines.len() - 1;
    let mut out = Out::default();
    let mut empties: Vec<usize> = Vec::new();
    let mut escaped_break = false;
    let mut prev_end = inner.start;
    for (i, &(line_start, raw)) in lines.iter().enumerate() {
        let mut content = raw;
        let mut offset = line_start;
        if i > 0 {
            let trimmed = content.trim_start_matches([' ', '\t']);
            offset += content.len() - trimmed.len();
            content = trimmed;
        }
        let mut breaks_here = false;
        if i < last {
            let trimmed = content.trim_end_matches([' ', '\t']);
            // A double-quoted `\ ` or `\t` at the end keeps its whitespace.
            let keep = quote == Some('"') && {
                let backslashes = trimmed.len() - trimmed.trim_end_matches('\\').len();
                backslashes % 2 == 1 && trimmed.len() < content.len()
            };
            if !keep {
                content = trimmed;
            }
            if quote == Some('"') {
                let backslashes = content.len() - content.trim_end_matches('\\').len();
                if backslashes % 2 == 1 && !keep {
                    content = &content[..content.len() - 1];
                    breaks_here = true;
                }
            }
        }
        if i > 0 && i < last && content.is_empty() && !escaped_break {
            empties.push(line_start);
            continue;
        }
        if i > 0 {
            if escaped_break {
                // Joined without a space; empty lines still count.
                for &e in &empties {
                    out.push('\n', e);
                }
            } else if empties.is_empty() {
                out.push(' ', prev_end);
            } else {
                for &e in &empties {
                    out.push('\n', e);
                }
            }
        }
        empties.clear();
        match quote {
            None => out.push_str_at(content, offset),
            Some('\'') => {
                let mut chars = content.char_indices().peekable();
                while let Some((k, c)) = chars.next() {
                    if c == '\'' {
                        if chars.peek().map(|&(_, n)| n) == Some('\'') {
                            chars.next();
                        } else {
                            return None;
                        }
                    }
                    out.push(c, offset + k);
                }
            }
            _ => decode_double(content, offset, &mut out)?,
        }
        prev_end = offset + content.len();
        escaped_break = breaks_here;
    }
    out.map.push(inner.end);
    Some(Region::new(
        out.text,
        out.map,
        start..end,
        Encoding::YamlFlow,
    ))
}

/// Decodes one line of a double-quoted scalar (YAML escapes).
fn decode_double(s: &str, base: usize, out: &mut Out) -> Option<()> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next()?;
        if c == '"' {
            return None;
        }
        if c != '\\' {
            out.push(c, base + i);
            i += c.len_utf8();
            continue;
        }
        let e = *b.get(i + 1)?;
        let hex = |n: usize| -> Option<char> {
            let h = s.get(i + 2..i + 2 + n)?;
            char::from_u32(u32::from_str_radix(h, 16).ok()?)
        };
        let (decoded, len) = match e {
            b'0' => ('\0', 2),
            b'a' => ('\u{7}', 2),
            b'b' => ('\u{8}', 2),
            b't' | b'\t' => ('\t', 2),
            b'n' => ('\n', 2),
            b'v' => ('\u{b}', 2),
            b'f' => ('\u{c}', 2),
            b'r' => ('\r', 2),
            b'e' => ('\u{1b}', 2),
            b' ' => (' ', 2),
            b'"' => ('"', 2),
            b'/' => ('/', 2),
            b'\\' => ('\\', 2),
            b'N' => ('\u{85}', 2),
            b'_' => ('\u{a0}', 2),
            b'L' => ('\u{2028}', 2),
            b'P' => ('\u{2029}', 2),
            b'x' => (hex(2)?, 4),
            b'u' => (hex(4)?, 6),
            b'U' => (hex(8)?, 10),
            _ => return None,
        };
        out.push(decoded, base + i);
        i += len;
    }
    Some(())
}

/// The header of a block scalar: the offset of its indicator, the indicator text and what
/// follows it on the line (a comment), found on the last non-blank line before `content`.
fn block_header(host: &str, content_line: usize) -> Option<(usize, String, String)> {
    let mut line_end = content_line.checked_sub(1)?;
    while !host.is_char_boundary(line_end) {
        line_end -= 1;
    }
    loop {
        let line_start = host[..line_end].rfind('\n').map_or(0, |i| i + 1);
        let line = host[line_start..line_end].trim_end_matches('\r');
        if line.trim().is_empty() {
            line_end = line_start.checked_sub(1)?;
            continue;
        }
        // The indicator is the last token before an optional comment.
        let mut cuts = vec![line.len()];
        cuts.extend(line.match_indices(" #").map(|(i, _)| i));
        cuts.extend(line.match_indices("\t#").map(|(i, _)| i));
        cuts.sort_unstable();
        for cut in cuts {
            let before = line[..cut].trim_end();
            // After the last whitespace character (which may be several bytes: U+2028).
            let token_start = before
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let token = &before[token_start..];
            let is_indicator = token.starts_with(['|', '>'])
                && token[1..]
                    .chars()
                    .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
                && token.len() <= 3;
            if is_indicator {
                return Some((
                    line_start + token_start,
                    token.to_string(),
                    line[before.len()..].to_string(),
                ));
            }
        }
        return None;
    }
}

/// A literal or folded block scalar.
fn block(host: &str, f: &Found) -> Option<Region> {
    // The parser's span of an empty block may start at its header (after the key on its
    // line; a content line has only indentation before its text).
    let line_start = host[..f.span.start].rfind('\n').map_or(0, |i| i + 1);
    let at_header = host[f.span.start..].starts_with(['|', '>'])
        && !host[line_start..f.span.start].trim().is_empty();
    let content_line = if at_header {
        host[f.span.start..]
            .find('\n')
            .map_or(host.len(), |i| f.span.start + i + 1)
    } else {
        line_start
    };
    let (header_at, indicator, header_comment) = block_header(host, content_line)?;
    let header_line_end = host[header_at..]
        .find('\n')
        .map_or(host.len(), |i| header_at + i + 1);
    // YAML also breaks lines at a lone `\r`; these lines are split at `\n` only, so such a
    // block cannot be mapped line for line (and its header's line may end past the scalar).
    if header_line_end > f.span.end || has_lone_cr(&host[header_at..f.span.end]) {
        return None;
    }
    let explicit = indicator[1..].chars().any(|c| c.is_ascii_digit());
    let lines = lines_in(host, header_line_end..f.span.end);
    let indent = if explicit {
        f.start_col
    } else {
        lines
            .iter()
            .find(|(_, l)| !l.trim().is_empty())
            .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())
            .unwrap_or(f.start_col)
    };
    // The block's own lines: up to the last line with content.
    let Some(last_content) = lines.iter().rposition(|(_, l)| {
        !l.trim().is_empty() && l.len() - l.trim_start_matches(' ').len() >= indent
    }) else {
        // An empty block: only line breaks, if anything (all at the header's end).
        if !f.value.chars().all(|c| c == '\n') {
            return None;
        }
        let header_line = host[..header_at].rfind('\n').map_or(0, |i| i + 1);
        let header_indent = host[header_line..]
            .chars()
            .take_while(|&c| c == ' ' || c == '-')
            .count();
        let mut map = vec![header_line_end; f.value.len()];
        map.push(header_line_end);
        return Some(Region::new(
            f.value.clone(),
            map,
            header_at..header_line_end,
            Encoding::YamlBlock {
                indent: header_indent + 2,
                header_comment,
            },
        ));
    };
    let content_end = {
        let (s, l) = lines[last_content];
        let after = s + l.len();
        if host[after..].starts_with("\r\n") {
            after + 2
        } else if host[after..].starts_with('\n') {
            after + 1
        } else {
            after
        }
    };
    let folded = f.style == ScalarStyle::Folded;
    let mut out = Out::default();
    let mut pending: Vec<usize> = Vec::new(); // positions of empty lines since the last text
    let mut prev: Option<(bool, usize)> = None; // (more indented, its line break)
    for &(start, line) in &lines[..=last_content] {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() && spaces <= indent {
            pending.push(start + line.len());
            continue;
        }
        if spaces < indent {
            return None;
        }
        let content = &line[indent..];
        let more = content.starts_with([' ', '\t']);
        if let Some((prev_more, prev_break)) = prev {
            if folded && !prev_more && !more {
                if pending.is_empty() {
                    out.push(' ', prev_break);
                }
            } else {
                out.push('\n', prev_break);
            }
        }
        for &p in &pending {
            out.push('\n', p);
        }
        pending.clear();
        out.push_str_at(content, start + indent);
        prev = Some((more, start + line.len()));
    }
    let last_break = prev.map_or(content_end, |p| p.1);
    // Chomping: the parser's value says how many final line breaks there are.
    let trailing = f.value.len() - f.value.trim_end_matches('\n').len();
    let mut breaks = std::iter::once(last_break).chain(pending.iter().copied());
    for _ in 0..trailing {
        out.push('\n', breaks.next().unwrap_or(content_end));
    }
    out.map.push(content_end);
    Some(Region::new(
        out.text,
        out.map,
        header_at..content_end,
        Encoding::YamlBlock {
            indent,
            header_comment,
        },
    ))
}

/// Whether `text` reads back as the same string when written as a plain YAML scalar.
fn plain_safe(text: &str) -> bool {
    const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.contains(|c: char| ",[]{}".contains(c) || !is_printable(c) || c == '\t')
        && !RESERVED.iter().any(|r| text.eq_ignore_ascii_case(r))
}

/// Printable in YAML without escapes (and not a line break of any kind).
fn is_printable(c: char) -> bool {
    !(c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// A one-line YAML scalar for `text`: plain when that reads back the same, else single-quoted,
/// else double-quoted with escapes.
pub(crate) fn encode_flow(text: &str) -> Result<String, String> {
    if text.contains('\n') {
        return Err("the query does not fit on one line in this YAML scalar".into());
    }
    if plain_safe(text) {
        return Ok(text.to_string());
    }
    if text.chars().all(|c| is_printable(c) && c != '\t') && text.trim() == text {
        return Ok(format!("'{}'", text.replace('\'', "''")));
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !is_printable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// A literal block scalar (header and indented lines) for `text`.
pub(crate) fn encode_block(
    text: &str,
    indent: usize,
    header_comment: &str,
    eol: LineEnding,
) -> Result<String, String> {
    if text.starts_with([' ', '\t']) {
        return Err("the query starts with whitespace, which a YAML block cannot hold without an indentation indicator".into());
    }
    if text.contains(|c: char| !is_printable(c) && c != '\n' && c != '\t') {
        return Err("the query has characters a YAML literal block cannot hold".into());
    }
    if text.lines().any(|l| !l.is_empty() && l.trim().is_empty()) {
        return Err("the query has a line of only whitespace".into());
    }
    let trailing = text.len() - text.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let body = indent_lines(text, indent, true);
    Ok(eol.apply(&format!("|{chomp}{header_comment}\n{body}")))
}

/// The parser's events of a YAML text, without positions, each query value replaced by
/// `None`; and the query values. Two texts are the same document with other queries when
/// their skeletons are equal.
fn skeleton(host: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let (found, unmapped) = query_scalars(host);
    if let Some(u) = unmapped.iter().find(|u| u.reason.starts_with("not valid")) {
        return Err(u.reason.clone());
    }
    let query_events: std::collections::HashSet<usize> = found.iter().map(|f| f.event).collect();
    let mut events = Vec::new();
    for (index, event) in Parser::new_from_str(host).enumerate() {
        let (event, _) = event.map_err(|e| e.info().to_string())?;
        events.push(match event {
            Event::Scalar(_, _, anchor, tag) if query_events.contains(&index) => {
                format!("query {anchor} {tag:?}")
            }
            other => format!("{other:?}"),
        });
    }
    Ok((events, found.into_iter().map(|f| f.value).collect()))
}

/// Checks that `new` is `old` with the query values of some slots replaced (`edits`), as
/// the YAML parser reads both.
pub(crate) fn verify(old: &str, new: &str, edits: &[(usize, String)]) -> Result<(), String> {
    let (old_events, mut intended) = skeleton(old)?;
    for (slot, text) in edits {
        *intended.get_mut(*slot).ok_or("a query slot is missing")? = text.clone();
    }
    let (new_events, values) =
        skeleton(new).map_err(|e| format!("the edited file is not valid YAML: {e}"))?;
    if old_events != new_events {
        return Err("the edited file's YAML structure differs from the original".into());
    }
    if values != intended {
        return Err("the edited file does not read back as the intended queries".into());
    }
    // The extractor must map each edited query again (positions for the next run).
    let ours = extract(new);
    for (slot, text) in edits {
        if !ours
            .regions
            .iter()
            .any(|r| r.slot == *slot && &r.text == text)
        {
            return Err("the edited query cannot be mapped back to the file exactly".into());
        }
    }
    Ok(())
}
