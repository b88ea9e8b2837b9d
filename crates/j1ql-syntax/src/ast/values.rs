//! Values and property paths.

use super::{ast_node, token, token_where, unquote, AstNode, LogicOp};
use crate::{SyntaxKind::*, SyntaxNode, SyntaxToken};

ast_node!(
    /// A property path: `tag.Production`, `u.email`, `[tag.x-y]`, `p.[a:b]`, `u.*`.
    Path, PATH
);
ast_node!(
    /// A single-token value (or a negative number).
    Literal, LITERAL
);
ast_node!(
    /// `- 1 day`, `date.now - 90 days`, `date.now`.
    RelativeDate, RELATIVE_DATE
);
ast_node!(
    /// `('a' OR 'b')`, `('a' AND 'b')`.
    ValueGroup, VALUE_GROUP
);

/// The right-hand side (or, rarely, left-hand side) of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A literal.
    Literal(Literal),
    /// A relative date.
    RelativeDate(RelativeDate),
    /// A value group.
    Group(ValueGroup),
    /// A property path (another selector's field in WHERE).
    Path(Path),
}

impl Value {
    /// The typed view of a value node.
    pub fn cast(node: SyntaxNode) -> Option<Value> {
        match node.kind() {
            LITERAL => Some(Value::Literal(Literal { syntax: node })),
            RELATIVE_DATE => Some(Value::RelativeDate(RelativeDate { syntax: node })),
            VALUE_GROUP => Some(Value::Group(ValueGroup { syntax: node })),
            PATH => Some(Value::Path(Path { syntax: node })),
            _ => None,
        }
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Value::Literal(n) => n.syntax(),
            Value::RelativeDate(n) => n.syntax(),
            Value::Group(n) => n.syntax(),
            Value::Path(n) => n.syntax(),
        }
    }
}

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// A plain name (or a keyword used as a name, or an array index).
    Name(String),
    /// A `[bracketed]` name, without the brackets.
    Bracketed(String),
    /// `*` (all properties).
    Star,
}

impl PathSegment {
    /// The segment's name (`*` for a star).
    pub fn text(&self) -> &str {
        match self {
            PathSegment::Name(s) | PathSegment::Bracketed(s) => s,
            PathSegment::Star => "*",
        }
    }
}

