//! `j1ql pull --remote --out DIR [--redact REGEX] QUERY|FILE...`: record what the queries
//! touch on the live account as `DIR/pulled.json` (the work is in `j1ql_remote::pull`;
//! docs/remote.md).

use std::path::Path;

use crate::cli::RemoteArgs;
use crate::commands::remote;
use crate::output::{CliError, Outcome};

pub fn run(
    args: &[String],
    out: &Path,
    redact: Option<&str>,
    params: &[String],
    remote_args: &RemoteArgs,
) -> Result<Outcome, CliError> {
    let redact = redact
        .map(j1ql_remote::pull::redact_pattern)
        .transpose()
        .map_err(|e| CliError::msg(e.to_string()))?;
    let mut queries = Vec::new();
    for arg in args {
        queries
            .extend(j1ql_remote::pull::queries_of(arg).map_err(|e| CliError::msg(e.to_string()))?);
    }
    let project = remote::project()?;
    let options = j1ql_remote::pull::PullOptions {
        redact,
        query: remote::query_options(&project, remote_args, params)?,
    };
    let (client, progress) = remote::client(&project, remote_args)?;
    let recording = j1ql_remote::block_on(j1ql_remote::pull::pull(&client, &queries, &options));
    progress.finish();
    let recording = match recording {
        Ok(r) => r,
        Err(e) => return remote::failure(e),
    };
    let path = recording
        .write(out, options.redact.as_ref())
        .map_err(|e| CliError::msg(e.to_string()))?;
    eprintln!(
        "pulled {} entities and {} relationships for {} quer{} into {}",
        recording.entities.len(),
        recording.relationships.len(),
        queries.len(),
        if queries.len() == 1 { "y" } else { "ies" },
        path.display()
    );
    Ok(Outcome::Clean)
}
