//! `j1ql manpage`: manual pages generated from the command line's own definition
//! (clap_mangen): `j1ql(1)` on standard output, or `j1ql.1` and one `j1ql-COMMAND.1` per
//! command written into a folder (each atomically, through `j1ql-fs`).

use std::path::Path;

use clap::CommandFactory as _;

use crate::cli::Cli;
use crate::output::{CliError, Outcome};

pub fn run(out: Option<&Path>) -> Result<Outcome, CliError> {
    let command = Cli::command();
    let Some(dir) = out else {
        let page = render(command)?;
        use std::io::Write as _;
        std::io::stdout()
            .lock()
            .write_all(&page)
            .map_err(CliError::Io)?;
        return Ok(Outcome::Clean);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::msg(format!("cannot create {}: {e}", dir.display())))?;
    let mut pages = vec![("j1ql.1".to_string(), render(command.clone())?)];
    for sub in command.get_subcommands() {
        let name = format!("j1ql-{}", sub.get_name());
        // A command page is titled by its full name, as `git-commit(1)` is.
        let page = render(
            sub.clone()
                .name(name.clone())
                .bin_name(format!("j1ql {}", sub.get_name())),
        )?;
        pages.push((format!("{name}.1"), page));
    }
    for (file, page) in &pages {
        let path = dir.join(file);
        j1ql_fs::atomic_write(&path, page)
            .map_err(|e| CliError::msg(format!("cannot write {}: {e}", path.display())))?;
    }
    eprintln!("wrote {} manual pages to {}", pages.len(), dir.display());
    Ok(Outcome::Clean)
}

fn render(command: clap::Command) -> Result<Vec<u8>, CliError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(CliError::Io)?;
    Ok(page)
}
