//! Writing a file in place, atomically and only inside the repository.
//!
//! The new text goes to a temporary file in the same folder, which is flushed to disk
//! (`fsync`), given the old file's permissions, and renamed over the old file: a crash or a
//! full disk leaves either the old file or the new one, never a part. A path that is (or
//! passes through) a symbolic link is written at its target only when the target is inside
//! the root; otherwise nothing is written and an error says why.

use std::io::Write;
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

/// Where a write to `path` really lands: links resolved, checked to be inside `root`.
pub fn real_target(path: &Path, root: &Path) -> Result<PathBuf, String> {
    let root_real = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve `{}`: {e}", root.display()))?;
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path
            .canonicalize()
            .map_err(|e| format!("`{}` is a broken link: {e}", path.display()))?,
        _ => {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .ok_or_else(|| format!("`{}` is not a file name", path.display()))?;
            parent
                .canonicalize()
                .map_err(|e| format!("cannot resolve `{}`: {e}", parent.display()))?
                .join(name)
        }
    };
    if !target.starts_with(&root_real) {
        return Err(format!(
            "`{}` leads to `{}`, outside `{}`: not written",
            path.display(),
            target.display(),
            root_real.display()
        ));
    }
    Ok(target)
}

/// Replaces the file at `path` with `text`, atomically, refusing targets outside `root`.
pub fn write_atomic(path: &Path, text: &str, root: &Path) -> Result<(), String> {
    let target = real_target(path, root)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let describe = |e: std::io::Error| format!("cannot write `{}`: {e}", path.display());
    let mut temp = tempfile::Builder::new()
        .prefix(".j1ql-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(describe)?;
    temp.write_all(text.as_bytes()).map_err(describe)?;
    temp.as_file().sync_all().map_err(describe)?;
    if let Some(p) = permissions {
        temp.as_file().set_permissions(p).map_err(describe)?;
    }
    temp.persist(&target).map_err(|e| describe(e.error))?;
    // The rename itself reaches the disk with the folder's metadata (best effort).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
