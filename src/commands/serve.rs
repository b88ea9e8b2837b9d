//! `j1ql serve`: JupiterOne's API offline over local data. Everything is in the
//! `j1ql-server` crate; this file only turns the options into its settings.

use crate::cli::ServeArgs;
use crate::output::{CliError, Outcome};

pub fn run(args: ServeArgs) -> Result<Outcome, CliError> {
    let mut config = j1ql_server::ServeConfig::new(project(&args)?);
    config.listen = args.listen;
    config.account = args.account;
    config.token = args.token;
    config.rate_limit = args.rate_limit;
    config.state_dir = args.state;
    config.questions_dir = args.questions;
    config.max_body_bytes = args.max_body_bytes;
    config.max_query_bytes = args.max_query_bytes;
    j1ql_server::serve(config).map_err(CliError::msg)?;
    Ok(Outcome::Clean)
}

/// The project `j1ql run` would use here (the nearest `j1ql.toml`, the flags over it), so that
/// the server answers as `run` does. With `--data` and no `j1ql.toml` the clock is the
/// server's start unless `--now` says otherwise.
fn project(args: &ServeArgs) -> Result<j1ql_project::Project, CliError> {
    let project = j1ql_project::Project::discover(std::path::Path::new("."))
        .map_err(|e| CliError::msg(format!("invalid configuration: {e}")))?;
    let now_ms = super::run::clock(args.now.as_deref(), &project, !args.data.is_empty())?;
    let data = args
        .data
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    Ok(project
        .with_overrides(Default::default(), now_ms, &[], data)
        .with_load_flags(args.strict, args.global_mappings)
        .with_budget(args.budget))
}
