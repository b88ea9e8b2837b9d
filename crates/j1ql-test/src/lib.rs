//! # j1ql-test
//!
//! `j1ql test`: snapshot-tested J1QL query suites, as a library so that the CLI and the
//! language server share it.
//!
//! A **suite** is a folder with a `j1ql.toml` (`data`, `now`, `[params]`, `[smart-classes]`,
//! `[test]`; see `j1ql-config`) and test files: `*.j1ql` documents (queries optionally named
//! by `// name:` and checked by `// expect:` comments) and JupiterOne question YAML files
//! (`questions: - queries: - query:`). Every query runs on the suite's graph with the shared
//! evaluator; its result is compared with its snapshot (`snapshots/<file>__<name>.snap`, the
//! insta format) and its assertions are checked.
//!
//! ```no_run
//! use j1ql_test::{discover, run, Mode, Options};
//! let suites = discover(&["tests/conformance".into()]).unwrap();
//! let options = Options { mode: Mode::Check, filter: None, budget: None };
//! let report = run(&suites, &options, &mut |_| {});
//! assert_eq!(report.failed(), 0);
//! ```

pub mod cases;
pub mod check;
pub mod report;
pub mod review;
pub mod snapshot;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use j1ql_config::{Config, SnapshotPolicy};
use j1ql_eval::EvalOptions;
use j1ql_project::Project;
use j1ql_semantics::Severity;

pub use cases::{Case, Expect};

/// What to do with snapshots that differ or are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write `.snap.new` files beside the snapshots (the default).
    Write,
    /// Write `.snap` files directly: accept every new or changed snapshot.
    Accept,
    /// Write nothing (CI).
    Check,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Snapshot handling.
    pub mode: Mode,
    /// Run only cases whose name (or `file::name`) contains this text.
    pub filter: Option<String>,
    /// The work budget per query (`--budget`), over `J1QL_BUDGET` and each suite's
    /// `[run] budget`; `None` keeps theirs.
    pub budget: Option<u64>,
}

/// A suite: a `j1ql.toml` (or none: the defaults and the demo graph) and its test files.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The folder relative paths in the config are read from.
    pub root: PathBuf,
    /// The `j1ql.toml`, if there is one.
    pub config_path: Option<PathBuf>,
    /// Its settings.
    pub config: Config,
    /// Test files, sorted.
    pub files: Vec<PathBuf>,
}

/// A problem that stops `j1ql test` before it runs anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// `text` without a leading UTF-8 byte order mark (some editors write one).
fn without_bom(text: &str) -> &str {
    text.strip_prefix(j1ql_syntax::lexer::BYTE_ORDER_MARK)
        .unwrap_or(text)
}

fn is_test_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("j1ql") => true,
        Some("yaml" | "yml") => std::fs::read_to_string(path)
            .map(|t| cases::is_question_file(without_bom(&t)))
            .unwrap_or(false),
        Some("json") => std::fs::read_to_string(path)
            .map(|t| cases::is_rule_pack(without_bom(&t)))
            .unwrap_or(false),
        _ => false,
    }
}

/// The test files under `dir`, sorted, with the reasons for what was left out (links that
/// lead out of `dir` or back into the walk: every real path is visited once).
fn walk(dir: &Path, out: &mut Vec<PathBuf>, notes: &mut Vec<String>) -> Result<(), Error> {
    let walk = j1ql_fs::Walker::new(dir)
        .enter_dir(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !(name.starts_with('.') || matches!(name, "snapshots" | "target" | "node_modules"))
        })
        .keep_file(is_test_file)
        .run()
        .map_err(|e| Error(e.to_string()))?;
    out.extend(walk.files);
    notes.extend(walk.skipped.iter().map(ToString::to_string));
    Ok(())
}

/// Finds the test files under `paths` (files, or folders searched recursively, skipping
/// `snapshots/`, `target/` and hidden folders) and groups them into suites by their nearest
/// `j1ql.toml`.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Suite>, Error> {
    discover_with_notes(paths).map(|(suites, _)| suites)
}

