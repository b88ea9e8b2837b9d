//! J1QL embedded in other files: the `query:` fields of YAML question files (JupiterOne's
//! managed questions), the `"query"` strings of JSON files (alert rule packs, dashboards), and
//! Markdown ```` ```j1ql ```` fences.
//!
//! Each query becomes a [`Region`]: its decoded text (what J1QL sees), a map from every byte
//! of that text back to the host file (so positions are reported in the host), and how to
//! write new text back in the host's own syntax (indentation of a YAML block scalar or a
//! Markdown fence, quoting and escapes of a YAML or JSON string). Values the extractor cannot
//! map exactly (YAML folded `>` scalars, multi-line plain or quoted YAML scalars, JSON
//! strings with unusual escapes) are skipped rather than guessed at.

use std::path::Path;

/// What kind of file holds the queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// A J1QL document: the whole file is one region.
    J1ql,
    /// YAML: every `query:` value.
    Yaml,
    /// JSON: every `"query"` string value.
    Json,
    /// Markdown: every ```` ```j1ql ```` fence.
    Markdown,
}

impl HostKind {
    /// By file extension; anything unknown is J1QL.
    pub fn of(path: &str) -> HostKind {
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("yaml" | "yml") => HostKind::Yaml,
            Some("json") => HostKind::Json,
            Some("md" | "markdown") => HostKind::Markdown,
            _ => HostKind::J1ql,
        }
    }
}

/// How a region is written in its host.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Encoding {
    /// As is.
    Raw,
    /// Each line indented by this many spaces (YAML block scalar, Markdown fence).
    Indented(usize),
    /// A YAML single-line scalar: plain when that is safe, else single-quoted.
    YamlInline,
    /// A JSON string.
    JsonString,
}

/// One embedded query text.
#[derive(Debug, Clone)]
pub struct Region {
    /// The decoded J1QL text.
    pub text: String,
    /// For each byte of `text` (and one past the end), its offset in the host.
    map: Vec<usize>,
    /// The host bytes the region's encoded form occupies.
    pub host_start: usize,
    pub host_end: usize,
    encoding: Encoding,
}

impl Region {
    /// The host offset of a byte offset of [`Region::text`].
    pub fn host_offset(&self, offset: usize) -> usize {
        self.map[offset.min(self.map.len() - 1)]
    }

    /// Whether the host keeps the query on one line (format it compactly).
    pub fn single_line(&self) -> bool {
        match self.encoding {
            Encoding::YamlInline => true,
            Encoding::JsonString => !self.text.contains('\n'),
            _ => false,
        }
    }

    /// Adjusts formatter output to what the region held: no final line break where there was
    /// none (except in a J1QL file, which always ends with one).
    pub fn fit(&self, mut formatted: String) -> String {
        if self.encoding != Encoding::Raw && !self.text.ends_with('\n') {
            while formatted.ends_with('\n') {
                formatted.pop();
            }
        }
        formatted
    }

