//! Relationship endpoint resolution (docs/contracts.md#fixture-data): after every entity is in, each pending
//! relationship's endpoints are looked up and the relationship is inserted, or skipped and
//! reported. The lookups of the common forms (`_id`, a bare key, key + source + scope) and the
//! generated `_id`s are read-only work done on several threads a chunk at a time; inserting (and
//! interning) stays on one thread in input order, so the graph is the same for any thread count.

use crate::builder::{Builder, EndpointSpec, PendingRel, RELATIONSHIP_SALT};
use crate::graph::EntityId;
use crate::ids;
use crate::intern::{hash_str, FxMap, Sym};
use crate::load::SkippedRelationship;

/// Pending relationships prepared per parallel pass (bounds the memory of [`Prepared`]s).
const CHUNK: usize = 1 << 16;

/// How many relationships ahead the table slot of a generated `_id` is prefetched.
const PREFETCH_AHEAD: usize = 16;

/// What the read-only pass found for one pending relationship.
pub(crate) struct Prepared {
    /// Both endpoints, when each is of a common form that resolves by one lookup.
    ends: Option<(EntityId, EntityId)>,
    /// The `_type`s of both endpoints (read here, off the building thread: two random reads
    /// of the entity store per relationship), when `ends` is known.
    end_types: Option<(Sym, Sym)>,
    /// The first-attempt generated `_id` and its hash, for a relationship without `_id` whose
    /// `_key` is known at this point.
    id: Option<GeneratedId>,
}

/// A generated `_id` computed ahead: its text and [`hash_str`] of it.
pub(crate) type GeneratedId = ([u8; 36], u64);

impl Builder {
    /// Resolves every pending relationship (after all entities are in), preparing on `threads`
    /// threads.
    pub(crate) fn resolve_relationships(&mut self, threads: usize) {
        let pending = std::mem::take(&mut self.pending);
        // `_key` -> entities, for endpoints that name only a source or only a scope, and for
        // messages; built on first use.
        let mut by_key: Option<Vec<(Sym, EntityId)>> = None;
        self.relationships.reserve(pending.len());
        self.rel_by_subgraph_key
            .reserve(self.strings.len() + pending.len());
        self.rel_ids.reserve(self.strings.len() + pending.len());
        let mut scratch = String::new();
        // Default `_type`s by (from type, verb, to type): few distinct triples.
        let mut types: FxMap<(Sym, Sym, Sym), Sym> = FxMap::default();
        let mut pending = pending.into_iter();
        while !pending.as_slice().is_empty() {
            let prepared = self.prepare(&pending.as_slice()[..CHUNK.min(pending.len())], threads);
            // `prepared` first: `zip` stops on it without taking one more relationship.
            for (j, (pre, rel)) in prepared.iter().zip(pending.by_ref()).enumerate() {
                // The generated `_id`s are interned in this order: their table slots are
                // prefetched a few relationships ahead (see `SymTable::prefetch`).
                if let Some((_, hash)) = prepared.get(j + PREFETCH_AHEAD).and_then(|p| p.id) {
                    self.strings.prefetch(hash);
                }
                let mut end_types = pre.end_types;
                let (from, to) = match pre.ends {
                    Some(ends) => ends,
                    None => {
                        let from =
                            self.resolve_endpoint(&mut by_key, rel.subgraph, &rel.from, "_from");
                        let to = self.resolve_endpoint(&mut by_key, rel.subgraph, &rel.to, "_to");
                        match (from, to) {
                            (Ok(f), Ok(t)) => {
                                end_types = Some((
                                    self.entities[f.index()].ty,
                                    self.entities[t.index()].ty,
                                ));
                                (f, t)
                            }
                            (Err((endpoint, reason)), _) | (_, Err((endpoint, reason))) => {
                                self.skip(&rel, endpoint, reason);
                                continue;
                            }
                        }
                    }
                };
                let key = match rel.key.get() {
                    Some(k) => k,
                    None => {
                        self.default_rel_key(&mut scratch, from, rel.class, to);
                        self.strings.intern(&scratch)
                    }
                };
                let ty = match rel.ty.get() {
                    Some(t) => t,
                    None => {
                        let (from_ty, to_ty) = end_types.unwrap_or_else(|| {
                            (self.entities[from.index()].ty, self.entities[to.index()].ty)
                        });
                        let triple = (from_ty, rel.class, to_ty);
                        match types.get(&triple) {
                            Some(&t) => t,
                            None => {
                                ids::relationship_type_into(
                                    &mut scratch,
                                    self.strings.resolve(triple.0),
                                    self.strings.resolve(triple.1),
                                    self.strings.resolve(triple.2),
                                );
                                let t = self.strings.intern(&scratch);
                                types.insert(triple, t);
                                t
                            }
                        }
                    }
                };
                self.insert_relationship(
                    rel.subgraph,
                    key,
                    ty,
                    rel.class,
                    rel.id.get(),
                    from,
                    to,
                    rel.props,
                    pre.id,
                );
            }
        }
    }

