//! Operator: the semi-join reduction. From the most selective chain slot (chosen by
//! [`crate::optimize::semijoin`]), it computes for every slot of the chain the set of entities
//! that can lie on a complete path: the slot's own matches, then outward through the adjacency
//! in both directions (each neighbour tested against its slot's pattern and single-slot WHERE
//! conjuncts, or looked up in the slot's exact set, [`crate::exec::admit`]), and finally a
//! backward pass that drops entities without a successor. The walk ([`crate::exec::walk`])
//! then starts only from the reduced start set and tests the other slots by bitset
//! membership. Every complete path's entities are in the sets, so the walk yields exactly the
//! same paths, in the same order, as the unreduced walk.

use std::borrow::Cow;

use j1ql_graph::{Edge, EntityId, Graph, Sym};
use j1ql_semantics::ir::Direction;

use crate::bitset::Bitset;
use crate::budget::Budget;
use crate::error::EvalError;
use crate::exec::admit::exact_set;
use crate::exec::slot_test::SlotTest;
use crate::plan::{ChainSlot, Plan, PlanStep, Strategy};
use crate::tuning::{ADMIT_RATIO, REDUCE_PARALLEL_MIN};

/// The reduced sets, one per chain slot.
#[derive(Debug, Clone)]
pub struct Reduced {
    /// Membership per row slot (`None` for slots outside the chain).
    pub sets: Vec<Option<Bitset>>,
    /// The reduced starting entities, in graph order (the walk's order).
    pub starts: Vec<EntityId>,
    /// Size of each chain slot's set, in chain order.
    pub sizes: Vec<usize>,
    /// Relationship visits and entity tests spent.
    pub work: u64,
}

/// The edges a traversal step follows from `cur`, forward (as written) or backward.
fn step_edges<'g>(
    graph: &'g Graph,
    verbs: &Option<Vec<Sym>>,
    direction: Direction,
    cur: EntityId,
    backward: bool,
    mut f: impl FnMut(&'g [Edge]),
) {
    let dirs: &[bool] = match direction {
        Direction::Outgoing => &[true],
        Direction::Incoming => &[false],
        Direction::Both => &[true, false],
    };
    for &outgoing in dirs {
        let outgoing = outgoing != backward;
        match verbs {
            None if outgoing => f(graph.outgoing(cur)),
            None => f(graph.incoming(cur)),
            Some(vs) => {
                for v in vs {
                    f(if outgoing {
                        graph.outgoing_with(cur, *v)
                    } else {
                        graph.incoming_with(cur, *v)
                    })
                }
            }
        }
    }
}

fn traversal<'p>(plan: &'p Plan, link: &ChainSlot) -> (&'p Option<Vec<Sym>>, Direction) {
    match link.step.map(|i| &plan.steps[i]) {
        Some(PlanStep::Traverse {
            verbs, direction, ..
        }) => (verbs, *direction),
        _ => unreachable!("every chain slot after the start is bound by a traversal"),
    }
}

