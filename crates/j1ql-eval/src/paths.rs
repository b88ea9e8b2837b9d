//! Traversal: from the starting entities, through each step, to complete paths ("rows").
//!
//! A row binds each entity slot (the start is slot 0, each traversal target the next slot in
//! order of appearance, through optional groups), the relationship of each traversal (same
//! slot as its target), and the "current" entity of each optional group. Semantics:
//! * `THAT verb target`: every relationship with a matching verb and direction whose other end
//!   matches the target pattern extends the row; a row that cannot be extended is dropped.
//! * `THAT !verb target`: the row survives only when no such relationship exists; the current
//!   entity does not move.
//! * `( ... )?`: the row continues both unchanged and through every extension of the group,
//!   so what follows runs on the union ("the combined results"), and the group's alias names
//!   the union member.

use j1ql_graph::{Edge, EntityId, Graph, RelId, Sym};
use j1ql_semantics::ir::{self, Direction};
use j1ql_semantics::smart_classes::SmartClasses;

use crate::bindings::{Binding, Bindings};
use crate::cancel::Cancel;
use crate::error::EvalError;
use crate::fastfilter::{FFilter, Slots};
use crate::pattern::Pattern;
use crate::reduce::{reduce, Bitset, PlanChoice, Strategy};
use crate::resolve::ValueContext;
use crate::stream::{GroupSpec, Groups};

/// Marks an unbound slot.
pub const NONE: u32 = u32::MAX;

/// One step of a compiled plan.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum PlanStep {
    /// A traversal.
    Traverse {
        /// Entity and relationship slot of the target.
        slot: usize,
        /// `!verb`.
        negated: bool,
        /// Verbs to follow (`None`: any relationship). A verb absent from the graph is dropped,
        /// so `Some(vec![])` matches nothing.
        verbs: Option<Vec<Sym>>,
        /// Direction relative to the current entity, narrowed to one side when the graph has
        /// no relationship of these verbs between these types the other way
        /// ([`j1ql_graph::stats`]); `written` keeps the query's own.
        direction: Direction,
        /// The direction as written.
        written: Direction,
        /// What the other end must match.
        target: Pattern,
        /// WHERE conjuncts that can be decided once this step is bound (pushed down from
        /// the row filter: only on top-level, non-negated traversals), those reading only
        /// this slot's entity first.
        checks: Vec<FFilter>,
        /// How many of `checks` read only this slot's entity (a slot reduced by the
        /// semi-join holds only entities passing them, so the walk skips them there).
        own: usize,
    },
    /// An optional group.
    Optional {
        /// The group's own slot (for its alias).
        slot: usize,
        /// The steps inside.
        steps: Vec<PlanStep>,
    },
}

/// A compiled query body: start pattern and steps.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The starting pattern.
    pub start: Pattern,
    /// The steps.
    pub steps: Vec<PlanStep>,
    /// Number of entity (and relationship) slots.
    pub slots: usize,
    /// Number of optional-group slots.
    pub optional_slots: usize,
    /// How many leading steps are optional groups: the "starting entities" of the result are
    /// the current entities after them (the start, plus what those groups add).
    pub leading_optionals: usize,
    /// WHERE conjuncts decided on the start entity alone.
    pub start_checks: Vec<FFilter>,
    /// Whether every start check reads only slot 0 (so a reduced start set passed them).
    pub start_checks_own: bool,
    /// Whether every WHERE conjunct was pushed down into the steps.
    pub where_pushed: bool,
    /// What the result needs from the paths.
    pub mode: Mode,
    /// Estimates per slot and where the walk is planned from.
    pub strategy: Strategy,
}

/// What the result needs from the paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every complete path.
    Paths,
    /// One path per starting entity (a semi-join: the result only lists or counts the
    /// distinct starting entities), and at most `max_roots` of them when given (the default
    /// list without ORDER BY stops after SKIP + LIMIT starting entities).
    RootsOnly {
        /// Stop after this many starting entities.
        max_roots: Option<usize>,
    },
}

