//! The loaded graph: entity and relationship stores, indexes, adjacency, and views.

use std::borrow::Cow;

use crate::intern::{FxMap, Interner, Sym};
use crate::load::LoadReport;
use crate::sym_map::SymMap;
use crate::value::{PropValue, ValueRef};

/// An entity's index in [`Graph::entities`] (dense, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

/// A relationship's index in [`Graph::relationships`] (dense, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelId(pub u32);

impl EntityId {
    /// As a `usize` index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl RelId {
    /// As a `usize` index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A subgraph: `(_source, _scope)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Subgraph {
    pub source: Sym,
    pub scope: Sym,
}

/// Properties of one object, sorted by key [`Sym`] (binary-searched).
pub(crate) type Props = Box<[(Sym, PropValue)]>;

pub(crate) fn find_prop(props: &[(Sym, PropValue)], key: Sym) -> Option<&PropValue> {
    props
        .binary_search_by_key(&key, |(k, _)| *k)
        .ok()
        .map(|i| &props[i].1)
}

#[derive(Debug, Clone)]
pub(crate) struct EntityRec {
    pub id: Sym,
    pub key: Sym,
    pub ty: Sym,
    /// Index into `Graph::class_sets`.
    pub classes: u32,
    /// Index into `Graph::subgraphs`.
    pub subgraph: u32,
    pub props: Props,
}

#[derive(Debug, Clone)]
pub(crate) struct RelRec {
    pub id: Sym,
    pub key: Sym,
    pub ty: Sym,
    /// The verb, upper case.
    pub class: Sym,
    pub subgraph: u32,
    pub from: EntityId,
    pub to: EntityId,
    pub props: Props,
}

/// One entry of an adjacency list: the relationship, its verb, and the entity at the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The relationship.
    pub rel: RelId,
    /// The relationship's `_class` (verb, upper case).
    pub verb: Sym,
    /// The other endpoint: the target for [`Graph::outgoing`], the source for
    /// [`Graph::incoming`].
    pub other: EntityId,
}

/// Compressed adjacency: per entity, a slice of edges sorted by verb then other endpoint.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency {
    offsets: Vec<u32>,
    edges: Vec<Edge>,
}

