//! Size-bounded reads: a file longer than the limit, or endless (`/dev/zero`, some `/proc`
//! files, a pipe that never closes its end after a flood), fails with [`FsError::TooLarge`]
//! after reading at most `limit + 1` bytes, instead of exhausting memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::FsError;

/// The default limit for one query source file (`.j1ql`, YAML, Markdown…): 64 MiB.
pub const DEFAULT_MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// The default limit for one graph data file (JSON, JSON Lines): 4 GiB.
pub const DEFAULT_MAX_DATA_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// The environment variable that overrides [`DEFAULT_MAX_SOURCE_BYTES`] (a number of bytes).
pub const MAX_SOURCE_BYTES_ENV: &str = "J1QL_MAX_SOURCE_BYTES";
/// The environment variable that overrides [`DEFAULT_MAX_DATA_BYTES`] (a number of bytes).
pub const MAX_DATA_BYTES_ENV: &str = "J1QL_MAX_DATA_BYTES";

/// The limit for one query source file: `J1QL_MAX_SOURCE_BYTES` when it is set to a number,
/// otherwise [`DEFAULT_MAX_SOURCE_BYTES`].
pub fn max_source_bytes() -> u64 {
    limit_from_env(MAX_SOURCE_BYTES_ENV, DEFAULT_MAX_SOURCE_BYTES)
}

/// The limit for one graph data file: `J1QL_MAX_DATA_BYTES` when it is set to a number,
/// otherwise [`DEFAULT_MAX_DATA_BYTES`].
pub fn max_data_bytes() -> u64 {
    limit_from_env(MAX_DATA_BYTES_ENV, DEFAULT_MAX_DATA_BYTES)
}

fn limit_from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Reads the whole of `path`, refusing folders and anything longer than `limit` bytes.
///
/// Regular files whose size is known are refused before reading; files that report no size
/// (`/proc`, devices, pipes) are read up to `limit + 1` bytes and refused then.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, FsError> {
    let file = File::open(path).map_err(|e| FsError::io(path, "read", e))?;
    let meta = file.metadata().map_err(|e| FsError::io(path, "read", e))?;
    if meta.is_dir() {
        return Err(FsError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.is_file() && meta.len() > limit {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let capacity = if meta.is_file() {
        meta.len() as usize
    } else {
        0
    };
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FsError::io(path, "read", e))?;
    if bytes.len() as u64 > limit {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_bounded`], then checks that the bytes are UTF-8. A leading UTF-8 byte order mark is
/// kept (callers that want it gone strip it, so that offsets stay those of the file).
pub fn read_to_string_bounded(path: &Path, limit: u64) -> Result<String, FsError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|e| FsError::NotUtf8 {
        path: path.to_path_buf(),
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}
