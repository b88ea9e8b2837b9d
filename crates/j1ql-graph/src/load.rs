//! Loading fixtures: files and folders, payload shapes, entities with ownership, relationships
//! with endpoint resolution, then the mapper and the indexes.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::graph::{find_prop, EntityId, EntityRec, Graph, Props, RelRec, Subgraph};
use crate::ids;
use crate::intern::{hash_str, FxMap, Interner, Sym};
use crate::mapper::{self, MappingRule};
use crate::raw::{self, RStr, Raw};
use crate::resolve::GeneratedId;
use crate::sym_map::{KeyMap, SymMap};
use crate::value::PropValue;

mod chunked;
mod pipeline;
mod scan;

use scan::List;

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Unresolved or ambiguous relationship endpoints are errors instead of reported skips.
    pub strict: bool,
    /// Apply JupiterOne's published global mapping rules (shipped with the crate) besides the
    /// fixtures' own `mappingRules`.
    pub global_mappings: bool,
    /// `_createdOn` / `_beginOn` for items that do not give them (epoch ms). `None`: the time of
    /// loading.
    pub timestamp_ms: Option<i64>,
    /// Cascade guard: the mapper does not create entities more than this many steps away from
    /// loaded data.
    pub max_mapper_depth: u32,
    /// Cascade guard: the most entities the mapper may create in one load.
    pub max_mapper_entities: usize,
    /// The most relationships the mapper may create in one load: one rule matching every
    /// user to every device through a shared value makes users × devices edges (36 million
    /// for 6,000 of each), which would exhaust memory. Past it the mapper stops relating and
    /// warns.
    pub max_mapper_relationships: usize,
    /// Threads that read and parse files (0: one per core).
    pub threads: usize,
    /// A file larger than this is parsed in pieces of about this many bytes on every thread
    /// (the elements of a bulk-upload file's `entities` and `relationships`, the lines of a
    /// JSON-lines file); smaller files are parsed whole, several at a time.
    pub chunk_bytes: usize,
    /// Told how far reading and building has come, in bytes of fixture files (a progress bar).
    pub progress: Option<Progress>,
}

/// A callback told `(bytes done, bytes in all)` as files and pieces of files are built (on the
/// building thread, after each file or piece: a few hundred calls for a big load).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            strict: false,
            global_mappings: false,
            timestamp_ms: None,
            max_mapper_depth: 16,
            max_mapper_entities: 1_000_000,
            max_mapper_relationships: 5_000_000,
            threads: 0,
            chunk_bytes: 4 << 20,
            progress: None,
        }
    }
}

/// A relationship that was not created, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedRelationship {
    /// The file (as given on the command line, or the name passed to the loader).
    pub file: String,
    /// The relationship's 0-based index among the file's relationships.
    pub index: usize,
    /// The 1-based line, for JSON-lines files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The relationship's `_key` (if given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The endpoint (`_fromEntityKey` value, `_toEntityId` value...) that did not resolve.
    pub endpoint: String,
    /// Why.
    pub reason: String,
}

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// Files read.
    pub files: usize,
    /// Entities in the graph (mapper-made ones included).
    pub entities: usize,
    /// Relationships in the graph (mapper-made ones included).
    pub relationships: usize,
    /// Entities the mapper created.
    pub mapper_entities: usize,
    /// Relationships the mapper created.
    pub mapper_relationships: usize,
    /// Relationships not created because an endpoint did not resolve.
    pub skipped_relationships: Vec<SkippedRelationship>,
    /// Items that updated an earlier item of the same subgraph and `_key` (upserts).
    pub duplicates: usize,
    /// Of `duplicates`, entities.
    pub duplicate_entities: usize,
    /// Of `duplicates`, relationships.
    pub duplicate_relationships: usize,
    /// Mapping rules applied (fixture rules plus global ones when enabled).
    pub mapping_rules: usize,
    /// Mapper problems: the cascade guard stopping creation, targets that could not be made.
    pub mapper_warnings: Vec<String>,
    /// Entities left out because they are `_deleted: true` (by [`crate::Graph::without_deleted`];
    /// a load keeps them).
    #[serde(skip_serializing_if = "is_zero")]
    pub deleted_entities: usize,
    /// Relationships left out because they are `_deleted: true` or touch a deleted entity.
    #[serde(skip_serializing_if = "is_zero")]
    pub deleted_relationships: usize,
    /// Paths the folder walk did not follow: symbolic-link cycles, a file reached twice,
    /// links leaving the folder, FIFOs and devices (see `j1ql_fs::Walker`).
    pub skipped_paths: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Why a load failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// A file or folder could not be read.
    Io { path: String, message: String },
    /// Malformed JSON: `file:line:col: message`.
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// An item that is not valid (missing `_key`, `_type`, `_class`, wrong shapes...).
    Item {
        file: String,
        /// `entities[3]`, `relationships[0]`, `mappingRules[1]`, `line 7`...
        item: String,
        message: String,
    },
    /// Strict mode: relationships whose endpoints did not resolve.
    Unresolved(Vec<SkippedRelationship>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, message } => write!(f, "{path}: {message}"),
            LoadError::Json {
                file,
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: {message}"),
            LoadError::Item {
                file,
                item,
                message,
            } => write!(f, "{file}: {item}: {message}"),
            LoadError::Unresolved(skipped) => {
                write!(
                    f,
                    "{} relationship(s) with unresolved endpoints (strict mode)",
                    skipped.len()
                )?;
                for s in skipped {
                    write!(
                        f,
                        "\n  {}: relationships[{}]{}: {}",
                        s.file,
                        s.index,
                        s.line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                        s.reason
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Loads `paths` (files or folders) into a graph.
pub fn load_paths<P: AsRef<Path>>(paths: &[P], options: LoadOptions) -> Result<Graph, LoadError> {
    let mut loader = Loader::new(options);
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
    loader.add_paths(&paths)?;
    loader.finish()
}

/// The files a path stands for: itself, or every `*.json` / `*.jsonl` / `*.ndjson` file under
/// it (recursively), sorted by path.
///
/// Folders are walked with `j1ql_fs::Walker`: each real folder and file once (a symbolic-link
/// cycle such as `ln -s . d/self` ends, a file reached twice is loaded once), links leaving the
/// folder not followed, `/proc` and `/sys` refused. What was skipped is in [`fixture_walk`].
pub fn fixture_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    fixture_walk(path).map(|(files, _)| files)
}

/// [`fixture_files`], with a sentence for every path the walk skipped.
pub fn fixture_walk(path: &Path) -> Result<(Vec<PathBuf>, Vec<String>), LoadError> {
    let walk = j1ql_fs::Walker::new(path)
        .keep_file(is_fixture_name)
        .run()
        .map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    let skipped = walk.skipped.iter().map(ToString::to_string).collect();
    Ok((walk.files, skipped))
}

/// The payload key that `key` looks like a misspelling of (another case, or one or two
/// letters off), when it is not that key itself.
fn payload_key_typo(key: &str) -> Option<&'static str> {
    const KEYS: [&str; 3] = ["entities", "relationships", "mappingRules"];
    if KEYS.contains(&key) || key.starts_with('_') {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    KEYS.into_iter()
        .find(|known| edit_distance(&lower, &known.to_ascii_lowercase()) <= 2)
}

/// Levenshtein distance over bytes (short ASCII keys only).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(x != y))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// A fixture file's bytes, refused past `j1ql_fs::max_data_bytes()` (4 GiB unless
/// `J1QL_MAX_DATA_BYTES` says otherwise) so an endless file cannot exhaust memory.
fn read_fixture(path: &Path) -> Result<Vec<u8>, LoadError> {
    j1ql_fs::read_bounded(path, j1ql_fs::max_data_bytes()).map_err(|e| LoadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// A big fixture file's bytes: mapped from the page cache when the system allows it (no copy,
/// and no fresh memory to fault in: reading 423 MB into a new buffer took 2.7 s on the project's
/// virtual machine, mapping it a few milliseconds), else read.
///
/// A file changed by another program while it loads may give a wrong graph (or, truncated, stop
/// the process), as with any reader that maps files; fixture files are not written while loaded.
fn map_fixture(path: &Path) -> Result<FixtureBytes, LoadError> {
    let file = std::fs::File::open(path).map_err(|e| LoadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let regular = file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() <= j1ql_fs::max_data_bytes());
    if regular {
        // SAFETY: the mapping is only read, and lives as long as the `FixtureBytes`; see the
        // doc comment for files changed while mapped.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(FixtureBytes::Mapped(map));
        }
    }
    read_fixture(path).map(FixtureBytes::Read)
}

/// A fixture file's bytes, mapped or read ([`map_fixture`]).
enum FixtureBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FixtureBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FixtureBytes::Mapped(map) => map,
            FixtureBytes::Read(bytes) => bytes,
        }
    }
}

fn is_fixture_name(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("json" | "jsonl" | "ndjson")
    )
}

