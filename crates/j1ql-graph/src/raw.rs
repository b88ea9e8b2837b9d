//! A borrowed JSON tree: strings without escapes point into the file's bytes, so parsing a
//! payload allocates little more than the item vectors.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use hashbrown::HashTable;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::intern::hash_str;

/// A string of the tree with its [`hash_str`], computed when the file is parsed (on a reading
/// thread), so that the thread building the graph interns it without hashing it again; and its
/// number among the file's distinct strings ([`number_strings`]), so that the building thread
/// interns each distinct string of a file once and finds repeats in a small per-file table.
#[derive(Debug, Clone)]
pub(crate) struct RStr<'a> {
    text: Cow<'a, str>,
    pub(crate) hash: u64,
    /// The string's number in its file ([`NO_LOCAL`] until [`number_strings`] ran).
    local: Cell<u32>,
}

/// [`RStr::local`] of a string that was not numbered.
pub(crate) const NO_LOCAL: u32 = u32::MAX;

impl<'a> RStr<'a> {
    pub(crate) fn new(text: Cow<'a, str>) -> RStr<'a> {
        let hash = hash_str(&text);
        RStr {
            text,
            hash,
            local: Cell::new(NO_LOCAL),
        }
    }

    /// The string's number among its file's distinct strings, or [`NO_LOCAL`].
    #[inline]
    pub(crate) fn local(&self) -> u32 {
        self.local.get()
    }
}

/// Numbers the distinct strings of `docs` (values and field names) from 0, equal strings
/// alike, and returns their hashes by number (in order of first occurrence). Run on the reading thread right after parsing: the
/// table is the file's own (small, cache-resident), so the thread building the graph probes the
/// big string table once per distinct string of a file instead of once per occurrence (a
/// relationship's endpoint keys repeat the `_key`s of the file's entities).
pub(crate) fn number_strings(docs: &[(usize, Raw<'_>)]) -> Vec<u64> {
    let mut numbering = Numbering::default();
    let mut stack: Vec<&Raw<'_>> = docs.iter().map(|(_, d)| d).rev().collect();
    while let Some(raw) = stack.pop() {
        match raw {
            Raw::Str(s) => numbering.number(s),
            Raw::Arr(items) => stack.extend(items.iter().rev()),
            Raw::Obj(fields) => {
                for (k, _) in fields {
                    numbering.number(k);
                }
                stack.extend(fields.iter().rev().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    numbering.hashes
}

/// The distinct strings of one file seen so far, with a table over them.
#[derive(Default)]
struct Numbering<'t> {
    texts: Vec<&'t str>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

impl<'t> Numbering<'t> {
    fn number(&mut self, s: &'t RStr<'_>) {
        let text: &'t str = &s.text;
        let texts = &self.texts;
        let i = match self.table.find(s.hash, |&i| texts[i as usize] == text) {
            Some(&i) => i,
            None => {
                let i = self.texts.len() as u32;
                let hashes = &self.hashes;
                self.table.insert_unique(s.hash, i, |&j| hashes[j as usize]);
                self.texts.push(text);
                self.hashes.push(s.hash);
                i
            }
        };
        s.local.set(i);
    }
}

impl std::ops::Deref for RStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for RStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PartialEq<str> for RStr<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.text == *other
    }
}

impl PartialEq<&str> for RStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.text == **other
    }
}

/// A JSON value whose strings borrow from the input when they can.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(RStr<'a>),
    Arr(Vec<Raw<'a>>),
    Obj(Vec<(RStr<'a>, Raw<'a>)>),
}

impl<'a> Raw<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Raw<'a>> {
        match self {
            Raw::Obj(fields) => fields.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Raw::Null => "null",
            Raw::Bool(_) => "a boolean",
            Raw::Num(_) => "a number",
            Raw::Str(_) => "a string",
            Raw::Arr(_) => "an array",
            Raw::Obj(_) => "an object",
        }
    }

    /// Back to JSON (for mapping rules, which are small).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Raw::Null => serde_json::Value::Null,
            Raw::Bool(b) => serde_json::Value::Bool(*b),
            Raw::Num(n) => crate::value::number_to_json(*n),
            Raw::Str(s) => serde_json::Value::String(s.to_string()),
            Raw::Arr(a) => serde_json::Value::Array(a.iter().map(Raw::to_json).collect()),
            Raw::Obj(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    pub(crate) fn from_json(value: &serde_json::Value) -> Raw<'static> {
        match value {
            serde_json::Value::Null => Raw::Null,
            serde_json::Value::Bool(b) => Raw::Bool(*b),
            serde_json::Value::Number(n) => Raw::Num(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Raw::Str(RStr::new(Cow::Owned(s.clone()))),
            serde_json::Value::Array(a) => Raw::Arr(a.iter().map(Raw::from_json).collect()),
            serde_json::Value::Object(m) => Raw::Obj(
                m.iter()
                    .map(|(k, v)| (RStr::new(Cow::Owned(k.clone())), Raw::from_json(v)))
                    .collect(),
            ),
        }
    }
}

struct CowStr<'a>(RStr<'a>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(RStr::new(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(RStr::new(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(RStr::new(Cow::Owned(v))))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Raw::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if v.unsigned_abs() > MAX_EXACT_INTEGER {
                    return Err(E::custom(inexact_integer(v)));
                }
                Ok(Raw::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                if v > MAX_EXACT_INTEGER {
                    return Err(E::custom(inexact_integer(v)));
                }
                Ok(Raw::Num(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Raw::Num(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Raw::Str(RStr::new(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Raw::Str(RStr::new(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Raw::Str(RStr::new(Cow::Owned(v))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Arr(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
                while let Some(CowStr(key)) = map.next_key()? {
                    // A repeated key would silently keep one of the values (a second
                    // `"entities"` array dropping the first): an error instead. The hashes
                    // make the check cheap for the usual small objects.
                    if fields
                        .iter()
                        .any(|(k, _): &(RStr<'_>, Raw<'_>)| k.hash == key.hash && **k == *key)
                    {
                        return Err(de::Error::custom(format_args!(
                            "duplicate key `{}` in an object",
                            &*key
                        )));
                    }
                    let value = map.next_value()?;
                    fields.push((key, value));
                }
                Ok(Raw::Obj(fields))
            }
        }
        d.deserialize_any(V)
    }
}

/// The largest integer a JSON number keeps exactly (2^53): beyond it two different ids could
/// become the same number, so the loader refuses them (quote such an id as a string).
pub(crate) const MAX_EXACT_INTEGER: u64 = 1 << 53;

fn inexact_integer(v: impl std::fmt::Display) -> String {
    format!("the integer {v} is larger than 2^53 and cannot be kept exactly; write it as a string")
}

/// Parses one JSON document (the whole of `bytes`).
///
/// Valid UTF-8 (checked once, in bulk) is parsed as `&str`, so that serde_json does not check
/// every string again (that was ~12 % of the instructions of a load); anything else goes through
/// `from_slice`, which reports the bad bytes with their line and column.
pub(crate) fn parse(bytes: &[u8]) -> Result<Raw<'_>, serde_json::Error> {
    // A UTF-8 byte order mark (some editors write one) is not JSON; skip it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_non_utf8_input_parse_alike() {
        let text = b"{\"a\": [\"x\\u00e9\", \"\xc3\xa9\", 1.5, null]}";
        let doc = parse(text).unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"a": ["x\u{e9}", "\u{e9}", 1.5, null]})
        );
        // Bad bytes inside a string: the error still says where.
        let err = parse(b"{\n\"a\": \"\xff\"}").unwrap_err();
        assert_eq!((err.line(), err.column()), (2, 7));
    }

    #[test]
    fn strings_carry_their_hash() {
        let doc = parse(b"{\"k\\u00e9\": \"v\", \"n\": [\"w\"]}").unwrap();
        let Raw::Obj(fields) = &doc else {
            panic!("not an object: {doc:?}")
        };
        assert_eq!(&*fields[0].0, "k\u{e9}");
        assert_eq!(fields[0].0.hash, hash_str("k\u{e9}"));
        let Raw::Str(v) = &fields[0].1 else {
            panic!("not a string: {:?}", fields[0].1)
        };
        assert_eq!(v.hash, hash_str("v"));
        let Some(Raw::Arr(items)) = doc.get("n") else {
            panic!("no array")
        };
        let Raw::Str(w) = &items[0] else {
            panic!("not a string")
        };
        assert_eq!((&**w, w.hash), ("w", hash_str("w")));
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        let err = parse(br#"{"entities": [1], "entities": [2]}"#).unwrap_err();
        assert!(
            err.to_string().contains("duplicate key `entities`"),
            "{err}"
        );
        assert!(parse(br#"{"a": {"x": 1}, "b": {"x": 2}}"#).is_ok());
    }

    #[test]
    fn integers_beyond_2_pow_53_are_an_error() {
        assert!(parse(b"[9007199254740992, -9007199254740992, 1.5e300]").is_ok());
        for text in [
            "[9007199254740993]",
            "[-9007199254740993]",
            "[18446744073709551615]",
        ] {
            let err = parse(text.as_bytes()).unwrap_err();
            assert!(
                err.to_string().contains("larger than 2^53"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let doc = parse(b"\xEF\xBB\xBF{\"a\": 1}").unwrap();
        assert_eq!(doc.to_json(), serde_json::json!({"a": 1}));
    }
}
