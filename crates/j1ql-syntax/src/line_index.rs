//! Byte offsets to line/column positions, and back.
//!
//! Parse errors and tree ranges are byte offsets ([`TextSize`]). People read positions as a
//! line and a column counted in characters (`j1ql check` prints `file:3:14`), and the Language
//! Server Protocol counts columns in UTF-16 code units. A [`LineIndex`] is built once per text
//! and answers both in `O(log lines)`.
//!
//! Lines end at `\n`; a `\r` before it belongs to the line terminator, not to the line's
//! content ([`LineIndex::line_range`] leaves it out). Lines and columns here are **0-based**;
//! printing adds 1.
//!
//! ```
//! use j1ql_syntax::line_index::LineIndex;
//! use j1ql_syntax::TextSize;
//!
//! let text = "FIND User\nWITH name = 'Zoë' AND x";
//! let index = LineIndex::new(text);
//! let pos = index.line_col(TextSize::from(text.find("AND").unwrap() as u32));
//! assert_eq!((pos.line, pos.col_char, pos.col_utf16, pos.col_utf8), (1, 18, 18, 19));
//! ```

use rowan::{TextRange, TextSize};

/// A position in a text: a 0-based line and the 0-based column in three units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    /// 0-based line number.
    pub line: u32,
    /// Column in bytes (UTF-8 code units) from the start of the line.
    pub col_utf8: u32,
    /// Column in UTF-16 code units (what the Language Server Protocol uses).
    pub col_utf16: u32,
    /// Column in Unicode scalar values (characters): what people and `j1ql check` count.
    pub col_char: u32,
}

/// A non-ASCII character inside a line: where it is (bytes from the line start) and its sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WideChar {
    /// Start, in bytes from the start of the line.
    start: u32,
    /// Length in UTF-8 bytes (2 to 4).
    len_utf8: u8,
    /// Length in UTF-16 code units (1 or 2).
    len_utf16: u8,
}