fn is_json_lines(name: &str) -> bool {
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// serde_json's message without its " at line L column C" suffix.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A parsed file: its bytes and the trees borrowing them.
struct Parsed {
    // Declared first so that it is dropped before `bytes`.
    docs: Vec<(usize, Raw<'static>)>,
    /// The hash of each distinct string of the documents, by its number in the file
    /// ([`raw::number_strings`]).
    hashes: Vec<u64>,
    bytes: Box<[u8]>,
}

impl Parsed {
    /// The documents (one for JSON, one per non-blank line for JSON-lines) with their 1-based
    /// line (0 for a whole JSON file).
    fn docs<'a>(&'a self) -> &'a [(usize, Raw<'a>)] {
        &self.docs
    }
}

/// Parses `bytes` as JSON (or JSON-lines when `lines`).
fn parse_file(name: &str, bytes: Box<[u8]>, lines: bool) -> Result<Parsed, LoadError> {
    // SAFETY: `docs` borrows from the heap block of `bytes`, which never moves or changes while
    // `Parsed` lives, and `docs` is dropped before `bytes` (field order). The `'static` never
    // escapes: `Parsed::docs` re-ties it to `&self`.
    let slice: &'static [u8] = unsafe { std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()) };
    let mut docs = Vec::new();
    if lines {
        let mut start = 0;
        for (n, line) in slice.split(|&b| b == b'\n').enumerate() {
            let _ = start;
            start += line.len() + 1;
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            match raw::parse(line) {
                Ok(doc) => docs.push((n + 1, doc)),
                Err(e) => {
                    return Err(LoadError::Json {
                        file: name.to_string(),
                        line: n + 1,
                        column: e.column(),
                        message: json_message(&e),
                    })
                }
            }
        }
    } else {
        match raw::parse(slice) {
            Ok(doc) => docs.push((0, doc)),
            Err(e) => {
                return Err(LoadError::Json {
                    file: name.to_string(),
                    line: e.line(),
                    column: e.column(),
                    message: json_message(&e),
                })
            }
        }
    }
    let hashes = raw::number_strings(&docs);
    Ok(Parsed {
        docs,
        hashes,
        bytes,
    })
}

/// An optional [`Sym`] in 4 bytes (`Option<Sym>` takes 8): pending relationships are kept by
/// the million between the file phase and resolution, and their size is memory traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptSym(u32);

impl OptSym {
    /// The symbol, if any.
    #[inline]
    pub(crate) fn get(self) -> Option<Sym> {
        (self.0 != u32::MAX).then_some(Sym(self.0))
    }
}

impl From<Option<Sym>> for OptSym {
    fn from(s: Option<Sym>) -> OptSym {
        OptSym(s.map_or(u32::MAX, |s| s.0))
    }
}

/// A relationship endpoint's fields as they are read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EndpointFields {
    pub(crate) id: Option<Sym>,
    pub(crate) key: Option<Sym>,
    pub(crate) source: Option<Sym>,
    pub(crate) scope: Option<Sym>,
}

/// A relationship endpoint as written (compact [`EndpointFields`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndpointSpec([OptSym; 4]);

impl From<EndpointFields> for EndpointSpec {
    fn from(f: EndpointFields) -> EndpointSpec {
        EndpointSpec([f.id.into(), f.key.into(), f.source.into(), f.scope.into()])
    }
}

impl EndpointSpec {
    /// `_…EntityId`.
    #[inline]
    pub(crate) fn id(&self) -> Option<Sym> {
        self.0[0].get()
    }
    /// `_…EntityKey`.
    #[inline]
    pub(crate) fn key(&self) -> Option<Sym> {
        self.0[1].get()
    }
    /// `_…EntitySource`.
    #[inline]
    pub(crate) fn source(&self) -> Option<Sym> {
        self.0[2].get()
    }
    /// `_…EntityScope`.
    #[inline]
    pub(crate) fn scope(&self) -> Option<Sym> {
        self.0[3].get()
    }
}

/// A relationship read from a file, resolved once every entity is in.
pub(crate) struct PendingRel {
    pub(crate) file: u32,
    pub(crate) index: u32,
    pub(crate) line: u32,
    pub(crate) id: OptSym,
    pub(crate) key: OptSym,
    pub(crate) ty: OptSym,
    pub(crate) class: Sym,
    pub(crate) subgraph: u32,
    pub(crate) from: EndpointSpec,
    pub(crate) to: EndpointSpec,
    pub(crate) props: Props,
}

/// The first part of a generated relationship `_id` (entities' is empty).
pub(crate) const RELATIONSHIP_SALT: &str = "relationship";

