//! `j1ql lsp`: the language server (crate `j1ql-lsp`) on standard input and output.
//!
//! Editors start servers with extra arguments (`--stdio`, `--clientProcessId=N`); how each
//! editor does it is in `docs/lsp.md` ("Starting the server").

use crate::cli::LspArgs;
use crate::output::{CliError, Outcome};

pub fn run(args: &LspArgs) -> Result<Outcome, CliError> {
    if let Some(refused) = refused_transport(args) {
        return Err(CliError::msg(format!(
            "j1ql lsp speaks LSP over standard input and output only; {refused} is not \
             supported: configure the editor's client to start `j1ql lsp` with the stdio \
             transport"
        )));
    }
    if args.client_process_id.is_some() && !j1ql_lsp::client_process::watch_supported() {
        eprintln!(
            "j1ql lsp: --clientProcessId is accepted but cannot be watched on this platform; \
             the server stops when the editor closes its input"
        );
    }
    let options = j1ql_lsp::StdioOptions {
        client_process_id: args.client_process_id,
    };
    match j1ql_lsp::run_stdio(&options).map_err(CliError::Io)? {
        j1ql_lsp::Ended::ClientClosed => Ok(Outcome::Clean),
        // The protocol's exit code for `exit` without `shutdown` is 1.
        j1ql_lsp::Ended::ExitWithoutShutdown => Ok(Outcome::Problems),
        j1ql_lsp::Ended::ClientProcessGone(pid) => {
            eprintln!("j1ql lsp: the client process {pid} is gone; exiting");
            Ok(Outcome::Problems)
        }
    }
}

/// The transport flag asked for that this server does not have, as the user wrote it.
fn refused_transport(args: &LspArgs) -> Option<String> {
    if let Some(name) = &args.pipe {
        return Some(format!("`--pipe={name}`"));
    }
    if let Some(port) = &args.socket {
        return Some(format!("`--socket={port}`"));
    }
    args.node_ipc.then(|| "`--node-ipc`".to_string())
}
