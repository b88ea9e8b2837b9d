//! Evaluating a lowered query: paths, WHERE, ordering, paging and the three result shapes.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use j1ql_graph::{EntityId, Graph, RelId};
use j1ql_semantics::ir::{self, Expr, OrderTarget};
use j1ql_semantics::smart_classes::SmartClasses;
use serde_json::{Map, Value};

use crate::bindings::{Bindings, Bound, RowLookup};
use crate::error::EvalError;
use crate::filter::{Filter, Lookup};
use crate::functions::{aggregate_value, eval_expr};
use crate::json;
use crate::paths::{enumerate_with, Budget, Plan, Row};
use crate::reduce::PlanChoice;
use crate::resolve::ValueContext;
use crate::stream::GroupSpec;

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
    /// streamed ([`crate::stream`]); tests compare the two.
    pub materialise_rows: bool,
}

/// A result in JupiterOne's shapes (docs/contracts.md#run).
#[derive(Debug, Clone, PartialEq)]
pub enum QueryResult {
    /// Entities in the list-item form.
    List(Vec<Value>),
    /// Rows keyed by column name, columns in RETURN order.
    Table(Vec<Map<String, Value>>),
    /// `RETURN TREE`.
    Tree {
        /// Entities in the list-item form.
        vertices: Vec<Value>,
        /// Relationships as tree edges.
        edges: Vec<Value>,
    },
}

impl QueryResult {
    /// The J1 JSON document: `{"type": "list"|"table"|"tree", "data": ...}`.
    pub fn to_json(&self) -> Value {
        let (kind, data) = match self {
            QueryResult::List(items) => ("list", Value::Array(items.clone())),
            QueryResult::Table(rows) => (
                "table",
                Value::Array(rows.iter().cloned().map(Value::Object).collect()),
            ),
            QueryResult::Tree { vertices, edges } => {
                let mut m = Map::new();
                m.insert("vertices".into(), Value::Array(vertices.clone()));
                m.insert("edges".into(), Value::Array(edges.clone()));
                ("tree", Value::Object(m))
            }
        };
        let mut out = Map::new();
        out.insert("type".into(), kind.into());
        out.insert("data".into(), data);
        Value::Object(out)
    }

    /// How many items, rows or vertices.
    pub fn len(&self) -> usize {
        match self {
            QueryResult::List(v) => v.len(),
            QueryResult::Table(v) => v.len(),
            QueryResult::Tree { vertices, .. } => vertices.len(),
        }
    }

    /// Whether the result is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
    let spec = group_spec(query, &plan, graph, &bindings, options);
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
        let mut groups = groups.finish(spec);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        debug_assert_eq!(names.len(), spec.width());
        let mut table = Vec::with_capacity(groups.len().max(1));
        let mut firsts = Vec::with_capacity(groups.len());
        for g in groups.drain(..) {
            table.push(names.iter().map(|n| n.to_string()).zip(g.values).collect());
            firsts.push(g.first);
        }
        if table.is_empty() && !columns.iter().any(|c| !c.expr.has_aggregate()) {
            // All aggregates over no path: one row of zeros, as the row-based grouping gives.
            let empty: Vec<&Row> = Vec::new();
            table.push(
                columns
                    .iter()
                    .map(|c| {
                        let v = aggregate_value(&c.expr, &empty, graph, &bindings, cx);
                        (c.name.clone(), v)
                    })
                    .collect(),
            );
        }
        let first_rows: Vec<Option<&Row>> = firsts.iter().map(Some).collect();
        return eval.finish_table(table, &first_rows, columns);
    }
    let mut rows = walk.rows;
    // When every WHERE conjunct was pushed down, the walk already checked each of them on
    // every path it kept (same semantics, `FFilter`), so the row filter would only repeat them.
    if let Some(w) = query.where_filter.as_ref().filter(|_| !plan.where_pushed) {
        let filter = Filter::compile(w, cx)?;
        rows.retain(|row| {
            filter.eval(
                graph,
                &RowLookup {
                    graph,
                    bindings: &bindings,
                    row,
                },
            )
        });
    }
    match &query.returns {
        ir::Return::Default => {
            let rows = eval.order_and_page(rows, None);
            let roots = distinct(rows.iter().map(|r| r.root));
            Ok(QueryResult::List(
                roots
                    .into_iter()
                    .map(|id| json::entity(graph, EntityId(id)))
                    .collect(),
            ))
        }
        ir::Return::Tree => {
            let rows = eval.order_and_page(rows, None);
            Ok(eval.tree(&rows))
        }
        ir::Return::Columns(columns) => {
            if columns.iter().any(|c| c.expr.has_aggregate()) {
                eval.aggregate_table(rows, columns)
            } else {
                let rows = eval.order_and_page(rows, Some(columns));
                Ok(QueryResult::Table(eval.plain_table(&rows, columns)))
            }
        }
    }
}

