//! The mutable state of a load, shared by payload reading, endpoint resolution and the
//! mapper: interning, entities and relationships with their lookups, upserts, generated
//! `_id`s, and the item context errors are reported with. It becomes a [`crate::Graph`] in
//! [`crate::Loader::finish`].

use std::fmt;

use crate::graph::{find_prop, EntityId, EntityRec, Props, RelRec, Subgraph};
use crate::ids;
use crate::intern::{hash_str, FxMap, Interner, Sym};
use crate::load::{LoadError, LoadReport};
use crate::mapper::{self, MappingRule};
use crate::raw::{RStr, Raw};
use crate::resolve::GeneratedId;
use crate::sym_map::{KeyMap, SymMap};
use crate::value::PropValue;

/// An optional [`Sym`] in 4 bytes (`Option<Sym>` takes 8): pending relationships are kept by
/// the million between the file phase and resolution, and their size is memory traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptSym(u32);

impl OptSym {
    /// The symbol, if any.
    #[inline]
    pub(crate) fn get(self) -> Option<Sym> {
        (self.0 != u32::MAX).then_some(Sym(self.0))
    }
}

impl From<Option<Sym>> for OptSym {
    fn from(s: Option<Sym>) -> OptSym {
        OptSym(s.map_or(u32::MAX, |s| s.0))
    }
}

/// A relationship endpoint's fields as they are read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EndpointFields {
    pub(crate) id: Option<Sym>,
    pub(crate) key: Option<Sym>,
    pub(crate) source: Option<Sym>,
    pub(crate) scope: Option<Sym>,
}

/// A relationship endpoint as written (compact [`EndpointFields`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndpointSpec([OptSym; 4]);

impl From<EndpointFields> for EndpointSpec {
    fn from(f: EndpointFields) -> EndpointSpec {
        EndpointSpec([f.id.into(), f.key.into(), f.source.into(), f.scope.into()])
    }
}

impl EndpointSpec {
    /// `_…EntityId`.
    #[inline]
    pub(crate) fn id(&self) -> Option<Sym> {
        self.0[0].get()
    }
    /// `_…EntityKey`.
    #[inline]
    pub(crate) fn key(&self) -> Option<Sym> {
        self.0[1].get()
    }
    /// `_…EntitySource`.
    #[inline]
    pub(crate) fn source(&self) -> Option<Sym> {
        self.0[2].get()
    }
    /// `_…EntityScope`.
    #[inline]
    pub(crate) fn scope(&self) -> Option<Sym> {
        self.0[3].get()
    }
}

/// A relationship read from a file, resolved once every entity is in.
pub(crate) struct PendingRel {
    pub(crate) file: u32,
    pub(crate) index: u32,
    pub(crate) line: u32,
    pub(crate) id: OptSym,
    pub(crate) key: OptSym,
    pub(crate) ty: OptSym,
    pub(crate) class: Sym,
    pub(crate) subgraph: u32,
    pub(crate) from: EndpointSpec,
    pub(crate) to: EndpointSpec,
    pub(crate) props: Props,
}

/// The first part of a generated relationship `_id` (entities' is empty).
pub(crate) const RELATIONSHIP_SALT: &str = "relationship";

/// An upserted item's properties: the new ones, keeping the old `_createdOn` (entities, when
/// `keep_created`) and counting `_version` up from the old one, unless the new item gives them.
pub(crate) fn upserted_props(
    names: &Names,
    old: &[(Sym, PropValue)],
    new: Props,
    keep_created: bool,
) -> Props {
    let old_version = find_prop(old, names.version)
        .and_then(PropValue::as_f64)
        .unwrap_or(1.0);
    let mut props = new.into_vec();
    if keep_created && find_prop(&props, names.created_on).is_none() {
        if let Some(created) = find_prop(old, names.created_on) {
            props.push((names.created_on, created.clone()));
        }
    }
    if find_prop(&props, names.version).is_none() {
        props.push((names.version, PropValue::Number(old_version + 1.0)));
    }
    props.sort_by_key(|(k, _)| *k);
    props.into_boxed_slice()
}

/// Well-known names, interned once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names {
    pub id: Sym,
    pub key: Sym,
    pub ty: Sym,
    pub class: Sym,
    pub source: Sym,
    pub scope: Sym,
    pub created_on: Sym,
    pub begin_on: Sym,
    pub version: Sym,
    pub deleted: Sym,
    pub api: Sym,
    pub system_mapper: Sym,
}

