//! A directory walker that cannot loop and does not wander.
//!
//! It keeps the real (canonical) path of every folder and file it has visited: a symbolic link
//! back to a folder already on the walk (`ln -s . d/self`, two links pointing at each other's
//! folders) is reported as a cycle and not entered again, and a file reached through several
//! links is listed once. Links whose real target is outside the root's real path are not
//! followed unless [`Walker::follow_links_out_of_root`] says so. The walk is iterative (an
//! explicit stack), so deep trees do not grow the call stack.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{is_pseudo_filesystem, FsError};

/// The result of a walk: the kept files, and everything left out on purpose.
#[derive(Debug, Default)]
pub struct Walk {
    /// The files the filter kept, as reached from the root (not canonicalised), sorted.
    pub files: Vec<PathBuf>,
    /// Folders and files not visited, with the reason, in the order met. Callers report these
    /// (as warnings) so nothing is skipped silently.
    pub skipped: Vec<Skipped>,
}

/// One path the walk did not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path as reached from the root.
    pub path: PathBuf,
    /// Why it was not followed.
    pub reason: SkipReason,
}

/// Why a path was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A link to a folder already visited (a cycle, or the same folder twice); `real` is its
    /// real path.
    AlreadyVisited {
        /// The real path the link leads to.
        real: PathBuf,
    },
    /// A link whose real target is outside the walk's root.
    LeavesRoot {
        /// The real path the link leads to.
        target: PathBuf,
    },
    /// A link whose target is on a pseudo filesystem (`/proc`, `/sys`).
    PseudoFilesystem {
        /// The real path the link leads to.
        target: PathBuf,
    },
    /// A link whose target does not exist.
    BrokenLink,
    /// Not a regular file (a FIFO, socket or device) although its name matched.
    NotARegularFile,
    /// The operating system refused to read it.
    Unreadable {
        /// The operating system's message.
        message: String,
    },
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path.display();
        match &self.reason {
            SkipReason::AlreadyVisited { real } => write!(
                f,
                "skipped `{path}`: it leads to `{}`, already visited (a symbolic-link cycle or duplicate)",
                real.display()
            ),
            SkipReason::LeavesRoot { target } => write!(
                f,
                "skipped `{path}`: a symbolic link to `{}`, outside the folder being read",
                target.display()
            ),
            SkipReason::PseudoFilesystem { target } => write!(
                f,
                "skipped `{path}`: it leads to `{}`, on a pseudo filesystem (/proc, /sys)",
                target.display()
            ),
            SkipReason::BrokenLink => write!(f, "skipped `{path}`: a broken symbolic link"),
            SkipReason::NotARegularFile => {
                write!(f, "skipped `{path}`: not a regular file (FIFO, socket or device)")
            }
            SkipReason::Unreadable { message } => write!(f, "skipped `{path}`: {message}"),
        }
    }
}

type PathFilter<'a> = Box<dyn FnMut(&Path) -> bool + 'a>;

/// Configures and runs a walk. By default links inside the root are followed, links out of it
/// are not, every folder is entered and every file kept.
pub struct Walker<'a> {
    root: PathBuf,
    follow_links: bool,
    follow_links_out_of_root: bool,
    enter_dir: PathFilter<'a>,
    keep_file: PathFilter<'a>,
}

