//! `j1ql normalize [--expand smart-classes,params,selectors] [--param NAME=VALUE] QUERY|FILE|-`:
//! prints the query (or every query of a file) with each filter in its De Morgan expanded
//! form, and, on request, smart classes, selectors and parameters expanded.

use std::path::Path;

use j1ql_semantics::normalize::{normalize_query_text, Expand};

use crate::output::{print_stdout, CliError, Outcome};

/// What `--expand` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Expansion {
    /// `#CriticalAsset` and `#Tag` to their definitions.
    SmartClasses,
    /// `${ param.x }`, `${x}`, `{{x}}` to the `--param` values.
    Params,
    /// `FIND User` to `FIND * WITH _class = 'User'`.
    Selectors,
}

pub fn run(input: &str, expand: &[Expansion], params: &[String]) -> Result<Outcome, CliError> {
    let text = if input == "-" || Path::new(input).is_file() {
        crate::input::read_document(Path::new(input))?.text
    } else {
        input.to_string()
    };
    // The project of the current folder: its smart classes, parameters and data model.
    let project = j1ql_project::Project::discover(Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
    let analysis = j1ql_semantics::analyze(&text, &project.context());
    let source = crate::diagnostic_render::Source::new("<input>", &text);
    let mut out = String::new();
    if !analysis.parse.errors().is_empty() {
        let found: Vec<_> = analysis
            .parse
            .errors()
            .iter()
            .map(|e| source.diagnostic(e, false))
            .collect();
        source.render_all(&found, &mut out);
        eprint!("{out}");
        return Ok(Outcome::Problems);
    }
    // Semantic warnings and errors are shown (on stderr); the text is still normalised.
    let found: Vec<_> = analysis
        .diagnostics()
        .filter(|d| d.severity >= j1ql_semantics::Severity::Warning)
        .map(|d| source.semantic(d, false))
        .collect();
    source.render_all(&found, &mut out);
    eprint!("{out}");
    let options = Expand {
        smart_classes: expand
            .contains(&Expansion::SmartClasses)
            .then(|| project.smart_classes().clone()),
        selectors: expand.contains(&Expansion::Selectors),
        params: if expand.contains(&Expansion::Params) {
            let mut values = project.params().clone();
            values.extend(super::run::parse_params(params)?);
            Some(values)
        } else {
            None
        },
    };
    let mut out = normalize_query_text(&text, &options);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    print_stdout(&out)?;
    Ok(Outcome::Clean)
}