impl Names {
    pub(crate) fn new(strings: &mut Interner) -> Names {
        Names {
            id: strings.intern("_id"),
            key: strings.intern("_key"),
            ty: strings.intern("_type"),
            class: strings.intern("_class"),
            source: strings.intern("_source"),
            scope: strings.intern("_scope"),
            created_on: strings.intern("_createdOn"),
            begin_on: strings.intern("_beginOn"),
            version: strings.intern("_version"),
            deleted: strings.intern("_deleted"),
            api: strings.intern("api"),
            system_mapper: strings.intern(mapper::SYSTEM_MAPPER),
        }
    }
}

/// The mutable state of a load; becomes a [`crate::Graph`] in [`crate::Loader::finish`].
pub(crate) struct Builder {
    pub(crate) strings: Interner,
    pub(crate) names: Names,
    pub(crate) entities: Vec<EntityRec>,
    pub(crate) relationships: Vec<RelRec>,
    pub(crate) subgraphs: Vec<Subgraph>,
    pub(crate) subgraph_index: FxMap<(Sym, Sym), u32>,
    pub(crate) class_sets: Vec<Box<[Sym]>>,
    pub(crate) class_set_index: FxMap<Box<[Sym]>, u32>,
    /// Entities by (subgraph, `_key`).
    pub(crate) by_subgraph_key: KeyMap,
    /// Entities by `_id`.
    pub(crate) by_id: SymMap,
    /// Relationships by (subgraph, `_key`).
    pub(crate) rel_by_subgraph_key: KeyMap,
    /// Relationships by `_id`.
    pub(crate) rel_ids: SymMap,
    pub(crate) pending: Vec<PendingRel>,
    /// (file, relationships read from it): the file being read and its count so far (counting
    /// `pending` from its end was quadratic for JSON-lines files of relationships).
    pub(crate) pending_per_file: (u32, usize),
    pub(crate) files: Vec<String>,
    pub(crate) rules: Vec<MappingRule>,
    pub(crate) report: LoadReport,
    pub(crate) meta_defaults: Vec<(Sym, PropValue)>,
    /// Reused by `add_entity`.
    pub(crate) class_scratch: Vec<Sym>,
    /// The `Sym` of each distinct string of the file being built, by [`RStr::local`]
    /// (`NO_SYM` until interned).
    pub(crate) local_syms: Vec<Sym>,
    /// The hash of each distinct string of the file being built, by [`RStr::local`]: the
    /// strings a file holds next, whose table slots are prefetched.
    pub(crate) local_hashes: Vec<u64>,
}

/// How many strings ahead [`Builder::intern_raw`] prefetches a table slot.
pub(crate) const PREFETCH_AHEAD: usize = 16;

/// [`Builder::local_syms`] of a string not interned yet.
pub(crate) const NO_SYM: Sym = Sym(u32::MAX);

impl Builder {
    pub(crate) fn new(timestamp_ms: i64) -> Builder {
        let mut strings = Interner::new();
        let names = Names::new(&mut strings);
        let mut meta_defaults = vec![
            (names.created_on, PropValue::Number(timestamp_ms as f64)),
            (names.begin_on, PropValue::Number(timestamp_ms as f64)),
            (names.version, PropValue::Number(1.0)),
            (names.deleted, PropValue::Bool(false)),
        ];
        meta_defaults.sort_by_key(|(k, _)| *k);
        Builder {
            strings,
            names,
            entities: Vec::new(),
            relationships: Vec::new(),
            subgraphs: Vec::new(),
            subgraph_index: FxMap::default(),
            class_sets: Vec::new(),
            class_set_index: FxMap::default(),
            by_subgraph_key: KeyMap::default(),
            by_id: SymMap::default(),
            rel_by_subgraph_key: KeyMap::default(),
            rel_ids: SymMap::default(),
            pending: Vec::new(),
            pending_per_file: (u32::MAX, 0),
            files: Vec::new(),
            rules: Vec::new(),
            report: LoadReport::default(),
            meta_defaults,
            class_scratch: Vec::new(),
            local_syms: Vec::new(),
            local_hashes: Vec::new(),
        }
    }

