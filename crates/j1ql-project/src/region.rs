//! A region: one J1QL text embedded in a host file, with an exact map from each byte of the
//! text back to the host, and how to write new text back in the host's own syntax.

use std::ops::Range;

/// How a host file breaks lines; edits are written with the same ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
}

impl LineEnding {
    /// The ending of the first line break of `text` (`\n` when there is none).
    pub fn detect(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }

    /// The characters of the ending.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// `text` with every `\n` (not already part of `\r\n`) written in this ending.
    pub fn apply(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_string(),
            LineEnding::CrLf => {
                let mut out = String::with_capacity(text.len() + text.len() / 16);
                let mut prev = '\0';
                for c in text.chars() {
                    if c == '\n' && prev != '\r' {
                        out.push('\r');
                    }
                    out.push(c);
                    prev = c;
                }
                out
            }
        }
    }
}

/// How a region's text is written in its host: each form has its own encoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// The whole file, as is (a `.j1ql` document).
    Raw,
    /// Lines indented by this many spaces: a Markdown fence's body.
    Indented { indent: usize },
    /// A YAML block scalar (`|`, `>`): rewritten as a literal block with this indentation.
    /// The region's host range starts at the header indicator.
    YamlBlock {
        indent: usize,
        header_comment: String,
    },
    /// A YAML flow scalar (plain, single- or double-quoted): rewritten on one line.
    YamlFlow,
    /// A JSON string.
    JsonString,
    /// An HCL quoted string; `exact` is false when the host used `$${` / `%%{` escapes, which
    /// the decoded text cannot tell apart from interpolations.
    HclString { exact: bool },
    /// An HCL heredoc's body; `strip` spaces of indentation for `<<-`.
    HclHeredoc {
        strip: usize,
        marker: String,
        exact: bool,
    },
}

/// One embedded J1QL text.
#[derive(Debug, Clone)]
pub struct Region {
    /// The decoded J1QL text (what J1QL sees).
    pub text: String,
    /// For each byte of `text` and one past its end: its offset in the host.
    pub(crate) map: Vec<usize>,
    /// The host bytes an edit of this region replaces.
    pub host_range: Range<usize>,
    /// Ranges of `text` that are the host's own placeholders (HCL `${…}` interpolations).
    pub placeholders: Vec<Range<usize>>,
    pub(crate) encoding: Encoding,
    pub(crate) line_ending: LineEnding,
    /// Its position among the host's query values (those that could not be mapped count
    /// too): how the round-trip check finds it again.
    pub(crate) slot: usize,
}

impl Region {
    pub(crate) fn new(
        text: String,
        map: Vec<usize>,
        host_range: Range<usize>,
        encoding: Encoding,
    ) -> Region {
        debug_assert_eq!(map.len(), text.len() + 1);
        Region {
            text,
            map,
            host_range,
            placeholders: Vec::new(),
            encoding,
            line_ending: LineEnding::Lf,
            slot: 0,
        }
    }

    /// The host offset of a byte offset of [`Region::text`] (clamped to the text).
    pub fn host_offset(&self, offset: usize) -> usize {
        self.map[offset.min(self.map.len() - 1)]
    }

    /// A range of [`Region::text`] as a host range.
    pub fn host_range_of(&self, range: Range<usize>) -> Range<usize> {
        let start = self.host_offset(range.start);
        // Where the next byte starts: an escape (`\"`, `''`) is covered whole.
        let end = if range.end > range.start {
            self.host_offset(range.end)
        } else {
            start
        };
        start..end.max(start)
    }

    /// Whether the host keeps the query on one line (the formatter writes it compactly).
    pub fn single_line(&self) -> bool {
        match self.encoding {
            Encoding::YamlFlow => true,
            Encoding::JsonString | Encoding::HclString { .. } => !self.text.contains('\n'),
            _ => false,
        }
    }

    /// Whether the region is the whole file.
    pub fn is_whole_file(&self) -> bool {
        self.encoding == Encoding::Raw
    }

    /// Adjusts new J1QL text to what the region held: no final line break where there was
    /// none (a `.j1ql` file always ends with one).
    pub fn fit(&self, mut text: String) -> String {
        if self.encoding != Encoding::Raw && !self.text.ends_with('\n') {
            while text.ends_with('\n') {
                text.pop();
            }
        }
        text
    }

    /// The host text replacing [`Region::host_range`] for new J1QL text, or why it cannot be
    /// written in this host exactly.
    pub fn encode(&self, text: &str) -> Result<String, String> {
        let eol = self.line_ending;
        match &self.encoding {
            Encoding::Raw => Ok(eol.apply(text)),
            Encoding::Indented { indent } => Ok(eol.apply(&indent_lines(text, *indent, true))),
            Encoding::YamlBlock {
                indent,
                header_comment,
            } => crate::extract::yaml::encode_block(text, *indent, header_comment, eol),
            Encoding::YamlFlow => crate::extract::yaml::encode_flow(text),
            Encoding::JsonString => Ok(crate::extract::json::quote(text)),
            Encoding::HclString { exact } => {
                if !exact {
                    return Err("the string uses HCL `$${` or `%%{` escapes".into());
                }
                Ok(crate::extract::terraform::quote(text))
            }
            Encoding::HclHeredoc {
                strip,
                marker,
                exact,
            } => {
                if !exact {
                    return Err("the heredoc uses HCL `$${` or `%%{` escapes".into());
                }
                if text.lines().any(|l| l.trim() == marker) {
                    return Err(format!("the text has a line `{marker}`, the heredoc's end"));
                }
                Ok(eol.apply(&indent_lines(text, *strip, true)))
            }
        }
    }
}

/// `text` with each non-blank line indented by `indent` spaces, ending with a line break
/// when `final_break`.
pub(crate) fn indent_lines(text: &str, indent: usize, final_break: bool) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(text.len() + 8 * indent);
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    if final_break && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A part of a host file that holds (or may hold) J1QL but cannot be mapped exactly: it is
/// reported as a warning with its location, never skipped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Where, in the host.
    pub range: Range<usize>,
    /// Why.
    pub reason: String,
}

/// What the extractor found in one host file.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// The J1QL texts, in file order.
    pub regions: Vec<Region>,
    /// What could not be mapped.
    pub unmapped: Vec<Unmapped>,
}
