//! Filters compiled for evaluation: values resolved once, properties looked up per entity or
//! per row.

use std::borrow::Cow;

use j1ql_graph::{Graph, PropValue};
use j1ql_semantics::ir::{self, CompareOp};

use crate::compare::{compare, RValue};
use crate::error::EvalError;
use crate::resolve::ValueContext;

/// A property reference: an optional alias and a flat key.
#[derive(Debug, Clone)]
pub struct PropRef {
    /// The alias (WHERE) or `None` (WITH).
    pub alias: Option<String>,
    /// The key.
    pub key: String,
}

impl From<&ir::PropertyRef> for PropRef {
    fn from(p: &ir::PropertyRef) -> Self {
        PropRef {
            alias: p.alias.clone(),
            key: p.key.clone(),
        }
    }
}

/// The right-hand side of a compiled comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A constant.
    Const(RValue),
    /// Another property (WHERE).
    Prop(PropRef),
}

/// A compiled filter.
#[derive(Debug, Clone)]
pub enum Filter {
    /// All hold.
    And(Vec<Filter>),
    /// Any holds.
    Or(Vec<Filter>),
    /// One comparison.
    Compare {
        /// The property.
        prop: PropRef,
        /// The operator.
        op: CompareOp,
        /// The value.
        value: Operand,
    },
}

/// Looks a property up: `(alias, key)` → value. Borrowed when stored, owned for metadata.
pub trait Lookup<'g> {
    /// The value of `key` on what `alias` names (or on the entity being filtered).
    fn get(&self, alias: Option<&str>, key: &str) -> Option<Cow<'g, PropValue>>;
}

impl Filter {
    /// Compiles an IR filter, resolving every constant.
    pub fn compile(filter: &ir::Filter, cx: &ValueContext) -> Result<Filter, EvalError> {
        Ok(match filter {
            ir::Filter::And(v) => Filter::And(
                v.iter()
                    .map(|f| Filter::compile(f, cx))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Or(v) => Filter::Or(
                v.iter()
                    .map(|f| Filter::compile(f, cx))
                    .collect::<Result<_, _>>()?,
            ),
            ir::Filter::Compare(c) => Filter::Compare {
                prop: (&c.property).into(),
                op: c.op,
                value: match &c.value {
                    ir::Value::Property(p) => Operand::Prop(p.into()),
                    v => Operand::Const(cx.resolve(v)?),
                },
            },
        })
    }

    /// Whether the filter holds.
    pub fn eval<'g>(&self, graph: &'g Graph, lookup: &impl Lookup<'g>) -> bool {
        match self {
            Filter::And(v) => v.iter().all(|f| f.eval(graph, lookup)),
            Filter::Or(v) => v.iter().any(|f| f.eval(graph, lookup)),
            Filter::Compare { prop, op, value } => {
                let left = lookup.get(prop.alias.as_deref(), &prop.key);
                match value {
                    Operand::Const(v) => compare(graph, left.as_deref(), *op, v),
                    Operand::Prop(other) => {
                        let right = lookup.get(other.alias.as_deref(), &other.key);
                        let right = RValue::from_prop(graph, right.as_deref());
                        compare(graph, left.as_deref(), *op, &right)
                    }
                }
            }
        }
    }
}
