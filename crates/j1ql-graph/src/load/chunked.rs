//! One big file on every core: a bulk-upload file is scanned for the elements of its
//! `entities` and `relationships` arrays ([`super::scan`]), a JSON-lines file is cut at line
//! ends, and the pieces are parsed in parallel while this thread builds them in order, so
//! only a few parsed pieces exist at a time (see `docs/loading.md`, "One big file").
//!
//! The graph, the report and every error are those of loading the file whole: the same items
//! in the same order, the same first error (a syntax error anywhere in the file wins over an
//! item error, as when the whole file is parsed first; positions are the file's own).

use std::borrow::Cow;
use std::ops::Range;

use super::pipeline;
use super::scan::{self, Layout, List};
use super::{
    check_payload_keys, file_ctx_ref, is_json_lines, json_message, parse_file, payload_list,
    FileCtx, LoadError, Loader, NO_SYM,
};
use crate::intern::Sym;
use crate::raw::{self, RStr, Raw};

/// Part of a file, parsed on its own.
enum Piece<'l> {
    /// Consecutive elements of one array: the index of the first, their spans.
    Items {
        list: List,
        first: usize,
        spans: &'l [Range<usize>],
    },
    /// Whole lines of a JSON-lines file, and the number of the first (1-based).
    Lines {
        bytes: Range<usize>,
        first_line: usize,
    },
}

/// Why a piece did not parse.
enum Failure {
    /// An element of an array: where it starts and serde_json's error inside it.
    Item { at: usize, error: serde_json::Error },
    /// A line of a JSON-lines file (the error is already in the file's terms).
    Line { at: usize, error: LoadError },
}

impl Failure {
    /// Where in the file: the first failure by position is the one loading whole reports.
    fn at(&self) -> usize {
        match self {
            Failure::Item { at, .. } | Failure::Line { at, .. } => *at,
        }
    }
}

/// A parsed piece: its documents (with the element index or the line number), the hashes of its
/// distinct strings ([`raw::number_strings`]), or the first place it did not parse.
struct Parsed<'a> {
    /// The bytes the piece spans (for progress).
    len: usize,
    list: Option<List>,
    docs: Vec<(usize, Raw<'a>)>,
    hashes: Vec<u64>,
    failed: Option<Failure>,
}

impl Loader {
    /// Adds a file too big to parse in one piece (see the module doc). `name` ending in
    /// `.jsonl` / `.ndjson` is read as JSON-lines.
    pub(super) fn add_big(&mut self, name: &str, bytes: &[u8]) -> Result<(), LoadError> {
        if is_json_lines(name) {
            let _span = tracing::debug_span!("json lines").entered();
            let pieces = line_pieces(bytes, self.options.chunk_bytes);
            return self.add_pieces(name, bytes, pieces, None);
        }
        let layout = tracing::debug_span!("scan").in_scope(|| scan::scan(bytes));
        if let Some(layout) = layout {
            if let Some(head) = head(bytes, &layout) {
                let pieces = item_pieces(&layout, self.options.chunk_bytes);
                let _span = tracing::debug_span!("pieces", pieces = pieces.len()).entered();
                return self.add_pieces(name, bytes, pieces, Some(head));
            }
        }
        // Not a shape the scan splits: whole, as a small file.
        let _span = tracing::debug_span!("whole").entered();
        let mut parsed = parse_file(name, bytes.into(), false)?;
        self.add_parsed(name, &mut parsed)
    }

