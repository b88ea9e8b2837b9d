//! From IR values to evaluation values: parameters, dates relative to "now", regexes.

use std::collections::BTreeMap;

use j1ql_semantics::dates::{civil_from_days, days_from_civil, days_in_month};
use j1ql_semantics::ir::{self, DateUnit, LogicOp};

use crate::compare::RValue;
use crate::error::EvalError;

/// What values depend on: the clock and the parameters.
#[derive(Debug, Clone, Default)]
pub struct ValueContext {
    /// "Now" in epoch milliseconds, for relative dates.
    pub now_ms: i64,
    /// Values of `${ param.x }`, `${x}` and `{{x}}`.
    pub params: BTreeMap<String, serde_json::Value>,
}

impl ValueContext {
    /// Resolves a value that is not a property reference.
    pub fn resolve(&self, value: &ir::Value) -> Result<RValue, EvalError> {
        Ok(match value {
            ir::Value::String(s) => RValue::Str(s.clone()),
            ir::Value::Number(n) => RValue::Num(*n),
            ir::Value::Bool(b) => RValue::Bool(*b),
            ir::Value::Undefined => RValue::Undefined,
            ir::Value::Date(ms) => RValue::Num(*ms as f64),
            ir::Value::RelativeDate { amount, unit } => {
                RValue::Num(shift(self.now_ms, *amount, *unit))
            }
            ir::Value::Regex { pattern, flags } => RValue::Regex(compile_regex(pattern, flags)?),
            ir::Value::Param { name, written } => {
                let value = self
                    .params
                    .get(name)
                    .ok_or_else(|| EvalError::MissingParam {
                        name: name.clone(),
                        written: written.clone(),
                    })?;
                from_json(value)
            }
            ir::Value::Group { op, values } => RValue::Group(
                *op,
                values
                    .iter()
                    .map(|v| self.resolve(v))
                    .collect::<Result<_, _>>()?,
            ),
            // Property references are resolved per row by the caller.
            ir::Value::Property(_) => RValue::Undefined,
        })
    }
}

impl ValueContext {
    /// The query with its SKIP and LIMIT parameters read (`None` when it has none): each
    /// must be a whole number, zero or more for SKIP and one or more for LIMIT, as the
    /// literals are (S009).
    pub fn resolve_paging(&self, query: &ir::Query) -> Result<Option<ir::Query>, EvalError> {
        if query.skip_param.is_none() && query.limit_param.is_none() {
            return Ok(None);
        }
        let mut resolved = query.clone();
        if let Some(param) = &query.skip_param {
            resolved.skip = self.page_value(param, "SKIP", 0)?;
        }
        if let Some(param) = &query.limit_param {
            resolved.limit = self.page_value(param, "LIMIT", 1)?;
        }
        resolved.skip_param = None;
        resolved.limit_param = None;
        Ok(Some(resolved))
    }

    fn page_value(
        &self,
        param: &ir::PageParam,
        clause: &'static str,
        least: u64,
    ) -> Result<u64, EvalError> {
        let value = self
            .params
            .get(&param.name)
            .ok_or_else(|| EvalError::MissingParam {
                name: param.name.clone(),
                written: param.written.clone(),
            })?;
        // The number itself (`2`, or `2.0`): a string such as "2" is text, as everywhere
        // else parameters are compared.
        let whole = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && (0.0..9.0e15).contains(f))
                .map(|f| f as u64)
        });
        match whole {
            Some(n) if n >= least => Ok(n),
            _ => Err(EvalError::InvalidPagingParam {
                clause,
                written: param.written.clone(),
                value: value.to_string(),
            }),
        }
    }
}

/// A JSON parameter value: arrays become OR groups (a parameter may hold an array).
pub fn from_json(value: &serde_json::Value) -> RValue {
    match value {
        serde_json::Value::Null => RValue::Undefined,
        serde_json::Value::Bool(b) => RValue::Bool(*b),
        serde_json::Value::Number(n) => RValue::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => RValue::Str(s.clone()),
        serde_json::Value::Array(items) => {
            RValue::Group(LogicOp::Or, items.iter().map(from_json).collect())
        }
        serde_json::Value::Object(_) => RValue::Str(value.to_string()),
    }
}

fn compile_regex(pattern: &str, flags: &str) -> Result<regex::Regex, EvalError> {
    let mut builder = regex::RegexBuilder::new(pattern);
    builder.case_insensitive(flags.contains('i'));
    builder.multi_line(flags.contains('m'));
    builder.dot_matches_new_line(flags.contains('s'));
    builder.size_limit(1 << 20);
    builder.build().map_err(|e| EvalError::InvalidRegex {
        pattern: pattern.to_string(),
        message: e.to_string(),
    })
}

