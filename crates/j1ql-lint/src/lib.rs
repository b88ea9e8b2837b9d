//! # j1ql-lint
//!
//! The J1QL linter: a registry of rules ([`registry::RULES`]), each with a stable code, a
//! name, a default severity, documentation and an optional fix marked safe or unsafe (the
//! design of ruff's rule registry). It reports:
//!
//! - syntax errors (`P001`...; always on, always errors);
//! - every semantic diagnostic of `j1ql-semantics` under its own code (`S001`...);
//! - the lint rules of this crate (`L001`...): keyword case, `!=` with an AND group,
//!   contradictory and tautological filters, duplicate conditions, redundant parentheses,
//!   unused and reserved aliases, LIMIT above a page, `.*` in alert queries, ...
//!
//! `[lint]` in `j1ql.toml` selects rules by code prefix and overrides severities; a
//! `// j1ql-ignore: CODE[, CODE]` comment on the line before a query (or `// j1ql-ignore`
//! alone, for every rule) suppresses findings in that query. [`fix`] applies fixes until none
//! is left, checking after each round that the document still parses to the same queries.

mod code;
mod literal_type;
pub mod registry;
mod rules;

use std::collections::HashSet;

pub use code::{Code, RuleCode, SemanticCode, SyntaxCode};
pub use j1ql_config::{Config, LintConfig, SeverityOverride};
pub use j1ql_semantics::Severity;
use j1ql_syntax::{SyntaxKind, SyntaxNode, TextRange};
pub use registry::{Applicability, Rule, RULES};
use serde::Serialize;

/// What the linter needs to know besides the text.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// `[lint]`.
    pub config: LintConfig,
    /// The formatter's keyword case (rule L001 checks for it).
    pub keyword_case: j1ql_config::KeywordCase,
    /// Whether the queries are alert rules (rule L010); see [`LintOptions::for_path`].
    pub alert: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions::new(&Config::default())
    }
}

impl LintOptions {
    /// Options from a whole configuration, for queries that are not alert rules.
    pub fn new(config: &Config) -> LintOptions {
        LintOptions {
            config: config.lint.clone(),
            keyword_case: config.format.keyword_case,
            alert: false,
        }
    }

    /// Options for the file at `path` (alert rules when it matches `[lint] alert-paths`).
    pub fn for_path(config: &Config, path: &str) -> LintOptions {
        let mut options = LintOptions::new(config);
        options.alert = config
            .lint
            .alert_paths
            .iter()
            .any(|pattern| j1ql_config::glob_match(pattern, path));
        options
    }

    /// Checks that every code of `[lint]` (`select`, `ignore`, `[lint.severity]`) names
    /// something: `ALL`, a rule's name, or a prefix of a rule's code. A typo such as
    /// `ignore = ["S999"]` is an error instead of a silent no-op.
    pub fn validate(config: &LintConfig) -> Result<(), String> {
        let known = |code: &str| {
            code.eq_ignore_ascii_case("ALL")
                || RULES.iter().any(|r| {
                    r.name == code || r.code.starts_with(code.to_ascii_uppercase().as_str())
                })
        };
        let unknown = |code: &str| -> String {
            let suggestion = j1ql_semantics::suggest::best_match(
                code,
                RULES.iter().flat_map(|r| [r.code, r.name]),
            )
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
            format!(
                "unknown lint code `{code}`{suggestion}: codes are S001…, L001… (see `j1ql lint --explain CODE`)"
            )
        };
        for (key, codes) in [("select", &config.select), ("ignore", &config.ignore)] {
            if let Some(bad) = codes.iter().find(|c| c.is_empty() || !known(c)) {
                return Err(format!("`[lint] {key}`: {}", unknown(bad)));
            }
        }
        if let Some(bad) = config.severity.keys().find(|c| {
            !RULES
                .iter()
                .any(|r| r.code.eq_ignore_ascii_case(c) || r.name == *c)
        }) {
            return Err(format!("`[lint.severity]`: {}", unknown(bad)));
        }
        Ok(())
    }

