//! Limits on one evaluation: work units, rows kept, and the cancellation token.

use crate::cancel::Cancel;
use crate::error::EvalError;

/// Limits on work and output, and the token that cancels the evaluation.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Relationship visits, entity checks and filter comparisons.
    pub max_work: u64,
    /// Rows (paths) kept.
    pub max_rows: usize,
    /// Checked wherever work is charged: a cancelled evaluation stops with
    /// [`EvalError::Cancelled`] (the language server's `$/cancelRequest`).
    pub cancel: Cancel,
}

/// The default work budget: relationship visits, entity checks and filter comparisons.
pub const DEFAULT_MAX_WORK: u64 = 200_000_000;

/// The environment variable that overrides the work budget (a number of work units) of every
/// front-end; `j1ql_project::Project` reads it (docs/limits.md gives the precedence).
pub const MAX_WORK_ENV: &str = "J1QL_BUDGET";

impl Default for Budget {
    /// [`DEFAULT_MAX_WORK`], 2,000,000 rows, never cancelled.
    fn default() -> Self {
        Budget {
            max_work: DEFAULT_MAX_WORK,
            max_rows: 2_000_000,
            cancel: Cancel::default(),
        }
    }
}

impl Budget {
    /// [`EvalError::Cancelled`] once the evaluation's token is cancelled.
    #[inline]
    pub(crate) fn check_cancelled(&self) -> Result<(), EvalError> {
        if self.cancel.is_cancelled() {
            Err(EvalError::Cancelled)
        } else {
            Ok(())
        }
    }
}
