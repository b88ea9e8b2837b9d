//! Loading fixtures: files and folders, payload shapes, entities with ownership, relationships
//! with endpoint resolution, then the mapper and the indexes (see `docs/loading.md`).

use std::path::{Path, PathBuf};

use crate::builder::{Builder, NO_SYM};
use crate::graph::Graph;
use crate::intern::Sym;
use crate::mapper::{self, MappingRule};
use crate::raw::Raw;

mod chunked;
mod error;
mod files;
mod payload;
mod pipeline;
mod report;
mod scan;

pub use error::LoadError;
pub use files::{fixture_files, fixture_walk};
pub use report::{LoadOptions, LoadReport, Progress, SkippedRelationship};

use error::json_message;
use files::{is_json_lines, map_fixture, parse_file, read_fixture, Parsed};
use payload::{check_payload_keys, file_ctx_ref, payload_list, FileCtx};

/// Loads `paths` (files or folders) into a graph.
pub fn load_paths<P: AsRef<Path>>(paths: &[P], options: LoadOptions) -> Result<Graph, LoadError> {
    let mut loader = Loader::new(options);
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
    loader.add_paths(&paths)?;
    loader.finish()
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