impl Adjacency {
    fn build(n: usize, mut edges: Vec<(EntityId, Edge)>) -> Adjacency {
        edges.sort_unstable_by_key(|(e, edge)| (e.0, edge.verb, edge.other.0, edge.rel.0));
        let mut offsets = vec![0u32; n + 1];
        for (e, _) in &edges {
            offsets[e.index() + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Adjacency {
            offsets,
            edges: edges.into_iter().map(|(_, edge)| edge).collect(),
        }
    }

    fn of(&self, id: EntityId) -> &[Edge] {
        let i = id.index();
        if i + 1 >= self.offsets.len() {
            return &[];
        }
        &self.edges[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// A loaded graph. Build one with [`crate::Loader`], [`Graph::from_str`] or
/// [`Graph::from_json_value`]; it is immutable afterwards and cheap to share (`&Graph` is
/// `Sync`).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub(crate) strings: Interner,
    pub(crate) entities: Vec<EntityRec>,
    pub(crate) relationships: Vec<RelRec>,
    pub(crate) subgraphs: Vec<Subgraph>,
    pub(crate) class_sets: Vec<Box<[Sym]>>,
    pub(crate) by_class: FxMap<Sym, Vec<EntityId>>,
    pub(crate) by_type: FxMap<Sym, Vec<EntityId>>,
    pub(crate) by_id: SymMap,
    /// `_key` -> entities with that key, sorted by (key, entity).
    pub(crate) by_key: Vec<(Sym, EntityId)>,
    pub(crate) rel_by_id: SymMap,
    pub(crate) rels_by_class: FxMap<Sym, Vec<RelId>>,
    pub(crate) rels_by_type: FxMap<Sym, Vec<RelId>>,
    pub(crate) out_adj: Adjacency,
    pub(crate) in_adj: Adjacency,
    pub(crate) report: LoadReport,
    /// `_createdOn`, `_beginOn`, `_version`, `_deleted` for items that do not store their own,
    /// sorted by key.
    pub(crate) meta_defaults: Vec<(Sym, PropValue)>,
    /// Lazily built value groups per (type or class, property) (`crate::values`).
    pub(crate) value_indexes: crate::values::ValueIndexes,
}

impl Graph {
    /// Builds every index from the stores (called once by the loader). `by_id` and `rel_by_id`
    /// come from the loader, which maintained them while loading.
    pub(crate) fn index(&mut self, by_id: SymMap, rel_by_id: SymMap) {
        let n = self.entities.len();
        let (entities, relationships) = (&self.entities, &self.relationships);
        let class_sets = &self.class_sets;
        // Two halves of about equal work: outgoing adjacency and the relationship indexes on
        // a second thread, incoming adjacency and the entity indexes on this one.
        let ((out_adj, rels_by_class, rels_by_type), (in_adj, by_class, by_type, by_key)) =
            std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let out = Adjacency::build(n, edges(relationships, true));
                    let (by_class, by_type) = relationship_indexes(relationships);
                    (out, by_class, by_type)
                });
                let inc = Adjacency::build(n, edges(relationships, false));
                let (by_class, by_type, by_key) = entity_indexes(entities, class_sets);
                let other = match other.join() {
                    Ok(v) => v,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                (other, (inc, by_class, by_type, by_key))
            });
        self.by_class = by_class;
        self.by_type = by_type;
        self.by_id = by_id;
        self.by_key = by_key;
        self.rel_by_id = rel_by_id;
        self.rels_by_class = rels_by_class;
        self.rels_by_type = rels_by_type;
        self.out_adj = out_adj;
        self.in_adj = in_adj;
        self.strings.shrink_arena();
    }

    // ---- strings ------------------------------------------------------------------------

    /// The text of an interned string.
    #[inline]
    pub fn str(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    /// The [`Sym`] of `s` if any string of the graph equals it (when it is `None`, no entity or
    /// relationship has that string anywhere, so an equality filter on it matches nothing).
    #[inline]
    pub fn sym(&self, s: &str) -> Option<Sym> {
        self.strings.get(s)
    }

    /// The string table.
    pub fn strings(&self) -> &Interner {
        &self.strings
    }

    /// A value with its strings resolved.
    pub fn value_ref<'g>(&'g self, value: &'g PropValue) -> ValueRef<'g> {
        match value {
            PropValue::Null => ValueRef::Null,
            PropValue::Bool(b) => ValueRef::Bool(*b),
            PropValue::Number(n) => ValueRef::Number(*n),
            PropValue::String(s) => ValueRef::Str(self.str(*s)),
            PropValue::Array(a) => ValueRef::Array(a),
        }
    }

    /// A value as JSON.
    pub fn value_to_json(&self, value: &PropValue) -> serde_json::Value {
        value.to_json(&self.strings)
    }

    // ---- counts and iteration --------------------------------------------------------------

    /// How many entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// How many relationships.
    pub fn relationship_count(&self) -> usize {
        self.relationships.len()
    }

    /// Every entity, in load order.
    pub fn entities(&self) -> impl ExactSizeIterator<Item = Entity<'_>> + '_ {
        (0..self.entities.len() as u32).map(move |i| Entity {
            graph: self,
            id: EntityId(i),
        })
    }

    /// Every relationship, in load order (mapper-made ones last).
    pub fn relationships(&self) -> impl ExactSizeIterator<Item = Relationship<'_>> + '_ {
        (0..self.relationships.len() as u32).map(move |i| Relationship {
            graph: self,
            id: RelId(i),
        })
    }

    /// What the loader did: counts, skipped relationships, duplicates, mapper output.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    // ---- entity lookups ----------------------------------------------------------------

    /// The view of entity `id`.
    ///
    /// # Panics
    /// When `id` is not an entity of this graph.
    pub fn entity(&self, id: EntityId) -> Entity<'_> {
        assert!(id.index() < self.entities.len(), "no entity {id:?}");
        Entity { graph: self, id }
    }

    /// The view of relationship `id`.
    ///
    /// # Panics
    /// When `id` is not a relationship of this graph.
    pub fn relationship(&self, id: RelId) -> Relationship<'_> {
        assert!(
            id.index() < self.relationships.len(),
            "no relationship {id:?}"
        );
        Relationship { graph: self, id }
    }

    /// The entity whose `_id` is `id`.
    pub fn entity_by_id(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(self.sym(id)?).map(EntityId)
    }

