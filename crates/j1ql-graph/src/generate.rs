//! Synthetic accounts (filled in below).
