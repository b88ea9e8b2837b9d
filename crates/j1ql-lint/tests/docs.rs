//! `docs/lint-rules.md` is generated from the registry; this test fails when it is stale.
//! Regenerate with `UPDATE_DOCS=1 cargo test -p j1ql-lint --test docs`.

use j1ql_lint::{Applicability, RULES};

fn render() -> String {
    let mut out = String::from(
        "# Lint rules\n\n\
         <!-- Generated from crates/j1ql-lint/src/registry.rs by `UPDATE_DOCS=1 cargo test -p j1ql-lint --test docs`. -->\n\n\
         `j1ql lint` reports syntax errors (`P001`..., always errors, see [errors.md](errors.md)),\n\
         every semantic diagnostic of `j1ql-semantics` under its own code (`S001`...), and the lint\n\
         rules below (`L001`...). `j1ql lint --explain CODE` prints a rule's entry.\n\n\
         ## Configuration\n\n\
         ```toml\n\
         # j1ql.toml (looked up from each file's folder upwards)\n\
         [lint]\n\
         select = [\"ALL\"]        # code prefixes (\"S\", \"L0\", \"L011\") or names; default: the rules marked default\n\
         ignore = [\"L007\"]       # wins over select\n\
         max-limit = 250         # L009\n\
         alert-paths = [\"**/rule-packs/**\", \"**/alerts/**\", \"**/*alert*\"]  # L010: files holding alert rules\n\
         [lint.severity]\n\
         L001 = \"error\"          # error | warning | info | hint | off\n\
         ```\n\n\
         A `// j1ql-ignore: L001, S014` comment on the line before a query suppresses those codes for\n\
         that query; `// j1ql-ignore` alone suppresses every code. `--fix` applies the safe fixes,\n\
         `--unsafe-fixes` the unsafe ones too; every round of fixes is checked to leave the document\n\
         parsing cleanly into the same number of queries. Exit status: 1 when an error-severity\n\
         finding remains, 2 when a file could not be read.\n\n\
         | code | name | default severity | fix |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let fix = match r.fix {
            Applicability::None => "",
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        let sev = if r.default_enabled {
            r.severity.as_str().to_string()
        } else {
            format!("{} (off by default)", r.severity.as_str())
        };
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            r.code,
            r.code.to_lowercase(),
            r.name,
            sev,
            fix
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n## {}\n\n**{}**. {}\n\nBad:\n\n```j1ql\n{}\n```\n\nGood:\n\n```j1ql\n{}\n```\n",
            r.code, r.name, r.doc, r.bad, r.good
        ));
    }
    out
}

#[test]
fn lint_rules_doc_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/lint-rules.md");
    let expected = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/lint-rules.md is stale: run `UPDATE_DOCS=1 cargo test -p j1ql-lint --test docs`"
    );
}
