//! `j1ql serve`: JupiterOne's API offline over local data. Everything is in the
//! `j1ql-server` crate; this file only turns the options into its settings.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::output::{CliError, Outcome};

/// The options of `j1ql serve`.
pub struct ServeArgs {
    pub data: Vec<PathBuf>,
    pub listen: SocketAddr,
    pub account: Option<String>,
    pub token: Option<String>,
    pub rate_limit: Option<j1ql_server::RateLimit>,
    pub now: Option<String>,
    pub state: Option<PathBuf>,
    pub max_body_bytes: usize,
    pub max_query_bytes: usize,
    pub strict: bool,
    pub global_mappings: bool,
}

pub fn run(args: ServeArgs) -> Result<Outcome, CliError> {
    let now_ms = match &args.now {
        Some(text) => Some(j1ql_semantics::dates::parse_iso_date(text).map_err(|e| {
            CliError::msg(format!(
                "--now `{text}`: {e} (expected RFC 3339, e.g. 2025-11-21T00:00:00Z)"
            ))
        })?),
        None => None,
    };
    let mut config = j1ql_server::ServeConfig::new(j1ql_server::DataOptions {
        paths: args.data,
        strict: args.strict,
        global_mappings: args.global_mappings,
        state_dir: args.state,
    });
    config.listen = args.listen;
    config.account = args.account;
    config.token = args.token;
    config.rate_limit = args.rate_limit;
    config.now_ms = now_ms;
    config.max_body_bytes = args.max_body_bytes;
    config.max_query_bytes = args.max_query_bytes;
    j1ql_server::serve(config).map_err(CliError::msg)?;
    Ok(Outcome::Clean)
}
