//! Entity patterns compiled for matching: selector (classes, types, `*`, smart classes, full
//! text) and WITH filter.

use std::borrow::Cow;

use j1ql_graph::{EntityId, Graph, PropValue, Sym};
use j1ql_semantics::ir;
use j1ql_semantics::smart_classes::SmartClasses;

use crate::error::EvalError;
use crate::filter::{Filter, Lookup};
use crate::resolve::ValueContext;

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

/// Property lookup on a single entity (WITH filters).
pub struct EntityLookup<'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// The entity.
    pub id: EntityId,
}

impl<'g> Lookup<'g> for EntityLookup<'g> {
    fn get(&self, _alias: Option<&str>, key: &str) -> Option<Cow<'g, PropValue>> {
        self.graph.entity(self.id).get(key)
    }
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
                Filter::compile(&f, cx)
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
                .map(|f| Filter::compile(f, cx))
                .transpose()?,
        })
    }

    /// Whether entity `id` matches.
    pub fn matches(&self, graph: &Graph, id: EntityId) -> bool {
        let entity = graph.entity(id);
        if !self.any {
            let by_class = entity
                .class_syms()
                .iter()
                .any(|c| self.classes.contains(&Some(*c)));
            let by_type = self.types.contains(&Some(entity.type_sym()));
            if !by_class && !by_type {
                return false;
            }
        }
        let lookup = EntityLookup { graph, id };
        if !self.smart.iter().all(|f| f.eval(graph, &lookup)) {
            return false;
        }
        if !self.full_text.is_empty() && !full_text_matches(graph, id, &self.full_text) {
            return false;
        }
        self.filter.as_ref().is_none_or(|f| f.eval(graph, &lookup))
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

    /// Every matching entity, in graph order, using the class/type indexes when it can.
    pub fn candidates(&self, graph: &Graph) -> Vec<EntityId> {
        if self.any {
            return (0..graph.entity_count() as u32)
                .map(EntityId)
                .filter(|id| self.matches(graph, *id))
                .collect();
        }
        let mut ids: Vec<EntityId> = Vec::new();
        for sym in self.classes.iter().flatten() {
            ids.extend_from_slice(graph.entities_of_class(graph.str(*sym)));
        }
        for sym in self.types.iter().flatten() {
            ids.extend_from_slice(graph.entities_of_type(graph.str(*sym)));
        }
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| self.matches(graph, *id));
        ids
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
