//! Filters: WITH and WHERE comparisons with J1's truth tables (docs/contracts.md#language-decisions).
//!
//! Every comparison is written so that it is never `null`: a positive comparison is
//! `coalesce(P, false)`, and a negative one (`!=`, `!~=`, `!^=`, `!$=`) is `NOT coalesce(P,
//! false)` of its positive twin, so an absent property satisfies every negative comparison and
//! no positive one, and the Boolean structure (AND/OR, value groups) is two-valued as in J1.
//! A property is read as the list of its elements (`[] + coalesce(p, [])`: a scalar becomes a
//! one-element list), so `=` against an array means "contains", as in the evaluator.

use j1ql_semantics::dates::data_date_millis;
use j1ql_semantics::ir::{CompareOp, Comparison, Filter, LogicOp, PropertyRef, Value};

use super::scope::Scope;
use crate::text::{ident, number, string};
use crate::Refusal;

/// A filter as a Cypher Boolean expression that is never `null`. `this` is the variable of
/// the entity (or relationship) a WITH filter belongs to; WHERE filters name their aliases.
pub(crate) fn filter(f: &Filter, this: Option<&str>, scope: &mut Scope) -> Result<String, Refusal> {
    Ok(match f {
        Filter::And(items) => join(items, " AND ", this, scope)?,
        Filter::Or(items) => join(items, " OR ", this, scope)?,
        Filter::Compare(c) => comparison(c, this, scope)?,
    })
}

fn join(
    items: &[Filter],
    op: &str,
    this: Option<&str>,
    scope: &mut Scope,
) -> Result<String, Refusal> {
    let parts = items
        .iter()
        .map(|f| filter(f, this, scope))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match parts.len() {
        0 => "true".into(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => format!("({})", parts.join(op)),
    })
}

fn comparison(c: &Comparison, this: Option<&str>, scope: &mut Scope) -> Result<String, Refusal> {
    let prop = property(&c.property, this, scope)?;
    let (negated, op) = if c.op.is_negative() {
        (true, c.op.negate())
    } else {
        (false, c.op)
    };
    let positive = positive(&prop, op, &c.value, this, scope)?;
    Ok(if negated {
        format!("NOT coalesce({positive}, false)")
    } else {
        format!("coalesce({positive}, false)")
    })
}

/// `var.`key`` of a property reference.
pub(crate) fn property(
    p: &PropertyRef,
    this: Option<&str>,
    scope: &Scope,
) -> Result<String, Refusal> {
    let var = match &p.alias {
        Some(alias) => scope.var(alias)?,
        None => this
            .ok_or_else(|| {
                Refusal::new(
                    format!("`{}`", p.key),
                    "a property without an alias outside WITH",
                )
            })?
            .to_string(),
    };
    Ok(format!("{var}.{}", ident(&p.key)))
}

/// The elements of a property: a list whatever the stored value (absent: the empty list).
fn elements(prop: &str) -> String {
    format!("[] + coalesce({prop}, [])")
}

