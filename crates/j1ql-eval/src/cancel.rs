//! Stopping an evaluation from another thread.
//!
//! The language server runs `j1ql.runQuery` on a blocking thread; when the editor sends
//! `$/cancelRequest` the server drops its wait, but the thread would go on until the query
//! finished or exhausted its work budget. A [`Cancel`] token shared between the two lets the
//! server say "stop": the evaluator checks it wherever it charges work to the budget
//! ([`crate::Budget`]), so a cancelled query stops within a few thousand units of work and
//! returns [`crate::EvalError::Cancelled`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A cancellation flag: clones share it; [`Cancel::default`] is a token nobody can cancel
/// (what the command-line front-ends use).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Option<Arc<AtomicBool>>);

impl Cancel {
    /// A token that [`Cancel::cancel`] on any clone of it stops.
    pub fn new() -> Cancel {
        Cancel(Some(Arc::new(AtomicBool::new(false))))
    }

    /// Asks every evaluation holding a clone of this token to stop.
    pub fn cancel(&self) {
        if let Some(flag) = &self.0 {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`Cancel::cancel`] was called on this token or a clone of it.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// A guard that cancels this token when dropped: the language server keeps one in the
    /// request's future, so dropping the future (`$/cancelRequest`) stops the evaluation.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its token when dropped (see [`Cancel::on_drop`]).
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag_and_the_default_never_cancels() {
        let token = Cancel::new();
        let clone = token.clone();
        assert!(!clone.is_cancelled());
        drop(token.on_drop());
        assert!(clone.is_cancelled());
        let never = Cancel::default();
        never.cancel();
        assert!(!never.is_cancelled());
    }
}