    /// The relationship whose `_id` is `id`.
    pub fn relationship_by_id(&self, id: &str) -> Option<RelId> {
        self.rel_by_id.get(self.sym(id)?).map(RelId)
    }

    /// Entities having `_class` `class` (exact, case-sensitive), in load order.
    pub fn entities_of_class(&self, class: &str) -> &[EntityId] {
        self.sym(class)
            .and_then(|s| self.by_class.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// Entities having `_type` `ty`, in load order.
    pub fn entities_of_type(&self, ty: &str) -> &[EntityId] {
        self.sym(ty)
            .and_then(|s| self.by_type.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// Entities with `_key` `key`, in any subgraph, in load order.
    pub fn entities_with_key(&self, key: &str) -> &[(Sym, EntityId)] {
        let Some(k) = self.sym(key) else { return &[] };
        let start = self.by_key.partition_point(|&(s, _)| s < k);
        let end = self.by_key.partition_point(|&(s, _)| s <= k);
        &self.by_key[start..end]
    }

    /// The entity of subgraph (`source`, `scope`) with `_key` `key`.
    pub fn entity_by_key(&self, source: &str, scope: &str, key: &str) -> Option<EntityId> {
        let (source, scope) = (self.sym(source)?, self.sym(scope)?);
        self.entities_with_key(key).iter().find_map(|&(_, id)| {
            let sg = self.subgraphs[self.entities[id.index()].subgraph as usize];
            (sg.source == source && sg.scope == scope).then_some(id)
        })
    }

    /// Every distinct entity `_class`, with its entities.
    pub fn classes(&self) -> impl Iterator<Item = (&str, &[EntityId])> + '_ {
        self.by_class
            .iter()
            .map(|(s, ids)| (self.str(*s), ids.as_slice()))
    }

    /// Every distinct entity `_type`, with its entities.
    pub fn types(&self) -> impl Iterator<Item = (&str, &[EntityId])> + '_ {
        self.by_type
            .iter()
            .map(|(s, ids)| (self.str(*s), ids.as_slice()))
    }

    /// Relationships with `_class` (verb) `verb`, matched case-insensitively.
    pub fn relationships_of_class(&self, verb: &str) -> &[RelId] {
        self.verb(verb)
            .and_then(|s| self.rels_by_class.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// Relationships with `_type` `ty`.
    pub fn relationships_of_type(&self, ty: &str) -> &[RelId] {
        self.sym(ty)
            .and_then(|s| self.rels_by_type.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// The [`Sym`] of a verb as stored (upper case), matching `verb` in any case.
    pub fn verb(&self, verb: &str) -> Option<Sym> {
        if verb.bytes().any(|b| b.is_ascii_lowercase()) {
            self.sym(&verb.to_ascii_uppercase())
        } else {
            self.sym(verb)
        }
    }

    // ---- properties --------------------------------------------------------------------

    /// The stored property `key` of entity `id`, without cloning. Covers every property of the
    /// fixture (flattened) and the metadata `_createdOn`, `_beginOn`, `_version`, `_deleted` and
    /// other `_` names the data gave; `_id`, `_key`, `_type`, `_class`, `_source` and `_scope` are
    /// on [`Entity`] (or use [`Entity::get`], which covers both).
    #[inline]
    pub fn property(&self, id: EntityId, key: &str) -> Option<&PropValue> {
        self.property_sym(id, self.sym(key)?)
    }

    /// Like [`Graph::property`] with an interned key (the fast path for evaluators: intern the
    /// key once per query).
    #[inline]
    pub fn property_sym(&self, id: EntityId, key: Sym) -> Option<&PropValue> {
        find_prop(&self.entities.get(id.index())?.props, key)
            .or_else(|| find_prop(&self.meta_defaults, key))
    }

    /// The stored property `key` of relationship `id`.
    pub fn rel_property(&self, id: RelId, key: &str) -> Option<&PropValue> {
        self.rel_property_sym(id, self.sym(key)?)
    }

    /// Like [`Graph::rel_property`] with an interned key.
    pub fn rel_property_sym(&self, id: RelId, key: Sym) -> Option<&PropValue> {
        find_prop(&self.relationships.get(id.index())?.props, key)
            .or_else(|| find_prop(&self.meta_defaults, key))
    }

    // ---- adjacency ---------------------------------------------------------------------

    /// Relationships from `id`, sorted by verb.
    #[inline]
    pub fn outgoing(&self, id: EntityId) -> &[Edge] {
        self.out_adj.of(id)
    }

    /// Relationships to `id`, sorted by verb.
    #[inline]
    pub fn incoming(&self, id: EntityId) -> &[Edge] {
        self.in_adj.of(id)
    }

    /// Relationships from `id` with verb `verb` (a [`Sym`] from [`Graph::verb`]).
    pub fn outgoing_with(&self, id: EntityId, verb: Sym) -> &[Edge] {
        verb_range(self.outgoing(id), verb)
    }

    /// Relationships to `id` with verb `verb`.
    pub fn incoming_with(&self, id: EntityId, verb: Sym) -> &[Edge] {
        verb_range(self.incoming(id), verb)
    }

    /// Both directions: outgoing edges then incoming ones (what `RELATES TO` without an arrow
    /// walks), each with whether it is outgoing.
    pub fn neighbours(&self, id: EntityId) -> impl Iterator<Item = (Edge, bool)> + '_ {
        self.outgoing(id)
            .iter()
            .map(|e| (*e, true))
            .chain(self.incoming(id).iter().map(|e| (*e, false)))
    }

    // ---- memory ------------------------------------------------------------------------

    /// Approximate heap bytes held by the graph (stores, strings and indexes).
    pub fn heap_bytes(&self) -> usize {
        fn props_bytes(p: &[(Sym, PropValue)]) -> usize {
            std::mem::size_of_val(p)
                + p.iter()
                    .map(|(_, v)| match v {
                        PropValue::Array(a) => 24 + a.capacity() * 16,
                        _ => 0,
                    })
                    .sum::<usize>()
        }
        self.strings.heap_bytes()
            + self.entities.capacity() * std::mem::size_of::<EntityRec>()
            + self
                .entities
                .iter()
                .map(|e| props_bytes(&e.props))
                .sum::<usize>()
            + self.relationships.capacity() * std::mem::size_of::<RelRec>()
            + self
                .relationships
                .iter()
                .map(|r| props_bytes(&r.props))
                .sum::<usize>()
            + self
                .by_class
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
            + self
                .by_type
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
            + self.by_id.heap_bytes()
            + self.by_key.capacity() * 8
            + self.rel_by_id.heap_bytes()
            + self
                .rels_by_class
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
            + self
                .rels_by_type
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
            + (self.out_adj.offsets.capacity() + self.in_adj.offsets.capacity()) * 4
            + (self.out_adj.edges.capacity() + self.in_adj.edges.capacity())
                * std::mem::size_of::<Edge>()
    }
}

/// Every relationship as an adjacency entry of its source (`outgoing`) or of its target.
fn edges(relationships: &[RelRec], outgoing: bool) -> Vec<(EntityId, Edge)> {
    relationships
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (this, other) = if outgoing {
                (r.from, r.to)
            } else {
                (r.to, r.from)
            };
            let edge = Edge {
                rel: RelId(i as u32),
                verb: r.class,
                other,
            };
            (this, edge)
        })
        .collect()
}

type ByClass = FxMap<Sym, Vec<EntityId>>;

/// Entities by `_class` and by `_type` (load order), and `(_key, entity)` sorted.
fn entity_indexes(
    entities: &[EntityRec],
    class_sets: &[Box<[Sym]>],
) -> (ByClass, ByClass, Vec<(Sym, EntityId)>) {
    let mut by_class: ByClass = FxMap::default();
    let mut by_type: ByClass = FxMap::default();
    let mut by_key = Vec::with_capacity(entities.len());
    let mut class_lists: Vec<Vec<EntityId>> = vec![Vec::new(); class_sets.len()];
    for (i, e) in entities.iter().enumerate() {
        let id = EntityId(i as u32);
        class_lists[e.classes as usize].push(id);
        by_type.entry(e.ty).or_default().push(id);
        by_key.push((e.key, id));
    }
    for (set, ids) in class_lists.into_iter().enumerate() {
        for &c in class_sets[set].iter() {
            by_class.entry(c).or_default().extend_from_slice(&ids);
        }
    }
    for list in by_class.values_mut() {
        list.sort_unstable();
    }
    by_key.sort_unstable_by_key(|&(k, id)| (k, id));
    (by_class, by_type, by_key)
}

type RelsBy = FxMap<Sym, Vec<RelId>>;

/// Relationships by `_class` (verb) and by `_type`, in load order.
fn relationship_indexes(relationships: &[RelRec]) -> (RelsBy, RelsBy) {
    let mut by_class: RelsBy = FxMap::default();
    let mut by_type: RelsBy = FxMap::default();
    for (i, r) in relationships.iter().enumerate() {
        let rid = RelId(i as u32);
        by_class.entry(r.class).or_default().push(rid);
        by_type.entry(r.ty).or_default().push(rid);
    }
    (by_class, by_type)
}

fn with_defaults<'g>(
    graph: &'g Graph,
    props: &'g [(Sym, PropValue)],
) -> impl Iterator<Item = (&'g str, &'g PropValue)> + 'g {
    props
        .iter()
        .chain(
            graph
                .meta_defaults
                .iter()
                .filter(move |(k, _)| find_prop(props, *k).is_none()),
        )
        .map(move |(k, v)| (graph.str(*k), v))
}

fn verb_range(edges: &[Edge], verb: Sym) -> &[Edge] {
    let start = edges.partition_point(|e| e.verb < verb);
    let end = edges.partition_point(|e| e.verb <= verb);
    &edges[start..end]
}

/// The methods entity and relationship views share: their records start alike (`id`, `key`,
/// `ty`, `subgraph`, `props`), and each view has `graph`, `id` and `rec()`.
macro_rules! shared_view_methods {
    ($id:ty) => {
        /// Its index.
        pub fn id(&self) -> $id {
            self.id
        }

        /// `_id`.
        pub fn id_str(&self) -> &'g str {
            self.graph.str(self.rec().id)
        }

        /// `_key`.
        pub fn key(&self) -> &'g str {
            self.graph.str(self.rec().key)
        }

