//! Which row slot each alias names, and property lookup on a row (WHERE, RETURN).

use std::borrow::Cow;
use std::collections::HashMap;

use j1ql_graph::{Graph, PropValue};
use j1ql_semantics::ir::{self, AliasKind};

use crate::row::Row;

/// Looks a property up: `(alias, key)` → value. Borrowed when stored, owned for metadata.
pub trait Lookup<'g> {
    /// The value of `key` on what `alias` names (or on the entity being filtered).
    fn get(&self, alias: Option<&str>, key: &str) -> Option<Cow<'g, PropValue>>;
}

/// What an alias refers to in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// An entity slot.
    Entity(usize),
    /// A relationship slot.
    Relationship(usize),
    /// An optional group's current entity.
    Optional(usize),
}

/// Alias → binding, for one query.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    map: HashMap<String, Binding>,
}

impl Bindings {
    /// Assigns slots exactly as [`crate::plan::Plan::build`] does.
    pub fn of(query: &ir::Query) -> Bindings {
        let mut b = Bindings::default();
        if let Some(a) = &query.start.alias {
            b.map.insert(a.text.clone(), Binding::Entity(0));
        }
        let (mut slot, mut optional) = (1, 0);
        b.steps(&query.steps, &mut slot, &mut optional);
        for alias in query.aliases.iter().filter(|a| a.implicit) {
            let binding = match alias.kind {
                AliasKind::Relationship => Binding::Relationship(alias.step),
                _ => Binding::Entity(alias.step),
            };
            b.map.entry(alias.name.text.clone()).or_insert(binding);
        }
        b
    }

    fn steps(&mut self, steps: &[ir::Step], slot: &mut usize, optional: &mut usize) {
        for step in steps {
            match step {
                ir::Step::Traversal(t) => {
                    if let Some(a) = &t.relationship_alias {
                        self.map
                            .insert(a.text.clone(), Binding::Relationship(*slot));
                    }
                    if let Some(a) = &t.target.alias {
                        self.map.insert(a.text.clone(), Binding::Entity(*slot));
                    }
                    *slot += 1;
                }
                ir::Step::Optional(g) => {
                    let mine = *optional;
                    *optional += 1;
                    self.steps(&g.steps, slot, optional);
                    if let Some(a) = &g.alias {
                        self.map.insert(a.text.clone(), Binding::Optional(mine));
                    }
                }
            }
        }
    }

    /// The binding of `alias`.
    pub fn get(&self, alias: &str) -> Option<Binding> {
        self.map.get(alias).copied()
    }
}

/// What a binding holds in one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// An entity.
    Entity(j1ql_graph::EntityId),
    /// A relationship.
    Relationship(j1ql_graph::RelId),
}

/// Resolves aliases against one row.
pub struct RowLookup<'a, 'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// The aliases.
    pub bindings: &'a Bindings,
    /// The row.
    pub row: &'a Row,
}

impl RowLookup<'_, '_> {
    /// What `alias` names in this row (`None`: unknown alias or unbound optional part).
    pub fn bound(&self, alias: &str) -> Option<Bound> {
        match self.bindings.get(alias)? {
            Binding::Entity(s) => self.row.entity(s).map(Bound::Entity),
            Binding::Optional(s) => self.row.optional(s).map(Bound::Entity),
            Binding::Relationship(s) => self.row.relationship(s).map(Bound::Relationship),
        }
    }
}

impl<'g> Lookup<'g> for RowLookup<'_, 'g> {
    fn get(&self, alias: Option<&str>, key: &str) -> Option<Cow<'g, PropValue>> {
        match self.bound(alias?)? {
            Bound::Entity(id) => self.graph.entity(id).get(key),
            Bound::Relationship(id) => self.graph.relationship(id).get(key),
        }
    }
}
