//! RETURN expressions: fields, selectors, scalar functions, math, and aggregates over groups.

use std::collections::HashSet;

use j1ql_graph::Graph;
use j1ql_semantics::functions::Scalar;
use j1ql_semantics::ir::{Aggregate, Expr, MathOp};
use serde_json::Value;

use crate::bindings::{Bindings, Bound, Lookup, RowLookup};
use crate::json;
use crate::resolve::ValueContext;
use crate::row::Row;

/// A row-level expression's value (aggregates, which need a group, give `null` here).
pub fn eval_expr(expr: &Expr, lookup: &RowLookup<'_, '_>, cx: &ValueContext) -> Value {
    let graph = lookup.graph;
    match expr {
        Expr::Selector(name) => match lookup.bound(&name.text) {
            Some(Bound::Entity(id)) => json::entity(graph, id),
            Some(Bound::Relationship(id)) => json::relationship(graph, id),
            None => Value::Null,
        },
        Expr::Field(p) => lookup
            .get(p.alias.as_deref(), &p.key)
            .map(|v| graph.value_to_json(&v))
            .unwrap_or(Value::Null),
        Expr::AllFields(_) | Expr::Star | Expr::Aggregate { .. } => Value::Null,
        Expr::Literal(v) => literal(v, cx),
        Expr::Neg(e) => match number(&eval_expr(e, lookup, cx)) {
            Some(n) => num(-n),
            None => Value::Null,
        },
        Expr::Binary { op, lhs, rhs } => math(
            *op,
            &eval_expr(lhs, lookup, cx),
            &eval_expr(rhs, lookup, cx),
        ),
        Expr::Call { func, args } => {
            let values: Vec<Value> = args.iter().map(|a| eval_expr(a, lookup, cx)).collect();
            call(*func, &values)
        }
    }
}

