//! Rewrite: streamed grouping. A RETURN of key columns plus `count(alias)` / `count(*)`
//! columns, over a walk that keeps every path and runs every WHERE conjunct itself (pushed
//! down, join predicates included), is answered as the paths complete: each goes straight to
//! its group ([`crate::exec::group`]) and no row is kept. `EvalOptions::materialise_rows`
//! turns it off so that tests can compare it with the row-based grouping.

use j1ql_graph::Graph;
use j1ql_semantics::ir;

use crate::bindings::Bindings;
use crate::exec::group::GroupSpec;
use crate::plan::{Mode, Plan};
use crate::resolve::ValueContext;

/// The streamed grouped counts for `query`, when they apply: every WHERE conjunct runs inside
/// the walk (no row filter afterwards), the walk keeps every path, and the columns allow it
/// ([`GroupSpec::of`]).
pub(crate) fn group_spec<'q>(
    query: &'q ir::Query,
    plan: &Plan,
    graph: &Graph,
    bindings: &'q Bindings,
    cx: &'q ValueContext,
    materialise_rows: bool,
) -> Option<GroupSpec<'q>> {
    match &query.returns {
        ir::Return::Columns(columns)
            if plan.where_pushed
                && plan.mode == Mode::Paths
                && !materialise_rows
                && columns.iter().any(|c| c.expr.has_aggregate()) =>
        {
            GroupSpec::of(columns, graph, bindings, cx)
        }
        _ => None,
    }
}
