//! `j1ql gen --entities N [--relationships M] --seed S --out DIR`: write a synthetic account (AWS, identity
//! provider, devices, code repositories; about 1.6 relationships per entity) as JSON payload
//! files, for benchmarks and for testing queries at scale. The same N and S give the same files.

use std::path::Path;

use crate::output::{print_stdout, CliError, Outcome};

pub fn run(
    entities: usize,
    relationships: Option<usize>,
    seed: u64,
    out: &Path,
) -> Result<Outcome, CliError> {
    let options = j1ql_graph::generate::GenerateOptions {
        entities,
        seed,
        relationships,
    };
    let stats = j1ql_graph::generate::write_dir_with(options, out)
        .map_err(|e| CliError::msg(format!("{}: {e}", out.display())))?;
    print_stdout(&format!(
        "wrote {} file(s) to {}: {} entities, {} relationships, {} bytes\n",
        stats.files,
        out.display(),
        stats.entities,
        stats.relationships,
        stats.bytes
    ))?;
    Ok(Outcome::Clean)
}
