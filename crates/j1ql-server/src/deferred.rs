//! Deferred answers (`deferredResponse: FORCE`): `queryV1` returns `{type: "deferred", url}`
//! at once, the query runs in the background, and the URL serves a status document that the
//! clients poll (`{status: IN_PROGRESS|COMPLETED|FAILED, correlationId, url, data, cursor,
//! totalCount, error}`). JupiterOne serves these from pre-signed storage URLs that need no
//! credentials; so do we: the URL holds an unguessable id.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::query::{Page, QueryError};

/// How many finished answers are kept (the oldest go first).
pub const KEEP: usize = 10_000;

/// Where a deferred query is.
#[derive(Debug, Clone)]
pub enum DeferredState {
    /// Still running.
    InProgress,
    /// Done: the page.
    Completed(Page),
    /// The query failed: JupiterOne's message.
    Failed(String),
}

/// The deferred answers, by id.
#[derive(Default)]
pub struct DeferredAnswers {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    states: HashMap<String, (String, DeferredState)>,
    order: VecDeque<String>,
}

impl DeferredAnswers {
    /// Registers a new deferred query: its id and its correlation id.
    pub fn start(&self, correlation_id: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut inner = self.inner.lock().expect("deferred lock");
        inner.states.insert(
            id.clone(),
            (correlation_id.to_string(), DeferredState::InProgress),
        );
        inner.order.push_back(id.clone());
        while inner.order.len() > KEEP {
            if let Some(old) = inner.order.pop_front() {
                inner.states.remove(&old);
            }
        }
        id
    }

    /// Records how a deferred query ended.
    pub fn finish(&self, id: &str, outcome: Result<Page, QueryError>) {
        let mut inner = self.inner.lock().expect("deferred lock");
        if let Some((_, state)) = inner.states.get_mut(id) {
            *state = match outcome {
                Ok(page) => DeferredState::Completed(page),
                Err(e) => DeferredState::Failed(e.message()),
            };
        }
    }

    /// The status document at `base/deferred/ID` (`None`: unknown id).
    pub fn status(&self, id: &str, base_url: &str) -> Option<Value> {
        let inner = self.inner.lock().expect("deferred lock");
        let (correlation_id, state) = inner.states.get(id)?;
        let mut doc = Map::new();
        doc.insert("correlationId".into(), correlation_id.clone().into());
        match state {
            DeferredState::InProgress => {
                doc.insert("status".into(), "IN_PROGRESS".into());
            }
            DeferredState::Failed(error) => {
                doc.insert("status".into(), "FAILED".into());
                doc.insert("error".into(), error.clone().into());
            }
            DeferredState::Completed(page) => {
                doc.insert("status".into(), "COMPLETED".into());
                doc.insert(
                    "url".into(),
                    format!("{base_url}/deferred/{id}/result").into(),
                );
                put_page(&mut doc, page);
            }
        }
        Some(Value::Object(doc))
    }

    /// The result document at `base/deferred/ID/result` (`None`: unknown or unfinished).
    pub fn result(&self, id: &str) -> Option<Value> {
        let inner = self.inner.lock().expect("deferred lock");
        match inner.states.get(id)? {
            (_, DeferredState::Completed(page)) => {
                let mut doc = Map::new();
                put_page(&mut doc, page);
                Some(Value::Object(doc))
            }
            _ => None,
        }
    }
}

/// `type`, `data`, `totalCount`, and `cursor` only when there is a next page: the Python
/// client keeps paging while the key is present.
fn put_page(doc: &mut Map<String, Value>, page: &Page) {
    doc.insert("type".into(), page.kind.into());
    doc.insert("data".into(), page.data.clone());
    doc.insert("totalCount".into(), json!(page.total_count));
    if let Some(cursor) = &page.cursor {
        doc.insert("cursor".into(), cursor.clone().into());
    }
}
