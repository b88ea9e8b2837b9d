//! J1QL on openCypher engines (docs/cypher.md).
//!
//! [`translate()`] compiles a lowered query ([`j1ql_semantics::ir::Query`]) to one openCypher
//! query that returns J1's answer on a graph written by [`export`], or refuses it with a
//! [`Refusal`] naming the construct and why: exactness over coverage, never a query that means
//! something else. [`export`] writes a loaded graph in the same layout (labels: `_type` and each
//! `_class`; relationship type: the relationship's `_class` verb; properties as stored).

pub mod export;
mod refusal;
pub mod text;
pub mod translate;

pub use refusal::Refusal;
pub use translate::{translate, translate_with, Translation};
