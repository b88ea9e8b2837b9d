//! `j1ql lsp`: the language server (crate `j1ql-lsp`) on standard input and output.

use crate::output::{CliError, Outcome};

pub fn run() -> Result<Outcome, CliError> {
    j1ql_lsp::run_stdio().map_err(CliError::Io)?;
    Ok(Outcome::Clean)
}
