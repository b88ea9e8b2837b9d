//! Lowering RETURN, HAVING column references and ORDER BY.

use j1ql_syntax::ast::{self, AstNode, PathSegment};

use super::{name_of, FilterContext, Lowerer};
use crate::diagnostics::Code;
use crate::functions::{self, FunctionKind};
use crate::ir::{self, Aggregate, Expr, Name, PropertyRef};

impl Lowerer {
    pub(crate) fn returns(&mut self, clause: Option<ast::ReturnClause>) -> ir::Return {
        let Some(clause) = clause else {
            return ir::Return::Default;
        };
        if clause.is_tree() {
            return ir::Return::Tree;
        }
        let columns = clause
            .items()
            .filter_map(|item| {
                let expr = item.expr()?;
                let lowered = self.expr(&expr, Code::UndefinedAlias)?;
                let alias = item.column_alias().and_then(|a| a.name());
                Some(ir::Column {
                    aliased: alias.is_some(),
                    name: alias.unwrap_or_else(|| expr.normalized_text()),
                    expr: lowered,
                    range: item.syntax().text_range(),
                })
            })
            .collect();
        ir::Return::Columns(columns)
    }

    /// Lowers a RETURN expression; alias problems are reported with `code`.
    fn expr(&mut self, expr: &ast::Expr, code: Code) -> Option<Expr> {
        Some(match expr {
            ast::Expr::Literal(l) => Expr::Literal(self.literal(l)?),
            ast::Expr::Paren(p) => self.expr(&p.expr()?, code)?,
            ast::Expr::Prefix(p) => {
                let inner = self.expr(&p.expr()?, code)?;
                if p.is_negation() {
                    Expr::Neg(Box::new(inner))
                } else {
                    inner
                }
            }
            ast::Expr::Binary(b) => Expr::Binary {
                op: b.op()?,
                lhs: Box::new(self.expr(&b.lhs()?, code)?),
                rhs: Box::new(self.expr(&b.rhs()?, code)?),
            },
            ast::Expr::Path(p) => self.path_expr(p, code)?,
            ast::Expr::Call(call) => {
                let name = call.name()?;
                let name_range = call.name_token().map(|t| t.text_range())?;
                let function = functions::lookup(&name).filter(|f| f.is_callable());
                match function.map(|f| f.kind) {
                    Some(FunctionKind::Aggregate(func)) => {
                        let arg = match call.args().first() {
                            Some(a) => Some(Box::new(self.expr(a, Code::AggregateUnknownAlias)?)),
                            None => None,
                        };
                        if func != Aggregate::Count {
                            self.check_aggregate_field(&name, name_range, call, arg.as_deref());
                        }
                        Expr::Aggregate { func, arg }
                    }
                    Some(FunctionKind::Scalar(func)) => {
                        let args = call
                            .args()
                            .iter()
                            .filter_map(|a| self.expr(a, code))
                            .collect();
                        Expr::Call { func, args }
                    }
                    _ => {
                        self.unknown_function(&name, name_range);
                        // Its arguments are still checked (aliases, fields); the column stays
                        // (as `undefined`) so that ORDER BY and HAVING still find it.
                        for a in call.args() {
                            self.expr(&a, code);
                        }
                        Expr::Literal(ir::Value::Undefined)
                    }
                }
            }
        })
    }

