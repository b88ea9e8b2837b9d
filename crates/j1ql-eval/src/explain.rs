//! `j1ql run --explain`: the plan a query runs with, and the sizes the indexes give.

use std::fmt::Write;

use j1ql_graph::Graph;
use j1ql_semantics::ir::{self, Direction};

use crate::error::EvalError;
use crate::evaluate::EvalOptions;
use crate::paths::{Plan, PlanStep};

/// Describes how `query` would be evaluated on `graph`.
pub fn explain(
    query: &ir::Query,
    graph: &Graph,
    options: &EvalOptions,
) -> Result<String, EvalError> {
    let plan = Plan::compile(query, graph, &options.values, &options.smart_classes)?;
    let mut out = String::new();
    let (access, n) = plan.start.access(graph);
    let _ = writeln!(
        out,
        "start: {} ({access}: {n} candidates)",
        plan.start.label()
    );
    steps(&plan.steps, graph, 1, &mut out);
    if query.where_filter.is_some() {
        let _ = writeln!(out, "filter rows: WHERE");
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
    let _ = writeln!(
        out,
        "budget: {} units of traversal work, {} rows",
        options.budget.max_work, options.budget.max_rows
    );
    Ok(out)
}

fn steps(steps: &[PlanStep], graph: &Graph, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for step in steps {
        match step {
            PlanStep::Traverse {
                negated,
                verbs,
                direction,
                target,
                ..
            } => {
                let verbs = match verbs {
                    None => "any relationship".to_string(),
                    Some(v) if v.is_empty() => {
                        "a verb absent from the data (matches nothing)".into()
                    }
                    Some(v) => v
                        .iter()
                        .map(|s| graph.str(*s))
                        .collect::<Vec<_>>()
                        .join("|"),
                };
                let dir = match direction {
                    Direction::Outgoing => "outgoing",
                    Direction::Incoming => "incoming",
                    Direction::Both => "either direction",
                };
                let how = if *negated {
                    "keep rows with NO"
                } else {
                    "expand along"
                };
                let _ = writeln!(
                    out,
                    "{pad}{how} {verbs} ({dir}, adjacency index) to {}",
                    target.label()
                );
            }
            PlanStep::Optional { steps: inner, .. } => {
                let _ = writeln!(out, "{pad}optional (union of the row and its extensions):");
                self::steps(inner, graph, depth + 1, out);
            }
        }
    }
}
