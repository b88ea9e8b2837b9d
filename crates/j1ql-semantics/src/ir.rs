//! The query IR: what a query means, resolved from its syntax.
//!
//! Every piece keeps the source range it came from, so diagnostics, hovers and code actions
//! can point back into the text. The IR is built by [`crate::lower`], which never fails: a
//! broken tree yields the parts that could be understood, plus diagnostics.

use j1ql_syntax::TextRange;
use serde::Serialize;

pub use j1ql_syntax::ast::{CompareOp, Direction, LogicOp, MathOp};

/// Default page size when a query gives no LIMIT (the spec: "up to 250 results by default").
pub const DEFAULT_LIMIT: u64 = 250;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Name {
    /// The text (for smart classes, without the `#`).
    pub text: String,
    /// Where it is.
    #[serde(skip)]
    pub range: TextRange,
}

/// One lowered query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    /// The whole query's range.
    #[serde(skip)]
    pub range: TextRange,
    /// `FIND UNIQUE`.
    pub unique: bool,
    /// The starting entity pattern.
    pub start: EntityPattern,
    /// Traversals and optional groups, in order.
    pub steps: Vec<Step>,
    /// Post-traversal filter.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_filter: Option<Filter>,
    /// What to return.
    #[serde(rename = "return")]
    pub returns: Return,
    /// Filter over returned (aggregated) columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub having: Option<Filter>,
    /// Sort keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order_by: Vec<OrderKey>,
    /// How many starting entities (or rows) to skip.
    pub skip: u64,
    /// How many to return ([`DEFAULT_LIMIT`] unless given).
    pub limit: u64,
    /// `SKIP ${ param.n }`: the parameter that gives `skip` at run time (`skip` is 0 until then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_param: Option<PageParam>,
    /// `LIMIT ${ param.n }`: the parameter that gives `limit` at run time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_param: Option<PageParam>,
    /// The aliases the query defines, explicit and implicit, in order.
    pub aliases: Vec<AliasDef>,
}

/// A parameter in SKIP or LIMIT: the spec allows parameters "in places that could otherwise
/// include a literal value", so its value (a whole number) is read when the query runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageParam {
    /// The name (`n` for `${ param.n }`).
    pub name: String,
    /// The placeholder as written.
    pub written: String,
    /// Where it is.
    #[serde(skip)]
    pub range: TextRange,
}

/// An entity pattern: a selector with its WITH filter and alias.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityPattern {
    /// What to match.
    pub selector: Selector,
    /// The WITH filter (several WITH clauses are joined with AND).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// The `AS` alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<Name>,
    /// Where the pattern is.
    #[serde(skip)]
    pub range: TextRange,
}

/// What an entity pattern matches. An empty selector (no `*`, class, type, smart class or
/// text) comes only from broken input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Selector {
    /// `*`: any entity.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any: bool,
    /// TitleCase names: `_class` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<Name>,
    /// snake_case names: `_type` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<Name>,
    /// `#Name` smart classes (without `#`), all of which must match.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub smart_classes: Vec<Name>,
    /// `FIND "text"`: full-text search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_text: Option<String>,
}

/// A step after the start.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // built once per query; boxing would only add noise
pub enum Step {
    /// `THAT verb target`.
    Traversal(Traversal),
    /// `( ... )? [AS alias]`.
    Optional(OptionalGroup),
}

/// `THAT [!]verbs [direction] [AS rel] target`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Traversal {
    /// `!`: entities that do NOT have such a relationship.
    pub negated: bool,
    /// The verbs, upper case. Empty means any relationship (`RELATES TO`).
    pub verbs: Vec<Name>,
    /// Which way the relationship must point.
    #[serde(serialize_with = "serialize_direction")]
    pub direction: Direction,
    /// `THAT ALLOWS AS rule ...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship_alias: Option<Name>,
    /// Where the traversal goes.
    pub target: EntityPattern,
    /// Where the traversal is.
    #[serde(skip)]
    pub range: TextRange,
}

fn serialize_direction<S: serde::Serializer>(d: &Direction, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match d {
        Direction::Outgoing => "outgoing",
        Direction::Incoming => "incoming",
        Direction::Both => "both",
    })
}

/// An optional traversal group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionalGroup {
    /// The traversals inside.
    pub steps: Vec<Step>,
    /// The alias of the union set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<Name>,
    /// Where the group is.
    #[serde(skip)]
    pub range: TextRange,
}