    /// Interns a string of the file being built: its first occurrence in the file goes to the
    /// string table, repeats are found by its number in the file. Same `Sym`s, in the same
    /// order, as interning every occurrence.
    #[inline]
    pub(crate) fn intern_raw(&mut self, s: &RStr<'_>) -> Sym {
        let local = s.local() as usize;
        if let Some(&sym) = self.local_syms.get(local) {
            if sym != NO_SYM {
                return sym;
            }
        }
        // The file's strings are numbered in order of first occurrence, which is roughly the
        // order they are interned in: ask for the slot of one a little further on now, so
        // that its cache miss overlaps with the work in between.
        if let Some(&ahead) = self.local_hashes.get(local + PREFETCH_AHEAD) {
            self.strings.prefetch(ahead);
        }
        let sym = self.strings.intern_hashed(s, s.hash);
        if let Some(slot) = self.local_syms.get_mut(local) {
            *slot = sym;
        }
        sym
    }

    pub(crate) fn subgraph(&mut self, source: Sym, scope: Sym) -> u32 {
        if let Some(&i) = self.subgraph_index.get(&(source, scope)) {
            return i;
        }
        let i = self.subgraphs.len() as u32;
        self.subgraphs.push(Subgraph { source, scope });
        self.subgraph_index.insert((source, scope), i);
        i
    }

    pub(crate) fn class_set(&mut self, classes: &[Sym]) -> u32 {
        if let Some(&i) = self.class_set_index.get(classes) {
            return i;
        }
        let i = self.class_sets.len() as u32;
        self.class_sets.push(classes.into());
        self.class_set_index.insert(classes.into(), i);
        i
    }

    /// Converts a raw value into a property value (objects inside arrays become JSON text).
    pub(crate) fn value(&mut self, raw: &Raw<'_>) -> PropValue {
        match raw {
            Raw::Null => PropValue::Null,
            Raw::Bool(b) => PropValue::Bool(*b),
            Raw::Num(n) => PropValue::Number(*n),
            Raw::Str(s) => PropValue::String(self.intern_raw(s)),
            Raw::Arr(items) => {
                PropValue::Array(Box::new(items.iter().map(|i| self.value(i)).collect()))
            }
            Raw::Obj(_) => {
                let text = raw.to_json().to_string();
                PropValue::String(self.strings.intern(&text))
            }
        }
    }

    /// Adds `name = raw` to `props`, flattening nested objects into dotted names. `parsed`:
    /// `name` as read from the file (`None` for a flattened name made here).
    pub(crate) fn flatten_into(
        &mut self,
        props: &mut Vec<(Sym, PropValue)>,
        name: &str,
        parsed: Option<&RStr<'_>>,
        raw: &Raw<'_>,
    ) {
        match raw {
            Raw::Obj(fields) => {
                for (k, v) in fields {
                    let mut full = String::with_capacity(name.len() + 1 + k.len());
                    full.push_str(name);
                    full.push('.');
                    full.push_str(k);
                    self.flatten_into(props, &full, None, v);
                }
            }
            _ => {
                let key = match parsed {
                    Some(parsed) => self.intern_raw(parsed),
                    None => self.strings.intern(name),
                };
                let value = self.value(raw);
                props.push((key, value));
            }
        }
    }

    /// Sorts by key. A name given twice in one item — a nested object and a dotted key
    /// naming the same property (`{"tag": {"x": 1}, "tag.x": 2}`) — is an error: keeping
    /// either value would silently drop the other. The item's `fields` say where.
    pub(crate) fn finish_props(
        &self,
        ctx: &ItemCtx<'_>,
        fields: &[(RStr<'_>, Raw<'_>)],
        mut props: Vec<(Sym, PropValue)>,
    ) -> Result<Props, LoadError> {
        props.sort_unstable_by_key(|(k, _)| *k);
        if let Some(pair) = props.windows(2).find(|w| w[0].0 == w[1].0) {
            let name = self.strings.resolve(pair[0].0).to_string();
            return Err(property_twice(ctx, fields, &name));
        }
        Ok(props.into_boxed_slice())
    }

    pub(crate) fn string_field(
        &mut self,
        ctx: &ItemCtx<'_>,
        name: &str,
        raw: &Raw<'_>,
    ) -> Result<Sym, LoadError> {
        match raw {
            Raw::Str(s) => Ok(self.intern_raw(s)),
            other => Err(ctx.error(format!("`{name}` must be a string, not {}", other.kind()))),
        }
    }

