//! Comparison semantics (docs/contracts.md#language-decisions and the spec's truth tables).
//!
//! * Against an array property, `= v` means "contains v"; `= (a AND b)` contains both;
//!   `= (a OR b)` contains either.
//! * `!=` is the exact negation of `=`: an absent property satisfies every `!=` and no `=`.
//!   The same holds for `!~=`, `!^=`, `!$=` against `~=`, `^=`, `$=`.
//! * String operators are case-sensitive and apply element by element.
//! * `> < >= <=` compare numbers (dates are epoch milliseconds; ISO date strings in the data
//!   are read as dates by [`crate::numeric`]), element by element; `=` between a date
//!   string and a date reads the string as a date too.

use j1ql_graph::{Graph, PropValue};
use j1ql_semantics::dates::data_date_millis;
use j1ql_semantics::ir::{CompareOp, LogicOp};

use crate::numeric::prop_number;

/// A value resolved for evaluation: parameters substituted, dates turned into milliseconds.
#[derive(Debug, Clone)]
pub enum RValue {
    /// A string.
    Str(String),
    /// A number (dates included).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// `undefined`.
    Undefined,
    /// A compiled regular expression.
    Regex(regex::Regex),
    /// A value group.
    Group(LogicOp, Vec<RValue>),
}

impl RValue {
    /// The value of a graph property, as a group of its elements (for property-to-property
    /// comparisons in WHERE: `nic.securityGroupIds = sg.groupId`).
    pub fn from_prop(graph: &Graph, value: Option<&PropValue>) -> RValue {
        match value {
            None | Some(PropValue::Null) => RValue::Undefined,
            Some(v) => {
                let elements: Vec<RValue> = v
                    .elements()
                    .iter()
                    .filter_map(|e| scalar(graph, e))
                    .collect();
                if elements.len() == 1 {
                    elements.into_iter().next().unwrap_or(RValue::Undefined)
                } else {
                    RValue::Group(LogicOp::Or, elements)
                }
            }
        }
    }
}

fn scalar(graph: &Graph, v: &PropValue) -> Option<RValue> {
    Some(match v {
        PropValue::String(s) => RValue::Str(graph.str(*s).to_string()),
        PropValue::Number(n) => RValue::Num(*n),
        PropValue::Bool(b) => RValue::Bool(*b),
        PropValue::Null | PropValue::Array(_) => return None,
    })
}

fn is_absent(prop: Option<&PropValue>) -> bool {
    matches!(prop, None | Some(PropValue::Null))
}

/// Whether `prop op value` holds.
pub fn compare(graph: &Graph, prop: Option<&PropValue>, op: CompareOp, value: &RValue) -> bool {
    if op.is_negative() {
        return !compare(graph, prop, op.negate(), value);
    }
    match value {
        RValue::Group(LogicOp::Or, values) => values.iter().any(|v| compare(graph, prop, op, v)),
        RValue::Group(LogicOp::And, values) => {
            !values.is_empty() && values.iter().all(|v| compare(graph, prop, op, v))
        }
        RValue::Undefined => match op {
            CompareOp::Eq => is_absent(prop),
            _ => false,
        },
        _ => {
            let Some(prop) = prop else { return false };
            prop.elements()
                .iter()
                .any(|element| element_matches(graph, element, op, value))
        }
    }
}

/// One element against one scalar value, for a positive operator.
fn element_matches(graph: &Graph, element: &PropValue, op: CompareOp, value: &RValue) -> bool {
    match op {
        CompareOp::Eq => match (element, value) {
            (PropValue::String(s), RValue::Str(v)) => graph.str(*s) == v,
            (PropValue::String(s), RValue::Regex(r)) => r.is_match(graph.str(*s)),
            (PropValue::Number(n), RValue::Num(v)) => n == v,
            (PropValue::Bool(b), RValue::Bool(v)) => b == v,
            // A date string against a date (or epoch milliseconds): one conversion.
            (PropValue::String(s), RValue::Num(v)) => data_date_millis(graph.str(*s)) == Some(*v),
            (PropValue::Number(n), RValue::Str(v)) => data_date_millis(v) == Some(*n),
            _ => false,
        },
        CompareOp::Contains | CompareOp::StartsWith | CompareOp::EndsWith => {
            let PropValue::String(s) = element else {
                return false;
            };
            let text = graph.str(*s);
            match (op, value) {
                (CompareOp::Contains, RValue::Regex(r)) => r.is_match(text),
                (CompareOp::Contains, RValue::Str(v)) => text.contains(v.as_str()),
                (CompareOp::StartsWith, RValue::Str(v)) => text.starts_with(v.as_str()),
                (CompareOp::EndsWith, RValue::Str(v)) => text.ends_with(v.as_str()),
                _ => false,
            }
        }
        CompareOp::Gt | CompareOp::Lt | CompareOp::Gte | CompareOp::Lte => {
            let left = prop_number(graph, element);
            let right = match value {
                RValue::Num(n) => Some(*n),
                RValue::Str(s) => data_date_millis(s),
                _ => None,
            };
            match (left, right) {
                (Some(l), Some(r)) => match op {
                    CompareOp::Gt => l > r,
                    CompareOp::Lt => l < r,
                    CompareOp::Gte => l >= r,
                    _ => l <= r,
                },
                _ => false,
            }
        }
        // Negative operators never reach here (see `compare`).
        _ => false,
    }
}

#[cfg(test)]
mod tests;
