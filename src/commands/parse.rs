//! `j1ql parse FILE|-`: the syntax tree in its debug form, then the errors.

use std::path::Path;

use crate::input;
use crate::output::{print_stdout, CliError, Outcome};

pub fn run(path: &Path) -> Result<Outcome, CliError> {
    let file = input::read_document(path)?;
    let parse = j1ql_syntax::parse(&file.text);
    print_stdout(&parse.debug_tree())?;
    Ok(if parse.errors().is_empty() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