    /// Parses `pieces` on the pool and builds them in order. `head`: the top-level object of a
    /// bulk-upload file, its item arrays left empty (`None` for JSON-lines).
    fn add_pieces(
        &mut self,
        name: &str,
        bytes: &[u8],
        pieces: Vec<Piece<'_>>,
        head: Option<Raw<'_>>,
    ) -> Result<(), LoadError> {
        let file = self.file_ctx(name);
        let ctx = file_ctx_ref(&file, bytes);
        self.builder.local_syms.clear();
        self.builder.local_hashes.clear();
        // The payload's checks and subgraph, as `add_payload` does them before its items.
        let mut failed: Option<LoadError> = None;
        let mut subgraph = (ctx.source, ctx.scope);
        if let Some(head) = &head {
            let Raw::Obj(fields) = head else {
                unreachable!("the scan only splits objects")
            };
            let checked = check_payload_keys(&ctx, 0, "", fields.iter().map(|(k, _)| &**k))
                .and_then(|()| self.builder.payload_subgraph(&ctx, 0, "", head))
                .and_then(|s| payload_list(&ctx, 0, "", head, "entities").map(|_| s));
            match checked {
                Ok(s) => subgraph = s,
                Err(e) => failed = Some(e),
            }
        }
        let base = self.builder.file_rel_count(ctx.index);
        let mut first_failure: Option<Failure> = None;
        let threads = self.options.threads;
        let progress = self.options.progress.clone();
        let done = &mut self.done;
        let builder = &mut self.builder;
        pipeline::ordered(
            threads,
            pieces,
            |piece| parse_piece(bytes, &piece),
            |parsed: &mut Parsed<'_>| {
                if let Some(f) = parsed.failed.take() {
                    // Pieces after it may hold an earlier position (relationships before
                    // entities in the file): keep the first by position.
                    if first_failure.as_ref().is_none_or(|g| f.at() < g.at()) {
                        first_failure = Some(f);
                    }
                    return true;
                }
                if failed.is_some() || first_failure.is_some() {
                    // Only looking for a syntax error now.
                    return true;
                }
                std::mem::swap(&mut builder.local_hashes, &mut parsed.hashes);
                builder.local_syms.clear();
                builder
                    .local_syms
                    .resize(builder.local_hashes.len(), NO_SYM);
                let built = build_piece(builder, &ctx, subgraph, base, parsed);
                if let Err(e) = built {
                    failed = Some(e);
                }
                done.0 += parsed.len as u64;
                if let Some(progress) = &progress {
                    (progress.0)(done.0, done.1.max(done.0));
                }
                true
            },
        );
        if let Some(failure) = first_failure {
            return Err(self.parse_error(name, bytes, failure));
        }
        if let Some(e) = failed {
            return Err(e);
        }
        if let Some(head) = &head {
            payload_list(&ctx, 0, "", head, "relationships")?;
            self.builder.add_payload_rules(&ctx, 0, "", head)?;
        }
        Ok(())
    }

    /// The error loading the file whole gives for `failure`.
    fn parse_error(&self, name: &str, bytes: &[u8], failure: Failure) -> LoadError {
        let (at, error) = match failure {
            Failure::Line { mut error, .. } => {
                if let LoadError::Json { file, .. } = &mut error {
                    *file = name.to_string();
                }
                return error;
            }
            Failure::Item { at, error } => (at, error),
        };
        // The element ended early (an unterminated string swallowing brackets): the whole
        // file goes on past it, so only parsing it whole tells what the first error is.
        if error.is_eof() {
            if let Err(e) = parse_file(name, bytes.into(), false) {
                return e;
            }
        }
        // serde_json counts from after a byte order mark.
        let origin = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let before = &bytes[origin.min(at)..at];
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let line = memchr::memchr_iter(b'\n', before).count() + error.line();
        let column = if error.line() == 1 {
            before.len() - line_start + error.column()
        } else {
            error.column()
        };
        LoadError::Json {
            file: name.to_string(),
            line,
            column,
            message: json_message(&error),
        }
    }
}

/// Builds one parsed piece.
fn build_piece(
    builder: &mut super::Builder,
    ctx: &FileCtx<'_>,
    subgraph: (Sym, Sym),
    base: usize,
    parsed: &Parsed<'_>,
) -> Result<(), LoadError> {
    match parsed.list {
        Some(list) => {
            for (i, doc) in &parsed.docs {
                builder.add_listed(ctx, 0, "", subgraph, list, (*i, base), doc)?;
            }
        }
        None => {
            for (line, doc) in &parsed.docs {
                builder.add_document(ctx, *line, doc)?;
            }
        }
    }
    Ok(())
}