/// An upserted item's properties: the new ones, keeping the old `_createdOn` (entities, when
/// `keep_created`) and counting `_version` up from the old one, unless the new item gives them.
fn upserted_props(
    names: &Names,
    old: &[(Sym, PropValue)],
    new: Props,
    keep_created: bool,
) -> Props {
    let old_version = find_prop(old, names.version)
        .and_then(PropValue::as_f64)
        .unwrap_or(1.0);
    let mut props = new.into_vec();
    if keep_created && find_prop(&props, names.created_on).is_none() {
        if let Some(created) = find_prop(old, names.created_on) {
            props.push((names.created_on, created.clone()));
        }
    }
    if find_prop(&props, names.version).is_none() {
        props.push((names.version, PropValue::Number(old_version + 1.0)));
    }
    props.sort_by_key(|(k, _)| *k);
    props.into_boxed_slice()
}

/// Well-known names, interned once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names {
    pub id: Sym,
    pub key: Sym,
    pub ty: Sym,
    pub class: Sym,
    pub source: Sym,
    pub scope: Sym,
    pub created_on: Sym,
    pub begin_on: Sym,
    pub version: Sym,
    pub deleted: Sym,
    pub api: Sym,
    pub system_mapper: Sym,
}

impl Names {
    fn new(strings: &mut Interner) -> Names {
        Names {
            id: strings.intern("_id"),
            key: strings.intern("_key"),
            ty: strings.intern("_type"),
            class: strings.intern("_class"),
            source: strings.intern("_source"),
            scope: strings.intern("_scope"),
            created_on: strings.intern("_createdOn"),
            begin_on: strings.intern("_beginOn"),
            version: strings.intern("_version"),
            deleted: strings.intern("_deleted"),
            api: strings.intern("api"),
            system_mapper: strings.intern(mapper::SYSTEM_MAPPER),
        }
    }
}

/// The mutable state of a load; becomes a [`Graph`] in [`Loader::finish`].
pub(crate) struct Builder {
    pub(crate) strings: Interner,
    pub(crate) names: Names,
    pub(crate) entities: Vec<EntityRec>,
    pub(crate) relationships: Vec<RelRec>,
    pub(crate) subgraphs: Vec<Subgraph>,
    pub(crate) subgraph_index: FxMap<(Sym, Sym), u32>,
    pub(crate) class_sets: Vec<Box<[Sym]>>,
    class_set_index: FxMap<Box<[Sym]>, u32>,
    /// Entities by (subgraph, `_key`).
    pub(crate) by_subgraph_key: KeyMap,
    /// Entities by `_id`.
    pub(crate) by_id: SymMap,
    /// Relationships by (subgraph, `_key`).
    pub(crate) rel_by_subgraph_key: KeyMap,
    /// Relationships by `_id`.
    pub(crate) rel_ids: SymMap,
    pub(crate) pending: Vec<PendingRel>,
    /// (file, relationships read from it): the file being read and its count so far (counting
    /// `pending` from its end was quadratic for JSON-lines files of relationships).
    pending_per_file: (u32, usize),
    pub(crate) files: Vec<String>,
    pub(crate) rules: Vec<MappingRule>,
    pub(crate) report: LoadReport,
    pub(crate) meta_defaults: Vec<(Sym, PropValue)>,
    /// Reused by `add_entity`.
    class_scratch: Vec<Sym>,
    /// The `Sym` of each distinct string of the file being built, by [`RStr::local`]
    /// (`NO_SYM` until interned).
    local_syms: Vec<Sym>,
    /// The hash of each distinct string of the file being built, by [`RStr::local`]: the
    /// strings a file holds next, whose table slots are prefetched.
    local_hashes: Vec<u64>,
}

/// How many strings ahead [`Builder::intern_raw`] prefetches a table slot.
const PREFETCH_AHEAD: usize = 16;

/// [`Builder::local_syms`] of a string not interned yet.
const NO_SYM: Sym = Sym(u32::MAX);

impl Builder {
    fn new(timestamp_ms: i64) -> Builder {
        let mut strings = Interner::new();
        let names = Names::new(&mut strings);
        let mut meta_defaults = vec![
            (names.created_on, PropValue::Number(timestamp_ms as f64)),
            (names.begin_on, PropValue::Number(timestamp_ms as f64)),
            (names.version, PropValue::Number(1.0)),
            (names.deleted, PropValue::Bool(false)),
        ];
        meta_defaults.sort_by_key(|(k, _)| *k);
        Builder {
            strings,
            names,
            entities: Vec::new(),
            relationships: Vec::new(),
            subgraphs: Vec::new(),
            subgraph_index: FxMap::default(),
            class_sets: Vec::new(),
            class_set_index: FxMap::default(),
            by_subgraph_key: KeyMap::default(),
            by_id: SymMap::default(),
            rel_by_subgraph_key: KeyMap::default(),
            rel_ids: SymMap::default(),
            pending: Vec::new(),
            pending_per_file: (u32::MAX, 0),
            files: Vec::new(),
            rules: Vec::new(),
            report: LoadReport::default(),
            meta_defaults,
            class_scratch: Vec::new(),
            local_syms: Vec::new(),
            local_hashes: Vec::new(),
        }
    }

    /// Interns a string of the file being built: its first occurrence in the file goes to the
    /// string table, repeats are found by its number in the file. Same `Sym`s, in the same
    /// order, as interning every occurrence.
    #[inline]
    fn intern_raw(&mut self, s: &RStr<'_>) -> Sym {
        let local = s.local() as usize;
        if let Some(&sym) = self.local_syms.get(local) {
            if sym != NO_SYM {
                return sym;
            }
        }
        // The file's strings are numbered in order of first occurrence, which is roughly the
        // order they are interned in: ask for the slot of one a little further on now, so
        // that its cache miss overlaps with the work in between.
        if let Some(&ahead) = self.local_hashes.get(local + PREFETCH_AHEAD) {
            self.strings.prefetch(ahead);
        }
        let sym = self.strings.intern_hashed(s, s.hash);
        if let Some(slot) = self.local_syms.get_mut(local) {
            *slot = sym;
        }
        sym
    }

    pub(crate) fn subgraph(&mut self, source: Sym, scope: Sym) -> u32 {
        if let Some(&i) = self.subgraph_index.get(&(source, scope)) {
            return i;
        }
        let i = self.subgraphs.len() as u32;
        self.subgraphs.push(Subgraph { source, scope });
        self.subgraph_index.insert((source, scope), i);
        i
    }

    pub(crate) fn class_set(&mut self, classes: &[Sym]) -> u32 {
        if let Some(&i) = self.class_set_index.get(classes) {
            return i;
        }
        let i = self.class_sets.len() as u32;
        self.class_sets.push(classes.into());
        self.class_set_index.insert(classes.into(), i);
        i
    }

    /// Converts a raw value into a property value (objects inside arrays become JSON text).
    fn value(&mut self, raw: &Raw<'_>) -> PropValue {
        match raw {
            Raw::Null => PropValue::Null,
            Raw::Bool(b) => PropValue::Bool(*b),
            Raw::Num(n) => PropValue::Number(*n),
            Raw::Str(s) => PropValue::String(self.intern_raw(s)),
            Raw::Arr(items) => {
                PropValue::Array(Box::new(items.iter().map(|i| self.value(i)).collect()))
            }
            Raw::Obj(_) => {
                let text = raw.to_json().to_string();
                PropValue::String(self.strings.intern(&text))
            }
        }
    }