impl<'a> Walker<'a> {
    /// A walker over `root` (a folder; a file root yields that file).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Walker {
            root: root.into(),
            follow_links: true,
            follow_links_out_of_root: false,
            enter_dir: Box::new(|_| true),
            keep_file: Box::new(|_| true),
        }
    }

    /// Whether to follow symbolic links at all (default: yes, within the root).
    pub fn follow_links(mut self, follow: bool) -> Self {
        self.follow_links = follow;
        self
    }

    /// Whether links may lead outside the root (default: no; they are reported as
    /// [`SkipReason::LeavesRoot`]). Cycles are still detected.
    pub fn follow_links_out_of_root(mut self, follow: bool) -> Self {
        self.follow_links_out_of_root = follow;
        self
    }

    /// Folders (below the root) for which `enter` returns false are not entered and not
    /// reported (for `target/`, `.git/`, …).
    pub fn enter_dir(mut self, enter: impl FnMut(&Path) -> bool + 'a) -> Self {
        self.enter_dir = Box::new(enter);
        self
    }

    /// Only files for which `keep` returns true are listed (and only those are reported when
    /// skipped).
    pub fn keep_file(mut self, keep: impl FnMut(&Path) -> bool + 'a) -> Self {
        self.keep_file = Box::new(keep);
        self
    }

    /// Walks. Fails only when the root itself cannot be read or is on a pseudo filesystem;
    /// problems below it are reported in [`Walk::skipped`].
    pub fn run(mut self) -> Result<Walk, FsError> {
        let root = self.root.clone();
        let root_real = fs::canonicalize(&root).map_err(|e| {
            if fs::symlink_metadata(&root).is_ok_and(|m| m.file_type().is_symlink())
                && e.kind() == io::ErrorKind::NotFound
            {
                FsError::BrokenLink { path: root.clone() }
            } else {
                FsError::io(&root, "read", e)
            }
        })?;
        if is_pseudo_filesystem(&root_real) {
            return Err(FsError::PseudoFilesystem {
                path: root,
                real: root_real,
            });
        }
        let mut walk = Walk::default();
        let meta = fs::metadata(&root_real).map_err(|e| FsError::io(&root, "read", e))?;
        if !meta.is_dir() {
            if meta.is_file() {
                walk.files.push(root);
            } else {
                return Err(FsError::NotAFile { path: root });
            }
            return Ok(walk);
        }
        let mut visited_dirs: HashSet<PathBuf> = HashSet::new();
        let mut visited_files: HashSet<PathBuf> = HashSet::new();
        visited_dirs.insert(root_real.clone());
        // (path as reached, real path); popped last-in first-out, pushed in reverse order so
        // that the walk is depth-first in sorted order, a folder's files before its subfolders
        // (the first of two ways to a file is the one listed).
        let mut stack = vec![(root.clone(), root_real.clone())];
        while let Some((dir, dir_real)) = stack.pop() {
            let entries = match read_sorted(&dir) {
                Ok(entries) => entries,
                Err(e) => {
                    if dir == root {
                        return Err(FsError::io(&dir, "read the folder", e));
                    }
                    walk.skipped.push(Skipped {
                        path: dir,
                        reason: SkipReason::Unreadable {
                            message: e.to_string(),
                        },
                    });
                    continue;
                }
            };
            let mut subdirs = Vec::new();
            for (path, name, file_type) in entries {
                let (real, meta) = if file_type.is_symlink() {
                    if !self.follow_links {
                        continue;
                    }
                    match self.resolve_link(&path, &root_real) {
                        Ok(found) => found,
                        Err(skip) => {
                            // A skipped link to a file is only worth a report if its name
                            // would have been kept.
                            let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
                            if is_dir || (self.keep_file)(&path) {
                                walk.skipped.push(skip);
                            }
                            continue;
                        }
                    }
                } else {
                    let meta = match fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) => {
                            walk.skipped.push(Skipped {
                                path,
                                reason: SkipReason::Unreadable {
                                    message: e.to_string(),
                                },
                            });
                            continue;
                        }
                    };
                    (dir_real.join(&name), meta)
                };
                if meta.is_dir() {
                    if !(self.enter_dir)(&path) {
                        continue;
                    }
                    if !visited_dirs.insert(real.clone()) {
                        walk.skipped.push(Skipped {
                            path,
                            reason: SkipReason::AlreadyVisited { real },
                        });
                        continue;
                    }
                    subdirs.push((path, real));
                } else if (self.keep_file)(&path) {
                    if !meta.is_file() {
                        walk.skipped.push(Skipped {
                            path,
                            reason: SkipReason::NotARegularFile,
                        });
                    } else if !visited_files.insert(real.clone()) {
                        walk.skipped.push(Skipped {
                            path,
                            reason: SkipReason::AlreadyVisited { real },
                        });
                    } else {
                        walk.files.push(path);
                    }
                }
            }
            stack.extend(subdirs.into_iter().rev());
        }
        walk.files.sort();
        Ok(walk)
    }

    /// The real path and metadata of a link's target, or why it is not followed.
    fn resolve_link(
        &self,
        path: &Path,
        root_real: &Path,
    ) -> Result<(PathBuf, fs::Metadata), Skipped> {
        let skip = |reason| Skipped {
            path: path.to_path_buf(),
            reason,
        };
        let real = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(skip(SkipReason::BrokenLink))
            }
            Err(e) => {
                return Err(skip(SkipReason::Unreadable {
                    message: e.to_string(),
                }))
            }
        };
        if is_pseudo_filesystem(&real) {
            return Err(skip(SkipReason::PseudoFilesystem { target: real }));
        }
        if !self.follow_links_out_of_root && !real.starts_with(root_real) {
            return Err(skip(SkipReason::LeavesRoot { target: real }));
        }
        match fs::metadata(&real) {
            Ok(meta) => Ok((real, meta)),
            Err(e) => Err(skip(SkipReason::Unreadable {
                message: e.to_string(),
            })),
        }
    }
}

/// The entries of a folder, sorted by name: (path, name, type without following links).
fn read_sorted(dir: &Path) -> io::Result<Vec<(PathBuf, std::ffi::OsString, fs::FileType)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.push((entry.path(), entry.file_name(), entry.file_type()?));
    }
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(entries)
}
