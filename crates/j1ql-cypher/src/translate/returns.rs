//! RETURN, ORDER BY, SKIP and LIMIT: J1's list of starting entities, or its table.
//!
//! J1 pages the *starting entities* (default LIMIT 250, docs/contracts.md#run): a list
//! query is `WITH DISTINCT n0 … SKIP … LIMIT … RETURN n0`; a table keeps every path of the
//! starting entities on the page, so its rows are collected per starting entity, paged, then
//! unwound.

use j1ql_semantics::ir::{Aggregate, Column, Expr, Query, Return};

use super::filter::property;
use super::pattern::Body;
use super::scope::Scope;
use crate::text::ident;
use crate::Refusal;

/// The clauses after the MATCH part, and the column names of a table.
pub(crate) fn tail(
    query: &Query,
    body: &Body,
    scope: &mut Scope,
) -> Result<(Vec<String>, Option<Vec<String>>), Refusal> {
    let page = page(query);
    match &query.returns {
        Return::Default => {
            let mut out = vec!["WITH DISTINCT n0".to_string()];
            out.extend(order_by(query, scope)?);
            out.push(format!("{page}RETURN n0"));
            Ok((out, None))
        }
        Return::Columns(columns) if columns.iter().any(|c| c.expr.has_aggregate()) => {
            aggregate_table(query, columns, scope, &page)
        }
        Return::Columns(columns) => {
            let _ = body;
            plain_table(query, columns, scope, &page)
        }
        Return::Tree => Err(Refusal::new("RETURN TREE", "not a row result")),
    }
}

fn page(query: &Query) -> String {
    let skip = if query.skip > 0 {
        format!("SKIP {} ", query.skip)
    } else {
        String::new()
    };
    format!("{skip}LIMIT {}\n", query.limit)
}

/// ORDER BY: refused until dates are read in Cypher (J1 sorts date strings as dates; numbers,
/// then strings, then booleans; missing values last in both directions).
fn order_by(query: &Query, _scope: &mut Scope) -> Result<Vec<String>, Refusal> {
    if query.order_by.is_empty() {
        Ok(Vec::new())
    } else {
        Err(super::filter::date_string_refusal("ORDER BY"))
    }
}

/// One column's value on one path.
fn value(expr: &Expr, scope: &mut Scope) -> Result<String, Refusal> {
    Ok(match expr {
        Expr::Selector(name) => scope.var(&name.text)?,
        Expr::Field(p) => property(p, Some("n0"), scope)?,
        other => {
            return Err(Refusal::new(
                format!("RETURN {}", describe(other)),
                "not translated yet",
            ))
        }
    })
}

fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::AllFields(_) => "`alias.*`",
        Expr::Call { .. } => "a scalar function",
        Expr::Binary { .. } | Expr::Neg(_) => "arithmetic",
        Expr::Literal(_) => "a constant",
        Expr::Aggregate { .. } => "this aggregate",
        _ => "this expression",
    }
}

fn plain_table(
    query: &Query,
    columns: &[Column],
    scope: &mut Scope,
    page: &str,
) -> Result<(Vec<String>, Option<Vec<String>>), Refusal> {
    let values = columns
        .iter()
        .map(|c| value(&c.expr, scope))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = vec![format!("WITH n0, collect([{}]) AS rows", values.join(", "))];
    out.extend(order_by(query, scope)?);
    out.push(format!("{page}UNWIND rows AS row"));
    let distinct = if query.unique { "DISTINCT " } else { "" };
    let cols: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("row[{i}] AS {}", ident(&c.name)))
        .collect();
    out.push(format!("RETURN {distinct}{}", cols.join(", ")));
    Ok((out, Some(columns.iter().map(|c| c.name.clone()).collect())))
}

/// Aggregates: `count(alias)` counts distinct entities (docs/semantics.md decision 9);
/// grouping is by every other column; the page applies to the rows.
fn aggregate_table(
    query: &Query,
    columns: &[Column],
    scope: &mut Scope,
    page: &str,
) -> Result<(Vec<String>, Option<Vec<String>>), Refusal> {
    if !query.order_by.is_empty() {
        return Err(Refusal::new(
            "ORDER BY with aggregates",
            "not translated yet",
        ));
    }
    let mut cols = Vec::new();
    for c in columns {
        let v = match &c.expr {
            Expr::Aggregate {
                func: Aggregate::Count,
                arg: Some(arg),
            } => match arg.as_ref() {
                Expr::Selector(name) => format!("count(DISTINCT {})", scope.var(&name.text)?),
                _ => {
                    return Err(Refusal::new(
                        "count of a field or `*`",
                        "not translated yet",
                    ))
                }
            },
            e if e.has_aggregate() => {
                return Err(Refusal::new(
                    "an aggregate other than count(alias)",
                    "not translated yet (J1 aggregates the distinct entities' numeric values, \
                     reading date strings as dates)",
                )
                .at(format!("`{}`", c.name)))
            }
            e => value(e, scope)?,
        };
        cols.push(format!("{v} AS {}", ident(&c.name)));
    }
    let distinct = if query.unique { "DISTINCT " } else { "" };
    let mut out = vec![format!("WITH {distinct}{}", cols.join(", "))];
    let names: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
    out.push(format!("RETURN {}", names.join(", ")));
    out.push(page.trim_end().to_string());
    Ok((out, Some(columns.iter().map(|c| c.name.clone()).collect())))
}
