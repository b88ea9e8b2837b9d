//! Rewrite: semi-join reduction — where the walk is planned from. The walk always enumerates
//! paths from the starting entities forward (that order is the result order,
//! docs/contracts.md#run). Each entity slot of the chain gets an estimate (its candidates from
//! the class/type index times the selectivity of its pattern and of the WHERE conjuncts on
//! it alone, measured on an even sample); when a later slot is more selective than the start,
//! the semi-join reduction ([`crate::exec::reduce`]) runs from it first, so the walk starts
//! only from entities that lie on a complete chain. Tests force every choice
//! ([`PlanChoice::FromStep`]) and compare the results.

use j1ql_graph::{EntityId, Graph};

use crate::exec::slot_test::SlotTest;
use crate::plan::{ChainSlot, Mode, Plan, PlanChoice, PlanStep, Strategy};
use crate::tuning::ESTIMATE_SAMPLE;

impl Strategy {
    /// Estimates every chain slot and decides whether to reduce.
    pub fn choose(plan: &Plan, graph: &Graph, choice: PlanChoice) -> Strategy {
        if plan
            .steps
            .iter()
            .any(|s| matches!(s, PlanStep::Optional { .. }))
        {
            return Strategy {
                reason: "optional groups are walked as written",
                ..Strategy::default()
            };
        }
        let mut chain = vec![ChainSlot {
            slot: 0,
            step: None,
            candidates: 0,
            estimate: 0,
        }];
        for (i, step) in plan.steps.iter().enumerate() {
            if let PlanStep::Traverse {
                slot,
                negated: false,
                ..
            } = step
            {
                chain.push(ChainSlot {
                    slot: *slot,
                    step: Some(i),
                    candidates: 0,
                    estimate: 0,
                });
            }
        }
        for link in &mut chain {
            let (candidates, estimate) = estimate(plan, graph, link);
            link.candidates = candidates;
            link.estimate = estimate;
        }
        // The first of the smallest: ties keep the start.
        let most_selective = (0..chain.len())
            .min_by_key(|&i| (chain[i].estimate, i))
            .unwrap_or(0);
        if let PlanChoice::FromStep(k) = choice {
            let k = k.min(chain.len() - 1);
            return Strategy {
                chain,
                most_selective: k,
                reduce: k > 0,
                reason: "forced by the caller",
            };
        }
        let (reduce, reason) = if chain.len() < 2 {
            (false, "no traversal to reduce")
        } else if matches!(plan.mode, Mode::RootsOnly { max_roots: Some(_) }) {
            (
                false,
                "the walk streams the starting entities and stops after the page",
            )
        } else if most_selective == 0 {
            (false, "the start is the most selective step")
        } else {
            (
                true,
                "a later step is more selective than the start: semi-join reduction from it",
            )
        };
        Strategy {
            chain,
            most_selective,
            reduce,
            reason,
        }
    }
}

fn estimate(plan: &Plan, graph: &Graph, link: &ChainSlot) -> (usize, usize) {
    let mut test = SlotTest::new(plan, link);
    let pattern = test.pattern;
    let candidates = pattern.index_candidates(graph);
    let n = candidates
        .as_ref()
        .map_or(graph.entity_count(), |c| c.len());
    if n == 0 {
        return (0, 0);
    }
    if pattern.is_plain() && test.checks.is_empty() {
        return (n, n);
    }
    let step = n.div_ceil(ESTIMATE_SAMPLE).max(1);
    let (mut tried, mut hits) = (0usize, 0usize);
    for i in (0..n).step_by(step) {
        let id = match &candidates {
            Some(c) => c[i],
            None => EntityId(i as u32),
        };
        tried += 1;
        if test.matches(graph, id, true) {
            hits += 1;
        }
    }
    let estimate = if hits == 0 {
        // None in the sample: at most about one sample step's worth.
        (n / tried / 2).min(n)
    } else {
        n * hits / tried
    };
    (n, estimate)
}
