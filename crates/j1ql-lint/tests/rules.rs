//! One failing and one passing example per rule (the registry's own `bad` and `good`), fixes
//! snapshot-tested and re-linted clean, `j1ql-ignore` comments and configuration.

use j1ql_lint::{fix, lint, Applicability, Config, LintOptions, RULES};

fn all_rules() -> LintOptions {
    let mut config = Config::default();
    config.lint.select = vec!["ALL".to_string()];
    let mut options = LintOptions::new(&config);
    options.alert = true;
    options
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/lint"),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn codes(text: &str, options: &LintOptions) -> Vec<String> {
    lint(text, options)
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn every_rule_fails_its_bad_example_and_passes_its_good_one() {
    let options = all_rules();
    for rule in RULES {
        // S012 needs the tags of loaded data, which the linter does not load.
        if rule.code == "S012" {
            continue;
        }
        let bad = codes(rule.bad, &options);
        assert!(
            bad.iter().any(|c| c == rule.code),
            "{}: the bad example `{}` is not reported: {bad:?}",
            rule.code,
            rule.bad
        );
        let good = codes(rule.good, &options);
        assert!(
            !good.iter().any(|c| c == rule.code),
            "{}: the good example `{}` is reported: {good:?}",
            rule.code,
            rule.good
        );
        assert!(
            j1ql_syntax::parse(rule.good).errors().is_empty(),
            "{}: the good example has syntax errors",
            rule.code
        );
    }
}

#[test]
fn fixes_are_snapshot_tested_and_relint_clean() {
    let options = all_rules();
    let mut report = String::new();
    for rule in RULES {
        // Semantic suggestions (a name for a typo) are tested in j1ql-semantics; they need
        // not fix every problem of an example.
        if rule.fix == Applicability::None || rule.code.starts_with('S') {
            continue;
        }
        let fixed = fix(rule.bad, &options, rule.fix == Applicability::Unsafe);
        assert!(
            fixed.applied > 0,
            "{}: no fix applied to `{}`",
            rule.code,
            rule.bad
        );
        assert!(
            !fixed.remaining.iter().any(|d| d.code == rule.code),
            "{}: still reported after the fix: {}",
            rule.code,
            fixed.text
        );
        assert!(j1ql_syntax::parse(&fixed.text).errors().is_empty());
        let again = lint(&fixed.text, &options);
        assert_eq!(again, fixed.remaining);
        report.push_str(&format!(
            "{} ({:?})\n  before: {}\n  after:  {}\n",
            rule.code, rule.fix, rule.bad, fixed.text
        ));
    }
    settings().bind(|| insta::assert_snapshot!("fixes", report));
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let options = all_rules();
    let text = "FIND Host WITH tag.Env != ('prod' AND 'stage') AND active = true";
    let safe = fix(text, &options, false);
    assert!(safe.remaining.iter().any(|d| d.code == "L002"));
    let unsafe_ = fix(text, &options, true);
    assert!(!unsafe_.remaining.iter().any(|d| d.code == "L002"));
    assert_eq!(
        unsafe_.text,
        "FIND Host WITH (tag.Env != 'prod' OR tag.Env != 'stage') AND active = true"
    );
}

#[test]
fn ignore_comments_suppress_rules_for_the_next_query() {
    let options = LintOptions::default();
    let text = "// j1ql-ignore: L001\nfind User\nfind Device\n";
    let found = lint(text, &options);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "L001");
    assert!(u32::from(found[0].range.start()) > 25);
    // Without codes: every rule.
    assert!(lint("// j1ql-ignore\nfind Usr WITH a = 'true'", &options).is_empty());
    // Only the line before the query.
    assert_eq!(lint("// j1ql-ignore\n\nfind User", &options).len(), 1);
}

#[test]
fn configuration_selects_ignores_and_sets_severity() {
    let text = "find User LIMIT 1000";
    let config = Config::from_toml("[lint]\nignore = [\"L001\"]\nmax-limit = 5000\n").unwrap();
    assert!(lint(text, &LintOptions::new(&config)).is_empty());
    let config = Config::from_toml(
        "[lint]\nselect = [\"L00\"]\n[lint.severity]\nL001 = \"error\"\nL009 = \"off\"\n",
    )
    .unwrap();
    let found = lint(text, &LintOptions::new(&config));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, j1ql_lint::Severity::Error);
    let config = Config::from_toml("[format]\nkeyword-case = \"lower\"\n").unwrap();
    assert_eq!(
        codes("find User THAT HAS Device", &LintOptions::new(&config)),
        ["L001"]
    );
    let path_options = LintOptions::for_path(&Config::default(), "repo/rule-packs/aws.json");
    assert!(path_options.alert);
    assert!(!LintOptions::for_path(&Config::default(), "queries/a.j1ql").alert);
}

