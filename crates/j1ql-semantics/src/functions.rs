//! The functions of J1QL: the one table every part of the toolkit reads.
//!
//! Lowering resolves a call's name here (and reports an unknown one with the closest known
//! name), the evaluator dispatches on the [`Scalar`] or [`Aggregate`] found here, and the
//! language server's completion, signature help and hover show the same names, parameters and
//! documentation. Adding a function is one entry in [`FUNCTIONS`] (plus its evaluation).
//! What each function means is described in `docs/semantics.md` ("RETURN functions").

use serde::Serialize;

use crate::ir::Aggregate;

/// A row-level function of RETURN: one value per row (or per group, around aggregates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scalar {
    /// `CONCAT(a, b, ...)`: the values joined as text.
    Concat,
    /// `merge(a, b, ...)`: values and list elements merged into one list.
    Merge,
    /// `coalesce(a, b, ...)`: the first value that is not undefined.
    Coalesce,
    /// `ROUND(x[, digits])`.
    Round,
    /// `ABS(x)`.
    Abs,
    /// `CEIL(x)`.
    Ceil,
    /// `FLOOR(x)`.
    Floor,
    /// `SQRT(x)`.
    Sqrt,
}

/// What kind of function an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// Reduces a group of rows to one value (`count`, `min`, ...).
    Aggregate(Aggregate),
    /// One value per row (`CONCAT`, `ROUND`, ...).
    Scalar(Scalar),
    /// `date(...)`: a literal point in time in a filter, written like a call. Not callable in
    /// RETURN; listed so that signature help and hover document it in the same place.
    DateLiteral,
}

/// One parameter of a function, as signature help shows it.
#[derive(Debug, Clone, Copy)]
pub struct Parameter {
    /// The label (`alias.property`, `x`).
    pub label: &'static str,
    /// What may be passed.
    pub doc: &'static str,
}

/// One function of J1QL.
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// The name as JupiterOne's documentation spells it (matched case-insensitively).
    pub name: &'static str,
    /// Aggregate, scalar or the `date(...)` literal.
    pub kind: FunctionKind,
    /// The parameters in order.
    pub params: &'static [Parameter],
    /// How many arguments must be given.
    pub required: usize,
    /// The last parameter may be repeated (`CONCAT(a, b, ...)`).
    pub variadic: bool,
    /// What it returns (Markdown, one or two sentences).
    pub doc: &'static str,
}

impl Function {
    /// The fewest and the most arguments a call may have (`None`: no upper bound).
    pub fn arity(&self) -> (usize, Option<usize>) {
        let most = (!self.variadic).then_some(self.params.len());
        (self.required, most)
    }

    /// Whether a call with `n` arguments is well-formed.
    pub fn accepts(&self, n: usize) -> bool {
        let (least, most) = self.arity();
        n >= least && most.is_none_or(|m| n <= m)
    }

    /// The signature as shown to users: `CONCAT(value1, value2, ...)`.
    pub fn signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|p| p.label).collect();
        let more = if self.variadic { ", ..." } else { "" };
        format!("{}({}{more})", self.name, params.join(", "))
    }

    /// Whether it may be called in RETURN (everything but the `date(...)` literal).
    pub fn is_callable(&self) -> bool {
        !matches!(self.kind, FunctionKind::DateLiteral)
    }

    /// The aggregate it is, if it is one.
    pub fn aggregate(&self) -> Option<Aggregate> {
        match self.kind {
            FunctionKind::Aggregate(a) => Some(a),
            _ => None,
        }
    }
}

const fn p(label: &'static str, doc: &'static str) -> Parameter {
    Parameter { label, doc }
}