impl Path {
    /// The segment tokens, without the dots.
    pub fn segment_tokens(&self) -> impl Iterator<Item = SyntaxToken> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| !t.kind().is_trivia() && t.kind() != DOT)
    }

    /// The segments, with brackets removed.
    pub fn segments(&self) -> Vec<PathSegment> {
        self.segment_tokens()
            .map(|t| match t.kind() {
                STAR => PathSegment::Star,
                BRACKETED_NAME => {
                    let text = t.text();
                    PathSegment::Bracketed(text[1..text.len() - 1].to_string())
                }
                _ => PathSegment::Name(t.text().to_string()),
            })
            .collect()
    }

    /// The first segment's text: the alias in WHERE/RETURN (`u` of `u.email`).
    pub fn head(&self) -> Option<String> {
        self.segments().first().map(|s| s.text().to_string())
    }

    /// The segments after the first, joined by dots: the property of `alias.prop.erty`.
    pub fn tail(&self) -> Option<String> {
        let segments = self.segments();
        (segments.len() > 1).then(|| {
            segments[1..]
                .iter()
                .map(PathSegment::text)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    /// All segments joined by dots: the flat property key in WITH (`tag.Production`).
    pub fn key(&self) -> String {
        self.segments()
            .iter()
            .map(PathSegment::text)
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Whether the path ends in `.*`.
    pub fn is_wildcard(&self) -> bool {
        matches!(self.segments().last(), Some(PathSegment::Star))
    }
}

/// What kind of literal a [`Literal`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralKind {
    /// `'text'` / `"text"`.
    String,
    /// `42`, `-0.5`.
    Number,
    /// `true` / `false`.
    Boolean,
    /// `undefined`.
    Undefined,
    /// `date(2019-10-30)`.
    Date,
    /// `/pattern/flags`.
    Regex,
    /// `${ param.name }` / `${name}`.
    Param,
    /// `{{placeholder}}`.
    Template,
}

impl Literal {
    /// The value token (the number of a negative number).
    pub fn token(&self) -> Option<SyntaxToken> {
        token_where(&self.syntax, |k| k != MINUS && k != PLUS)
    }

    /// Whether a `-` precedes the number.
    pub fn is_negative(&self) -> bool {
        token(&self.syntax, MINUS).is_some()
    }

    /// The kind of literal.
    pub fn kind(&self) -> Option<LiteralKind> {
        Some(match self.token()?.kind() {
            STRING => LiteralKind::String,
            NUMBER => LiteralKind::Number,
            TRUE_KW | FALSE_KW => LiteralKind::Boolean,
            UNDEFINED_KW => LiteralKind::Undefined,
            DATE_LITERAL => LiteralKind::Date,
            REGEX => LiteralKind::Regex,
            PARAM => LiteralKind::Param,
            TEMPLATE => LiteralKind::Template,
            _ => return None,
        })
    }

    /// The string's content (quotes removed, escapes resolved).
    pub fn string_value(&self) -> Option<String> {
        let t = self.token().filter(|t| t.kind() == STRING)?;
        Some(unquote(t.text()))
    }

    /// The number's value (sign applied).
    pub fn number_value(&self) -> Option<f64> {
        let t = self.token().filter(|t| t.kind() == NUMBER)?;
        let n: f64 = t.text().parse().ok()?;
        Some(if self.is_negative() { -n } else { n })
    }

    /// The number as an integer, when it is one.
    pub fn integer(&self) -> Option<i64> {
        let n = self.number_value()?;
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }

    /// The boolean's value.
    pub fn bool_value(&self) -> Option<bool> {
        match self.token()?.kind() {
            TRUE_KW => Some(true),
            FALSE_KW => Some(false),
            _ => None,
        }
    }

    /// The text inside `date( ... )`, trimmed.
    pub fn date_text(&self) -> Option<String> {
        let t = self.token().filter(|t| t.kind() == DATE_LITERAL)?;
        let text = t.text();
        let open = text.find('(')?;
        Some(text[open + 1..text.len() - 1].trim().to_string())
    }

    /// The name inside `${ ... }` or `{{ ... }}`, trimmed (`param.loginUrl`, `tenantId`).
    pub fn placeholder_name(&self) -> Option<String> {
        let t = self.token()?;
        let text = t.text();
        let inner = match t.kind() {
            PARAM => &text[2..text.len() - 1],
            TEMPLATE => &text[2..text.len() - 2],
            _ => return None,
        };
        Some(inner.trim().to_string())
    }

    /// The pattern and flags of a regex literal (`/run./i` → (`run.`, `i`)).
    pub fn regex_parts(&self) -> Option<(String, String)> {
        let t = self.token().filter(|t| t.kind() == REGEX)?;
        let text = t.text();
        let close = text.rfind('/')?;
        Some((text[1..close].to_string(), text[close + 1..].to_string()))
    }
}

impl RelativeDate {
    /// Whether it is written from `date.now`.
    pub fn has_now(&self) -> bool {
        token(&self.syntax, DATE_NOW).is_some()
    }

    /// The signed amount: `- 7 days` → -7; `date.now` alone → 0.
    pub fn amount(&self) -> Option<f64> {
        let number = token(&self.syntax, NUMBER);
        match number {
            None => self.has_now().then_some(0.0),
            Some(n) => {
                let v: f64 = n.text().parse().ok()?;
                Some(if token(&self.syntax, MINUS).is_some() {
                    -v
                } else {
                    v
                })
            }
        }
    }

    /// The unit token (`day`, `hours`, ...).
    pub fn unit(&self) -> Option<SyntaxToken> {
        token(&self.syntax, IDENT)
    }
}

impl ValueGroup {
    /// The values in the group.
    pub fn values(&self) -> impl Iterator<Item = Value> {
        self.syntax.children().filter_map(Value::cast)
    }

    /// The connectives between the values, in order.
    pub fn ops(&self) -> Vec<LogicOp> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter_map(|t| LogicOp::from_kind(t.kind()))
            .collect()
    }

    /// The group's connective when it is consistent (`('a' OR 'b' OR 'c')` → OR); `None` for a
    /// single value or a mix of AND and OR.
    pub fn op(&self) -> Option<LogicOp> {
        let ops = self.ops();
        let first = *ops.first()?;
        ops.iter().all(|o| *o == first).then_some(first)
    }
}