    /// The host text for new J1QL text, or `None` when it cannot be written in this host
    /// (a line break in a one-line YAML scalar).
    pub fn encode(&self, text: &str) -> Option<String> {
        match &self.encoding {
            Encoding::Raw => Some(text.to_string()),
            Encoding::Indented(n) => {
                let pad = " ".repeat(*n);
                let mut out = String::new();
                for line in text.split_inclusive('\n') {
                    if line.trim().is_empty() {
                        out.push_str(if line.ends_with('\n') { "\n" } else { "" });
                    } else {
                        out.push_str(&pad);
                        out.push_str(line);
                    }
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                Some(out)
            }
            Encoding::YamlInline => {
                if text.contains('\n') {
                    return None;
                }
                let plain_safe = !text.is_empty()
                    && !text.contains(": ")
                    && !text.contains(" #")
                    && !text.ends_with(':')
                    && !text.starts_with(|c: char| "'\"{[&*!|>%@#-?:,]}`".contains(c))
                    && text.trim() == text;
                Some(if plain_safe {
                    text.to_string()
                } else {
                    format!("'{}'", text.replace('\'', "''"))
                })
            }
            Encoding::JsonString => Some(json_quote(text)),
        }
    }
}

/// Every region of a host file.
pub fn extract(kind: HostKind, host: &str) -> Vec<Region> {
    match kind {
        HostKind::J1ql => vec![Region {
            text: host.to_string(),
            map: (0..=host.len()).collect(),
            host_start: 0,
            host_end: host.len(),
            encoding: Encoding::Raw,
        }],
        HostKind::Markdown => markdown(host),
        HostKind::Yaml => yaml(host),
        HostKind::Json => json(host),
    }
}

/// Lines with their start offsets (each line includes its `\n`).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        out.push((pos, line));
        pos += line.len();
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Builds a region from whole host lines, removing `indent` leading spaces from each.
fn indented_region(lines: &[(usize, &str)], indent: usize, end: usize) -> Region {
    let mut text = String::new();
    let mut map = Vec::new();
    for &(start, line) in lines {
        let strip = indent_of(line).min(indent);
        map.extend((strip..line.len()).map(|i| start + i));
        text.push_str(&line[strip..]);
    }
    map.push(end);
    Region {
        text,
        map,
        host_start: lines.first().map_or(end, |l| l.0),
        host_end: end,
        encoding: Encoding::Indented(indent),
    }
}

fn markdown(host: &str) -> Vec<Region> {
    let lines = lines(host);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].1;
        let indent = indent_of(line);
        let rest = line[indent..].trim_end();
        let fence = if rest.starts_with("```") {
            '`'
        } else if rest.starts_with("~~~") {
            '~'
        } else {
            i += 1;
            continue;
        };
        let fence_len = rest.chars().take_while(|&c| c == fence).count();
        let info = rest[fence_len..].trim();
        let is_j1ql = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("j1ql"));
        // Find the closing fence.
        let mut j = i + 1;
        while j < lines.len() {
            let l = lines[j].1;
            let t = l.trim();
            if t.len() >= fence_len && t.chars().all(|c| c == fence) {
                break;
            }
            j += 1;
        }
        if is_j1ql && j < lines.len() {
            let end = lines[j].0;
            out.push(indented_region(&lines[i + 1..j], indent, end));
        }
        i = j + 1;
    }
    out
}

fn yaml(host: &str) -> Vec<Region> {
    let lines = lines(host);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        let content = line.trim_end_matches(['\n', '\r']);
        let key_indent = indent_of(content);
        let mut rest = &content[key_indent..];
        let mut key_col = key_indent;
        if let Some(r) = rest.strip_prefix("- ") {
            let skipped = r.len() - r.trim_start().len();
            key_col += 2 + skipped;
            rest = r.trim_start();
        }
        let Some(value) = rest.strip_prefix("query:") else {
            continue;
        };
        let value_offset = start + key_col + "query:".len();
        let trimmed = value.trim_start();
        let value_start = value_offset + (value.len() - trimmed.len());
        let value = trimmed.trim_end();
        if value.starts_with('|') {
            let header = value.split('#').next().unwrap_or("").trim();
            if header.len() > 1 && header[1..].chars().any(|c| c.is_ascii_digit()) {
                continue; // explicit indentation indicators: not handled
            }
            // The block: following lines more indented than the key, or blank.
            let first = i;
            let mut last = i;
            let mut block_indent = None;
            while last < lines.len() {
                let l = lines[last].1;
                if l.trim().is_empty() {
                    last += 1;
                    continue;
                }
                let ind = indent_of(l);
                if ind <= key_indent {
                    break;
                }
                block_indent.get_or_insert(ind);
                last += 1;
            }
            // Trailing blank lines are not part of the value we rewrite.
            let mut end_line = last;
            while end_line > first && lines[end_line - 1].1.trim().is_empty() {
                end_line -= 1;
            }
            if let Some(indent) = block_indent {
                if end_line > first {
                    let end = lines[end_line - 1].0 + lines[end_line - 1].1.len();
                    let block = &lines[first..end_line];
                    if block
                        .iter()
                        .all(|(_, l)| l.trim().is_empty() || indent_of(l) >= indent)
                    {
                        let mut region = indented_region(block, indent, end);
                        if !region.text.ends_with('\n') {
                            region.text.push('\n');
                            region.map.push(end);
                        }
                        out.push(region);
                    }
                }
            }
            i = last;
        } else if value.starts_with('>') || value.is_empty() {
            continue;
        } else {
            // A one-line scalar; a continuation line makes it multi-line: skip those.
            let continued = lines.get(i).is_some_and(|(_, l)| {
                !l.trim().is_empty() && indent_of(l) > key_col && !l.trim_start().starts_with('#')
            });
            if continued {
                continue;
            }
            if let Some(region) = yaml_inline(value, value_start) {
                out.push(region);
            }
        }
    }
    out
}

