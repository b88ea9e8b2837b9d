//! The one error type of the crate: every variant names the path it is about.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a filesystem operation was refused or failed. The `Display` text is a complete sentence
/// fragment naming the file, ready for a command's error output.
#[derive(Debug)]
pub enum FsError {
    /// The operating system reported an error while doing `action` ("read", "write", …).
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What was being done, as a verb: "read", "create a temporary file for", ….
        action: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
    /// The real destination (after following symbolic links) is outside the allowed root.
    OutsideRoot {
        /// The path as given.
        path: PathBuf,
        /// Where it really leads.
        target: PathBuf,
        /// The root it had to stay in.
        root: PathBuf,
    },
    /// The file is longer than the limit (or endless, like `/dev/zero`).
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A folder (or something else that is not a file) where a file was expected.
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The path is on a pseudo filesystem (`/proc`, `/sys`) that j1ql refuses to walk or write.
    PseudoFilesystem {
        /// The path as given.
        path: PathBuf,
        /// Its real path.
        real: PathBuf,
    },
    /// The file's bytes are not UTF-8.
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The offset of the first byte that is not part of valid UTF-8.
        valid_up_to: usize,
    },
    /// A symbolic link whose target does not exist.
    BrokenLink {
        /// The link.
        path: PathBuf,
    },
}

impl FsError {
    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        FsError::Io {
            path: path.into(),
            action,
            source,
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            FsError::Io { path, .. }
            | FsError::OutsideRoot { path, .. }
            | FsError::TooLarge { path, .. }
            | FsError::NotAFile { path }
            | FsError::PseudoFilesystem { path, .. }
            | FsError::NotUtf8 { path, .. }
            | FsError::BrokenLink { path } => path,
        }
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} `{}`: {source}", path.display()),
            FsError::OutsideRoot { path, target, root } => write!(
                f,
                "refusing to write `{}`: it leads to `{}`, outside `{}` (a symbolic link?)",
                path.display(),
                target.display(),
                root.display()
            ),
            FsError::TooLarge { path, limit } => write!(
                f,
                "cannot read `{}`: it is larger than the limit of {limit} bytes (or endless); see docs/limits.md",
                path.display()
            ),
            FsError::NotAFile { path } => write!(f, "`{}` is not a file", path.display()),
            FsError::PseudoFilesystem { path, real } => write!(
                f,
                "refusing `{}`: `{}` is on a pseudo filesystem (/proc, /sys), whose files can be endless",
                path.display(),
                real.display()
            ),
            FsError::NotUtf8 { path, valid_up_to } => write!(
                f,
                "cannot read `{}`: not valid UTF-8 (at byte {valid_up_to})",
                path.display()
            ),
            FsError::BrokenLink { path } => write!(
                f,
                "`{}` is a symbolic link to a file that does not exist",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FsError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