/// Runs the semi-join reduction of `strategy` (which must have `reduce` set).
pub fn reduce(
    plan: &Plan,
    strategy: &Strategy,
    graph: &Graph,
    budget: &Budget,
) -> Result<Reduced, EvalError> {
    let chain = &strategy.chain;
    let n = graph.entity_count();
    let m = strategy.most_selective;
    let mut meter = Meter { work: 0, budget };
    let mut members: Vec<Vec<EntityId>> = vec![Vec::new(); chain.len()];
    let mut sets: Vec<Bitset> = (0..chain.len()).map(|_| Bitset::new(n)).collect();
    // The most selective slot: its own matches (straight from the indexes when they give
    // the exact set).
    let seeded = {
        let test = SlotTest::new(plan, &chain[m]);
        exact_set(
            graph,
            test.pattern,
            &test.checks,
            test.slot,
            plan.slots,
            usize::MAX,
            &mut |units| meter.charge(units),
        )?
    };
    if let Some((set, size)) = seeded {
        meter.charge(size as u64)?;
        members[m] = set.ids().collect();
        sets[m] = set;
    } else {
        let mut test = SlotTest::new(plan, &chain[m]);
        let pattern = test.pattern;
        // Each candidate costs one unit plus its filters' comparisons, and deciding the value
        // groups their comparisons, charged up front.
        let cost = test.cost();
        meter.charge(pattern.index_work(graph))?;
        let mut add = |id: EntityId| {
            if test.matches(graph, id, true) {
                sets[m].insert(id);
                members[m].push(id);
            }
        };
        // The value groups, when they apply, leave only the members of the kept groups to
        // test (the pattern is still tested on each, so the set is the same).
        let grouped = pattern.indexed(graph).map(|c| c.ids());
        match grouped
            .map(Cow::Owned)
            .or_else(|| pattern.index_candidates(graph))
        {
            Some(ids) => {
                meter.charge((ids.len() as u64).saturating_mul(cost))?;
                ids.iter().for_each(|&id| add(id));
            }
            None => {
                meter.charge((n as u64).saturating_mul(cost))?;
                (0..n as u32).map(EntityId).for_each(add);
            }
        }
    }
    // Outward: towards the start through the steps backwards, towards the end forwards.
    let order: Vec<(usize, usize, bool)> = (0..m)
        .rev()
        .map(|k| (k, k + 1, true))
        .chain((m + 1..chain.len()).map(|k| (k, k - 1, false)))
        .collect();
    for (k, from, backward) in order {
        // The step between `k` and `from` is the one binding the later of the two.
        let (verbs, direction) = traversal(plan, &chain[k.max(from)]);
        let mut test = SlotTest::new(plan, &chain[k]);
        let cost = test.cost();
        // The slot's exact set, when the indexes give it for at most a few entities per
        // entity to expand from: each neighbour is then one bit lookup.
        let admit = exact_set(
            graph,
            test.pattern,
            &test.checks,
            test.slot,
            plan.slots,
            members[from].len().saturating_mul(ADMIT_RATIO),
            &mut |units| meter.charge(units),
        )?;
        if let Some((_, size)) = &admit {
            meter.charge(*size as u64)?;
        }
        // A neighbour costs one unit (a bit lookup in the exact set), or one unit plus the
        // slot's comparisons when it is tested.
        let expansion = Expansion {
            graph,
            verbs,
            direction,
            backward,
            admit: admit.as_ref().map(|(set, _)| set),
            per_edge: if admit.is_some() { 1 } else { cost },
            budget,
            max_work: meter.left(),
        };
        let from = &members[from];
        let (set, spent) = if from.len() < REDUCE_PARALLEL_MIN {
            expansion.run(&mut test, from)?
        } else {
            // Two halves on two threads, each into its own set; the union is the same set.
            let (a, b) = from.split_at(from.len() / 2);
            let mut other = SlotTest::new(plan, &chain[k]);
            let (first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| expansion.run(&mut other, b));
                (expansion.run(&mut test, a), second.join())
            });
            let (mut set, first_work) = first?;
            let (rest, second_work) = match second {
                Ok(result) => result?,
                Err(_) => expansion.run(&mut SlotTest::new(plan, &chain[k]), b)?,
            };
            set.union(&rest);
            (set, first_work.saturating_add(second_work))
        };
        meter.charge(spent)?;
        // In id order: the next expansion (and the prune) then reads the adjacency lists
        // front to back instead of in the order the entities were found, which on a large
        // graph turns most of its cache misses into prefetched reads.
        members[k] = set.ids().collect();
        sets[k] = set;
    }
    // Backward prune, from the end to the start: drop entities with no successor left (the
    // slots after the most selective one were only reached from it, and pruning those can
    // strand entities before it), so every set holds only entities on a complete chain.
    // A slot before the most selective one was found from its successors, so each of its
    // entities keeps a successor unless the prune removed some from the next slot: from the
    // first slot (going backwards) where nothing was removed, the rest is skipped.
    let mut next_removed = false;
    for k in (0..chain.len() - 1).rev() {
        if k < m && !next_removed {
            break;
        }
        let (verbs, direction) = traversal(plan, &chain[k + 1]);
        let (before, after) = sets.split_at_mut(k + 1);
        let (set, next) = (&mut before[k], &after[0]);
        let mut kept = Vec::with_capacity(members[k].len());
        for &e in &members[k] {
            let mut any = false;
            step_edges(graph, verbs, direction, e, false, |edges| {
                any = any || edges.iter().any(|edge| next.contains(edge.other));
            });
            meter.charge(1)?;
            if any {
                kept.push(e);
            } else {
                set.remove(e);
            }
        }
        next_removed = kept.len() < members[k].len();
        members[k] = kept;
    }
    let mut starts = std::mem::take(&mut members[0]);
    starts.sort_unstable();
    let sizes = (0..chain.len())
        .map(|k| {
            if k == 0 {
                starts.len()
            } else {
                members[k].len()
            }
        })
        .collect();
    let mut by_slot: Vec<Option<Bitset>> = vec![None; plan.slots];
    for (link, set) in chain.iter().zip(sets) {
        by_slot[link.slot] = Some(set);
    }
    Ok(Reduced {
        sets: by_slot,
        starts,
        sizes,
        work: meter.work,
    })
}

