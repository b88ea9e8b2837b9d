//! # j1ql-eval
//!
//! The evaluator shared by `j1ql run`, query suites and the language server: it runs a
//! lowered query ([`j1ql_semantics::ir::Query`]) over a loaded [`j1ql_graph::Graph`] and
//! returns results in JupiterOne's shapes (list, table, tree).

// The evaluator is laid out like a database engine (docs/evaluator.md): the logical plan
// built from the IR ([`plan`]), the rewrites that make it physical ([`optimize`], one file
// each), the operators that run it ([`exec`], one file each, over the slot layout of [`row`]),
// and the J1 result shapes ([`output`]); [`evaluate`] ties them together and [`explain`]
// prints the plan. `tests/layers.rs` fails when two of these modules import each other in a
// cycle.

mod bindings;
mod bitset;
mod budget;
mod cancel;
mod compare;
mod error;
mod evaluate;
mod exec;
mod filter;
mod functions;
mod json;
mod numeric;
mod optimize;
mod output;
mod pattern;
mod plan;
mod resolve;
mod row;
mod tuning;

pub use budget::{Budget, DEFAULT_MAX_WORK, MAX_WORK_ENV};
pub use cancel::{Cancel, CancelOnDrop};
pub use error::EvalError;
pub use evaluate::{compare_json, evaluate, EvalOptions};
pub use output::QueryResult;
pub use plan::PlanChoice;
pub use resolve::ValueContext;
pub mod demo;
pub mod run;
pub use run::{run_query, RunError};
mod explain;
pub use explain::explain;
