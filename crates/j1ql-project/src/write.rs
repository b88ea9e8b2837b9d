//! Writing a file in place, atomically and only inside the repository (the helpers of
//! `j1ql-fs`): a crash or a full disk leaves either the old file or the new one, never a part;
//! a path that is (or passes through) a symbolic link is written at its target only when the
//! target is inside the repository; otherwise nothing is written and an error says why.

use std::path::{Path, PathBuf};

/// The folder writes must stay in for `path`: the nearest folder above it holding `.git`,
/// else `fallback`.
pub fn repository_root(path: &Path, fallback: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| fallback.to_path_buf())
}

/// Replaces the file at `path` with `text`, atomically (`j1ql_fs::atomic_write_within`:
/// temporary file in the same folder, fsync, rename, permissions kept), refusing a
/// destination, links followed, outside `root`.
pub fn write_atomic(path: &Path, text: &str, root: &Path) -> Result<(), String> {
    j1ql_fs::atomic_write_within(root, path, text.as_bytes()).map_err(|e| e.to_string())
}