/// `now + amount units`; months and years move on the calendar (clamping the day).
///
/// In floating point, so an amount as large as `1e300 days` gives a date beyond every other
/// (or before, when negative) instead of wrapping around: integer arithmetic would overflow and
/// `createdOn > date.now + 1e300 days` would match everything.
pub fn shift(now_ms: i64, amount: f64, unit: Option<DateUnit>) -> f64 {
    const MINUTE: f64 = 60_000.0;
    let fixed = match unit {
        None => return now_ms as f64,
        Some(DateUnit::Minute) => MINUTE,
        Some(DateUnit::Hour) => 60.0 * MINUTE,
        Some(DateUnit::Day) => 1_440.0 * MINUTE,
        Some(DateUnit::Week) => 10_080.0 * MINUTE,
        Some(DateUnit::Month) => return add_months(now_ms, amount),
        Some(DateUnit::Year) => return add_months(now_ms, amount * 12.0),
    };
    now_ms as f64 + (amount * fixed).round()
}

/// Months beyond which the calendar is not walked (about 8 million years): past it a month is
/// its average length, and the result is far beyond any stored date either way.
const CALENDAR_MONTHS: f64 = 1e8;

/// The average month of the Gregorian calendar, in milliseconds.
const AVERAGE_MONTH_MS: f64 = 30.436_875 * 86_400_000.0;

fn add_months(now_ms: i64, months: f64) -> f64 {
    if !months.is_finite() || months.abs() > CALENDAR_MONTHS {
        return now_ms as f64 + months * AVERAGE_MONTH_MS;
    }
    let whole = months.trunc() as i64;
    let days = now_ms.div_euclid(86_400_000);
    let ms_of_day = now_ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m - 1) + whole;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let nd = d.min(days_in_month(ny, nm));
    let base = days_from_civil(ny, nm, nd) * 86_400_000 + ms_of_day;
    // A fractional month counts as 30 days per month.
    base as f64 + ((months - whole as f64) * 30.0 * 86_400_000.0).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000; // 2023-11-14T22:13:20Z

    #[test]
    fn relative_dates() {
        assert_eq!(
            shift(NOW, -1.0, Some(DateUnit::Day)),
            (NOW - 86_400_000) as f64
        );
        assert_eq!(
            shift(NOW, -24.0, Some(DateUnit::Hour)),
            (NOW - 86_400_000) as f64
        );
        assert_eq!(shift(NOW, 0.0, None), NOW as f64);
        // One month back from 2023-11-14 is 2023-10-14, same time of day.
        assert_eq!(
            shift(NOW, -1.0, Some(DateUnit::Month)),
            (NOW - 31 * 86_400_000) as f64
        );
        assert_eq!(
            shift(NOW, -1.0, Some(DateUnit::Year)),
            (NOW - 365 * 86_400_000) as f64
        );
    }

    #[test]
    fn huge_amounts_do_not_wrap() {
        for unit in [
            DateUnit::Minute,
            DateUnit::Hour,
            DateUnit::Day,
            DateUnit::Week,
            DateUnit::Month,
            DateUnit::Year,
        ] {
            for amount in [1e300, 1e18, 1e10, f64::INFINITY] {
                let later = shift(NOW, amount, Some(unit));
                let earlier = shift(NOW, -amount, Some(unit));
                assert!(later > NOW as f64 * 2.0, "{unit:?} {amount}: {later}");
                assert!(earlier < -(NOW as f64), "{unit:?} -{amount}: {earlier}");
            }
        }
    }

    #[test]
    fn paging_parameters_are_read_and_checked() {
        let text = "FIND User SKIP ${ param.s } LIMIT {{n}}";
        let analysis = j1ql_semantics::analyze(text, &j1ql_semantics::Context::builtin());
        let query = &analysis.queries[0].ir;
        let cx = |s: serde_json::Value, n: serde_json::Value| ValueContext {
            now_ms: 0,
            params: [("s".to_string(), s), ("n".to_string(), n)].into(),
        };
        let resolved = cx(0.into(), 2.into())
            .resolve_paging(query)
            .unwrap()
            .expect("a query with parameters is rewritten");
        assert_eq!((resolved.skip, resolved.limit), (0, 2));
        assert!(resolved.skip_param.is_none() && resolved.limit_param.is_none());
        let whole_float = cx(3.0.into(), 1.into()).resolve_paging(query).unwrap();
        assert_eq!(whole_float.map(|q| q.skip), Some(3));
        for (s, n, clause) in [
            (serde_json::json!(-1), serde_json::json!(1), "SKIP"),
            (serde_json::json!(0), serde_json::json!(0), "LIMIT"),
            (serde_json::json!(0), serde_json::json!("2"), "LIMIT"),
            (serde_json::json!(0.5), serde_json::json!(1), "SKIP"),
        ] {
            match cx(s.clone(), n.clone()).resolve_paging(query) {
                Err(EvalError::InvalidPagingParam { clause: c, .. }) => assert_eq!(c, clause),
                other => panic!("{s} {n}: {other:?}"),
            }
        }
        let literal =
            j1ql_semantics::analyze("FIND User LIMIT 2", &j1ql_semantics::Context::builtin());
        assert!(ValueContext::default()
            .resolve_paging(&literal.queries[0].ir)
            .unwrap()
            .is_none());
    }

    #[test]
    fn missing_param_is_an_error() {
        let cx = ValueContext::default();
        let v = ir::Value::Param {
            name: "x".into(),
            written: "${ param.x }".into(),
        };
        assert!(matches!(
            cx.resolve(&v),
            Err(EvalError::MissingParam { .. })
        ));
    }
}
