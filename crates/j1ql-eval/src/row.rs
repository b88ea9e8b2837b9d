//! The slot layout every operator shares: a row binds one entity and one relationship per
//! slot (the start is slot 0, each traversal target the next slot in order of appearance,
//! through optional groups) and the current entity of each optional group. [`NONE`] marks an
//! unbound slot.

use j1ql_graph::{EntityId, PropValue, RelId};

/// Marks an unbound slot.
pub const NONE: u32 = u32::MAX;

/// One complete path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    /// Entity per slot ([`NONE`] when unbound).
    pub entities: Vec<u32>,
    /// Relationship per slot ([`NONE`] for the start and unbound slots).
    pub relationships: Vec<u32>,
    /// Current entity per optional group.
    pub optionals: Vec<u32>,
    /// The starting entity this row belongs to (see [`crate::plan::Plan::leading_optionals`]).
    pub root: u32,
    /// Where the path currently stands.
    pub(crate) cur: u32,
}

impl Row {
    /// The entity in `slot`.
    pub fn entity(&self, slot: usize) -> Option<EntityId> {
        self.entities
            .get(slot)
            .filter(|e| **e != NONE)
            .map(|e| EntityId(*e))
    }

    /// The relationship in `slot`.
    pub fn relationship(&self, slot: usize) -> Option<RelId> {
        self.relationships
            .get(slot)
            .filter(|r| **r != NONE)
            .map(|r| RelId(*r))
    }

    /// The current entity of optional group `slot`.
    pub fn optional(&self, slot: usize) -> Option<EntityId> {
        self.optionals
            .get(slot)
            .filter(|e| **e != NONE)
            .map(|e| EntityId(*e))
    }
}

/// The bound slots of a (partial) row, as the compiled filters read them (and, for HAVING,
/// the values of a result row's columns).
#[derive(Clone, Copy)]
pub struct Slots<'a> {
    /// Entity per slot.
    pub entities: &'a [u32],
    /// Relationship per slot.
    pub relationships: &'a [u32],
    /// Current entity per optional group.
    pub optionals: &'a [u32],
    /// Column values (HAVING).
    pub columns: &'a [Option<PropValue>],
}

impl<'a> Slots<'a> {
    /// No slots (WITH filters).
    pub const EMPTY: Slots<'static> = Slots {
        entities: &[],
        relationships: &[],
        optionals: &[],
        columns: &[],
    };

    /// Entity and relationship slots only (the walk and the reduction).
    pub fn chain(entities: &'a [u32], relationships: &'a [u32]) -> Slots<'a> {
        Slots {
            entities,
            relationships,
            ..Slots::EMPTY
        }
    }

    /// Every slot of a complete row.
    pub fn row(row: &'a Row) -> Slots<'a> {
        Slots {
            entities: &row.entities,
            relationships: &row.relationships,
            optionals: &row.optionals,
            columns: &[],
        }
    }
}