fn yaml_inline(value: &str, start: usize) -> Option<Region> {
    let mut text = String::new();
    let mut map = Vec::new();
    let end;
    if let Some(inner) = value.strip_prefix('\'') {
        let mut chars = inner.char_indices().peekable();
        let mut close = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    text.push('\'');
                    map.push(start + 1 + i);
                    continue;
                }
                close = Some(i);
                break;
            }
            text.push(c);
            map.extend((0..c.len_utf8()).map(|k| start + 1 + i + k));
        }
        let close = close?;
        if !inner[close + 1..].trim().is_empty() && !inner[close + 1..].trim().starts_with('#') {
            return None;
        }
        end = start + 1 + close + 1;
    } else if value.starts_with('"') {
        let (decoded, dmap, len) = decode_json_like(value)?;
        text = decoded;
        map = dmap.into_iter().map(|o| start + o).collect();
        map.pop();
        end = start + len;
    } else {
        // Plain: up to a ` #` comment.
        let body = match value.find(" #") {
            Some(i) => value[..i].trim_end(),
            None => value,
        };
        text.push_str(body);
        map.extend((0..body.len()).map(|k| start + k));
        end = start + body.len();
    }
    map.push(end);
    Some(Region {
        text,
        map,
        host_start: start,
        host_end: end,
        encoding: Encoding::YamlInline,
    })
}

/// Decodes a double-quoted string at the start of `s` (JSON escapes). Returns the text, a map
/// of each decoded byte (and the end) to its offset in `s`, and the length of the literal.
fn decode_json_like(s: &str) -> Option<(String, Vec<usize>, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut text = String::new();
    let mut map = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        let c = s[i..].chars().next()?;
        match c {
            '"' => {
                map.push(i);
                return Some((text, map, i + 1));
            }
            '\\' => {
                let e = *bytes.get(i + 1)?;
                let (decoded, len) = match e {
                    b'"' => ('"', 2),
                    b'\\' => ('\\', 2),
                    b'/' => ('/', 2),
                    b'n' => ('\n', 2),
                    b't' => ('\t', 2),
                    b'r' => ('\r', 2),
                    b'b' => ('\u{8}', 2),
                    b'f' => ('\u{c}', 2),
                    b'u' => {
                        let hex = s.get(i + 2..i + 6)?;
                        let code = u32::from_str_radix(hex, 16).ok()?;
                        if (0xD800..0xDC00).contains(&code) {
                            let low = s.get(i + 8..i + 12)?;
                            if s.get(i + 6..i + 8)? != "\\u" {
                                return None;
                            }
                            let low = u32::from_str_radix(low, 16).ok()?;
                            let c =
                                char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))?;
                            (c, 12)
                        } else {
                            (char::from_u32(code)?, 6)
                        }
                    }
                    _ => return None,
                };
                for _ in 0..decoded.len_utf8() {
                    map.push(i);
                }
                text.push(decoded);
                i += len;
            }
            c => {
                for k in 0..c.len_utf8() {
                    map.push(i + k);
                }
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    None
}

