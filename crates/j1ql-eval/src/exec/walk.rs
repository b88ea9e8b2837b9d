//! Operator: the walk. From each starting entity, through each step, to complete paths:
//! * `THAT verb target` (expand): every relationship with a matching verb and direction whose
//!   other end matches the target pattern (or is in the slot's reduced set) and passes the
//!   checks pushed down to the step extends the row; a row that cannot be extended is dropped.
//! * `THAT !verb target` (anti-expand): the row survives only when no such relationship
//!   exists; the current entity does not move.
//! * `( ... )?` (optional): the row continues both unchanged and through every extension of
//!   the group, so what follows runs on the union ("the combined results"), and the group's
//!   alias names the union member.
//!
//! A complete path is counted (count-only), added to its group (streamed grouping) or kept as
//! a row; in roots-only mode the walk from a start stops at its first path.

use j1ql_graph::{Edge, EntityId, Graph};
use j1ql_semantics::ir::Direction;

use crate::bitset::Bitset;
use crate::budget::Budget;
use crate::error::EvalError;
use crate::exec::group::{GroupSpec, Groups};
use crate::plan::{Plan, PlanStep};
use crate::row::{Row, Slots, NONE};

pub(super) struct Walker<'a> {
    pub(super) graph: &'a Graph,
    pub(super) budget: &'a Budget,
    pub(super) work: u64,
    pub(super) leading: usize,
    /// One path per starting entity is enough.
    pub(super) roots_only: bool,
    /// Count the complete paths instead of keeping them.
    pub(super) count_only: bool,
    pub(super) counted: usize,
    /// Per slot, the entities the semi-join reduction left (tested instead of the pattern).
    pub(super) sets: Option<&'a [Option<Bitset>]>,
    /// Grouped counts computed as paths complete (no rows kept), see [`crate::exec::group`].
    pub(super) sink: Option<(&'a GroupSpec<'a>, Groups)>,
    pub(super) out: Vec<Row>,
}

impl Walker<'_> {
    /// Complete paths kept so far (as rows or in the grouped counts).
    pub(super) fn kept(&self) -> usize {
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
    pub(super) fn start(
        &mut self,
        plan: &Plan,
        row: &mut Row,
        start: EntityId,
    ) -> Result<(), EvalError> {
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
                    Slots::chain(&row.entities, &row.relationships),
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
                                    Slots::chain(&row.entities, &row.relationships),
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
