//! The rule registry: every code the linter can report, with its name, default severity,
//! documentation (a paragraph, a bad and a good example) and whether its fix is safe.
//!
//! Codes are stable and never change meaning (as in ruff's `codes.rs`): `S001`–`S019` are the
//! semantic checks of `j1ql-semantics`, reported under the same codes; `L001`... are the lint
//! rules of this crate. Syntax errors (`P001`...) are always reported and cannot be turned off.

use j1ql_semantics::{Code, Severity};

/// Whether applying a fix keeps the query's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The rule has no fix.
    None,
    /// Keeps the meaning: applied by `--fix`.
    Safe,
    /// May change the meaning (or rewrites what the author may have meant otherwise): applied
    /// only with `--unsafe-fixes`.
    Unsafe,
}

/// One rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code (`L001`).
    pub code: &'static str,
    /// Kebab-case name (`keyword-case`).
    pub name: &'static str,
    /// Severity unless configured.
    pub severity: Severity,
    /// Whether it runs when `[lint] select` is not given.
    pub default_enabled: bool,
    /// The fix it offers.
    pub fix: Applicability,
    /// What it checks and why (one paragraph).
    pub doc: &'static str,
    /// A query it reports.
    pub bad: &'static str,
    /// The same query, written so that it does not.
    pub good: &'static str,
}

impl Rule {
    /// The text `j1ql lint --explain CODE` prints.
    pub fn explain(&self) -> String {
        let fix = match self.fix {
            Applicability::None => "no automatic fix",
            Applicability::Safe => "a safe fix (applied by `--fix`)",
            Applicability::Unsafe => "an unsafe fix (applied by `--fix --unsafe-fixes`)",
        };
        format!(
            "{code} {name}\n\nDefault severity: {sev}{off}. Offers {fix}.\n\n{doc}\n\nBad:\n\n    {bad}\n\nGood:\n\n    {good}\n",
            code = self.code,
            name = self.name,
            sev = self.severity.as_str(),
            off = if self.default_enabled { "" } else { " (not enabled by default: select it)" },
            doc = self.doc,
            bad = self.bad.replace('\n', "\n    "),
            good = self.good.replace('\n', "\n    "),
        )
    }
}

/// Looks a rule up by code (any case) or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// The registry entry of a semantic code.
pub fn semantic_rule(code: Code) -> &'static Rule {
    rule(code.as_str()).expect("every semantic code is registered")
}

const fn sem(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    doc: &'static str,
    bad: &'static str,
    good: &'static str,
) -> Rule {
    Rule {
        code,
        name,
        severity,
        default_enabled: true,
        fix: Applicability::None,
        doc,
        bad,
        good,
    }
}

/// A semantic rule whose diagnostics may carry a suggestion (a likely name for a typo): the
/// fix changes what the query matches, so it is unsafe.
const fn sem_fix(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    doc: &'static str,
    bad: &'static str,
    good: &'static str,
) -> Rule {
    Rule {
        fix: Applicability::Unsafe,
        ..sem(code, name, severity, doc, bad, good)
    }
}

