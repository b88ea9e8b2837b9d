//! Semantic diagnostics: stable codes, severities, messages and suggested fixes.

use j1ql_syntax::TextRange;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hint for the editor (not shown by `j1ql check`).
    Hint,
    /// Worth knowing.
    Info,
    /// Probably a mistake, but the query runs.
    Warning,
    /// The query cannot run as written.
    Error,
}

impl Severity {
    /// Lower-case name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The stable code of a semantic diagnostic (`S001`...). Codes never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// S001: an alias is used in WHERE/RETURN/ORDER BY/HAVING but never defined.
    UndefinedAlias,
    /// S002: the same alias is defined twice.
    DuplicateAlias,
    /// S003: UNIQUE without RETURN (it has no effect there).
    UniqueWithoutReturn,
    /// S004: a WHERE property without `alias.` (WHERE needs selectors).
    WhereWithoutAlias,
    /// S005: an aggregate over an alias that is not defined.
    AggregateUnknownAlias,
    /// S006: an operator and a value that can never match (`^=` with a number).
    OperatorValueMismatch,
    /// S007: a `date(...)` that is not one of the ISO 8601 forms J1QL takes.
    InvalidDate,
    /// S008: a relative date with an unknown unit.
    UnknownDateUnit,
    /// S009: LIMIT zero or negative, SKIP negative, or not an integer.
    InvalidPaging,
    /// S010: a TitleCase class not in the data model.
    UnknownClass,
    /// S011: a relationship verb not in the data model.
    UnknownVerb,
    /// S012: a smart class that is neither configured nor a tag seen in the data.
    UnknownSmartClass,
    /// S013: an entity type not in the data model or the loaded data.
    UnknownType,
    /// S014: `FIND *` followed by THAT without WITH (slow, as the spec warns).
    WildcardTraversal,
    /// S015: a value group mixing AND and OR.
    MixedValueGroup,
    /// S016: an unknown function in RETURN.
    UnknownFunction,
    /// S017: a string operator with the value on the left (`'x' ~= name`).
    ValueFirstStringOperator,
    /// S018: an unquoted word as the value of a WITH comparison (`dept = eng`): J1QL string
    /// values are quoted, and WITH compares a property with a value, never with another
    /// property (that is WHERE's job), so the word would silently read as a missing property.
    UnquotedString,
    /// S019: `min`/`max`/`sum`/`avg` over a whole selector (`max(u)`): they combine the values
    /// of a field; only `count` takes a bare selector.
    AggregateNeedsField,
}

impl Code {
    /// All codes in order.
    pub const ALL: [Code; 19] = [
        Code::UndefinedAlias,
        Code::DuplicateAlias,
        Code::UniqueWithoutReturn,
        Code::WhereWithoutAlias,
        Code::AggregateUnknownAlias,
        Code::OperatorValueMismatch,
        Code::InvalidDate,
        Code::UnknownDateUnit,
        Code::InvalidPaging,
        Code::UnknownClass,
        Code::UnknownVerb,
        Code::UnknownSmartClass,
        Code::UnknownType,
        Code::WildcardTraversal,
        Code::MixedValueGroup,
        Code::UnknownFunction,
        Code::ValueFirstStringOperator,
        Code::UnquotedString,
        Code::AggregateNeedsField,
    ];

    /// The printed code.
    pub fn as_str(self) -> &'static str {
        const CODES: [&str; 19] = [
            "S001", "S002", "S003", "S004", "S005", "S006", "S007", "S008", "S009", "S010", "S011",
            "S012", "S013", "S014", "S015", "S016", "S017", "S018", "S019",
        ];
        CODES[self as usize]
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Code::UndefinedAlias => "undefined-alias",
            Code::DuplicateAlias => "duplicate-alias",
            Code::UniqueWithoutReturn => "unique-without-return",
            Code::WhereWithoutAlias => "where-without-alias",
            Code::AggregateUnknownAlias => "aggregate-unknown-alias",
            Code::OperatorValueMismatch => "operator-value-mismatch",
            Code::InvalidDate => "invalid-date",
            Code::UnknownDateUnit => "unknown-date-unit",
            Code::InvalidPaging => "invalid-paging",
            Code::UnknownClass => "unknown-class",
            Code::UnknownVerb => "unknown-verb",
            Code::UnknownSmartClass => "unknown-smart-class",
            Code::UnknownType => "unknown-type",
            Code::WildcardTraversal => "wildcard-traversal",
            Code::MixedValueGroup => "mixed-value-group",
            Code::UnknownFunction => "unknown-function",
            Code::ValueFirstStringOperator => "value-first-string-operator",
            Code::UnquotedString => "unquoted-string",
            Code::AggregateNeedsField => "aggregate-needs-field",
        }
    }

    /// The severity it has unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnknownClass
            | Code::UnknownVerb
            | Code::UnknownSmartClass
            | Code::WildcardTraversal
            // The spec says UNIQUE needs RETURN, but JupiterOne's own shipped questions use
            // it alone (7 of them): it is accepted and has no effect, so this is a warning.
            | Code::UniqueWithoutReturn => Severity::Warning,
            Code::UnknownType => Severity::Info,
            _ => Severity::Error,
        }
    }

    /// Looks a code up by its printed form or name.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use j1ql_syntax::edit::TextEdit;

/// A suggested fix: a title and the edits that apply it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the fix does ("Replace with `User`").
    pub title: String,
    /// The edits.
    pub edits: Vec<TextEdit>,
}

/// One semantic diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    #[serde(serialize_with = "serialize_code")]
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// Where (byte offsets of the document).
    #[serde(serialize_with = "serialize_range")]
    pub range: TextRange,
    /// What is wrong, and what would be right.
    pub message: String,
    /// A suggested fix, when there is an obvious one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no fix.
    pub fn new(code: Code, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            fix: None,
        }
    }

    /// Adds a fix replacing `range` with `new_text`.
    pub fn with_replacement(mut self, title: String, range: TextRange, new_text: String) -> Self {
        self.fix = Some(Fix {
            title,
            edits: vec![TextEdit { range, new_text }],
        });
        self
    }
}

fn serialize_code<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

fn serialize_range<S: serde::Serializer>(r: &TextRange, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Range", 2)?;
    st.serialize_field("start", &u32::from(r.start()))?;
    st.serialize_field("end", &u32::from(r.end()))?;
    st.end()
}