        /// `_type`.
        pub fn type_name(&self) -> &'g str {
            self.graph.str(self.rec().ty)
        }

        /// `_source`.
        pub fn source(&self) -> &'g str {
            self.graph.str(self.subgraph().source)
        }

        /// `_scope`.
        pub fn scope(&self) -> &'g str {
            self.graph.str(self.subgraph().scope)
        }

        /// Stored properties `(name, value)` (sorted by interned name, not alphabetically),
        /// then the metadata defaults (`_createdOn`, `_beginOn`, `_version`, `_deleted`) it
        /// does not store itself.
        pub fn properties(&self) -> impl Iterator<Item = (&'g str, &'g PropValue)> + 'g {
            with_defaults(self.graph, &self.rec().props)
        }

        fn subgraph(&self) -> Subgraph {
            self.graph.subgraphs[self.rec().subgraph as usize]
        }

        /// `_id`, `_key`, `_type`, `_source` or `_scope` (what every item has), by name.
        fn shared_meta(&self, key: &str) -> Option<Sym> {
            let rec = self.rec();
            match key {
                "_id" => Some(rec.id),
                "_key" => Some(rec.key),
                "_type" => Some(rec.ty),
                "_source" => Some(self.subgraph().source),
                "_scope" => Some(self.subgraph().scope),
                _ => None,
            }
        }
    };
}

