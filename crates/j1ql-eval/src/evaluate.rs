//! Evaluating a lowered query: paths, WHERE, ordering, paging and the three result shapes.

use std::cmp::Ordering;
use std::collections::HashSet;

use j1ql_graph::{EntityId, Graph, PropValue};
use j1ql_semantics::ir::{self, OrderTarget};
use j1ql_semantics::smart_classes::SmartClasses;
use serde_json::{Map, Value};

use crate::bindings::{Bindings, Lookup, RowLookup};
use crate::budget::Budget;
use crate::error::EvalError;
use crate::exec::enumerate_with;
use crate::exec::group::{GroupSpec, Groups};
use crate::filter::Filter;
use crate::functions::{aggregate_value, eval_expr};
use crate::optimize::streamed_grouping::group_spec;
use crate::output;
pub use crate::output::QueryResult;
use crate::plan::{Plan, PlanChoice};
use crate::resolve::ValueContext;
use crate::row::{Row, Slots, NONE};

/// Everything an evaluation needs besides the query and the graph.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Clock and parameters.
    pub values: ValueContext,
    /// Smart-class definitions.
    pub smart_classes: SmartClasses,
    /// Work and size limits.
    pub budget: Budget,
    /// Where the walk is planned from (tests force each choice to compare the results).
    pub plan: PlanChoice,
    /// Keep every path as a row and group afterwards even when the grouped counts could be
    /// streamed ([`crate::exec::group`]); tests compare the two.
    pub materialise_rows: bool,
}

/// Runs a lowered query over a graph.
pub fn evaluate(
    query: &ir::Query,
    graph: &Graph,
    options: &EvalOptions,
) -> Result<QueryResult, EvalError> {
    let cx = &options.values;
    let paged = cx.resolve_paging(query)?;
    let query = paged.as_ref().unwrap_or(query);
    let plan = Plan::compile(query, graph, cx, &options.smart_classes, options.plan)?;
    let bindings = Bindings::of(query);
    let spec = group_spec(query, &plan, graph, &bindings, cx, options.materialise_rows);
    let walk = enumerate_with(&plan, graph, &options.budget, spec.as_ref())?;
    let eval = Evaluation {
        query,
        graph,
        bindings: &bindings,
        cx,
    };
    if let (Some(count), ir::Return::Columns(columns)) = (walk.count, &query.returns) {
        // Every column is `count(start)` and every WHERE conjunct was pushed down: the walk
        // counted the starting entities with a path instead of keeping rows.
        let record: Map<String, Value> = columns
            .iter()
            .map(|c| (c.name.clone(), Value::from(count)))
            .collect();
        return eval.finish_table(vec![record], &[], columns);
    }
    if let (Some(groups), Some(spec), ir::Return::Columns(columns)) =
        (walk.groups, &spec, &query.returns)
    {
        return eval.grouped_table(groups, spec, columns);
    }
    let mut rows = walk.rows;
    // When every WHERE conjunct was pushed down, the walk already checked each of them on
    // every path it kept (the same compiled filter), so the row filter would only repeat them.
    if let Some(w) = query.where_filter.as_ref().filter(|_| !plan.where_pushed) {
        let filter = Filter::compile_row(w, graph, cx, &bindings)?;
        // No `This` source in a row filter: every property reads a slot (or nothing).
        rows.retain(|row| filter.eval(graph, EntityId(NONE), Slots::row(row)));
    }
    match &query.returns {
        ir::Return::Default => {
            let rows = eval.order_and_page(rows, None);
            Ok(output::list(graph, &rows))
        }
        ir::Return::Tree => {
            let rows = eval.order_and_page(rows, None);
            Ok(output::tree(graph, &rows))
        }
        ir::Return::Columns(columns) => {
            if columns.iter().any(|c| c.expr.has_aggregate()) {
                eval.aggregate_table(rows, columns)
            } else {
                let rows = eval.order_and_page(rows, Some(columns));
                Ok(QueryResult::Table(output::plain_table(
                    graph,
                    &bindings,
                    cx,
                    &rows,
                    columns,
                    query.unique,
                )))
            }
        }
    }
}