    pub(crate) fn add_entity(
        &mut self,
        ctx: &ItemCtx<'_>,
        fields: &[(RStr<'_>, Raw<'_>)],
    ) -> Result<(), LoadError> {
        let (mut key, mut ty, mut id, mut source, mut scope) = (None, None, None, None, None);
        let mut classes: Vec<Sym> = std::mem::take(&mut self.class_scratch);
        classes.clear();
        let mut has_class = false;
        // Exact for flat items, so that `finish_props` does not reallocate.
        let mut props = Vec::with_capacity(
            fields
                .iter()
                .filter(|(n, _)| {
                    !matches!(
                        &**n,
                        "_key" | "_type" | "_id" | "_source" | "_scope" | "_class"
                    )
                })
                .count(),
        );
        for (name, value) in fields {
            match &**name {
                "_key" => key = Some(self.string_field(ctx, "_key", value)?),
                "_type" => ty = Some(self.string_field(ctx, "_type", value)?),
                "_id" => id = Some(self.string_field(ctx, "_id", value)?),
                "_source" => source = Some(self.string_field(ctx, "_source", value)?),
                "_scope" => scope = Some(self.string_field(ctx, "_scope", value)?),
                "_class" => {
                    has_class = true;
                    classes.clear();
                    match value {
                        Raw::Str(s) => classes.push(self.intern_raw(s)),
                        Raw::Arr(items) if !items.is_empty() => {
                            for item in items {
                                match item {
                                    Raw::Str(s) => classes.push(self.intern_raw(s)),
                                    other => {
                                        return Err(ctx.error(format!(
                                            "`_class` must be a string or an array of strings, \
                                             not an array holding {}",
                                            other.kind()
                                        )))
                                    }
                                }
                            }
                        }
                        other => {
                            return Err(ctx.error(format!(
                                "`_class` must be a string or a non-empty array of strings, \
                                 not {}",
                                match other {
                                    Raw::Arr(_) => "an empty array",
                                    o => o.kind(),
                                }
                            )))
                        }
                    }
                }
                _ => {
                    check_metadata(ctx, name, value)?;
                    self.flatten_into(&mut props, name, Some(name), value)
                }
            }
        }
        let Some(key) = key else {
            return Err(ctx.error("entity has no `_key`".into()));
        };
        let Some(ty) = ty else {
            return Err(ctx.error("entity has no `_type`".into()));
        };
        if !has_class {
            return Err(ctx.error("entity has no `_class`".into()));
        }
        // Drop repeated classes, keeping the first of each.
        let mut n = 0;
        for i in 0..classes.len() {
            let c = classes[i];
            if !classes[..n].contains(&c) {
                classes[n] = c;
                n += 1;
            }
        }
        classes.truncate(n);
        let class_set = self.class_set(&classes);
        self.class_scratch = classes;
        let classes = class_set;
        let subgraph = self.subgraph(source.unwrap_or(ctx.source), scope.unwrap_or(ctx.scope));
        let props = self.finish_props(ctx, fields, props)?;
        self.upsert_entity(ctx, subgraph, key, ty, classes, id, props)
            .map(|_| ())
    }