impl Plan {
    /// Compiles the query's patterns and steps.
    pub fn compile(
        query: &ir::Query,
        graph: &Graph,
        cx: &ValueContext,
        smart: &SmartClasses,
        choice: PlanChoice,
    ) -> Result<Plan, EvalError> {
        let mut slots = 1;
        let mut optional_slots = 0;
        let steps = compile_steps(
            &query.steps,
            graph,
            cx,
            smart,
            &mut slots,
            &mut optional_slots,
        )?;
        let leading_optionals = steps
            .iter()
            .take_while(|s| matches!(s, PlanStep::Optional { .. }))
            .count();
        let mut plan = Plan {
            start: Pattern::compile(&query.start, graph, cx, smart)?,
            steps,
            slots,
            optional_slots,
            leading_optionals,
            start_checks: Vec::new(),
            start_checks_own: true,
            where_pushed: query.where_filter.is_none(),
            mode: Mode::Paths,
            strategy: Strategy::default(),
        };
        plan.narrow_directions(graph);
        let bindings = Bindings::of(query);
        if let Some(w) = &query.where_filter {
            plan.where_pushed = plan.push_down(w, graph, cx, &bindings)?;
        }
        plan.mode = plan.choose_mode(query, &bindings);
        plan.strategy = Strategy::choose(&plan, graph, choice);
        Ok(plan)
    }

    /// Moves the WHERE conjuncts that read only top-level, always-bound slots to the step
    /// that binds the last of them, so paths that fail them are cut as soon as possible (the
    /// row filter still runs afterwards, so this only prunes). Returns whether every conjunct
    /// was moved.
    fn push_down(
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
            let Some(compiled) = FFilter::compile_where(conjunct, graph, cx, bindings)? else {
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

    /// Narrows bidirectional top-level steps to the one side on which the graph has a
    /// relationship of the step's verbs between the types the current entity and the target
    /// can have (type-only patterns; after an optional group the current entity's types are
    /// not tracked). Results are unchanged: the dropped side holds no matching edge.
    fn narrow_directions(&mut self, graph: &Graph) {
        let mut current = self.start.type_set();
        for step in &mut self.steps {
            match step {
                PlanStep::Traverse {
                    negated,
                    verbs,
                    direction,
                    target,
                    ..
                } => {
                    let to = target.type_set();
                    if let (Direction::Both, Some(from), Some(to_types)) =
                        (*direction, &current, &to)
                    {
                        let stats = graph.edge_types();
                        let verbs = &*verbs;
                        let any = |a: &[Sym], b: &[Sym]| {
                            a.iter().any(|x| {
                                b.iter().any(|y| match verbs {
                                    None => stats.exists(*x, None, *y),
                                    Some(vs) => vs.iter().any(|v| stats.exists(*x, Some(*v), *y)),
                                })
                            })
                        };
                        match (any(from, to_types), any(to_types, from)) {
                            (true, false) => *direction = Direction::Outgoing,
                            (false, true) => *direction = Direction::Incoming,
                            _ => {}
                        }
                    }
                    if !*negated {
                        current = to;
                    }
                }
                PlanStep::Optional { .. } => current = None,
            }
        }
    }

    fn choose_mode(&self, query: &ir::Query, bindings: &Bindings) -> Mode {
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

fn compile_steps(
    steps: &[ir::Step],
    graph: &Graph,
    cx: &ValueContext,
    smart: &SmartClasses,
    slots: &mut usize,
    optional_slots: &mut usize,
) -> Result<Vec<PlanStep>, EvalError> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            ir::Step::Traversal(t) => {
                let slot = *slots;
                *slots += 1;
                let verbs = (!t.verbs.is_empty()).then(|| {
                    let mut syms: Vec<Sym> = Vec::new();
                    for sym in t.verbs.iter().filter_map(|v| graph.verb(&v.text)) {
                        if !syms.contains(&sym) {
                            syms.push(sym);
                        }
                    }
                    syms
                });
                out.push(PlanStep::Traverse {
                    slot,
                    negated: t.negated,
                    verbs,
                    direction: t.direction,
                    written: t.direction,
                    target: Pattern::compile(&t.target, graph, cx, smart)?,
                    checks: Vec::new(),
                    own: 0,
                });
            }
            ir::Step::Optional(g) => {
                let slot = *optional_slots;
                *optional_slots += 1;
                let steps = compile_steps(&g.steps, graph, cx, smart, slots, optional_slots)?;
                out.push(PlanStep::Optional { slot, steps });
            }
        }
    }
    Ok(out)
}

/// One complete path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    /// Entity per slot ([`NONE`] when unbound).
    pub entities: Vec<u32>,
    /// Relationship per slot ([`NONE`] for the start and unbound slots).
    pub relationships: Vec<u32>,
    /// Current entity per optional group.
    pub optionals: Vec<u32>,
    /// The starting entity this row belongs to (see [`Plan::leading_optionals`]).
    pub root: u32,
    /// Where the path currently stands.
    cur: u32,
}