struct Evaluation<'a> {
    query: &'a ir::Query,
    graph: &'a Graph,
    bindings: &'a Bindings,
    cx: &'a ValueContext,
}

impl Evaluation<'_> {
    fn lookup<'r>(&'r self, row: &'r Row) -> RowLookup<'r, 'r> {
        RowLookup {
            graph: self.graph,
            bindings: self.bindings,
            row,
        }
    }

    /// Sorts rows by ORDER BY, then keeps the rows of the page of starting entities.
    fn order_and_page(&self, mut rows: Vec<Row>, columns: Option<&[ir::Column]>) -> Vec<Row> {
        if !self.query.order_by.is_empty() {
            let keys: Vec<Vec<Value>> = rows
                .iter()
                .map(|row| {
                    self.query
                        .order_by
                        .iter()
                        .map(|k| self.order_value(row, &k.key, columns))
                        .collect()
                })
                .collect();
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|a, b| compare_keys(&keys[*a], &keys[*b], &self.query.order_by));
            let mut sorted: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
            rows = order.into_iter().filter_map(|i| sorted[i].take()).collect();
        }
        let roots = output::distinct(rows.iter().map(|r| r.root));
        let page: HashSet<u32> = roots
            .into_iter()
            .skip(self.query.skip as usize)
            .take(self.query.limit as usize)
            .collect();
        rows.retain(|r| page.contains(&r.root));
        rows
    }

    /// A row's sort key (a date string sorts as its epoch milliseconds).
    fn order_value(&self, row: &Row, key: &OrderTarget, columns: Option<&[ir::Column]>) -> Value {
        crate::numeric::sort_key(self.order_field(row, key, columns))
    }

    fn order_field(&self, row: &Row, key: &OrderTarget, columns: Option<&[ir::Column]>) -> Value {
        match key {
            OrderTarget::Field(p) => self
                .lookup(row)
                .get(p.alias.as_deref(), &p.key)
                .map(|v| self.graph.value_to_json(&v))
                .unwrap_or(Value::Null),
            OrderTarget::Column(name) => columns
                .and_then(|cols| cols.iter().find(|c| c.name == name.text))
                .map(|c| eval_expr(&c.expr, &self.lookup(row), self.cx))
                .unwrap_or(Value::Null),
        }
    }

    /// Grouped aggregates over complete rows: grouped by the non-aggregate columns
    /// ([`GroupSpec::rows`], the same grouping the walk streams), then as
    /// [`Evaluation::grouped_table`].
    fn aggregate_table(
        &self,
        rows: Vec<Row>,
        columns: &[ir::Column],
    ) -> Result<QueryResult, EvalError> {
        let spec = GroupSpec::rows(columns, self.bindings, self.cx);
        let mut groups = Groups::default();
        for row in &rows {
            groups.add(&spec, self.graph, row);
        }
        self.grouped_table(groups, &spec, columns)
    }

    /// The table of finished groups (all-aggregate returns over no path give one row, of
    /// zeros for counts), then HAVING, ORDER BY and paging of rows.
    fn grouped_table(
        &self,
        groups: Groups,
        spec: &GroupSpec<'_>,
        columns: &[ir::Column],
    ) -> Result<QueryResult, EvalError> {
        let groups = groups.finish(spec, self.graph);
        debug_assert_eq!(columns.len(), spec.width());
        let mut table = Vec::with_capacity(groups.len().max(1));
        let mut firsts = Vec::with_capacity(groups.len());
        for g in groups {
            table.push(
                columns
                    .iter()
                    .map(|c| c.name.clone())
                    .zip(g.values)
                    .collect(),
            );
            firsts.push(g.first);
        }
        if table.is_empty() && !columns.iter().any(|c| !c.expr.has_aggregate()) {
            let empty: Vec<&Row> = Vec::new();
            table.push(
                columns
                    .iter()
                    .map(|c| {
                        let v =
                            aggregate_value(&c.expr, &empty, self.graph, self.bindings, self.cx);
                        (c.name.clone(), v)
                    })
                    .collect(),
            );
        }
        let first_rows: Vec<Option<&Row>> = firsts.iter().map(Some).collect();
        self.finish_table(table, &first_rows, columns)
    }

    /// HAVING, ORDER BY and paging of an aggregate table (`first_rows`: the first row of each
    /// group, for ORDER BY on fields; missing when the rows were only counted).
    fn finish_table(
        &self,
        mut table: Vec<Map<String, Value>>,
        first_rows: &[Option<&Row>],
        columns: &[ir::Column],
    ) -> Result<QueryResult, EvalError> {
        if let Some(having) = &self.query.having {
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            let filter = Filter::compile_having(having, self.graph, self.cx, &names)?;
            table.retain(|record| {
                let values: Vec<Option<PropValue>> = names
                    .iter()
                    .map(|n| record.get(*n).and_then(|v| column_prop(self.graph, v)))
                    .collect();
                let slots = Slots {
                    columns: &values,
                    ..Slots::EMPTY
                };
                filter.eval(self.graph, EntityId(NONE), slots)
            });
        }
        if !self.query.order_by.is_empty() {
            let mut keyed: Vec<(Vec<Value>, Map<String, Value>)> = table
                .into_iter()
                .zip(first_rows.iter().copied().chain(std::iter::repeat(None)))
                .map(|(record, first)| {
                    let key = self
                        .query
                        .order_by
                        .iter()
                        .map(|k| match &k.key {
                            OrderTarget::Column(name) => {
                                record.get(&name.text).cloned().unwrap_or(Value::Null)
                            }
                            OrderTarget::Field(_) => first
                                .map(|r| self.order_value(r, &k.key, Some(columns)))
                                .unwrap_or(Value::Null),
                        })
                        .collect();
                    (key, record)
                })
                .collect();
            keyed.sort_by(|a, b| compare_keys(&a.0, &b.0, &self.query.order_by));
            table = keyed.into_iter().map(|(_, r)| r).collect();
        }
        Ok(QueryResult::Table(
            table
                .into_iter()
                .skip(self.query.skip as usize)
                .take(self.query.limit as usize)
                .collect(),
        ))
    }
}

