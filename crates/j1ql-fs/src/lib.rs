//! Filesystem safety for every j1ql command that reads folders or writes files in place.
//!
//! Three helpers, each closing a class of bug found by hardening (see `docs/limits.md`):
//!
//! - [`atomic_write`] / [`atomic_write_within`]: a file is either its old bytes or its new
//!   bytes, never a prefix of the new ones. The new bytes go to a temporary file in the same
//!   folder, which is flushed to disk (`fsync`) and then renamed over the original; the
//!   original's permission bits are kept. A failed write (disk full, `ulimit -f`, a kill) leaves
//!   the original untouched. [`atomic_write_within`] also refuses to write when the real
//!   destination (after following symbolic links) is outside a given root, so a repository
//!   cannot make j1ql overwrite files elsewhere through a link.
//! - [`Walker`]: a directory walker that remembers the real path of every folder and file it
//!   visited, so symbolic-link cycles (`ln -s . d/self`) end and a file reached twice is listed
//!   once; it never follows a link out of its root unless told to, and it refuses to walk
//!   pseudo filesystems (`/proc`, `/sys`). Everything it leaves out on purpose is reported in
//!   [`Walk::skipped`], never dropped silently.
//! - [`read_bounded`] / [`read_to_string_bounded`]: reads at most a given number of bytes and
//!   fails with a clear error past it, so an endless file (`/dev/zero`, a `/proc` file) or an
//!   oversized one cannot exhaust memory.
//!
//! The crate depends on no other j1ql crate, so every layer can use it.

mod bounded;
mod error;
mod walk;
mod write;

pub use bounded::{
    max_data_bytes, max_source_bytes, read_bounded, read_to_string_bounded, DEFAULT_MAX_DATA_BYTES,
    DEFAULT_MAX_SOURCE_BYTES, MAX_DATA_BYTES_ENV, MAX_SOURCE_BYTES_ENV,
};
pub use error::FsError;
pub use walk::{SkipReason, Skipped, Walk, Walker};
pub use write::{atomic_write, atomic_write_within};

/// Whether `real` (a canonical path) is on a Linux pseudo filesystem (`/proc`, `/sys`), whose
/// files can be endless and whose folders link back to the whole filesystem.
pub fn is_pseudo_filesystem(real: &std::path::Path) -> bool {
    real.starts_with("/proc") || real.starts_with("/sys")
}
