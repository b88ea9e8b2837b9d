//! # j1ql-semantics
//!
//! What a J1QL query means. The syntax crate says whether a query is well-formed; this crate
//! lowers its typed AST into a resolved [`ir::Query`], reports semantic diagnostics with stable
//! codes, normalises filters (De Morgan), and knows the JupiterOne data model ([`catalog`]).
//! The evaluator, formatter, linter and language server all consume it.

pub mod catalog;
pub mod dates;
pub mod diagnostics;
pub mod functions;
pub mod ir;
pub mod lower;
pub mod normalize;
pub mod suggest;

pub use diagnostics::{Code, Diagnostic, Fix, Severity, TextEdit};
pub mod analyze;
pub mod check;
pub mod smart_classes;

pub use analyze::{analyze, Analysis, Context, QueryAnalysis};