/// A boolean filter. AND/OR are n-ary and flattened (`a AND b AND c` is one `And`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// All must hold.
    And(Vec<Filter>),
    /// Any must hold.
    Or(Vec<Filter>),
    /// One comparison.
    Compare(Comparison),
}

/// `property op value` (a value-first comparison is turned around: `7 < x` is `x > 7`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The property compared.
    pub property: PropertyRef,
    /// The operator.
    #[serde(serialize_with = "serialize_op")]
    pub op: CompareOp,
    /// What it is compared with.
    pub value: Value,
    /// Where the comparison is.
    #[serde(skip)]
    pub range: TextRange,
}

fn serialize_op<S: serde::Serializer>(op: &CompareOp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(op.as_str())
}

/// A property of an entity or relationship: `tag.Production` in WITH, `u.email` in WHERE.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PropertyRef {
    /// The alias it belongs to (WHERE, RETURN, ORDER BY); `None` in WITH.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The flat property key (`tag.Production`, `_class`).
    pub key: String,
    /// Where it is.
    #[serde(skip)]
    pub range: TextRange,
}

/// A relative-date unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateUnit {
    /// 60 s
    Minute,
    /// 60 min
    Hour,
    /// 24 h
    Day,
    /// 7 days
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

impl DateUnit {
    /// Parses a unit as J1QL writes it (`hour hr hours hrs day days month mo months mos year
    /// yr years yrs`, plus `week(s)`/`wk(s)` and `minute(s)`/`min(s)` seen in real queries).
    /// Case-insensitive.
    pub fn parse(text: &str) -> Option<DateUnit> {
        Some(match text.to_ascii_lowercase().as_str() {
            "minute" | "minutes" | "min" | "mins" => DateUnit::Minute,
            "hour" | "hr" | "hours" | "hrs" => DateUnit::Hour,
            "day" | "days" => DateUnit::Day,
            "week" | "weeks" | "wk" | "wks" => DateUnit::Week,
            "month" | "mo" | "months" | "mos" => DateUnit::Month,
            "year" | "yr" | "years" | "yrs" => DateUnit::Year,
            _ => return None,
        })
    }

    /// Every spelling [`DateUnit::parse`] accepts (for "did you mean" and completion).
    pub const SPELLINGS: [&'static str; 22] = [
        "minute", "minutes", "min", "mins", "hour", "hr", "hours", "hrs", "day", "days", "week",
        "weeks", "wk", "wks", "month", "mo", "months", "mos", "year", "yr", "years", "yrs",
    ];
}

/// A value a property is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// A string.
    String(String),
    /// A number.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `undefined`: the property is absent.
    Undefined,
    /// A static date, as epoch milliseconds (UTC).
    Date(i64),
    /// `date.now` plus `amount` units (negative: in the past).
    RelativeDate {
        /// Signed amount.
        amount: f64,
        /// Unit (`None` for plain `date.now`).
        unit: Option<DateUnit>,
    },
    /// `/pattern/flags`.
    Regex {
        /// The pattern.
        pattern: String,
        /// The flags (`i`...).
        flags: String,
    },
    /// `${ param.name }` / `${name}` / `{{name}}`: a value given at run time.
    Param {
        /// The name (`loginUrl` for `${ param.loginUrl }`).
        name: String,
        /// The placeholder as written, so printing keeps the user's form.
        written: String,
    },
    /// `(a OR b)` / `(a AND b)`.
    Group {
        /// How the values combine.
        #[serde(serialize_with = "serialize_logic")]
        op: LogicOp,
        /// The values.
        values: Vec<Value>,
    },
    /// Another property (WHERE `nic.securityGroupIds = sg.groupId`).
    Property(PropertyRef),
}

fn serialize_logic<S: serde::Serializer>(op: &LogicOp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(op.as_str())
}

/// What a query returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "columns", rename_all = "snake_case")]
pub enum Return {
    /// No RETURN: the starting entities.
    Default,
    /// `RETURN TREE`.
    Tree,
    /// `RETURN columns`.
    Columns(Vec<Column>),
}

/// One returned column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The column's name: its `AS` alias, else its expression as written with single spaces.
    pub name: String,
    /// Whether the name came from `AS`.
    pub aliased: bool,
    /// What the column holds.
    pub expr: Expr,
    /// Where the item is.
    #[serde(skip)]
    pub range: TextRange,
}

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// count(x)
    Count,
    /// min(x.f)
    Min,
    /// max(x.f)
    Max,
    /// avg(x.f)
    Avg,
    /// sum(x.f)
    Sum,
}