    /// S016 with the closest known function name.
    fn unknown_function(&mut self, name: &str, range: j1ql_syntax::TextRange) {
        let known: Vec<&str> = functions::callable().map(|f| f.name).collect();
        let mut message = format!(
            "unknown function `{name}`: J1QL has {}",
            english_list(&known)
        );
        if let Some(s) = crate::suggest::best_match(name, known.iter().copied()) {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        self.report(Code::UnknownFunction, range, message);
    }

    fn path_expr(&mut self, path: &ast::Path, code: Code) -> Option<Expr> {
        let segments = path.segments();
        let first = path.segment_tokens().next()?;
        if segments.len() == 1 && segments[0] == PathSegment::Star {
            return Some(Expr::Star);
        }
        let head = name_of(&first);
        let what = if code == Code::AggregateUnknownAlias {
            "this aggregate"
        } else {
            "RETURN"
        };
        self.check_alias(&head.text, head.range, code, what);
        if segments.len() == 1 {
            return Some(Expr::Selector(head));
        }
        if path.is_wildcard() && segments.len() == 2 {
            return Some(Expr::AllFields(head));
        }
        Some(Expr::Field(PropertyRef {
            alias: Some(head.text),
            key: path.tail()?,
            range: path.syntax().text_range(),
        }))
    }

    /// S019: `min`, `max`, `sum` and `avg` combine the values of a field (`max(u.age)`); the
    /// spec lists them for `selector.field` only, and `count` alone takes a bare selector.
    /// Over a whole entity they would silently give null or 0.
    fn check_aggregate_field(
        &mut self,
        name: &str,
        name_range: j1ql_syntax::TextRange,
        call: &ast::CallExpr,
        arg: Option<&Expr>,
    ) {
        let selector = match arg {
            Some(Expr::Selector(alias)) | Some(Expr::AllFields(alias)) => alias.text.clone(),
            Some(Expr::Star) | None => "alias".to_string(),
            Some(_) => return,
        };
        let lower = name.to_ascii_lowercase();
        let range = call.syntax().text_range();
        let message = format!(
            "`{lower}` combines the values of a property: write `{lower}({selector}.property)`; \
             only `count` takes a whole selector (`count({selector})` counts them)"
        );
        let mut diagnostic = crate::Diagnostic::new(Code::AggregateNeedsField, name_range, message);
        if matches!(arg, Some(Expr::Selector(_))) {
            diagnostic = diagnostic.with_replacement(
                format!("Count them instead: `count({selector})`"),
                range,
                format!("count({selector})"),
            );
        }
        self.diagnostics.push(diagnostic);
    }

    /// HAVING names RETURN columns: each property of its filter must be one.
    pub(crate) fn check_having_columns(
        &mut self,
        having: Option<&ir::Filter>,
        returns: &ir::Return,
    ) {
        let Some(having) = having else { return };
        let columns: Vec<String> = match returns {
            ir::Return::Columns(c) => c.iter().map(|c| c.name.clone()).collect(),
            _ => Vec::new(),
        };
        let mut missing = Vec::new();
        visit_properties(having, &mut |p| {
            if !columns.contains(&p.key) {
                missing.push(p.clone());
            }
        });
        for p in missing {
            let suggestion = crate::suggest::best_match(&p.key, columns.iter().map(String::as_str));
            let mut message = format!(
                "HAVING uses `{}`, which is not a RETURN column (columns: {})",
                p.key,
                columns.join(", ")
            );
            if let Some(s) = suggestion {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            self.report(Code::UndefinedAlias, p.range, message);
        }
    }

    pub(crate) fn order_by(
        &mut self,
        clause: Option<ast::OrderClause>,
        returns: &ir::Return,
    ) -> Vec<ir::OrderKey> {
        let Some(clause) = clause else {
            return Vec::new();
        };
        let columns: Vec<String> = match returns {
            ir::Return::Columns(c) => c.iter().map(|c| c.name.clone()).collect(),
            _ => Vec::new(),
        };
        let mut keys = Vec::new();
        for item in clause.items() {
            let descending = item.is_descending();
            if let Some(column) = item.column() {
                let Some(text) = column.string_value() else {
                    continue;
                };
                let name = Name {
                    text,
                    range: column.syntax().text_range(),
                };
                self.check_column(&name, &columns);
                keys.push(ir::OrderKey {
                    key: ir::OrderTarget::Column(name),
                    descending,
                });
                continue;
            }
            let Some(path) = item.path() else { continue };
            if path.tail().is_none() || columns.contains(&path.key()) {
                let name = Name {
                    text: path.key(),
                    range: path.syntax().text_range(),
                };
                self.check_column(&name, &columns);
                keys.push(ir::OrderKey {
                    key: ir::OrderTarget::Column(name),
                    descending,
                });
            } else if let Some(property) = self.property(&path, FilterContext::Where, "ORDER BY") {
                keys.push(ir::OrderKey {
                    key: ir::OrderTarget::Field(property),
                    descending,
                });
            }
        }
        keys
    }

    fn check_column(&mut self, name: &Name, columns: &[String]) {
        if columns.contains(&name.text) {
            return;
        }
        let suggestion = crate::suggest::best_match(&name.text, columns.iter().map(String::as_str));
        let mut message = if columns.is_empty() {
            format!(
                "ORDER BY `{}` names no RETURN column: sort by `alias.field` instead",
                name.text
            )
        } else {
            format!(
                "ORDER BY `{}` is not a RETURN column (columns: {})",
                name.text,
                columns.join(", ")
            )
        };
        if let Some(s) = suggestion {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        self.report(Code::UndefinedAlias, name.range, message);
    }
}

/// Calls `f` on every property a filter compares.
pub(crate) fn visit_properties(filter: &ir::Filter, f: &mut impl FnMut(&PropertyRef)) {
    match filter {
        ir::Filter::And(v) | ir::Filter::Or(v) => v.iter().for_each(|x| visit_properties(x, f)),
        ir::Filter::Compare(c) => f(&c.property),
    }
}

/// `a, b and c`.
fn english_list(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}