/// The top-level object with its item arrays empty, the other values parsed (`None` when one
/// does not parse: loading whole reports it).
fn head<'a>(bytes: &'a [u8], layout: &Layout) -> Option<Raw<'a>> {
    let mut fields = Vec::with_capacity(layout.fields.len());
    for field in &layout.fields {
        let value = match &field.items {
            Some(_) => Raw::Arr(Vec::new()),
            None => raw::parse(&bytes[field.value.clone()]).ok()?,
        };
        fields.push((RStr::new(Cow::Owned(field.key.clone())), value));
    }
    Some(Raw::Obj(fields))
}

/// The elements of the arrays in pieces of about `chunk` bytes, entities first (the order
/// they are built in).
fn item_pieces(layout: &Layout, chunk: usize) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    for list in [List::Entities, List::Relationships] {
        let items = layout.items(list);
        let mut first = 0;
        while first < items.len() {
            let from = items[first].start;
            let mut end = first + 1;
            while end < items.len() && items[end].end - from <= chunk {
                end += 1;
            }
            pieces.push(Piece::Items {
                list,
                first,
                spans: &items[first..end],
            });
            first = end;
        }
    }
    pieces
}

/// A JSON-lines file in pieces of about `chunk` bytes, each ending at a line end.
fn line_pieces(bytes: &[u8], chunk: usize) -> Vec<Piece<'static>> {
    let mut pieces = Vec::new();
    let (mut start, mut first_line) = (0, 1);
    while start < bytes.len() {
        let mut end = (start + chunk.max(1)).min(bytes.len());
        if end < bytes.len() {
            end = memchr::memchr(b'\n', &bytes[end - 1..]).map_or(bytes.len(), |i| end + i);
        }
        pieces.push(Piece::Lines {
            bytes: start..end,
            first_line,
        });
        first_line += memchr::memchr_iter(b'\n', &bytes[start..end]).count();
        start = end;
    }
    pieces
}

/// Parses one piece (on a pool thread).
fn parse_piece<'a>(bytes: &'a [u8], piece: &Piece<'_>) -> Parsed<'a> {
    let mut docs = Vec::new();
    let mut failed = None;
    let list = match piece {
        Piece::Items { list, first, spans } => {
            docs.reserve(spans.len());
            for (k, span) in spans.iter().enumerate() {
                match raw::parse(&bytes[span.clone()]) {
                    Ok(doc) => docs.push((first + k, doc)),
                    Err(error) => {
                        failed = Some(Failure::Item {
                            at: span.start,
                            error,
                        });
                        break;
                    }
                }
            }
            Some(*list)
        }
        Piece::Lines {
            bytes: range,
            first_line,
        } => {
            let mut at = range.start;
            for (n, line) in bytes[range.clone()].split(|&b| b == b'\n').enumerate() {
                let line_at = at;
                at += line.len() + 1;
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                match raw::parse(line) {
                    Ok(doc) => docs.push((first_line + n, doc)),
                    Err(e) => {
                        failed = Some(Failure::Line {
                            at: line_at,
                            error: LoadError::Json {
                                file: String::new(),
                                line: first_line + n,
                                column: e.column(),
                                message: json_message(&e),
                            },
                        });
                        break;
                    }
                }
            }
            None
        }
    };
    let hashes = match failed {
        None => raw::number_strings(&docs),
        Some(_) => Vec::new(),
    };
    let len = match piece {
        Piece::Items { spans, .. } => {
            spans.last().map_or(0, |l| l.end) - spans.first().map_or(0, |f| f.start)
        }
        Piece::Lines { bytes, .. } => bytes.len(),
    };
    Parsed {
        len,
        list,
        docs,
        hashes,
        failed,
    }
}
