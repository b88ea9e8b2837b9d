//! Parser events (rust-analyzer style): the parser never builds nodes directly; it records
//! what it saw, and the [`super::sink`] turns the events into a rowan tree afterwards.

use crate::SyntaxKind;

/// One step of the parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A node starts. `forward_parent` points (relatively) at a later `Start` that must be
    /// opened *before* this one: that is how [`super::CompletedMarker::precede`] wraps an
    /// already parsed node (a left operand) into a new parent (a binary filter).
    Start {
        kind: SyntaxKind,
        forward_parent: Option<u32>,
    },
    /// The innermost open node ends.
    Finish,
    /// The next significant token is added to the innermost open node.
    Token,
    /// A `Start` that was abandoned or already consumed through a forward parent.
    Tombstone,
}
