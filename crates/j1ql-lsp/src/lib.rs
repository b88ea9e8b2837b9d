//! # j1ql-lsp
//!
//! The J1QL language server. Documents live in a rope ([`document::Document`]); their
//! analysis is cut into chunks of one or a few queries, cached by text, so an edit re-analyses
//! only what it touched. Every feature is a synchronous function of a document and a position
//! ([`features`]), tested and benchmarked without a client; [`server::Backend`] wires them to
//! `tower-lsp-server`.

pub mod client_process;
pub mod diagnostics;
pub mod document;
pub mod features;
pub mod memory;
pub mod publish;
pub mod server;
pub mod settings;
pub mod stdio;
pub mod tokens;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// How `j1ql lsp` was started: what editors put on its command line.
#[derive(Debug, Clone, Default)]
pub struct StdioOptions {
    /// `--clientProcessId`: the editor's process; the server exits when it is gone.
    pub client_process_id: Option<u32>,
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The client closed the connection (after `shutdown` and `exit`, or by closing standard
    /// input).
    ClientClosed,
    /// The client sent `exit` without `shutdown` first: the protocol asks for exit code 1.
    ExitWithoutShutdown,
    /// The watched client process (command line or `initialize`'s `processId`) is gone.
    ClientProcessGone(u32),
}

/// Serves the language server over standard input and output until the client exits or its
/// process is gone ([`client_process`]). The streams go through [`stdio`]'s guard, so a
/// malformed message is answered with an error instead of ending the session.
pub fn run_stdio(options: &StdioOptions) -> std::io::Result<Ended> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let ended = runtime.block_on(async {
        let (to_server, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        let (frames, outgoing) = tokio::sync::mpsc::unbounded_channel();
        let session = std::sync::Arc::new(stdio::SessionState::default());
        tokio::spawn(stdio::guard_input(
            tokio::io::stdin(),
            to_server,
            frames.clone(),
            std::sync::Arc::clone(&session),
        ));
        let direct = frames.clone();
        let splitter = tokio::spawn(stdio::split_output(from_server, frames));
        let writer = tokio::spawn(stdio::write_output(tokio::io::stdout(), outgoing));
        let (watch, watched) = client_process::watch(options.client_process_id);
        let (service, socket) = LspService::new(move |client| {
            server::Backend::new(client)
                .watching(watch)
                .writing_to(direct)
        });
        let serve = Server::new(server_in, server_out, socket).serve(service);
        tokio::select! {
            () = serve => {
                // The server's output is closed: flush what it wrote, then stop.
                let _ = splitter.await;
                let _ = writer.await;
                if session.exit_requested() && !session.shutdown_requested() {
                    Ended::ExitWithoutShutdown
                } else {
                    Ended::ClientClosed
                }
            }
            pid = watched.first_gone() => Ended::ClientProcessGone(pid),
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(ended)
}
