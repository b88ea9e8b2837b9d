//! What a load is told ([`LoadOptions`]) and what it tells back ([`LoadReport`]).

use std::fmt;

use serde::Serialize;

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Unresolved or ambiguous relationship endpoints are errors instead of reported skips.
    pub strict: bool,
    /// Apply JupiterOne's published global mapping rules (shipped with the crate) besides the
    /// fixtures' own `mappingRules`.
    pub global_mappings: bool,
    /// `_createdOn` / `_beginOn` for items that do not give them (epoch ms). `None`: the time of
    /// loading.
    pub timestamp_ms: Option<i64>,
    /// Cascade guard: the mapper does not create entities more than this many steps away from
    /// loaded data.
    pub max_mapper_depth: u32,
    /// Cascade guard: the most entities the mapper may create in one load.
    pub max_mapper_entities: usize,
    /// The most relationships the mapper may create in one load: one rule matching every
    /// user to every device through a shared value makes users × devices edges (36 million
    /// for 6,000 of each), which would exhaust memory. Past it the mapper stops relating and
    /// warns.
    pub max_mapper_relationships: usize,
    /// Threads that read and parse files (0: one per core).
    pub threads: usize,
    /// A file larger than this is parsed in pieces of about this many bytes on every thread
    /// (the elements of a bulk-upload file's `entities` and `relationships`, the lines of a
    /// JSON-lines file); smaller files are parsed whole, several at a time.
    pub chunk_bytes: usize,
    /// Told how far reading and building has come, in bytes of fixture files (a progress bar).
    pub progress: Option<Progress>,
}

/// A callback told `(bytes done, bytes in all)` as files and pieces of files are built (on the
/// building thread, after each file or piece: a few hundred calls for a big load).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            strict: false,
            global_mappings: false,
            timestamp_ms: None,
            max_mapper_depth: 16,
            max_mapper_entities: 1_000_000,
            max_mapper_relationships: 5_000_000,
            threads: 0,
            chunk_bytes: 4 << 20,
            progress: None,
        }
    }
}

/// A relationship that was not created, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedRelationship {
    /// The file (as given on the command line, or the name passed to the loader).
    pub file: String,
    /// The relationship's 0-based index among the file's relationships.
    pub index: usize,
    /// The 1-based line, for JSON-lines files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The relationship's `_key` (if given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The endpoint (`_fromEntityKey` value, `_toEntityId` value...) that did not resolve.
    pub endpoint: String,
    /// Why.
    pub reason: String,
}

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// Files read.
    pub files: usize,
    /// Entities in the graph (mapper-made ones included).
    pub entities: usize,
    /// Relationships in the graph (mapper-made ones included).
    pub relationships: usize,
    /// Entities the mapper created.
    pub mapper_entities: usize,
    /// Relationships the mapper created.
    pub mapper_relationships: usize,
    /// Relationships not created because an endpoint did not resolve.
    pub skipped_relationships: Vec<SkippedRelationship>,
    /// Items that updated an earlier item of the same subgraph and `_key` (upserts).
    pub duplicates: usize,
    /// Of `duplicates`, entities.
    pub duplicate_entities: usize,
    /// Of `duplicates`, relationships.
    pub duplicate_relationships: usize,
    /// Mapping rules applied (fixture rules plus global ones when enabled).
    pub mapping_rules: usize,
    /// Mapper problems: the cascade guard stopping creation, targets that could not be made.
    pub mapper_warnings: Vec<String>,
    /// Entities left out because they are `_deleted: true` (by [`crate::Graph::without_deleted`];
    /// a load keeps them).
    #[serde(skip_serializing_if = "is_zero")]
    pub deleted_entities: usize,
    /// Relationships left out because they are `_deleted: true` or touch a deleted entity.
    #[serde(skip_serializing_if = "is_zero")]
    pub deleted_relationships: usize,
    /// Paths the folder walk did not follow: symbolic-link cycles, a file reached twice,
    /// links leaving the folder, FIFOs and devices (see `j1ql_fs::Walker`).
    pub skipped_paths: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
