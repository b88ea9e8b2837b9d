//! Numbers as comparisons, math, aggregates and ORDER BY read them: a number, or a date. An
//! ISO 8601 string in the data is a date, read as epoch milliseconds by the one conversion
//! [`data_date_millis`], so `createdOn > date(2024)`, `closedOn - createdOn`, `max(f.closedOn)`
//! and `ORDER BY f.closedOn` agree whether the data holds epoch milliseconds or ISO strings.

use j1ql_graph::{Graph, PropValue};
use j1ql_semantics::dates::data_date_millis;
use serde_json::Value;

/// A property element as a number: a number, or a date string as epoch milliseconds.
pub fn prop_number(graph: &Graph, value: &PropValue) -> Option<f64> {
    match value {
        PropValue::Number(n) => Some(*n),
        PropValue::String(s) => data_date_millis(graph.str(*s)),
        _ => None,
    }
}

/// A JSON value (a RETURN expression's) as a number: a number, or a date string.
pub fn json_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => data_date_millis(s),
        _ => None,
    }
}

/// An ORDER BY key: a date string sorts as its epoch milliseconds (with the numbers), so
/// ISO dates in different forms and epoch-millisecond dates sort in time order.
pub fn sort_key(value: Value) -> Value {
    match &value {
        Value::String(s) => match data_date_millis(s) {
            Some(ms) => num(ms),
            None => value,
        },
        _ => value,
    }
}

/// A number as JSON (integers without a fraction), as every computed value is returned.
pub fn num(n: f64) -> serde_json::Value {
    j1ql_graph::number_to_json(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_strings_are_milliseconds_and_other_text_is_not() {
        let jan = 1_704_067_200_000.0; // 2024-01-01T00:00:00Z
        assert_eq!(json_number(&Value::from("2024-01-01T00:00:00Z")), Some(jan));
        assert_eq!(
            json_number(&Value::from("2024-01-01T02:00:00+02:00")),
            Some(jan)
        );
        assert_eq!(json_number(&Value::from("2024-01-01")), Some(jan));
        assert_eq!(json_number(&Value::from(jan)), Some(jan));
        for text in ["2024", "hello", "2024-13-01", "12345-01-01", ""] {
            assert_eq!(json_number(&Value::from(text)), None, "{text}");
        }
        assert_eq!(sort_key(Value::from("2024-01-01")), Value::from(jan as i64));
        assert_eq!(sort_key(Value::from("abc")), Value::from("abc"));
    }
}
