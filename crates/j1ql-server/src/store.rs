//! The account the server answers from: the loaded data (read-only), the subgraphs that
//! synchronization jobs own, and the graph built from both.
//!
//! Uploaded subgraphs are kept as bulk-upload payloads (`{source, scope, entities,
//! relationships}`), one per `(source, scope)`, and the graph is rebuilt from the data files
//! plus those payloads after every finalized job — so ownership, endpoint resolution and the
//! relationship mapper are exactly the graph crate's (docs/graph.md). With `--state DIR` each
//! payload is also a file `DIR/subgraphs/NAME.json`: `j1ql run --data DATA --data
//! DIR/subgraphs` loads the same graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use j1ql_graph::{Graph, LoadOptions, Loader};
use j1ql_project::DataFacts;
use serde_json::{Map, Value};

/// Where the read-only part of the account comes from: the project's data (as `j1ql run`
/// loads it), or the demo account.
#[derive(Debug, Clone)]
pub struct DataOptions {
    /// Fixture files or folders; empty: the built-in demo account.
    pub paths: Vec<PathBuf>,
    /// Unresolved endpoints in the data files are errors (as `j1ql run --strict`).
    pub strict: bool,
    /// Apply the published global mapping rules (as `j1ql run --global-mappings`).
    pub global_mappings: bool,
    /// `_createdOn` / `_beginOn` of items without them: the project's clock, as the project
    /// loads its data.
    pub timestamp_ms: i64,
    /// Folder that keeps uploaded subgraphs across restarts; `None`: memory only.
    pub state_dir: Option<PathBuf>,
}

impl DataOptions {
    /// The data of `project`, with uploads kept in `state_dir`.
    pub fn of_project(project: &j1ql_project::Project, state_dir: Option<PathBuf>) -> DataOptions {
        DataOptions {
            paths: project.data_paths().to_vec(),
            strict: project.config().test.strict,
            global_mappings: project.config().test.global_mappings,
            timestamp_ms: project.now_ms(),
            state_dir,
        }
    }
}

/// One graph and what queries need with it; replaced as a whole when a job finalizes.
pub struct Snapshot {
    /// The graph: everything loaded and uploaded, `_deleted: true` items included (the
    /// synchronization API sees them).
    pub graph: Graph,
    /// The graph without deleted items ([`Graph::without_deleted`]); `None` when nothing is
    /// deleted. Queries run on it unless they ask for `includeDeleted`.
    pub live: Option<Graph>,
    /// What the graph adds to the analysis context, as `j1ql run`'s project builds it
    /// (`None` for the demo account, analysed with the builtin data model as in `j1ql run`).
    pub facts: Option<DataFacts>,
    /// Counts rebuilds, so that cursors can tell a page of an older graph.
    pub generation: u64,
}

impl Snapshot {
    /// The graph a query runs on: without `_deleted: true` items unless `include_deleted`
    /// (JupiterOne's `queryV1(includeDeleted: true)`).
    pub fn query_graph(&self, include_deleted: bool) -> &Graph {
        match (&self.live, include_deleted) {
            (Some(live), false) => live,
            _ => &self.graph,
        }
    }
}

/// The entities and relationships one `(source, scope)` owns, as uploaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subgraph {
    /// `_source` of every item.
    pub source: String,
    /// `_scope` of every item.
    pub scope: String,
    /// Entities by `_key`, in upload order.
    pub entities: Map<String, Value>,
    /// Relationships by `_key` (or by position when they have none), in upload order.
    pub relationships: Map<String, Value>,
}

impl Subgraph {
    /// An empty subgraph.
    pub fn new(source: &str, scope: &str) -> Subgraph {
        Subgraph {
            source: source.to_string(),
            scope: scope.to_string(),
            ..Subgraph::default()
        }
    }

    /// The bulk-upload payload the loader reads (and `--state` stores).
    pub fn to_payload(&self) -> Value {
        serde_json::json!({
            "source": self.source,
            "scope": self.scope,
            "entities": self.entities.values().collect::<Vec<_>>(),
            "relationships": self.relationships.values().collect::<Vec<_>>(),
        })
    }