impl Aggregate {
    /// Parses a function name (case-insensitive), through the functions table.
    pub fn parse(name: &str) -> Option<Aggregate> {
        crate::functions::lookup(name)?.aggregate()
    }

    /// The name as documented (`count`).
    pub fn name(self) -> &'static str {
        crate::functions::of_aggregate(self).name
    }
}

/// An expression in RETURN.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expr {
    /// A bare alias: the entity (or relationship) itself.
    Selector(Name),
    /// `alias.field`.
    Field(PropertyRef),
    /// `alias.*`: every property and metadata property.
    AllFields(Name),
    /// `count(x)`, `avg(x.f)`; the argument is a selector, a field or `*`.
    Aggregate {
        /// Which aggregate.
        func: Aggregate,
        /// Over what (`None` for `count(*)` or a missing argument).
        arg: Option<Box<Expr>>,
    },
    /// A scalar function (`CONCAT`, `ROUND`, ...; see [`crate::functions`]).
    Call {
        /// Which function.
        func: crate::functions::Scalar,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// Math.
    Binary {
        /// The operator.
        #[serde(serialize_with = "serialize_math")]
        op: MathOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `-x`.
    Neg(Box<Expr>),
    /// A constant.
    Literal(Value),
    /// `*` (only meaningful inside `count(*)`).
    Star,
}

fn serialize_math<S: serde::Serializer>(op: &MathOp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match op {
        MathOp::Add => "+",
        MathOp::Sub => "-",
        MathOp::Mul => "*",
        MathOp::Div => "/",
        MathOp::Pow => "^",
    })
}

impl Expr {
    /// Whether an aggregate appears anywhere in the expression.
    pub fn has_aggregate(&self) -> bool {
        match self {
            Expr::Aggregate { .. } => true,
            Expr::Call { args, .. } => args.iter().any(Expr::has_aggregate),
            Expr::Binary { lhs, rhs, .. } => lhs.has_aggregate() || rhs.has_aggregate(),
            Expr::Neg(e) => e.has_aggregate(),
            _ => false,
        }
    }
}

/// A sort key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderKey {
    /// `alias.field` of the starting entities, or a column name (`ORDER BY score`).
    pub key: OrderTarget,
    /// DESC.
    pub descending: bool,
}

/// What ORDER BY sorts on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderTarget {
    /// `alias.field`.
    Field(PropertyRef),
    /// A RETURN column, by its name.
    Column(Name),
}

/// What an alias names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    /// An entity pattern.
    Entity,
    /// A relationship of a traversal.
    Relationship,
    /// The union set of an optional group.
    Optional,
}

/// An alias the query defines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasDef {
    /// The name.
    pub name: Name,
    /// What it names.
    pub kind: AliasKind,
    /// Implicit: a selector's single class or type name used as its alias
    /// (`FIND User ... RETURN User.name`).
    pub implicit: bool,
    /// Position of the step it belongs to: 0 is the start entity, 1.. traversals in order of
    /// appearance (flattened through optional groups).
    pub step: usize,
}

impl Query {
    /// Every entity pattern: the start, then each traversal's target in order (inside
    /// optional groups too).
    pub fn entity_patterns(&self) -> Vec<&EntityPattern> {
        fn targets<'a>(steps: &'a [Step], out: &mut Vec<&'a EntityPattern>) {
            for step in steps {
                match step {
                    Step::Traversal(t) => out.push(&t.target),
                    Step::Optional(group) => targets(&group.steps, out),
                }
            }
        }
        let mut out = vec![&self.start];
        targets(&self.steps, &mut out);
        out
    }
}

impl Filter {
    /// Every comparison of the filter, in order.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        fn walk<'a>(filter: &'a Filter, out: &mut Vec<&'a Comparison>) {
            match filter {
                Filter::And(v) | Filter::Or(v) => v.iter().for_each(|f| walk(f, out)),
                Filter::Compare(c) => out.push(c),
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

impl EntityPattern {
    /// The types of `property`'s values on the entities this pattern's selector matches
    /// (a smart class or `*`: every entity), from the catalog (data model and loaded data).
    pub fn value_types(
        &self,
        catalog: &crate::catalog::Catalog,
        property: &str,
    ) -> crate::catalog::KnownValueTypes {
        let types: Vec<&str> = self
            .selector
            .types
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        let classes: Vec<&str> = self
            .selector
            .classes
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        let any = self.selector.any || !self.selector.smart_classes.is_empty();
        catalog.value_types(&types, &classes, any, property)
    }
}
