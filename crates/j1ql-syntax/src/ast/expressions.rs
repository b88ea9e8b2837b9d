//! RETURN clauses and their expressions.

use super::{ast_node, child, children, token, token_where, unquote, AstNode, Literal, Path};
use crate::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};

ast_node!(
    /// `RETURN items` or `RETURN TREE`.
    ReturnClause, RETURN_CLAUSE
);
ast_node!(
    /// One returned column.
    ReturnItem, RETURN_ITEM
);
ast_node!(
    /// `AS name` / `AS "Name"` of a returned column.
    ColumnAlias, COLUMN_ALIAS
);
ast_node!(
    /// `a + b` and the other math operators.
    BinaryExpr, BINARY_EXPR
);
ast_node!(
    /// `-x`.
    PrefixExpr, PREFIX_EXPR
);
ast_node!(
    /// `( expr )`.
    ParenExpr, PAREN_EXPR
);
ast_node!(
    /// `count(u)`, `CONCAT(a, ' ', b)`.
    CallExpr, CALL_EXPR
);

impl ReturnClause {
    /// Whether it is `RETURN TREE`.
    pub fn is_tree(&self) -> bool {
        token(&self.syntax, TREE_KW).is_some()
    }

    /// The returned columns.
    pub fn items(&self) -> impl Iterator<Item = ReturnItem> {
        children(&self.syntax)
    }
}

impl ReturnItem {
    /// The expression.
    pub fn expr(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }

    /// The `AS` column name.
    pub fn column_alias(&self) -> Option<ColumnAlias> {
        child(&self.syntax)
    }
}

impl ColumnAlias {
    /// The name token (a name or a string).
    pub fn name_token(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, |k| k != AS_KW)
    }

    /// The column name, unquoted.
    pub fn name(&self) -> Option<String> {
        let t = self.name_token()?;
        Some(match t.kind() {
            STRING => unquote(t.text()),
            _ => t.text().to_string(),
        })
    }
}

/// An expression in RETURN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// `alias`, `alias.field`, `alias.*`, `*`.
    Path(Path),
    /// A number, string, boolean, ...
    Literal(Literal),
    /// `a op b`.
    Binary(BinaryExpr),
    /// `-a`.
    Prefix(PrefixExpr),
    /// `(a)`.
    Paren(ParenExpr),
    /// `f(args)`.
    Call(CallExpr),
}

impl Expr {
    /// The typed view of an expression node.
    pub fn cast(node: SyntaxNode) -> Option<Expr> {
        Some(match node.kind() {
            PATH => Expr::Path(Path { syntax: node }),
            LITERAL => Expr::Literal(Literal { syntax: node }),
            BINARY_EXPR => Expr::Binary(BinaryExpr { syntax: node }),
            PREFIX_EXPR => Expr::Prefix(PrefixExpr { syntax: node }),
            PAREN_EXPR => Expr::Paren(ParenExpr { syntax: node }),
            CALL_EXPR => Expr::Call(CallExpr { syntax: node }),
            _ => return None,
        })
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Expr::Path(n) => n.syntax(),
            Expr::Literal(n) => n.syntax(),
            Expr::Binary(n) => n.syntax(),
            Expr::Prefix(n) => n.syntax(),
            Expr::Paren(n) => n.syntax(),
            Expr::Call(n) => n.syntax(),
        }
    }

    /// The expression as written, with every run of whitespace (and comments) collapsed to a
    /// single space: the default column name of docs/contracts.md#run (`count(user)`, `u.username`).
    pub fn normalized_text(&self) -> String {
        normalized_text(self.syntax())
    }
}

/// Collapses trivia runs to single spaces and trims: how an unnamed column is named.
pub fn normalized_text(node: &SyntaxNode) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for t in node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        if t.kind().is_trivia() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push_str(t.text());
    }
    out
}

/// A math operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^`
    Pow,
}

impl MathOp {
    fn from_kind(kind: SyntaxKind) -> Option<MathOp> {
        Some(match kind {
            PLUS => MathOp::Add,
            MINUS => MathOp::Sub,
            STAR => MathOp::Mul,
            SLASH => MathOp::Div,
            CARET => MathOp::Pow,
            _ => return None,
        })
    }
}

impl BinaryExpr {
    /// The left operand.
    pub fn lhs(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }

    /// The right operand.
    pub fn rhs(&self) -> Option<Expr> {
        self.syntax.children().filter_map(Expr::cast).nth(1)
    }

    /// The operator.
    pub fn op(&self) -> Option<MathOp> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find_map(|t| MathOp::from_kind(t.kind()))
    }
}

impl PrefixExpr {
    /// Whether the sign is `-`.
    pub fn is_negation(&self) -> bool {
        token(&self.syntax, MINUS).is_some()
    }

    /// The operand.
    pub fn expr(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl ParenExpr {
    /// The inner expression.
    pub fn expr(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

impl CallExpr {
    /// The function name token.
    pub fn name_token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, IDENT)
    }

    /// The function name in lower case (`COUNT` → `count`): functions are case-insensitive.
    pub fn name(&self) -> Option<String> {
        self.name_token().map(|t| t.text().to_lowercase())
    }

    /// The arguments.
    pub fn args(&self) -> Vec<Expr> {
        self.syntax
            .children()
            .find(|n| n.kind() == ARG_LIST)
            .map(|list| list.children().filter_map(Expr::cast).collect())
            .unwrap_or_default()
    }
}