impl Row {
    /// The entity in `slot`.
    pub fn entity(&self, slot: usize) -> Option<EntityId> {
        self.entities
            .get(slot)
            .filter(|e| **e != NONE)
            .map(|e| EntityId(*e))
    }

    /// The relationship in `slot`.
    pub fn relationship(&self, slot: usize) -> Option<RelId> {
        self.relationships
            .get(slot)
            .filter(|r| **r != NONE)
            .map(|r| RelId(*r))
    }

    /// The current entity of optional group `slot`.
    pub fn optional(&self, slot: usize) -> Option<EntityId> {
        self.optionals
            .get(slot)
            .filter(|e| **e != NONE)
            .map(|e| EntityId(*e))
    }
}

/// Limits on work and output, and the token that cancels the evaluation.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Relationship visits, entity checks and filter comparisons.
    pub max_work: u64,
    /// Rows (paths) kept.
    pub max_rows: usize,
    /// Checked wherever work is charged: a cancelled evaluation stops with
    /// [`EvalError::Cancelled`] (the language server's `$/cancelRequest`).
    pub cancel: Cancel,
}

/// The default work budget: relationship visits, entity checks and filter comparisons.
pub const DEFAULT_MAX_WORK: u64 = 200_000_000;

/// The environment variable that overrides the work budget (a number of work units) of every
/// front-end; `j1ql_project::Project` reads it (docs/limits.md gives the precedence).
pub const MAX_WORK_ENV: &str = "J1QL_BUDGET";

impl Default for Budget {
    /// [`DEFAULT_MAX_WORK`], 2,000,000 rows, never cancelled.
    fn default() -> Self {
        Budget {
            max_work: DEFAULT_MAX_WORK,
            max_rows: 2_000_000,
            cancel: Cancel::default(),
        }
    }
}

impl Budget {
    /// [`EvalError::Cancelled`] once the evaluation's token is cancelled.
    #[inline]
    pub(crate) fn check_cancelled(&self) -> Result<(), EvalError> {
        if self.cancel.is_cancelled() {
            Err(EvalError::Cancelled)
        } else {
            Ok(())
        }
    }
}

struct Walker<'a> {
    graph: &'a Graph,
    budget: &'a Budget,
    work: u64,
    leading: usize,
    /// One path per starting entity is enough.
    roots_only: bool,
    /// Count the complete paths instead of keeping them.
    count_only: bool,
    counted: usize,
    /// Per slot, the entities the semi-join reduction left (tested instead of the pattern).
    sets: Option<&'a [Option<Bitset>]>,
    /// Grouped counts computed as paths complete (no rows kept), see [`crate::stream`].
    sink: Option<(&'a GroupSpec<'a>, Groups)>,
    out: Vec<Row>,
}

/// What a walk produced.
#[derive(Debug, Default)]
pub struct Walk {
    /// The complete paths (empty when only counted).
    pub rows: Vec<Row>,
    /// In [`Mode::RootsOnly`] without a page: the number of starting entities with a path
    /// (the rows are not kept).
    pub count: Option<usize>,
    /// The grouped counts, when the walk streamed them (the rows are not kept).
    pub(crate) groups: Option<Groups>,
    /// How the walk went, for `--explain`.
    pub stats: WalkStats,
}

/// Actual cardinalities of a walk.
#[derive(Debug, Default, Clone)]
pub struct WalkStats {
    /// Starting entities the walk started from.
    pub starts: usize,
    /// Set size per chain slot after the semi-join reduction (empty when it did not run).
    pub reduced: Vec<usize>,
    /// Relationship visits and entity checks.
    pub work: u64,
}

