//! RETURN, ORDER BY, SKIP and LIMIT: J1's list of starting entities, or its table.
//!
//! J1 pages the *starting entities* (default LIMIT 250, docs/contracts.md#run): a list
//! query is `WITH DISTINCT n0 … SKIP … LIMIT … RETURN n0`; a table keeps every path of the
//! starting entities on the page, so its rows are collected per starting entity, paged, then
//! unwound.

use j1ql_semantics::ir::{Aggregate, Column, Expr, OrderTarget, Query, Return};

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

/// `ORDER BY` on fields of the starting entity, with J1's order: missing values last in both
/// directions; numbers, then strings, then booleans (reversed by DESC).
fn order_by(query: &Query, scope: &mut Scope) -> Result<Vec<String>, Refusal> {
    if query.order_by.is_empty() {
        return Ok(Vec::new());
    }
    let mut keys = Vec::new();
    for k in &query.order_by {
        let OrderTarget::Field(p) = &k.key else {
            return Err(Refusal::new(
                "ORDER BY a column",
                "J1 sorts the rows by the column, then pages the starting entities",
            ));
        };
        let var = match &p.alias {
            Some(a) => scope.var(a)?,
            None => "n0".into(),
        };
        if var != "n0" {
            return Err(Refusal::new(
                format!("ORDER BY {}.{}", p.alias.as_deref().unwrap_or(""), p.key),
                "J1 sorts the paths by a field of a later entity, then pages the starting entities",
            ));
        }
        let x = property(p, Some("n0"), scope)?;
        let dir = if k.descending { " DESC" } else { "" };
        keys.push(format!("{x} IS NULL"));
        keys.push(format!(
            "CASE WHEN {x} IS NULL THEN 4 WHEN {x} = true OR {x} = false THEN 2 \
             WHEN toString({x}) = {x} THEN 1 ELSE 0 END{dir}"
        ));
        keys.push(format!("{x}{dir}"));
    }
    Ok(vec![format!("ORDER BY {}", keys.join(", "))])
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
                    format!("`{}`", c.name),
                    "only count(alias) is translated so far",
                ))
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