/// Work spent against the budget (relationship visits and entity tests).
struct Meter<'b> {
    work: u64,
    budget: &'b Budget,
}

impl Meter<'_> {
    fn charge(&mut self, units: u64) -> Result<(), EvalError> {
        self.budget.check_cancelled()?;
        self.work = self.work.saturating_add(units);
        if self.work > self.budget.max_work {
            return Err(over_budget(self.budget));
        }
        Ok(())
    }

    /// The work still allowed.
    fn left(&self) -> u64 {
        self.budget.max_work.saturating_sub(self.work)
    }
}

fn over_budget(budget: &Budget) -> EvalError {
    EvalError::Budget {
        what: "traversal work",
        limit: budget.max_work,
    }
}

/// One outward step of the reduction: from the members of one slot, through the traversal
/// between it and its neighbour slot, to the neighbours that pass that slot's test (or lie in
/// its exact set).
struct Expansion<'a> {
    graph: &'a Graph,
    verbs: &'a Option<Vec<Sym>>,
    direction: Direction,
    backward: bool,
    admit: Option<&'a Bitset>,
    /// Work per neighbour visited.
    per_edge: u64,
    budget: &'a Budget,
    /// The work this step may spend (the budget left when it starts).
    max_work: u64,
}

impl Expansion<'_> {
    /// The neighbours of `from` that pass, as a set, and the work spent.
    fn run(&self, test: &mut SlotTest<'_>, from: &[EntityId]) -> Result<(Bitset, u64), EvalError> {
        let n = self.graph.entity_count();
        let mut found = Bitset::new(n);
        let mut tested = Bitset::new(if self.admit.is_some() { 0 } else { n });
        let mut work = 0u64;
        for &e in from {
            let mut failure = None;
            step_edges(
                self.graph,
                self.verbs,
                self.direction,
                e,
                self.backward,
                |edges| {
                    if failure.is_some() {
                        return;
                    }
                    work = work.saturating_add((edges.len() as u64).saturating_mul(self.per_edge));
                    if let Err(err) = self.budget.check_cancelled() {
                        failure = Some(err);
                        return;
                    }
                    if work > self.max_work {
                        failure = Some(over_budget(self.budget));
                        return;
                    }
                    match self.admit {
                        Some(set) => {
                            for edge in edges {
                                if set.contains(edge.other) {
                                    found.insert(edge.other);
                                }
                            }
                        }
                        None => {
                            for edge in edges {
                                if tested.insert(edge.other)
                                    && test.matches(self.graph, edge.other, false)
                                {
                                    found.insert(edge.other);
                                }
                            }
                        }
                    }
                },
            );
            if let Some(err) = failure {
                return Err(err);
            }
        }
        Ok((found, work))
    }
}
