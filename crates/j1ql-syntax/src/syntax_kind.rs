//! Every kind of token and node in a J1QL syntax tree.
//!
//! Tokens are produced by the logos lexer derived on this enum (as taplo does), so a token kind
//! and its regular expression live side by side. Node kinds carry no lexer attribute.

use logos::Logos;

/// The kind of a token or node. Stable: later crates match on these names.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub enum SyntaxKind {
    // ---- trivia ----
    /// Spaces, tabs and line breaks.
    #[regex(r"[ \t\r\n\f]+")]
    WHITESPACE = 0,
    /// `// comment` to the end of the line.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LINE_COMMENT,
    /// `/* comment */`; an unterminated one runs to the end of the input.
    #[token("/*", crate::lexer::block_comment)]
    BLOCK_COMMENT,

    // ---- keywords (case-insensitive) ----
    #[token("find", ignore(case))]
    FIND_KW,
    #[token("with", ignore(case))]
    WITH_KW,
    #[token("that", ignore(case))]
    THAT_KW,
    #[token("as", ignore(case))]
    AS_KW,
    #[token("where", ignore(case))]
    WHERE_KW,
    #[token("return", ignore(case))]
    RETURN_KW,
    #[token("having", ignore(case))]
    HAVING_KW,
    #[token("order", ignore(case))]
    ORDER_KW,
    #[token("by", ignore(case))]
    BY_KW,
    #[token("asc", ignore(case))]
    ASC_KW,
    #[token("desc", ignore(case))]
    DESC_KW,
    #[token("skip", ignore(case))]
    SKIP_KW,
    #[token("limit", ignore(case))]
    LIMIT_KW,
    #[token("unique", ignore(case))]
    UNIQUE_KW,
    #[token("tree", ignore(case))]
    TREE_KW,
    #[token("and", ignore(case))]
    AND_KW,
    #[token("or", ignore(case))]
    OR_KW,
    #[token("to", ignore(case))]
    TO_KW,
    #[token("relates", ignore(case))]
    RELATES_KW,
    #[token("true", ignore(case))]
    TRUE_KW,
    #[token("false", ignore(case))]
    FALSE_KW,
    #[token("undefined", ignore(case))]
    UNDEFINED_KW,

    // ---- words and literals ----
    /// A class, type, verb, alias, property name or function name.
    #[regex(r"[\p{L}_][\p{L}\p{N}_]*")]
    IDENT,
    /// `[tag.special-name]`: a property name with special characters.
    #[regex(r"\[[^\]\n]*\]")]
    BRACKETED_NAME,
    /// `'single'` or `"double"` quoted, with backslash escapes.
    #[token("'", crate::lexer::single_quoted)]
    #[token("\"", crate::lexer::double_quoted)]
    STRING,
    /// `42`, `0.02`, `1e6`.
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    NUMBER,
    /// `date(2019-10-30)` and the other ISO 8601 forms.
    #[regex(r"date\([^()\n]*\)", ignore(case))]
    DATE_LITERAL,
    /// `date.now`, the start of a relative date.
    #[token("date.now", ignore(case))]
    DATE_NOW,
    /// `/pattern/flags` after a comparison operator (see [`crate::lexer`]).
    REGEX,
    /// `${ param.name }` or `${name}`.
    #[regex(r"\$\{[^}\n]*\}")]
    PARAM,
    /// `{{placeholder}}` of question templates.
    #[regex(r"\{\{[^}\n]*\}\}")]
    TEMPLATE,
    /// `#CriticalAsset`, `#Production`.
    #[regex(r"#[\p{L}_][\p{L}\p{N}_]*")]
    SMART_CLASS_NAME,

    // ---- operators and punctuation ----
    #[token("=")]
    EQ,
    #[token("!=")]
    NEQ,
    #[token(">")]
    GT,
    #[token("<")]
    LT,
    #[token(">=")]
    GTE,
    #[token("<=")]
    LTE,
    /// `~=` contains.
    #[token("~=")]
    TILDE_EQ,
    /// `^=` starts with.
    #[token("^=")]
    CARET_EQ,
    /// `$=` ends with.
    #[token("$=")]
    DOLLAR_EQ,
    #[token("!~=")]
    NOT_TILDE_EQ,
    #[token("!^=")]
    NOT_CARET_EQ,
    #[token("!$=")]
    NOT_DOLLAR_EQ,
    /// `<<` relationship direction (incoming).
    #[token("<<")]
    SHL,
    /// `>>` relationship direction (outgoing).
    #[token(">>")]
    SHR,
    #[token("!")]
    BANG,
    #[token("|")]
    PIPE,
    #[token("(")]
    L_PAREN,
    #[token(")")]
    R_PAREN,
    /// `)?` closing an optional traversal.
    #[token(")?")]
    R_PAREN_QUESTION,
    #[token("?")]
    QUESTION,
    #[token(",")]
    COMMA,
    #[token(";")]
    SEMICOLON,
    #[token(".")]
    DOT,
    #[token("*")]
    STAR,
    #[token("+")]
    PLUS,
    #[token("-")]
    MINUS,
    #[token("/")]
    SLASH,
    #[token("^")]
    CARET,

    /// Input the lexer does not recognise (kept in the tree, reported as an error).
    ERROR_TOKEN,

    // ---- nodes ----
    /// The whole input: queries, and trivia or garbage between them.
    DOCUMENT,
    /// One query: `FIND ... [THAT ...]* [WHERE] [RETURN] [ORDER BY] [SKIP] [LIMIT] [;]`.
    QUERY,
    /// An entity pattern: selector, WITH filters and an alias (the start or a traversal target).
    ENTITY,
    /// What to match: class/type names, `*`, an alternation group, smart classes, full text.
    SELECTOR,
    /// `(Host|Device)` in a selector.
    SELECTOR_GROUP,
    /// `WITH filter`.
    WITH_CLAUSE,
    /// `AS name`.
    ALIAS,
    /// `THAT [!]verb [<<|>>] [AS rel] target`.
    TRAVERSAL,
    /// The relationship part of a traversal: negation, verbs, direction, alias.
    RELATIONSHIP,
    /// One relationship verb (`HAS`, `RELATES TO`, with a trailing filler `TO`).
    VERB,
    /// `(ALLOWS|PERMITS)` alternation of verbs.
    VERB_GROUP,
    /// `<<` or `>>`.
    DIRECTION,
    /// `( THAT ... )? [AS alias]`.
    OPTIONAL_TRAVERSAL,
    /// `WHERE filter`.
    WHERE_CLAUSE,
    /// `lhs AND rhs` / `lhs OR rhs` in a filter.
    BINARY_FILTER,
    /// `( filter )`.
    PAREN_FILTER,
    /// `property op value`.
    COMPARISON,
    /// A property path: `tag.Production`, `u.email`, `[tag.x-y]`, `p.*`.
    PATH,
    /// A single-token value: string, number, boolean, undefined, date, regex, parameter,
    /// placeholder, or a negative number.
    LITERAL,
    /// `- 1 day`, `date.now - 90 days`, `date.now`.
    RELATIVE_DATE,
    /// `('a' OR 'b')` / `('a' AND 'b')`.
    VALUE_GROUP,
    /// `HAVING filter` over the returned (aggregated) columns.
    HAVING_CLAUSE,
    /// `RETURN items` or `RETURN TREE`.
    RETURN_CLAUSE,
    /// One returned column: an expression with an optional `AS` name.
    RETURN_ITEM,
    /// `AS name` / `AS "Quoted Name"` on a returned column.
    COLUMN_ALIAS,
    /// `a + b`, `x * 0.02`, `a ^ 2`.
    BINARY_EXPR,
    /// `-x`.
    PREFIX_EXPR,
    /// `( expr )`.
    PAREN_EXPR,
    /// `count(user)`, `CONCAT(a, ' b')`.
    CALL_EXPR,
    /// `( args )` of a call.
    ARG_LIST,
    /// `ORDER BY items`.
    ORDER_CLAUSE,
    /// `path [ASC|DESC]`.
    ORDER_ITEM,
    /// `SKIP n`.
    SKIP_CLAUSE,
    /// `LIMIT n`.
    LIMIT_CLAUSE,
    /// Tokens the parser could not place; an error explains each.
    ERROR,
}