    /// Whether a rule runs.
    pub fn enabled(&self, rule: &Rule) -> bool {
        let matches = |prefix: &String| {
            prefix.eq_ignore_ascii_case("ALL")
                || rule.code.starts_with(prefix.to_ascii_uppercase().as_str())
                || rule.name == prefix
        };
        let selected = if self.config.select.is_empty() {
            rule.default_enabled
        } else {
            self.config.select.iter().any(matches)
        };
        selected
            && !self.config.ignore.iter().any(matches)
            && self.override_for(rule.code) != Some(SeverityOverride::Off)
    }

    fn override_for(&self, code: &str) -> Option<SeverityOverride> {
        self.config
            .severity
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(code))
            .map(|(_, v)| *v)
    }

    /// A rule's severity, configured or default.
    pub fn severity(&self, rule: &Rule) -> Severity {
        match self.override_for(rule.code) {
            Some(SeverityOverride::Hint) => Severity::Hint,
            Some(SeverityOverride::Info) => Severity::Info,
            Some(SeverityOverride::Warning) => Severity::Warning,
            Some(SeverityOverride::Error) => Severity::Error,
            _ => rule.severity,
        }
    }
}

pub use j1ql_syntax::edit::{apply_edits, TextEdit};

/// A fix: a title, its edits, and whether it keeps the meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFix {
    /// What it does.
    pub title: String,
    /// The edits.
    pub edits: Vec<TextEdit>,
    /// Safe or unsafe.
    pub applicability: Applicability,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintDiagnostic {
    /// Stable code (`L001`, `S010`, `P004`).
    pub code: Code,
    /// Kebab-case name.
    pub name: String,
    /// Severity (configured).
    pub severity: Severity,
    /// Where (byte offsets).
    #[serde(serialize_with = "serialize_range")]
    pub range: TextRange,
    /// What is wrong.
    pub message: String,
    /// A fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<LintFix>,
}

fn serialize_range<S: serde::Serializer>(r: &TextRange, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Range", 2)?;
    st.serialize_field("start", &u32::from(r.start()))?;
    st.serialize_field("end", &u32::from(r.end()))?;
    st.end()
}

/// A finding of a rule, before configuration is applied.
pub(crate) struct Finding {
    pub code: RuleCode,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<(String, Vec<TextEdit>)>,
}

impl Finding {
    pub(crate) fn new(code: RuleCode, range: TextRange, message: impl Into<String>) -> Finding {
        Finding {
            code,
            range,
            message: message.into(),
            fix: None,
        }
    }

    pub(crate) fn with_fix(mut self, title: impl Into<String>, edits: Vec<TextEdit>) -> Finding {
        self.fix = Some((title.into(), edits));
        self
    }
}

/// Lints a document: every finding, sorted by position.
pub fn lint(text: &str, options: &LintOptions) -> Vec<LintDiagnostic> {
    lint_in(text, options, &j1ql_semantics::Context::builtin())
}

/// Lints a document against a given data model and configuration (the language server passes
/// the workspace's: classes and types of its data, its smart classes and tags).
pub fn lint_in(
    text: &str,
    options: &LintOptions,
    cx: &j1ql_semantics::Context<'_>,
) -> Vec<LintDiagnostic> {
    lint_analysis(&j1ql_semantics::analyze(text, cx), options)
}