/// [`discover`], and what the walk left out and why (to print as warnings).
pub fn discover_with_notes(paths: &[PathBuf]) -> Result<(Vec<Suite>, Vec<String>), Error> {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut notes)?;
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(Error(format!("{}: no such file or folder", p.display())));
        }
    }
    let mut suites: BTreeMap<Option<PathBuf>, Suite> = BTreeMap::new();
    let mut seen = HashSet::new();
    for file in files {
        if !seen.insert(file.clone()) {
            continue;
        }
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let (config, config_path) = Config::discover(&dir).map_err(|e| Error(e.to_string()))?;
        let root = config_path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| dir.clone());
        suites
            .entry(config_path.clone())
            .or_insert_with(|| Suite {
                root,
                config_path,
                config,
                files: Vec::new(),
            })
            .files
            .push(file);
    }
    Ok((suites.into_values().collect(), notes))
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Assertions hold and the snapshot matches (or was accepted).
    Passed,
    /// Something differs, or the query failed.
    Failed,
}

/// What happened to a case's snapshot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SnapshotOutcome {
    /// The case has no snapshot.
    None,
    /// Same as stored.
    Matched,
    /// There was none: written as `.snap.new` (or `.snap` when accepting).
    New,
    /// It differs: written as `.snap.new` (or `.snap` when accepting).
    Changed,
}

/// One case's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseReport {
    /// Its name.
    pub name: String,
    /// 1-based line in its file.
    pub line: usize,
    /// The query.
    pub query: String,
    /// Passed or failed.
    pub status: Status,
    /// Why it failed (assertions, query errors, snapshot notes).
    pub messages: Vec<String>,
    /// The snapshot's fate.
    pub snapshot: SnapshotOutcome,
    /// A unified diff, old snapshot to new result, when the snapshot changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The snapshot file written (`.snap.new`, or `.snap` when accepting), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<PathBuf>,
    /// Time to run it.
    #[serde(skip)]
    pub duration: Duration,
}

/// One file's results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// A problem that kept the file (or its suite's graph) from running; counts as a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its cases (after `--filter`).
    pub cases: Vec<CaseReport>,
    /// Time to run it.
    #[serde(skip)]
    pub duration: Duration,
}

impl FileReport {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.status == Status::Passed)
            .count()
    }
    /// Cases that failed, plus one if the file could not be read.
    pub fn failed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.status == Status::Failed)
            .count()
            + usize::from(self.error.is_some())
    }
}

/// Every file's results.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Files, in order.
    pub files: Vec<FileReport>,
}

impl Report {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.files.iter().map(FileReport::passed).sum()
    }
    /// Failures (cases, and files that could not run).
    pub fn failed(&self) -> usize {
        self.files.iter().map(FileReport::failed).sum()
    }
    /// `.snap.new` files written by this run.
    pub fn pending(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .flat_map(|f| &f.cases)
            .filter_map(|c| c.written.clone())
            .filter(|p| p.extension().is_some_and(|e| e == "new"))
            .collect()
    }
}

/// A loaded suite: its project (graph, catalog, smart classes, clock, parameters; built by
/// `j1ql-project`, as every front-end builds it) and the evaluation settings.
pub struct Loaded {
    project: Project,
    options: EvalOptions,
}

/// Loads a suite's project and graph (its `data`, or the demo account when it names none).
/// Without `now`, the clock is the fixed [`j1ql_project::DEFAULT_NOW_MS`]: no wall clock in
/// any result or snapshot.
pub fn load(suite: &Suite) -> Result<Loaded, String> {
    load_with_budget(suite, None)
}

/// [`load`], with the work budget of `--budget` (over `J1QL_BUDGET` and `[run] budget`) when
/// given.
pub fn load_with_budget(suite: &Suite, budget: Option<u64>) -> Result<Loaded, String> {
    let origin = suite
        .config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no j1ql.toml)".into());
    let project = Project::from_config(
        suite.root.clone(),
        suite.config_path.clone(),
        suite.config.clone(),
        origin,
    )
    .map_err(|e| e.0)?
    .with_budget(budget);
    project.graph()?;
    let options = project.eval_options();
    Ok(Loaded { project, options })
}

impl Loaded {
    /// The suite's project (its parameters, clock and graph): `j1ql test --remote` sends the
    /// same parameters to the live account.
    pub fn project(&self) -> &Project {
        &self.project
    }
}

