//! # j1ql-lsp
//!
//! The J1QL language server. Documents live in a rope ([`document::Document`]); their
//! analysis is cut into chunks of one or a few queries, cached by text, so an edit re-analyses
//! only what it touched. Every feature is a synchronous function of a document and a position
//! ([`features`]), tested and benchmarked without a client; [`server::Backend`] wires them to
//! `tower-lsp-server`.

pub mod diagnostics;
pub mod document;
pub mod features;
pub mod server;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serves the language server over standard input and output until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let stdin = tokio::io::stdin();
        let stdout = tokio::io::stdout();
        let (service, socket) = LspService::new(server::Backend::new);
        Server::new(stdin, stdout, socket).serve(service).await;
    });
    Ok(())
}
