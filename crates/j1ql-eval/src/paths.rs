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

use crate::error::EvalError;
use crate::pattern::Pattern;
use crate::resolve::ValueContext;

/// Marks an unbound slot.
pub const NONE: u32 = u32::MAX;

/// One step of a compiled plan.
#[derive(Debug, Clone)]
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
        /// Direction relative to the current entity.
        direction: Direction,
        /// What the other end must match.
        target: Pattern,
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
}

impl Plan {
    /// Compiles the query's patterns and steps.
    pub fn compile(
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
        Ok(Plan {
            start: Pattern::compile(&query.start, graph, cx, smart)?,
            steps,
            slots,
            optional_slots,
            leading_optionals,
        })
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
                    target: Pattern::compile(&t.target, graph, cx, smart)?,
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

/// Limits on work and output.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Relationship visits and entity checks.
    pub max_work: u64,
    /// Rows (paths) kept.
    pub max_rows: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_work: 200_000_000,
            max_rows: 2_000_000,
        }
    }
}

struct Walker<'a> {
    graph: &'a Graph,
    budget: Budget,
    work: u64,
    leading: usize,
    out: Vec<Row>,
}

/// Every complete path from the starting entities.
pub fn enumerate(plan: &Plan, graph: &Graph, budget: Budget) -> Result<Vec<Row>, EvalError> {
    let mut walker = Walker {
        graph,
        budget,
        work: 0,
        leading: plan.leading_optionals,
        out: Vec::new(),
    };
    for start in plan.start.candidates(graph) {
        let mut entities = vec![NONE; plan.slots];
        entities[0] = start.0;
        let row = Row {
            entities,
            relationships: vec![NONE; plan.slots],
            optionals: vec![NONE; plan.optional_slots],
            root: start.0,
            cur: start.0,
        };
        walker.walk(&plan.steps, 0, row, true)?;
    }
    Ok(walker.out)
}

impl Walker<'_> {
    fn charge(&mut self, units: u64) -> Result<(), EvalError> {
        self.work += units;
        if self.work > self.budget.max_work {
            return Err(EvalError::Budget {
                what: "traversal work",
                limit: self.budget.max_work,
            });
        }
        Ok(())
    }

    /// Runs `steps[index..]` from `row`; `top` says whether these are the query's own steps
    /// (where the root is fixed after the leading optional groups) or a group's.
    fn walk(
        &mut self,
        steps: &[PlanStep],
        index: usize,
        mut row: Row,
        top: bool,
    ) -> Result<(), EvalError> {
        if top && index == self.leading {
            row.root = row.cur;
        }
        let Some(step) = steps.get(index) else {
            if self.out.len() >= self.budget.max_rows {
                return Err(EvalError::Budget {
                    what: "result rows",
                    limit: self.budget.max_rows as u64,
                });
            }
            self.out.push(row);
            return Ok(());
        };
        match step {
            PlanStep::Traverse {
                slot,
                negated,
                verbs,
                direction,
                target,
            } => {
                let edges = self.edges(EntityId(row.cur), verbs.as_deref(), *direction);
                self.charge(edges.len() as u64 + 1)?;
                if *negated {
                    let blocked = edges
                        .iter()
                        .any(|(edge, _)| target.matches(self.graph, edge.other));
                    if !blocked {
                        self.walk(steps, index + 1, row, top)?;
                    }
                    return Ok(());
                }
                for (edge, _) in edges {
                    if !target.matches(self.graph, edge.other) {
                        continue;
                    }
                    let mut next = row.clone();
                    next.entities[*slot] = edge.other.0;
                    next.relationships[*slot] = edge.rel.0;
                    next.cur = edge.other.0;
                    self.walk(steps, index + 1, next, top)?;
                }
                Ok(())
            }
            PlanStep::Optional { slot, steps: inner } => {
                // The row as it is...
                let mut unchanged = row.clone();
                unchanged.optionals[*slot] = unchanged.cur;
                self.walk(steps, index + 1, unchanged, top)?;
                // ...and through every extension of the group.
                let mut through = Walker {
                    graph: self.graph,
                    budget: self.budget,
                    work: self.work,
                    leading: usize::MAX,
                    out: Vec::new(),
                };
                through.walk(inner, 0, row, false)?;
                self.work = through.work;
                for mut extended in through.out {
                    extended.optionals[*slot] = extended.cur;
                    self.walk(steps, index + 1, extended, top)?;
                }
                Ok(())
            }
        }
    }

    /// Relationships from `id` with one of `verbs` in `direction`; the bool says whether the
    /// edge is outgoing.
    fn edges(
        &self,
        id: EntityId,
        verbs: Option<&[Sym]>,
        direction: Direction,
    ) -> Vec<(Edge, bool)> {
        let mut out = Vec::new();
        let mut take = |outgoing: bool| {
            let lists: Vec<&[Edge]> = match verbs {
                None => vec![if outgoing {
                    self.graph.outgoing(id)
                } else {
                    self.graph.incoming(id)
                }],
                Some(verbs) => verbs
                    .iter()
                    .map(|v| {
                        if outgoing {
                            self.graph.outgoing_with(id, *v)
                        } else {
                            self.graph.incoming_with(id, *v)
                        }
                    })
                    .collect(),
            };
            for list in lists {
                out.extend(list.iter().map(|e| (*e, outgoing)));
            }
        };
        match direction {
            Direction::Outgoing => take(true),
            Direction::Incoming => take(false),
            Direction::Both => {
                take(true);
                take(false);
            }
        }
        out
    }
}