/// Reads a test file into cases.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    // A UTF-8 byte order mark is not part of the text (cases keep line numbers only).
    let text = without_bom(&text);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let cases = match ext {
        "yaml" | "yml" => cases::parse_questions(text),
        "json" => cases::parse_rule_pack(text),
        _ => cases::parse_document(text),
    };
    cases.map_err(|e| e.to_string())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, col)
}

/// Runs one query: the result and whether it is ordered, or why it did not run.
pub fn run_case(loaded: &Loaded, query: &str) -> Result<(j1ql_eval::QueryResult, bool), String> {
    let context = loaded.project.context();
    let analysis = j1ql_semantics::analyze(query, &context);
    if analysis.has_errors() {
        let mut problems: Vec<String> = analysis
            .parse
            .errors()
            .iter()
            .map(|e| {
                let (l, c) = line_col(query, usize::from(e.range.start()));
                format!("{l}:{c}: {}", e.message)
            })
            .collect();
        problems.extend(
            analysis
                .diagnostics()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let (l, c) = line_col(query, usize::from(d.range.start()));
                    format!("{l}:{c}: {}", d.message)
                }),
        );
        return Err(format!("the query was refused: {}", problems.join("; ")));
    }
    if analysis.queries.len() != 1 {
        return Err(format!(
            "expected one query, found {}",
            analysis.queries.len()
        ));
    }
    let ir = &analysis.queries[0].ir;
    let ordered = !ir.order_by.is_empty();
    let graph = loaded.project.graph()?;
    j1ql_eval::evaluate(ir, graph, &loaded.options)
        .map(|r| (r, ordered))
        .map_err(|e| format!("the query failed: {e}"))
}

/// A unified diff of two snapshot contents.
pub fn diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("stored snapshot", "new result")
        .to_string()
}

fn matches_filter(filter: &Option<String>, file: &Path, name: &str) -> bool {
    match filter {
        None => true,
        Some(f) => {
            // Case-insensitive, as people type names.
            let stem = file
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let f = f.to_lowercase();
            name.to_lowercase().contains(&f)
                || format!("{stem}::{name}").to_lowercase().contains(&f)
        }
    }
}

/// Writes a snapshot atomically, never through a link leading out of its repository (the
/// nearest folder above holding `.git`, else the folder of the test file).
pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let root = absolute
        .ancestors()
        .find(|d| d.join(".git").exists())
        .or_else(|| absolute.parent())
        .unwrap_or(&absolute)
        .to_path_buf();
    j1ql_fs::atomic_write_within(&root, path, text.as_bytes()).map_err(|e| e.to_string())
}

fn run_one(
    loaded: &Loaded,
    policy: SnapshotPolicy,
    options: &Options,
    file: &Path,
    case: &Case,
) -> CaseReport {
    let started = Instant::now();
    let mut report = CaseReport {
        name: case.name.clone(),
        line: case.line,
        query: case.query.clone(),
        status: Status::Passed,
        messages: Vec::new(),
        snapshot: SnapshotOutcome::None,
        diff: None,
        written: None,
        duration: Duration::ZERO,
    };
    let expects_error = case
        .expects
        .iter()
        .any(|e| matches!(e, Expect::Error | Expect::ErrorContaining(_)));
    let wants_snapshot = match policy {
        SnapshotPolicy::Always => true,
        SnapshotPolicy::Never => false,
        SnapshotPolicy::Unasserted => {
            case.expects.is_empty() || case.expects.contains(&Expect::Snapshot)
        }
    } && !expects_error;
    match run_case(loaded, &case.query) {
        Err(e) => {
            for expect in &case.expects {
                if let Expect::ErrorContaining(wanted) = expect {
                    if !e.contains(wanted.as_str()) {
                        report
                            .messages
                            .push(format!("expected an error containing `{wanted}`, got: {e}"));
                    }
                }
            }
            if !expects_error {
                report.messages.push(e);
            }
        }
        Ok((result, ordered)) => {
            for expect in &case.expects {
                if let Err(e) = check::check(expect, &result) {
                    report.messages.push(e);
                }
            }
            if wants_snapshot {
                snapshot_case(
                    &mut report,
                    options,
                    file,
                    case,
                    &snapshot::render(&result, ordered),
                );
            }
        }
    }
    if !report.messages.is_empty() {
        report.status = Status::Failed;
    }
    report.duration = started.elapsed();
    report
}

