//! One module per subcommand.

mod check;
mod corpus_check;
mod parse;

use crate::cli::{Cli, Command};
use crate::output::{CliError, Outcome};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Parse { file } => parse::run(&file),
        Command::Check { paths, format } => check::run(&paths, format),
        Command::CorpusCheck {
            file,
            kinds,
            format,
        } => corpus_check::run(&file, &kinds, format),
    }
}
