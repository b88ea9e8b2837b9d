//! `j1ql export --to cypher|csv [--data PATH]... [--out PATH]` (docs/cypher.md): the loaded
//! graph (after ownership and the relationship mapper) for an openCypher engine, in the layout
//! `j1ql translate` reads. `cypher` writes `UNWIND`-batched statements separated by `;\n` (to
//! standard output, or atomically to `--out FILE`); `csv` writes `nodes.csv` and
//! `relationships.csv` into the `--out` folder for `neo4j-admin database import` or `LOAD CSV`.

use std::path::{Path, PathBuf};

use crate::output::{print_stdout, CliError, Outcome};

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// openCypher statements.
    Cypher,
    /// neo4j-admin import CSV files (needs `--out DIR`).
    Csv,
}

pub fn run(
    to: ExportFormat,
    data: &[PathBuf],
    out: Option<&Path>,
    strict: bool,
    global_mappings: bool,
) -> Result<Outcome, CliError> {
    // The graph `j1ql run` would query: the nearest `j1ql.toml` (its `data` and clock), or
    // `--data`, or the demo account.
    let data = data
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let project = j1ql_project::Project::discover(Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?
        .with_overrides(Default::default(), None, &[], data)
        .with_load_flags(strict, global_mappings);
    let graph = project.graph().map_err(CliError::msg)?;
    for skipped in &graph.report().skipped_relationships {
        eprintln!(
            "warning: {}: relationship {} not created: {}",
            skipped.file, skipped.index, skipped.reason
        );
    }
    let write = |path: &Path, text: &str| {
        j1ql_fs::atomic_write(path, text.as_bytes())
            .map_err(|e| CliError::msg(format!("cannot write {}: {e}", path.display())))
    };
    match to {
        ExportFormat::Cypher => {
            let text = j1ql_cypher::export::cypher(graph);
            match out {
                Some(path) => write(path, &text)?,
                None => print_stdout(&text)?,
            }
        }
        ExportFormat::Csv => {
            let dir = out.ok_or_else(|| {
                CliError::msg("--to csv writes two files: give the folder with --out DIR")
            })?;
            let files = match j1ql_cypher::export::csv(graph) {
                Ok(files) => files,
                Err(e) => {
                    eprintln!("error: cannot export as CSV: {e}");
                    return Ok(Outcome::Problems);
                }
            };
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::msg(format!("cannot create {}: {e}", dir.display())))?;
            write(&dir.join("nodes.csv"), &files.nodes)?;
            write(&dir.join("relationships.csv"), &files.relationships)?;
        }
    }
    Ok(Outcome::Clean)
}