/// Starting entities at least this many are walked on two threads.
const PARALLEL_MIN: usize = 4_096;

/// Every complete path from the starting entities (or, in [`Mode::RootsOnly`], one path per
/// starting entity that has one; counted, not kept, when there is no page to fill).
pub fn enumerate(plan: &Plan, graph: &Graph, budget: &Budget) -> Result<Walk, EvalError> {
    enumerate_with(plan, graph, budget, None)
}

/// [`enumerate`], handing each complete path to `spec`'s grouped counts instead of keeping it
/// when `spec` is given (only in [`Mode::Paths`]).
pub(crate) fn enumerate_with(
    plan: &Plan,
    graph: &Graph,
    budget: &Budget,
    spec: Option<&GroupSpec<'_>>,
) -> Result<Walk, EvalError> {
    budget.check_cancelled()?;
    let spec = spec.filter(|_| plan.mode == Mode::Paths);
    let count_only = plan.mode == Mode::RootsOnly { max_roots: None };
    let reduced = if plan.strategy.reduce {
        Some(reduce(plan, &plan.strategy, graph, budget)?)
    } else {
        None
    };
    if count_only && reduced.is_none() && plan.steps.is_empty() && plan.start_checks.is_empty() {
        // `FIND type WITH key = value RETURN count(type)`: the value groups give the count.
        if let Some(n) = plan.start.indexed_count(graph) {
            return Ok(Walk {
                rows: Vec::new(),
                groups: None,
                count: Some(n),
                stats: WalkStats {
                    starts: n,
                    ..WalkStats::default()
                },
            });
        }
    }
    // Checking the starting candidates is not a walk step, but a filter with a large value
    // group makes it the expensive part (10,000 regexes on 200,000 entities): charged up
    // front, at its worst case, so that such a query stops at once instead of minutes later.
    if reduced.is_none() {
        let filter_work = (plan.start.scan_bound(graph) as u64)
            .saturating_mul(plan.start.check_cost().saturating_sub(1))
            .saturating_add(plan.start.index_work(graph));
        if filter_work > budget.max_work {
            return Err(EvalError::Budget {
                what: "filter comparisons",
                limit: budget.max_work,
            });
        }
    }
    let mut stats = WalkStats {
        reduced: reduced
            .as_ref()
            .map(|r| r.sizes.clone())
            .unwrap_or_default(),
        work: reduced.as_ref().map_or(0, |r| r.work),
        ..WalkStats::default()
    };
    let budget = &Budget {
        max_work: budget.max_work.saturating_sub(stats.work),
        ..budget.clone()
    };
    let new_walker = || Walker {
        graph,
        budget,
        work: 0,
        leading: plan.leading_optionals,
        roots_only: matches!(plan.mode, Mode::RootsOnly { .. }),
        count_only,
        counted: 0,
        sets: reduced.as_ref().map(|r| r.sets.as_slice()),
        sink: spec.map(|s| (s, Groups::default())),
        out: Vec::new(),
    };
    if let Mode::RootsOnly {
        max_roots: Some(max),
    } = plan.mode
    {
        // Stream the starting entities and stop as soon as the page is full.
        let mut walker = new_walker();
        let mut row = plan.new_row();
        let mut failure = None;
        let mut each = |start| {
            stats.starts += 1;
            match walker.start(plan, &mut row, start) {
                Ok(()) => walker.out.len() < max,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        };
        if max > 0 {
            match &reduced {
                Some(r) => {
                    for &start in &r.starts {
                        if !each(start) {
                            break;
                        }
                    }
                }
                None => plan.start.for_each_candidate(graph, each),
            }
        }
        stats.work += walker.work;
        return match failure {
            Some(e) => Err(e),
            None => Ok(Walk {
                rows: walker.out,
                groups: None,
                count: None,
                stats,
            }),
        };
    }
    let starts = match &reduced {
        Some(r) => r.starts.clone(),
        None => plan.start.candidates(graph),
    };
    stats.starts = starts.len();
    let finish = |mut stats: WalkStats, walker: Walker<'_>| {
        stats.work += walker.work;
        Walk {
            count: count_only.then_some(walker.counted),
            rows: walker.out,
            groups: walker.sink.map(|(_, g)| g),
            stats,
        }
    };
    let run = |starts: &[EntityId]| -> Result<Walker<'_>, EvalError> {
        let mut walker = new_walker();
        let mut row = plan.new_row();
        for &start in starts {
            walker.start(plan, &mut row, start)?;
        }
        Ok(walker)
    };
    if starts.len() < PARALLEL_MIN {
        return run(&starts).map(|w| finish(stats, w));
    }
    let (a, b) = starts.split_at(starts.len() / 2);
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| run(b));
        let first = run(a);
        (first, second.join())
    });
    let mut first = first?;
    let second = match second {
        Ok(result) => result?,
        Err(_) => run(b)?,
    };
    let work = first.work + second.work;
    if work > budget.max_work {
        return Err(EvalError::Budget {
            what: "traversal work",
            limit: budget.max_work,
        });
    }
    if first.kept() + second.kept() > budget.max_rows {
        return Err(EvalError::Budget {
            what: crate::error::ROWS,
            limit: budget.max_rows as u64,
        });
    }
    first.out.extend(second.out);
    if let (Some((_, mine)), Some((_, theirs))) = (&mut first.sink, second.sink) {
        mine.merge(theirs);
    }
    first.counted += second.counted;
    first.work = work;
    Ok(finish(stats, first))
}