#[test]
fn syntax_errors_are_errors_and_block_fixes() {
    let options = LintOptions::default();
    let found = lint("find User WITH", &options);
    assert!(found
        .iter()
        .any(|d| matches!(d.code, j1ql_lint::Code::Syntax(_))));
    let fixed = fix("find User WITH", &options, true);
    assert_eq!(fixed.text, "find User WITH");
    assert_eq!(fixed.applied, 0);
}

#[test]
fn explain_mentions_examples() {
    for rule in RULES {
        let text = rule.explain();
        assert!(
            text.contains(rule.bad) && text.contains(rule.good),
            "{}",
            rule.code
        );
    }
}

/// L001 reports exactly what the formatter changes about case: formatted text never has an
/// L001 finding, and L001's fix writes the same words as the formatter.
#[test]
fn keyword_case_agrees_with_the_formatter() {
    let options = LintOptions::new(&Config::default());
    let format_options = j1ql_fmt::FormatOptions::default();
    for text in [
        "find User with active = TRUE and x = Undefined that has Host",
        "find User that has Host return has._class",
        "FIND User WITH tag.True = 1 as u return u.name",
        "find User as u that relates to as r Host where r._class = 'x' return u.name order by u.name desc",
    ] {
        let formatted = j1ql_fmt::format(text, &format_options).expect("formats");
        assert!(
            !codes(&formatted, &options).iter().any(|c| c == "L001"),
            "the formatter's output `{formatted}` has L001"
        );
        let fixed = fix(text, &options, false).text;
        let fixed_words: Vec<&str> = fixed.split_whitespace().collect();
        let formatted_words: Vec<&str> = formatted.split_whitespace().collect();
        assert_eq!(fixed_words, formatted_words, "L001's fix of `{text}`");
    }
    assert_eq!(
        fix("find User that has Host return has._class", &options, false).text,
        "FIND User THAT has Host RETURN has._class",
        "a verb that is also an implicit alias keeps its case"
    );
}

/// L014 with the data's types: the spec's `tag.Production='false'` on boolean tags is reported
/// (with the fix `false`) instead of L012's guess; a property that holds strings keeps `'true'`
/// quiet, and an unquoted number against strings is reported the other way.
#[test]
fn literal_type_mismatch_uses_the_data_types() {
    use j1ql_semantics::catalog::{Catalog, Observations, PropertyType};
    let mut observed = Observations::new();
    observed.observe_entity(
        "aws_instance",
        ["Host"],
        ["tag.Production", "label", "port"],
    );
    observed.observe_value_type("aws_instance", "tag.Production", PropertyType::Boolean);
    observed.observe_value_type("aws_instance", "label", PropertyType::String);
    observed.observe_value_type("aws_instance", "port", PropertyType::String);
    let catalog = Catalog::builtin().extended(&observed);
    let smart = j1ql_semantics::smart_classes::SmartClasses::default();
    let cx = j1ql_semantics::Context {
        catalog: &catalog,
        smart_classes: &smart,
        known_tags: None,
    };
    let codes = |text: &str| -> Vec<(String, String, Option<String>)> {
        j1ql_lint::lint_in(text, &all_rules(), &cx)
            .into_iter()
            .filter(|d| matches!(d.code.as_str(), "L012" | "L014"))
            .map(|d| {
                (
                    d.code.as_str().to_string(),
                    text[d.range].to_string(),
                    d.fix.map(|f| f.edits[0].new_text.clone()),
                )
            })
            .collect()
    };
    let spec = "FIND Host THAT HAS * with tag.Production='false'";
    assert_eq!(
        codes(spec),
        [(
            "L014".to_string(),
            "'false'".to_string(),
            Some("false".to_string())
        )]
    );
    // By class or by type, and `*` (every type of the data).
    assert_eq!(
        codes("FIND aws_instance WITH tag.Production = 'true'").len(),
        1
    );
    assert_eq!(codes("FIND Host WITH tag.Production != 'true'").len(), 1);
    assert!(codes("FIND Host WITH tag.Production = true").is_empty());
    // A property that holds strings: `'true'` is right, and L012 keeps quiet too.
    assert!(codes("FIND Host WITH label = 'true'").is_empty());
    assert_eq!(
        codes("FIND Host WITH port = 443"),
        [(
            "L014".to_string(),
            "443".to_string(),
            Some("'443'".to_string())
        )]
    );
    // Without data, L012 still guesses where nothing is known.
    assert_eq!(
        j1ql_lint::lint(spec, &all_rules())
            .iter()
            .filter(|d| d.code.as_str() == "L012")
            .count(),
        1
    );
    // The data model alone knows `User.active` is a boolean.
    let model_only: Vec<_> = j1ql_lint::lint("FIND User WITH active = 'false'", &all_rules())
        .into_iter()
        .filter(|d| d.code.as_str() == "L014")
        .collect();
    assert_eq!(model_only.len(), 1);
    assert!(model_only[0].message.contains("per the data model"));
}
