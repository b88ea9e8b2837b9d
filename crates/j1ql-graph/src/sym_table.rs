//! The hash table behind the [`crate::intern::Interner`]: string indices by hash, with open
//! addressing, that a caller can prefetch.
//!
//! A large load interns millions of distinct strings, and each new one is a probe at a random
//! place in a table of tens of megabytes: a cache and TLB miss that the interning thread waits
//! for. The loader knows which strings come next (a file's distinct strings, numbered on the
//! reading threads, and the generated `_id`s of pending relationships), so it asks for their
//! slots ahead with [`SymTable::prefetch`] and the misses overlap. hashbrown's `HashTable` has
//! no way to name a bucket before probing it, and it keeps an entry's control byte and its
//! value in two places (two misses for an insertion); here a slot is one `u64` holding a 32-bit
//! tag of the hash and the index, so a probe and an insertion touch one cache line.
//!
//! Linear probing from the slot named by the hash's high bits; the tag is the hash's low 32
//! bits, so a slot of another string is passed over without reading its text except for one
//! in four billion. At most 3/4 full. Indices only: the strings live in the interner's arena,
//! and comparing or re-hashing one is the caller's closure.

/// Open-addressing table of `u32` indices keyed by 64-bit hashes.
#[derive(Clone, Default)]
pub(crate) struct SymTable {
    /// `0` for an empty slot, else `tag << 32 | (index + 1)`.
    slots: Vec<u64>,
    len: usize,
    /// `64 - log2(slots.len())`: the home slot is `hash >> shift`.
    shift: u32,
}

/// Fewest slots a non-empty table has.
const MIN_SLOTS: usize = 16;

impl SymTable {
    /// How many indices are stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// How many slots are allocated (8 bytes each).
    pub(crate) fn slots(&self) -> usize {
        self.slots.len()
    }

    #[inline]
    fn home(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    /// The index whose string has `hash` and for which `eq` says yes.
    #[inline]
    pub(crate) fn find(&self, hash: u64, eq: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let tag = hash as u32;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if (slot >> 32) as u32 == tag {
                let index = (slot as u32).wrapping_sub(1);
                if eq(index) {
                    return Some(index);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `index` (not present yet) under `hash`; `rehash` gives the hash of a stored
    /// index when the table grows.
    #[inline]
    pub(crate) fn insert_unique(&mut self, hash: u64, index: u32, rehash: impl Fn(u32) -> u64) {
        debug_assert!(index < u32::MAX);
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow(self.len + 1, &rehash);
        }
        self.put(hash, index);
        self.len += 1;
    }

    #[inline]
    fn put(&mut self, hash: u64, index: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (u64::from(hash as u32) << 32) | u64::from(index + 1);
    }

    /// Makes room for `additional` more indices without growing.
    pub(crate) fn reserve(&mut self, additional: usize, rehash: impl Fn(u32) -> u64) {
        let needed = self.len + additional;
        if needed * 4 > self.slots.len() * 3 {
            self.grow(needed, &rehash);
        }
    }

    /// Shrinks to the smallest size that holds what is stored.
    pub(crate) fn shrink_to_fit(&mut self, rehash: impl Fn(u32) -> u64) {
        if self.len == 0 {
            *self = SymTable::default();
        } else if slots_for(self.len) < self.slots.len() {
            self.resize(slots_for(self.len), &rehash);
        }
    }

    fn grow(&mut self, needed: usize, rehash: &impl Fn(u32) -> u64) {
        self.resize(slots_for(needed).max(self.slots.len() * 2), rehash);
    }

    fn resize(&mut self, slots: usize, rehash: &impl Fn(u32) -> u64) {
        // Zeroed memory comes from the OS untouched: only the pages that get used cost.
        let old = std::mem::replace(&mut self.slots, vec![0; slots]);
        self.shift = 64 - slots.trailing_zeros();
        for slot in old.into_iter().filter(|&s| s != 0) {
            let index = (slot as u32) - 1;
            self.put(rehash(index), index);
        }
    }

    /// Asks the CPU to bring the home slot of `hash` into the cache: a later
    /// [`SymTable::find`] or insertion with that hash then does not wait for memory.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        if self.slots.is_empty() {
            return;
        }
        let ptr = self.slots.as_ptr().wrapping_add(self.home(hash));
        #[cfg(target_arch = "x86_64")]
        // SAFETY: prefetching has no effect on memory and cannot fault; `ptr` points into
        // `slots` anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(ptr.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = ptr;
    }
}

/// A power of two at least [`MIN_SLOTS`] with room for `len` at 3/4 full.
fn slots_for(len: usize) -> usize {
    (len.saturating_mul(4) / 3 + 1)
        .next_power_of_two()
        .max(MIN_SLOTS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::hash_str;

    /// A table over `words` (index = position), built the way the interner builds it.
    fn table_of(words: &[String], reserve: usize) -> SymTable {
        let mut t = SymTable::default();
        t.reserve(reserve, |i| hash_str(&words[i as usize]));
        for (i, w) in words.iter().enumerate() {
            let h = hash_str(w);
            assert_eq!(
                t.find(h, |j| words[j as usize] == *w),
                None,
                "{w} found early"
            );
            t.insert_unique(h, i as u32, |j| hash_str(&words[j as usize]));
        }
        t
    }

    #[test]
    fn finds_every_stored_index_and_nothing_else() {
        let words: Vec<String> = (0..50_000).map(|i| format!("w{i}")).collect();
        for reserve in [0, 10, 50_000] {
            let mut t = table_of(&words, reserve);
            assert_eq!(t.len(), words.len());
            assert!(t.len() * 4 <= t.slots() * 3, "more than 3/4 full");
            for (i, w) in words.iter().enumerate() {
                let found = t.find(hash_str(w), |j| words[j as usize] == *w);
                assert_eq!(found, Some(i as u32), "{w}");
            }
            assert_eq!(
                t.find(hash_str("absent"), |j| words[j as usize] == "absent"),
                None
            );
            t.shrink_to_fit(|j| hash_str(&words[j as usize]));
            assert_eq!(
                t.find(hash_str("w777"), |j| words[j as usize] == "w777"),
                Some(777)
            );
        }
    }

    #[test]
    fn equal_tags_are_told_apart_by_the_comparison() {
        // Every index under the same hash: the comparison closure decides.
        let mut t = SymTable::default();
        for i in 0..100u32 {
            t.insert_unique(42, i, |_| 42);
        }
        for i in 0..100u32 {
            assert_eq!(t.find(42, |j| j == i), Some(i));
        }
        assert_eq!(t.find(42, |_| false), None);
        t.prefetch(42);
        SymTable::default().prefetch(42);
    }
}