    /// Adds `name = raw` to `props`, flattening nested objects into dotted names. `parsed`:
    /// `name` as read from the file (`None` for a flattened name made here).
    fn flatten_into(
        &mut self,
        props: &mut Vec<(Sym, PropValue)>,
        name: &str,
        parsed: Option<&RStr<'_>>,
        raw: &Raw<'_>,
    ) {
        match raw {
            Raw::Obj(fields) => {
                for (k, v) in fields {
                    let mut full = String::with_capacity(name.len() + 1 + k.len());
                    full.push_str(name);
                    full.push('.');
                    full.push_str(k);
                    self.flatten_into(props, &full, None, v);
                }
            }
            _ => {
                let key = match parsed {
                    Some(parsed) => self.intern_raw(parsed),
                    None => self.strings.intern(name),
                };
                let value = self.value(raw);
                props.push((key, value));
            }
        }
    }

    /// Sorts by key. A name given twice in one item — a nested object and a dotted key
    /// naming the same property (`{"tag": {"x": 1}, "tag.x": 2}`) — is an error: keeping
    /// either value would silently drop the other. The item's `fields` say where.
    fn finish_props(
        &self,
        ctx: &ItemCtx<'_>,
        fields: &[(RStr<'_>, Raw<'_>)],
        mut props: Vec<(Sym, PropValue)>,
    ) -> Result<Props, LoadError> {
        props.sort_unstable_by_key(|(k, _)| *k);
        if let Some(pair) = props.windows(2).find(|w| w[0].0 == w[1].0) {
            let name = self.strings.resolve(pair[0].0).to_string();
            return Err(property_twice(ctx, fields, &name));
        }
        Ok(props.into_boxed_slice())
    }

    fn string_field(
        &mut self,
        ctx: &ItemCtx<'_>,
        name: &str,
        raw: &Raw<'_>,
    ) -> Result<Sym, LoadError> {
        match raw {
            Raw::Str(s) => Ok(self.intern_raw(s)),
            other => Err(ctx.error(format!("`{name}` must be a string, not {}", other.kind()))),
        }
    }

    fn add_entity(
        &mut self,
        ctx: &ItemCtx<'_>,
        fields: &[(RStr<'_>, Raw<'_>)],
    ) -> Result<(), LoadError> {
        let (mut key, mut ty, mut id, mut source, mut scope) = (None, None, None, None, None);
        let mut classes: Vec<Sym> = std::mem::take(&mut self.class_scratch);
        classes.clear();
        let mut has_class = false;
        // Exact for flat items, so that `finish_props` does not reallocate.
        let mut props = Vec::with_capacity(
            fields
                .iter()
                .filter(|(n, _)| {
                    !matches!(
                        &**n,
                        "_key" | "_type" | "_id" | "_source" | "_scope" | "_class"
                    )
                })
                .count(),
        );
        for (name, value) in fields {
            match &**name {
                "_key" => key = Some(self.string_field(ctx, "_key", value)?),
                "_type" => ty = Some(self.string_field(ctx, "_type", value)?),
                "_id" => id = Some(self.string_field(ctx, "_id", value)?),
                "_source" => source = Some(self.string_field(ctx, "_source", value)?),
                "_scope" => scope = Some(self.string_field(ctx, "_scope", value)?),
                "_class" => {
                    has_class = true;
                    classes.clear();
                    match value {
                        Raw::Str(s) => classes.push(self.intern_raw(s)),
                        Raw::Arr(items) if !items.is_empty() => {
                            for item in items {
                                match item {
                                    Raw::Str(s) => classes.push(self.intern_raw(s)),
                                    other => {
                                        return Err(ctx.error(format!(
                                            "`_class` must be a string or an array of strings, \
                                             not an array holding {}",
                                            other.kind()
                                        )))
                                    }
                                }
                            }
                        }
                        other => {
                            return Err(ctx.error(format!(
                                "`_class` must be a string or a non-empty array of strings, \
                                 not {}",
                                match other {
                                    Raw::Arr(_) => "an empty array",
                                    o => o.kind(),
                                }
                            )))
                        }
                    }
                }
                _ => {
                    check_metadata(ctx, name, value)?;
                    self.flatten_into(&mut props, name, Some(name), value)
                }
            }
        }
        let Some(key) = key else {
            return Err(ctx.error("entity has no `_key`".into()));
        };
        let Some(ty) = ty else {
            return Err(ctx.error("entity has no `_type`".into()));
        };
        if !has_class {
            return Err(ctx.error("entity has no `_class`".into()));
        }
        // Drop repeated classes, keeping the first of each.
        let mut n = 0;
        for i in 0..classes.len() {
            let c = classes[i];
            if !classes[..n].contains(&c) {
                classes[n] = c;
                n += 1;
            }
        }
        classes.truncate(n);
        let class_set = self.class_set(&classes);
        self.class_scratch = classes;
        let classes = class_set;
        let subgraph = self.subgraph(source.unwrap_or(ctx.source), scope.unwrap_or(ctx.scope));
        let props = self.finish_props(ctx, fields, props)?;
        self.upsert_entity(ctx, subgraph, key, ty, classes, id, props)
            .map(|_| ())
    }