    /// The SDK's default relationship `_key` (`fromKey|verb|toKey`) into `out`.
    fn default_rel_key(&self, out: &mut String, from: EntityId, verb: Sym, to: EntityId) {
        ids::relationship_key_into(
            out,
            self.strings.resolve(self.entities[from.index()].key),
            self.strings.resolve(verb),
            self.strings.resolve(self.entities[to.index()].key),
        );
    }

    fn skip(&mut self, rel: &PendingRel, endpoint: String, reason: String) {
        self.report.skipped_relationships.push(SkippedRelationship {
            file: self.files[rel.file as usize].clone(),
            index: rel.index as usize,
            line: (rel.line > 0).then_some(rel.line as usize),
            key: rel.key.get().map(|k| self.strings.resolve(k).to_string()),
            endpoint,
            reason,
        });
    }

    /// The read-only pass over `rels`, split between `threads` threads; results in order.
    fn prepare(&self, rels: &[PendingRel], threads: usize) -> Vec<Prepared> {
        let one = |rels: &[PendingRel]| -> Vec<Prepared> {
            let mut scratch = String::new();
            rels.iter()
                .map(|r| self.prepare_one(r, &mut scratch))
                .collect()
        };
        if threads <= 1 || rels.len() < 1024 {
            return one(rels);
        }
        let part = rels.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut parts = rels.chunks(part);
            let first = parts.next().unwrap_or_default();
            let handles: Vec<_> = parts.map(|p| scope.spawn(move || one(p))).collect();
            let mut out = one(first);
            for h in handles {
                match h.join() {
                    Ok(v) => out.extend(v),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            out
        })
    }

    fn prepare_one(&self, rel: &PendingRel, scratch: &mut String) -> Prepared {
        let ends = self
            .endpoint_fast(rel.subgraph, &rel.from)
            .zip(self.endpoint_fast(rel.subgraph, &rel.to));
        let key = match (rel.key.get(), ends) {
            (Some(k), _) => Some(self.strings.resolve(k)),
            (None, Some((from, to))) => {
                self.default_rel_key(scratch, from, rel.class, to);
                Some(scratch.as_str())
            }
            (None, None) => None,
        };
        let id = match (rel.id.get(), key) {
            (None, Some(key)) => {
                let sg = self.subgraphs[rel.subgraph as usize];
                let text = ids::generated_id_bytes(&[
                    RELATIONSHIP_SALT,
                    self.strings.resolve(sg.source),
                    self.strings.resolve(sg.scope),
                    key,
                ]);
                // SAFETY: generated ids are ASCII.
                let hash = hash_str(unsafe { std::str::from_utf8_unchecked(&text) });
                Some((text, hash))
            }
            _ => None,
        };
        let end_types = match (rel.ty.get(), ends) {
            (None, Some((from, to))) => {
                Some((self.entities[from.index()].ty, self.entities[to.index()].ty))
            }
            _ => None,
        };
        Prepared {
            ends,
            end_types,
            id,
        }
    }

