//! A set of token kinds as a bit set (rust-analyzer's `TokenSet`), for recovery and lookahead.

use crate::SyntaxKind;

/// A small, copyable set of token kinds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenSet(u128);

impl TokenSet {
    pub(crate) const fn new(kinds: &[SyntaxKind]) -> TokenSet {
        let mut bits = 0u128;
        let mut i = 0;
        while i < kinds.len() {
            bits |= 1u128 << (kinds[i] as u16);
            i += 1;
        }
        TokenSet(bits)
    }

    pub(crate) const fn union(self, other: TokenSet) -> TokenSet {
        TokenSet(self.0 | other.0)
    }

    pub(crate) const fn contains(self, kind: SyntaxKind) -> bool {
        (kind as u16) < 128 && self.0 & (1u128 << (kind as u16)) != 0
    }
}
