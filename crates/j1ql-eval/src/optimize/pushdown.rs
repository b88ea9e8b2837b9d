//! Rewrite: predicate pushdown. Each WHERE conjunct that reads only top-level, always-bound
//! slots moves from the row filter to the step that binds the last slot it reads, so a path
//! failing it is cut as soon as it can be decided instead of after it is complete. Conjuncts
//! on one entity alone come first at their step (a slot reduced by the semi-join holds only
//! entities passing them, so the walk skips those there). A cross-alias conjunct such as
//! `sg.region = b.region` becomes a join predicate checked once both slots are bound. When
//! every conjunct moved, no row filter runs at all and the later rewrites (count-only,
//! streamed grouping) may apply.

use j1ql_graph::Graph;
use j1ql_semantics::ir;

use crate::bindings::Bindings;
use crate::error::EvalError;
use crate::filter::Filter;
use crate::plan::{Plan, PlanStep};
use crate::resolve::ValueContext;

impl Plan {
    /// Moves the WHERE conjuncts that read only top-level, always-bound slots to the step
    /// that binds the last of them, so paths that fail them are cut as soon as possible (the
    /// row filter still runs afterwards, so this only prunes). Returns whether every conjunct
    /// was moved.
    pub(crate) fn push_down(
        &mut self,
        filter: &ir::Filter,
        graph: &Graph,
        cx: &ValueContext,
        bindings: &Bindings,
    ) -> Result<bool, EvalError> {
        let conjuncts: Vec<&ir::Filter> = match filter {
            ir::Filter::And(v) => v.iter().collect(),
            f => vec![f],
        };
        // Slot -> top-level step index + 1 (0: the start).
        let mut at = vec![None; self.slots];
        at[0] = Some(0usize);
        for (i, step) in self.steps.iter().enumerate() {
            if let PlanStep::Traverse {
                slot,
                negated: false,
                ..
            } = step
            {
                at[*slot] = Some(i + 1);
            }
        }
        let mut all = true;
        for conjunct in conjuncts {
            let Some(compiled) = Filter::compile_where(conjunct, graph, cx, bindings)? else {
                all = false;
                continue;
            };
            let mut slots = Vec::new();
            compiled.slots(&mut slots);
            let when: Option<Vec<usize>> = slots
                .iter()
                .map(|s| at.get(*s).copied().flatten())
                .collect();
            let Some(when) = when else {
                all = false;
                continue;
            };
            match when.into_iter().max().unwrap_or(0) {
                0 => {
                    self.start_checks_own &= compiled.only_entity_slot() == Some(0);
                    self.start_checks.push(compiled);
                }
                i => {
                    if let PlanStep::Traverse {
                        checks, own, slot, ..
                    } = &mut self.steps[i - 1]
                    {
                        if compiled.only_entity_slot() == Some(*slot) {
                            checks.insert(*own, compiled);
                            *own += 1;
                        } else {
                            checks.push(compiled);
                        }
                    }
                }
            }
        }
        Ok(all)
    }
}
