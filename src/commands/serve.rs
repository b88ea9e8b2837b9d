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
    let mut now_ms = match &args.now {
        Some(text) => Some(j1ql_semantics::dates::parse_iso_date(text).map_err(|e| {
            CliError::msg(format!(
                "--now `{text}`: {e} (expected RFC 3339, e.g. 2025-11-21T00:00:00Z)"
            ))
        })?),
        None => None,
    };
    if now_ms.is_none() && project.config_path().is_none() && !args.data.is_empty() {
        now_ms = Some(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        );
    }
    let data = args
        .data
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    Ok(project
        .with_overrides(Default::default(), now_ms, &[], data)
        .with_load_flags(args.strict, args.global_mappings))
}
