//! One chain slot's test: its pattern (class/type included) and the WHERE conjuncts pushed to
//! it that read only its entity — what the semi-join reduction and the planner's estimates
//! check each entity against.

use j1ql_graph::{EntityId, Graph};

use crate::filter::Filter;
use crate::pattern::Pattern;
use crate::plan::{ChainSlot, Plan, PlanStep};
use crate::row::{Slots, NONE};

/// The pattern and the traversal (verbs, direction as written) that bind a chain slot.
pub(crate) fn slot_pattern<'p>(plan: &'p Plan, link: &ChainSlot) -> &'p Pattern {
    match link.step.map(|i| &plan.steps[i]) {
        Some(PlanStep::Traverse { target, .. }) => target,
        _ => &plan.start,
    }
}

/// The WHERE conjuncts pushed to a chain slot that read only that slot's entity.
pub(crate) fn slot_checks<'p>(plan: &'p Plan, link: &ChainSlot) -> Vec<&'p Filter> {
    let checks = match link.step.map(|i| &plan.steps[i]) {
        Some(PlanStep::Traverse { checks, .. }) => checks.as_slice(),
        _ => plan.start_checks.as_slice(),
    };
    checks
        .iter()
        .filter(|c| c.only_entity_slot() == Some(link.slot))
        .collect()
}

/// Tests one entity against a slot's pattern (class/type included) and its own checks.
pub(crate) struct SlotTest<'p> {
    pub(crate) pattern: &'p Pattern,
    pub(crate) checks: Vec<&'p Filter>,
    pub(crate) slot: usize,
    scratch: Vec<u32>,
}

impl<'p> SlotTest<'p> {
    pub(crate) fn new(plan: &'p Plan, link: &ChainSlot) -> SlotTest<'p> {
        SlotTest {
            pattern: slot_pattern(plan, link),
            checks: slot_checks(plan, link),
            slot: link.slot,
            scratch: vec![NONE; plan.slots],
        }
    }

    /// The work of one test: the pattern's ([`Pattern::check_cost`]) plus the comparisons of
    /// the slot's own checks, as the walk charges them.
    pub(crate) fn cost(&self) -> u64 {
        self.checks
            .iter()
            .map(|c| c.cost())
            .fold(self.pattern.check_cost(), u64::saturating_add)
    }

    pub(crate) fn matches(&mut self, graph: &Graph, id: EntityId, class_known: bool) -> bool {
        let ok = if class_known {
            self.pattern.matches_rest(graph, id)
        } else {
            self.pattern.matches(graph, id)
        };
        if !ok {
            return false;
        }
        if self.checks.is_empty() {
            return true;
        }
        self.scratch[self.slot] = id.0;
        let slots = Slots::chain(&self.scratch, &[]);
        let pass = self.checks.iter().all(|c| c.eval(graph, id, slots));
        self.scratch[self.slot] = NONE;
        pass
    }
}