    /// Inserts an entity, or updates the one with the same subgraph and key.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn upsert_entity(
        &mut self,
        ctx: &ItemCtx<'_>,
        subgraph: u32,
        key: Sym,
        ty: Sym,
        classes: u32,
        id: Option<Sym>,
        props: Props,
    ) -> Result<EntityId, LoadError> {
        if let Some(existing) = self.by_subgraph_key.get(subgraph, key) {
            let existing = EntityId(existing);
            self.report.duplicates += 1;
            self.report.duplicate_entities += 1;
            let rec = &mut self.entities[existing.index()];
            rec.props = upserted_props(&self.names, &rec.props, props, true);
            rec.ty = ty;
            rec.classes = classes;
            if let Some(id) = id {
                if id != rec.id && !self.by_id.contains_key(id) {
                    let old_id = rec.id;
                    rec.id = id;
                    self.by_id.remove(old_id);
                    self.by_id.insert(id, existing.0);
                }
            }
            return Ok(existing);
        }
        let eid = EntityId(self.entities.len() as u32);
        let id = match id {
            Some(id) => {
                if self.by_id.contains_key(id) {
                    return Err(ctx.error(format!(
                        "`_id` {:?} is already the `_id` of another entity (`_id`s are \
                         globally unique)",
                        self.strings.resolve(id)
                    )));
                }
                id
            }
            None => self.fresh_id(subgraph, key, "", None),
        };
        self.by_id.insert(id, eid.0);
        self.by_subgraph_key.insert(subgraph, key, eid.0);
        self.entities.push(EntityRec {
            id,
            key,
            ty,
            classes,
            subgraph,
            props,
        });
        Ok(eid)
    }

    /// A generated `_id` not used yet (entities when `salt` is empty, relationships otherwise).
    /// `first`: the first attempt's text and hash, when computed ahead.
    fn fresh_id(&mut self, subgraph: u32, key: Sym, salt: &str, first: Option<GeneratedId>) -> Sym {
        let sg = self.subgraphs[subgraph as usize];
        let mut attempt = 0u32;
        loop {
            let (text, hash) = match first {
                Some(first) if attempt == 0 => first,
                _ => {
                    let st = &self.strings;
                    let n = if attempt > 0 {
                        attempt.to_string()
                    } else {
                        String::new()
                    };
                    let parts = [
                        salt,
                        st.resolve(sg.source),
                        st.resolve(sg.scope),
                        st.resolve(key),
                        &n,
                    ];
                    let text = ids::generated_id_bytes(&parts[..if attempt > 0 { 5 } else { 4 }]);
                    // SAFETY: generated ids are ASCII.
                    (
                        text,
                        hash_str(unsafe { std::str::from_utf8_unchecked(&text) }),
                    )
                }
            };
            // SAFETY: generated ids are ASCII.
            let sym = self
                .strings
                .intern_hashed(unsafe { std::str::from_utf8_unchecked(&text) }, hash);
            let taken = if salt.is_empty() {
                self.by_id.contains_key(sym)
            } else {
                self.rel_ids.contains_key(sym)
            };
            if !taken {
                return sym;
            }
            attempt += 1;
        }
    }

    fn add_relationship(
        &mut self,
        ctx: &ItemCtx<'_>,
        index: usize,
        fields: &[(RStr<'_>, Raw<'_>)],
    ) -> Result<(), LoadError> {
        let (mut key, mut ty, mut id, mut source, mut scope, mut class) =
            (None, None, None, None, None, None);
        let mut from = EndpointFields::default();
        let mut to = EndpointFields::default();
        // Exact for flat items (most relationships have no properties: no allocation).
        let mut props = Vec::with_capacity(
            fields
                .iter()
                .filter(|(n, _)| {
                    !matches!(
                        &**n,
                        "_key"
                            | "_type"
                            | "_id"
                            | "_source"
                            | "_scope"
                            | "_class"
                            | "_fromEntityId"
                            | "_fromEntityKey"
                            | "_fromEntitySource"
                            | "_fromEntityScope"
                            | "_toEntityId"
                            | "_toEntityKey"
                            | "_toEntitySource"
                            | "_toEntityScope"
                    )
                })
                .count(),
        );
        for (name, value) in fields {
            let slot = match &**name {
                "_key" => &mut key,
                "_type" => &mut ty,
                "_id" => &mut id,
                "_source" => &mut source,
                "_scope" => &mut scope,
                "_fromEntityId" => &mut from.id,
                "_fromEntityKey" => &mut from.key,
                "_fromEntitySource" => &mut from.source,
                "_fromEntityScope" => &mut from.scope,
                "_toEntityId" => &mut to.id,
                "_toEntityKey" => &mut to.key,
                "_toEntitySource" => &mut to.source,
                "_toEntityScope" => &mut to.scope,
                "_class" => {
                    match value {
                        Raw::Str(s) => {
                            class = Some(if s.bytes().any(|b| b.is_ascii_lowercase()) {
                                self.strings.intern(&s.to_ascii_uppercase())
                            } else {
                                self.intern_raw(s)
                            })
                        }
                        Raw::Arr(items) if items.len() == 1 && items[0].as_str().is_some() => {
                            let s = items[0].as_str().unwrap_or_default().to_ascii_uppercase();
                            class = Some(self.strings.intern(&s));
                        }
                        other => {
                            return Err(ctx.error(format!(
                                "a relationship's `_class` must be one string (its verb), not {}",
                                other.kind()
                            )))
                        }
                    }
                    continue;
                }
                _ => {
                    check_metadata(ctx, name, value)?;
                    self.flatten_into(&mut props, name, Some(name), value);
                    continue;
                }
            };
            if matches!(value, Raw::Null) {
                continue;
            }
            *slot = Some(self.string_field(ctx, name, value)?);
        }
        let Some(class) = class else {
            return Err(ctx.error("relationship has no `_class` (its verb)".into()));
        };
        for (end, spec) in [("_from", &from), ("_to", &to)] {
            if spec.id.is_none() && spec.key.is_none() {
                return Err(ctx.error(format!(
                    "relationship has neither `{end}EntityId` nor `{end}EntityKey`"
                )));
            }
        }
        let subgraph = self.subgraph(source.unwrap_or(ctx.source), scope.unwrap_or(ctx.scope));
        let props = self.finish_props(ctx, fields, props)?;
        self.pending_per_file = (ctx.file_index, self.file_rel_count(ctx.file_index) + 1);
        self.pending.push(PendingRel {
            file: ctx.file_index,
            index: index as u32,
            line: ctx.line as u32,
            id: id.into(),
            key: key.into(),
            ty: ty.into(),
            class,
            subgraph,
            from: from.into(),
            to: to.into(),
            props,
        });
        Ok(())
    }

    /// Inserts a relationship or updates the one with the same subgraph and key. `generated`:
    /// the first-attempt generated `_id` (text and hash) when computed ahead.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert_relationship(
        &mut self,
        subgraph: u32,
        key: Sym,
        ty: Sym,
        class: Sym,
        id: Option<Sym>,
        from: EntityId,
        to: EntityId,
        props: Props,
        generated: Option<GeneratedId>,
    ) -> u32 {
        if let Some(existing) = self.rel_by_subgraph_key.get(subgraph, key) {
            self.report.duplicates += 1;
            self.report.duplicate_relationships += 1;
            let rec = &mut self.relationships[existing as usize];
            rec.props = upserted_props(&self.names, &rec.props, props, false);
            rec.ty = ty;
            rec.class = class;
            rec.from = from;
            rec.to = to;
            return existing;
        }
        let id = match id {
            Some(id) if !self.rel_ids.contains_key(id) => id,
            _ => self.fresh_id(subgraph, key, RELATIONSHIP_SALT, generated),
        };
        let index = self.relationships.len() as u32;
        self.rel_ids.insert(id, index);
        self.rel_by_subgraph_key.insert(subgraph, key, index);
        self.relationships.push(RelRec {
            id,
            key,
            ty,
            class,
            subgraph,
            from,
            to,
            props,
        });
        index
    }

    /// Adds one document of a file: a payload object, an array of payloads/items, or an item.
    fn add_document(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        match doc {
            Raw::Arr(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.add_loose(file, line, &format!("[{i}]"), item)?;
                }
                Ok(())
            }
            other => self.add_loose(file, line, "", other),
        }
    }

    /// A payload object, or a single entity / relationship / mapping rule.
    fn add_loose(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let Raw::Obj(fields) = doc else {
            return Err(LoadError::Item {
                file: file.name.to_string(),
                item: item_name(line, path, "document"),
                message: format!(
                    "expected an object (a payload or an item), found {}",
                    doc.kind()
                ),
            });
        };
        let has = |k: &str| fields.iter().any(|(n, _)| n == k);
        check_payload_keys(file, line, path, fields.iter().map(|(k, _)| &**k))?;
        if has("entities") || has("relationships") || has("mappingRules") {
            return self.add_payload(file, line, path, doc);
        }
        let source = file.source;
        let ctx = ItemCtx {
            file: file.name,
            file_index: file.index,
            item: ItemName::Plain {
                line,
                path,
                what: "item",
            },
            line,
            source,
            scope: file.scope,
            text: file.text,
        };
        if [
            "_fromEntityKey",
            "_fromEntityId",
            "_toEntityKey",
            "_toEntityId",
        ]
        .iter()
        .any(|k| has(k))
        {
            let index = self.file_rel_count(file.index);
            self.add_relationship(&ctx, index, fields)
        } else if has("sourceFilter") {
            let rule = MappingRule::from_json(&doc.to_json(), format!("{} {}", ctx.file, ctx.item))
                .map_err(|m| ctx.error(m))?;
            self.rules.push(rule);
            Ok(())
        } else {
            self.add_entity(&ctx, fields)
        }
    }

    /// How many relationships of file `file` were read so far (the next one's index).
    fn file_rel_count(&self, file: u32) -> usize {
        match self.pending_per_file {
            (f, n) if f == file => n,
            _ => 0,
        }
    }

    fn add_payload(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let (source, scope) = self.payload_subgraph(file, line, path, doc)?;
        for (i, item) in payload_list(file, line, path, doc, List::Entities.key())?
            .iter()
            .enumerate()
        {
            self.add_listed(
                file,
                line,
                path,
                (source, scope),
                List::Entities,
                (i, 0),
                item,
            )?;
        }
        let base = self.file_rel_count(file.index);
        for (i, item) in payload_list(file, line, path, doc, List::Relationships.key())?
            .iter()
            .enumerate()
        {
            let list = List::Relationships;
            self.add_listed(file, line, path, (source, scope), list, (i, base), item)?;
        }
        self.add_payload_rules(file, line, path, doc)
    }

    /// A payload's `source` and `scope` (the file's defaults when it gives none).
    fn payload_subgraph(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(Sym, Sym), LoadError> {
        let mut source = file.source;
        let mut scope = file.scope;
        for (name, slot) in [("source", &mut source), ("scope", &mut scope)] {
            match doc.get(name) {
                Some(Raw::Str(s)) => *slot = self.intern_raw(s),
                None | Some(Raw::Null) => {}
                Some(_) => return Err(payload_field_error(file, line, path, name, "a string")),
            }
        }
        Ok((source, scope))
    }

    /// Element `i` of a payload's `entities` or `relationships`; `base`: how many relationships
    /// of the file came before the payload's (a relationship's index in the file is `base + i`).
    #[allow(clippy::too_many_arguments)]
    fn add_listed(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        (source, scope): (Sym, Sym),
        list: List,
        (i, base): (usize, usize),
        item: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let (what, a_what) = match list {
            List::Entities => ("entity", "an entity"),
            List::Relationships => ("relationship", "a relationship"),
        };
        let ctx = ItemCtx {
            file: file.name,
            file_index: file.index,
            item: ItemName::Listed {
                line,
                path,
                list: list.key(),
                index: i,
                what,
            },
            line,
            source,
            scope,
            text: file.text,
        };
        match (item, list) {
            (Raw::Obj(fields), List::Entities) => self.add_entity(&ctx, fields),
            (Raw::Obj(fields), List::Relationships) => {
                self.add_relationship(&ctx, base + i, fields)
            }
            (other, _) => {
                Err(ctx.error(format!("{a_what} must be an object, not {}", other.kind())))
            }
        }
    }

    /// A payload's `mappingRules`.
    fn add_payload_rules(
        &mut self,
        file: &FileCtx<'_>,
        line: usize,
        path: &str,
        doc: &Raw<'_>,
    ) -> Result<(), LoadError> {
        let prefix = |name: &str, i: usize| -> String {
            if path.is_empty() {
                format!("{name}[{i}]")
            } else {
                format!("{path}.{name}[{i}]")
            }
        };
        for (i, item) in payload_list(file, line, path, doc, "mappingRules")?
            .iter()
            .enumerate()
        {
            let origin = format!(
                "{} {}",
                file.name,
                item_name(line, &prefix("mappingRules", i), "rule")
            );
            let rule = MappingRule::from_json(&item.to_json(), origin).map_err(|message| {
                LoadError::Item {
                    file: file.name.to_string(),
                    item: item_name(line, &prefix("mappingRules", i), "rule"),
                    message,
                }
            })?;
            self.rules.push(rule);
        }
        Ok(())
    }
}

