//! Lowering filters and values.

use j1ql_syntax::ast::{self, AstNode, LiteralKind};
use j1ql_syntax::TextRange;

use super::{FilterContext, Lowerer};
use crate::dates::parse_iso_date;
use crate::diagnostics::Code;
use crate::ir::{self, CompareOp, DateUnit, LogicOp, PropertyRef, Value};

/// Joins filters with AND, flattening nested ANDs.
pub(crate) fn and_all(filters: Vec<ir::Filter>) -> ir::Filter {
    let mut flat = Vec::new();
    for f in filters {
        match f {
            ir::Filter::And(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    ir::Filter::And(flat)
}

impl Lowerer {
    /// Lowers a filter; `None` when nothing in it could be understood.
    pub(crate) fn filter(&mut self, filter: &ast::Filter, cx: FilterContext) -> Option<ir::Filter> {
        match filter {
            ast::Filter::Paren(p) => self.filter(&p.filter()?, cx),
            ast::Filter::Binary(b) => {
                let lhs = b.lhs().and_then(|f| self.filter(&f, cx));
                let rhs = b.rhs().and_then(|f| self.filter(&f, cx));
                let (lhs, rhs) = match (lhs, rhs) {
                    (Some(l), Some(r)) => (l, r),
                    (one, other) => return one.or(other),
                };
                Some(match b.op() {
                    Some(LogicOp::Or) => match (lhs, rhs) {
                        (ir::Filter::Or(mut l), ir::Filter::Or(r)) => {
                            l.extend(r);
                            ir::Filter::Or(l)
                        }
                        (ir::Filter::Or(mut l), r) => {
                            l.push(r);
                            ir::Filter::Or(l)
                        }
                        (l, r) => ir::Filter::Or(vec![l, r]),
                    },
                    _ => and_all(vec![lhs, rhs]),
                })
            }
            ast::Filter::Comparison(c) => self.comparison(c, cx).map(ir::Filter::Compare),
        }
    }

    fn comparison(&mut self, c: &ast::Comparison, cx: FilterContext) -> Option<ir::Comparison> {
        let op = c.op()?;
        let range = c.syntax().text_range();
        let (left, right) = (c.left(), c.right());
        let (property_side, value_side, flipped) = match (&left, &right) {
            (Some(ast::Value::Path(_)), _) | (None, _) => (left, right, false),
            (Some(_), Some(ast::Value::Path(_))) => (right, left, true),
            _ => (left, right, false),
        };
        let Some(ast::Value::Path(path)) = property_side else {
            self.report(
                Code::WhereWithoutAlias,
                range,
                "a comparison needs a property on one side",
            );
            return None;
        };
        let property = self.property(&path, cx, "this condition")?;
        let value = self.value(&value_side?, cx)?;
        let op = if flipped {
            match op {
                CompareOp::Gt => CompareOp::Lt,
                CompareOp::Lt => CompareOp::Gt,
                CompareOp::Gte => CompareOp::Lte,
                CompareOp::Lte => CompareOp::Gte,
                CompareOp::Eq | CompareOp::NotEq => op,
                _ => {
                    self.report(
                        Code::ValueFirstStringOperator,
                        c.op_token().map_or(range, |t| t.text_range()),
                        format!(
                            "`{}` needs the property on the left: write `{} {} ...`",
                            op.as_str(),
                            path.syntax(),
                            op.as_str()
                        ),
                    );
                    op
                }
            }
        } else {
            op
        };
        self.check_operator_value(op, &value, c.op_token().map_or(range, |t| t.text_range()));
        Some(ir::Comparison {
            property,
            op,
            value,
            range,
        })
    }

    /// Reads a path as a property in the given context.
    pub(crate) fn property(
        &mut self,
        path: &ast::Path,
        cx: FilterContext,
        what: &str,
    ) -> Option<PropertyRef> {
        let range = path.syntax().text_range();
        match cx {
            FilterContext::With | FilterContext::Having => Some(PropertyRef {
                alias: None,
                key: path.key(),
                range,
            }),
            FilterContext::Where => {
                let head = path.head()?;
                let Some(tail) = path.tail() else {
                    let message = format!(
                        "WHERE compares `{head}` without a selector: write `alias.{head}` and \
                         name the entity with `AS alias` (or filter it with WITH)"
                    );
                    self.report(Code::WhereWithoutAlias, range, message);
                    return None;
                };
                let head_range = path
                    .segment_tokens()
                    .next()
                    .map_or(range, |t| t.text_range());
                self.check_alias(&head, head_range, Code::UndefinedAlias, what);
                Some(PropertyRef {
                    alias: Some(head),
                    key: tail,
                    range,
                })
            }
        }
    }

    fn value(&mut self, value: &ast::Value, cx: FilterContext) -> Option<Value> {
        match value {
            ast::Value::Literal(l) => self.literal(l),
            ast::Value::RelativeDate(d) => {
                let amount = d.amount()?;
                let unit = match d.unit() {
                    None => None,
                    Some(token) => match DateUnit::parse(token.text()) {
                        Some(u) => Some(u),
                        None => {
                            let suggestion = crate::suggest::best_match(
                                token.text(),
                                DateUnit::SPELLINGS.iter().copied(),
                            );
                            let mut message = format!(
                                "unknown time unit `{}`: use hours, days, weeks, months or years",
                                token.text()
                            );
                            let mut fix = None;
                            if let Some(s) = suggestion {
                                message.push_str(&format!(" (did you mean `{s}`?)"));
                                fix = Some(s);
                            }
                            let mut d = crate::Diagnostic::new(
                                Code::UnknownDateUnit,
                                token.text_range(),
                                message,
                            );
                            if let Some(s) = fix {
                                d = d.with_replacement(
                                    format!("Replace with `{s}`"),
                                    token.text_range(),
                                    s.to_string(),
                                );
                            }
                            self.diagnostics.push(d);
                            return None;
                        }
                    },
                };
                Some(Value::RelativeDate { amount, unit })
            }
            ast::Value::Group(g) => {
                let values: Vec<Value> = g.values().filter_map(|v| self.value(&v, cx)).collect();
                let ops = g.ops();
                let op = match g.op() {
                    Some(op) => op,
                    None if ops.is_empty() => LogicOp::Or,
                    None => {
                        self.report(
                            Code::MixedValueGroup,
                            g.syntax().text_range(),
                            "a value group is either all OR or all AND: split it into \
                             separate comparisons joined with AND/OR",
                        );
                        ops[0]
                    }
                };
                Some(Value::Group { op, values })
            }
            ast::Value::Path(p) if cx == FilterContext::With => {
                self.unquoted_string(p);
                None
            }
            ast::Value::Path(p) => self.property(p, cx, "this value").map(Value::Property),
        }
    }

    /// S018: a bare word as the value of a WITH comparison (`dept = eng`). The spec: "String
    /// values must be wrapped in either single or double quotes"; WITH compares a property with
    /// a value, so reading the word as a second property (absent, hence `undefined`) would
    /// silently answer another question. The fix quotes the word.
    fn unquoted_string(&mut self, path: &ast::Path) {
        let range = path.syntax().text_range();
        let word = path.syntax().text().to_string();
        let quoted = format!("'{word}'");
        let mut message = format!("string values must be quoted: write `{quoted}`");
        if word.eq_ignore_ascii_case("null") || word.eq_ignore_ascii_case("nil") {
            message.push_str(" (a missing property is `undefined`)");
        }
        message.push_str(
            "; WITH compares a property with a value (to compare two properties, name the \
             entities with `AS` and use WHERE)",
        );
        let diagnostic = crate::Diagnostic::new(Code::UnquotedString, range, message)
            .with_replacement(format!("Quote it: `{quoted}`"), range, quoted);
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn literal(&mut self, l: &ast::Literal) -> Option<Value> {
        Some(match l.kind()? {
            LiteralKind::String => Value::String(l.string_value()?),
            LiteralKind::Number => Value::Number(l.number_value()?),
            LiteralKind::Boolean => Value::Bool(l.bool_value()?),
            LiteralKind::Undefined => Value::Undefined,
            LiteralKind::Date => {
                let text = l.date_text()?;
                match parse_iso_date(&text) {
                    Ok(ms) => Value::Date(ms),
                    Err(why) => {
                        self.report(
                            Code::InvalidDate,
                            l.syntax().text_range(),
                            format!(
                                "invalid date `{text}`: {why}; expected date(YYYY), \
                                 date(YYYY-MM-DD) or date(YYYY-MM-DDThh:mm:ssZ)"
                            ),
                        );
                        return None;
                    }
                }
            }
            LiteralKind::Regex => {
                let (pattern, flags) = l.regex_parts()?;
                Value::Regex { pattern, flags }
            }
            LiteralKind::Param | LiteralKind::Template => {
                let (name, written) = placeholder(l)?;
                Value::Param { name, written }
            }
        })
    }

    /// S006: operators that can never match their value.
    fn check_operator_value(&mut self, op: CompareOp, value: &Value, range: TextRange) {
        let bad = match value {
            Value::Group { values, .. } => values.iter().find(|v| !compatible(op, v)),
            v => (!compatible(op, v)).then_some(v),
        };
        if let Some(v) = bad {
            let kind = value_kind(v);
            let advice = if is_string_op(op) {
                "string operators compare strings: quote the value"
            } else {
                "`>` `<` `>=` `<=` compare numbers and dates"
            };
            self.report(
                Code::OperatorValueMismatch,
                range,
                format!("`{}` cannot match {kind}: {advice}", op.as_str()),
            );
        }
    }
}

/// A parameter literal's name (`n` for `${ param.n }`, `${n}` and `{{n}}`) and its text.
pub(crate) fn placeholder(l: &ast::Literal) -> Option<(String, String)> {
    let name = l.placeholder_name()?;
    let name = name
        .strip_prefix("param.")
        .unwrap_or(&name)
        .trim()
        .to_string();
    Some((name, l.token()?.text().to_string()))
}

fn is_string_op(op: CompareOp) -> bool {
    matches!(
        op,
        CompareOp::Contains
            | CompareOp::StartsWith
            | CompareOp::EndsWith
            | CompareOp::NotContains
            | CompareOp::NotStartsWith
            | CompareOp::NotEndsWith
    )
}

fn compatible(op: CompareOp, value: &Value) -> bool {
    match value {
        Value::Param { .. } | Value::Property(_) | Value::Group { .. } => true,
        Value::Regex { .. } => matches!(
            op,
            CompareOp::Eq | CompareOp::NotEq | CompareOp::Contains | CompareOp::NotContains
        ),
        Value::String(_) => !matches!(
            op,
            CompareOp::Gt | CompareOp::Lt | CompareOp::Gte | CompareOp::Lte
        ),
        Value::Number(_) | Value::Date(_) | Value::RelativeDate { .. } => !is_string_op(op),
        Value::Bool(_) | Value::Undefined => matches!(op, CompareOp::Eq | CompareOp::NotEq),
    }
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Undefined => "`undefined`",
        Value::Date(_) | Value::RelativeDate { .. } => "a date",
        Value::Regex { .. } => "a regular expression",
        Value::Param { .. } => "a parameter",
        Value::Group { .. } => "a value group",
        Value::Property(_) => "a property",
    }
}