    /// Inserts an entity, or updates the one with the same subgraph and key.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn upsert_entity(
        &mut self,
        ctx: &ItemCtx<'_>,
        subgraph: u32,
        key: Sym,
        ty: Sym,
        classes: u32,
        id: Option<Sym>,
        props: Props,
    ) -> Result<EntityId, LoadError> {
        if let Some(existing) = self.by_subgraph_key.get(subgraph, key) {
            let existing = EntityId(existing);
            self.report.duplicates += 1;
            self.report.duplicate_entities += 1;
            let rec = &mut self.entities[existing.index()];
            rec.props = upserted_props(&self.names, &rec.props, props, true);
            rec.ty = ty;
            rec.classes = classes;
            if let Some(id) = id {
                if id != rec.id && !self.by_id.contains_key(id) {
                    let old_id = rec.id;
                    rec.id = id;
                    self.by_id.remove(old_id);
                    self.by_id.insert(id, existing.0);
                }
            }
            return Ok(existing);
        }
        let eid = EntityId(self.entities.len() as u32);
        let id = match id {
            Some(id) => {
                if self.by_id.contains_key(id) {
                    return Err(ctx.error(format!(
                        "`_id` {:?} is already the `_id` of another entity (`_id`s are \
                         globally unique)",
                        self.strings.resolve(id)
                    )));
                }
                id
            }
            None => self.fresh_id(subgraph, key, "", None),
        };
        self.by_id.insert(id, eid.0);
        self.by_subgraph_key.insert(subgraph, key, eid.0);
        self.entities.push(EntityRec {
            id,
            key,
            ty,
            classes,
            subgraph,
            props,
        });
        Ok(eid)
    }

    /// A generated `_id` not used yet (entities when `salt` is empty, relationships otherwise).
    /// `first`: the first attempt's text and hash, when computed ahead.
    pub(crate) fn fresh_id(
        &mut self,
        subgraph: u32,
        key: Sym,
        salt: &str,
        first: Option<GeneratedId>,
    ) -> Sym {
        let sg = self.subgraphs[subgraph as usize];
        let mut attempt = 0u32;
        loop {
            let (text, hash) = match first {
                Some(first) if attempt == 0 => first,
                _ => {
                    let st = &self.strings;
                    let n = if attempt > 0 {
                        attempt.to_string()
                    } else {
                        String::new()
                    };
                    let parts = [
                        salt,
                        st.resolve(sg.source),
                        st.resolve(sg.scope),
                        st.resolve(key),
                        &n,
                    ];
                    let text = ids::generated_id_bytes(&parts[..if attempt > 0 { 5 } else { 4 }]);
                    // SAFETY: generated ids are ASCII.
                    (
                        text,
                        hash_str(unsafe { std::str::from_utf8_unchecked(&text) }),
                    )
                }
            };
            // SAFETY: generated ids are ASCII.
            let sym = self
                .strings
                .intern_hashed(unsafe { std::str::from_utf8_unchecked(&text) }, hash);
            let taken = if salt.is_empty() {
                self.by_id.contains_key(sym)
            } else {
                self.rel_ids.contains_key(sym)
            };
            if !taken {
                return sym;
            }
            attempt += 1;
        }
    }

    pub(crate) fn add_relationship(
        &mut self,
        ctx: &ItemCtx<'_>,
        index: usize,
        fields: &[(RStr<'_>, Raw<'_>)],
    ) -> Result<(), LoadError> {
        let (mut key, mut ty, mut id, mut source, mut scope, mut class) =
            (None, None, None, None, None, None);
        let mut from = EndpointFields::default();
        let mut to = EndpointFields::default();
        // Exact for flat items (most relationships have no properties: no allocation).
        let mut props = Vec::with_capacity(
            fields
                .iter()
                .filter(|(n, _)| {
                    !matches!(
                        &**n,
                        "_key"
                            | "_type"
                            | "_id"
                            | "_source"
                            | "_scope"
                            | "_class"
                            | "_fromEntityId"
                            | "_fromEntityKey"
                            | "_fromEntitySource"
                            | "_fromEntityScope"
                            | "_toEntityId"
                            | "_toEntityKey"
                            | "_toEntitySource"
                            | "_toEntityScope"
                    )
                })
                .count(),
        );
        for (name, value) in fields {
            let slot = match &**name {
                "_key" => &mut key,
                "_type" => &mut ty,
                "_id" => &mut id,
                "_source" => &mut source,
                "_scope" => &mut scope,
                "_fromEntityId" => &mut from.id,
                "_fromEntityKey" => &mut from.key,
                "_fromEntitySource" => &mut from.source,
                "_fromEntityScope" => &mut from.scope,
                "_toEntityId" => &mut to.id,
                "_toEntityKey" => &mut to.key,
                "_toEntitySource" => &mut to.source,
                "_toEntityScope" => &mut to.scope,
                "_class" => {
                    match value {
                        Raw::Str(s) => {
                            class = Some(if s.bytes().any(|b| b.is_ascii_lowercase()) {
                                self.strings.intern(&s.to_ascii_uppercase())
                            } else {
                                self.intern_raw(s)
                            })
                        }
                        Raw::Arr(items) if items.len() == 1 && items[0].as_str().is_some() => {
                            let s = items[0].as_str().unwrap_or_default().to_ascii_uppercase();
                            class = Some(self.strings.intern(&s));
                        }
                        other => {
                            return Err(ctx.error(format!(
                                "a relationship's `_class` must be one string (its verb), not {}",
                                other.kind()
                            )))
                        }
                    }
                    continue;
                }
                _ => {
                    check_metadata(ctx, name, value)?;
                    self.flatten_into(&mut props, name, Some(name), value);
                    continue;
                }
            };
            if matches!(value, Raw::Null) {
                continue;
            }
            *slot = Some(self.string_field(ctx, name, value)?);
        }
        let Some(class) = class else {
            return Err(ctx.error("relationship has no `_class` (its verb)".into()));
        };
        for (end, spec) in [("_from", &from), ("_to", &to)] {
            if spec.id.is_none() && spec.key.is_none() {
                return Err(ctx.error(format!(
                    "relationship has neither `{end}EntityId` nor `{end}EntityKey`"
                )));
            }
        }
        let subgraph = self.subgraph(source.unwrap_or(ctx.source), scope.unwrap_or(ctx.scope));
        let props = self.finish_props(ctx, fields, props)?;
        self.pending_per_file = (ctx.file_index, self.file_rel_count(ctx.file_index) + 1);
        self.pending.push(PendingRel {
            file: ctx.file_index,
            index: index as u32,
            line: ctx.line as u32,
            id: id.into(),
            key: key.into(),
            ty: ty.into(),
            class,
            subgraph,
            from: from.into(),
            to: to.into(),
            props,
        });
        Ok(())
    }

    /// Inserts a relationship or updates the one with the same subgraph and key. `generated`:
    /// the first-attempt generated `_id` (text and hash) when computed ahead.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert_relationship(
        &mut self,
        subgraph: u32,
        key: Sym,
        ty: Sym,
        class: Sym,
        id: Option<Sym>,
        from: EntityId,
        to: EntityId,
        props: Props,
        generated: Option<GeneratedId>,
    ) -> u32 {
        if let Some(existing) = self.rel_by_subgraph_key.get(subgraph, key) {
            self.report.duplicates += 1;
            self.report.duplicate_relationships += 1;
            let rec = &mut self.relationships[existing as usize];
            rec.props = upserted_props(&self.names, &rec.props, props, false);
            rec.ty = ty;
            rec.class = class;
            rec.from = from;
            rec.to = to;
            return existing;
        }
        let id = match id {
            Some(id) if !self.rel_ids.contains_key(id) => id,
            _ => self.fresh_id(subgraph, key, RELATIONSHIP_SALT, generated),
        };
        let index = self.relationships.len() as u32;
        self.rel_ids.insert(id, index);
        self.rel_by_subgraph_key.insert(subgraph, key, index);
        self.relationships.push(RelRec {
            id,
            key,
            ty,
            class,
            subgraph,
            from,
            to,
            props,
        });
        index
    }
}