fn literal(v: &j1ql_semantics::ir::Value, cx: &ValueContext) -> Value {
    use j1ql_semantics::ir::Value as V;
    match v {
        V::String(s) => Value::String(s.clone()),
        V::Number(n) => num(*n),
        V::Bool(b) => Value::Bool(*b),
        V::Date(ms) => num(*ms as f64),
        V::RelativeDate { amount, unit } => num(crate::resolve::shift(cx.now_ms, *amount, *unit)),
        V::Param { name, .. } => cx.params.get(name).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// A JSON number from an `f64` (integral values print without a fraction).
pub use crate::numeric::num;

/// Math and the numeric functions read numbers and dates (ISO strings as epoch ms).
fn number(v: &Value) -> Option<f64> {
    crate::numeric::json_number(v)
}

fn math(op: MathOp, a: &Value, b: &Value) -> Value {
    let (Some(x), Some(y)) = (number(a), number(b)) else {
        return Value::Null;
    };
    let r = match op {
        MathOp::Add => x + y,
        MathOp::Sub => x - y,
        MathOp::Mul => x * y,
        MathOp::Div if y == 0.0 => return Value::Null,
        MathOp::Div => x / y,
        MathOp::Pow => x.powf(y),
    };
    if r.is_finite() {
        num(r)
    } else {
        Value::Null
    }
}

/// The text CONCAT uses for a value: strings as they are, numbers and booleans converted,
/// absent values empty, arrays joined with `,`.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A scalar function (the table of them is `j1ql_semantics::functions`).
fn call(func: Scalar, args: &[Value]) -> Value {
    let first_number = || args.first().and_then(number);
    let unary = |f: fn(f64) -> f64| first_number().map(|n| num(f(n))).unwrap_or(Value::Null);
    match func {
        Scalar::Concat => Value::String(args.iter().map(text).collect()),
        Scalar::Merge => {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for v in args {
                let items: Vec<&Value> = match v {
                    Value::Array(items) => items.iter().collect(),
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                for item in items {
                    if seen.insert(item.to_string()) {
                        out.push(item.clone());
                    }
                }
            }
            Value::Array(out)
        }
        Scalar::Coalesce => args
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        Scalar::Round => {
            let digits = args.get(1).and_then(number).unwrap_or(0.0).clamp(0.0, 15.0);
            let scale = 10f64.powi(digits as i32);
            first_number()
                .map(|n| num((n * scale).round() / scale))
                .unwrap_or(Value::Null)
        }
        Scalar::Abs => unary(f64::abs),
        Scalar::Ceil => unary(f64::ceil),
        Scalar::Floor => unary(f64::floor),
        Scalar::Sqrt => first_number()
            .filter(|n| *n >= 0.0)
            .map(|n| num(n.sqrt()))
            .unwrap_or(Value::Null),
    }
}

/// A column's value over a group of rows: aggregates over the group, anything else from the
/// group's first row (those are the grouping columns).
pub fn aggregate_value(
    expr: &Expr,
    rows: &[&Row],
    graph: &Graph,
    bindings: &Bindings,
    cx: &ValueContext,
) -> Value {
    let lookup_of = |row: &'_ Row| -> Value {
        let lookup = RowLookup {
            graph,
            bindings,
            row,
        };
        eval_expr(expr, &lookup, cx)
    };
    match expr {
        Expr::Aggregate { func, arg } => aggregate(*func, arg.as_deref(), rows, graph, bindings),
        Expr::Binary { op, lhs, rhs } => math(
            *op,
            &aggregate_value(lhs, rows, graph, bindings, cx),
            &aggregate_value(rhs, rows, graph, bindings, cx),
        ),
        Expr::Neg(e) => match number(&aggregate_value(e, rows, graph, bindings, cx)) {
            Some(n) => num(-n),
            None => Value::Null,
        },
        Expr::Call { func, args } => {
            let values: Vec<Value> = args
                .iter()
                .map(|a| aggregate_value(a, rows, graph, bindings, cx))
                .collect();
            call(*func, &values)
        }
        _ => rows.first().map(|r| lookup_of(r)).unwrap_or(Value::Null),
    }
}

/// count/min/max/avg/sum over the distinct entities (or relationships) a group binds.
fn aggregate(
    func: Aggregate,
    arg: Option<&Expr>,
    rows: &[&Row],
    graph: &Graph,
    bindings: &Bindings,
) -> Value {
    let (alias, key) = match arg {
        Some(Expr::Selector(name)) => (Some(name.text.as_str()), None),
        Some(Expr::Field(p)) => (p.alias.as_deref(), Some(p.key.as_str())),
        _ => (None, None),
    };
    let Some(alias) = alias else {
        // count(*): the number of paths.
        return if func == Aggregate::Count {
            num(rows.len() as f64)
        } else {
            Value::Null
        };
    };
    let mut seen = HashSet::new();
    let mut values: Vec<f64> = Vec::new();
    let mut count = 0usize;
    for row in rows {
        let lookup = RowLookup {
            graph,
            bindings,
            row,
        };
        let Some(bound) = lookup.bound(alias) else {
            continue;
        };
        if !seen.insert(bound) {
            continue;
        }
        match key {
            None => count += 1,
            Some(key) => {
                let Some(value) = lookup.get(Some(alias), key) else {
                    continue;
                };
                let elements = value.elements();
                count += elements.len();
                values.extend(
                    elements
                        .iter()
                        .filter_map(|e| crate::numeric::prop_number(graph, e)),
                );
            }
        }
    }
    match func {
        Aggregate::Count => num(count as f64),
        Aggregate::Sum => num(values.iter().sum()),
        Aggregate::Min => values
            .iter()
            .copied()
            .reduce(f64::min)
            .map(num)
            .unwrap_or(Value::Null),
        Aggregate::Max => values
            .iter()
            .copied()
            .reduce(f64::max)
            .map(num)
            .unwrap_or(Value::Null),
        Aggregate::Avg if values.is_empty() => Value::Null,
        Aggregate::Avg => num(values.iter().sum::<f64>() / values.len() as f64),
    }
}
