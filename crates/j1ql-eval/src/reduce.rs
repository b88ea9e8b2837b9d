//! Planning from the most selective step: cardinality estimates for each entity slot of a
//! traversal chain, and the semi-join reduction that starts from the most selective slot.
//!
//! The walk in [`crate::paths`] always enumerates paths from the starting entities forward,
//! because that order is the result order (docs/contracts.md#run). When a later step is much more selective
//! than the start, the reduction first computes, for every slot of the chain, the set of
//! entities that can lie on a complete path: the most selective slot's matches, then outward
//! through the adjacency in both directions (each neighbour tested against its slot's pattern
//! and single-slot WHERE conjuncts), and finally a backward pass that drops entities without a
//! successor. The forward walk then starts only from the reduced start set and tests the other
//! slots by bitset membership. Every complete path's entities are in the sets, so the walk
//! yields exactly the same paths, in the same order, as the unreduced walk.

use std::borrow::Cow;

use j1ql_graph::{Edge, EntityId, Graph, Sym};
use j1ql_semantics::ir::Direction;

use crate::admit::exact_set;
use crate::error::EvalError;
use crate::fastfilter::{FFilter, Slots};
use crate::paths::{Budget, Mode, Plan, PlanStep, NONE};
use crate::pattern::Pattern;

/// An outward step uses a slot's exact set when its selectors hold at most this many entities
/// per entity it expands from (building the set touches each of them once).
const ADMIT_RATIO: usize = 8;

/// How many candidates the selectivity sample tests per slot.
const SAMPLE: usize = 256;

/// A set of entities.
#[derive(Debug, Clone)]
pub struct Bitset(Vec<u64>);

impl Bitset {
    /// An empty set of entities below `n`.
    pub(crate) fn new(n: usize) -> Bitset {
        Bitset(vec![0; n.div_ceil(64)])
    }

    /// Keeps only the entities also in `other`.
    pub(crate) fn intersect(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= *b;
        }
    }

    /// The entities in the set, in id order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(EntityId((w * 64) as u32 + b))
            })
        })
    }

    /// Whether `id` is in the set.
    #[inline]
    pub fn contains(&self, id: EntityId) -> bool {
        let i = id.index();
        self.0
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// Adds `id`; whether it was new.
    pub(crate) fn insert(&mut self, id: EntityId) -> bool {
        let i = id.index();
        let word = &mut self.0[i / 64];
        let bit = 1 << (i % 64);
        let new = *word & bit == 0;
        *word |= bit;
        new
    }

    fn remove(&mut self, id: EntityId) {
        let i = id.index();
        self.0[i / 64] &= !(1 << (i % 64));
    }
}

/// One entity slot of the chain: the start, or the target of a non-negated top-level traversal.
#[derive(Debug, Clone)]
pub struct ChainSlot {
    /// The row slot.
    pub slot: usize,
    /// Index of the step that binds it in [`Plan::steps`] (`None`: the start).
    pub step: Option<usize>,
    /// Entities the class/type index (or the scan) yields before filtering.
    pub candidates: usize,
    /// Estimated matches: `candidates` × the selectivity of the pattern and of the WHERE
    /// conjuncts that read only this slot, measured on an even sample of the candidates.
    pub estimate: usize,
}

/// Where the walk is planned from: the planner's choice, or a forced one (tests compare the
/// results of every choice; `--explain` shows which one ran).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PlanChoice {
    /// The most selective step by the estimates.
    #[default]
    Auto,
    /// Reduce from this step of the chain (0: the start, i.e. no reduction; the start and the
    /// targets of non-negated traversals count, in order; past the end means the last).
    FromStep(usize),
}

/// The planner's choice for a query.
#[derive(Debug, Clone, Default)]
pub struct Strategy {
    /// The chain's slots in walk order, with their estimates (empty when the query has
    /// optional groups: those are walked as written).
    pub chain: Vec<ChainSlot>,
    /// Index into `chain` of the most selective slot.
    pub most_selective: usize,
    /// Whether the semi-join reduction runs (from `chain[most_selective]`).
    pub reduce: bool,
    /// Why the reduction does or does not run, for `--explain`.
    pub reason: &'static str,
}

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