/// Every function J1QL knows: aggregates first, then scalar functions, then `date(...)`.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "count",
        kind: FunctionKind::Aggregate(Aggregate::Count),
        params: &[p("alias", "the alias whose matches are counted")],
        required: 1,
        variadic: false,
        doc: "How many distinct entities (or relationships) the alias matched, per group of \
              the other RETURN columns.",
    },
    Function {
        name: "min",
        kind: FunctionKind::Aggregate(Aggregate::Min),
        params: &[p("alias.property", "a property of an alias")],
        required: 1,
        variadic: false,
        doc: "The smallest value of the property.",
    },
    Function {
        name: "max",
        kind: FunctionKind::Aggregate(Aggregate::Max),
        params: &[p("alias.property", "a property of an alias")],
        required: 1,
        variadic: false,
        doc: "The largest value of the property.",
    },
    Function {
        name: "avg",
        kind: FunctionKind::Aggregate(Aggregate::Avg),
        params: &[p("alias.property", "a numeric property of an alias")],
        required: 1,
        variadic: false,
        doc: "The mean of the property's values.",
    },
    Function {
        name: "sum",
        kind: FunctionKind::Aggregate(Aggregate::Sum),
        params: &[p("alias.property", "a numeric property of an alias")],
        required: 1,
        variadic: false,
        doc: "The sum of the property's values.",
    },
    Function {
        name: "CONCAT",
        kind: FunctionKind::Scalar(Scalar::Concat),
        params: &[
            p("value1", "a property, a string or a number"),
            p("value2", "more values; all are joined as text"),
        ],
        required: 1,
        variadic: true,
        doc: "The values joined as text: `CONCAT(u.firstName, ' ', u.lastName)`.",
    },
    Function {
        name: "ROUND",
        kind: FunctionKind::Scalar(Scalar::Round),
        params: &[
            p("x", "a number"),
            p("digits", "decimal places to keep (default 0)"),
        ],
        required: 1,
        variadic: false,
        doc: "x rounded to `digits` decimal places.",
    },
    Function {
        name: "ABS",
        kind: FunctionKind::Scalar(Scalar::Abs),
        params: &[p("x", "a number")],
        required: 1,
        variadic: false,
        doc: "The absolute value of x.",
    },
    Function {
        name: "CEIL",
        kind: FunctionKind::Scalar(Scalar::Ceil),
        params: &[p("x", "a number")],
        required: 1,
        variadic: false,
        doc: "The smallest integer ≥ x.",
    },
    Function {
        name: "FLOOR",
        kind: FunctionKind::Scalar(Scalar::Floor),
        params: &[p("x", "a number")],
        required: 1,
        variadic: false,
        doc: "The largest integer ≤ x.",
    },
    Function {
        name: "SQRT",
        kind: FunctionKind::Scalar(Scalar::Sqrt),
        params: &[p("x", "a number ≥ 0")],
        required: 1,
        variadic: false,
        doc: "The square root of x.",
    },
    Function {
        name: "coalesce",
        kind: FunctionKind::Scalar(Scalar::Coalesce),
        params: &[
            p("value1", "a value that may be undefined"),
            p("value2", "fallbacks, tried in order"),
        ],
        required: 1,
        variadic: true,
        doc: "The first value that is not undefined.",
    },
    Function {
        name: "merge",
        kind: FunctionKind::Scalar(Scalar::Merge),
        params: &[
            p("value1", "a value or a list"),
            p("value2", "more values or lists"),
        ],
        required: 1,
        variadic: true,
        doc: "The values (and the elements of lists) merged into one list, duplicates dropped.",
    },
    Function {
        name: "date",
        kind: FunctionKind::DateLiteral,
        params: &[p(
            "YYYY-MM-DD[THH:MM[:SS[.sss]]Z]",
            "an ISO 8601 date or date-time (UTC)",
        )],
        required: 1,
        variadic: false,
        doc: "A point in time, compared as epoch milliseconds: `_createdOn > date(2024-01-31)`. \
              Relative: `date.now - 7 days`.",
    },
];

/// The function named `name` (case-insensitive), `date` included.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The functions that may be called in RETURN.
pub fn callable() -> impl Iterator<Item = &'static Function> {
    FUNCTIONS.iter().filter(|f| f.is_callable())
}

/// The entry of an aggregate.
pub fn of_aggregate(aggregate: Aggregate) -> &'static Function {
    FUNCTIONS
        .iter()
        .find(|f| f.aggregate() == Some(aggregate))
        .expect("every aggregate has an entry in FUNCTIONS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_ignoring_case() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            for g in &FUNCTIONS[i + 1..] {
                assert!(!f.name.eq_ignore_ascii_case(g.name), "{} twice", f.name);
            }
        }
    }

    #[test]
    fn every_aggregate_and_scalar_has_one_entry() {
        for a in [
            Aggregate::Count,
            Aggregate::Min,
            Aggregate::Max,
            Aggregate::Avg,
            Aggregate::Sum,
        ] {
            assert_eq!(of_aggregate(a).aggregate(), Some(a));
        }
        let scalars = FUNCTIONS
            .iter()
            .filter(|f| matches!(f.kind, FunctionKind::Scalar(_)))
            .count();
        assert_eq!(scalars, 8);
    }

    #[test]
    fn lookup_ignores_case_and_arity_follows_params() {
        let concat = lookup("concat").unwrap();
        assert_eq!(concat.signature(), "CONCAT(value1, value2, ...)");
        assert!(concat.accepts(5) && !concat.accepts(0));
        let round = lookup("Round").unwrap();
        assert_eq!(round.arity(), (1, Some(2)));
        assert!(!round.accepts(3));
        assert!(lookup("date").is_some_and(|d| !d.is_callable()));
        assert!(lookup("nope").is_none());
        assert!(callable().all(|f| f.name != "date"));
    }
}
