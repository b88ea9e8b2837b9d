//! Exact slot sets from the indexes: the entities matching a chain slot (its pattern and the
//! WHERE conjuncts on that slot alone) as a bitset built from the class/type index and the
//! value groups, without reading any entity.
//!
//! Why: the semi-join reduction tests every neighbour it reaches against the slot's pattern and
//! checks, and each test reads the entity's record and properties (a cache miss or two per
//! entity on a 1 M graph). When the pattern is only type/class selectors and every filter on
//! the slot compares one stored property with constants, the matching set is a union of value
//! groups: each group is decided once, on its first member, by the same compiled filter (every
//! member holds the identical value), so the set is exactly what the per-entity test accepts,
//! and a neighbour's test becomes one bit lookup.

use j1ql_graph::{EntityId, Graph, Selector};

use crate::bitset::Bitset;
use crate::error::EvalError;
use crate::filter::{Filter, Src};
use crate::pattern::Pattern;
use crate::row::Slots;
use crate::row::NONE;

/// The members of a selector (type or class index).
fn members(graph: &Graph, selector: Selector) -> &[EntityId] {
    match selector {
        Selector::Type(s) => graph.entities_of_type(graph.str(s)),
        Selector::Class(s) => graph.entities_of_class(graph.str(s)),
    }
}

/// Flattens top-level `AND`s: each conjunct is decided on its own.
fn conjuncts<'f>(f: &'f Filter, out: &mut Vec<&'f Filter>) {
    match f {
        Filter::And(v) => v.iter().for_each(|c| conjuncts(c, out)),
        f => out.push(f),
    }
}

/// The exact set of entities matching `pattern` and `checks` (WHERE conjuncts that read only
/// entity slot `slot`; `slots` is the row width), when the indexes give it and the selectors
/// hold at most `max_members` entities; `None` otherwise (the caller tests entities one by
/// one). Also returns the set's size. Deciding each value group costs the filter's
/// comparisons ([`Filter::cost`]), handed to `charge` (the work budget) before it is done.
pub(crate) fn exact_set(
    graph: &Graph,
    pattern: &Pattern,
    checks: &[&Filter],
    slot: usize,
    slots: usize,
    max_members: usize,
    charge: &mut impl FnMut(u64) -> Result<(), EvalError>,
) -> Result<Option<(Bitset, usize)>, EvalError> {
    let Some((selectors, with)) = pattern.selector_parts() else {
        return Ok(None);
    };
    let total: usize = selectors.iter().map(|s| members(graph, *s).len()).sum();
    if total > max_members {
        return Ok(None);
    }
    let mut filters: Vec<(&Filter, Src)> = Vec::new();
    if let Some(with) = with {
        let mut parts = Vec::new();
        conjuncts(with, &mut parts);
        filters.extend(parts.into_iter().map(|f| (f, Src::This)));
    }
    for check in checks {
        let mut parts = Vec::new();
        conjuncts(check, &mut parts);
        filters.extend(parts.into_iter().map(|f| (f, Src::Entity(slot))));
    }
    let Some(keys) = filters
        .iter()
        .map(|(f, src)| f.single_key_of(*src))
        .collect::<Option<Vec<_>>>()
    else {
        return Ok(None);
    };
    let n = graph.entity_count();
    let mut set: Option<Bitset> = None;
    let mut scratch = vec![NONE; slots];
    for ((filter, _), key) in filters.iter().zip(keys) {
        let mut kept = Bitset::new(n);
        for selector in &selectors {
            let Some(groups) = graph.value_groups(*selector, key) else {
                return Ok(None);
            };
            let cost = filter.cost();
            for (_, group) in groups.groups() {
                charge(cost)?;
                let first = group[0];
                scratch[slot] = first.0;
                let slots = Slots::chain(&scratch, &[]);
                if filter.eval(graph, first, slots) {
                    group.iter().for_each(|id| {
                        kept.insert(*id);
                    });
                }
            }
        }
        match &mut set {
            None => set = Some(kept),
            Some(s) => s.intersect(&kept),
        }
    }
    let set = set.unwrap_or_else(|| {
        let mut all = Bitset::new(n);
        for selector in &selectors {
            members(graph, *selector).iter().for_each(|id| {
                all.insert(*id);
            });
        }
        all
    });
    let size = set.ids().count();
    Ok(Some((set, size)))
}
