//! Finding the items of a bulk-upload file without parsing them: a string-aware scan of the
//! top-level object that records where each element of its `entities` and `relationships`
//! arrays starts and ends, so that the elements can be parsed in parallel (see
//! `docs/loading.md`, "One big file").
//!
//! The scan only accepts what it is sure of: one object with distinct keys, the item arrays
//! well formed between their elements, nesting no deeper than [`MAX_DEPTH`]. Anything else
//! (a top-level array, a missing comma, trailing bytes...) gives `None`, and the file is loaded
//! whole, which reports the problem exactly as before.

use std::ops::Range;

/// Nesting the scan accepts inside an item. serde_json refuses more than 128 levels in a whole
/// document; an item parsed alone would have two levels more of room, so deeply nested files go
/// the whole-file way and get the whole-file answer.
pub(crate) const MAX_DEPTH: usize = 100;

/// Which array an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    Entities,
    Relationships,
}

impl List {
    /// The payload key.
    pub(crate) fn key(self) -> &'static str {
        match self {
            List::Entities => "entities",
            List::Relationships => "relationships",
        }
    }
}

/// A top-level key of the object with the byte span of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The key, unescaped.
    pub(crate) key: String,
    /// Where the key's opening quote is.
    pub(crate) key_at: usize,
    /// The value's bytes (for the item arrays: the whole array).
    pub(crate) value: Range<usize>,
    /// The array's item spans, when the field is `entities` or `relationships` and an array.
    pub(crate) items: Option<(List, Vec<Range<usize>>)>,
}

/// The top-level object of a bulk-upload file, field by field in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) fields: Vec<Field>,
}

impl Layout {
    /// The item spans of `list` (empty when the file has no such array).
    pub(crate) fn items(&self, list: List) -> &[Range<usize>] {
        self.fields
            .iter()
            .find_map(|f| match &f.items {
                Some((l, items)) if *l == list => Some(items.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
}

/// Scans `bytes` (a whole file). `None`: not a shape the scan splits (see the module doc).
pub(crate) fn scan(bytes: &[u8]) -> Option<Layout> {
    let mut s = Scanner { b: bytes, i: 0 };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        s.i = 3;
    }
    s.ws();
    s.eat(b'{')?;
    s.ws();
    let mut fields: Vec<Field> = Vec::new();
    if s.peek()? != b'}' {
        loop {
            let key_at = s.i;
            let key_span = s.string()?;
            let key: String = serde_json::from_slice(&bytes[key_span]).ok()?;
            if fields.iter().any(|f| f.key == key) {
                return None;
            }
            s.ws();
            s.eat(b':')?;
            s.ws();
            let start = s.i;
            let list = match key.as_str() {
                "entities" => Some(List::Entities),
                "relationships" => Some(List::Relationships),
                _ => None,
            };
            let items = match list {
                Some(list) if s.peek()? == b'[' => Some((list, s.items()?)),
                _ => {
                    s.value()?;
                    None
                }
            };
            fields.push(Field {
                key,
                key_at,
                value: start..s.i,
                items,
            });
            s.ws();
            match s.next()? {
                b',' => s.ws(),
                b'}' => break,
                _ => return None,
            }
        }
    } else {
        s.i += 1;
    }
    s.ws();
    if s.i != bytes.len() || !fields.iter().any(|f| f.items.is_some()) {
        return None;
    }
    Some(Layout { fields })
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// A string starting at the cursor; the span includes the quotes.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        self.eat(b'"')?;
        loop {
            let at = memchr::memchr2(b'"', b'\\', &self.b[self.i..])?;
            self.i += at + 1;
            if self.b[self.i - 1] == b'"' {
                return Some(start..self.i);
            }
            // An escape: the next byte is escaped (a quote or a backslash among them).
            self.i += 1;
        }
    }

    /// Skips one value: a string, a scalar, or a nested object / array (brackets counted
    /// outside strings; whether they match is left to the parser).
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return None;
                            }
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }

    /// The elements of the array at the cursor.
    fn items(&mut self) -> Option<Vec<Range<usize>>> {
        self.eat(b'[')?;
        self.ws();
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(items);
        }
        loop {
            let start = self.i;
            self.value()?;
            items.push(start..self.i);
            self.ws();
            match self.next()? {
                b',' => self.ws(),
                b']' => return Some(items),
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(bytes: &'a [u8], layout: &Layout, list: List) -> Vec<&'a str> {
        layout
            .items(list)
            .iter()
            .map(|r| std::str::from_utf8(&bytes[r.clone()]).unwrap())
            .collect()
    }

    #[test]
    fn items_are_found_whatever_their_strings_hold() {
        let text = br#"{"source": "s", "entities": [ {"_key": "a,}]", "x": "\"{"} , {"k": "\\"},
            "plain", 12, [1, {"a": "]"}] ], "relationships": [], "scope": {"z": [1]}}"#;
        let layout = scan(text).expect("a bulk-upload object");
        assert_eq!(
            texts(text, &layout, List::Entities),
            [
                r#"{"_key": "a,}]", "x": "\"{"}"#,
                r#"{"k": "\\"}"#,
                r#""plain""#,
                "12",
                r#"[1, {"a": "]"}]"#
            ]
        );
        assert!(layout.items(List::Relationships).is_empty());
        let keys: Vec<&str> = layout.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["source", "entities", "relationships", "scope"]);
        assert_eq!(&text[layout.fields[3].value.clone()], br#"{"z": [1]}"#);
    }

    #[test]
    fn shapes_the_scan_does_not_split_go_whole() {
        for text in [
            "[]",
            "{}",
            r#"{"source": "s"}"#,
            r#"{"entities": [{"a": 1} {"b": 2}]}"#,
            r#"{"entities": [{"a": 1},]}"#,
            r#"{"entities": [{"a": 1}]} x"#,
            r#"{"entities": [], "entities": []}"#,
            r#"{"entities": [{"a": "unterminated}]}"#,
            r#"{"entities": ["#,
        ] {
            assert_eq!(scan(text.as_bytes()), None, "{text}");
        }
        let deep = format!(
            r#"{{"entities": [{}{}]}}"#,
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(scan(deep.as_bytes()), None);
    }

    #[test]
    fn a_byte_order_mark_and_escaped_keys_are_read() {
        let text = b"\xEF\xBB\xBF{\"ent\\u0069ties\": [1]}";
        let layout = scan(text).expect("scanned");
        assert_eq!(layout.items(List::Entities).len(), 1);
    }
}
