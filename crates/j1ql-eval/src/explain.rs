//! `j1ql run --explain`: the plan a query runs with — where the walk starts, what was pushed
//! down, whether the semi-join reduction runs and from which step — with the estimated and
//! the actual cardinality of each step (the walk is run to measure them, as `EXPLAIN ANALYZE`
//! does elsewhere).

use std::collections::HashSet;
use std::fmt::Write;

use j1ql_graph::Graph;
use j1ql_semantics::ir::{self, Direction};

use crate::error::EvalError;
use crate::evaluate::EvalOptions;
use crate::exec::enumerate;
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
    let strategy = &plan.strategy;
    let mut out = String::new();
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
    let mode = match plan.mode {
        // (`--explain` itself keeps the rows: it measures each step on the result paths.)
        Mode::Paths if streamed => {
            "every path, grouped counts computed as each path completes (no row kept)".to_string()
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
    let _ = writeln!(out, "mode: {mode}");
    match strategy.chain.get(strategy.most_selective) {
        Some(link) if strategy.reduce => {
            let _ = writeln!(
                out,
                "start step: #{} {} (most selective: est. {}); {}; then the walk runs forward \
                 from the reduced start set, in result order",
                link.step.map_or(0, |i| i + 1),
                slot_label(&plan, link),
                link.estimate,
                strategy.reason
            );
        }
        _ => {
            let _ = writeln!(out, "start step: #0 (the start); {}", strategy.reason);
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
    let _ = writeln!(
        out,
        "#0 start: {} ({access}: {n} candidates){}; walked from {}{}",
        plan.start.label(),
        chain_info(0),
        walk.stats.starts,
        actual(0)
    );
    push_down(&plan.start_checks, 0, "    ", &mut out);
    let mut cx = StepCx {
        graph,
        chain_info: &chain_info,
        actual: &actual,
        out: &mut out,
        number: 1,
    };
    cx.steps(&plan.steps, 0);
    if query.where_filter.is_some() {
        let how = if plan.where_pushed {
            "every conjunct pushed down"
        } else {
            "some conjuncts stay on the rows"
        };
        let _ = writeln!(out, "filter rows: WHERE ({how})");
    }
    let shape = match &query.returns {
        ir::Return::Default => "list of the starting entities".to_string(),
        ir::Return::Tree => "tree of every matched entity and relationship".to_string(),
        ir::Return::Columns(c) if c.iter().any(|c| c.expr.has_aggregate()) => {
            format!("table: {} columns, grouped aggregates", c.len())
        }
        ir::Return::Columns(c) => format!("table: {} columns", c.len()),
    };
    let _ = writeln!(out, "return: {shape}");
    if !query.order_by.is_empty() {
        let _ = writeln!(out, "order: {} key(s)", query.order_by.len());
    }
    let _ = writeln!(out, "page: skip {}, limit {}", query.skip, query.limit);
    let produced = match walk.count {
        Some(n) => format!("{n} starting entities counted"),
        None => format!("{} paths", walk.rows.len()),
    };
    let _ = writeln!(
        out,
        "actual: {produced}, {} units of traversal work",
        walk.stats.work
    );
    let _ = writeln!(
        out,
        "budget: {} units of traversal work, {} rows",
        options.budget.max_work, options.budget.max_rows
    );
    Ok(out)
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

fn push_down(checks: &[Filter], slot: usize, pad: &str, out: &mut String) {
    if checks.is_empty() {
        return;
    }
    let own = checks
        .iter()
        .filter(|c| c.only_entity_slot() == Some(slot))
        .count();
    let _ = writeln!(
        out,
        "{pad}push-down: {} WHERE conjunct(s) checked here ({own} on this entity alone, {} \
         across aliases)",
        checks.len(),
        checks.len() - own
    );
}

struct StepCx<'a> {
    graph: &'a Graph,
    chain_info: &'a dyn Fn(usize) -> String,
    actual: &'a dyn Fn(usize) -> String,
    out: &'a mut String,
    number: usize,
}

impl StepCx<'_> {
    fn steps(&mut self, steps: &[PlanStep], depth: usize) {
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
                    let _ = writeln!(
                        self.out,
                        "{pad}#{} {how} {verbs} ({dir}, adjacency index) to {}{sizes}",
                        self.number,
                        target.label()
                    );
                    push_down(checks, *slot, &format!("{pad}    "), self.out);
                    self.number += 1;
                }
                PlanStep::Optional { steps: inner, .. } => {
                    let _ = writeln!(
                        self.out,
                        "{pad}optional (union of the row and its extensions):"
                    );
                    self.steps(inner, depth + 1);
                }
            }
        }
    }
}
