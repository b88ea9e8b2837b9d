//! Entity patterns compiled for matching: selector (classes, types, `*`, smart classes, full
//! text) and WITH filter.

use std::borrow::Cow;

use j1ql_graph::{EntityId, Graph, PropValue, Selector, Sym};
use j1ql_semantics::ir;
use j1ql_semantics::smart_classes::SmartClasses;

use crate::error::EvalError;
use crate::filter::Filter;
use crate::optimize::index_choice::{self as indexed, Chosen};
use crate::resolve::ValueContext;
use crate::row::Slots;
use crate::tuning::FILTER_PARALLEL_MIN_CANDIDATES;

/// A compiled entity pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// `*` was given (or nothing narrows the classes/types).
    any: bool,
    /// `_class` symbols (a class absent from the graph matches nothing).
    classes: Vec<Option<Sym>>,
    /// `_type` symbols.
    types: Vec<Option<Sym>>,
    /// Smart-class filters, all of which must hold.
    smart: Vec<Filter>,
    /// Full-text tokens, lower case, all of which must occur.
    full_text: Vec<String>,
    /// The WITH filter.
    filter: Option<Filter>,
    /// How the pattern reads, for `--explain`.
    label: String,
}

impl Pattern {
    /// Compiles a pattern against a graph.
    pub fn compile(
        pattern: &ir::EntityPattern,
        graph: &Graph,
        cx: &ValueContext,
        smart: &SmartClasses,
    ) -> Result<Pattern, EvalError> {
        let selector = &pattern.selector;
        let smart_filters = selector
            .smart_classes
            .iter()
            .map(|name| {
                let f = smart
                    .filter(&name.text)
                    .map_err(|e| EvalError::InvalidSmartClass {
                        name: name.text.clone(),
                        message: e.join("; "),
                    })?;
                Filter::compile_with(&f, graph, cx)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let full_text = selector
            .full_text
            .as_deref()
            .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default();
        let mut label: Vec<String> = Vec::new();
        label.extend(
            selector
                .smart_classes
                .iter()
                .map(|s| format!("#{}", s.text)),
        );
        label.extend(
            selector
                .classes
                .iter()
                .chain(&selector.types)
                .map(|n| n.text.clone()),
        );
        if selector.any {
            label.push("*".into());
        }
        if let Some(t) = &selector.full_text {
            label.push(format!("{t:?}"));
        }
        let mut label = label.join("|");
        if pattern.filter.is_some() {
            label.push_str(" WITH ...");
        }
        Ok(Pattern {
            label,
            any: selector.any || (selector.classes.is_empty() && selector.types.is_empty()),
            classes: selector
                .classes
                .iter()
                .map(|c| graph.sym(&c.text))
                .collect(),
            types: selector.types.iter().map(|t| graph.sym(&t.text)).collect(),
            smart: smart_filters,
            full_text,
            filter: pattern
                .filter
                .as_ref()
                .map(|f| Filter::compile_with(f, graph, cx))
                .transpose()?,
        })
    }

    /// The work of checking one entity against the pattern: 1, plus the value comparisons of
    /// its smart classes and WITH filter ([`Filter::cost`]) and its full-text tokens.
    pub fn check_cost(&self) -> u64 {
        self.smart
            .iter()
            .chain(&self.filter)
            .map(Filter::cost)
            .fold(1 + self.full_text.len() as u64, u64::saturating_add)
    }

    /// How many entities finding the starting candidates may check at most: the class/type
    /// index's candidates, or every entity.
    pub fn scan_bound(&self, graph: &Graph) -> usize {
        if let Some(chosen) = self.indexed(graph) {
            if chosen.exact {
                return 0;
            }
        }
        self.index_candidates(graph)
            .map_or(graph.entity_count(), |ids| ids.len())
    }

    /// Whether entity `id` matches.
    #[inline]
    pub fn matches(&self, graph: &Graph, id: EntityId) -> bool {
        if !self.any {
            let entity = graph.entity(id);
            let by_class = entity
                .class_syms()
                .iter()
                .any(|c| self.classes.contains(&Some(*c)));
            let by_type = self.types.contains(&Some(entity.type_sym()));
            if !by_class && !by_type {
                return false;
            }
        }
        self.matches_rest(graph, id)
    }

    /// Whether `id`, known to have one of the pattern's classes or types, matches.
    #[inline]
    pub(crate) fn matches_rest(&self, graph: &Graph, id: EntityId) -> bool {
        if !self.smart.iter().all(|f| f.eval(graph, id, Slots::EMPTY)) {
            return false;
        }
        if !self.full_text.is_empty() && !full_text_matches(graph, id, &self.full_text) {
            return false;
        }
        self.filter
            .as_ref()
            .is_none_or(|f| f.eval(graph, id, Slots::EMPTY))
    }

    /// Whether the pattern matches on class/type alone (no filter of any kind).
    pub fn is_plain(&self) -> bool {
        self.smart.is_empty() && self.full_text.is_empty() && self.filter.is_none()
    }

    /// How the pattern reads (`DataStore WITH ...`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Which index finds the candidates, and how many entities it yields before filtering.
    pub fn access(&self, graph: &Graph) -> (String, usize) {
        if self.any {
            return ("scan of all entities".into(), graph.entity_count());
        }
        let n: usize = self
            .classes
            .iter()
            .flatten()
            .map(|s| graph.entities_of_class(graph.str(*s)).len())
            .chain(
                self.types
                    .iter()
                    .flatten()
                    .map(|s| graph.entities_of_type(graph.str(*s)).len()),
            )
            .sum();
        ("class/type index".into(), n)
    }

    /// The entities the indexes give before filtering, in graph order (`None`: every entity).
    pub fn index_candidates<'g>(&self, graph: &'g Graph) -> Option<Cow<'g, [EntityId]>> {
        if self.any {
            return None;
        }
        let lists: Vec<&'g [EntityId]> = self
            .classes
            .iter()
            .flatten()
            .map(|s| graph.entities_of_class(graph.str(*s)))
            .chain(
                self.types
                    .iter()
                    .flatten()
                    .map(|s| graph.entities_of_type(graph.str(*s))),
            )
            .filter(|l| !l.is_empty())
            .collect();
        Some(match lists.as_slice() {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(one),
            _ => {
                let mut ids: Vec<EntityId> = lists.concat();
                ids.sort_unstable();
                ids.dedup();
                Cow::Owned(ids)
            }
        })
    }

