//! Maps keyed by interned strings, stored densely: one slot per [`Sym`].
//!
//! The loader keeps four such maps (entities and relationships by `_id` and by subgraph and
//! `_key`). As hash maps, each insert and lookup was a random probe into tables of millions of
//! entries. Syms are numbered in the order strings are first seen, and a key or generated `_id`
//! is usually a string seen for the first time just before it is inserted, so a slot array
//! indexed by `Sym` is written near its end, where the cache is warm, and a lookup is one array
//! read with no hashing.

use crate::intern::{FxMap, Sym};

const NONE: u32 = u32::MAX;

/// `Sym` → `u32` (an entity or relationship number).
#[derive(Debug, Clone, Default)]
pub(crate) struct SymMap {
    slots: Vec<u32>,
}

impl SymMap {
    /// Room for syms below `syms` without growing.
    pub(crate) fn reserve(&mut self, syms: usize) {
        self.slots.reserve(syms.saturating_sub(self.slots.len()));
    }

    /// The value of `key`.
    #[inline]
    pub(crate) fn get(&self, key: Sym) -> Option<u32> {
        match self.slots.get(key.0 as usize) {
            Some(&v) if v != NONE => Some(v),
            _ => None,
        }
    }

    /// Whether `key` has a value.
    #[inline]
    pub(crate) fn contains_key(&self, key: Sym) -> bool {
        self.get(key).is_some()
    }

    /// Sets the value of `key` (`value` must not be `u32::MAX`).
    #[inline]
    pub(crate) fn insert(&mut self, key: Sym, value: u32) {
        debug_assert_ne!(value, NONE);
        let i = key.0 as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, NONE);
        }
        self.slots[i] = value;
    }

    /// Removes `key`.
    pub(crate) fn remove(&mut self, key: Sym) {
        if let Some(slot) = self.slots.get_mut(key.0 as usize) {
            *slot = NONE;
        }
    }

    /// Bytes on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 4
    }
}

/// `(subgraph, key Sym)` → `u32`: the first subgraph to use a key has the dense slot; the same
/// key in other subgraphs (rare) goes to a small hash map.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyMap {
    /// Per key Sym: (subgraph, value), value `u32::MAX` when the key has no entry.
    first: Vec<(u32, u32)>,
    more: FxMap<(u32, Sym), u32>,
}

impl KeyMap {
    /// Room for syms below `syms` without growing.
    pub(crate) fn reserve(&mut self, syms: usize) {
        self.first.reserve(syms.saturating_sub(self.first.len()));
    }

    /// The value of `(subgraph, key)`.
    #[inline]
    pub(crate) fn get(&self, subgraph: u32, key: Sym) -> Option<u32> {
        match self.first.get(key.0 as usize) {
            Some(&(sg, v)) if v != NONE => {
                if sg == subgraph {
                    Some(v)
                } else {
                    self.more.get(&(subgraph, key)).copied()
                }
            }
            _ => None,
        }
    }

    /// Sets the value of `(subgraph, key)` (`value` must not be `u32::MAX`).
    #[inline]
    pub(crate) fn insert(&mut self, subgraph: u32, key: Sym, value: u32) {
        debug_assert_ne!(value, NONE);
        let i = key.0 as usize;
        if i >= self.first.len() {
            self.first.resize(i + 1, (0, NONE));
        }
        match &mut self.first[i] {
            slot if slot.1 == NONE || slot.0 == subgraph => *slot = (subgraph, value),
            _ => {
                self.more.insert((subgraph, key), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sym_map_sets_reads_and_removes() {
        let mut m = SymMap::default();
        assert_eq!(m.get(Sym(5)), None);
        m.insert(Sym(5), 0);
        m.insert(Sym(2), 7);
        m.insert(Sym(5), 9);
        assert_eq!(
            (m.get(Sym(5)), m.get(Sym(2)), m.get(Sym(3))),
            (Some(9), Some(7), None)
        );
        m.remove(Sym(5));
        m.remove(Sym(100));
        assert_eq!((m.get(Sym(5)), m.get(Sym(2))), (None, Some(7)));
        assert!(m.contains_key(Sym(2)) && !m.contains_key(Sym(1_000_000)));
    }

    #[test]
    fn key_map_keeps_subgraphs_apart() {
        let mut m = KeyMap::default();
        m.insert(3, Sym(4), 10);
        m.insert(8, Sym(4), 11); // same key, another subgraph
        m.insert(3, Sym(6), 12);
        assert_eq!(m.get(3, Sym(4)), Some(10));
        assert_eq!(m.get(8, Sym(4)), Some(11));
        assert_eq!(m.get(5, Sym(4)), None);
        assert_eq!(m.get(3, Sym(6)), Some(12));
        assert_eq!(m.get(8, Sym(6)), None);
        assert_eq!(m.get(3, Sym(99)), None);
        m.insert(8, Sym(4), 13); // update in the overflow
        m.insert(3, Sym(4), 14); // update in the dense slot
        assert_eq!((m.get(8, Sym(4)), m.get(3, Sym(4))), (Some(13), Some(14)));
    }
}