/// Where an item is, rendered only when a message needs it (no allocation per item).
#[derive(Debug, Clone)]
pub(crate) enum ItemName<'a> {
    /// Ready-made text.
    Text(String),
    /// `item_name(line, path, what)`.
    Plain {
        line: usize,
        path: &'a str,
        what: &'static str,
    },
    /// `item_name(line, "<path.>list[index]", what)`.
    Listed {
        line: usize,
        path: &'a str,
        list: &'static str,
        index: usize,
        what: &'static str,
    },
}

impl fmt::Display for ItemName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemName::Text(t) => f.write_str(t),
            ItemName::Plain { line, path, what } => f.write_str(&item_name(*line, path, what)),
            ItemName::Listed {
                line,
                path,
                list,
                index,
                what,
            } => {
                let full = if path.is_empty() {
                    format!("{list}[{index}]")
                } else {
                    format!("{path}.{list}[{index}]")
                };
                f.write_str(&item_name(*line, &full, what))
            }
        }
    }
}

/// A misspelt payload key (`entites`) would otherwise make the whole payload one entity
/// without a `_key`: say what is wrong instead.
fn check_payload_keys<'k>(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    keys: impl IntoIterator<Item = &'k str>,
) -> Result<(), LoadError> {
    match keys
        .into_iter()
        .find_map(|k| payload_key_typo(k).map(|known| (k, known)))
    {
        Some((key, known)) => Err(LoadError::Item {
            file: file.name.to_string(),
            item: item_name(line, path, "document"),
            message: format!(
                "unknown top-level key `{key}` (did you mean `{known}`?); a payload has \
                 `entities`, `relationships`, `mappingRules`, `source` and `scope`"
            ),
        }),
        None => Ok(()),
    }
}

/// The array `name` of a payload (empty when absent or null).
fn payload_list<'d, 'a>(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    doc: &'d Raw<'a>,
    name: &str,
) -> Result<&'d [Raw<'a>], LoadError> {
    match doc.get(name) {
        None | Some(Raw::Null) => Ok(&[]),
        Some(Raw::Arr(items)) => Ok(items),
        Some(_) => Err(payload_field_error(file, line, path, name, "an array")),
    }
}

