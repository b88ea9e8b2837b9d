//! Why an evaluation could not finish.

/// An evaluation error. Each reads as a sentence saying what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A `${ param.x }` / `{{x}}` without a value.
    MissingParam {
        /// Its name.
        name: String,
        /// As written.
        written: String,
    },
    /// A SKIP or LIMIT parameter whose value is not a whole number the clause takes.
    InvalidPagingParam {
        /// `SKIP` or `LIMIT`.
        clause: &'static str,
        /// The placeholder as written.
        written: String,
        /// Its value, as JSON.
        value: String,
    },
    /// A regex literal that does not compile.
    InvalidRegex {
        /// The pattern.
        pattern: String,
        /// The regex engine's message.
        message: String,
    },
    /// A smart class whose configured definition does not parse.
    InvalidSmartClass {
        /// The name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The query did more work, or produced more rows, than the budget allows.
    Budget {
        /// Which limit.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The evaluation's [`crate::Cancel`] token was cancelled (the language server's
    /// `$/cancelRequest`).
    Cancelled,
}

/// The [`EvalError::Budget`] limit on rows kept (not configurable, unlike the work budget).
pub(crate) const ROWS: &str = "result rows";

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::MissingParam { name, written } => write!(
                f,
                "parameter {written} has no value: pass --param {name}=VALUE"
            ),
            EvalError::InvalidPagingParam {
                clause,
                written,
                value,
            } => {
                let needs = if *clause == "LIMIT" {
                    "a whole number, one or more"
                } else {
                    "a whole number, zero or more"
                };
                write!(
                    f,
                    "parameter {written} of {clause} is {value}: {clause} takes {needs}"
                )
            }
            EvalError::InvalidRegex { pattern, message } => {
                write!(f, "invalid regular expression /{pattern}/: {message}")
            }
            EvalError::InvalidSmartClass { name, message } => {
                write!(
                    f,
                    "smart class #{name} has an invalid definition: {message}"
                )
            }
            EvalError::Budget { what, limit } if *what == ROWS => write!(
                f,
                "query stopped: it exceeded the {what} budget ({limit}); add filters or a LIMIT \
                 (docs/limits.md)"
            ),
            EvalError::Budget { what, limit } => write!(
                f,
                "query stopped: it exceeded the {what} budget ({limit} units); add filters or a \
                 LIMIT, or raise the work budget with `--budget N` (run, test, serve), \
                 `[run] budget = N` in j1ql.toml or the environment variable J1QL_BUDGET \
                 (docs/limits.md)"
            ),
            EvalError::Cancelled => write!(f, "query cancelled"),
        }
    }
}

impl std::error::Error for EvalError {}
