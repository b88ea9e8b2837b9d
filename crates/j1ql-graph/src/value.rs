//! Property values: a compact enum of what JSON fixtures hold, with strings interned.

use crate::intern::{Interner, Sym};

/// One property value. 16 bytes: strings are interned ([`Sym`]) and arrays are boxed twice so
/// that scalars stay small. Objects do not occur: nested objects are flattened at load time
/// (`"tag": {"Production": true}` becomes `tag.Production`), and objects inside arrays are kept
/// as their JSON text.
#[derive(Debug, Clone, PartialEq)]
pub enum PropValue {
    /// JSON `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Every JSON number, as `f64`.
    Number(f64),
    /// An interned string; [`crate::Graph::str`] gives its text.
    String(Sym),
    /// An array of values.
    Array(Box<Vec<PropValue>>),
}

impl PropValue {
    /// The string's [`Sym`], for a string value.
    pub fn as_sym(&self) -> Option<Sym> {
        match self {
            PropValue::String(s) => Some(*s),
            _ => None,
        }
    }

    /// The number, for a number value.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PropValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, for a boolean value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            PropValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, for an array value.
    pub fn as_array(&self) -> Option<&[PropValue]> {
        match self {
            PropValue::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value itself for a scalar, the elements for an array (what `=` compares against).
    pub fn elements(&self) -> &[PropValue] {
        match self {
            PropValue::Array(a) => a,
            other => std::slice::from_ref(other),
        }
    }

    /// Converts to a `serde_json::Value`, resolving strings with `strings`.
    pub fn to_json(&self, strings: &Interner) -> serde_json::Value {
        match self {
            PropValue::Null => serde_json::Value::Null,
            PropValue::Bool(b) => serde_json::Value::Bool(*b),
            PropValue::Number(n) => number_to_json(*n),
            PropValue::String(s) => serde_json::Value::String(strings.resolve(*s).to_string()),
            PropValue::Array(items) => {
                serde_json::Value::Array(items.iter().map(|v| v.to_json(strings)).collect())
            }
        }
    }
}

/// A number as JSON: integral values within ±2^53 print without a fraction.
pub fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// A borrowed view of a value with strings resolved, for callers that want text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'g> {
    /// JSON `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(&'g str),
    /// An array (resolve its elements with [`crate::Graph::value_ref`]).
    Array(&'g [PropValue]),
}

/// A key for hashing scalar values (used by the mapper's indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ScalarKey {
    Null,
    Bool(bool),
    Num(u64),
    Str(Sym),
}

impl ScalarKey {
    pub(crate) fn of(v: &PropValue) -> Option<ScalarKey> {
        Some(match v {
            PropValue::Null => ScalarKey::Null,
            PropValue::Bool(b) => ScalarKey::Bool(*b),
            PropValue::Number(n) => ScalarKey::Num(if *n == 0.0 { 0 } else { n.to_bits() }),
            PropValue::String(s) => ScalarKey::Str(*s),
            PropValue::Array(_) => return None,
        })
    }
}
