//! Rewrite: direction narrowing. J1QL steps are bidirectional by default; a top-level step
//! between type-only patterns is narrowed to the side on which the graph's edge-type
//! statistics ([`j1ql_graph::stats`]) hold a relationship of its verbs between those types, so
//! the walk and the semi-join read one adjacency list per entity instead of two. `--explain`
//! says "outgoing only: none the other way between these types in the data".

use j1ql_graph::{Graph, Sym};
use j1ql_semantics::ir::Direction;

use crate::plan::{Plan, PlanStep};

impl Plan {
    /// Narrows bidirectional top-level steps to the one side on which the graph has a
    /// relationship of the step's verbs between the types the current entity and the target
    /// can have (type-only patterns; after an optional group the current entity's types are
    /// not tracked). Results are unchanged: the dropped side holds no matching edge.
    pub(crate) fn narrow_directions(&mut self, graph: &Graph) {
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
}