use Severity::{Error, Info, Warning};

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    sem_fix("S001", "undefined-alias", Error,
        "A selector used in WHERE, RETURN, ORDER BY or HAVING must be an alias defined with `AS` earlier in the query. JupiterOne rejects the query (\"Invalid return selector\").",
        "FIND User AS u THAT IS Person AS p WHERE usr.active = true RETURN q.name",
        "FIND User AS u THAT IS Person AS p WHERE u.active = true RETURN p.name"),
    sem("S002", "duplicate-alias", Error,
        "Each alias names one entity or relationship of the pattern; defining the same alias twice makes every later reference ambiguous.",
        "FIND User AS u THAT IS Person AS u",
        "FIND User AS u THAT IS Person AS p"),
    sem("S003", "unique-without-return", Warning,
        "`UNIQUE` removes duplicate rows of a RETURN; without RETURN it has no effect (JupiterOne accepts it and ignores it).",
        "FIND UNIQUE User THAT IS Person",
        "FIND UNIQUE User AS u THAT IS Person RETURN u.name"),
    sem("S004", "where-without-alias", Error,
        "WHERE compares properties of named entities, so each property needs its alias (`u.active`). Filter one entity's own properties with WITH instead.",
        "FIND User AS u WHERE active = true",
        "FIND User AS u WHERE u.active = true"),
    sem_fix("S005", "aggregate-unknown-alias", Error,
        "An aggregate (`count`, `sum`, `avg`, `min`, `max`) counts or combines the entities of an alias; the alias must be defined in the query.",
        "FIND Account AS acct THAT HAS User AS user RETURN acct.name, count(usr)",
        "FIND Account AS acct THAT HAS User AS user RETURN acct.name, count(user)"),
    sem("S006", "operator-value-mismatch", Error,
        "String operators (`~=`, `^=`, `$=` and their negations) need a string or regex; ordering operators (`>`, `<`, ...) need a number or date. Any other pairing never matches.",
        "FIND Person WITH firstName ^= 5 AND age > 'old'",
        "FIND Person WITH firstName ^= 'J' AND age > 30"),
    sem("S007", "invalid-date", Error,
        "`date(...)` takes the ISO 8601 forms J1QL documents (`2019`, `2019-10`, `2019-10-30`, with an optional time and zone); an impossible date never matches.",
        "FIND DataStore WITH createdOn > date(2019-02-30)",
        "FIND DataStore WITH createdOn > date(2019-10-30T10:00:00Z)"),
    sem_fix("S008", "unknown-date-unit", Error,
        "A relative date counts in `hour`, `day`, `week`, `month` or `year` units (and their plurals and short forms); anything else is rejected.",
        "FIND DataStore WITH createdOn > date.now - 1 dya",
        "FIND DataStore WITH createdOn > date.now - 1 day"),
    sem("S009", "invalid-paging", Error,
        "LIMIT must be a positive integer and SKIP a non-negative one.",
        "FIND Person SKIP -1 LIMIT 0",
        "FIND Person SKIP 10 LIMIT 5"),
    sem_fix("S010", "unknown-class", Warning,
        "A TitleCase word after FIND or THAT is an entity class of the JupiterOne data model; a class that is not in it (often a typo) matches nothing.",
        "FIND Usr THAT HAS Device",
        "FIND User THAT HAS Device"),
    sem_fix("S011", "unknown-verb", Warning,
        "Relationship verbs come from the data model's relationship classes (`HAS`, `IS`, `USES`, ...); an unknown verb matches no relationship.",
        "FIND User THAT HASS Device",
        "FIND User THAT HAS Device"),
    sem_fix("S012", "unknown-smart-class", Warning,
        "A `#Name` is a configured smart class or a tag; one that is neither matches nothing. Whether a tag exists depends on the data, so this is reported only where data is loaded (`j1ql run`, the language server with a workspace graph), not by `j1ql lint`.",
        "FIND #Prodution Application",
        "FIND #Production Application"),
    sem_fix("S013", "unknown-type", Info,
        "A snake_case word after FIND or THAT is an entity `_type`; one no integration defines (often a typo) matches nothing.",
        "FIND aws_s3_buckt WITH encrypted = false",
        "FIND aws_s3_bucket WITH encrypted = false"),
    sem("S014", "wildcard-traversal", Warning,
        "`FIND *` followed by a traversal starts from every entity in the account, which is slow and often times out (the J1QL reference warns about it). Narrow the start with a class, a type, or a WITH filter.",
        "FIND * THAT HAS Finding",
        "FIND * WITH tag.Production = true THAT HAS Finding"),
    sem("S015", "mixed-value-group", Error,
        "A value group is either all OR (`= ('a' OR 'b')`: either value) or all AND (`= ('a' AND 'b')`: both); mixing them has no defined meaning.",
        "FIND Host WITH tag.Environment = ('A' OR 'B' AND 'C')",
        "FIND Host WITH tag.Environment = ('A' OR 'B' OR 'C')"),
    sem("S016", "unknown-function", Error,
        "RETURN may call the aggregates (`count`, `sum`, `avg`, `min`, `max`) and the scalar functions J1QL documents (`concat`, `merge`, `coalesce`, `round`, `abs`, `ceil`, `floor`, `sqrt`).",
        "FIND User AS u RETURN cnt(u)",
        "FIND User AS u RETURN count(u)"),
    sem("S017", "value-first-string-operator", Error,
        "String operators read `property ~= value`; with the value on the left the comparison is not the one intended.",
        "FIND User WITH 'admin' ~= username",
        "FIND User WITH username ~= 'admin'"),
    sem_fix("S018", "unquoted-string", Error,
        "String values are quoted (the J1QL reference: \"String values must be wrapped in either single or double quotes\"). After a WITH comparison a bare word is not a string, and WITH compares a property with a value, not with another property, so `dept = eng` would silently look for users without a `dept`. The (unsafe) fix quotes the word; to compare two properties, name the entities with `AS` and use WHERE.",
        "FIND User WITH department = engineering",
        "FIND User WITH department = 'engineering'"),
    sem_fix("S019", "aggregate-needs-field", Error,
        "`min`, `max`, `sum` and `avg` combine the values of a property, so they take `selector.field` (the J1QL reference lists them only in that form); only `count` takes a whole selector. Over a bare selector they would silently give null or 0. The (unsafe) fix counts the entities instead; usually a property was meant.",
        "FIND Finding AS f RETURN max(f)",
        "FIND Finding AS f RETURN max(f.numericSeverity), count(f)"),
    Rule {
        code: "L001", name: "keyword-case", severity: Warning, default_enabled: true, fix: Applicability::Safe,
        doc: "Keywords and relationship verbs are written in upper case (JupiterOne's published style, and the formatter's `keyword-case`), so the structure of a query stands out from class, type and property names. Keywords used as property names (`limit = 5`) are left alone.",
        bad: "find User with active = true that has Device",
        good: "FIND User WITH active = true THAT HAS Device",
    },
    Rule {
        code: "L002", name: "neq-and-group", severity: Warning, default_enabled: true, fix: Applicability::Unsafe,
        doc: "`x != ('a' AND 'b')` is the negation of \"x has both a and b\", so it matches when x lacks either one: `x != 'a' OR x != 'b'` (De Morgan). Most readers take it for \"neither\", which is `x != ('a' OR 'b')`. Write the De Morgan form to say what is meant; the (unsafe) fix rewrites it so, keeping the meaning.",
        bad: "FIND Host WITH tag.Env != ('prod' AND 'stage')",
        good: "FIND Host WITH (tag.Env != 'prod' OR tag.Env != 'stage')",
    },
    Rule {
        code: "L003", name: "contradictory-filter", severity: Warning, default_enabled: true, fix: Applicability::None,
        doc: "A filter that can never match: the same property compared with `=` to two different values under AND (on a scalar property it cannot hold both; properties whose names read as lists, such as `actions` or `permissions`, are skipped, since on an array `=` means \"contains\"), or with `=` and `!=` to the same value. The query returns nothing; usually OR or a value group was meant.",
        bad: "FIND User WITH status = 'active' AND status = 'staged'",
        good: "FIND User WITH status = ('active' OR 'staged')",
    },
    Rule {
        code: "L004", name: "tautological-filter", severity: Warning, default_enabled: true, fix: Applicability::None,
        doc: "A filter that always matches: the same property compared with `=` and `!=` to the same value under OR (`!=` is the exact negation of `=`, undefined included). It filters nothing; usually AND or another value was meant.",
        bad: "FIND User WITH active = true OR active != true",
        good: "FIND User WITH active = true OR mfaEnabled != true",
    },
    Rule {
        code: "L005", name: "duplicate-condition", severity: Warning, default_enabled: true, fix: Applicability::Safe,
        doc: "The same condition twice in one AND or OR chain adds nothing and often hides a copy-paste mistake (another property or value was meant). The fix removes the repetition.",
        bad: "FIND User WITH active = true AND active = true",
        good: "FIND User WITH active = true",
    },
    Rule {
        code: "L006", name: "redundant-parentheses", severity: Info, default_enabled: true, fix: Applicability::Safe,
        doc: "Parentheses around a whole WITH or WHERE filter, around a single comparison, around another parenthesised filter, or around an AND chain inside AND (or OR inside OR) change nothing. The fix removes them. Parentheses that make AND-inside-OR explicit are left alone.",
        bad: "FIND User WITH (active = true) AND (mfa = true AND admin = true)",
        good: "FIND User WITH active = true AND mfa = true AND admin = true",
    },
    Rule {
        code: "L007", name: "unused-alias", severity: Info, default_enabled: true, fix: Applicability::Safe,
        doc: "An alias (`AS name`) that WHERE, RETURN, ORDER BY and HAVING never use names nothing. It is either leftover or a sign that a reference uses another name. The fix removes it.",
        bad: "FIND User AS u THAT HAS Device AS d RETURN u.name",
        good: "FIND User AS u THAT HAS Device RETURN u.name",
    },
    Rule {
        code: "L008", name: "reserved-alias", severity: Error, default_enabled: true, fix: Applicability::None,
        doc: "JupiterOne's parser rejects keywords and function names as aliases (`count`, `sum`, `avg`, `min`, `max`, `find`, `that`, `with`, `where`, `return`, `order`, `by`, `limit`, `skip`, `has`, `relates`, `to`, `from`, `and`, `or`, `not`, `true`, `false`, `null`, `undefined`, `as`). Choose another name.",
        bad: "FIND User AS count RETURN count.name",
        good: "FIND User AS u RETURN u.name",
    },
    Rule {
        code: "L009", name: "limit-too-large", severity: Warning, default_enabled: true, fix: Applicability::None,
        doc: "JupiterOne returns at most `max-limit` rows in one page (250 unless configured in `[lint] max-limit`); a larger LIMIT is rejected or silently capped. Page with SKIP, or aggregate with `count(...)`.",
        bad: "FIND User LIMIT 1000",
        good: "FIND User LIMIT 250",
    },
    Rule {
        code: "L010", name: "alert-return-wildcard", severity: Warning, default_enabled: true, fix: Applicability::None,
        doc: "An alert rule stores and sends its results; `RETURN x.*` spreads every property of every entity into the alert, which makes alerts large, changes their shape whenever an integration adds a property, and can leak sensitive values. Return the properties the alert needs. Only queries in alert files (`[lint] alert-paths`) are checked.",
        bad: "FIND aws_s3_bucket WITH public = true AS b RETURN b.*",
        good: "FIND aws_s3_bucket WITH public = true AS b RETURN b.name, b.webLink",
    },
    Rule {
        code: "L011", name: "double-quoted-string", severity: Info, default_enabled: false, fix: Applicability::Safe,
        doc: "JupiterOne's own guides write string values in single quotes. Double quotes work the same; select this rule to keep a code base uniform. The fix switches the quotes when no escaping is needed.",
        bad: "FIND User WITH name = \"admin\"",
        good: "FIND User WITH name = 'admin'",
    },
    Rule {
        code: "L012", name: "boolean-as-string", severity: Warning, default_enabled: true, fix: Applicability::Unsafe,
        doc: "`'true'`, `'false'`, `'yes'` or `'no'` in quotes is a string, and a boolean property never equals a string. Compare with `true` or `false`. The fix is unsafe: the property may really hold strings. Where the data model or the loaded data knows the property's type, L014 decides instead (and this rule is not reported).",
        bad: "FIND Host WITH tag.Production = 'true'",
        good: "FIND Host WITH tag.Production = true",
    },
    Rule {
        code: "L013", name: "alias-before-with", severity: Info, default_enabled: true, fix: Applicability::None,
        doc: "JupiterOne's reference puts the alias after the filters (`FIND User WITH active = true AS u`). The alias first is accepted, but older JupiterOne parsers and tools reject it; keep one order.",
        bad: "FIND User AS u WITH active = true RETURN u.name",
        good: "FIND User WITH active = true AS u RETURN u.name",
    },
    Rule {
        code: "L014", name: "literal-type-mismatch", severity: Warning, default_enabled: true, fix: Applicability::Unsafe,
        doc: "J1QL compares types strictly: the string `'false'` never equals the boolean `false`, and a number never equals a string. When the data model (the schemas of the entity's classes and types) or the loaded data (the types of the values seen for the property) knows what a property holds, a WITH comparison (`=`, `!=`) with a literal of another type is reported: a quoted `'true'`/`'false'` or number against a boolean or number property, and an unquoted boolean or number against a string property. The J1QL reference's own `tag.Production='false'` matches nothing where tags are booleans. The (unsafe) fix writes the literal in the property's type. Where the type is known, L012 leaves the literal to this rule; without data, `j1ql lint` knows only the data model.",
        bad: "FIND User WITH active = 'true'",
        good: "FIND User WITH active = true",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_cover_semantics() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        for code in Code::ALL {
            let rule = semantic_rule(code);
            assert_eq!(rule.name, code.name());
            assert_eq!(rule.severity, code.default_severity(), "{}", rule.code);
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }
}
