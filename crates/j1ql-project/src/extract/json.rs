//! J1QL in JSON: every string value of a `"query"` key (alert rule packs, dashboards,
//! question exports), with each decoded byte mapped to the host.

use crate::region::{Encoding, Extraction, Region, Unmapped};

/// Decodes a JSON string literal at the start of `s`. Returns the text, a map of each decoded
/// byte (and the closing quote) to its offset in `s`, and the length of the literal.
pub(crate) fn decode_string(s: &str) -> Option<(String, Vec<usize>, usize)> {
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
                        let code = u32::from_str_radix(s.get(i + 2..i + 6)?, 16).ok()?;
                        if (0xD800..0xDC00).contains(&code) {
                            if s.get(i + 6..i + 8)? != "\\u" {
                                return None;
                            }
                            let low = u32::from_str_radix(s.get(i + 8..i + 12)?, 16).ok()?;
                            if !(0xDC00..0xE000).contains(&low) {
                                return None;
                            }
                            let c =
                                char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))?;
                            (c, 12)
                        } else {
                            (char::from_u32(code)?, 6)
                        }
                    }
                    _ => return None,
                };
                map.extend(std::iter::repeat_n(i, decoded.len_utf8()));
                text.push(decoded);
                i += len;
            }
            c if (c as u32) < 0x20 => return None,
            c => {
                map.extend((0..c.len_utf8()).map(|k| i + k));
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    None
}

/// A JSON string literal for `text`.
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
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every `"query"` string of a JSON host. A file that is not valid JSON is reported (with
/// the parser's position) and not read further.
pub(crate) fn extract(host: &str) -> Extraction {
    let mut out = Extraction::default();
    let (bom, body) = without_bom(host);
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
        if !host.contains("\"query\"") {
            // Not ours (a `tsconfig.json` with comments): nothing to check.
            return out;
        }
        let at = bom + offset_of(body, e.line(), e.column());
        out.unmapped.push(Unmapped {
            range: at..at,
            reason: format!("not valid JSON, its queries are not read: {e}"),
        });
        return out;
    }
    let bytes = host.as_bytes();
    let mut i = 0;
    let mut last_key: Option<String> = None;
    let mut slot = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let Some((text, map, len)) = decode_string(&host[i..]) else {
                    out.unmapped.push(Unmapped {
                        range: i..i,
                        reason: "a JSON string here cannot be decoded exactly".into(),
                    });
                    return out;
                };
                let start = i;
                i += len;
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b':') {
                    i = j + 1;
                    let mut k = i;
                    while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                        k += 1;
                    }
                    if text == "query" && bytes.get(k) != Some(&b'"') {
                        out.unmapped.push(Unmapped {
                            range: k..k,
                            reason: "the value of `query` is not a string".into(),
                        });
                    }
                    last_key = Some(text);
                } else {
                    if last_key.as_deref() == Some("query") {
                        let mut region = Region::new(
                            text,
                            map.into_iter().map(|o| start + o).collect(),
                            start..start + len,
                            Encoding::JsonString,
                        );
                        region.slot = slot;
                        slot += 1;
                        out.regions.push(region);
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

/// The length of a leading UTF-8 byte order mark (0 or 3) and the text after it: the mark is
/// not JSON, and serde_json refuses it, so it is skipped (offsets stay the file's).
fn without_bom(text: &str) -> (usize, &str) {
    match text.strip_prefix(j1ql_syntax::lexer::BYTE_ORDER_MARK) {
        Some(rest) => (text.len() - rest.len(), rest),
        None => (0, text),
    }
}

/// The byte offset of a 1-based line and column (as serde_json reports them).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut at = start;
    for (n, (i, _)) in text[start..].char_indices().enumerate() {
        at = start + i;
        if n + 1 >= column {
            break;
        }
    }
    at.min(text.len())
}

/// Compares two JSON values: equal except strings under `query` keys, which are collected.
fn same_except_queries(a: &serde_json::Value, b: &serde_json::Value, key: Option<&str>) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::String(_), Value::String(_)) if key == Some("query") => true,
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k)
                        .is_some_and(|w| same_except_queries(v, w, Some(k.as_str())))
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(v, w)| same_except_queries(v, w, None))
        }
        _ => a == b,
    }
}

/// Checks that `new` is `old` with the query strings of some slots replaced: serde_json reads
/// both as the same document except those strings, and they read back as intended.
pub(crate) fn verify(old: &str, new: &str, edits: &[(usize, String)]) -> Result<(), String> {
    let a: serde_json::Value =
        serde_json::from_str(without_bom(old).1).map_err(|e| e.to_string())?;
    let b: serde_json::Value = serde_json::from_str(without_bom(new).1)
        .map_err(|e| format!("the edited file is not valid JSON: {e}"))?;
    if !same_except_queries(&a, &b, None) {
        return Err("the edited file's JSON differs from the original outside the queries".into());
    }
    let mut intended: Vec<String> = extract(old).regions.into_iter().map(|r| r.text).collect();
    for (slot, text) in edits {
        *intended.get_mut(*slot).ok_or("a query slot is missing")? = text.clone();
    }
    let got: Vec<String> = extract(new).regions.into_iter().map(|r| r.text).collect();
    // The same strings as serde_json reads them.
    let mut read = Vec::new();
    collect_queries(&b, None, &mut read);
    let mut sorted_got = got.clone();
    sorted_got.sort();
    read.sort();
    if got != intended || sorted_got != read {
        return Err("the edited file does not read back as the intended queries".into());
    }
    Ok(())
}

fn collect_queries(v: &serde_json::Value, key: Option<&str>, out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::String(s) if key == Some("query") => out.push(s.clone()),
        Value::Object(m) => m.iter().for_each(|(k, v)| collect_queries(v, Some(k), out)),
        Value::Array(items) => items.iter().for_each(|v| collect_queries(v, None, out)),
        _ => {}
    }
}
