//! The HTTP side: one `reqwest` client with JupiterOne's headers, GraphQL POSTs and deferred
//! result GETs, each retried by the [`RetryPolicy`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use j1ql_project::RemoteSettings;
use serde_json::Value;

use crate::error::RemoteError;
use crate::retry::{is_retried_status, parse_retry_after, RetryPolicy};

/// Something worth telling the user while a fetch runs (the CLI's progress line).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A page arrived.
    Page {
        /// Pages so far.
        pages: usize,
        /// Rows so far.
        rows: usize,
        /// The answer's size, when the server says.
        total: Option<u64>,
    },
    /// A request failed and will be sent again after `wait`.
    Retry {
        /// Why (`429`, `503`, `timed out`, ...).
        reason: String,
        /// The wait before the next attempt.
        wait: Duration,
    },
    /// A deferred query is still running.
    Waiting {
        /// Time since the query was submitted.
        elapsed: Duration,
    },
}

/// Receives [`Event`]s; shared by the requests of one client.
pub type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// A connection to the live account (or to `j1ql serve`).
pub struct Client {
    http: reqwest::Client,
    settings: RemoteSettings,
    policy: RetryPolicy,
    observer: Option<Observer>,
    retries: AtomicU64,
    requests: AtomicU64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.settings)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("j1ql/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A client for `settings` with `policy`'s timeouts and retries.
    pub fn new(settings: RemoteSettings, policy: RetryPolicy) -> Result<Client, RemoteError> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.request_timeout)
            .build()
            .map_err(|e| RemoteError::Settings(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            http,
            settings,
            policy,
            observer: None,
            retries: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        })
    }

    /// Sends every [`Event`] to `observer`.
    pub fn with_observer(mut self, observer: Observer) -> Client {
        self.observer = Some(observer);
        self
    }

    /// The settings in use.
    pub fn settings(&self) -> &RemoteSettings {
        &self.settings
    }

    /// The retry policy in use.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Requests sent so far, retries included.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests that were sent again after a retried failure.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    pub(crate) fn emit(&self, event: Event) {
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }

    /// POSTs a GraphQL operation `{query, variables}` to the account's endpoint with
    /// `Authorization: Bearer KEY` and `JupiterOne-Account: ID`, and returns its `data`.
    /// GraphQL `errors` become [`RemoteError::Query`].
    pub async fn graphql(&self, document: &str, variables: Value) -> Result<Value, RemoteError> {
        let body = serde_json::json!({ "query": document, "variables": variables });
        let url = self.settings.url.clone();
        let answer = self
            .send(&url, || {
                self.http
                    .post(&url)
                    .bearer_auth(self.settings.key())
                    .header("JupiterOne-Account", &self.settings.account)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(reqwest::header::ACCEPT, "application/json")
                    .body(body.to_string())
            })
            .await?;
        if let Some(errors) = answer.get("errors").and_then(Value::as_array) {
            if let Some(first) = errors.first() {
                return Err(query_error(first));
            }
        }
        match answer.get("data") {
            Some(data) if !data.is_null() => Ok(data.clone()),
            _ => Err(RemoteError::Malformed {
                url,
                what: "no `data` in the GraphQL answer".into(),
            }),
        }
    }

    /// GETs a deferred status or result document. These URLs are pre-signed storage URLs on
    /// JupiterOne, so no credentials are sent with them (storage refuses a second
    /// authorization).
    pub async fn document(&self, url: &str) -> Result<Value, RemoteError> {
        self.send(url, || {
            self.http
                .get(url)
                .header(reqwest::header::ACCEPT, "application/json")
        })
        .await
    }

    /// Sends a request until it succeeds, fails for good, or the attempts run out.
    async fn send(
        &self,
        url: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Value, RemoteError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (reason, retry_after) = match build().send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        match response.bytes().await {
                            Ok(bytes) => return parse_json(url, &bytes),
                            Err(e) => (describe(&e), None),
                        }
                    } else if status == 401 || status == 403 {
                        return Err(RemoteError::Refused {
                            status,
                            url: url.to_string(),
                            origins: format!(
                                "the key ({}) and the account `{}` ({})",
                                self.settings.origins.key,
                                self.settings.account,
                                self.settings.origins.account
                            ),
                        });
                    } else if is_retried_status(status) {
                        let retry_after = response
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| parse_retry_after(v, SystemTime::now()));
                        (format!("{status}"), retry_after)
                    } else {
                        let text = response.text().await.unwrap_or_default();
                        if let Ok(body) = serde_json::from_str::<Value>(&text) {
                            if let Some(first) = body
                                .get("errors")
                                .and_then(Value::as_array)
                                .and_then(|e| e.first())
                            {
                                return Err(query_error(first));
                            }
                        }
                        return Err(RemoteError::Status {
                            status,
                            url: url.to_string(),
                            body: text.chars().take(300).collect(),
                        });
                    }
                }
                Err(e) => (describe(&e), None),
            };
            if attempt >= self.policy.max_attempts {
                return Err(RemoteError::Unavailable {
                    attempts: attempt,
                    url: url.to_string(),
                    last: reason,
                });
            }
            let wait = self.policy.delay(attempt, retry_after);
            self.retries.fetch_add(1, Ordering::Relaxed);
            self.emit(Event::Retry { reason, wait });
            tokio::time::sleep(wait).await;
        }
    }
}

fn parse_json(url: &str, bytes: &[u8]) -> Result<Value, RemoteError> {
    serde_json::from_slice(bytes).map_err(|e| RemoteError::Malformed {
        url: url.to_string(),
        what: format!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        ),
    })
}

fn query_error(error: &Value) -> RemoteError {
    RemoteError::Query {
        message: error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("(no message)")
            .to_string(),
        code: error
            .pointer("/extensions/code")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

/// A transport failure in words: timed out, could not connect, or the connection broke.
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_body() || e.is_decode() {
        "the connection broke while the answer was read".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}