/// A borrowed view of one entity.
#[derive(Debug, Clone, Copy)]
pub struct Entity<'g> {
    graph: &'g Graph,
    id: EntityId,
}

impl<'g> Entity<'g> {
    fn rec(&self) -> &'g EntityRec {
        &self.graph.entities[self.id.index()]
    }

    shared_view_methods!(EntityId);

    /// The graph it belongs to.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// `_type` as a [`Sym`].
    pub fn type_sym(&self) -> Sym {
        self.rec().ty
    }

    /// `_class` as [`Sym`]s (one or more).
    pub fn class_syms(&self) -> &'g [Sym] {
        &self.graph.class_sets[self.rec().classes as usize]
    }

    /// `_class` values.
    pub fn classes(&self) -> impl ExactSizeIterator<Item = &'g str> + 'g {
        let graph = self.graph;
        self.class_syms().iter().map(move |s| graph.str(*s))
    }

    /// Whether `_class` includes `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.classes().any(|c| c == class)
    }

    /// A stored property (see [`Graph::property`]).
    pub fn property(&self, key: &str) -> Option<&'g PropValue> {
        self.graph.property(self.id, key)
    }

    /// Any property, metadata included: `_id`, `_key`, `_type`, `_source`, `_scope` and `_class`
    /// (an array when the entity has several classes) are built on the fly, everything else is
    /// borrowed.
    pub fn get(&self, key: &str) -> Option<Cow<'g, PropValue>> {
        if let Some(sym) = self.shared_meta(key) {
            return Some(Cow::Owned(PropValue::String(sym)));
        }
        match key {
            "_class" => {
                let classes = self.class_syms();
                if classes.len() == 1 {
                    Some(Cow::Owned(PropValue::String(classes[0])))
                } else {
                    Some(Cow::Owned(PropValue::Array(Box::new(
                        classes.iter().map(|c| PropValue::String(*c)).collect(),
                    ))))
                }
            }
            _ => self.property(key).map(Cow::Borrowed),
        }
    }

    /// Stored properties with interned names.
    pub fn property_syms(&self) -> &'g [(Sym, PropValue)] {
        &self.rec().props
    }

    /// Relationships from this entity.
    pub fn outgoing(&self) -> &'g [Edge] {
        self.graph.outgoing(self.id)
    }

    /// Relationships to this entity.
    pub fn incoming(&self) -> &'g [Edge] {
        self.graph.incoming(self.id)
    }

    /// The entity as JSON: metadata and properties in one object.
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("_id".into(), self.id_str().into());
        map.insert("_key".into(), self.key().into());
        map.insert("_type".into(), self.type_name().into());
        let classes: Vec<serde_json::Value> = self.classes().map(Into::into).collect();
        map.insert(
            "_class".into(),
            if classes.len() == 1 {
                classes[0].clone()
            } else {
                classes.into()
            },
        );
        map.insert("_source".into(), self.source().into());
        map.insert("_scope".into(), self.scope().into());
        for (k, v) in self.properties() {
            map.insert(k.to_string(), self.graph.value_to_json(v));
        }
        serde_json::Value::Object(map)
    }
}

