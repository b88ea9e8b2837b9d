//! The document store: one open document as a rope, its text, and its analysis cut into
//! chunks (one or a few queries each) that are cached by text, so an edit re-analyses only the
//! queries it touches.

use std::collections::HashMap;
use std::sync::Arc;

use j1ql_lint::LintDiagnostic;
use j1ql_semantics::Analysis;
use j1ql_syntax::{SyntaxNode, TextRange, TextSize};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::workspace::Env;

/// How `Position.character` counts: negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Bytes of UTF-8.
    Utf8,
}

/// One chunk of a document (positions relative to the chunk): its text, what its analysis
/// found (findings and semantic tokens, kept), and the analysis itself (kept only where it is
/// used). Splitting a document into chunks takes a lexer pass; analysing them is the
/// expensive part, so a big document is ready for requests at once, each request analyses
/// only the chunk it needs, and the rest is analysed in the background. Syntax trees and
/// lowered queries are many times the size of their text: those made in bulk are dropped once
/// their findings and tokens are taken, so memory stays a small multiple of the document
/// (docs/lsp.md "Big documents").
#[derive(Debug)]
pub struct ChunkData {
    /// The chunk's text.
    pub text: String,
    /// How many line breaks the chunk holds.
    pub lines: u32,
    /// Position encoding of [`ChunkData::diagnostics`] and [`ChunkData::tokens`].
    pub encoding: Encoding,
    /// The workspace and lint settings the chunk is analysed with.
    env: Arc<Env>,
    /// Made by an edit (not by opening the document or reloading its workspace): while the
    /// rest of a big document is analysed in the background, these are analysed first.
    pub edited: bool,
    /// Findings and semantic tokens, made by the first analysis.
    found: std::sync::OnceLock<Found>,
    /// The parse and lowered queries, while kept.
    analysis: std::sync::Mutex<Option<Arc<Analysis>>>,
}

/// What analysing a chunk found: kept for the chunk's life.
#[derive(Debug)]
struct Found {
    lint: Vec<LintDiagnostic>,
    diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
    tokens: Vec<ChunkToken>,
}

/// A semantic token of a chunk: its line counted from the chunk's first line, its start
/// column and length (in the document's position encoding; chunks start at line starts, so
/// columns are the document's), and its type (an index into the legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkToken {
    /// Line within the chunk.
    pub line: u32,
    /// Start column.
    pub start: u32,
    /// Length (of its first line, for a token spanning lines).
    pub length: u32,
    /// Legend index.
    pub token_type: u32,
}

impl ChunkData {
    fn new(text: String, env: &Arc<Env>, encoding: Encoding, edited: bool) -> ChunkData {
        ChunkData {
            lines: line_breaks(&text),
            text,
            encoding,
            env: Arc::clone(env),
            edited,
            found: std::sync::OnceLock::new(),
            analysis: std::sync::Mutex::new(None),
        }
    }

    fn analyse_text(&self) -> Analysis {
        let cx = self.env.workspace.context();
        j1ql_semantics::analyze(&self.text, &cx)
    }

    /// Findings and tokens, analysing the chunk the first time (and returning that
    /// analysis, for a caller that keeps it).
    fn found_with(&self) -> (&Found, Option<Arc<Analysis>>) {
        let mut made = None;
        let found = self.found.get_or_init(|| {
            let analysis = Arc::new(self.analyse_text());
            // The project's pipeline: the same findings as `j1ql check` and `j1ql lint`.
            let lint = j1ql_project::diagnostics::text_findings(
                &self.env.workspace.project,
                &analysis,
                &self.env.lint,
            );
            let rope = Rope::from_str(&self.text);
            let diagnostics = crate::diagnostics::chunk_diagnostics(&lint, &|offset| {
                position_in(&rope, offset, self.encoding)
            });
            let tokens =
                crate::tokens::chunk_tokens(&analysis.parse.syntax_node(), &rope, self.encoding);
            made = Some(analysis);
            Found {
                lint,
                diagnostics,
                tokens,
            }
        });
        (found, made)
    }

    /// Findings and tokens (analysing the chunk if not yet done, without keeping the
    /// analysis: what bulk analysis uses).
    fn found(&self) -> &Found {
        self.found_with().0
    }

    /// Analyses the chunk for its findings and keeps the analysis for the requests to come.
    pub fn analyse_and_keep(&self) {
        let _ = self.analysis();
    }

