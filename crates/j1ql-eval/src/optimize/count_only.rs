//! Rewrite: count-only and the semi-join on the starting entities. When every WHERE conjunct
//! was pushed down and the steps are plain traversals, a result that only lists the starting
//! entities (the default list without ORDER BY: stop after SKIP + LIMIT of them) or only
//! counts them (`RETURN count(start)`) needs one path per starting entity, not every path:
//! [`Mode::RootsOnly`]. Without a page the walk counts instead of keeping rows, and a start
//! pattern answered by the value groups is counted without a walk at all.

use j1ql_semantics::ir;

use crate::bindings::{Binding, Bindings};
use crate::plan::{Mode, Plan, PlanStep};

impl Plan {
    /// What the result needs from the paths: every path, or one per starting entity.
    pub(crate) fn choose_mode(&self, query: &ir::Query, bindings: &Bindings) -> Mode {
        let simple = self.where_pushed
            && self.leading_optionals == 0
            && self
                .steps
                .iter()
                .all(|s| matches!(s, PlanStep::Traverse { .. }));
        if !simple {
            return Mode::Paths;
        }
        match &query.returns {
            ir::Return::Default if query.order_by.is_empty() => Mode::RootsOnly {
                max_roots: Some(
                    (query.skip.saturating_add(query.limit)).min(usize::MAX as u64) as usize,
                ),
            },
            ir::Return::Columns(columns)
                if !columns.is_empty()
                    && columns.iter().all(|c| match &c.expr {
                        ir::Expr::Aggregate {
                            func: ir::Aggregate::Count,
                            arg: Some(arg),
                        } => matches!(
                            &**arg,
                            ir::Expr::Selector(name)
                                if bindings.get(&name.text) == Some(Binding::Entity(0))
                        ),
                        _ => false,
                    }) =>
            {
                Mode::RootsOnly { max_roots: None }
            }
            _ => Mode::Paths,
        }
    }
}