/// A borrowed view of one relationship.
#[derive(Debug, Clone, Copy)]
pub struct Relationship<'g> {
    graph: &'g Graph,
    id: RelId,
}

impl<'g> Relationship<'g> {
    fn rec(&self) -> &'g RelRec {
        &self.graph.relationships[self.id.index()]
    }

    shared_view_methods!(RelId);

    /// `_class`: the verb, upper case.
    pub fn class(&self) -> &'g str {
        self.graph.str(self.rec().class)
    }

    /// The verb as a [`Sym`].
    pub fn verb(&self) -> Sym {
        self.rec().class
    }

    /// The source entity.
    pub fn from(&self) -> EntityId {
        self.rec().from
    }

    /// The target entity.
    pub fn to(&self) -> EntityId {
        self.rec().to
    }

    /// A stored property.
    pub fn property(&self, key: &str) -> Option<&'g PropValue> {
        self.graph.rel_property(self.id, key)
    }

    /// Any property, metadata included (`_fromEntityId`/`_toEntityId` and the
    /// `_fromEntityKey`/`_toEntityKey` of the resolved endpoints too).
    pub fn get(&self, key: &str) -> Option<Cow<'g, PropValue>> {
        let rec = self.rec();
        if let Some(sym) = self.shared_meta(key) {
            return Some(Cow::Owned(PropValue::String(sym)));
        }
        let s = |sym| Some(Cow::Owned(PropValue::String(sym)));
        match key {
            "_class" => s(rec.class),
            "_fromEntityId" => s(self.graph.entities[rec.from.index()].id),
            "_toEntityId" => s(self.graph.entities[rec.to.index()].id),
            "_fromEntityKey" => s(self.graph.entities[rec.from.index()].key),
            "_toEntityKey" => s(self.graph.entities[rec.to.index()].key),
            _ => self.property(key).map(Cow::Borrowed),
        }
    }

    /// The relationship as JSON: metadata and properties in one object.
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for k in [
            "_id",
            "_key",
            "_type",
            "_class",
            "_source",
            "_scope",
            "_fromEntityId",
            "_toEntityId",
        ] {
            if let Some(v) = self.get(k) {
                map.insert(k.into(), self.graph.value_to_json(&v));
            }
        }
        for (k, v) in self.properties() {
            map.insert(k.to_string(), self.graph.value_to_json(v));
        }
        serde_json::Value::Object(map)
    }
}
