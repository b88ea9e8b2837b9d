//! # j1ql-eval
//!
//! The evaluator shared by `j1ql run`, query suites and the language server: it runs a
//! lowered query ([`j1ql_semantics::ir::Query`]) over a loaded [`j1ql_graph::Graph`] and
//! returns results in JupiterOne's shapes (list, table, tree).