use SyntaxKind::*;

/// Every keyword, lower case (they match in any case). A name spelled like one of these must
/// be bracketed or it reads as the keyword.
pub const KEYWORDS: [&str; 22] = [
    "find",
    "with",
    "that",
    "as",
    "where",
    "return",
    "having",
    "order",
    "by",
    "asc",
    "desc",
    "skip",
    "limit",
    "unique",
    "tree",
    "and",
    "or",
    "to",
    "relates",
    "true",
    "false",
    "undefined",
];

/// Keywords that start a clause of a query (`FIND`, `THAT`, `WITH`, `WHERE`, `AS`, `RETURN`,
/// `HAVING`, `ORDER`, `SKIP`, `LIMIT`): where the parser's error recovery stops skipping,
/// where the server's completion knows a new clause begins.
pub const CLAUSE_KEYWORDS: [SyntaxKind; 10] = [
    FIND_KW, THAT_KW, WITH_KW, WHERE_KW, AS_KW, RETURN_KW, HAVING_KW, ORDER_KW, SKIP_KW, LIMIT_KW,
];

/// Keywords that may also be used as names (properties, aliases, columns) where the grammar
/// expects a name, because they do not start a clause.
pub const SOFT_KEYWORDS: [SyntaxKind; 7] = [
    BY_KW, ASC_KW, DESC_KW, UNIQUE_KW, TREE_KW, TO_KW, RELATES_KW,
];

