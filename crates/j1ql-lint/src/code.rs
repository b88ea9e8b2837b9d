//! Every code the linter reports, as one type ([`Code`]): syntax errors (`P…`), semantic
//! diagnostics (`S…`), the lint rules of this crate (`L…`, [`RuleCode`]) and the two codes of
//! the project pipeline. Printers, the configuration check and the language server all go
//! through it, so a code is never a free-form string.

use std::fmt;

pub use j1ql_semantics::Code as SemanticCode;
pub use j1ql_syntax::ErrorCode as SyntaxCode;

macro_rules! rule_codes {
    ($($variant:ident = $code:literal, $name:literal;)*) => {
        /// The lint rules of this crate.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleCode {
            $(#[doc = concat!("`", $code, "` (", $name, ")")] $variant,)*
        }

        impl RuleCode {
            /// Every rule code, in order.
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant),*];

            /// The stable code (`L001`).
            pub fn as_str(self) -> &'static str {
                match self { $(RuleCode::$variant => $code,)* }
            }

            /// The kebab-case name (`keyword-case`).
            pub fn name(self) -> &'static str {
                match self { $(RuleCode::$variant => $name,)* }
            }
        }
    };
}

rule_codes! {
    KeywordCase = "L001", "keyword-case";
    NeqAndGroup = "L002", "neq-and-group";
    ContradictoryFilter = "L003", "contradictory-filter";
    TautologicalFilter = "L004", "tautological-filter";
    DuplicateCondition = "L005", "duplicate-condition";
    RedundantParentheses = "L006", "redundant-parentheses";
    UnusedAlias = "L007", "unused-alias";
    ReservedAlias = "L008", "reserved-alias";
    LimitTooLarge = "L009", "limit-too-large";
    AlertReturnWildcard = "L010", "alert-return-wildcard";
    DoubleQuotedString = "L011", "double-quoted-string";
    BooleanAsString = "L012", "boolean-as-string";
    AliasBeforeWith = "L013", "alias-before-with";
    LiteralTypeMismatch = "L014", "literal-type-mismatch";
}

/// Any code a finding can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A syntax error (`P001`…): always reported, always an error.
    Syntax(SyntaxCode),
    /// A semantic diagnostic (`S001`…).
    Semantic(SemanticCode),
    /// A lint rule (`L001`…).
    Rule(RuleCode),
    /// A parameter the project's `[params]` has no value for.
    UnknownParameter,
    /// A part of a host file that holds J1QL but cannot be mapped exactly.
    Unmapped,
}

impl Code {
    /// The stable code as printed (`P004`, `S010`, `L001`, `unknown-parameter`, `unmapped`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax(c) => c.as_str(),
            Code::Semantic(c) => c.as_str(),
            Code::Rule(c) => c.as_str(),
            Code::UnknownParameter => "unknown-parameter",
            Code::Unmapped => "unmapped",
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Code::Syntax(c) => c.name(),
            Code::Semantic(c) => c.name(),
            Code::Rule(c) => c.name(),
            Code::UnknownParameter => "unknown-parameter",
            Code::Unmapped => "unmapped-region",
        }
    }

    /// Every code.
    pub fn all() -> impl Iterator<Item = Code> {
        SyntaxCode::ALL
            .into_iter()
            .map(Code::Syntax)
            .chain(SemanticCode::ALL.into_iter().map(Code::Semantic))
            .chain(RuleCode::ALL.iter().copied().map(Code::Rule))
            .chain([Code::UnknownParameter, Code::Unmapped])
    }

    /// The code written as `code` (any case) or by its name.
    pub fn parse(code: &str) -> Option<Code> {
        Code::all().find(|c| c.as_str().eq_ignore_ascii_case(code) || c.name() == code)
    }

    /// Whether this is a style rule (`L…`), which `check` and `run` leave to `lint`. L014
    /// (a literal that can never match its property's type) is about what the query answers,
    /// not how it is written, so `check` and `run` report it too.
    pub fn is_style(self) -> bool {
        matches!(self, Code::Rule(r) if r != RuleCode::LiteralTypeMismatch)
    }

    /// Whether `j1ql lint --explain` documents it (the registry's codes).
    pub fn is_registered(self) -> bool {
        matches!(self, Code::Semantic(_) | Code::Rule(_))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    /// Compares with a printed code (`code == "L001"`).
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    /// As its printed code.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_rule_has_its_code_and_the_codes_parse_back() {
        for rule in crate::RULES {
            let code = Code::parse(rule.code).expect("a registered code parses");
            assert_eq!(code.as_str(), rule.code);
            assert_eq!(code.name(), rule.name);
        }
        for code in Code::all() {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(Code::parse(code.name()), Some(code));
            if code.is_registered() {
                assert!(
                    crate::registry::rule(code.as_str()).is_some(),
                    "{code} is not in the registry"
                );
            }
        }
        assert_eq!(Code::parse("S999"), None);
    }
}