/// The streamed grouped counts for `query`, when they apply: every WHERE conjunct runs inside
/// the walk (no row filter afterwards), the walk keeps every path, and the columns allow it
/// ([`GroupSpec::of`]).
pub(crate) fn group_spec<'q>(
    query: &'q ir::Query,
    plan: &Plan,
    graph: &Graph,
    bindings: &'q Bindings,
    options: &'q EvalOptions,
) -> Option<GroupSpec<'q>> {
    match &query.returns {
        ir::Return::Columns(columns)
            if plan.where_pushed
                && plan.mode == crate::paths::Mode::Paths
                && !options.materialise_rows
                && columns.iter().any(|c| c.expr.has_aggregate()) =>
        {
            GroupSpec::of(columns, graph, bindings, &options.values)
        }
        _ => None,
    }
}

struct Evaluation<'a> {
    query: &'a ir::Query,
    graph: &'a Graph,
    bindings: &'a Bindings,
    cx: &'a ValueContext,
}

fn distinct(ids: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
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
        let roots = distinct(rows.iter().map(|r| r.root));
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

    fn tree(&self, rows: &[Row]) -> QueryResult {
        let mut entities: Vec<u32> = Vec::new();
        let mut rels: Vec<u32> = Vec::new();
        for row in rows {
            entities.extend(row.entities.iter().chain(&row.optionals));
            rels.extend(row.relationships.iter());
        }
        let entities = distinct(entities.into_iter().filter(|e| *e != crate::paths::NONE));
        let rels = distinct(rels.into_iter().filter(|r| *r != crate::paths::NONE));
        QueryResult::Tree {
            vertices: entities
                .into_iter()
                .map(|e| json::entity(self.graph, EntityId(e)))
                .collect(),
            edges: rels
                .into_iter()
                .map(|r| json::edge(self.graph, RelId(r)))
                .collect(),
        }
    }

    fn plain_table(&self, rows: &[Row], columns: &[ir::Column]) -> Vec<Map<String, Value>> {
        let mut out = Vec::with_capacity(rows.len());
        let mut seen = HashSet::new();
        for row in rows {
            let lookup = self.lookup(row);
            let mut record = Map::new();
            for column in columns {
                if let Expr::AllFields(alias) = &column.expr {
                    self.spread(&lookup, &alias.text, &mut record);
                } else {
                    record.insert(
                        column.name.clone(),
                        eval_expr(&column.expr, &lookup, self.cx),
                    );
                }
            }
            if self.query.unique && !seen.insert(Value::Object(record.clone()).to_string()) {
                continue;
            }
            out.push(record);
        }
        out
    }

    /// `alias.*`: every property and metadata property as `alias.NAME` columns.
    fn spread(&self, lookup: &RowLookup<'_, '_>, alias: &str, record: &mut Map<String, Value>) {
        let value = match lookup.bound(alias) {
            Some(Bound::Entity(id)) => self.graph.entity(id).to_json(),
            Some(Bound::Relationship(id)) => self.graph.relationship(id).to_json(),
            None => Value::Null,
        };
        if let Value::Object(map) = value {
            for (k, v) in map {
                record.insert(format!("{alias}.{k}"), v);
            }
        }
    }

    /// Grouped aggregates: rows grouped by the non-aggregate columns (all-aggregate returns
    /// one row over the whole traversal), HAVING, ORDER BY on columns, then paging of rows.
    fn aggregate_table(
        &self,
        rows: Vec<Row>,
        columns: &[ir::Column],
    ) -> Result<QueryResult, EvalError> {
        let keys: Vec<&ir::Column> = columns.iter().filter(|c| !c.expr.has_aggregate()).collect();
        let mut groups: Vec<(Vec<Value>, Vec<&Row>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in &rows {
            let lookup = self.lookup(row);
            let key: Vec<Value> = keys
                .iter()
                .map(|c| eval_expr(&c.expr, &lookup, self.cx))
                .collect();
            let text = Value::Array(key.clone()).to_string();
            let i = *index.entry(text).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(row);
        }
        if groups.is_empty() && keys.is_empty() {
            groups.push((Vec::new(), Vec::new()));
        }
        let table: Vec<Map<String, Value>> = groups
            .iter()
            .map(|(_, members)| {
                let mut record = Map::new();
                for column in columns {
                    let value =
                        aggregate_value(&column.expr, members, self.graph, self.bindings, self.cx);
                    record.insert(column.name.clone(), value);
                }
                record
            })
            .collect();
        let first_rows: Vec<Option<&Row>> =
            groups.iter().map(|(_, m)| m.first().copied()).collect();
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
            let filter = Filter::compile(having, self.cx)?;
            table.retain(|record| {
                let lookup = ColumnLookup {
                    record,
                    graph: self.graph,
                };
                filter.eval(self.graph, &lookup)
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

/// HAVING looks properties up among the row's columns.
struct ColumnLookup<'a, 'g> {
    record: &'a Map<String, Value>,
    graph: &'g Graph,
}

/// A column's value as a property value. Strings are the graph's interned strings (a string the
/// graph does not hold, such as a CONCAT result, reads as absent).
fn column_prop(graph: &Graph, value: &Value) -> Option<j1ql_graph::PropValue> {
    use j1ql_graph::PropValue;
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

impl<'g> Lookup<'g> for ColumnLookup<'_, 'g> {
    fn get(
        &self,
        _alias: Option<&str>,
        key: &str,
    ) -> Option<std::borrow::Cow<'g, j1ql_graph::PropValue>> {
        column_prop(self.graph, self.record.get(key)?).map(std::borrow::Cow::Owned)
    }
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