fn snapshot_case(report: &mut CaseReport, options: &Options, file: &Path, case: &Case, new: &str) {
    let snap = snapshot::path(file, &case.name);
    let pending = snapshot::pending_path(&snap);
    let source = file
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let text = snapshot::file_text(&source, &case.name, &case.query, new);
    let old = std::fs::read_to_string(&snap).ok();
    let old_content = old.as_deref().map(snapshot::content);
    if old_content.is_some_and(|o| snapshot::same(o, new)) {
        report.snapshot = SnapshotOutcome::Matched;
        if options.mode != Mode::Check {
            // A stale pending snapshot is no longer wanted; a changed query text is recorded.
            let _ = std::fs::remove_file(&pending);
            let expression_changed = old
                .as_deref()
                .and_then(snapshot::expression)
                .is_some_and(|e| e != case.query);
            if expression_changed {
                let _ = write(&snap, &text);
            }
        }
        return;
    }
    report.snapshot = if old_content.is_some() {
        SnapshotOutcome::Changed
    } else {
        SnapshotOutcome::New
    };
    report.diff = Some(diff(old_content.unwrap_or(""), new));
    let target = match options.mode {
        Mode::Check => None,
        Mode::Write => Some(pending),
        Mode::Accept => {
            let _ = std::fs::remove_file(&pending);
            Some(snap.clone())
        }
    };
    if let Some(target) = target {
        match write(&target, &text) {
            Ok(()) => report.written = Some(target),
            Err(e) => report
                .messages
                .push(format!("cannot write the snapshot: {e}")),
        }
    }
    if options.mode != Mode::Accept {
        let what = match (&report.snapshot, &report.written) {
            (SnapshotOutcome::New, Some(p)) => format!("new snapshot, written to {}", p.display()),
            (SnapshotOutcome::New, None) => format!("no snapshot {}", snap.display()),
            (_, Some(p)) => format!(
                "the result differs from {} (new one in {})",
                snap.display(),
                p.display()
            ),
            (_, None) => format!("the result differs from {}", snap.display()),
        };
        report.messages.push(what);
    }
}

/// Runs one file of a loaded suite.
pub fn run_file(loaded: &Loaded, config: &Config, options: &Options, path: &Path) -> FileReport {
    let started = Instant::now();
    let mut report = FileReport {
        path: path.to_path_buf(),
        error: None,
        cases: Vec::new(),
        duration: Duration::ZERO,
    };
    let cases = match read_cases(path) {
        Ok(c) => c,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let mut names = HashSet::new();
    let mut slugs = HashSet::new();
    for case in &cases {
        if !matches_filter(&options.filter, path, &case.name) {
            continue;
        }
        let mut r = run_one(loaded, config.test.snapshots, options, path, case);
        if !names.insert(case.name.clone()) {
            r.messages
                .push(format!("`{}` is a duplicate name in this file", case.name));
            r.status = Status::Failed;
        } else if !slugs.insert(snapshot::slug(&case.name)) && r.snapshot != SnapshotOutcome::None {
            r.messages.push(format!(
                "`{}` has the same snapshot file name as another query in this file",
                case.name
            ));
            r.status = Status::Failed;
        }
        report.cases.push(r);
    }
    report.duration = started.elapsed();
    report
}

/// Runs every suite; `progress` sees each file's report as soon as it is done.
pub fn run(suites: &[Suite], options: &Options, progress: &mut dyn FnMut(&FileReport)) -> Report {
    let mut report = Report::default();
    for suite in suites {
        let loaded = match load_with_budget(suite, options.budget) {
            Ok(l) => l,
            Err(e) => {
                for f in &suite.files {
                    let r = FileReport {
                        path: f.clone(),
                        error: Some(e.clone()),
                        cases: Vec::new(),
                        duration: Duration::ZERO,
                    };
                    progress(&r);
                    report.files.push(r);
                }
                continue;
            }
        };
        for file in &suite.files {
            let r = run_file(&loaded, &suite.config, options, file);
            if options.filter.is_some() && r.cases.is_empty() && r.error.is_none() {
                continue;
            }
            progress(&r);
            report.files.push(r);
        }
    }
    report
}
