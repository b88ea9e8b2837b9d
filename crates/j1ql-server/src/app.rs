//! What every request handler shares.

use std::sync::Arc;

use crate::config::ServeConfig;
use crate::deferred::DeferredAnswers;
use crate::questions::Questions;
use crate::store::Store;
use crate::sync::Jobs;

/// The server's state: settings, data, jobs, deferred answers, questions.
pub struct App {
    /// The settings.
    pub config: ServeConfig,
    /// The account's data.
    pub store: Arc<Store>,
    /// Synchronization jobs.
    pub jobs: Jobs,
    /// Deferred `queryV1` answers.
    pub deferred: DeferredAnswers,
    /// Saved questions.
    pub questions: Questions,
    /// The account id answers carry when `--account` is not given.
    pub default_account: String,
}

impl App {
    /// "Now" for relative dates: the project's clock (`--now`, `now` of `j1ql.toml`, the demo's
    /// date, or the server's start with `--data` and no `j1ql.toml`, as `j1ql run`).
    pub fn now_ms(&self) -> i64 {
        self.config.project.now_ms()
    }
}

/// Per request: what the GraphQL resolvers need to know about the caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account the request named (or the default one).
    pub account: String,
    /// `http://host:port` as the client addressed us (for deferred URLs).
    pub base_url: String,
}