    /// Parse, lowered queries and semantic diagnostics: the kept analysis, or a new one
    /// (then kept: the chunk is one a request looks at).
    pub fn analysis(&self) -> Arc<Analysis> {
        let mut kept = self.analysis.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = kept.as_ref() {
            return Arc::clone(a);
        }
        let (_, made) = self.found_with();
        let analysis = made.unwrap_or_else(|| Arc::new(self.analyse_text()));
        *kept = Some(Arc::clone(&analysis));
        analysis
    }

    /// Syntax, semantic and lint findings (what `j1ql lint` reports).
    pub fn lint(&self) -> &[LintDiagnostic] {
        &self.found().lint
    }

    /// The findings as LSP diagnostics, lines counted from the chunk's first line (chunks
    /// start at line starts, so columns are the document's).
    pub fn diagnostics(&self) -> &[tower_lsp_server::ls_types::Diagnostic] {
        &self.found().diagnostics
    }

    /// The chunk's semantic tokens.
    pub fn tokens(&self) -> &[ChunkToken] {
        &self.found().tokens
    }

    /// Whether the chunk has been analysed already (its findings and tokens are known).
    pub fn is_analysed(&self) -> bool {
        self.found.get().is_some()
    }

    /// Whether the chunk's analysis is kept.
    pub fn keeps_analysis(&self) -> bool {
        self.analysis
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The root of the chunk's syntax tree.
    pub fn root(&self) -> SyntaxNode {
        self.analysis().parse.syntax_node()
    }
}

/// How many line breaks `text` holds, counted as the rope counts them (`\n`, `\r\n`, a lone
/// `\r`: ropey's `cr_lines`).
fn line_breaks(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut n = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => n += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

/// A chunk of a document: where it starts and its (shared, cached) analysis.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Byte offset of the chunk in the document.
    pub start: usize,
    /// The document line the chunk starts on.
    pub line: u32,
    /// Its analysis.
    pub data: Arc<ChunkData>,
}

impl Chunk {
    /// The chunk's range in the document.
    pub fn range(&self) -> TextRange {
        TextRange::new(
            TextSize::from(self.start as u32),
            TextSize::from((self.start + self.data.text.len()) as u32),
        )
    }

    /// A chunk-relative range moved into the document.
    pub fn to_doc(&self, range: TextRange) -> TextRange {
        range + TextSize::from(self.start as u32)
    }
}

/// One open document. Cloning it is cheap enough to take a snapshot for work done off the
/// server's lock (the chunks are shared).
#[derive(Debug, Clone)]
pub struct Document {
    /// The text as a rope (edits and position conversions).
    pub rope: Rope,
    /// The text as a string (analysis).
    pub text: String,
    /// The client's version.
    pub version: i32,
    /// Position encoding negotiated with the client.
    pub encoding: Encoding,
    /// The analysis, chunk by chunk, in order; they cover the text.
    pub chunks: Vec<Chunk>,
    /// The workspace and lint settings it is analysed with.
    pub env: Arc<Env>,
}

/// From how many chunks to analyse on every core (opening a document, reloading its config).
const PARALLEL_FROM: usize = 64;

/// A document's text, frozen for work done off the lock (formatting on a blocking thread).
pub struct Snapshot {
    /// The text.
    pub text: String,
    /// The rope (a cheap clone: ropey shares its nodes).
    pub rope: Rope,
    /// Position encoding.
    pub encoding: Encoding,
    /// `[format]` of the workspace.
    pub format: j1ql_fmt::FormatOptions,
}

impl Snapshot {
    /// The LSP range of a text range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(
            position_in(&self.rope, range.start().into(), self.encoding),
            position_in(&self.rope, range.end().into(), self.encoding),
        )
    }
}

/// Why a request's position or edit could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange(pub String);

impl Document {
    /// A document with its analysis.
    pub fn new(text: &str, version: i32, encoding: Encoding, env: Arc<Env>) -> Self {
        let mut doc = Document {
            rope: Rope::from_str(text),
            text: text.to_string(),
            version,
            encoding,
            chunks: Vec::new(),
            env,
        };
        doc.reanalyze();
        doc
    }

