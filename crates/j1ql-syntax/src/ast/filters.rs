//! Filters: AND/OR trees, parenthesised groups and comparisons.

use super::{ast_node, child, token_where, AstNode, Value};
use crate::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};

ast_node!(
    /// `lhs AND rhs` or `lhs OR rhs`.
    BinaryFilter, BINARY_FILTER
);
ast_node!(
    /// `( filter )`.
    ParenFilter, PAREN_FILTER
);
ast_node!(
    /// `left op right`: usually `property op value`; `value op property` is accepted too.
    Comparison, COMPARISON
);

/// A filter expression (in WITH, WHERE or HAVING).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// AND / OR of two filters.
    Binary(BinaryFilter),
    /// A parenthesised filter.
    Paren(ParenFilter),
    /// A single comparison.
    Comparison(Comparison),
}

impl Filter {
    /// The typed view of a filter node.
    pub fn cast(node: SyntaxNode) -> Option<Filter> {
        match node.kind() {
            BINARY_FILTER => Some(Filter::Binary(BinaryFilter { syntax: node })),
            PAREN_FILTER => Some(Filter::Paren(ParenFilter { syntax: node })),
            COMPARISON => Some(Filter::Comparison(Comparison { syntax: node })),
            _ => None,
        }
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Filter::Binary(n) => n.syntax(),
            Filter::Paren(n) => n.syntax(),
            Filter::Comparison(n) => n.syntax(),
        }
    }
}

/// AND or OR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicOp {
    /// Both sides hold.
    And,
    /// Either side holds.
    Or,
}

impl LogicOp {
    /// From an `AND`/`OR` token kind.
    pub fn from_kind(kind: SyntaxKind) -> Option<LogicOp> {
        match kind {
            AND_KW => Some(LogicOp::And),
            OR_KW => Some(LogicOp::Or),
            _ => None,
        }
    }

    /// The keyword as the formatter writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            LogicOp::And => "AND",
            LogicOp::Or => "OR",
        }
    }
}

impl BinaryFilter {
    /// The left operand.
    pub fn lhs(&self) -> Option<Filter> {
        self.syntax.children().find_map(Filter::cast)
    }

    /// The right operand (`None` for a dangling `a AND`).
    pub fn rhs(&self) -> Option<Filter> {
        self.syntax.children().filter_map(Filter::cast).nth(1)
    }

    /// The `AND`/`OR` token.
    pub fn op_token(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, |k| matches!(k, AND_KW | OR_KW))
    }

    /// AND or OR.
    pub fn op(&self) -> Option<LogicOp> {
        self.op_token().and_then(|t| LogicOp::from_kind(t.kind()))
    }
}

impl ParenFilter {
    /// The filter inside the parentheses.
    pub fn filter(&self) -> Option<Filter> {
        self.syntax.children().find_map(Filter::cast)
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    NotEq,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Gte,
    /// `<=`
    Lte,
    /// `~=` contains
    Contains,
    /// `^=` starts with
    StartsWith,
    /// `$=` ends with
    EndsWith,
    /// `!~=` does not contain
    NotContains,
    /// `!^=` does not start with
    NotStartsWith,
    /// `!$=` does not end with
    NotEndsWith,
}

impl CompareOp {
    /// From an operator token kind.
    pub fn from_kind(kind: SyntaxKind) -> Option<CompareOp> {
        Some(match kind {
            EQ => CompareOp::Eq,
            NEQ => CompareOp::NotEq,
            GT => CompareOp::Gt,
            LT => CompareOp::Lt,
            GTE => CompareOp::Gte,
            LTE => CompareOp::Lte,
            TILDE_EQ => CompareOp::Contains,
            CARET_EQ => CompareOp::StartsWith,
            DOLLAR_EQ => CompareOp::EndsWith,
            NOT_TILDE_EQ => CompareOp::NotContains,
            NOT_CARET_EQ => CompareOp::NotStartsWith,
            NOT_DOLLAR_EQ => CompareOp::NotEndsWith,
            _ => return None,
        })
    }

    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::NotEq => "!=",
            CompareOp::Gt => ">",
            CompareOp::Lt => "<",
            CompareOp::Gte => ">=",
            CompareOp::Lte => "<=",
            CompareOp::Contains => "~=",
            CompareOp::StartsWith => "^=",
            CompareOp::EndsWith => "$=",
            CompareOp::NotContains => "!~=",
            CompareOp::NotStartsWith => "!^=",
            CompareOp::NotEndsWith => "!$=",
        }
    }

    /// The operator that holds exactly when this one does not (`=` ↔ `!=`, `>` ↔ `<=`, ...):
    /// what De Morgan normalisation uses.
    pub fn negate(self) -> CompareOp {
        match self {
            CompareOp::Eq => CompareOp::NotEq,
            CompareOp::NotEq => CompareOp::Eq,
            CompareOp::Gt => CompareOp::Lte,
            CompareOp::Lte => CompareOp::Gt,
            CompareOp::Lt => CompareOp::Gte,
            CompareOp::Gte => CompareOp::Lt,
            CompareOp::Contains => CompareOp::NotContains,
            CompareOp::NotContains => CompareOp::Contains,
            CompareOp::StartsWith => CompareOp::NotStartsWith,
            CompareOp::NotStartsWith => CompareOp::StartsWith,
            CompareOp::EndsWith => CompareOp::NotEndsWith,
            CompareOp::NotEndsWith => CompareOp::EndsWith,
        }
    }

    /// Whether this is one of the negative operators (`!=`, `!~=`, `!^=`, `!$=`).
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            CompareOp::NotEq
                | CompareOp::NotContains
                | CompareOp::NotStartsWith
                | CompareOp::NotEndsWith
        )
    }
}

impl Comparison {
    /// The operator token.
    pub fn op_token(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, SyntaxKind::is_comparison_op)
    }

    /// The operator.
    pub fn op(&self) -> Option<CompareOp> {
        self.op_token().and_then(|t| CompareOp::from_kind(t.kind()))
    }

    /// The operand before the operator (normally the property path).
    pub fn left(&self) -> Option<Value> {
        let op_start = self.op_token().map(|t| t.text_range().start());
        self.syntax
            .children()
            .filter(|n| op_start.is_none_or(|s| n.text_range().end() <= s))
            .find_map(Value::cast)
    }

    /// The operand after the operator (normally the value).
    pub fn right(&self) -> Option<Value> {
        let op_end = self.op_token()?.text_range().end();
        self.syntax
            .children()
            .filter(|n| n.text_range().start() >= op_end)
            .find_map(Value::cast)
    }

    /// The property path, whichever side it is on (`x = 1` and `1 < x` both give `x`); when
    /// both sides are paths (`nic.sgIds = sg.groupId`), the left one.
    pub fn property(&self) -> Option<super::Path> {
        match (self.left(), self.right()) {
            (Some(Value::Path(p)), _) => Some(p),
            (_, Some(Value::Path(p))) => Some(p),
            _ => child(&self.syntax),
        }
    }
}