impl Plan {
    fn new_row(&self) -> Row {
        Row {
            entities: vec![NONE; self.slots],
            relationships: vec![NONE; self.slots],
            optionals: vec![NONE; self.optional_slots],
            root: NONE,
            cur: NONE,
        }
    }
}

impl Walker<'_> {
    /// Complete paths kept so far (as rows or in the grouped counts).
    fn kept(&self) -> usize {
        self.out.len() + self.sink.as_ref().map_or(0, |(_, g)| g.total)
    }

    fn charge(&mut self, units: u64) -> Result<(), EvalError> {
        self.budget.check_cancelled()?;
        self.work += units;
        if self.work > self.budget.max_work {
            return Err(EvalError::Budget {
                what: "traversal work",
                limit: self.budget.max_work,
            });
        }
        Ok(())
    }

    /// Walks every path from `start` (reusing `row`, which is left clean).
    fn start(&mut self, plan: &Plan, row: &mut Row, start: EntityId) -> Result<(), EvalError> {
        // A walk with no step charges nothing per start: check the token here too.
        self.budget.check_cancelled()?;
        row.entities[0] = start.0;
        row.root = start.0;
        row.cur = start.0;
        // Reduced starting entities passed the start checks already.
        let reduced = plan.start_checks_own && self.sets.is_some_and(|s| s[0].is_some());
        let pass = reduced
            || plan.start_checks.iter().all(|c| {
                c.eval(
                    self.graph,
                    start,
                    Slots {
                        entities: &row.entities,
                        relationships: &row.relationships,
                    },
                )
            });
        if pass {
            self.walk(&plan.steps, 0, row, true)?;
        }
        row.entities[0] = NONE;
        Ok(())
    }

    /// Runs `steps[index..]` from `row` (restored before returning); `top` says whether these
    /// are the query's own steps (where the root is fixed after the leading optional groups) or
    /// a group's. Returns whether the walk from this root can stop (one path found in
    /// roots-only mode).
    fn walk(
        &mut self,
        steps: &[PlanStep],
        index: usize,
        row: &mut Row,
        top: bool,
    ) -> Result<bool, EvalError> {
        let saved_root = row.root;
        if top && index == self.leading {
            row.root = row.cur;
        }
        let result = self.walk_inner(steps, index, row, top);
        row.root = saved_root;
        result
    }

    fn walk_inner(
        &mut self,
        steps: &[PlanStep],
        index: usize,
        row: &mut Row,
        top: bool,
    ) -> Result<bool, EvalError> {
        let Some(step) = steps.get(index) else {
            if self.kept() >= self.budget.max_rows {
                return Err(EvalError::Budget {
                    what: crate::error::ROWS,
                    limit: self.budget.max_rows as u64,
                });
            }
            if self.count_only {
                self.counted += 1;
            } else if let Some((spec, groups)) = &mut self.sink {
                groups.add(spec, self.graph, row);
            } else {
                self.out.push(row.clone());
            }
            return Ok(self.roots_only);
        };
        let graph = self.graph;
        match step {
            PlanStep::Traverse {
                slot,
                negated,
                verbs,
                direction,
                target,
                checks,
                own,
                ..
            } => {
                let cur = EntityId(row.cur);
                let dirs: &[bool] = match direction {
                    Direction::Outgoing => &[true],
                    Direction::Incoming => &[false],
                    Direction::Both => &[true, false],
                };
                let lists = |outgoing: bool, i: usize| -> &[Edge] {
                    match (verbs, outgoing) {
                        (None, true) => graph.outgoing(cur),
                        (None, false) => graph.incoming(cur),
                        (Some(v), true) => graph.outgoing_with(cur, v[i]),
                        (Some(v), false) => graph.incoming_with(cur, v[i]),
                    }
                };
                let per_dir = verbs.as_ref().map_or(1, Vec::len);
                // Each relationship visited checks its target: one unit plus its filter's
                // comparisons.
                let target_cost = target.check_cost();
                self.charge(1)?;
                if *negated {
                    let mut blocked = false;
                    'scan: for &outgoing in dirs {
                        for i in 0..per_dir {
                            let list = lists(outgoing, i);
                            self.charge((list.len() as u64).saturating_mul(target_cost))?;
                            if list.iter().any(|e| target.matches(graph, e.other)) {
                                blocked = true;
                                break 'scan;
                            }
                        }
                    }
                    if blocked {
                        return Ok(false);
                    }
                    return self.walk(steps, index + 1, row, top);
                }
                let (saved_cur, slot) = (row.cur, *slot);
                let reduced = self.sets.and_then(|s| s[slot].as_ref());
                // A reduced slot holds only entities passing its own checks.
                let checks = if reduced.is_some() {
                    &checks[*own..]
                } else {
                    &checks[..]
                };
                for &outgoing in dirs {
                    for i in 0..per_dir {
                        let list = lists(outgoing, i);
                        self.charge((list.len() as u64).saturating_mul(target_cost))?;
                        for edge in list {
                            let admitted = match reduced {
                                Some(set) => set.contains(edge.other),
                                None => target.matches(graph, edge.other),
                            };
                            if !admitted {
                                continue;
                            }
                            row.entities[slot] = edge.other.0;
                            row.relationships[slot] = edge.rel.0;
                            let pass = checks.iter().all(|c| {
                                c.eval(
                                    graph,
                                    edge.other,
                                    Slots {
                                        entities: &row.entities,
                                        relationships: &row.relationships,
                                    },
                                )
                            });
                            let mut stop = false;
                            if pass {
                                row.cur = edge.other.0;
                                let r = self.walk(steps, index + 1, row, top);
                                row.cur = saved_cur;
                                stop = match r {
                                    Ok(stop) => stop,
                                    Err(e) => {
                                        row.entities[slot] = NONE;
                                        row.relationships[slot] = NONE;
                                        return Err(e);
                                    }
                                };
                            }
                            row.entities[slot] = NONE;
                            row.relationships[slot] = NONE;
                            if stop {
                                return Ok(true);
                            }
                        }
                    }
                }
                Ok(false)
            }
            PlanStep::Optional { slot, steps: inner } => {
                // The row as it is...
                let mut unchanged = row.clone();
                unchanged.optionals[*slot] = unchanged.cur;
                if self.walk(steps, index + 1, &mut unchanged, top)? {
                    return Ok(true);
                }
                // ...and through every extension of the group.
                let mut through = Walker {
                    graph: self.graph,
                    budget: self.budget,
                    work: self.work,
                    leading: usize::MAX,
                    roots_only: false,
                    count_only: false,
                    counted: 0,
                    sets: None,
                    sink: None,
                    out: Vec::new(),
                };
                let mut base = row.clone();
                through.walk(inner, 0, &mut base, false)?;
                self.work = through.work;
                for mut extended in through.out {
                    extended.optionals[*slot] = extended.cur;
                    if self.walk(steps, index + 1, &mut extended, top)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}
