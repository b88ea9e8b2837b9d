//! The tower-lsp-server backend: world state (plain maps behind one mutex, taplo style) and
//! the handlers, each a thin call into a synchronous feature function.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use j1ql_lint::LintOptions;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::diagnostics::DocLinks;
use crate::document::{Document, Encoding, OutOfRange};
use crate::features;

/// What the server knows.
#[derive(Default)]
pub struct World {
    /// Open documents.
    pub docs: HashMap<Uri, Document>,
    /// Negotiated position encoding.
    pub encoding: Encoding,
    /// Links of diagnostic codes.
    pub links: DocLinks,
    /// Pause after a change before diagnostics are published.
    pub diagnostics_delay: Duration,
    /// Workspace folders.
    pub roots: Vec<PathBuf>,
    /// Graphs loaded from `[data]` of a `j1ql.toml` (by its folder), or the demo graph (key
    /// empty).
    pub graphs: Mutex<HashMap<PathBuf, Arc<features::run::Workspace>>>,
}

/// The language server.
pub struct Backend {
    client: Client,
    world: Arc<Mutex<World>>,
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
        }
    }

    fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Runs `f` on a document, catching panics (a bug gives an error response, not a crash).
    fn with_doc<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&World, &Document) -> std::result::Result<T, OutOfRange>,
    ) -> Result<T> {
        let world = self.world();
        let doc = world
            .docs
            .get(uri)
            .ok_or_else(|| invalid(format!("document not open: {}", uri.as_str())))?;
        match catch_unwind(AssertUnwindSafe(|| f(&world, doc))) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(OutOfRange(m))) => Err(invalid(m)),
            Err(panic) => {
                let message = panic_message(&panic);
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("internal error: {message}").into(),
                    data: None,
                })
            }
        }
    }

    async fn publish_now(&self, uri: Uri) {
        let published = {
            let world = self.world();
            world.docs.get(&uri).and_then(|doc| {
                catch_unwind(AssertUnwindSafe(|| {
                    (
                        crate::diagnostics::diagnostics(doc, &uri, &world.links),
                        doc.version,
                    )
                }))
                .ok()
            })
        };
        if let Some((diagnostics, version)) = published {
            self.client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
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

impl World {
    /// The graph queries of `uri` run on (loaded once, then cached).
    pub fn workspace(
        &self,
        uri: &Uri,
    ) -> std::result::Result<Arc<features::run::Workspace>, String> {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let dir = features::run::config_dir(path.as_deref());
        let key = dir.clone().unwrap_or_default();
        let mut graphs = lock(&self.graphs);
        if let Some(w) = graphs.get(&key) {
            return Ok(Arc::clone(w));
        }
        let w = Arc::new(features::run::load(dir.as_deref())?);
        graphs.insert(key, Arc::clone(&w));
        Ok(w)
    }
}

fn doc_uri(uri: &TextDocumentIdentifier) -> &Uri {
    &uri.uri
}

/// Lint settings for a document: from the nearest `j1ql.toml`.
fn lint_options(uri: &Uri) -> Arc<LintOptions> {
    let path = uri.to_file_path().map(|p| p.into_owned());
    let config = path
        .as_deref()
        .and_then(Path::parent)
        .and_then(|dir| j1ql_config::Config::discover(dir).ok())
        .map(|(c, _)| c)
        .unwrap_or_default();
    let options = match &path {
        Some(p) => LintOptions::for_path(&config, &p.to_string_lossy()),
        None => LintOptions::new(&config),
    };
    Arc::new(options)
}

/// The commands `workspace/executeCommand` knows.
pub const COMMANDS: &[&str] = &["j1ql.runQuery", "j1ql.explain"];

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
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
        {
            let mut world = self.world();
            world.encoding = encoding;
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
        self.client
            .log_message(MessageType::INFO, "j1ql language server ready")
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let options = lint_options(&uri);
        {
            let mut world = self.world();
            let encoding = world.encoding;
            let text = params.text_document.text;
            let version = params.text_document.version;
            let doc = catch_unwind(AssertUnwindSafe(|| {
                Document::new(&text, version, encoding, options)
            }));
            match doc {
                Ok(doc) => {
                    world.docs.insert(uri.clone(), doc);
                }
                Err(_) => return,
            }
        }
        self.publish_now(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let (result, delay) = {
            let mut world = self.world();
            let delay = world.diagnostics_delay;
            let result = match world.docs.get_mut(&uri) {
                Some(doc) => catch_unwind(AssertUnwindSafe(|| {
                    doc.apply_changes(&params.content_changes, version)
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
        // Debounce: publish only if no newer change came in meanwhile.
        let world = Arc::clone(&self.world);
        let client = self.client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let published = {
                let world = lock(&world);
                match world.docs.get(&uri) {
                    Some(doc) if doc.version == version => catch_unwind(AssertUnwindSafe(|| {
                        crate::diagnostics::diagnostics(doc, &uri, &world.links)
                    }))
                    .ok(),
                    _ => None,
                }
            };
            if let Some(diagnostics) = published {
                client
                    .publish_diagnostics(uri, diagnostics, Some(version))
                    .await;
            }
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.world().docs.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_doc(doc_uri(&p.text_document), |_, doc| {
            let offset = doc.offset(p.position)?;
            Ok(Some(features::completion::completion(doc, offset)))
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri.clone();
        self.with_doc(&uri, |world, doc| {
            let offset = doc.offset(p.position)?;
            let count = |q: &str| -> std::result::Result<usize, String> {
                let w = world.workspace(&uri)?;
                features::run::count(&w, q).map_err(|e| format!("{e} (data: {})", w.source))
            };
            Ok(features::hover::hover(doc, offset, &count))
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&uri, |_, doc| {
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
        let uri = params.text_document.uri;
        let options = format_options(&uri);
        self.with_doc(&uri, |_, doc| {
            Ok(features::navigation::format(doc, &options).ok())
        })
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let options = format_options(&uri);
        self.with_doc(&uri, |_, doc| {
            let r = doc.text_range(params.range)?;
            Ok(features::navigation::format_range(doc, r, &options).ok())
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_doc(&params.text_document.uri, |_, doc| {
            Ok(Some(DocumentSymbolResponse::Nested(
                features::navigation::document_symbols(doc),
            )))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_doc(&params.text_document.uri, |_, doc| {
            Ok(Some(features::navigation::folding_ranges(doc)))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.with_doc(&params.text_document.uri, |_, doc| {
            Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: features::navigation::semantic_tokens(doc),
            })))
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri.clone();
        self.with_doc(&uri, |_, doc| {
            let offset = doc.offset(p.position)?;
            Ok(features::navigation::definition(doc, offset)
                .map(|r| GotoDefinitionResponse::Scalar(Location::new(uri.clone(), r))))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        self.with_doc(&uri, |_, doc| {
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

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        let name = params.new_name;
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(invalid(format!("not an alias name: {name:?}")));
        }
        self.with_doc(&uri, |_, doc| {
            let offset = doc.offset(p.position)?;
            Ok(features::navigation::rename(doc, &uri, offset, &name))
        })
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        self.with_doc(&uri, |_, doc| {
            Ok(Some(features::navigation::code_lenses(doc, &uri)))
        })
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let args = params.arguments;
        match params.command.as_str() {
            "j1ql.runQuery" => {
                // Arguments: [uri, query index] (the code lens), or [uri, {line, character}],
                // or [query text].
                let first = args.first().and_then(Value::as_str).unwrap_or_default();
                let query_text = if let Some(uri) = first
                    .parse::<Uri>()
                    .ok()
                    .filter(|_| first.contains(':') && args.len() >= 2)
                {
                    let which = args[1].clone();
                    self.with_doc(&uri, |_, doc| {
                        let text = match which.as_u64() {
                            Some(i) => features::navigation::query_text(doc, i as usize),
                            None => {
                                let pos: Position = serde_json::from_value(which)
                                    .map_err(|e| OutOfRange(format!("bad position: {e}")))?;
                                features::navigation::query_at(doc, doc.offset(pos)?)
                            }
                        };
                        text.ok_or_else(|| OutOfRange("no such query".into()))
                    })
                    .map(|t| (t, Some(uri)))?
                } else if !first.is_empty() {
                    (first.to_string(), None)
                } else {
                    return Err(invalid(
                        "j1ql.runQuery: expected [uri, index] or [query]".into(),
                    ));
                };
                let (text, uri) = query_text;
                let uri = uri.unwrap_or_else(|| "untitled:query.j1ql".parse().expect("uri"));
                let world = self.world();
                let result = catch_unwind(AssertUnwindSafe(|| {
                    world
                        .workspace(&uri)
                        .and_then(|w| features::run::run(&w, &text))
                }))
                .unwrap_or_else(|p| Err(panic_message(&p)));
                result.map(Some).map_err(|e| Error {
                    code: ErrorCode::ServerError(1),
                    message: e.into(),
                    data: None,
                })
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

/// Format settings for a document: `[format]` of the nearest `j1ql.toml`.
fn format_options(uri: &Uri) -> j1ql_fmt::FormatOptions {
    uri.to_file_path()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .and_then(|dir| j1ql_config::Config::discover(&dir).ok())
        .map(|(c, _)| c.format)
        .unwrap_or_default()
}
