//! One module per subcommand.

mod check;
mod corpus_check;
mod fmt;
mod lint;
mod parse;

pub use lint::LintFormat;

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
        Command::Fmt { paths, check } => fmt::run(&paths, check),
        Command::Lint { explain: Some(code), .. } => lint::explain(&code),
        Command::Lint {
            paths,
            fix,
            unsafe_fixes,
            format,
            explain: None,
        } => lint::run(&paths, fix, unsafe_fixes, format),
    }
}
