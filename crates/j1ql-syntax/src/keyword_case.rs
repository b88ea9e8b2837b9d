//! Keyword case: which tokens' case is a matter of style, and what they become. The formatter
//! writes keywords this way and lint rule L001 (`keyword-case`) reports exactly what the
//! formatter would change, so the two can never disagree (docs/formatter.md "Keyword case").
//!
//! - Clause keywords and operators (`FIND`, `WITH`, `AND`, `AS` …) and relationship verbs
//!   written as words (`HAS`, `relates`) follow the configured case.
//! - `true`, `false` and `undefined` used as values are always lower case.
//! - Words used as names keep their case, even when spelled like a keyword: a property path
//!   (`tag.True`), an alias (`AS tree`), and a verb that the query also uses as an implicit
//!   alias (`… THAT has … RETURN has._class`: JupiterOne names the relationship by the verb as
//!   written, so its case is part of the name).

use std::collections::HashSet;

use crate::{SyntaxKind::*, SyntaxNode, SyntaxToken};

/// The case keywords are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// `FIND … WITH … THAT HAS`.
    Upper,
    /// `find … with … that has`.
    Lower,
}

/// The words a query uses as the first segment of a path (alias references), upper-cased:
/// a verb among them names an implicit alias and keeps its case.
pub fn alias_references(query: &SyntaxNode) -> HashSet<String> {
    query
        .descendants()
        .filter(|n| n.kind() == PATH)
        .filter_map(|path| path.first_token())
        .map(|t| t.text().to_ascii_uppercase())
        .collect()
}

/// The text `token` has in `casing`, or `None` when its case is not a matter of style.
/// `alias_refs` comes from [`alias_references`] of the token's query.
pub fn recased(
    token: &SyntaxToken,
    casing: Casing,
    alias_refs: &HashSet<String>,
) -> Option<String> {
    let text = token.text();
    if is_value_keyword(token) {
        return Some(text.to_ascii_lowercase());
    }
    let styled = is_casable_keyword(token)
        || (is_verb_word(token) && !alias_refs.contains(&text.to_ascii_uppercase()));
    styled.then(|| match casing {
        Casing::Upper => text.to_ascii_uppercase(),
        Casing::Lower => text.to_ascii_lowercase(),
    })
}

/// `true`, `false` or `undefined` used as a value, whose case does not matter. The same words
/// in a property path (`tag.True`) are names, and names are case-sensitive.
pub fn is_value_keyword(token: &SyntaxToken) -> bool {
    matches!(token.kind(), TRUE_KW | FALSE_KW | UNDEFINED_KW)
        && token.parent().is_none_or(|p| p.kind() != PATH)
}

/// A keyword token whose case style may change (not one used as a property name or an alias).
pub fn is_casable_keyword(token: &SyntaxToken) -> bool {
    let kind = token.kind();
    if !kind.is_keyword() || matches!(kind, TRUE_KW | FALSE_KW | UNDEFINED_KW) {
        return false;
    }
    match token.parent().map(|p| p.kind()) {
        Some(PATH) => false,
        Some(ALIAS | COLUMN_ALIAS) => kind == AS_KW,
        _ => true,
    }
}

/// A relationship verb written as a word (`HAS`, `relates`).
pub fn is_verb_word(token: &SyntaxToken) -> bool {
    token.kind() == IDENT && token.parent().is_some_and(|p| p.kind() == VERB)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recase_all(text: &str, casing: Casing) -> String {
        let root = crate::parse(text).syntax_node();
        let refs = alias_references(&root);
        root.descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .map(|t| recased(&t, casing, &refs).unwrap_or_else(|| t.text().to_string()))
            .collect()
    }

    #[test]
    fn keywords_verbs_and_values() {
        assert_eq!(
            recase_all(
                "find User with tag.True = TRUE and x = Undefined that has Host",
                Casing::Upper
            ),
            "FIND User WITH tag.True = true AND x = undefined THAT HAS Host"
        );
        assert_eq!(
            recase_all("FIND User AS tree THAT HAS Host", Casing::Lower),
            "find User as tree that has Host"
        );
    }

    #[test]
    fn a_verb_used_as_an_alias_keeps_its_case() {
        assert_eq!(
            recase_all("find User that has Host return has._class", Casing::Upper),
            "FIND User THAT has Host RETURN has._class"
        );
    }
}