    /// An endpoint of a common form (`_id`, a bare key in the relationship's own subgraph `own`,
    /// a key with both source and scope) found by one lookup; `None` for anything else.
    fn endpoint_fast(&self, own: u32, spec: &EndpointSpec) -> Option<EntityId> {
        if let Some(id) = spec.id() {
            return self.by_id.get(id).map(EntityId);
        }
        let key = spec.key()?;
        let subgraph = match (spec.source(), spec.scope()) {
            (None, None) => own,
            (Some(source), Some(scope)) => *self.subgraph_index.get(&(source, scope))?,
            _ => return None,
        };
        self.by_subgraph_key.get(subgraph, key).map(EntityId)
    }

    /// Resolves one endpoint, with a reason when it does not resolve (`end`: `_from` / `_to`).
    fn resolve_endpoint(
        &self,
        by_key: &mut Option<Vec<(Sym, EntityId)>>,
        own: u32,
        spec: &EndpointSpec,
        end: &str,
    ) -> Result<EntityId, (String, String)> {
        if let Some(e) = self.endpoint_fast(own, spec) {
            return Ok(e);
        }
        let by_key: &[(Sym, EntityId)] = by_key.get_or_insert_with(|| {
            let mut v: Vec<(Sym, EntityId)> = self
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key, EntityId(i as u32)))
                .collect();
            v.sort_unstable_by_key(|&(k, id)| (k, id));
            v
        });
        let s = |sym: Sym| self.strings.resolve(sym);
        if let Some(id) = spec.id() {
            return match self.by_id.get(id) {
                Some(e) => Ok(EntityId(e)),
                None => Err((
                    s(id).to_string(),
                    format!("`{end}EntityId` {:?}: no entity has this `_id`", s(id)),
                )),
            };
        }
        let Some(key) = spec.key() else {
            return Err((
                String::new(),
                format!("no `{end}EntityId` or `{end}EntityKey`"),
            ));
        };
        let start = by_key.partition_point(|&(k, _)| k < key);
        let end_i = by_key.partition_point(|&(k, _)| k <= key);
        let with_key = &by_key[start..end_i];
        if spec.source().is_none() && spec.scope().is_none() {
            if let Some(e) = self.by_subgraph_key.get(own, key) {
                return Ok(EntityId(e));
            }
            let sg = self.subgraphs[own as usize];
            let elsewhere = if with_key.is_empty() {
                String::new()
            } else {
                let e = &self.entities[with_key[0].1.index()];
                let other = self.subgraphs[e.subgraph as usize];
                format!(
                    " (an entity with this key exists in subgraph {}:{}; give \
                     `{end}EntitySource` and `{end}EntityScope` to name it)",
                    s(other.source),
                    s(other.scope)
                )
            };
            return Err((
                s(key).to_string(),
                format!(
                    "`{end}EntityKey` {:?}: no entity with this key in the relationship's own \
                     subgraph {}:{} (a bare key resolves only there){elsewhere}",
                    s(key),
                    s(sg.source),
                    s(sg.scope)
                ),
            ));
        }
        let matches: Vec<EntityId> = with_key
            .iter()
            .map(|&(_, e)| e)
            .filter(|e| {
                let sg = self.subgraphs[self.entities[e.index()].subgraph as usize];
                spec.source().is_none_or(|x| x == sg.source)
                    && spec.scope().is_none_or(|x| x == sg.scope)
            })
            .collect();
        let wanted = || {
            format!(
                "source {} scope {}",
                spec.source()
                    .map_or("(any)".to_string(), |x| format!("{:?}", s(x))),
                spec.scope()
                    .map_or("(any)".to_string(), |x| format!("{:?}", s(x)))
            )
        };
        match matches.as_slice() {
            [e] => Ok(*e),
            [] => Err((
                s(key).to_string(),
                format!(
                    "`{end}EntityKey` {:?}: no entity with this key in {}",
                    s(key),
                    wanted()
                ),
            )),
            many => Err((
                s(key).to_string(),
                format!(
                    "`{end}EntityKey` {:?}: ambiguous, {} entities with this key in {}; \
                     give both `{end}EntitySource` and `{end}EntityScope`",
                    s(key),
                    many.len(),
                    wanted()
                ),
            )),
        }
    }
}
