//! `j1ql`: the command-line toolkit for the JupiterOne Query Language.
//!
//! The binary is thin: argument parsing ([`cli`]), reading inputs ([`input`]), and printing
//! ([`diagnostic_render`]). Every behaviour lives in the library crates (`j1ql-syntax`, ...).
//!
//! Exit codes, for every command: `0` success, `1` the inputs have problems (syntax errors,
//! failing corpus rows), `2` the command could not do its job (a missing or unreadable file, a
//! malformed corpus, bad arguments).

mod cli;
mod commands;
mod diagnostic_render;
mod input;
mod logging;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc (as in ruff and rust-analyzer): loading a 1 M-entity graph makes ~20 M small
/// allocations and frees them on other threads; measured 7.5 s → 5.9 s median against the
/// system allocator (`docs/performance.md`, "Graph loading").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init(false);
    match commands::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            if !error.is_broken_pipe() {
                eprintln!("error: {error}");
            }
            error.exit_code()
        }
    }
}
