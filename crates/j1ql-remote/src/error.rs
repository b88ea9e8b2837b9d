//! What can go wrong talking to the live account, each with a message that names the setting
//! or the answer to look at.

use std::fmt;

/// A failure of a request to the live account (or to `j1ql serve` standing in for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteError {
    /// A setting is missing or invalid (the message names it).
    Settings(String),
    /// 401 or 403: the key or the account was not accepted.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The URL that refused.
        url: String,
        /// Where the key and the account came from.
        origins: String,
    },
    /// The query was not run: a GraphQL error (a J1QL syntax error carries its line and
    /// column in the message, as JupiterOne words it).
    Query {
        /// The server's message.
        message: String,
        /// `extensions.code`, when given.
        code: Option<String>,
    },
    /// An HTTP status that is neither success, refusal nor retried.
    Status {
        /// The HTTP status.
        status: u16,
        /// The URL.
        url: String,
        /// The start of the body.
        body: String,
    },
    /// Retries ran out (429/502/503/504, timeouts, connections that failed or broke).
    Unavailable {
        /// Requests made.
        attempts: u32,
        /// The URL.
        url: String,
        /// The last failure.
        last: String,
    },
    /// An answer that is not what the API answers (not JSON, no `queryV1`, ...).
    Malformed {
        /// The URL.
        url: String,
        /// What was wrong.
        what: String,
    },
    /// The fixture file could not be written (the folder or the file).
    Write(String),
    /// A deferred query failed or did not finish in time.
    Deferred(String),
    /// A later page failed: the rows of the earlier pages are not an answer.
    Interrupted {
        /// Pages that had arrived.
        pages: usize,
        /// Rows that had arrived.
        rows: usize,
        /// Why the next page failed.
        cause: Box<RemoteError>,
    },
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteError::Settings(m) => f.write_str(m),
            RemoteError::Refused {
                status,
                url,
                origins,
            } => write!(
                f,
                "the API key or account was refused ({status} from {url}); check {origins}"
            ),
            RemoteError::Query { message, code } => match code {
                Some(code) => write!(f, "the query was refused: {message} ({code})"),
                None => write!(f, "the query was refused: {message}"),
            },
            RemoteError::Status { status, url, body } => {
                write!(f, "{url} answered {status}: {body}")
            }
            RemoteError::Unavailable {
                attempts,
                url,
                last,
            } => write!(
                f,
                "{url} did not answer after {attempts} attempt{}: {last}",
                if *attempts == 1 { "" } else { "s" }
            ),
            RemoteError::Malformed { url, what } => write!(f, "{url}: unexpected answer: {what}"),
            RemoteError::Write(m) => write!(f, "cannot write the fixture: {m}"),
            RemoteError::Deferred(m) => write!(f, "deferred query: {m}"),
            RemoteError::Interrupted { pages, rows, cause } => write!(
                f,
                "the answer is incomplete: page {} failed after {pages} page{} ({rows} rows) \
                 had arrived, so nothing was output: {cause}",
                pages + 1,
                if *pages == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for RemoteError {}
