//! # j1ql-eval
//!
//! The evaluator shared by `j1ql run`, query suites and the language server: it runs a
//! lowered query ([`j1ql_semantics::ir::Query`]) over a loaded [`j1ql_graph::Graph`] and
//! returns results in JupiterOne's shapes (list, table, tree).

mod admit;
mod bindings;
mod cancel;
mod compare;
mod error;
mod evaluate;
mod fastfilter;
mod filter;
mod functions;
mod indexed;
mod json;
mod numeric;
mod paths;
mod pattern;
mod reduce;
mod resolve;
mod stream;

pub use cancel::{Cancel, CancelOnDrop};
pub use error::EvalError;
pub use evaluate::{compare_json, evaluate, EvalOptions, QueryResult};
pub use paths::{Budget, DEFAULT_MAX_WORK, MAX_WORK_ENV};
pub use reduce::PlanChoice;
pub use resolve::ValueContext;
pub mod demo;
pub mod run;
pub use run::{run_query, RunError};
mod explain;
pub use explain::explain;
