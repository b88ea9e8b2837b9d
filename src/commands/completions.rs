//! `j1ql completions SHELL`: the shell completion script, generated from the command line's
//! own definition (clap_complete), so it never lags behind a new command or flag.

use clap::CommandFactory as _;

use crate::cli::Cli;
use crate::output::{CliError, Outcome};

pub fn run(shell: clap_complete::Shell) -> Result<Outcome, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "j1ql", &mut script);
    use std::io::Write as _;
    std::io::stdout()
        .lock()
        .write_all(&script)
        .map_err(CliError::Io)?;
    Ok(Outcome::Clean)
}