/// Lints a document already analysed (the language server keeps the analysis for its other
/// features, so it is not computed twice).
pub fn lint_analysis(
    analysis: &j1ql_semantics::Analysis,
    options: &LintOptions,
) -> Vec<LintDiagnostic> {
    let mut out: Vec<LintDiagnostic> = analysis
        .parse
        .errors()
        .iter()
        .map(|e| LintDiagnostic {
            code: Code::Syntax(e.code),
            name: e.code.name().to_string(),
            severity: Severity::Error,
            range: e.range,
            message: e.message.clone(),
            fix: None,
        })
        .collect();

    let root = analysis.parse.syntax_node();
    let ignores = ignore_comments(&root);
    let ignored = |code: &str, range: TextRange| {
        ignores.iter().any(|(query, codes)| {
            query.contains_range(range)
                && (codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
        })
    };

    for d in analysis.diagnostics() {
        let rule = registry::semantic_rule(d.code);
        if !options.enabled(rule) || ignored(rule.code, d.range) {
            continue;
        }
        out.push(LintDiagnostic {
            code: Code::Semantic(d.code),
            name: rule.name.to_string(),
            severity: options.severity(rule),
            range: d.range,
            message: d.message.clone(),
            fix: d.fix.as_ref().map(|f| LintFix {
                title: f.title.clone(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| TextEdit {
                        range: e.range,
                        new_text: e.new_text.clone(),
                    })
                    .collect(),
                // Suggestions of the semantic checks (a class for a typo) change what the
                // query matches: never applied without asking.
                applicability: Applicability::Unsafe,
            }),
        });
    }

    // L014 reads the analysis (property types from the catalog and the data); where it knows a
    // literal's property type, L012's guess is not needed.
    let (typed, decided) = literal_type::check(analysis, &root);
    let findings = rules::check(&root, options)
        .into_iter()
        .filter(|f| !(f.code == RuleCode::BooleanAsString && decided.contains(&f.range)))
        .chain(typed);
    for finding in findings {
        let rule = registry::rule(finding.code.as_str()).expect("registered rule");
        if !options.enabled(rule) || ignored(rule.code, finding.range) {
            continue;
        }
        out.push(LintDiagnostic {
            code: Code::Rule(finding.code),
            name: rule.name.to_string(),
            severity: options.severity(rule),
            range: finding.range,
            message: finding.message,
            fix: finding.fix.and_then(|(title, edits)| {
                (rule.fix != Applicability::None).then_some(LintFix {
                    title,
                    edits,
                    applicability: rule.fix,
                })
            }),
        });
    }
    out.sort_by(|a, b| {
        (a.range.start(), a.range.end(), &a.code).cmp(&(b.range.start(), b.range.end(), &b.code))
    });
    out
}

/// `// j1ql-ignore[: CODE, CODE]` comments directly before a query: the query's range and the
/// codes (empty: every code).
fn ignore_comments(root: &SyntaxNode) -> Vec<(TextRange, Vec<String>)> {
    let mut out = Vec::new();
    for query in root.children().filter(|n| n.kind() == SyntaxKind::QUERY) {
        let mut codes: Option<Vec<String>> = None;
        let mut element = query.prev_sibling_or_token();
        while let Some(e) = element {
            match e.kind() {
                SyntaxKind::WHITESPACE => {
                    // Only the line right before the query (and the comments just above it).
                    if e.as_token()
                        .is_some_and(|t| t.text().matches('\n').count() > 1)
                    {
                        break;
                    }
                }
                SyntaxKind::LINE_COMMENT | SyntaxKind::BLOCK_COMMENT => {
                    if let Some(found) = e.as_token().and_then(|t| parse_ignore(t.text())) {
                        codes
                            .get_or_insert_with(Vec::new)
                            .extend(found.iter().cloned());
                        if found.is_empty() {
                            codes = Some(Vec::new());
                            break;
                        }
                    }
                }
                _ => break,
            }
            element = e.prev_sibling_or_token();
        }
        if let Some(codes) = codes {
            out.push((query.text_range(), codes));
        }
    }
    out
}

/// The codes of a `j1ql-ignore` comment (empty: all); `None` for other comments.
fn parse_ignore(comment: &str) -> Option<Vec<String>> {
    let body = comment
        .trim_start_matches("//")
        .trim_start_matches("/*")
        .trim_end_matches("*/")
        .trim();
    let rest = body.strip_prefix("j1ql-ignore")?;
    let rest = rest.trim_start();
    if !(rest.is_empty() || rest.starts_with(':')) {
        return None;
    }
    Some(
        rest.trim_start_matches(':')
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// The result of [`fix`].
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// What is left, in the fixed text.
    pub remaining: Vec<LintDiagnostic>,
}

/// Applies the safe fixes (and the unsafe ones when `unsafe_fixes`) round after round until
/// none applies. A document with syntax errors is not changed. Each round is checked: if the
/// fixed text no longer parses cleanly into as many queries, the round's fixes are tried one
/// by one and the ones that break it are dropped.
pub fn fix(text: &str, options: &LintOptions, unsafe_fixes: bool) -> FixOutcome {
    fix_in(
        text,
        options,
        unsafe_fixes,
        &j1ql_semantics::Context::builtin(),
    )
}

/// [`fix`] against a given data model and configuration (the project's, so that fixes see the
/// classes of its data, its smart classes and tags, as the findings do).
pub fn fix_in(
    text: &str,
    options: &LintOptions,
    unsafe_fixes: bool,
    cx: &j1ql_semantics::Context<'_>,
) -> FixOutcome {
    let lint = |t: &str, o: &LintOptions| lint_in(t, o, cx);
    let mut current = text.to_string();
    let mut applied = 0;
    let mut rejected: HashSet<(Code, u32, String)> = HashSet::new();
    let query_count = |t: &str| -> Option<usize> {
        let parse = j1ql_syntax::parse(t);
        parse
            .errors()
            .is_empty()
            .then(|| parse.document().queries().count())
    };
    let Some(queries) = query_count(text) else {
        return FixOutcome {
            remaining: lint(text, options),
            text: current,
            applied,
        };
    };
    for _round in 0..50 {
        let diagnostics = lint(&current, options);
        let mut chosen: Vec<&LintDiagnostic> = Vec::new();
        let mut taken: Vec<TextRange> = Vec::new();
        // Suggestions of the semantic checks rename references, which other rules (unused
        // alias) depend on: they get rounds of their own.
        let semantic_round = unsafe_fixes
            && diagnostics.iter().any(|d| {
                matches!(d.code, Code::Semantic(_))
                    && d.fix.is_some()
                    && !rejected.contains(&(d.code, u32::from(d.range.start()), d.message.clone()))
            });
        for d in diagnostics
            .iter()
            .filter(|d| matches!(d.code, Code::Semantic(_)) == semantic_round)
        {
            let Some(fix) = &d.fix else { continue };
            let allowed = match fix.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => unsafe_fixes,
                Applicability::None => false,
            };
            let key = (d.code, u32::from(d.range.start()), d.message.clone());
            if !allowed || fix.edits.is_empty() || rejected.contains(&key) {
                continue;
            }
            let overlaps = fix.edits.iter().any(|e| {
                taken.iter().any(|t| {
                    t.intersect(e.range).is_some()
                        && !(t.is_empty() && e.range.is_empty() && t != &e.range)
                })
            });
            if overlaps {
                continue;
            }
            taken.extend(fix.edits.iter().map(|e| e.range));
            chosen.push(d);
        }
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<TextEdit> = chosen
            .iter()
            .flat_map(|d| d.fix.as_ref().unwrap().edits.iter().cloned())
            .collect();
        let candidate = apply_edits(&current, &edits);
        if query_count(&candidate) == Some(queries) {
            current = candidate;
            applied += chosen.len();
            continue;
        }
        // One at a time, dropping the ones that break the document.
        let mut progressed = false;
        for d in chosen {
            let key = (d.code, u32::from(d.range.start()), d.message.clone());
            let candidate = apply_edits(&current, &d.fix.as_ref().unwrap().edits);
            if query_count(&candidate) == Some(queries) {
                current = candidate;
                applied += 1;
                progressed = true;
                break; // ranges of the others are stale now
            }
            rejected.insert(key);
        }
        let _ = progressed;
    }
    FixOutcome {
        remaining: lint(&current, options),
        text: current,
        applied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_in_the_configuration_are_errors() {
        let config = |select: &[&str], ignore: &[&str]| LintConfig {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ..LintConfig::default()
        };
        assert!(
            LintOptions::validate(&config(&["S", "L0", "ALL", "keyword-case"], &["L001"])).is_ok()
        );
        let e = LintOptions::validate(&config(&[], &["S999"])).unwrap_err();
        assert!(e.contains("S999"), "{e}");
        assert!(LintOptions::validate(&config(&["X"], &[])).is_err());
        let mut c = LintConfig::default();
        c.severity.insert("L0001".into(), SeverityOverride::Error);
        assert!(LintOptions::validate(&c).is_err());
    }

    #[test]
    fn ignore_comment_forms() {
        assert_eq!(parse_ignore("// j1ql-ignore"), Some(vec![]));
        assert_eq!(
            parse_ignore("// j1ql-ignore: L001, S010"),
            Some(vec!["L001".to_string(), "S010".to_string()])
        );
        assert_eq!(parse_ignore("// j1ql-ignored"), None);
        assert_eq!(parse_ignore("// hello"), None);
    }
}
