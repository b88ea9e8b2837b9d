//! Syntax errors: a stable code, a message saying what was expected, and a range.

use rowan::TextRange;

/// The stable code of a syntax error. Codes never change meaning once released; editors,
/// `j1ql check --format json` and suppression comments refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    /// P001: a token that cannot appear here.
    UnexpectedToken,
    /// P002: FIND or THAT without a class, type, `*`, group or smart class.
    MissingSelector,
    /// P003: THAT without a relationship verb.
    MissingVerb,
    /// P004: a `(` without its `)` (or `)?`).
    UnclosedParen,
    /// P005: a string without its closing quote.
    UnterminatedString,
    /// P006: a `/*` comment without `*/`.
    UnterminatedComment,
    /// P007: a comparison operator without a value.
    MissingValue,
    /// P008: a property without a comparison operator, or an operator J1QL does not have.
    MissingOperator,
    /// P009: AND/OR without a condition after it (or a filter keyword with none).
    MissingCondition,
    /// P010: characters the lexer does not recognise.
    UnrecognisedCharacter,
    /// P011: parentheses nested deeper than the parser allows.
    NestingTooDeep,
    /// P012: a clause given twice in one query.
    DuplicateClause,
    /// P013: AS without a name.
    MissingAlias,
    /// P014: SKIP/LIMIT without a number.
    MissingNumber,
    /// P015: ORDER without BY, or ORDER BY without a field.
    MissingOrderBy,
    /// P016: RETURN without anything to return, or a missing expression.
    MissingExpression,
    /// P017: a query that does not start with FIND (or a full-text string).
    MissingFind,
    /// P018: a traversal after WHERE, RETURN, ORDER BY, SKIP or LIMIT.
    ClauseOutOfOrder,
    /// P019: RELATES without TO.
    MissingTo,
    /// P020: more binary or prefix operators in one query than the parser nests.
    TooManyOperators,
    /// P021: more traversals (`THAT ...`) in one query than the evaluator walks.
    TooManyTraversals,
}

impl ErrorCode {
    /// All codes, in code order (for documentation and exhaustive tests).
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::UnexpectedToken,
        ErrorCode::MissingSelector,
        ErrorCode::MissingVerb,
        ErrorCode::UnclosedParen,
        ErrorCode::UnterminatedString,
        ErrorCode::UnterminatedComment,
        ErrorCode::MissingValue,
        ErrorCode::MissingOperator,
        ErrorCode::MissingCondition,
        ErrorCode::UnrecognisedCharacter,
        ErrorCode::NestingTooDeep,
        ErrorCode::DuplicateClause,
        ErrorCode::MissingAlias,
        ErrorCode::MissingNumber,
        ErrorCode::MissingOrderBy,
        ErrorCode::MissingExpression,
        ErrorCode::MissingFind,
        ErrorCode::ClauseOutOfOrder,
        ErrorCode::MissingTo,
        ErrorCode::TooManyOperators,
        ErrorCode::TooManyTraversals,
    ];

    /// The code as printed: `P001` ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnexpectedToken => "P001",
            ErrorCode::MissingSelector => "P002",
            ErrorCode::MissingVerb => "P003",
            ErrorCode::UnclosedParen => "P004",
            ErrorCode::UnterminatedString => "P005",
            ErrorCode::UnterminatedComment => "P006",
            ErrorCode::MissingValue => "P007",
            ErrorCode::MissingOperator => "P008",
            ErrorCode::MissingCondition => "P009",
            ErrorCode::UnrecognisedCharacter => "P010",
            ErrorCode::NestingTooDeep => "P011",
            ErrorCode::DuplicateClause => "P012",
            ErrorCode::MissingAlias => "P013",
            ErrorCode::MissingNumber => "P014",
            ErrorCode::MissingOrderBy => "P015",
            ErrorCode::MissingExpression => "P016",
            ErrorCode::MissingFind => "P017",
            ErrorCode::ClauseOutOfOrder => "P018",
            ErrorCode::MissingTo => "P019",
            ErrorCode::TooManyOperators => "P020",
            ErrorCode::TooManyTraversals => "P021",
        }
    }

    /// A short kebab-case name (`unclosed-paren`), stable like the code.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::UnexpectedToken => "unexpected-token",
            ErrorCode::MissingSelector => "missing-selector",
            ErrorCode::MissingVerb => "missing-verb",
            ErrorCode::UnclosedParen => "unclosed-paren",
            ErrorCode::UnterminatedString => "unterminated-string",
            ErrorCode::UnterminatedComment => "unterminated-comment",
            ErrorCode::MissingValue => "missing-value",
            ErrorCode::MissingOperator => "missing-operator",
            ErrorCode::MissingCondition => "missing-condition",
            ErrorCode::UnrecognisedCharacter => "unrecognised-character",
            ErrorCode::NestingTooDeep => "nesting-too-deep",
            ErrorCode::DuplicateClause => "duplicate-clause",
            ErrorCode::MissingAlias => "missing-alias",
            ErrorCode::MissingNumber => "missing-number",
            ErrorCode::MissingOrderBy => "missing-order-by",
            ErrorCode::MissingExpression => "missing-expression",
            ErrorCode::MissingFind => "missing-find",
            ErrorCode::ClauseOutOfOrder => "clause-out-of-order",
            ErrorCode::MissingTo => "missing-to",
            ErrorCode::TooManyOperators => "too-many-operators",
            ErrorCode::TooManyTraversals => "too-many-traversals",
        }
    }

    /// Looks a code up by its printed form (`P004`).
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One syntax error. The range may be empty: then it marks where something is missing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    /// Stable code.
    pub code: ErrorCode,
    /// What was expected, and what was found.
    pub message: String,
    /// Where, in bytes of the input.
    pub range: TextRange,
}

impl SyntaxError {
    /// A new error.
    pub fn new(code: ErrorCode, message: impl Into<String>, range: TextRange) -> Self {
        SyntaxError {
            code,
            message: message.into(),
            range,
        }
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{:?}: {}", self.code, self.range, self.message)
    }
}