    /// Reads a payload written by [`Subgraph::to_payload`].
    pub fn from_payload(value: &Value) -> Result<Subgraph, String> {
        let text = |k: &str| {
            value[k]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("`{k}` is missing or not a string"))
        };
        let mut subgraph = Subgraph::new(&text("source")?, &text("scope")?);
        for (i, e) in array(value, "entities")?.iter().enumerate() {
            let key = e["_key"]
                .as_str()
                .ok_or_else(|| format!("entities[{i}]: no `_key`"))?;
            subgraph.entities.insert(key.to_string(), e.clone());
        }
        for r in array(value, "relationships")? {
            subgraph.insert_relationship(r.clone());
        }
        Ok(subgraph)
    }

    /// Adds or replaces a relationship (by `_key`; one without a key is kept as given).
    pub fn insert_relationship(&mut self, relationship: Value) {
        let key = match relationship["_key"].as_str() {
            Some(k) => k.to_string(),
            None => format!("#{}", self.relationships.len()),
        };
        self.relationships.insert(key, relationship);
    }

    /// The file name of this subgraph under `--state`: readable, unique per `(source, scope)`,
    /// and sorting the same way the server loads subgraphs.
    pub fn file_name(&self) -> String {
        file_name(&self.source, &self.scope)
    }
}

/// See [`Subgraph::file_name`].
pub fn file_name(source: &str, scope: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .take(60)
            .collect()
    };
    let hash = j1ql_graph::stable_hash(&[source, scope]);
    format!(
        "{}__{}__{:08x}.json",
        clean(source),
        clean(scope),
        hash as u32
    )
}

fn array<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    static EMPTY: Vec<Value> = Vec::new();
    match &value[key] {
        Value::Null => Ok(&EMPTY),
        Value::Array(items) => Ok(items),
        _ => Err(format!("`{key}` is not an array")),
    }
}

/// The data files, the uploaded subgraphs and the current snapshot.
pub struct Store {
    data: DataOptions,
    /// Subgraphs the data files hold (jobs may not take them over).
    file_subgraphs: BTreeSet<(String, String)>,
    /// Uploaded subgraphs by file name (the order they are loaded in).
    subgraphs: RwLock<BTreeMap<String, Arc<Subgraph>>>,
    snapshot: RwLock<Arc<Snapshot>>,
}

/// Why the store could not load or save.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl Store {
    /// Loads the data files and the subgraphs saved under `state_dir`.
    pub fn open(data: DataOptions) -> Result<Store, StoreError> {
        let mut subgraphs = BTreeMap::new();
        if let Some(dir) = &data.state_dir {
            for subgraph in read_state(dir)? {
                subgraphs.insert(subgraph.file_name(), Arc::new(subgraph));
            }
        }
        let files_only = build(&data, &BTreeMap::new())?;
        let file_subgraphs = files_only
            .entities()
            .map(|e| (e.source().to_string(), e.scope().to_string()))
            .chain(
                files_only
                    .relationships()
                    .map(|r| (r.source().to_string(), r.scope().to_string())),
            )
            .collect();
        let graph = if subgraphs.is_empty() {
            files_only
        } else {
            build(&data, &subgraphs)?
        };
        let demo_only = data.paths.is_empty() && subgraphs.is_empty();
        Ok(Store {
            data,
            file_subgraphs,
            subgraphs: RwLock::new(subgraphs),
            snapshot: RwLock::new(Arc::new(snapshot(graph, demo_only, 0))),
        })
    }

    /// The graph queries run on now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().expect("snapshot lock").clone()
    }

    /// Whether the data files hold items of this subgraph (a job may not own it).
    pub fn is_file_subgraph(&self, source: &str, scope: &str) -> bool {
        self.file_subgraphs
            .contains(&(source.to_string(), scope.to_string()))
    }

    /// The uploaded subgraph `(source, scope)`, empty when nothing was uploaded to it yet.
    pub fn subgraph(&self, source: &str, scope: &str) -> Arc<Subgraph> {
        self.subgraphs
            .read()
            .expect("subgraphs lock")
            .get(&file_name(source, scope))
            .cloned()
            .unwrap_or_else(|| Arc::new(Subgraph::new(source, scope)))
    }

    /// Replaces one uploaded subgraph, rebuilds the graph (the mapper runs again) and saves the
    /// subgraph under `--state`. Callers serialize replacements (one finalize at a time).
    pub fn replace(&self, subgraph: Subgraph) -> Result<Arc<Snapshot>, StoreError> {
        let mut all = self.subgraphs.read().expect("subgraphs lock").clone();
        let name = subgraph.file_name();
        let empty = subgraph.entities.is_empty() && subgraph.relationships.is_empty();
        if empty {
            all.remove(&name);
        } else {
            all.insert(name.clone(), Arc::new(subgraph.clone()));
        }
        let graph = build(&self.data, &all)?;
        if let Some(dir) = &self.data.state_dir {
            save(dir, &name, (!empty).then_some(&subgraph))?;
        }
        let generation = self.snapshot().generation + 1;
        let demo_only = self.data.paths.is_empty() && all.is_empty();
        let next = Arc::new(snapshot(graph, demo_only, generation));
        *self.subgraphs.write().expect("subgraphs lock") = all;
        *self.snapshot.write().expect("snapshot lock") = next.clone();
        Ok(next)
    }

    /// Where uploads are kept, for the startup message.
    pub fn state_dir(&self) -> Option<&Path> {
        self.data.state_dir.as_deref()
    }
}

