//! # j1ql-project
//!
//! The project model every front-end shares (the role `ruff_workspace` plays for ruff): the
//! command-line tools, `j1ql test` and the language server all see the same queries, the same
//! configuration and the same diagnostics.
//!
//! - [`Project::discover`] finds the nearest `j1ql.toml` and yields its settings, parameters,
//!   smart classes and clock, the lazily loaded fixture graph and the data-model catalog
//!   extended by it, and the options each front-end needs (analysis context, evaluation,
//!   lint and format options per file).
//! - [`extract`] reads J1QL out of every host format ([`HostKind`]) with an exact map from
//!   each byte back into the host; [`rewrite`] writes new texts back and checks the result
//!   with a real parser of the host's format.
//! - [`files`] finds the host files of a folder (`include`/`exclude`, `.gitignore`).
//! - [`diagnose`] is the one diagnostics pipeline: syntax, semantics, lint, unknown
//!   parameters, ignore comments and unmapped regions, positioned in the host file.
//!
//! - [`Project::remote_settings`] resolves the live account's connection settings
//!   (environment and `[remote]`; docs/remote.md).
//!
//! See `docs/project.md`.

mod cache;
pub mod diagnostics;
mod extract;
pub mod files;
pub mod observed;
mod project;
mod region;
pub mod remote;
pub mod write;

pub use cache::Projects;
pub use diagnostics::{diagnose, FileReport, Finding};
pub use extract::{extract, rewrite, HostKind, Rewrite};
pub use project::{resolve_budget, tags, DataFacts, Project, ProjectError, DEFAULT_NOW_MS};
pub use region::{Extraction, LineEnding, Region, Unmapped};
pub use remote::{RemoteOrigins, RemoteSettings};

#[cfg(test)]
mod tests;