/// `prop op value` for a positive operator; may be `null` (the caller coalesces).
fn positive(
    prop: &str,
    op: CompareOp,
    value: &Value,
    this: Option<&str>,
    scope: &mut Scope,
) -> Result<String, Refusal> {
    if matches!(
        op,
        CompareOp::Gt | CompareOp::Lt | CompareOp::Gte | CompareOp::Lte
    ) {
        return Err(Refusal::new(
            format!("`{}` comparison", op.as_str()),
            "J1 compares numbers and reads ISO-8601 date strings in the data as their epoch \
             milliseconds; openCypher has no portable way to read a date string",
        ));
    }
    Ok(match value {
        Value::Group {
            op: group_op,
            values,
        } => {
            let parts = values
                .iter()
                .map(|v| {
                    positive(prop, op, v, this, scope).map(|p| format!("coalesce({p}, false)"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if parts.is_empty() {
                "false".into()
            } else {
                let joiner = match group_op {
                    LogicOp::And => " AND ",
                    LogicOp::Or => " OR ",
                };
                format!("({})", parts.join(joiner))
            }
        }
        Value::Undefined => undefined(prop, op),
        Value::String(s) => {
            let element = element_static(op, &Literal::Str(s));
            // J1 reads a date string against a number as a date (docs/semantics.md): a
            // literal date string also equals its epoch milliseconds.
            match data_date_millis(s) {
                Some(ms) if op == CompareOp::Eq => {
                    any_element(prop, &format!("({element} OR x = {})", number(ms)))
                }
                _ => any_element(prop, &element),
            }
        }
        Value::Number(_) | Value::Date(_) if op == CompareOp::Eq => {
            let n = match value {
                Value::Date(ms) => *ms as f64,
                Value::Number(n) => *n,
                _ => f64::NAN,
            };
            if n.fract() == 0.0 {
                return Err(date_string_refusal("`=` with a whole number or date"));
            }
            any_element(prop, &element_static(op, &Literal::Num(n)))
        }
        Value::Number(n) => any_element(prop, &element_static(op, &Literal::Num(*n))),
        Value::Date(ms) => any_element(prop, &element_static(op, &Literal::Num(*ms as f64))),
        Value::Bool(b) => any_element(prop, &element_static(op, &Literal::Bool(*b))),
        Value::RelativeDate { .. } => return Err(Refusal::new(
            "`date.now` in a comparison",
            "relative dates are only compared with `>`/`<`, which are refused (ISO date strings)",
        )),
        Value::Regex { .. } => return Err(Refusal::new(
            "regular expression",
            "J1 uses Rust regex syntax with a partial match; openCypher's `=~` matches the whole \
                 string with Java's syntax",
        )),
        Value::Param { written, .. } if op == CompareOp::Eq => {
            return Err(date_string_refusal("`=` with a parameter").at(format!("`{written}`")));
        }
        Value::Property(_) if op == CompareOp::Eq => {
            return Err(date_string_refusal("`=` between two properties"));
        }
        Value::Param { name, written } => {
            let p = scope.param(name, written)?;
            dynamic(prop, op, &p)
        }
        Value::Property(other) => {
            let q = property(other, this, scope)?;
            let each = dynamic(prop, op, "v");
            format!(
                "CASE WHEN {q} IS NULL THEN {} ELSE any(v IN [] + {q} WHERE v IS NOT NULL AND coalesce({each}, false)) END",
                undefined(prop, op)
            )
        }
    })
}

/// J1 compares a date string in the data with a number as the date's epoch milliseconds
/// (and a number with a date string likewise); no portable openCypher function reads a date.
pub(crate) fn date_string_refusal(construct: &'static str) -> Refusal {
    Refusal::new(
        construct,
        "J1 reads an ISO-8601 date string in the data as its epoch milliseconds when it meets a \
         number, and openCypher has no portable way to read a date string",
    )
}

/// `prop op undefined`: `=` holds when the property is absent; every other positive operator fails.
fn undefined(prop: &str, op: CompareOp) -> String {
    match op {
        CompareOp::Eq => format!("{prop} IS NULL"),
        _ => "false".into(),
    }
}

/// A value known only when the query runs (a parameter, or another property's element in
/// `v`): `null` reads as `undefined`, a list as "any of its elements".
fn dynamic(prop: &str, op: CompareOp, value: &str) -> String {
    let element = match op {
        CompareOp::Eq => "x = w".to_string(),
        CompareOp::Contains => string_test("CONTAINS", "toString(w)", Some("w")),
        CompareOp::StartsWith => string_test("STARTS WITH", "toString(w)", Some("w")),
        CompareOp::EndsWith => string_test("ENDS WITH", "toString(w)", Some("w")),
        _ => "false".into(),
    };
    format!(
        "CASE WHEN {value} IS NULL THEN {} ELSE any(w IN [] + {value} WHERE coalesce({}, false)) END",
        undefined(prop, op),
        any_element(prop, &element)
    )
}

enum Literal<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
}

/// One element `x` against a literal.
fn element_static(op: CompareOp, value: &Literal) -> String {
    match (op, value) {
        (CompareOp::Eq, Literal::Str(s)) => format!("x = {}", string(s)),
        (CompareOp::Eq, Literal::Num(n)) => format!("x = {}", number(*n)),
        (CompareOp::Eq, Literal::Bool(b)) => format!("x = {b}"),
        (CompareOp::Contains, Literal::Str(s)) => string_test("CONTAINS", &string(s), None),
        (CompareOp::StartsWith, Literal::Str(s)) => string_test("STARTS WITH", &string(s), None),
        (CompareOp::EndsWith, Literal::Str(s)) => string_test("ENDS WITH", &string(s), None),
        // `~=` and friends hold for strings only.
        _ => "false".into(),
    }
}

/// A string operator that holds only when the element (and a run-time value) are strings:
/// `toString(x) = x` is true for strings alone, and `toString` keeps the operator itself from
/// failing on a number (openCypher engines raise a type error there).
fn string_test(op: &str, rhs: &str, rhs_var: Option<&str>) -> String {
    let rhs_is_string = rhs_var
        .map(|w| format!(" AND toString({w}) = {w}"))
        .unwrap_or_default();
    format!("(toString(x) = x{rhs_is_string} AND toString(x) {op} {rhs})")
}

fn any_element(prop: &str, element: &str) -> String {
    format!(
        "any(x IN {} WHERE coalesce({element}, false))",
        elements(prop)
    )
}
