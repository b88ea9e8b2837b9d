//! The rewrites that turn the logical plan ([`crate::plan`]) into the physical one, each in
//! its own file, applied in this order by [`Plan::compile`]:
//!
//! 1. [`direction`]: bidirectional steps narrowed to the side the data has;
//! 2. [`pushdown`]: WHERE conjuncts moved to the step that binds their last slot (join
//!    predicates across aliases included);
//! 3. [`count_only`]: one path per starting entity when the result only lists or counts them;
//! 4. [`semijoin`]: estimates per slot, and the semi-join reduction from the most selective;
//! 5. [`streamed_grouping`]: grouped counts computed as each path completes (decided per
//!    evaluation, it depends on the RETURN columns);
//!
//! and, per pattern, [`index_choice`]: the value-group index for a `type WITH property …`
//! filter. None of them changes a result: the planner proptest (`tests/planner.rs`) forces
//! each choice and compares.

pub(crate) mod count_only;
pub(crate) mod direction;
pub(crate) mod index_choice;
pub(crate) mod pushdown;
pub(crate) mod semijoin;
pub(crate) mod streamed_grouping;

use j1ql_graph::Graph;
use j1ql_semantics::ir;
use j1ql_semantics::smart_classes::SmartClasses;

use crate::bindings::Bindings;
use crate::error::EvalError;
use crate::plan::{Plan, PlanChoice, Strategy};
use crate::resolve::ValueContext;

impl Plan {
    /// The physical plan of a query: the logical plan ([`Plan::build`]) with every rewrite
    /// applied; `choice` forces where the walk is planned from (tests).
    pub fn compile(
        query: &ir::Query,
        graph: &Graph,
        cx: &ValueContext,
        smart: &SmartClasses,
        choice: PlanChoice,
    ) -> Result<Plan, EvalError> {
        let mut plan = Plan::build(query, graph, cx, smart)?;
        plan.narrow_directions(graph);
        let bindings = Bindings::of(query);
        if let Some(w) = &query.where_filter {
            plan.where_pushed = plan.push_down(w, graph, cx, &bindings)?;
        }
        plan.mode = plan.choose_mode(query, &bindings);
        plan.strategy = Strategy::choose(&plan, graph, choice);
        Ok(plan)
    }
}