    /// The value-group index for this pattern, when it applies: a type/class selector (no
    /// `*`, smart class or full text) and a WITH filter that reads one stored property, or an
    /// `AND` with such a conjunct (see [`crate::optimize::index_choice`]).
    pub(crate) fn indexed(&self, graph: &Graph) -> Option<Chosen> {
        if self.any || !self.smart.is_empty() || !self.full_text.is_empty() {
            return None;
        }
        let filter = self.filter.as_ref()?;
        indexed::choose(
            graph,
            &indexed::selectors(&self.classes, &self.types),
            filter,
        )
    }

    /// The value comparisons deciding the value groups for [`Pattern::indexed`] costs at
    /// most (`indexed::decision_cost`), computed without making them.
    pub(crate) fn index_work(&self, graph: &Graph) -> u64 {
        if self.any || !self.smart.is_empty() || !self.full_text.is_empty() {
            return 0;
        }
        self.filter.as_ref().map_or(0, |filter| {
            indexed::decision_cost(
                graph,
                &indexed::selectors(&self.classes, &self.types),
                filter,
            )
        })
    }

    /// The selectors and WITH filter of a pattern that is only type/class selectors and an
    /// optional WITH filter (no `*`, smart class or full text): the entities matching it are
    /// the selectors' members that pass the filter (see [`crate::exec::admit`]).
    pub(crate) fn selector_parts(&self) -> Option<(Vec<Selector>, Option<&Filter>)> {
        if self.any || !self.smart.is_empty() || !self.full_text.is_empty() {
            return None;
        }
        Some((
            indexed::selectors(&self.classes, &self.types),
            self.filter.as_ref(),
        ))
    }

    /// The `_type`s a matching entity can have, when the pattern selects by type only (no
    /// `*` or class); types absent from the graph are left out.
    pub(crate) fn type_set(&self) -> Option<Vec<Sym>> {
        if self.any || !self.classes.is_empty() {
            return None;
        }
        Some(self.types.iter().flatten().copied().collect())
    }

    /// The number of matching entities when the index answers it without listing them.
    pub fn indexed_count(&self, graph: &Graph) -> Option<usize> {
        self.indexed(graph).filter(|c| c.exact)?.count()
    }

    /// Calls `f` with every matching entity in graph order until it returns `false` (streams:
    /// nothing is materialised).
    pub fn for_each_candidate(&self, graph: &Graph, mut f: impl FnMut(EntityId) -> bool) {
        if let Some(chosen) = self.indexed(graph) {
            for id in chosen.ids() {
                if (chosen.exact || self.matches_rest(graph, id)) && !f(id) {
                    return;
                }
            }
            return;
        }
        match self.index_candidates(graph) {
            None => {
                for id in (0..graph.entity_count() as u32).map(EntityId) {
                    if self.matches_rest(graph, id) && !f(id) {
                        return;
                    }
                }
            }
            Some(ids) => {
                for &id in ids.iter() {
                    if self.matches_rest(graph, id) && !f(id) {
                        return;
                    }
                }
            }
        }
    }

    /// Every matching entity, in graph order, using the class/type indexes when it can; large
    /// candidate lists are filtered on two threads.
    pub fn candidates(&self, graph: &Graph) -> Vec<EntityId> {
        let owned: Vec<EntityId>;
        let chosen = self.indexed(graph);
        let ids: &[EntityId] = match chosen.as_ref().map(|c| (c.exact, c.ids())) {
            Some((true, ids)) => return ids,
            Some((false, ids)) => {
                owned = ids;
                &owned
            }
            None => match self.index_candidates(graph) {
                None => {
                    owned = (0..graph.entity_count() as u32).map(EntityId).collect();
                    &owned
                }
                Some(Cow::Borrowed(ids)) => ids,
                Some(Cow::Owned(ids)) => {
                    owned = ids;
                    &owned
                }
            },
        };
        if self.is_plain() {
            return ids.to_vec();
        }
        let filter = |chunk: &[EntityId]| -> Vec<EntityId> {
            chunk
                .iter()
                .copied()
                .filter(|id| self.matches_rest(graph, *id))
                .collect()
        };
        if ids.len() < FILTER_PARALLEL_MIN_CANDIDATES {
            return filter(ids);
        }
        let (a, b) = ids.split_at(ids.len() / 2);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| filter(b));
            let mut out = filter(a);
            match second.join() {
                Ok(rest) => out.extend(rest),
                Err(_) => out.extend(filter(b)),
            }
            out
        })
    }
}

/// Every token occurs (case-insensitively) in some string value of the entity.
fn full_text_matches(graph: &Graph, id: EntityId, tokens: &[String]) -> bool {
    let entity = graph.entity(id);
    let mut texts: Vec<String> = vec![entity.key().to_lowercase()];
    for (_, value) in entity.properties() {
        for element in value.elements() {
            if let PropValue::String(s) = element {
                texts.push(graph.str(*s).to_lowercase());
            }
        }
    }
    tokens
        .iter()
        .all(|token| texts.iter().any(|t| t.contains(token.as_str())))
}