/// A column's value as a property value. Strings are the graph's interned strings (a string the
/// graph does not hold, such as a CONCAT result, reads as absent).
fn column_prop(graph: &Graph, value: &Value) -> Option<PropValue> {
    Some(match value {
        Value::Number(n) => PropValue::Number(n.as_f64()?),
        Value::Bool(b) => PropValue::Bool(*b),
        Value::String(s) => PropValue::String(graph.sym(s)?),
        Value::Array(items) => PropValue::Array(Box::new(
            items.iter().filter_map(|v| column_prop(graph, v)).collect(),
        )),
        Value::Null | Value::Object(_) => return None,
    })
}

fn compare_keys(a: &[Value], b: &[Value], keys: &[ir::OrderKey]) -> Ordering {
    for ((x, y), key) in a.iter().zip(b).zip(keys) {
        let ord = compare_json(x, y);
        let ord = if key.descending { ord.reverse() } else { ord };
        // Missing values sort last whichever the direction.
        let ord = match (x.is_null(), y.is_null()) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => ord,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// A total order on JSON values: numbers, then strings, then booleans, then the rest.
pub fn compare_json(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            Value::Bool(_) => 2,
            Value::Array(_) | Value::Object(_) => 3,
            Value::Null => 4,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => rank(a)
            .cmp(&rank(b))
            .then_with(|| a.to_string().cmp(&b.to_string())),
    }
}