    /// Applies the changes of a `didChange` notification, in order, then re-analyses.
    pub fn apply_changes(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        version: i32,
    ) -> Result<(), OutOfRange> {
        let before = self.rope.clone();
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.text = change.text.clone();
                    self.reanalyze();
                }
                Some(range) => {
                    let edit = self.offset(range.start).and_then(|start| {
                        let end = self.offset(range.end)?;
                        if end < start {
                            return Err(OutOfRange(format!(
                                "edit range ends before it starts: {range:?}"
                            )));
                        }
                        Ok((start, end))
                    });
                    let (start, end) = match edit {
                        Ok(e) => e,
                        Err(e) => {
                            // The document stays as it was before the notification.
                            self.rope = before;
                            self.text = self.rope.to_string();
                            self.reanalyze();
                            return Err(e);
                        }
                    };
                    let start_char = self.rope.byte_to_char(start);
                    let end_char = self.rope.byte_to_char(end);
                    self.rope.remove(start_char..end_char);
                    self.rope.insert(start_char, &change.text);
                    self.text.replace_range(start..end, &change.text);
                    self.reanalyze_edit(start, end, change.text.len());
                }
            }
        }
        self.version = version;
        Ok(())
    }

    /// Re-chunks after one edit (`old_end - start` bytes at `start` replaced by `new_len`
    /// bytes holding the text now at `start`): the chunks before the edit are kept, the scan
    /// for chunk starts resumes one chunk before it and stops as soon as it meets an old chunk
    /// start after the edit, whose chunks are then kept, moved. Only the chunks in between are
    /// looked up or analysed, so an edit costs O(edit), not O(document).
    fn reanalyze_edit(&mut self, start: usize, old_end: usize, new_len: usize) {
        if self.chunks.is_empty() {
            self.reanalyze();
            return;
        }
        let old = std::mem::take(&mut self.chunks);
        let delta = new_len as isize - (old_end - start) as isize;
        let new_end = start + new_len;
        // The chunk holding the edit, and the one before it (its comment lines may change).
        let a = old.partition_point(|c| c.start <= start).saturating_sub(1);
        let resume = a.saturating_sub(1);
        let from = old[resume].start;
        let mut matched: Option<usize> = None;
        let middle_starts = j1ql_syntax::split::query_starts_from(&self.text, from, |p| {
            if p < new_end {
                return false;
            }
            let at = (p as isize - delta) as usize;
            if at < old_end {
                return false;
            }
            match old.binary_search_by_key(&at, |c| c.start) {
                Ok(j) => {
                    matched = Some(j);
                    true
                }
                Err(_) => false,
            }
        });
        let suffix_from = matched.unwrap_or(old.len());
        // Analyses of the replaced chunks, by text (a chunk moved unchanged is reused).
        let cache: HashMap<&str, &Arc<ChunkData>> = old[resume..suffix_from]
            .iter()
            .map(|c| (c.data.text.as_str(), &c.data))
            .collect();
        let middle_end = matched
            .map(|j| (old[j].start as isize + delta) as usize)
            .unwrap_or(self.text.len());
        let mut chunks: Vec<Chunk> = Vec::with_capacity(old.len() + 4);
        chunks.extend_from_slice(&old[..resume]);
        let line = self.push_chunks(
            &mut chunks,
            &middle_starts,
            middle_end,
            old[resume].line,
            &cache,
            true,
        );
        if let Some(j) = matched {
            let shift_line = line as i64 - old[j].line as i64;
            for c in &old[j..] {
                chunks.push(Chunk {
                    start: (c.start as isize + delta) as usize,
                    line: (c.line as i64 + shift_line) as u32,
                    data: Arc::clone(&c.data),
                });
            }
        }
        drop(cache);
        self.chunks = chunks;
    }

    /// The text and format settings, for work off the lock.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            rope: self.rope.clone(),
            encoding: self.encoding,
            format: self.env.workspace.config.format,
        }
    }

    /// Replaces the workspace (its config or data changed): every chunk is analysed anew.
    pub fn set_env(&mut self, env: Arc<Env>) {
        self.env = env;
        self.chunks.clear();
        self.reanalyze();
    }

    /// Cuts the text into chunks, reusing the chunk data of unchanged texts; new chunks are
    /// analysed when first used ([`Document::analyse`]).
    fn reanalyze(&mut self) {
        let old = std::mem::take(&mut self.chunks);
        let mut cache: HashMap<&str, &Arc<ChunkData>> = HashMap::with_capacity(old.len());
        for chunk in &old {
            cache.insert(chunk.data.text.as_str(), &chunk.data);
        }
        let starts = chunk_starts(&self.text);
        let mut chunks = Vec::with_capacity(starts.len());
        self.push_chunks(&mut chunks, &starts, self.text.len(), 0, &cache, false);
        drop(cache);
        self.chunks = chunks;
    }

    /// Appends the chunks starting at `starts` (the last one ending at `end`), the first on
    /// line `line`, reusing the chunk data of `cache` for texts it has and making the others
    /// (marked `edited` when an edit made them). Returns the line after the last chunk.
    fn push_chunks(
        &self,
        chunks: &mut Vec<Chunk>,
        starts: &[usize],
        end: usize,
        mut line: u32,
        cache: &HashMap<&str, &Arc<ChunkData>>,
        edited: bool,
    ) -> u32 {
        for (i, &start) in starts.iter().enumerate() {
            let stop = starts.get(i + 1).copied().unwrap_or(end);
            let text = &self.text[start..stop];
            let data = match cache.get(text) {
                Some(d) => Arc::clone(d),
                None => Arc::new(ChunkData::new(
                    text.to_string(),
                    &self.env,
                    self.encoding,
                    edited,
                )),
            };
            let lines = data.lines;
            chunks.push(Chunk { start, line, data });
            line += lines;
        }
        line
    }

    /// Analyses the chunks `range` (indexes) that are not analysed yet, on every core when
    /// there are many (opening a big document, reloading its config), keeping their findings
    /// and tokens but not the analyses themselves (requests make and keep those they need)
    /// unless `keep` (the part an editor shows first, which requests are about to look at).
    pub fn analyse(&self, range: std::ops::Range<usize>, keep: bool) {
        let chunks =
            &self.chunks[range.start.min(self.chunks.len())..range.end.min(self.chunks.len())];
        let missing: Vec<&Chunk> = chunks
            .iter()
            .filter(|c| !c.data.is_analysed() || (keep && !c.data.keeps_analysis()))
            .collect();
        let analyse = |c: &Chunk| {
            if keep {
                c.data.analyse_and_keep();
            } else {
                c.data.found();
            }
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if missing.len() >= PARALLEL_FROM && threads > 1 {
            // Interleaved, so that every thread gets queries from all over the range.
            std::thread::scope(|s| {
                for t in 0..threads {
                    let (missing, analyse) = (&missing, &analyse);
                    s.spawn(move || {
                        for c in missing.iter().skip(t).step_by(threads) {
                            analyse(c);
                        }
                    });
                }
            });
        } else {
            for c in missing {
                analyse(c);
            }
        }
    }

    /// The chunks made by edits and not analysed yet, as index ranges.
    pub fn unanalysed_near_edits(&self) -> Vec<std::ops::Range<usize>> {
        (0..self.chunks.len())
            .filter(|&i| self.chunks[i].data.edited && !self.chunks[i].data.is_analysed())
            .map(|i| i..i + 1)
            .collect()
    }

    /// How many chunks start before line `line`: the part of the document shown first.
    pub fn chunks_before_line(&self, line: u32) -> usize {
        self.chunks.partition_point(|c| c.line < line)
    }

    /// The chunk holding `offset`. At a boundary (a line start, since chunks start at line
    /// starts) it is the chunk starting there: a position at column 0 of a query's first line
    /// belongs to that query, not to the one before it (whose text ends with the line break
    /// before). A position on a blank line between queries stays with the query above it.
    pub fn chunk_at(&self, offset: usize) -> Option<&Chunk> {
        let i = self.chunks.partition_point(|c| c.start <= offset);
        // chunks[i-1].start <= offset < chunks[i].start
        if i == 0 {
            self.chunks.first()
        } else {
            self.chunks.get(i - 1)
        }
    }

    /// The byte offset of an LSP position. A character past the end of its line means the end
    /// of the line; a line past the end is an error.
    pub fn offset(&self, position: Position) -> Result<usize, OutOfRange> {
        let line = position.line as usize;
        let lines = self.rope.len_lines();
        if line >= lines {
            if line == lines && position.character == 0 {
                return Ok(self.rope.len_bytes());
            }
            return Err(OutOfRange(format!(
                "line {line} is past the end of the document ({lines} lines)"
            )));
        }
        let line_start = self.rope.line_to_byte(line);
        let slice = self.rope.line(line);
        // The line without its line break.
        let mut len_chars = slice.len_chars();
        while len_chars > 0 && matches!(slice.char(len_chars - 1), '\n' | '\r') {
            len_chars -= 1;
        }
        let col = position.character as usize;
        let byte_in_line = match self.encoding {
            Encoding::Utf8 => {
                let max = slice.char_to_byte(len_chars);
                // Inside a character: its start.
                slice.char_to_byte(slice.byte_to_char(col.min(max)))
            }
            Encoding::Utf16 => {
                let max16 = slice.char_to_utf16_cu(len_chars);
                let c = slice.utf16_cu_to_char(col.min(max16));
                slice.char_to_byte(c)
            }
        };
        Ok(line_start + byte_in_line)
    }

    /// The LSP position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        position_in(&self.rope, offset, self.encoding)
    }

    /// The LSP range of a text range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(
            self.position(range.start().into()),
            self.position(range.end().into()),
        )
    }

    /// The text range of an LSP range.
    pub fn text_range(&self, range: Range) -> Result<TextRange, OutOfRange> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end)?;
        if end < start {
            return Err(OutOfRange("range ends before it starts".into()));
        }
        Ok(TextRange::new(
            TextSize::from(start as u32),
            TextSize::from(end as u32),
        ))
    }
}

