//! Getting a document's diagnostics to the client without holding up requests: analysis runs
//! on blocking threads over a snapshot of the document, the world is locked only to check
//! that the snapshot is still current and to record what was sent. A big document is
//! analysed visible part first (docs/lsp.md "Big documents").

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tower_lsp_server::ls_types::{Diagnostic, ProgressToken, PublishDiagnosticsParams, Uri};
use tower_lsp_server::Client;

use crate::document::Document;
use crate::server::{lock, World};

/// The lines an editor shows first when it opens a document: the queries starting on them
/// are analysed before anything else, so their diagnostics come at once however long the
/// document is.
pub const VISIBLE_LINES: u32 = 300;

/// The chunks of `doc` that hold its first [`VISIBLE_LINES`] lines.
pub fn visible(doc: &Document) -> std::ops::Range<usize> {
    0..doc.chunks_before_line(VISIBLE_LINES).max(1)
}

/// Which chunks a publish reports.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every chunk (analysing those not analysed yet).
    All,
    /// The chunks analysed so far, after analysing these (the visible part, the chunks just
    /// edited), while the rest is analysed in the background.
    Analysed(Vec<std::ops::Range<usize>>),
}

/// The frames of standard output (see [`crate::stdio`]).
pub type Output = tokio::sync::mpsc::UnboundedSender<Vec<u8>>;

/// What a background task needs to publish: the world, the client and, over stdio, the
/// output frames.
#[derive(Clone)]
pub struct Publisher {
    /// The server's state.
    pub world: Arc<Mutex<World>>,
    /// The editor.
    pub client: Client,
    /// Where `publishDiagnostics` is written directly, serialised from the diagnostics
    /// (without the JSON value `tower-lsp-server` would build first).
    pub output: Option<Output>,
}

impl Publisher {
    /// Analyses `doc` as `scope` says (off the lock, on a blocking thread) and pushes its
    /// diagnostics, unless the document changed meanwhile, the findings are the ones last
    /// pushed, or the client pulls diagnostics itself.
    pub async fn publish(&self, uri: Uri, doc: Arc<Document>, scope: Scope) {
        if lock(&self.world).pull_diagnostics {
            return;
        }
        let links = lock(&self.world).links.clone();
        let computed = {
            let (doc, uri) = (Arc::clone(&doc), uri.clone());
            tokio::task::spawn_blocking(move || {
                catch_unwind(AssertUnwindSafe(|| {
                    crate::diagnostics::diagnostics_in(&doc, &uri, &links, &scope)
                }))
                .ok()
            })
            .await
            .ok()
            .flatten()
        };
        let Some(diagnostics) = computed else { return };
        let send = {
            let mut world = lock(&self.world);
            let current = world
                .docs
                .get(&uri)
                .is_some_and(|d| d.version == doc.version && Arc::ptr_eq(&d.env, &doc.env));
            current && world.changed_diagnostics(&uri, &diagnostics)
        };
        if send {
            let many = diagnostics.len() >= 1_000;
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: Some(doc.version),
            };
            match &self.output {
                Some(output) => {
                    let message = serde_json::json!({
                        "jsonrpc": "2.0",
                        "method": "textDocument/publishDiagnostics",
                    });
                    if let Some(frame) = notification_frame(message, &params) {
                        let _ = output.send(frame);
                    }
                }
                None => {
                    self.client
                        .publish_diagnostics(params.uri, params.diagnostics, params.version)
                        .await
                }
            }
            if many {
                crate::memory::release_unused();
            }
        }
    }

    /// Publishes the visible part of `doc` now, analyses the rest on every core, then
    /// publishes everything and asks the client to refresh what it pulls (diagnostics,
    /// semantic tokens). A document whose chunks are all analysed is just published.
    pub async fn analyse_in_background(&self, uri: Uri, doc: Arc<Document>) {
        let first = visible(&doc);
        let pending = doc.chunks[first.end.min(doc.chunks.len())..]
            .iter()
            .any(|c| !c.data.is_analysed());
        if !pending {
            self.publish(uri, doc, Scope::All).await;
            return;
        }
        let (progress, serial) = {
            let mut world = lock(&self.world);
            world.analysing.insert(uri.clone());
            world.tokens_serial += 1;
            (world.progress, world.tokens_serial)
        };
        self.publish(uri.clone(), Arc::clone(&doc), Scope::Analysed(vec![first]))
            .await;
        let name = uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or("document")
            .to_string();
        let token = ProgressToken::String(format!("j1ql-analyse-{serial}"));
        let ongoing = if progress
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
        {
            Some(
                self.client
                    .progress(token, format!("j1ql: analysing {name}"))
                    .with_message(format!("{} queries", doc.chunks.len()))
                    .begin()
                    .await,
            )
        } else {
            None
        };
        let analysed = Arc::clone(&doc);
        let len = doc.chunks.len();
        let _ = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| analysed.analyse(0..len, false))).ok();
            // The syntax trees made and dropped meanwhile: give their memory back.
            crate::memory::release_unused();
        })
        .await;
        let (current, pull, diagnostics_refresh, tokens_refresh) = {
            let mut world = lock(&self.world);
            world.analysing.remove(&uri);
            (
                world.docs.get(&uri).cloned(),
                world.pull_diagnostics,
                world.diagnostics_refresh,
                world.tokens_refresh,
            )
        };
        if let Some(ongoing) = ongoing {
            ongoing
                .finish_with_message(format!("{len} queries analysed"))
                .await;
        }
        if let Some(current) = current {
            self.publish(uri, current, Scope::All).await;
        }
        if pull && diagnostics_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
        if tokens_refresh {
            let _ = self.client.semantic_tokens_refresh().await;
        }
    }
}

/// A JSON-RPC notification frame (`Content-Length` header and body): `head`'s fields and
/// `params`, serialised straight to bytes.
fn notification_frame<P: Serialize>(head: serde_json::Value, params: &P) -> Option<Vec<u8>> {
    #[derive(Serialize)]
    struct Message<'a, P> {
        #[serde(flatten)]
        head: serde_json::Value,
        params: &'a P,
    }
    let body = serde_json::to_vec(&Message { head, params }).ok()?;
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    Some(frame)
}

/// A pull's answer (`textDocument/diagnostic`): the findings and their result id; `None` for
/// the diagnostics when they are those of `previous` (the client keeps what it has).
pub fn pulled(
    world: &mut World,
    uri: &Uri,
    diagnostics: Vec<Diagnostic>,
    previous: Option<&str>,
) -> (String, Option<Vec<Diagnostic>>) {
    if let Some((id, last)) = world.pulled.get(uri) {
        if *last == diagnostics {
            let id = id.clone();
            let unchanged = previous == Some(id.as_str());
            return (id, (!unchanged).then_some(diagnostics));
        }
    }
    world.tokens_serial += 1;
    let id = world.tokens_serial.to_string();
    world
        .pulled
        .insert(uri.clone(), (id.clone(), diagnostics.clone()));
    (id, Some(diagnostics))
}