/// A JSON string literal for `text`.
fn json_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json(host: &str) -> Vec<Region> {
    let bytes = host.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_key: Option<String> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let Some((text, map, len)) = decode_json_like(&host[i..]) else {
                    return out;
                };
                let start = i;
                i += len;
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b':') {
                    last_key = Some(text);
                    i = j + 1;
                } else {
                    if last_key.as_deref() == Some("query") {
                        out.push(Region {
                            text,
                            map: map.into_iter().map(|o| start + o).collect(),
                            host_start: start,
                            host_end: start + len,
                            encoding: Encoding::JsonString,
                        });
                    }
                    last_key = None;
                }
            }
            b',' | b'{' | b'[' | b'}' | b']' => {
                last_key = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(kind: HostKind, host: &str) -> Vec<String> {
        extract(kind, host).into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn yaml_forms() {
        let host = "questions:\n  - id: a\n    queries:\n      - name: good\n        query: |\n          find User\n            that has Device\n\n        resultsAre: GOOD\n      - query: find Host with a = 'b'  # c\n      - query: 'find X with a = ''q'''\n      - query: \"find Y\\twith\"\n      - query: >\n          folded\n";
        let regions = extract(HostKind::Yaml, host);
        let t: Vec<_> = regions.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            t,
            [
                "find User\n  that has Device\n",
                "find Host with a = 'b'",
                "find X with a = 'q'",
                "find Y\twith"
            ]
        );
        // Positions map back into the host.
        let r = &regions[0];
        let at = r.text.find("that").unwrap();
        assert_eq!(&host[r.host_offset(at)..r.host_offset(at) + 4], "that");
        let r = &regions[2];
        let at = r.text.find("'q'").unwrap();
        assert_eq!(&host[r.host_offset(at)..r.host_offset(at) + 2], "''");
        // Encoding back.
        assert_eq!(
            regions[0].encode("FIND User\n  THAT HAS Device\n").unwrap(),
            "          FIND User\n            THAT HAS Device\n"
        );
        assert_eq!(
            regions[1].encode("FIND Host WITH a = 'b'").unwrap(),
            "FIND Host WITH a = 'b'"
        );
        assert_eq!(regions[1].encode("'x' ~= y").unwrap(), "'''x'' ~= y'");
        assert!(regions[1].encode("a\nb").is_none());
    }

    #[test]
    fn json_strings() {
        let host = r#"{"rules": [{"name": "q", "queries": [{"name": "query0", "query": "find User\nthat has \"x\"", "version": "v1"}]}], "query": 5}"#;
        let regions = extract(HostKind::Json, host);
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].text, "find User\nthat has \"x\"");
        let at = regions[0].text.find("that").unwrap();
        assert_eq!(&host[regions[0].host_offset(at)..][..4], "that");
        assert_eq!(regions[0].encode("A\n\"b\"").unwrap(), r#""A\n\"b\"""#);
        assert!(!regions[0].single_line());
    }

    #[test]
    fn markdown_fences() {
        let host = "# Title\n\n```j1ql\nfind User\n```\n\n```sql\nselect 1\n```\n\n- item\n  ```J1QL\n  find Host\n  ```\n";
        assert_eq!(
            texts(HostKind::Markdown, host),
            ["find User\n", "find Host\n"]
        );
        let regions = extract(HostKind::Markdown, host);
        assert_eq!(regions[1].encode("FIND Host\n").unwrap(), "  FIND Host\n");
    }

    #[test]
    fn kinds() {
        assert_eq!(HostKind::of("a/b.yml"), HostKind::Yaml);
        assert_eq!(HostKind::of("a/b.JSON"), HostKind::Json);
        assert_eq!(HostKind::of("README.md"), HostKind::Markdown);
        assert_eq!(HostKind::of("q.j1ql"), HostKind::J1ql);
        assert_eq!(HostKind::of("<stdin>"), HostKind::J1ql);
    }
}

/// `j1ql.toml` lookups, cached by folder.
#[derive(Default)]
pub struct Configs {
    cache: std::collections::HashMap<std::path::PathBuf, j1ql_config::Config>,
}

impl Configs {
    /// The configuration for a file (`<stdin>`: the current folder's).
    pub fn for_file(&mut self, name: &str) -> Result<j1ql_config::Config, String> {
        let dir = if name == crate::input::STDIN_NAME {
            std::path::PathBuf::from(".")
        } else {
            Path::new(name)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| std::path::PathBuf::from("."), Path::to_path_buf)
        };
        if let Some(config) = self.cache.get(&dir) {
            return Ok(config.clone());
        }
        let (config, _) = j1ql_config::Config::discover(&dir).map_err(|e| e.to_string())?;
        self.cache.insert(dir, config.clone());
        Ok(config)
    }
}
