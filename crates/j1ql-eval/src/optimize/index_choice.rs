//! The start-step index: a pattern `type WITH filter` whose filter (or one conjunct of it)
//! compares a single stored property with constants is answered from the graph's value groups
//! ([`Graph::value_groups`]) instead of reading the property of every entity of the type.
//!
//! The comparison is still decided by [`Filter::eval`], once per group on the group's first
//! member: every member holds the identical value (missing included), so the answer is the
//! same for all of them and the truth tables for arrays and `undefined` hold unchanged.

use std::sync::Arc;

use j1ql_graph::{EntityId, Graph, Selector, Sym, ValueGroups};

use crate::filter::Filter;
use crate::row::Slots;

/// The groups a filter keeps, per selector.
pub(crate) struct Chosen {
    /// Per selector: its groups and the indexes of the kept ones.
    picks: Vec<(Arc<ValueGroups>, Vec<usize>)>,
    /// Whether the kept entities match the whole filter (otherwise they are candidates that
    /// still need the filter).
    pub exact: bool,
}

impl Chosen {
    fn size(&self) -> usize {
        self.picks
            .iter()
            .map(|(g, keep)| {
                let groups: Vec<&[EntityId]> = g.groups().map(|(_, m)| m).collect();
                keep.iter().map(|i| groups[*i].len()).sum::<usize>()
            })
            .sum()
    }

    /// The number of kept entities without listing them (one selector: groups are disjoint).
    pub fn count(&self) -> Option<usize> {
        (self.picks.len() == 1).then(|| self.size())
    }

    /// The kept entities, in graph order, without duplicates.
    pub fn ids(&self) -> Vec<EntityId> {
        let mut slices: Vec<&[EntityId]> = Vec::new();
        for (g, keep) in &self.picks {
            let groups: Vec<&[EntityId]> = g.groups().map(|(_, m)| m).collect();
            slices.extend(keep.iter().map(|i| groups[*i]));
        }
        match slices.as_slice() {
            [] => Vec::new(),
            [one] => one.to_vec(),
            _ => {
                let mut ids = slices.concat();
                ids.sort_unstable();
                if self.picks.len() > 1 {
                    ids.dedup();
                }
                ids
            }
        }
    }
}

/// The selectors of a pattern (classes and types present in the graph); `None` for `*`.
pub(crate) fn selectors(classes: &[Option<Sym>], types: &[Option<Sym>]) -> Vec<Selector> {
    classes
        .iter()
        .flatten()
        .map(|s| Selector::Class(*s))
        .chain(types.iter().flatten().map(|s| Selector::Type(*s)))
        .collect()
}

/// The groups `filter` keeps among the entities of `selectors`, when the index applies: the
/// whole filter reads one property (exact), or one conjunct of an `AND` does (the smallest
/// such conjunct; the rest is checked per candidate).
pub(crate) fn choose(graph: &Graph, selectors: &[Selector], filter: &Filter) -> Option<Chosen> {
    if selectors.is_empty() {
        return None;
    }
    if let Some(key) = filter.single_key() {
        return pick(graph, selectors, filter, key, true);
    }
    let Filter::And(conjuncts) = filter else {
        return None;
    };
    conjuncts
        .iter()
        .filter_map(|c| pick(graph, selectors, c, c.single_key()?, false))
        .min_by_key(Chosen::size)
}

/// The value comparisons [`choose`] makes at most: each filter it may decide from value
/// groups is evaluated once per group (of every selector), at [`Filter::cost`] each.
/// Bounded from the groups' counts, without evaluating anything, so the work budget can
/// refuse a query before the work is done.
pub(crate) fn decision_cost(graph: &Graph, selectors: &[Selector], filter: &Filter) -> u64 {
    if selectors.is_empty() {
        return 0;
    }
    let decide = |f: &Filter, key: Sym| -> u64 {
        selectors
            .iter()
            .map(|s| graph.value_groups(*s, key).map_or(0, |g| g.len() as u64))
            .fold(0, u64::saturating_add)
            .saturating_mul(f.cost())
    };
    if let Some(key) = filter.single_key() {
        return decide(filter, key);
    }
    let Filter::And(conjuncts) = filter else {
        return 0;
    };
    conjuncts
        .iter()
        .filter_map(|c| Some(decide(c, c.single_key()?)))
        .fold(0, u64::saturating_add)
}

fn pick(
    graph: &Graph,
    selectors: &[Selector],
    filter: &Filter,
    key: Sym,
    exact: bool,
) -> Option<Chosen> {
    let picks = selectors
        .iter()
        .map(|s| {
            let groups = graph.value_groups(*s, key)?;
            let keep = groups
                .groups()
                .enumerate()
                .filter(|(_, (_, members))| filter.eval(graph, members[0], Slots::EMPTY))
                .map(|(i, _)| i)
                .collect();
            Some((groups, keep))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Chosen { picks, exact })
}