/// Maps byte offsets of one text to lines and columns (and back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset at which each line starts; the first is always 0.
    line_starts: Vec<TextSize>,
    /// For each line holding non-ASCII characters: (line, its wide characters in order).
    /// Sorted by line; lines with only ASCII are absent, so ASCII text costs nothing here.
    wide_chars: Vec<(u32, Vec<WideChar>)>,
    /// Length of the text in bytes.
    len: TextSize,
    /// Whether each line ends with `\r\n` (indexed by line); empty when the text has no `\r`.
    crlf: Vec<bool>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![TextSize::from(0)];
        let mut wide_chars: Vec<(u32, Vec<WideChar>)> = Vec::new();
        let mut line = 0u32;
        let mut line_start = 0usize;
        let has_cr = text.contains('\r');
        let mut crlf = Vec::new();
        for (i, c) in text.char_indices() {
            if c == '\n' {
                if has_cr {
                    crlf.push(i > 0 && text.as_bytes()[i - 1] == b'\r');
                }
                line += 1;
                line_start = i + 1;
                line_starts.push(TextSize::from(line_start as u32));
            } else if !c.is_ascii() {
                let wide = WideChar {
                    start: (i - line_start) as u32,
                    len_utf8: c.len_utf8() as u8,
                    len_utf16: c.len_utf16() as u8,
                };
                match wide_chars.last_mut() {
                    Some((l, chars)) if *l == line => chars.push(wide),
                    _ => wide_chars.push((line, vec![wide])),
                }
            }
        }
        if has_cr {
            crlf.push(false);
        }
        LineIndex {
            line_starts,
            wide_chars,
            len: TextSize::from(text.len() as u32),
            crlf,
        }
    }

    /// The length of the indexed text, in bytes.
    pub fn len(&self) -> TextSize {
        self.len
    }

    /// Whether the indexed text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == TextSize::from(0)
    }

    /// The number of lines (a text ending with `\n` has an empty last line; an empty text has one).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The line and columns of a byte `offset`. An offset past the end is clamped to the end;
    /// an offset inside a multi-byte character is moved back to the character's start.
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        let mut col_utf8 = u32::from(offset - start);
        let mut col_utf16 = col_utf8;
        let mut col_char = col_utf8;
        for wide in self.wide_chars_of(line) {
            if wide.start >= col_utf8 {
                break;
            }
            if wide.start + u32::from(wide.len_utf8) > col_utf8 {
                // Inside this character: snap to its start.
                let back = col_utf8 - wide.start;
                col_utf8 -= back;
                col_utf16 -= back;
                col_char -= back;
                break;
            }
            col_utf16 -= u32::from(wide.len_utf8 - wide.len_utf16);
            col_char -= u32::from(wide.len_utf8 - 1);
        }
        LineCol {
            line,
            col_utf8,
            col_utf16,
            col_char,
        }
    }

    /// The 0-based line holding `offset` (clamped to the end of the text).
    pub fn line_of(&self, offset: TextSize) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// The byte range of a line's content, without its `\n` or `\r\n`; `None` past the last line.
    pub fn line_range(&self, line: u32) -> Option<TextRange> {
        let start = *self.line_starts.get(line as usize)?;
        let end = match self.line_starts.get(line as usize + 1) {
            Some(&next) => {
                let crlf = self.crlf.get(line as usize).copied().unwrap_or(false);
                next - TextSize::from(if crlf { 2 } else { 1 })
            }
            None => self.len,
        };
        Some(TextRange::new(start, end))
    }

    /// The byte offset of a 0-based `line` and UTF-16 column (an LSP position). A column past
    /// the end of the line is clamped to it; `None` when the line does not exist.
    pub fn offset_utf16(&self, line: u32, col_utf16: u32) -> Option<TextSize> {
        self.offset_by(line, col_utf16, |w| u32::from(w.len_utf16))
    }

    /// The byte offset of a 0-based `line` and character column. A column past the end of
    /// the line is clamped to it; `None` when the line does not exist.
    pub fn offset_char(&self, line: u32, col_char: u32) -> Option<TextSize> {
        self.offset_by(line, col_char, |_| 1)
    }

    fn offset_by(&self, line: u32, col: u32, units: impl Fn(&WideChar) -> u32) -> Option<TextSize> {
        let range = self.line_range(line)?;
        // Walk: `col` counts units; ASCII bytes are one unit each.
        let mut byte = 0u32;
        let mut unit = 0u32;
        for wide in self.wide_chars_of(line) {
            let ascii_run = wide.start - byte;
            if unit + ascii_run >= col {
                break;
            }
            unit += ascii_run;
            byte = wide.start;
            let w = units(wide);
            if unit + w > col {
                // The column falls inside a surrogate pair: snap to the character's start.
                return Some(range.start() + TextSize::from(byte));
            }
            unit += w;
            byte += u32::from(wide.len_utf8);
        }
        let byte = byte + (col - unit);
        Some(range.start() + TextSize::from(byte).min(range.len()))
    }

    fn wide_chars_of(&self, line: u32) -> &[WideChar] {
        match self.wide_chars.binary_search_by_key(&line, |(l, _)| *l) {
            Ok(i) => &self.wide_chars[i].1,
            Err(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(index: &LineIndex, offset: usize) -> (u32, u32, u32, u32) {
        let p = index.line_col(TextSize::from(offset as u32));
        (p.line, p.col_utf8, p.col_utf16, p.col_char)
    }

    #[test]
    fn ascii_lines() {
        let text = "FIND A\nTHAT HAS B\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(lc(&index, 0), (0, 0, 0, 0));
        assert_eq!(lc(&index, 6), (0, 6, 6, 6)); // the `\n`
        assert_eq!(lc(&index, 7), (1, 0, 0, 0));
        assert_eq!(lc(&index, 12), (1, 5, 5, 5));
        assert_eq!(lc(&index, text.len()), (2, 0, 0, 0));
        assert_eq!(lc(&index, 1000), (2, 0, 0, 0));
        assert_eq!(
            index.line_range(1),
            Some(TextRange::new(7.into(), 17.into()))
        );
        assert_eq!(
            index.line_range(2),
            Some(TextRange::new(18.into(), 18.into()))
        );
        assert_eq!(index.line_range(3), None);
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert!(index.is_empty());
        assert_eq!(index.line_count(), 1);
        assert_eq!(lc(&index, 0), (0, 0, 0, 0));
        assert_eq!(
            index.line_range(0),
            Some(TextRange::new(0.into(), 0.into()))
        );
    }

    #[test]
    fn wide_characters() {
        // é: 2 bytes, 1 UTF-16 unit; 😀: 4 bytes, 2 UTF-16 units; 日: 3 bytes, 1 unit.
        let text = "x\né😀日 = 1";
        let index = LineIndex::new(text);
        let after = |s: &str| text.find(s).unwrap();
        assert_eq!(lc(&index, after("é")), (1, 0, 0, 0));
        assert_eq!(lc(&index, after("😀")), (1, 2, 1, 1));
        assert_eq!(lc(&index, after("日")), (1, 6, 3, 2));
        assert_eq!(lc(&index, after(" =")), (1, 9, 4, 3));
        assert_eq!(lc(&index, text.len()), (1, 13, 8, 7));
        // Inside a character: snapped to its start.
        assert_eq!(lc(&index, after("😀") + 2), (1, 2, 1, 1));
    }

    #[test]
    fn crlf_line_range() {
        let text = "FIND A\r\nFIND B\r\n";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_range(0),
            Some(TextRange::new(0.into(), 6.into()))
        );
        assert_eq!(
            index.line_range(1),
            Some(TextRange::new(8.into(), 14.into()))
        );
        assert_eq!(lc(&index, 8), (1, 0, 0, 0));
    }

    #[test]
    fn offsets_round_trip() {
        let text = "FIND User WITH name = 'Zoë 😀' AND x = 1\nFIND 日本 THAT HAS Host";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let offset = TextSize::from(offset as u32);
            let p = index.line_col(offset);
            assert_eq!(index.offset_utf16(p.line, p.col_utf16), Some(offset));
            assert_eq!(index.offset_char(p.line, p.col_char), Some(offset));
        }
        // Past the end of a line: clamped to the line's end.
        let end_of_first = TextSize::from(text.find('\n').unwrap() as u32);
        assert_eq!(index.offset_char(0, 500), Some(end_of_first));
        assert_eq!(index.offset_char(2, 0), None);
        // Inside a surrogate pair: the character's start.
        let emoji = index.line_col(TextSize::from(text.find('😀').unwrap() as u32));
        assert_eq!(
            index.offset_utf16(0, emoji.col_utf16 + 1),
            Some(TextSize::from(text.find('😀').unwrap() as u32))
        );
    }
}