/// Where an item is, rendered only when a message needs it (no allocation per item).
#[derive(Debug, Clone)]
pub(crate) enum ItemName<'a> {
    /// Ready-made text.
    Text(String),
    /// `item_name(line, path, what)`.
    Plain {
        line: usize,
        path: &'a str,
        what: &'static str,
    },
    /// `item_name(line, "<path.>list[index]", what)`.
    Listed {
        line: usize,
        path: &'a str,
        list: &'static str,
        index: usize,
        what: &'static str,
    },
}

impl fmt::Display for ItemName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemName::Text(t) => f.write_str(t),
            ItemName::Plain { line, path, what } => f.write_str(&item_name(*line, path, what)),
            ItemName::Listed {
                line,
                path,
                list,
                index,
                what,
            } => {
                let full = if path.is_empty() {
                    format!("{list}[{index}]")
                } else {
                    format!("{path}.{list}[{index}]")
                };
                f.write_str(&item_name(*line, &full, what))
            }
        }
    }
}

pub(crate) fn item_name(line: usize, path: &str, what: &str) -> String {
    match (line, path.is_empty()) {
        (0, true) => format!("the {what}"),
        (0, false) => path.to_string(),
        (l, true) => format!("line {l}"),
        (l, false) => format!("line {l} {path}"),
    }
}

