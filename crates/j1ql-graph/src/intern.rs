//! String interning: every string the graph holds (keys, types, classes, property names and
//! string values) is stored once in one arena and named by a [`Sym`].

use std::hash::Hasher;

use rustc_hash::FxHasher;

use crate::sym_table::SymTable;

/// An interned string: a `u32` index into the graph's string table. Two `Sym`s of one graph are
/// equal exactly when their strings are equal, so comparing them is comparing strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(pub(crate) u32);

impl Sym {
    /// The index of the string in its table.
    pub fn index(self) -> u32 {
        self.0
    }
}

pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_usize(s.len());
    // Fx mixes poorly into the low bits (which pick the bucket): finish with murmur3's fmix64.
    let mut z = h.finish();
    z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

/// The string table: one byte arena, a span per string and a hash table of indices
/// ([`SymTable`], which the loader prefetches). About `len + 19` bytes per distinct string.
#[derive(Default, Clone)]
pub struct Interner {
    bytes: Vec<u8>,
    /// (start, end) of each string in `bytes`.
    spans: Vec<(u32, u32)>,
    table: SymTable,
    /// Bytes beyond 4 GiB go to overflow chunks (never in practice, but never a panic).
    overflow: Vec<Box<str>>,
}

const OVERFLOW_BIT: u32 = 1 << 31;

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("len", &self.len())
            .finish()
    }
}

impl Interner {
    /// An empty table.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no string was interned.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Bytes used (arena + spans + table), approximately.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.spans.capacity() * 8
            + self.table.slots() * 8
            + self.overflow.iter().map(|s| s.len() + 16).sum::<usize>()
    }

    /// The string of `sym`.
    #[inline]
    pub fn resolve(&self, sym: Sym) -> &str {
        str_at(&self.bytes, &self.spans, &self.overflow, sym.0)
    }

    /// The `Sym` of `s`, if it was interned.
    #[inline]
    pub fn get(&self, s: &str) -> Option<Sym> {
        let hash = hash_str(s);
        self.table
            .find(hash, |i| self.resolve(Sym(i)) == s)
            .map(Sym)
    }

    /// Interns `s`.
    #[inline]
    pub fn intern(&mut self, s: &str) -> Sym {
        self.intern_hashed(s, hash_str(s))
    }

    /// Interns `s` whose [`hash_str`] is `hash` (computed ahead, on another thread).
    #[inline]
    pub(crate) fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        debug_assert_eq!(hash, hash_str(s));
        let (bytes, spans, overflow) = (&self.bytes, &self.spans, &self.overflow);
        if let Some(i) = self
            .table
            .find(hash, |i| str_at(bytes, spans, overflow, i) == s)
        {
            return Sym(i);
        }
        let index = self.spans.len() as u32;
        let start = self.bytes.len();
        let end = start + s.len();
        if end < OVERFLOW_BIT as usize {
            self.bytes.extend_from_slice(s.as_bytes());
            self.spans.push((start as u32, end as u32));
        } else {
            let slot = self.overflow.len() as u32;
            self.overflow.push(s.into());
            self.spans.push((slot | OVERFLOW_BIT, u32::MAX));
        }
        let (bytes, spans, overflow) = (&self.bytes, &self.spans, &self.overflow);
        self.table
            .insert_unique(hash, index, |i| hash_str(str_at(bytes, spans, overflow, i)));
        Sym(index)
    }

    /// Makes room for `additional` more strings.
    pub fn reserve(&mut self, additional: usize) {
        self.reserve_bytes(additional * 24);
        self.spans.reserve(additional);
        let (bytes, spans, overflow) = (&self.bytes, &self.spans, &self.overflow);
        self.table
            .reserve(additional, |i| hash_str(str_at(bytes, spans, overflow, i)));
    }

    /// Makes room for `additional` more bytes of text (so that the arena does not double, and
    /// copy itself, while a big graph loads; capacity that is never written costs no memory).
    pub fn reserve_bytes(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }

    /// Releases the arena's spare capacity (cheap: no rehash).
    pub fn shrink_arena(&mut self) {
        self.bytes.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    /// Releases spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.shrink_arena();
        let (bytes, spans, overflow) = (&self.bytes, &self.spans, &self.overflow);
        self.table
            .shrink_to_fit(|i| hash_str(str_at(bytes, spans, overflow, i)));
    }

    /// Brings the table slot where a string with `hash` would be into the cache, ahead of
    /// interning or looking it up (see [`SymTable::prefetch`]).
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        self.table.prefetch(hash);
    }
}

/// The string at index `i` of a table's parts (split so that the hash table can be borrowed
/// mutably at the same time).
#[inline]
fn str_at<'a>(bytes: &'a [u8], spans: &[(u32, u32)], overflow: &'a [Box<str>], i: u32) -> &'a str {
    let (start, end) = spans[i as usize];
    if start & OVERFLOW_BIT != 0 && end == u32::MAX {
        return &overflow[(start & !OVERFLOW_BIT) as usize];
    }
    // SAFETY: the arena only ever receives whole `str`s and spans cover exactly one of them, so
    // every span is valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(&bytes[start as usize..end as usize]) }
}

pub(crate) use rustc_hash::{FxHashMap as FxMap, FxHashSet as FxSet};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once() {
        let mut i = Interner::new();
        let a = i.intern("a");
        let b = i.intern("bé");
        assert_eq!(i.intern("a"), a);
        assert_ne!(a, b);
        assert_eq!(i.resolve(b), "bé");
        assert_eq!(i.get("bé"), Some(b));
        assert_eq!(i.get("c"), None);
        i.shrink_to_fit();
        assert_eq!(i.get("a"), Some(a));
    }
}
