//! `j1ql run --explain`: the plan a query runs with — where the walk starts, what was pushed
//! down, whether the semi-join reduction runs and from which step — with the estimated and
//! the actual cardinality of each step (the walk is run to measure them, as `EXPLAIN ANALYZE`
//! does elsewhere).

use std::collections::HashSet;
use std::fmt::{self, Write};

use j1ql_graph::Graph;
use j1ql_semantics::ir::{self, Direction};

use crate::budget::Budget;
use crate::error::EvalError;
use crate::evaluate::EvalOptions;
use crate::exec::{enumerate, Walk};
use crate::filter::Filter;
use crate::plan::{ChainSlot, Mode, Plan, PlanStep};
use crate::row::{Row, NONE};

/// Describes how `query` is evaluated on `graph`, with estimated and actual sizes.
pub fn explain(
    query: &ir::Query,
    graph: &Graph,
    options: &EvalOptions,
) -> Result<String, EvalError> {
    let paged = options.values.resolve_paging(query)?;
    let query = paged.as_ref().unwrap_or(query);
    let plan = Plan::compile(
        query,
        graph,
        &options.values,
        &options.smart_classes,
        options.plan,
    )?;
    let walk = enumerate(&plan, graph, &options.budget)?;
    let bindings = crate::bindings::Bindings::of(query);
    let streamed = crate::optimize::streamed_grouping::group_spec(
        query,
        &plan,
        graph,
        &bindings,
        &options.values,
        options.materialise_rows,
    )
    .is_some();
    Ok(Explained {
        query,
        graph,
        plan: &plan,
        walk: &walk,
        streamed,
        budget: &options.budget,
    }
    .to_string())
}

/// A physical plan with its measured sizes: `--explain` prints its [`fmt::Display`] — the
/// mode, the start step and why, each operator with its estimated and actual sizes and the
/// checks pushed down to it, then the row filter, the result shape, the page and the work.
pub(crate) struct Explained<'a> {
    query: &'a ir::Query,
    graph: &'a Graph,
    plan: &'a Plan,
    walk: &'a Walk,
    /// Whether the grouped counts are streamed ([`crate::optimize::streamed_grouping`]).
    streamed: bool,
    budget: &'a Budget,
}

impl fmt::Display for Explained<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Explained {
            query,
            graph,
            plan,
            walk,
            streamed,
            budget,
        } = self;
        let (query, graph, streamed) = (*query, *graph, *streamed);
        let strategy = &plan.strategy;
        let mode = match plan.mode {
            // (`--explain` itself keeps the rows: it measures each step on the result paths.)
            Mode::Paths if streamed => {
                "every path, grouped counts computed as each path completes (no row kept)"
                    .to_string()
            }
            Mode::Paths => "every path (rows for WHERE, RETURN, grouping)".to_string(),
            Mode::RootsOnly { max_roots: Some(n) } => format!(
                "semi-join on the starting entities: one path each, streamed, stops after {n} \
                 (skip + limit)"
            ),
            Mode::RootsOnly { max_roots: None } => {
                "semi-join on the starting entities: one path each, counted without keeping rows"
                    .to_string()
            }
        };
        writeln!(f, "mode: {mode}")?;
        match strategy.chain.get(strategy.most_selective) {
            Some(link) if strategy.reduce => {
                writeln!(
                    f,
                    "start step: #{} {} (most selective: est. {}); {}; then the walk runs forward \
                     from the reduced start set, in result order",
                    link.step.map_or(0, |i| i + 1),
                    slot_label(plan, link),
                    link.estimate,
                    strategy.reason
                )?;
            }
            _ => {
                writeln!(f, "start step: #0 (the start); {}", strategy.reason)?;
            }
        }
        let on_paths = distinct_per_slot(&walk.rows, plan.slots);
        let actual = |slot: usize| -> String {
            if walk.count.is_some() {
                return String::new();
            }
            let per_path = if plan.mode == Mode::Paths {
                ""
            } else {
                " (one path per start)"
            };
            format!("; on result paths {}{per_path}", on_paths[slot])
        };
        let chain_info = |slot: usize| -> String {
            let Some((k, link)) = strategy
                .chain
                .iter()
                .enumerate()
                .find(|(_, l)| l.slot == slot)
            else {
                return String::new();
            };
            let mut s = format!("; est. {} of {} candidates", link.estimate, link.candidates);
            if let Some(size) = walk.stats.reduced.get(k) {
                let _ = write!(s, "; after semi-join {size}");
            }
            s
        };
        let (access, n) = plan.start.access(graph);
        writeln!(
            f,
            "#0 start: {} ({access}: {n} candidates){}; walked from {}{}",
            plan.start.label(),
            chain_info(0),
            walk.stats.starts,
            actual(0)
        )?;
        push_down(&plan.start_checks, 0, "    ", f)?;
        let mut cx = StepCx {
            graph,
            chain_info: &chain_info,
            actual: &actual,
            out: f,
            number: 1,
        };
        cx.steps(&plan.steps, 0)?;
        if query.where_filter.is_some() {
            let how = if plan.where_pushed {
                "every conjunct pushed down"
            } else {
                "some conjuncts stay on the rows"
            };
            writeln!(f, "filter rows: WHERE ({how})")?;
        }
        let shape = match &query.returns {
            ir::Return::Default => "list of the starting entities".to_string(),
            ir::Return::Tree => "tree of every matched entity and relationship".to_string(),
            ir::Return::Columns(c) if c.iter().any(|c| c.expr.has_aggregate()) => {
                format!("table: {} columns, grouped aggregates", c.len())
            }
            ir::Return::Columns(c) => format!("table: {} columns", c.len()),
        };
        writeln!(f, "return: {shape}")?;
        if !query.order_by.is_empty() {
            writeln!(f, "order: {} key(s)", query.order_by.len())?;
        }
        writeln!(f, "page: skip {}, limit {}", query.skip, query.limit)?;
        let produced = match walk.count {
            Some(n) => format!("{n} starting entities counted"),
            None => format!("{} paths", walk.rows.len()),
        };
        writeln!(
            f,
            "actual: {produced}, {} units of traversal work",
            walk.stats.work
        )?;
        writeln!(
            f,
            "budget: {} units of traversal work, {} rows",
            budget.max_work, budget.max_rows
        )?;
        Ok(())
    }
}