impl SyntaxKind {
    /// Whitespace and comments: kept in the tree, skipped by the parser.
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | LINE_COMMENT | BLOCK_COMMENT)
    }

    /// A language keyword (case-insensitive in the source).
    pub fn is_keyword(self) -> bool {
        (FIND_KW as u16..=UNDEFINED_KW as u16).contains(&(self as u16))
    }

    /// A keyword that starts a clause ([`CLAUSE_KEYWORDS`]).
    pub fn is_clause_keyword(self) -> bool {
        CLAUSE_KEYWORDS.contains(&self)
    }

    /// A keyword that may also stand for a name ([`SOFT_KEYWORDS`]).
    pub fn is_soft_keyword(self) -> bool {
        SOFT_KEYWORDS.contains(&self)
    }

    /// A comparison operator of a filter.
    pub fn is_comparison_op(self) -> bool {
        matches!(
            self,
            EQ | NEQ
                | GT
                | LT
                | GTE
                | LTE
                | TILDE_EQ
                | CARET_EQ
                | DOLLAR_EQ
                | NOT_TILDE_EQ
                | NOT_CARET_EQ
                | NOT_DOLLAR_EQ
        )
    }

    /// A node kind (as opposed to a token kind).
    pub fn is_node(self) -> bool {
        self as u16 >= DOCUMENT as u16
    }

    /// How the kind reads in an error message: `` `WITH` ``, "a string", ...
    pub fn describe(self) -> &'static str {
        match self {
            WHITESPACE => "whitespace",
            LINE_COMMENT | BLOCK_COMMENT => "a comment",
            FIND_KW => "`FIND`",
            WITH_KW => "`WITH`",
            THAT_KW => "`THAT`",
            AS_KW => "`AS`",
            WHERE_KW => "`WHERE`",
            RETURN_KW => "`RETURN`",
            HAVING_KW => "`HAVING`",
            ORDER_KW => "`ORDER`",
            BY_KW => "`BY`",
            ASC_KW => "`ASC`",
            DESC_KW => "`DESC`",
            SKIP_KW => "`SKIP`",
            LIMIT_KW => "`LIMIT`",
            UNIQUE_KW => "`UNIQUE`",
            TREE_KW => "`TREE`",
            AND_KW => "`AND`",
            OR_KW => "`OR`",
            TO_KW => "`TO`",
            RELATES_KW => "`RELATES`",
            TRUE_KW => "`true`",
            FALSE_KW => "`false`",
            UNDEFINED_KW => "`undefined`",
            IDENT => "a name",
            BRACKETED_NAME => "a bracketed name",
            STRING => "a string",
            NUMBER => "a number",
            DATE_LITERAL => "a date",
            DATE_NOW => "`date.now`",
            REGEX => "a regular expression",
            PARAM => "a parameter",
            TEMPLATE => "a placeholder",
            SMART_CLASS_NAME => "a smart class",
            EQ => "`=`",
            NEQ => "`!=`",
            GT => "`>`",
            LT => "`<`",
            GTE => "`>=`",
            LTE => "`<=`",
            TILDE_EQ => "`~=`",
            CARET_EQ => "`^=`",
            DOLLAR_EQ => "`$=`",
            NOT_TILDE_EQ => "`!~=`",
            NOT_CARET_EQ => "`!^=`",
            NOT_DOLLAR_EQ => "`!$=`",
            SHL => "`<<`",
            SHR => "`>>`",
            BANG => "`!`",
            PIPE => "`|`",
            L_PAREN => "`(`",
            R_PAREN => "`)`",
            R_PAREN_QUESTION => "`)?`",
            QUESTION => "`?`",
            COMMA => "`,`",
            SEMICOLON => "`;`",
            DOT => "`.`",
            STAR => "`*`",
            PLUS => "`+`",
            MINUS => "`-`",
            SLASH => "`/`",
            CARET => "`^`",
            ERROR_TOKEN => "an unrecognised character",
            _ => "a syntax node",
        }
    }

    /// Converts a raw rowan kind back; out-of-range values map to [`SyntaxKind::ERROR`].
    pub fn from_raw(raw: u16) -> SyntaxKind {
        if raw <= ERROR as u16 {
            // SAFETY: `SyntaxKind` is `repr(u16)` with contiguous discriminants from 0 to ERROR.
            unsafe { std::mem::transmute::<u16, SyntaxKind>(raw) }
        } else {
            ERROR
        }
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag for J1QL trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum J1ql {}

impl rowan::Language for J1ql {
    type Kind = SyntaxKind;
    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        SyntaxKind::from_raw(raw.0)
    }
    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

/// A node of a J1QL syntax tree.
pub type SyntaxNode = rowan::SyntaxNode<J1ql>;
/// A token of a J1QL syntax tree.
pub type SyntaxToken = rowan::SyntaxToken<J1ql>;
/// A node or a token.
pub type SyntaxElement = rowan::SyntaxElement<J1ql>;

#[cfg(test)]
mod keyword_tests {
    use super::*;

    #[test]
    fn keywords_are_exactly_the_keyword_kinds() {
        let kinds: Vec<SyntaxKind> = KEYWORDS
            .iter()
            .map(|k| crate::lexer::tokenize(k).0[0].kind)
            .collect();
        assert!(kinds.iter().all(|k| k.is_keyword()), "{kinds:?}");
        let mut distinct = kinds.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            (UNDEFINED_KW as u16 - FIND_KW as u16 + 1) as usize
        );
    }
}
