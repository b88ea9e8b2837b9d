//! Which files a path stands for, and their bytes: read, or mapped for a big file, then parsed
//! whole (a small file) into the borrowed tree the builder reads.

use std::path::{Path, PathBuf};

use super::error::json_message;
use super::LoadError;
use crate::raw::{self, Raw};

/// The files a path stands for: itself, or every `*.json` / `*.jsonl` / `*.ndjson` file under
/// it (recursively), sorted by path.
///
/// Folders are walked with `j1ql_fs::Walker`: each real folder and file once (a symbolic-link
/// cycle such as `ln -s . d/self` ends, a file reached twice is loaded once), links leaving the
/// folder not followed, `/proc` and `/sys` refused. What was skipped is in [`fixture_walk`].
pub fn fixture_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    fixture_walk(path).map(|(files, _)| files)
}

/// [`fixture_files`], with a sentence for every path the walk skipped.
pub fn fixture_walk(path: &Path) -> Result<(Vec<PathBuf>, Vec<String>), LoadError> {
    let walk = j1ql_fs::Walker::new(path)
        .keep_file(is_fixture_name)
        .run()
        .map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    let skipped = walk.skipped.iter().map(ToString::to_string).collect();
    Ok((walk.files, skipped))
}

/// A fixture file's bytes, refused past `j1ql_fs::max_data_bytes()` (4 GiB unless
/// `J1QL_MAX_DATA_BYTES` says otherwise) so an endless file cannot exhaust memory.
pub(crate) fn read_fixture(path: &Path) -> Result<Vec<u8>, LoadError> {
    j1ql_fs::read_bounded(path, j1ql_fs::max_data_bytes()).map_err(|e| LoadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// A big fixture file's bytes: mapped from the page cache when the system allows it (no copy,
/// and no fresh memory to fault in: reading 423 MB into a new buffer took 2.7 s on the project's
/// virtual machine, mapping it a few milliseconds), else read.
///
/// A file changed by another program while it loads may give a wrong graph (or, truncated, stop
/// the process), as with any reader that maps files; fixture files are not written while loaded.
pub(crate) fn map_fixture(path: &Path) -> Result<FixtureBytes, LoadError> {
    let file = std::fs::File::open(path).map_err(|e| LoadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let regular = file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() <= j1ql_fs::max_data_bytes());
    if regular {
        // SAFETY: the mapping is only read, and lives as long as the `FixtureBytes`; see the
        // doc comment for files changed while mapped.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(FixtureBytes::Mapped(map));
        }
    }
    read_fixture(path).map(FixtureBytes::Read)
}

/// A fixture file's bytes, mapped or read ([`map_fixture`]).
pub(crate) enum FixtureBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FixtureBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FixtureBytes::Mapped(map) => map,
            FixtureBytes::Read(bytes) => bytes,
        }
    }
}

pub(crate) fn is_fixture_name(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("json" | "jsonl" | "ndjson")
    )
}

pub(crate) fn is_json_lines(name: &str) -> bool {
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// A parsed file: its bytes and the trees borrowing them.
pub(crate) struct Parsed {
    // Declared first so that it is dropped before `bytes`.
    pub(crate) docs: Vec<(usize, Raw<'static>)>,
    /// The hash of each distinct string of the documents, by its number in the file
    /// ([`raw::number_strings`]).
    pub(crate) hashes: Vec<u64>,
    pub(crate) bytes: Box<[u8]>,
}

impl Parsed {
    /// The documents (one for JSON, one per non-blank line for JSON-lines) with their 1-based
    /// line (0 for a whole JSON file).
    pub(crate) fn docs<'a>(&'a self) -> &'a [(usize, Raw<'a>)] {
        &self.docs
    }
}

/// Parses `bytes` as JSON (or JSON-lines when `lines`).
pub(crate) fn parse_file(name: &str, bytes: Box<[u8]>, lines: bool) -> Result<Parsed, LoadError> {
    // SAFETY: `docs` borrows from the heap block of `bytes`, which never moves or changes while
    // `Parsed` lives, and `docs` is dropped before `bytes` (field order). The `'static` never
    // escapes: `Parsed::docs` re-ties it to `&self`.
    let slice: &'static [u8] = unsafe { std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()) };
    let mut docs = Vec::new();
    if lines {
        let mut start = 0;
        for (n, line) in slice.split(|&b| b == b'\n').enumerate() {
            let _ = start;
            start += line.len() + 1;
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            match raw::parse(line) {
                Ok(doc) => docs.push((n + 1, doc)),
                Err(e) => {
                    return Err(LoadError::Json {
                        file: name.to_string(),
                        line: n + 1,
                        column: e.column(),
                        message: json_message(&e),
                    })
                }
            }
        }
    } else {
        match raw::parse(slice) {
            Ok(doc) => docs.push((0, doc)),
            Err(e) => {
                return Err(LoadError::Json {
                    file: name.to_string(),
                    line: e.line(),
                    column: e.column(),
                    message: json_message(&e),
                })
            }
        }
    }
    let hashes = raw::number_strings(&docs);
    Ok(Parsed {
        docs,
        hashes,
        bytes,
    })
}