/// Where an item is, for messages, and its default subgraph.
pub(crate) struct ItemCtx<'a> {
    pub(crate) file: &'a str,
    pub(crate) file_index: u32,
    pub(crate) item: ItemName<'a>,
    pub(crate) line: usize,
    pub(crate) source: Sym,
    pub(crate) scope: Sym,
    /// The file's bytes (empty when not read from a file), see [`ItemCtx::error_at`].
    pub(crate) text: &'a [u8],
}

impl ItemCtx<'_> {
    pub(crate) fn error(&self, message: String) -> LoadError {
        LoadError::Item {
            file: self.file.to_string(),
            item: self.item.to_string(),
            message,
        }
    }

    /// An error at the key `at` of the item (a string parsed from the file, pointing into its
    /// bytes): `file:line:column: item: message`; without a position (an escaped key, a JSON
    /// value) the same as [`ItemCtx::error`].
    pub(crate) fn error_at(&self, at: &str, message: String) -> LoadError {
        let base = self.text.as_ptr() as usize;
        let start = at.as_ptr() as usize;
        if self.text.is_empty() || start < base || start > base + self.text.len() {
            return self.error(message);
        }
        // The key's opening quote.
        let offset = (start - base).saturating_sub(1);
        let before = &self.text[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        LoadError::Json {
            file: self.file.to_string(),
            line,
            column,
            message: format!("{}: {message}", self.item),
        }
    }
}

/// The error for a property `name` given twice in one item: at the last key that gives it
/// (a dotted key, or the innermost key of a nested object), naming both spellings.
pub(crate) fn property_twice(
    ctx: &ItemCtx<'_>,
    fields: &[(RStr<'_>, Raw<'_>)],
    name: &str,
) -> LoadError {
    // Every key path of the item that flattens to `name`, with its last key.
    let mut found: Vec<(String, &RStr<'_>)> = Vec::new();
    let mut stack: Vec<(String, &[(RStr<'_>, Raw<'_>)])> = vec![(String::new(), fields)];
    while let Some((prefix, fields)) = stack.pop() {
        for (key, value) in fields {
            let full = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{}", &**key)
            };
            match value {
                Raw::Obj(inner) if name.starts_with(&format!("{full}.")) => {
                    stack.push((full, inner));
                }
                _ if full == name => found.push((full_path(&prefix, key), key)),
                _ => {}
            }
        }
    }
    // The spelling that comes last in the file (the second definition).
    found.sort_by_key(|(_, key)| key.as_ptr() as usize);
    let spellings: Vec<String> = found.iter().map(|(s, _)| s.clone()).collect();
    let message = format!(
        "property `{name}` is given twice ({}): a nested object and a dotted key name the same \
         property; keep one",
        spellings.join(" and ")
    );
    match found.last() {
        Some((_, key)) => ctx.error_at(key, message),
        None => ctx.error(message),
    }
}

/// How a key path is written in the file: `"tag.x"`, or `"tag": {"x": …}`.
pub(crate) fn full_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        return format!("`\"{key}\"`");
    }
    let parts: Vec<&str> = prefix.split('.').collect();
    let mut out = String::from("`");
    for part in &parts {
        out.push_str(&format!("\"{part}\": {{"));
    }
    out.push_str(&format!("\"{key}\": …"));
    out.push_str(&"}".repeat(parts.len()));
    out.push('`');
    out
}

/// JupiterOne's metadata with a fixed type: `_version` is a whole number (the loader counts
/// it up on updates) and `_deleted` a boolean (a string `"yes"` would be a true value to no
/// query and a surprise to every reader).
pub(crate) fn check_metadata(
    ctx: &ItemCtx<'_>,
    name: &RStr<'_>,
    value: &Raw<'_>,
) -> Result<(), LoadError> {
    let wanted = match (&**name, value) {
        ("_version", Raw::Num(n)) if n.fract() == 0.0 && *n >= 0.0 => return Ok(()),
        ("_version", _) => "a whole number",
        ("_deleted", Raw::Bool(_)) => return Ok(()),
        ("_deleted", _) => "true or false",
        _ => return Ok(()),
    };
    let got = match value {
        Raw::Num(n) => format!("the number {n}"),
        Raw::Str(s) => format!("the string {:?}", &**s),
        other => other.kind().to_string(),
    };
    Err(ctx.error_at(name, format!("`{}` must be {wanted}, not {got}", &**name)))
}