fn slot_label(plan: &Plan, link: &ChainSlot) -> String {
    match link.step.map(|i| &plan.steps[i]) {
        Some(PlanStep::Traverse { target, .. }) => target.label().to_string(),
        _ => plan.start.label().to_string(),
    }
}

fn distinct_per_slot(rows: &[Row], slots: usize) -> Vec<usize> {
    let mut sets: Vec<HashSet<u32>> = vec![HashSet::new(); slots];
    for row in rows {
        for (set, e) in sets.iter_mut().zip(&row.entities) {
            if *e != NONE {
                set.insert(*e);
            }
        }
    }
    sets.iter().map(HashSet::len).collect()
}

fn push_down(checks: &[Filter], slot: usize, pad: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if checks.is_empty() {
        return Ok(());
    }
    let own = checks
        .iter()
        .filter(|c| c.only_entity_slot() == Some(slot))
        .count();
    writeln!(
        f,
        "{pad}push-down: {} WHERE conjunct(s) checked here ({own} on this entity alone, {} \
         across aliases)",
        checks.len(),
        checks.len() - own
    )
}

struct StepCx<'a, 'f> {
    graph: &'a Graph,
    chain_info: &'a dyn Fn(usize) -> String,
    actual: &'a dyn Fn(usize) -> String,
    out: &'a mut fmt::Formatter<'f>,
    number: usize,
}

impl StepCx<'_, '_> {
    fn steps(&mut self, steps: &[PlanStep], depth: usize) -> fmt::Result {
        let pad = "  ".repeat(depth);
        for step in steps {
            match step {
                PlanStep::Traverse {
                    slot,
                    negated,
                    verbs,
                    direction,
                    written,
                    target,
                    checks,
                    ..
                } => {
                    let verbs = match verbs {
                        None => "any relationship".to_string(),
                        Some(v) if v.is_empty() => {
                            "a verb absent from the data (matches nothing)".into()
                        }
                        Some(v) => v
                            .iter()
                            .map(|s| self.graph.str(*s))
                            .collect::<Vec<_>>()
                            .join("|"),
                    };
                    let dir = match (written, direction) {
                        (Direction::Both, Direction::Outgoing) => {
                            "outgoing only: none the other way between these types in the data"
                        }
                        (Direction::Both, Direction::Incoming) => {
                            "incoming only: none the other way between these types in the data"
                        }
                        (_, Direction::Outgoing) => "outgoing",
                        (_, Direction::Incoming) => "incoming",
                        (_, Direction::Both) => "either direction",
                    };
                    let how = if *negated {
                        "keep rows with NO"
                    } else {
                        "expand along"
                    };
                    let sizes = if *negated {
                        String::new()
                    } else {
                        format!("{}{}", (self.chain_info)(*slot), (self.actual)(*slot))
                    };
                    writeln!(
                        self.out,
                        "{pad}#{} {how} {verbs} ({dir}, adjacency index) to {}{sizes}",
                        self.number,
                        target.label()
                    )?;
                    push_down(checks, *slot, &format!("{pad}    "), self.out)?;
                    self.number += 1;
                }
                PlanStep::Optional { steps: inner, .. } => {
                    writeln!(
                        self.out,
                        "{pad}optional (union of the row and its extensions):"
                    )?;
                    self.steps(inner, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}