/// A payload field of the wrong kind.
fn payload_field_error(
    file: &FileCtx<'_>,
    line: usize,
    path: &str,
    name: &str,
    what: &str,
) -> LoadError {
    LoadError::Item {
        file: file.name.to_string(),
        item: item_name(line, path, "payload"),
        message: format!("`{name}` must be {what}"),
    }
}

fn item_name(line: usize, path: &str, what: &str) -> String {
    match (line, path.is_empty()) {
        (0, true) => format!("the {what}"),
        (0, false) => path.to_string(),
        (l, true) => format!("line {l}"),
        (l, false) => format!("line {l} {path}"),
    }
}

/// The file an item comes from.
pub(crate) struct FileCtx<'a> {
    name: &'a str,
    index: u32,
    source: Sym,
    scope: Sym,
    /// The file's bytes (empty for a JSON value), to turn a key into a line and column.
    text: &'a [u8],
}

/// Where an item is, for messages, and its default subgraph.
pub(crate) struct ItemCtx<'a> {
    pub(crate) file: &'a str,
    pub(crate) file_index: u32,
    pub(crate) item: ItemName<'a>,
    pub(crate) line: usize,
    pub(crate) source: Sym,
    pub(crate) scope: Sym,
    /// The file's bytes (empty when not read from a file), see [`ItemCtx::error_at`].
    pub(crate) text: &'a [u8],
}

impl ItemCtx<'_> {
    pub(crate) fn error(&self, message: String) -> LoadError {
        LoadError::Item {
            file: self.file.to_string(),
            item: self.item.to_string(),
            message,
        }
    }

    /// An error at the key `at` of the item (a string parsed from the file, pointing into its
    /// bytes): `file:line:column: item: message`; without a position (an escaped key, a JSON
    /// value) the same as [`ItemCtx::error`].
    pub(crate) fn error_at(&self, at: &str, message: String) -> LoadError {
        let base = self.text.as_ptr() as usize;
        let start = at.as_ptr() as usize;
        if self.text.is_empty() || start < base || start > base + self.text.len() {
            return self.error(message);
        }
        // The key's opening quote.
        let offset = (start - base).saturating_sub(1);
        let before = &self.text[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        LoadError::Json {
            file: self.file.to_string(),
            line,
            column,
            message: format!("{}: {message}", self.item),
        }
    }
}

/// Loads fixtures into a [`Graph`]: add files, folders, bytes or JSON values, then
/// [`Loader::finish`].
pub struct Loader {
    options: LoadOptions,
    builder: Builder,
    /// Bytes built so far and in all, for [`LoadOptions::progress`].
    done: (u64, u64),
}

impl Loader {
    /// A loader with `options`.
    pub fn new(options: LoadOptions) -> Loader {
        let ts = options.timestamp_ms.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0)
        });
        Loader {
            builder: Builder::new(ts),
            options,
            done: (0, 0),
        }
    }

    /// Adds a file's bytes. `name` is used in messages and, without its folders and extension,
    /// as the default scope; a name ending in `.jsonl` / `.ndjson` is read as JSON-lines.
    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), LoadError> {
        if bytes.len() > self.options.chunk_bytes {
            return self.add_big(name, bytes);
        }
        let mut parsed = parse_file(name, bytes.into(), is_json_lines(name))?;
        self.add_parsed(name, &mut parsed)
    }

    /// Adds a JSON value (a payload, or an array of payloads or items) as if read from `name`.
    pub fn add_json_value(
        &mut self,
        name: &str,
        value: &serde_json::Value,
    ) -> Result<(), LoadError> {
        let raw = Raw::from_json(value);
        self.builder.local_syms.clear();
        self.builder.local_hashes.clear();
        let file = self.file_ctx(name);
        self.builder
            .add_document(&file_ctx_ref(&file, &[]), 0, &raw)
    }

    /// Adds mapping rules (in addition to the fixtures' own).
    pub fn add_rules(&mut self, rules: impl IntoIterator<Item = MappingRule>) {
        self.builder.rules.extend(rules);
    }

    fn file_ctx(&mut self, name: &str) -> (String, u32, Sym, Sym) {
        let index = self.builder.files.len() as u32;
        self.builder.files.push(name.to_string());
        self.builder.report.files += 1;
        let stem = Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(name)
            .to_string();
        let scope = self.builder.strings.intern(&stem);
        (name.to_string(), index, self.builder.names.api, scope)
    }

    /// Counts `bytes` more as built and tells [`LoadOptions::progress`].
    fn advance(&mut self, bytes: usize) {
        self.done.0 += bytes as u64;
        if let Some(progress) = &self.options.progress {
            (progress.0)(self.done.0, self.done.1.max(self.done.0));
        }
    }

    fn add_parsed(&mut self, name: &str, parsed: &mut Parsed) -> Result<(), LoadError> {
        // The previous file's hashes go with this one to be freed.
        std::mem::swap(&mut self.builder.local_hashes, &mut parsed.hashes);
        let locals = &mut self.builder.local_syms;
        locals.clear();
        locals.resize(self.builder.local_hashes.len(), NO_SYM);
        let file = self.file_ctx(name);
        let ctx = file_ctx_ref(&file, &parsed.bytes);
        for (line, doc) in parsed.docs() {
            self.builder.add_document(&ctx, *line, doc)?;
        }
        Ok(())
    }

    /// Adds files and folders (folders recursively, sorted by path), reading and parsing on
    /// several threads while the graph is built in order.
    pub fn add_paths(&mut self, paths: &[PathBuf]) -> Result<(), LoadError> {
        let mut files = Vec::new();
        for p in paths {
            let (found, skipped) = fixture_walk(p)?;
            files.extend(found);
            self.builder.report.skipped_paths.extend(skipped);
        }
        let bytes: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        self.builder
            .strings
            .reserve((bytes / 48).min(1 << 26) as usize);
        // Entities: roughly one per 400 bytes of fixture JSON (generated data: ~420).
        let entities = (bytes / 400).min(1 << 24) as usize;
        // The dense maps have a slot per string (see `sym_map`).
        let syms = (bytes / 48).min(1 << 26) as usize;
        self.builder.by_id.reserve(syms);
        self.builder.by_subgraph_key.reserve(syms);
        self.builder.pending.reserve(entities * 2);
        self.builder.entities.reserve(entities);
        self.done.1 += bytes;
        let _span = tracing::debug_span!("read and build", files = files.len(), bytes).entered();
        // Big files one at a time, each on every thread; runs of small files several at a time.
        let chunk = self.options.chunk_bytes as u64;
        let big = |f: &PathBuf| std::fs::metadata(f).is_ok_and(|m| m.len() > chunk);
        let mut rest = &files[..];
        while !rest.is_empty() {
            let small = rest.iter().take_while(|f| !big(f)).count();
            if small == 0 {
                let name = rest[0].display().to_string();
                let _span = tracing::debug_span!("big file", file = %name).entered();
                let bytes = tracing::debug_span!("map").in_scope(|| map_fixture(&rest[0]))?;
                let before = self.done.0;
                self.add_big(&name, &bytes)?;
                // The pieces count their elements; the file counts whole.
                self.done.0 = before;
                self.advance(bytes.len());
                rest = &rest[1..];
                continue;
            }
            self.add_small_files(&rest[..small])?;
            rest = &rest[small..];
        }
        Ok(())
    }

    /// Reads and parses `files` on the pool while this thread builds them in order.
    fn add_small_files(&mut self, files: &[PathBuf]) -> Result<(), LoadError> {
        let _span = tracing::debug_span!("small files", files = files.len()).entered();
        let mut failed = None;
        pipeline::ordered(
            self.options.threads.min(files.len()),
            files,
            |f| {
                let name = f.display().to_string();
                let parsed = read_fixture(f)
                    .and_then(|b| parse_file(&name, b.into_boxed_slice(), is_json_lines(&name)));
                (name, parsed)
            },
            |(name, parsed)| {
                let added = match parsed {
                    Ok(parsed) => {
                        let added = self.add_parsed(name, parsed);
                        self.advance(parsed.bytes.len());
                        added
                    }
                    Err(e) => Err(e.clone()),
                };
                match added {
                    Ok(()) => true,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            },
        );
        failed.map_or(Ok(()), Err)
    }

    /// Resolves relationships, runs the mapper, builds the indexes.
    pub fn finish(self) -> Result<Graph, LoadError> {
        let Loader {
            options,
            mut builder,
            ..
        } = self;
        tracing::debug_span!("resolve", relationships = builder.pending.len())
            .in_scope(|| builder.resolve_relationships(pipeline::thread_count(options.threads)));
        if options.strict && !builder.report.skipped_relationships.is_empty() {
            return Err(LoadError::Unresolved(builder.report.skipped_relationships));
        }
        if options.global_mappings {
            builder.rules.extend(mapper::global_rules().iter().cloned());
        }
        tracing::debug_span!("mapper", rules = builder.rules.len())
            .in_scope(|| mapper::run(&mut builder, &options));
        let _span = tracing::debug_span!("index").entered();
        let mut report = std::mem::take(&mut builder.report);
        report.entities = builder.entities.len();
        report.relationships = builder.relationships.len();
        report.mapping_rules = builder.rules.len();
        let by_id = std::mem::take(&mut builder.by_id);
        let rel_ids = std::mem::take(&mut builder.rel_ids);
        let mut graph = Graph {
            strings: builder.strings,
            entities: builder.entities,
            relationships: builder.relationships,
            subgraphs: builder.subgraphs,
            class_sets: builder.class_sets,
            meta_defaults: builder.meta_defaults,
            report,
            ..Graph::default()
        };
        graph.index(by_id, rel_ids);
        Ok(graph)
    }
}