/// The pattern and the traversal (verbs, direction as written) that bind a chain slot.
fn slot_pattern<'p>(plan: &'p Plan, link: &ChainSlot) -> &'p Pattern {
    match link.step.map(|i| &plan.steps[i]) {
        Some(PlanStep::Traverse { target, .. }) => target,
        _ => &plan.start,
    }
}

/// The WHERE conjuncts pushed to a chain slot that read only that slot's entity.
fn slot_checks<'p>(plan: &'p Plan, link: &ChainSlot) -> Vec<&'p FFilter> {
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
struct SlotTest<'p> {
    pattern: &'p Pattern,
    checks: Vec<&'p FFilter>,
    slot: usize,
    scratch: Vec<u32>,
}

impl<'p> SlotTest<'p> {
    fn new(plan: &'p Plan, link: &ChainSlot) -> SlotTest<'p> {
        SlotTest {
            pattern: slot_pattern(plan, link),
            checks: slot_checks(plan, link),
            slot: link.slot,
            scratch: vec![NONE; plan.slots],
        }
    }

    /// The work of one test: the pattern's ([`Pattern::check_cost`]) plus the comparisons of
    /// the slot's own checks, as the walk charges them.
    fn cost(&self) -> u64 {
        self.checks
            .iter()
            .map(|c| c.cost())
            .fold(self.pattern.check_cost(), u64::saturating_add)
    }

    fn matches(&mut self, graph: &Graph, id: EntityId, class_known: bool) -> bool {
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
        let slots = Slots {
            entities: &self.scratch,
            relationships: &[],
        };
        let pass = self.checks.iter().all(|c| c.eval(graph, id, slots));
        self.scratch[self.slot] = NONE;
        pass
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
    let step = n.div_ceil(SAMPLE).max(1);
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
    let mut work = 0u64;
    let mut charge = |units: u64| -> Result<(), EvalError> {
        budget.check_cancelled()?;
        work = work.saturating_add(units);
        if work > budget.max_work {
            return Err(EvalError::Budget {
                what: "traversal work",
                limit: budget.max_work,
            });
        }
        Ok(())
    };
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
            &mut charge,
        )?
    };
    if let Some((set, size)) = seeded {
        charge(size as u64)?;
        members[m] = set.ids().collect();
        sets[m] = set;
    } else {
        let mut test = SlotTest::new(plan, &chain[m]);
        let pattern = test.pattern;
        // Each candidate costs one unit plus its filters' comparisons, and deciding the value
        // groups their comparisons, charged up front.
        let cost = test.cost();
        charge(pattern.index_work(graph))?;
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
                charge((ids.len() as u64).saturating_mul(cost))?;
                ids.iter().for_each(|&id| add(id));
            }
            None => {
                charge((n as u64).saturating_mul(cost))?;
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
            &mut charge,
        )?;
        if let Some((_, size)) = &admit {
            charge(*size as u64)?;
        }
        // A neighbour costs one unit (a bit lookup in the exact set), or one unit plus the
        // slot's comparisons when it is tested.
        let per_edge = if admit.is_some() { 1 } else { cost };
        let mut tested = Bitset::new(if admit.is_some() { 0 } else { n });
        let target = &mut sets[k];
        let mut found = Vec::new();
        for &e in &members[from] {
            let mut failure = None;
            step_edges(graph, verbs, direction, e, backward, |edges| {
                if failure.is_some() {
                    return;
                }
                if let Err(err) = charge((edges.len() as u64).saturating_mul(per_edge)) {
                    failure = Some(err);
                    return;
                }
                match &admit {
                    Some((set, _)) => {
                        for edge in edges {
                            if set.contains(edge.other) && target.insert(edge.other) {
                                found.push(edge.other);
                            }
                        }
                    }
                    None => {
                        for edge in edges {
                            if tested.insert(edge.other) && test.matches(graph, edge.other, false) {
                                target.insert(edge.other);
                                found.push(edge.other);
                            }
                        }
                    }
                }
            });
            if let Some(err) = failure {
                return Err(err);
            }
        }
        // In id order: the next expansion (and the prune) then reads the adjacency lists
        // front to back instead of in the order the entities were found, which on a large
        // graph turns most of its cache misses into prefetched reads. `found` holds exactly
        // the set's members (the set started empty), so the set lists them.
        members[k] = if found.len() > 1 {
            target.ids().collect()
        } else {
            found
        };
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
            charge(1)?;
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
        work,
    })
}
