//! A set of entities as one bit per entity of the graph: the semi-join reduction's slot sets
//! and the exact sets built from the value groups.

use j1ql_graph::EntityId;

/// A set of entities.
#[derive(Debug, Clone)]
pub struct Bitset(Vec<u64>);

impl Bitset {
    /// An empty set of entities below `n`.
    pub(crate) fn new(n: usize) -> Bitset {
        Bitset(vec![0; n.div_ceil(64)])
    }

    /// Keeps only the entities also in `other`.
    pub(crate) fn intersect(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= *b;
        }
    }

    /// Adds every entity of `other`.
    pub(crate) fn union(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= *b;
        }
    }

    /// The entities in the set, in id order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(EntityId((w * 64) as u32 + b))
            })
        })
    }

    /// Whether `id` is in the set.
    #[inline]
    pub fn contains(&self, id: EntityId) -> bool {
        let i = id.index();
        self.0
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// Adds `id`; whether it was new.
    pub(crate) fn insert(&mut self, id: EntityId) -> bool {
        let i = id.index();
        let word = &mut self.0[i / 64];
        let bit = 1 << (i % 64);
        let new = *word & bit == 0;
        *word |= bit;
        new
    }

    pub(crate) fn remove(&mut self, id: EntityId) {
        let i = id.index();
        self.0[i / 64] &= !(1 << (i % 64));
    }
}