/// The LSP position of a byte offset of a rope (clamped to the text).
pub fn position_in(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let col = offset - line_start;
    let character = match encoding {
        Encoding::Utf8 => col,
        Encoding::Utf16 => {
            let slice = rope.line(line);
            slice.char_to_utf16_cu(slice.byte_to_char(col))
        }
    };
    Position::new(line as u32, character as u32)
}

pub use j1ql_project::diagnostics::{param_name, UNKNOWN_PARAMETER};

/// Where the chunks of a document start: each query's start (`j1ql_syntax::split`, the rule
/// the parallel parse uses too), so that parsing the chunks one by one gives the errors and
/// queries the whole document gives — what `j1ql check` reports.
pub fn chunk_starts(text: &str) -> Vec<usize> {
    j1ql_syntax::split::query_starts(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, encoding: Encoding) -> Document {
        Document::new(text, 0, encoding, Env::builtin())
    }

    #[test]
    fn chunks_start_at_find_lines() {
        let text =
            "FIND Host\n// j1ql-ignore\nFIND User WITH a = 1\n  AND b = 2\n/* FIND no */\nfind x";
        let starts = chunk_starts(text);
        assert_eq!(starts, vec![0, 10, text.find("find x").unwrap()]);
    }

    #[test]
    fn a_query_start_belongs_to_that_query() {
        let text = "FIND Host\n\nFIND User\n  // note\nFIND DataStore";
        let d = doc(text, Encoding::Utf16);
        let start = |i: usize| d.chunks[i].start;
        assert_eq!(d.chunks.len(), 3);
        // Column 0 of `FIND User` (line 2): the second chunk, not the first.
        let at = d.offset(Position::new(2, 0)).unwrap();
        assert_eq!(at, text.find("FIND User").unwrap());
        assert_eq!(d.chunk_at(at).unwrap().start, start(1));
        // The comment line above `FIND DataStore` starts its chunk.
        let at = d.offset(Position::new(3, 0)).unwrap();
        assert_eq!(d.chunk_at(at).unwrap().start, start(2));
        // The blank line between queries stays with the query above, the end of the text with
        // the last chunk, the inside of a query with its chunk.
        assert_eq!(
            d.chunk_at(d.offset(Position::new(1, 0)).unwrap())
                .unwrap()
                .start,
            0
        );
        assert_eq!(d.chunk_at(text.len()).unwrap().start, start(2));
        assert_eq!(d.chunk_at(3).unwrap().start, 0);
        assert_eq!(d.chunk_at(at - 1).unwrap().start, start(1));
    }

    #[test]
    fn utf16_positions_with_non_ascii_and_crlf() {
        let d = doc("FIND User WITH name = 'é😀'\r\nFIND Host", Encoding::Utf16);
        let off = d.text.find("Host").unwrap();
        assert_eq!(d.position(off), Position::new(1, 5));
        assert_eq!(d.offset(Position::new(1, 5)).unwrap(), off);
        let after = d.text.find("'\r").unwrap();
        // 'é' is one UTF-16 unit, '😀' two.
        assert_eq!(d.position(after), Position::new(0, 26));
        assert_eq!(d.offset(Position::new(0, 26)).unwrap(), after);
        // Past the end of the line: the end of the line (before CRLF).
        assert_eq!(d.offset(Position::new(0, 99)).unwrap(), after + 1);
        assert!(d.offset(Position::new(5, 0)).is_err());
    }

    #[test]
    fn utf8_positions() {
        let d = doc("FIND User WITH name = 'é😀'\nx", Encoding::Utf8);
        let after = d.text.find("'\n").unwrap();
        assert_eq!(d.position(after), Position::new(0, after as u32));
        assert_eq!(d.offset(Position::new(0, after as u32)).unwrap(), after);
    }

    #[test]
    fn incremental_edits_reuse_chunks() {
        let mut d = doc("FIND Host\nFIND User\n", Encoding::Utf16);
        let first = Arc::clone(&d.chunks[0].data);
        d.apply_changes(
            &[TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(1, 5), Position::new(1, 9))),
                range_length: None,
                text: "Person".into(),
            }],
            2,
        )
        .unwrap();
        assert_eq!(d.text, "FIND Host\nFIND Person\n");
        assert!(Arc::ptr_eq(&first, &d.chunks[0].data));
    }

    /// After every edit, the incrementally maintained chunks are those of a fresh document:
    /// same starts, lines and texts.
    #[test]
    fn incremental_rechunking_matches_a_fresh_analysis() {
        let base = "FIND Host\n// c\nFIND User WITH a = 1\n  AND b = 2\n/* FIND no */\nFIND x\n\
                    // j1ql-ignore\nFIND Hots\nFIND User AS u RETURN u.name\n";
        let mut d = doc(base, Encoding::Utf16);
        let inserts = [
            "/* ",
            " */",
            "FIND Device\n",
            "\n",
            "// note\n",
            "x",
            "FIND",
            "'",
            "\nFIND y\n",
        ];
        let mut seed: u64 = 7;
        for step in 0..300 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = d.text.len();
            let mut a = (seed >> 33) as usize % (len + 1);
            while !d.text.is_char_boundary(a) {
                a -= 1;
            }
            let del = if step % 3 == 0 {
                (seed >> 20) as usize % 6
            } else {
                0
            };
            let mut b = (a + del).min(len);
            while !d.text.is_char_boundary(b) {
                b -= 1;
            }
            let text = if step % 4 == 3 {
                ""
            } else {
                inserts[(seed >> 40) as usize % inserts.len()]
            };
            let (pa, pb) = (d.position(a), d.position(b));
            d.apply_changes(
                &[TextDocumentContentChangeEvent {
                    range: Some(Range::new(pa, pb)),
                    range_length: None,
                    text: text.into(),
                }],
                step,
            )
            .unwrap();
            let fresh = doc(&d.text, Encoding::Utf16);
            let got: Vec<(usize, u32, &str)> = d
                .chunks
                .iter()
                .map(|c| (c.start, c.line, c.data.text.as_str()))
                .collect();
            let want: Vec<(usize, u32, &str)> = fresh
                .chunks
                .iter()
                .map(|c| (c.start, c.line, c.data.text.as_str()))
                .collect();
            assert_eq!(got, want, "step {step}: {:?}", d.text);
        }
    }

    #[test]
    fn cached_chunk_diagnostics_are_placed_like_direct_conversion() {
        let text = "FIND User WITH x = 'é😀' THAT HAS Hots\r\n// c\r\nFIND Hots AS h\r\n  WHERE y.a = 1\rFIND Usr\n";
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let d = doc(text, encoding);
            assert!(d.chunks.len() >= 2);
            let uri: tower_lsp_server::ls_types::Uri = "file:///x.j1ql".parse().unwrap();
            let published =
                crate::diagnostics::diagnostics(&d, &uri, &crate::diagnostics::DocLinks::default());
            let direct: Vec<Range> = d
                .chunks
                .iter()
                .flat_map(|c| c.data.lint().iter().map(|l| d.range(c.to_doc(l.range))))
                .collect();
            let got: Vec<Range> = published.iter().map(|p| p.range).collect();
            assert_eq!(got, direct);
            assert!(got.len() >= 3);
        }
    }
}
