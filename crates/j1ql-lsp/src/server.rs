//! The tower-lsp-server backend: world state (plain maps behind one mutex, taplo style) and
//! the handlers, each a thin call into a synchronous feature function.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::diagnostics::DocLinks;
use crate::document::{Document, Encoding, OutOfRange};
use crate::features;
use crate::publish::{Publisher, Scope};
use crate::settings::Settings;
use crate::workspace::{Env, Workspace};
use j1ql_eval::Cancel;

/// What the server knows.
#[derive(Default)]
pub struct World {
    /// Open documents. Handlers take a snapshot (an `Arc` clone) under the lock and work on
    /// it unlocked, so a long analysis never blocks another request.
    pub docs: HashMap<Uri, Arc<Document>>,
    /// Negotiated position encoding.
    pub encoding: Encoding,
    /// Links of diagnostic codes.
    pub links: DocLinks,
    /// Pause after a change before diagnostics are published.
    pub diagnostics_delay: Duration,
    /// Workspace folders.
    pub roots: Vec<PathBuf>,
    /// Loaded workspaces, by the folder of their `j1ql.toml` (`None`: no config).
    pub workspaces: HashMap<Option<PathBuf>, Arc<Workspace>>,
    /// Editor settings merged over every `j1ql.toml` (`initializationOptions.config`,
    /// `workspace/didChangeConfiguration`).
    pub settings: Arc<Settings>,
    /// Whether the client registers file watchers for us (`workspace/didChangeWatchedFiles`
    /// with `dynamicRegistration`).
    pub watch_files: bool,
    /// The diagnostics last published for each open document: a publish that would repeat
    /// them is skipped (a big document's findings are megabytes of JSON, and most edits
    /// change none of them).
    pub published: HashMap<Uri, Vec<tower_lsp_server::ls_types::Diagnostic>>,
    /// The semantic tokens last sent for each document, with their result id, for
    /// `semanticTokens/full/delta`.
    pub tokens_sent: HashMap<Uri, (String, Vec<SemanticToken>)>,
    /// The last result id given out (semantic tokens, pulled diagnostics).
    pub tokens_serial: u64,
    /// Whether the client pulls diagnostics (`textDocument/diagnostic`): then none are
    /// pushed.
    pub pull_diagnostics: bool,
    /// Whether the client can be told to pull diagnostics again
    /// (`workspace/diagnostic/refresh`).
    pub diagnostics_refresh: bool,
    /// Whether the client can be told to ask for semantic tokens again
    /// (`workspace/semanticTokens/refresh`).
    pub tokens_refresh: bool,
    /// Whether the client shows work-done progress (`window/workDoneProgress/create`).
    pub progress: bool,
    /// The documents being analysed in the background (a big document just opened, or one
    /// whose workspace was reloaded): their requests use what is analysed so far.
    pub analysing: HashSet<Uri>,
    /// The diagnostics last answered to a pull, with their result id.
    pub pulled: HashMap<Uri, (String, Vec<tower_lsp_server::ls_types::Diagnostic>)>,
}

impl World {
    /// Whether `diagnostics` differ from what was last published for `uri` (and records
    /// them when they do).
    pub fn changed_diagnostics(
        &mut self,
        uri: &Uri,
        diagnostics: &[tower_lsp_server::ls_types::Diagnostic],
    ) -> bool {
        if self
            .published
            .get(uri)
            .is_some_and(|last| last == diagnostics)
        {
            return false;
        }
        self.published.insert(uri.clone(), diagnostics.to_vec());
        true
    }
}

/// The language server.
pub struct Backend {
    client: Client,
    world: Arc<Mutex<World>>,
    /// Where `initialize`'s `processId` goes, so the server exits when the editor is gone.
    client_watch: Option<crate::client_process::ClientWatch>,
    /// The slot of `j1ql.runQuery`: one such evaluation runs at a time (each may use the whole
    /// work budget and keep up to 2,000,000 rows), later ones wait their turn. The slot is
    /// held by the evaluating thread, so a cancelled evaluation frees it when it has stopped.
    run_slot: Arc<tokio::sync::Semaphore>,
    /// The frames going to the client (standard output): big notifications are written there
    /// directly ([`Publisher`]).
    output: Option<crate::publish::Output>,
}

