//! Snapshot tests of the IR and the semantic diagnostics.
//!
//! * every valid syntax case (`crates/j1ql-syntax/test_data/ok`, which holds every seed
//!   example) lowers, and its IR and diagnostics are snapshotted;
//! * every diagnostic code has a failing and a passing query in `test_data/diagnostics`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use j1ql_semantics::{analyze, Analysis, Code, Context, Severity};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "j1ql"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings
        .set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots/semantics"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn render(text: &str, analysis: &Analysis) -> String {
    let mut out = String::new();
    for q in &analysis.queries {
        out.push_str(&serde_json::to_string_pretty(&q.ir).unwrap());
        out.push('\n');
        for d in &q.diagnostics {
            out.push_str(&format!(
                "{}[{}] {:?} `{}`: {}\n",
                d.severity.as_str(),
                d.code,
                d.range,
                &text[d.range],
                d.message
            ));
            if let Some(fix) = &d.fix {
                out.push_str(&format!("  fix: {}\n", fix.title));
            }
        }
    }
    out
}

fn tags() -> BTreeSet<String> {
    ["Production".to_string()].into_iter().collect()
}

#[test]
fn seed_examples_lower_without_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../j1ql-syntax/test_data/ok");
    let cx = Context::builtin();
    let mut failures = Vec::new();
    for file in files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let analysis = analyze(&text, &cx);
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let errors: Vec<String> = analysis
            .diagnostics()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        // Cases that show what an unknown alias looks like are not errors of the lowering.
        if !errors.is_empty() {
            failures.push(format!("{name}: {errors:?}"));
        }
        settings().bind(|| {
            insta::with_settings!({ description => text.clone() }, {
                insta::assert_snapshot!(format!("ir__{name}"), render(&text, &analysis));
            });
        });
    }
    assert!(
        failures.is_empty(),
        "semantic errors in valid cases:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_code_has_a_failing_and_a_passing_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/diagnostics");
    let tags = tags();
    let mut cx = Context::builtin();
    cx.known_tags = Some(&tags);
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    for file in files(&dir) {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let (code_text, kind) = stem.split_once('_').unwrap();
        let code = Code::parse(code_text).unwrap_or_else(|| panic!("{stem}: unknown code"));
        let text = std::fs::read_to_string(&file).unwrap();
        let analysis = analyze(&text, &cx);
        assert!(
            analysis.parse.errors().is_empty(),
            "{stem} must be valid syntax"
        );
        let fired = analysis.diagnostics().any(|d| d.code == code);
        match kind {
            "fail" => {
                seen.insert(code);
                if !fired {
                    failures.push(format!("{stem}: expected {code} to fire"));
                }
                settings().bind(|| {
                    insta::with_settings!({ description => text.clone() }, {
                        insta::assert_snapshot!(format!("diag__{stem}"), render(&text, &analysis));
                    });
                });
            }
            "pass" => {
                if fired {
                    failures.push(format!("{stem}: {code} must not fire"));
                }
            }
            other => panic!("{stem}: unexpected suffix {other}"),
        }
    }
    for code in Code::ALL {
        if !seen.contains(&code) {
            failures.push(format!("{code} ({}) has no failing case", code.name()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn default_limit_is_250_and_ranges_point_into_the_text() {
    let text = "FIND User AS u WHERE u.x = 1\nFIND Host LIMIT 5";
    let analysis = analyze(text, &Context::builtin());
    assert_eq!(analysis.queries[0].ir.limit, 250);
    assert_eq!(analysis.queries[1].ir.limit, 5);
    let Some(j1ql_semantics::ir::Filter::Compare(c)) = &analysis.queries[0].ir.where_filter else {
        panic!()
    };
    assert_eq!(&text[c.range], "u.x = 1");
    assert_eq!(&text[c.property.range], "u.x");
}

#[test]
fn lowering_survives_broken_queries() {
    let cx = Context::builtin();
    for text in [
        "FIND",
        "FIND User THAT",
        "FIND User WITH a = AND",
        "FIND User AS RETURN",
        "FIND (User| WITH x = (",
        "FIND User RETURN count(",
        "FIND User ORDER BY",
        ")))(((",
    ] {
        let analysis = analyze(text, &cx);
        assert!(analysis.has_errors(), "{text} should have errors");
    }
}

#[test]
fn fixes_replace_with_the_suggestion() {
    let text = "FIND Usr THAT HASS Device";
    let analysis = analyze(text, &Context::builtin());
    let mut fixed = text.to_string();
    let mut edits: Vec<_> = analysis
        .diagnostics()
        .filter_map(|d| d.fix.clone())
        .flat_map(|f| f.edits)
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    for e in edits {
        fixed.replace_range(std::ops::Range::<usize>::from(e.range), &e.new_text);
    }
    assert_eq!(fixed, "FIND User THAT HAS Device");
}

/// Issue 18 (1): a bare word after a WITH comparison is an error whose fix quotes it; a
/// value-first comparison (`date.now - 7 days > lastSeenOn`) still reads the word as the
/// property, and WHERE still compares two properties.
#[test]
fn bare_word_in_with_must_be_quoted() {
    let text = "FIND User WITH dept = eng";
    let analysis = analyze(text, &Context::builtin());
    let d: Vec<_> = analysis
        .diagnostics()
        .filter(|d| d.code == Code::UnquotedString)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(&text[d[0].range], "eng");
    assert!(d[0].message.starts_with("string values must be quoted"));
    let fix = d[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.edits[0].new_text, "'eng'");
    assert_eq!(fix.edits[0].range, d[0].range);

    for ok in [
        "FIND crowdstrike_sensor WITH date.now - 7 days > lastSeenOn",
        "FIND User WITH active = true AND x = false AND y = undefined AND n = 3",
        "FIND User WITH createdOn > date.now - 1 day",
        "FIND User AS u THAT IS Person AS p WHERE u.email = p.email",
    ] {
        let analysis = analyze(ok, &Context::builtin());
        assert!(
            !analysis
                .diagnostics()
                .any(|d| d.code == Code::UnquotedString),
            "{ok}"
        );
    }
}

/// Issue 18 (2): parameters in SKIP and LIMIT are kept for run time, not dropped.
#[test]
fn paging_parameters_are_kept() {
    let text = "FIND User SKIP ${ param.s } LIMIT {{n}}";
    let analysis = analyze(text, &Context::builtin());
    assert!(!analysis.has_errors());
    let ir = &analysis.queries[0].ir;
    assert_eq!(ir.skip_param.as_ref().map(|p| p.name.as_str()), Some("s"));
    assert_eq!(ir.limit_param.as_ref().map(|p| p.name.as_str()), Some("n"));
    assert_eq!(
        ir.limit_param.as_ref().map(|p| p.written.as_str()),
        Some("{{n}}")
    );
    let plain = &analyze("FIND User LIMIT 3", &Context::builtin()).queries[0].ir;
    assert_eq!((plain.limit, plain.limit_param.is_none()), (3, true));
}

/// Issue 18 (3): min/max/sum/avg need `selector.field`; count takes a bare selector.
#[test]
fn aggregates_other_than_count_need_a_field() {
    let text = "FIND User AS u RETURN MAX(u)";
    let analysis = analyze(text, &Context::builtin());
    let d: Vec<_> = analysis
        .diagnostics()
        .filter(|d| d.code == Code::AggregateNeedsField)
        .collect();
    assert_eq!(d.len(), 1);
    assert_eq!(&text[d[0].range], "MAX");
    assert!(
        d[0].message.contains("`max(u.property)`"),
        "{}",
        d[0].message
    );
    let fix = d[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.edits[0].new_text, "count(u)");
    assert_eq!(&text[fix.edits[0].range], "MAX(u)");
    for func in ["min", "max", "sum", "avg"] {
        let bad = format!("FIND User AS u RETURN {func}(u)");
        assert!(analyze(&bad, &Context::builtin()).has_errors(), "{bad}");
        let good = format!("FIND User AS u RETURN {func}(u.age)");
        assert!(!analyze(&good, &Context::builtin()).has_errors(), "{good}");
    }
    assert!(!analyze("FIND User AS u RETURN count(u)", &Context::builtin()).has_errors());
}
