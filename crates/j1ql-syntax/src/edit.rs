//! Text edits: what fixes, code actions and the formatter return, and how to apply them.
//! One type for every crate (semantics, formatter, linter, language server).

use rowan::TextRange;
use serde::ser::SerializeStruct;

/// A replacement of a range of a document (byte offsets) by new text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// What to replace.
    pub range: TextRange,
    /// The new text.
    pub new_text: String,
}

impl serde::Serialize for TextEdit {
    /// `{"range": {"start", "end"}, "new_text"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Range(TextRange);
        impl serde::Serialize for Range {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Range", 2)?;
                st.serialize_field("start", &u32::from(self.0.start()))?;
                st.serialize_field("end", &u32::from(self.0.end()))?;
                st.end()
            }
        }
        let mut st = s.serialize_struct("TextEdit", 2)?;
        st.serialize_field("range", &Range(self.range))?;
        st.serialize_field("new_text", &self.new_text)?;
        st.end()
    }
}

/// Applies non-overlapping edits (in any order) to `text`; an edit that overlaps an earlier
/// one, or reaches past the end of the text, is skipped.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut edits: Vec<&TextEdit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for edit in edits {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        if start < pos || end > text.len() {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(&edit.new_text);
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, text: &str) -> TextEdit {
        TextEdit {
            range: TextRange::new(start.into(), end.into()),
            new_text: text.to_string(),
        }
    }

    #[test]
    fn applies_in_any_order_and_skips_overlaps() {
        let edits = [edit(5, 8, "User"), edit(0, 4, "FIND"), edit(6, 7, "x")];
        assert_eq!(apply_edits("find Usr", &edits[..2]), "FIND User");
        assert_eq!(apply_edits("find Usr", &edits), "FIND User");
        assert_eq!(apply_edits("abc", &[edit(1, 9, "z")]), "abc");
    }

    #[test]
    fn serialises_range_as_offsets() {
        let json = serde_json::to_string(&edit(1, 2, "y")).unwrap();
        assert_eq!(json, r#"{"range":{"start":1,"end":2},"new_text":"y"}"#);
    }
}
