//! Atomic in-place writes: temporary file in the destination's folder, `fsync`, rename.
//!
//! A rename within one folder replaces the destination in a single step, so readers (and a
//! crash at any moment) see either the old bytes or the new ones. If anything fails before the
//! rename, the temporary file is removed and the original is untouched. A process killed during
//! the write (SIGKILL, `ulimit -f` exceeded) can leave its hidden temporary file
//! (`.NAME.PID-N.j1ql-tmp`) behind, but never a truncated original.
//!
//! Symbolic links are written through: the link stays a link and its target gets the new
//! bytes. [`atomic_write_within`] first checks that this target is inside a root folder.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{is_pseudo_filesystem, FsError};

/// Replaces the contents of `path` with `bytes` atomically, keeping the file's permission bits
/// (a new file gets the default ones, as `File::create` would give). A symbolic link is
/// followed and its target replaced. Use [`atomic_write_within`] when the path comes from a
/// repository that should not be able to redirect the write elsewhere.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let destination = Destination::resolve(path)?;
    destination.replace(path, bytes)
}

/// [`atomic_write`], but refuses (with [`FsError::OutsideRoot`]) when the real destination,
/// after following every symbolic link in `path`, is not inside the real path of `root`.
pub fn atomic_write_within(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let root_real = fs::canonicalize(root).map_err(|e| FsError::io(root, "resolve", e))?;
    let destination = Destination::resolve(path)?;
    if !destination.real.starts_with(&root_real) {
        return Err(FsError::OutsideRoot {
            path: path.to_path_buf(),
            target: destination.real,
            root: root_real,
        });
    }
    destination.replace(path, bytes)
}

/// Where the bytes really go and what permissions the file had.
struct Destination {
    real: PathBuf,
    permissions: Option<Permissions>,
}

impl Destination {
    fn resolve(path: &Path) -> Result<Self, FsError> {
        match fs::symlink_metadata(path) {
            Ok(link_meta) => {
                let real = fs::canonicalize(path).map_err(|e| {
                    if link_meta.file_type().is_symlink() && e.kind() == io::ErrorKind::NotFound {
                        FsError::BrokenLink {
                            path: path.to_path_buf(),
                        }
                    } else {
                        FsError::io(path, "resolve", e)
                    }
                })?;
                let meta = fs::metadata(&real).map_err(|e| FsError::io(path, "resolve", e))?;
                if !meta.is_file() {
                    return Err(FsError::NotAFile {
                        path: path.to_path_buf(),
                    });
                }
                check_not_pseudo(path, &real)?;
                Ok(Destination {
                    real,
                    permissions: Some(meta.permissions()),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let name = path.file_name().ok_or_else(|| FsError::NotAFile {
                    path: path.to_path_buf(),
                })?;
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let real_parent =
                    fs::canonicalize(parent).map_err(|e| FsError::io(parent, "resolve", e))?;
                let real = real_parent.join(name);
                check_not_pseudo(path, &real)?;
                Ok(Destination {
                    real,
                    permissions: None,
                })
            }
            Err(e) => Err(FsError::io(path, "read the metadata of", e)),
        }
    }

    /// Writes `bytes` to a temporary file next to the real destination, then renames it over.
    fn replace(&self, shown: &Path, bytes: &[u8]) -> Result<(), FsError> {
        let folder = self.real.parent().unwrap_or(Path::new("/"));
        let (temp_path, mut temp) = create_temp(folder, &self.real)
            .map_err(|e| FsError::io(shown, "create a temporary file for", e))?;
        let written = (|| {
            temp.write_all(bytes)?;
            if let Some(permissions) = &self.permissions {
                temp.set_permissions(permissions.clone())?;
            }
            temp.sync_all()?;
            drop(temp);
            fs::rename(&temp_path, &self.real)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&temp_path);
            return Err(FsError::io(shown, "write", e));
        }
        // Makes the rename itself durable. Some filesystems refuse to sync a folder; the data
        // is already safe then, so that error is not reported.
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn check_not_pseudo(path: &Path, real: &Path) -> Result<(), FsError> {
    if is_pseudo_filesystem(real) {
        return Err(FsError::PseudoFilesystem {
            path: path.to_path_buf(),
            real: real.to_path_buf(),
        });
    }
    Ok(())
}

/// Creates a new hidden file `.NAME.PID-N.j1ql-tmp` in `folder` (never opening an existing one).
fn create_temp(folder: &Path, real: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last_error = None;
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let candidate = folder.join(format!(".{name}.{}-{n}.j1ql-tmp", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}