/// The error for a property `name` given twice in one item: at the last key that gives it
/// (a dotted key, or the innermost key of a nested object), naming both spellings.
fn property_twice(ctx: &ItemCtx<'_>, fields: &[(RStr<'_>, Raw<'_>)], name: &str) -> LoadError {
    // Every key path of the item that flattens to `name`, with its last key.
    let mut found: Vec<(String, &RStr<'_>)> = Vec::new();
    let mut stack: Vec<(String, &[(RStr<'_>, Raw<'_>)])> = vec![(String::new(), fields)];
    while let Some((prefix, fields)) = stack.pop() {
        for (key, value) in fields {
            let full = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{}", &**key)
            };
            match value {
                Raw::Obj(inner) if name.starts_with(&format!("{full}.")) => {
                    stack.push((full, inner));
                }
                _ if full == name => found.push((full_path(&prefix, key), key)),
                _ => {}
            }
        }
    }
    // The spelling that comes last in the file (the second definition).
    found.sort_by_key(|(_, key)| key.as_ptr() as usize);
    let spellings: Vec<String> = found.iter().map(|(s, _)| s.clone()).collect();
    let message = format!(
        "property `{name}` is given twice ({}): a nested object and a dotted key name the same \
         property; keep one",
        spellings.join(" and ")
    );
    match found.last() {
        Some((_, key)) => ctx.error_at(key, message),
        None => ctx.error(message),
    }
}

/// How a key path is written in the file: `"tag.x"`, or `"tag": {"x": …}`.
fn full_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        return format!("`\"{key}\"`");
    }
    let parts: Vec<&str> = prefix.split('.').collect();
    let mut out = String::from("`");
    for part in &parts {
        out.push_str(&format!("\"{part}\": {{"));
    }
    out.push_str(&format!("\"{key}\": …"));
    out.push_str(&"}".repeat(parts.len()));
    out.push('`');
    out
}

/// JupiterOne's metadata with a fixed type: `_version` is a whole number (the loader counts
/// it up on updates) and `_deleted` a boolean (a string `"yes"` would be a true value to no
/// query and a surprise to every reader).
fn check_metadata(ctx: &ItemCtx<'_>, name: &RStr<'_>, value: &Raw<'_>) -> Result<(), LoadError> {
    let wanted = match (&**name, value) {
        ("_version", Raw::Num(n)) if n.fract() == 0.0 && *n >= 0.0 => return Ok(()),
        ("_version", _) => "a whole number",
        ("_deleted", Raw::Bool(_)) => return Ok(()),
        ("_deleted", _) => "true or false",
        _ => return Ok(()),
    };
    let got = match value {
        Raw::Num(n) => format!("the number {n}"),
        Raw::Str(s) => format!("the string {:?}", &**s),
        other => other.kind().to_string(),
    };
    Err(ctx.error_at(name, format!("`{}` must be {wanted}, not {got}", &**name)))
}

fn file_ctx_ref<'a>(file: &'a (String, u32, Sym, Sym), text: &'a [u8]) -> FileCtx<'a> {
    FileCtx {
        name: &file.0,
        index: file.1,
        source: file.2,
        scope: file.3,
        text,
    }
}

impl Graph {
    /// A graph from one JSON value (a payload, or an array of payloads or items), loaded as if
    /// read from a file named `fixture.json` (default scope `fixture`), with `_createdOn` /
    /// `_beginOn` defaults of 0 so that results are reproducible.
    pub fn from_json_value(value: &serde_json::Value) -> Result<Graph, LoadError> {
        let mut loader = Loader::new(LoadOptions {
            timestamp_ms: Some(0),
            ..LoadOptions::default()
        });
        loader.add_json_value("fixture.json", value)?;
        loader.finish()
    }

    /// Like [`Graph::from_json_value`], from JSON text (errors carry line and column).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Graph, LoadError> {
        let mut loader = Loader::new(LoadOptions {
            timestamp_ms: Some(0),
            ..LoadOptions::default()
        });
        loader.add_bytes("fixture.json", text.as_bytes())?;
        loader.finish()
    }
}
