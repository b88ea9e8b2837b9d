//! The plan of one query: the logical operators built from the IR (scan the start pattern,
//! expand along a traversal, anti-expand for `THAT !verb`, the optional group) in one slot
//! layout ([`crate::row`]), plus the physical choices the rewrites in [`crate::optimize`]
//! record on it (narrowed directions, pushed-down checks, the mode, where the walk is planned
//! from). [`crate::exec`] runs it; `--explain` prints it ([`crate::explain`]).

use j1ql_graph::{Graph, Sym};
use j1ql_semantics::ir::{self, Direction};
use j1ql_semantics::smart_classes::SmartClasses;

use crate::error::EvalError;
use crate::filter::Filter;
use crate::pattern::Pattern;
use crate::resolve::ValueContext;
use crate::row::{Row, NONE};

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
        checks: Vec<Filter>,
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
    pub start_checks: Vec<Filter>,
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

impl Plan {
    /// The logical plan of a query as written: its patterns compiled against the graph, its
    /// steps in order, each WHERE conjunct still on the rows and no physical choice made yet
    /// (the rewrites in [`crate::optimize`] make them).
    pub(crate) fn build(
        query: &ir::Query,
        graph: &Graph,
        cx: &ValueContext,
        smart: &SmartClasses,
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
        let plan = Plan {
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
        Ok(plan)
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

impl Plan {
    /// A row with every slot unbound.
    pub(crate) fn new_row(&self) -> Row {
        Row {
            entities: vec![NONE; self.slots],
            relationships: vec![NONE; self.slots],
            optionals: vec![NONE; self.optional_slots],
            root: NONE,
            cur: NONE,
        }
    }
}