/// The snapshot of a graph, with the catalog and tags `j1ql run`'s project would give it.
fn snapshot(graph: Graph, demo_only: bool, generation: u64) -> Snapshot {
    // The facts of the graph queries run on by default, as the project's (deleted items out).
    let live = graph.without_deleted();
    let facts = (!demo_only).then(|| DataFacts::of(live.as_ref().unwrap_or(&graph)));
    Snapshot {
        live,
        graph,
        facts,
        generation,
    }
}

/// The graph of the data files plus the uploaded subgraphs (in file-name order).
fn build(
    data: &DataOptions,
    subgraphs: &BTreeMap<String, Arc<Subgraph>>,
) -> Result<Graph, StoreError> {
    let load_error = |e: j1ql_graph::LoadError| StoreError(e.to_string());
    let mut loader = if data.paths.is_empty() {
        j1ql_eval::demo::loader(subgraphs.is_empty()).map_err(load_error)?
    } else {
        let mut loader = Loader::new(LoadOptions {
            strict: data.strict,
            global_mappings: data.global_mappings,
            timestamp_ms: Some(data.timestamp_ms),
            ..LoadOptions::default()
        });
        loader.add_paths(&data.paths).map_err(load_error)?;
        loader
    };
    for (name, subgraph) in subgraphs {
        loader
            .add_json_value(&format!("subgraphs/{name}"), &subgraph.to_payload())
            .map_err(load_error)?;
    }
    loader.finish().map_err(load_error)
}

fn subgraphs_dir(dir: &Path) -> PathBuf {
    dir.join("subgraphs")
}

fn read_state(dir: &Path) -> Result<Vec<Subgraph>, StoreError> {
    let folder = subgraphs_dir(dir);
    if !folder.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| StoreError(format!("{}: {e}", folder.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| StoreError(format!("{}: {e}", file.display())))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            StoreError(format!(
                "{}:{}:{}: {e}",
                file.display(),
                e.line(),
                e.column()
            ))
        })?;
        let subgraph = Subgraph::from_payload(&value)
            .map_err(|e| StoreError(format!("{}: {e}", file.display())))?;
        out.push(subgraph);
    }
    Ok(out)
}

/// Writes (or, for `None`, removes) one subgraph file atomically: a temporary file renamed
/// over the old one.
fn save(dir: &Path, name: &str, subgraph: Option<&Subgraph>) -> Result<(), StoreError> {
    let folder = subgraphs_dir(dir);
    let io = |e: std::io::Error| StoreError(format!("{}: {e}", folder.display()));
    std::fs::create_dir_all(&folder).map_err(io)?;
    let path = folder.join(name);
    match subgraph {
        Some(subgraph) => {
            let tmp = folder.join(format!(".{name}.tmp"));
            let text = serde_json::to_vec_pretty(&subgraph.to_payload())
                .map_err(|e| StoreError(e.to_string()))?;
            std::fs::write(&tmp, text).map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(io)?;
        }
        None if path.exists() => std::fs::remove_file(&path).map_err(io)?,
        None => {}
    }
    Ok(())
}
