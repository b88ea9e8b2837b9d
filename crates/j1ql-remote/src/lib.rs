//! # j1ql-remote
//!
//! The live JupiterOne account (docs/remote.md): run a query there with every page joined
//! ([`Client::query`]), record the entities and relationships queries touch as fixture files
//! ([`pull`]), and compare a suite's answers on its fixtures with the account's
//! ([`suite`]). Requests are the ones JupiterOne's own clients send — `POST` of `queryV1` to
//! the GraphQL URL with `Authorization: Bearer` and `JupiterOne-Account`, deferred answers
//! polled at the URL the account returns — so `j1ql serve` stands in for the account in tests.
//!
//! The settings (URL, account, key) are resolved by `j1ql-project`
//! ([`j1ql_project::Project::remote_settings`]); failures are retried by the [`RetryPolicy`].

pub mod client;
pub mod compare;
pub mod error;
pub mod pull;
pub mod query;
pub mod retry;
pub mod suite;

pub use client::{Client, Event, Observer};
pub use error::RemoteError;
pub use query::{Answer, QueryOptions};
pub use retry::RetryPolicy;

/// Runs a future to completion on a new single-threaded runtime: the command line is
/// synchronous, and one query at a time needs no more.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime builds")
        .block_on(future)
}
