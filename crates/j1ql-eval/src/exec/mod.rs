//! The physical operators, one per file, over one slot layout ([`crate::row`]): the walk
//! ([`walk`]: scan, expand, anti-expand, optional), the semi-join reduction ([`reduce`], with
//! the exact slot sets of [`admit`] and the slot tests of [`slot_test`]) and the streamed
//! grouping ([`group`]). This file drives them: the reduction when the plan asks for it, the
//! value-group count when no walk is needed, the page-limited stream of starting entities,
//! and the walk itself, on two threads for many starting entities.

pub(crate) mod admit;
pub(crate) mod group;
pub(crate) mod reduce;
pub(crate) mod slot_test;
pub(crate) mod walk;

use j1ql_graph::{EntityId, Graph};

use crate::budget::Budget;
use crate::error::EvalError;
use crate::exec::group::{GroupSpec, Groups};
use crate::exec::reduce::reduce;
use crate::exec::walk::Walker;
use crate::plan::{Mode, Plan};
use crate::row::Row;
use crate::tuning::WALK_PARALLEL_MIN_STARTS;

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
    if starts.len() < WALK_PARALLEL_MIN_STARTS {
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
