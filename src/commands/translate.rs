//! `j1ql translate --to cypher QUERY|FILE|FILE:N|FILE::NAME|-` (docs/cypher.md): each query of
//! the input as openCypher for the layout `j1ql export` writes, statements separated by `;\n`.
//! A construct without an exact openCypher counterpart is refused (exit 1) with its name and
//! why; so is a query with errors. Smart classes and parameters come from the nearest
//! `j1ql.toml`; parameters stay Cypher parameters (`$name`).

use crate::commands::run::query_text;
use crate::diagnostic_render::Source;
use crate::output::{print_stdout, CliError, Outcome};

/// The languages `translate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TranslateTarget {
    /// openCypher (Neo4j, Memgraph, FalkorDB, Neptune).
    Cypher,
}

pub fn run(input: &str, _to: TranslateTarget) -> Result<Outcome, CliError> {
    let (name, text) = query_text(input)?;
    let project = j1ql_project::Project::discover(std::path::Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
    let analysis = j1ql_semantics::analyze(&text, &project.context());
    let source = Source::new(&name, &text);
    let mut errors = String::new();
    for e in analysis.parse.errors() {
        source.render(&source.diagnostic(e, false), &mut errors);
    }
    for d in analysis
        .diagnostics()
        .filter(|d| d.severity == j1ql_semantics::Severity::Error)
    {
        source.render(&source.semantic(d, false), &mut errors);
    }
    if !errors.is_empty() {
        eprint!("{errors}");
        eprintln!("error: the query was not translated");
        return Ok(Outcome::Problems);
    }
    if analysis.queries.is_empty() {
        return Err(CliError::msg(format!("{name}: no query")));
    }
    let index = j1ql_syntax::line_index::LineIndex::new(&text);
    let mut out = String::new();
    for q in &analysis.queries {
        match j1ql_cypher::translate_with(&q.ir, project.smart_classes()) {
            Ok(t) => {
                out.push_str(&t.cypher);
                out.push_str(";\n");
            }
            Err(refusal) => {
                let pos = index.line_col(q.ir.range.start());
                eprintln!(
                    "{name}:{}:{}: error: {refusal}",
                    pos.line + 1,
                    pos.col_char + 1
                );
                return Ok(Outcome::Problems);
            }
        }
    }
    print_stdout(&out)?;
    Ok(Outcome::Clean)
}