/// Runs a handler body, turning a panic into an `InternalError` response and an out-of-range
/// position into `InvalidParams`: a bug in one feature never takes the server down.
pub fn guarded<T>(f: impl FnOnce() -> std::result::Result<T, OutOfRange>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(OutOfRange(m))) => Err(invalid(m)),
        Err(panic) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("internal error: {}", panic_message(&panic)).into(),
            data: None,
        }),
    }
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            world: Arc::new(Mutex::new(World {
                diagnostics_delay: Duration::from_millis(50),
                ..World::default()
            })),
            client_watch: None,
            run_slot: Arc::new(tokio::sync::Semaphore::new(1)),
            output: None,
        }
    }

    /// The same server, writing its diagnostics straight into `output` (the frames of
    /// standard output) instead of through `tower-lsp-server`, which would first build the
    /// whole message as a JSON value: for a big document, many times its size in memory.
    pub fn writing_to(mut self, output: crate::publish::Output) -> Backend {
        self.output = Some(output);
        self
    }

    /// The same server, exiting when the client's `processId` (from `initialize`) is gone.
    pub fn watching(mut self, watch: crate::client_process::ClientWatch) -> Backend {
        self.client_watch = Some(watch);
        self
    }

    fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Runs `f` on a document, catching panics (a bug gives an error response, not a crash).
    fn with_doc<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Document) -> std::result::Result<T, OutOfRange>,
    ) -> Result<T> {
        let doc = self.snapshot(uri)?;
        guarded(|| f(&doc))
    }

    /// The document at `uri` as it is now (a cheap clone, used without the lock).
    fn snapshot(&self, uri: &Uri) -> Result<Arc<Document>> {
        self.world()
            .docs
            .get(uri)
            .cloned()
            .ok_or_else(|| invalid(format!("document not open: {}", uri.as_str())))
    }

    /// The handles a background task needs.
    fn publisher(&self) -> Publisher {
        Publisher {
            world: Arc::clone(&self.world),
            client: self.client.clone(),
            output: self.output.clone(),
        }
    }

    /// Runs `f` on a blocking thread and awaits it: the request stays cancellable
    /// (`$/cancelRequest` drops the wait and answers `RequestCancelled`) and the world is not
    /// locked meanwhile.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, OutOfRange> + Send + 'static,
    ) -> Result<T> {
        match tokio::task::spawn_blocking(move || guarded(f)).await {
            Ok(r) => r,
            Err(e) => Err(Error {
                code: ErrorCode::InternalError,
                message: format!("internal error: {e}").into(),
                data: None,
            }),
        }
    }

    /// Runs an evaluation `f` on a blocking thread ([`Backend::blocking`]) with a
    /// cancellation token: when the request is cancelled (`$/cancelRequest` drops this
    /// future) the token is cancelled, and the evaluator stops at its next unit of work
    /// instead of running on to the end of its budget. With `slot`, waits for it first and
    /// keeps it until the thread ends.
    async fn evaluate<T: Send + 'static>(
        &self,
        slot: Option<&Arc<tokio::sync::Semaphore>>,
        f: impl FnOnce(&Cancel) -> std::result::Result<T, OutOfRange> + Send + 'static,
    ) -> Result<T> {
        let cancel = Cancel::new();
        let _cancel_when_dropped = cancel.on_drop();
        let permit = match slot {
            Some(slot) => Some(Arc::clone(slot).acquire_owned().await.map_err(|e| Error {
                code: ErrorCode::InternalError,
                message: format!("internal error: {e}").into(),
                data: None,
            })?),
            None => None,
        };
        self.blocking(move || {
            let _permit = permit;
            f(&cancel)
        })
        .await
    }

    /// Keeps the tokens sent for `uri` and returns their new result id.
    fn remember_tokens(&self, uri: &Uri, data: Vec<SemanticToken>) -> String {
        let mut world = self.world();
        world.tokens_serial += 1;
        let id = world.tokens_serial.to_string();
        world.tokens_sent.insert(uri.clone(), (id.clone(), data));
        id
    }

    /// The environment of the document at `uri`: its workspace (loaded once, outside the
    /// lock) and its lint settings.
    fn env(&self, uri: &Uri) -> Arc<Env> {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let dir = crate::workspace::config_dir(path.as_deref());
        let (cached, settings) = {
            let world = self.world();
            (
                world.workspaces.get(&dir).cloned(),
                Arc::clone(&world.settings),
            )
        };
        let workspace = match cached {
            Some(w) => w,
            None => {
                let loaded = catch_unwind(AssertUnwindSafe(|| {
                    Workspace::load(dir.as_deref(), &settings)
                }))
                .unwrap_or_else(|p| {
                    let mut w = Workspace::builtin();
                    w.problem = Some(format!("internal error: {}", panic_message(&p)));
                    w
                });
                // A broken `j1ql.toml` (or data) is said once per load, as an error the
                // editor shows, besides the `config` diagnostic on each document: falling
                // back to the defaults silently would look like a working setup.
                if let Some(problem) = &loaded.problem {
                    let client = self.client.clone();
                    let message = format!("j1ql: workspace settings not used: {problem}");
                    tokio::spawn(async move {
                        client.show_message(MessageType::ERROR, message).await;
                    });
                }
                let w = Arc::new(loaded);
                let mut world = self.world();
                // Settings that changed meanwhile make this load stale: use it, keep none.
                if Arc::ptr_eq(&world.settings, &settings) {
                    Arc::clone(world.workspaces.entry(dir).or_insert(w))
                } else {
                    w
                }
            }
        };
        Env::for_file(workspace, path.as_deref())
    }

    /// After `j1ql.toml` or data changed: forget the workspaces that depend on the changed
    /// files, re-analyse the open documents whose workspace changed and re-publish their
    /// diagnostics.
    async fn reload(&self, changed: Vec<PathBuf>) {
        {
            let mut world = self.world();
            world.workspaces.retain(|dir, w| {
                !changed.iter().any(|p| {
                    w.depends_on(p)
                        || (p.file_name().is_some_and(|n| n == j1ql_config::FILE_NAME)
                            && (dir.is_none() || dir.as_deref() == p.parent()))
                })
            });
        }
        self.refresh(&changed).await;
    }

    /// New editor settings: every workspace is reloaded with them, every open document
    /// re-analysed and its diagnostics re-published.
    async fn apply_settings(&self, settings: Settings) {
        {
            let mut world = self.world();
            world.settings = Arc::new(settings);
            world.workspaces.clear();
        }
        self.refresh(&[]).await;
    }

    /// Re-analyses the open documents whose workspace was reloaded or depends on a `changed`
    /// file, and re-publishes their diagnostics (in the background, visible part first).
    async fn refresh(&self, changed: &[PathBuf]) {
        let uris: Vec<Uri> = self.world().docs.keys().cloned().collect();
        for uri in uris {
            let env = self.env(&uri);
            let updated = {
                let mut world = self.world();
                match world.docs.get_mut(&uri) {
                    Some(doc)
                        if !Arc::ptr_eq(&doc.env.workspace, &env.workspace)
                            || changed.iter().any(|p| doc.env.workspace.depends_on(p)) =>
                    {
                        let doc = Arc::make_mut(doc);
                        catch_unwind(AssertUnwindSafe(|| doc.set_env(env))).is_ok()
                    }
                    _ => false,
                }
            };
            if updated {
                if let Ok(doc) = self.snapshot(&uri) {
                    let publisher = self.publisher();
                    tokio::spawn(async move { publisher.analyse_in_background(uri, doc).await });
                }
            }
        }
        let (pull, refresh) = {
            let w = self.world();
            (w.pull_diagnostics, w.diagnostics_refresh)
        };
        if pull && refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn invalid(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

fn doc_uri(uri: &TextDocumentIdentifier) -> &Uri {
    &uri.uri
}

/// File-watcher globs registered with the client: configs and fixture data.
pub const WATCHED: &[&str] = &["**/j1ql.toml", "**/*.json", "**/*.jsonl", "**/*.ndjson"];

/// The commands `workspace/executeCommand` knows.
pub const COMMANDS: &[&str] = &[
    "j1ql.runQuery",
    "j1ql.runQueryRemote",
    "j1ql.explain",
    "j1ql.dataSource",
];

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        if let (Some(watch), Some(pid)) = (&self.client_watch, params.process_id) {
            watch.watch(pid);
        }
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let encoding = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let text_document = params.capabilities.text_document.as_ref();
        let pull_diagnostics = text_document.is_some_and(|t| t.diagnostic.is_some());
        let workspace_caps = params.capabilities.workspace.as_ref();
        let diagnostics_refresh = workspace_caps
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let tokens_refresh = workspace_caps
            .and_then(|w| w.semantic_tokens.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
            roots.push(root.into_owned());
        }
        let options = params.initialization_options.unwrap_or(Value::Null);
        let settings = Settings::from_json(options.get("config"), crate::settings::root(&roots));
        {
            let mut world = self.world();
            world.settings = Arc::new(settings);
            world.encoding = encoding;
            world.watch_files = watch_files;
            world.pull_diagnostics = pull_diagnostics;
            world.diagnostics_refresh = diagnostics_refresh;
            world.tokens_refresh = tokens_refresh;
            world.progress = progress;
            if let Some(ms) = options.get("diagnosticsDelayMs").and_then(Value::as_u64) {
                world.diagnostics_delay = Duration::from_millis(ms);
            }
            world.links.base = options
                .get("docsUrl")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    roots.iter().find_map(|r| {
                        let p = r.join("docs").join("lint-rules.md");
                        p.is_file()
                            .then(|| Uri::from_file_path(&p).map(|u| u.as_str().to_string()))
                            .flatten()
                    })
                });
            world.roots = roots;
        }
        Ok(InitializeResult {
            capabilities: features::capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "j1ql-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let watch = self.world().watch_files;
        if watch {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: WATCHED
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "j1ql-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.client
                    .log_message(MessageType::WARNING, format!("file watcher: {e}"))
                    .await;
            }
        }
        self.client
            .log_message(MessageType::INFO, "j1ql language server ready")
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let env = self.env(&uri);
        let encoding = self.world().encoding;
        let text = params.text_document.text;
        let version = params.text_document.version;
        // Cutting the text into queries is quick; the queries an editor shows first are
        // analysed before the document is visible to requests, the rest in the background.
        let doc = catch_unwind(AssertUnwindSafe(|| {
            let doc = Document::new(&text, version, encoding, env);
            doc.analyse(crate::publish::visible(&doc), true);
            doc
        }));
        let Ok(doc) = doc else { return };
        let doc = Arc::new(doc);
        self.world().docs.insert(uri.clone(), Arc::clone(&doc));
        let publisher = self.publisher();
        tokio::spawn(async move { publisher.analyse_in_background(uri, doc).await });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let (result, delay) = {
            let mut world = self.world();
            let delay = world.diagnostics_delay;
            let result = match world.docs.get_mut(&uri) {
                Some(doc) => catch_unwind(AssertUnwindSafe(|| {
                    // Copies the document only when a snapshot of it is in use.
                    Arc::make_mut(doc).apply_changes(&params.content_changes, version)
                }))
                .unwrap_or_else(|p| Err(OutOfRange(panic_message(&p)))),
                None => Err(OutOfRange("document not open".into())),
            };
            (result, delay)
        };
        if let Err(OutOfRange(message)) = result {
            self.client
                .log_message(
                    MessageType::ERROR,
                    format!("didChange {}: {message}", uri.as_str()),
                )
                .await;
            return;
        }
        // The chunks each change touched (by where the change starts now).
        let publisher = self.publisher();
        tokio::spawn(async move {
            // Debounce: publish only if no newer change came in meanwhile.
            tokio::time::sleep(delay).await;
            let (doc, analysing) = {
                let world = lock(&publisher.world);
                match world.docs.get(&uri) {
                    Some(doc) if doc.version == version => {
                        (Arc::clone(doc), world.analysing.contains(&uri))
                    }
                    _ => return,
                }
            };
            // While the rest of a big document is analysed in the background, publish what
            // is ready: the visible part and the queries just edited.
            let scope = if analysing {
                let mut ranges = vec![crate::publish::visible(&doc)];
                ranges.extend(doc.unanalysed_near_edits());
                Scope::Analysed(ranges)
            } else {
                Scope::All
            };
            publisher.publish(uri, doc, scope).await;
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let pull = {
            let mut world = self.world();
            world.docs.remove(&uri);
            world.published.remove(&uri);
            world.pulled.remove(&uri);
            world.tokens_sent.remove(&uri);
            world.pull_diagnostics
        };
        if !pull {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let doc = self.snapshot(&uri)?;
        let (links, analysing) = {
            let world = self.world();
            (world.links.clone(), world.analysing.contains(&uri))
        };
        // While a big document is analysed in the background: what is ready (the client is
        // asked to pull again when the rest is done).
        let scope = if analysing {
            Scope::Analysed(vec![crate::publish::visible(&doc)])
        } else {
            Scope::All
        };
        let for_uri = uri.clone();
        let diagnostics = self
            .blocking(move || {
                Ok(crate::diagnostics::diagnostics_in(
                    &doc, &for_uri, &links, &scope,
                ))
            })
            .await?;
        let (id, items) = crate::publish::pulled(
            &mut self.world(),
            &uri,
            diagnostics,
            params.previous_result_id.as_deref(),
        );
        Ok(DocumentDiagnosticReportResult::Report(match items {
            Some(items) => DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(id),
                    items,
                },
            }),
            None => DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            }),
        }))
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changed: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        if !changed.is_empty() {
            self.reload(changed).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        match crate::settings::changed_config(&params.settings) {
            Some(config) => {
                let root = self.world().roots.first().cloned();
                let settings = Settings::from_json(Some(config), root.as_deref());
                self.apply_settings(settings).await;
            }
            None => {
                self.client
                    .log_message(
                        MessageType::INFO,
                        "didChangeConfiguration without `j1ql.config` or `config`: ignored",
                    )
                    .await;
            }
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_doc(doc_uri(&p.text_document), |doc| {
            let offset = doc.offset(p.position)?;
            Ok(Some(features::completion::completion(doc, offset)))
        })
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let p = params.text_document_position_params;
        self.with_doc(doc_uri(&p.text_document), |doc| {
            let offset = doc.offset(p.position)?;
            Ok(features::signature::signature_help(doc, offset))
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.with_doc(&params.text_document.uri, |doc| {
            let r = doc.text_range(params.range)?;
            Ok(Some(features::inlay::inlay_hints(doc, r)))
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let uri = doc_uri(&p.text_document).clone();
        // First pass, under the lock: the hover as it is, noting the query when the cursor is
        // on `FIND` (whose hover shows the match count) without running it.
        let wanted = std::cell::RefCell::new(None);
        let first = self.with_doc(&uri, |doc| {
            let offset = doc.offset(p.position)?;
            let workspace = Arc::clone(&doc.env.workspace);
            let note = |q: &str| -> std::result::Result<(usize, String), String> {
                *wanted.borrow_mut() = Some((q.to_string(), Arc::clone(&workspace)));
                Err(String::new())
            };
            Ok(features::hover::hover(doc, offset, &note))
        })?;
        let Some((query, workspace)) = wanted.into_inner() else {
            return Ok(first);
        };
        // The count runs on a blocking thread, with the world unlocked (other requests go on)
        // and a small work budget (features::run::HOVER_WORK_BUDGET).
        let counted = self
            .evaluate(None, move |cancel| {
                let source = workspace.source();
                let on = workspace.data_description();
                Ok(features::run::count(&workspace, &query, cancel)
                    .map(|n| (n, on))
                    .map_err(|e| format!("{e} (data: {source})")))
            })
            .await?;
        self.with_doc(&uri, |doc| {
            let offset = doc.offset(p.position)?;
            let count = |_: &str| counted.clone();
            Ok(features::hover::hover(doc, offset, &count))
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&uri, |doc| {
            let r = doc.text_range(params.range)?;
            Ok(Some(features::actions::code_actions(
                doc,
                &uri,
                r.start().into(),
                r.end().into(),
            )))
        })
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let snapshot = self.with_doc(&params.text_document.uri, |doc| Ok(doc.snapshot()))?;
        self.blocking(move || Ok(features::navigation::format(&snapshot).ok()))
            .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let (snapshot, r) = self.with_doc(&params.text_document.uri, |doc| {
            Ok((doc.snapshot(), doc.text_range(params.range)?))
        })?;
        self.blocking(move || Ok(features::navigation::format_range(&snapshot, r).ok()))
            .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_doc(&params.text_document.uri, |doc| {
            Ok(Some(DocumentSymbolResponse::Nested(
                features::navigation::document_symbols(doc),
            )))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_doc(&params.text_document.uri, |doc| {
            Ok(Some(features::navigation::folding_ranges(doc)))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let analysing = self.world().analysing.contains(&uri);
        let data = self.with_doc(&uri, |doc| {
            Ok(features::navigation::semantic_tokens_full(doc, analysing))
        })?;
        let result_id = self.remember_tokens(&uri, data.clone());
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(result_id),
            data,
        })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = params.text_document.uri;
        let analysing = self.world().analysing.contains(&uri);
        let data = self.with_doc(&uri, |doc| {
            Ok(features::navigation::semantic_tokens_full(doc, analysing))
        })?;
        let edits = {
            let world = self.world();
            match world.tokens_sent.get(&uri) {
                Some((id, old)) if *id == params.previous_result_id => {
                    Some(features::navigation::semantic_tokens_edits(old, &data))
                }
                _ => None,
            }
        };
        Ok(Some(match edits {
            // Only the edits are sent: the new data is kept without a copy.
            Some(edits) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(self.remember_tokens(&uri, data)),
                edits,
            }),
            // An unknown previous id: the whole data.
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(self.remember_tokens(&uri, data.clone())),
                data,
            }),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.with_doc(&params.text_document.uri, |doc| {
            let r = doc.text_range(params.range)?;
            Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data: features::navigation::semantic_tokens(doc, Some(r)),
            })))
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri.clone();
        self.with_doc(&uri, |doc| {
            let offset = doc.offset(p.position)?;
            Ok(features::navigation::definition(doc, offset)
                .map(|r| GotoDefinitionResponse::Scalar(Location::new(uri.clone(), r))))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        self.with_doc(&uri, |doc| {
            let offset = doc.offset(p.position)?;
            let ranges =
                features::navigation::references(doc, offset, params.context.include_declaration);
            Ok(Some(
                ranges
                    .into_iter()
                    .map(|r| Location::new(uri.clone(), r))
                    .collect(),
            ))
        })
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&uri, |doc| {
            let offset = doc.offset(params.position)?;
            Ok(features::navigation::prepare_rename(doc, offset))
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        let name = params.new_name;
        let keyword = j1ql_syntax::KEYWORDS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(&name));
        if name.is_empty() || keyword || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(invalid(format!(
                "not an alias name: {name:?} (letters, digits and `_`, not a keyword)"
            )));
        }
        self.with_doc(&uri, |doc| {
            let offset = doc.offset(p.position)?;
            Ok(features::navigation::rename(doc, &uri, offset, &name))
        })
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        self.with_doc(&uri, |doc| {
            Ok(Some(features::navigation::code_lenses(doc, &uri)))
        })
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let args = params.arguments;
        match params.command.as_str() {
            command @ ("j1ql.runQuery" | "j1ql.runQueryRemote") => {
                // Arguments: [uri, query index] (the code lens), or [uri, {line, character}],
                // or [query text].
                let first = args.first().and_then(Value::as_str).unwrap_or_default();
                let (text, workspace) = if let Some(uri) = first
                    .parse::<Uri>()
                    .ok()
                    .filter(|_| first.contains(':') && args.len() >= 2)
                {
                    let which = args[1].clone();
                    self.with_doc(&uri, |doc| {
                        let text = match which.as_u64() {
                            Some(i) => features::navigation::query_text(doc, i as usize),
                            None => {
                                let pos: Position = serde_json::from_value(which)
                                    .map_err(|e| OutOfRange(format!("bad position: {e}")))?;
                                features::navigation::query_at(doc, doc.offset(pos)?)
                            }
                        };
                        let text = text.ok_or_else(|| OutOfRange("no such query".into()))?;
                        Ok((text, Arc::clone(&doc.env.workspace)))
                    })?
                } else if !first.is_empty() {
                    let untitled: Uri = "untitled:query.j1ql".parse().expect("uri");
                    (
                        first.to_string(),
                        Arc::clone(&self.env(&untitled).workspace),
                    )
                } else {
                    return Err(invalid(format!(
                        "{command}: expected [uri, index] or [query]"
                    )));
                };
                let result = if command == "j1ql.runQueryRemote" {
                    // Async, not on a blocking thread: a `$/cancelRequest` drops the future
                    // and with it the HTTP request.
                    features::run::run_remote(&workspace, &text).await
                } else {
                    self.evaluate(Some(&self.run_slot), move |cancel| {
                        Ok(features::run::run(&workspace, &text, cancel))
                    })
                    .await?
                };
                result.map(Some).map_err(|e| Error {
                    code: ErrorCode::ServerError(1),
                    message: e.into(),
                    data: None,
                })
            }
            // What `j1ql.runQuery` runs a document's queries on, in words (`[uri]`).
            "j1ql.dataSource" => {
                let first = args.first().and_then(Value::as_str).unwrap_or_default();
                let uri: Uri = first.parse().map_err(|_| {
                    invalid(format!("j1ql.dataSource: expected [uri], got {args:?}"))
                })?;
                Ok(Some(Value::String(
                    self.env(&uri).workspace.data_description(),
                )))
            }
            "j1ql.explain" => {
                let code = args.first().and_then(Value::as_str).unwrap_or_default();
                match j1ql_lint::registry::rule(code) {
                    Some(rule) => Ok(Some(Value::String(rule.explain()))),
                    None => Err(invalid(format!("unknown code {code:?}"))),
                }
            }
            other => Err(invalid(format!("unknown command {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_gives_an_internal_error() {
        let r: Result<()> = guarded(|| panic!("boom"));
        let e = r.unwrap_err();
        assert_eq!(e.code, ErrorCode::InternalError);
        assert!(e.message.contains("boom"), "{}", e.message);
        let r: Result<()> = guarded(|| Err(OutOfRange("line 9".into())));
        assert_eq!(r.unwrap_err().code, ErrorCode::InvalidParams);
        assert_eq!(guarded(|| Ok(3)).unwrap(), 3);
    }
}
