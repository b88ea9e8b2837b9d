//! # j1ql-server
//!
//! `j1ql serve`: JupiterOne's API — the GraphQL endpoint (`queryV1`, questions) and the
//! synchronization (bulk upload) API — served offline over local data, so that scripts
//! written against JupiterOne's clients can be tested without an account. Queries are analysed
//! and evaluated by the same library calls as `j1ql run`, so the answers are the same.
//!
//! See `docs/serve.md` for every route, what it emulates and what it does not.

pub mod app;
pub mod config;
pub mod deferred;
pub mod graphql;
pub mod http;
pub mod limits;
pub mod query;
pub mod question_files;
pub mod questions;
pub mod store;
pub mod sync;

use std::sync::Arc;

pub use config::{RateLimit, ServeConfig};
pub use store::DataOptions;

use app::App;
use store::Store;

/// The account id answers name when `--account` is not given.
pub const DEFAULT_ACCOUNT: &str = "j1ql-local";

/// Loads the data and builds the shared state (what [`serve`] and tests start from).
pub fn build_app(config: ServeConfig) -> Result<Arc<App>, String> {
    config.check()?;
    let data = DataOptions::of_project(&config.project, config.state_dir.clone());
    let store = Store::open(data).map_err(|e| e.to_string())?;
    let default_account = config
        .account
        .clone()
        .unwrap_or_else(|| DEFAULT_ACCOUNT.to_string());
    let questions = match &config.questions_dir {
        Some(dir) => questions::Questions::in_folder(dir.clone(), &default_account)?,
        None => Default::default(),
    };
    Ok(Arc::new(App {
        default_account,
        config,
        store: Arc::new(store),
        jobs: Default::default(),
        deferred: Default::default(),
        questions,
    }))
}

/// Serves until Ctrl-C (or SIGTERM): loads the data, binds the address, logs every request.
pub fn serve(config: ServeConfig) -> Result<(), String> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("J1QL_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let app = build_app(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listen = app.config.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("--listen {listen}: {e}"))?;
        let snapshot = app.store.snapshot();
        let data = if app.config.project.data_paths().is_empty() {
            "the demo account".to_string()
        } else {
            app.config
                .project
                .data_paths()
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let state = match app.store.state_dir() {
            Some(dir) => format!("uploads are kept in {}", dir.display()),
            None => "uploads are kept in memory only (give --state DIR to keep them)".into(),
        };
        let questions = match &app.config.questions_dir {
            Some(dir) => format!("{} questions, kept in {}", app.questions.len(), dir.display()),
            None => "questions are kept in memory only (give --questions DIR to keep them)".into(),
        };
        eprintln!(
            "j1ql serve: {data}: {} entities, {} relationships; {state}; {questions}",
            snapshot.graph.entity_count(),
            snapshot.graph.relationship_count()
        );
        eprintln!(
            "j1ql serve: listening on http://{} (GraphQL: /graphql, sync API: /persister/synchronization/jobs){}",
            listener.local_addr().map_err(|e| e.to_string())?,
            if app.config.token.is_some() { "; a token is required" } else { "" }
        );
        axum::serve(listener, http::router(app))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
