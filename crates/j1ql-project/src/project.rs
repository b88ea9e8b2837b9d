//! [`Project`]: a `j1ql.toml` (or the defaults) and everything derived from it, built once and
//! shared by every front-end.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use j1ql_config::Config;
use j1ql_eval::{demo, Budget, EvalOptions, ValueContext, DEFAULT_MAX_WORK, MAX_WORK_ENV};
use j1ql_graph::{Graph, LoadOptions};
use j1ql_lint::LintOptions;
use j1ql_semantics::catalog::{Catalog, Observations};
use j1ql_semantics::smart_classes::SmartClasses;
use j1ql_semantics::Context;

/// The clock of a project whose `j1ql.toml` sets no `now`: a fixed instant (the demo
/// account's, 2025-11-21T00:00:00Z), so that results, and the `_createdOn`/`_beginOn` the
/// loader gives fixture items without one, never depend on the wall clock.
pub const DEFAULT_NOW_MS: i64 = demo::DEMO_NOW_MS;

/// A project that cannot be used: its `j1ql.toml` does not read, or a setting is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectError(pub String);

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProjectError {}

/// The fixture data of a project, loaded on first use.
pub struct Data {
    /// The graph.
    pub graph: Graph,
    /// What the graph adds to the analysis context.
    pub facts: DataFacts,
}

/// What a graph adds to the analysis context: the data model extended by its types and
/// properties, what it holds, its tags. Built here for every graph — the project's data, and
/// each graph `j1ql serve` builds after an upload — so that analysis over data means the same
/// thing in every front-end.
pub struct DataFacts {
    /// The builtin data model extended by what the graph holds.
    pub catalog: Catalog,
    /// What the data holds (types, their classes and properties).
    pub observed: Observations,
    /// Every tag of the data.
    pub tags: BTreeSet<String>,
}

impl DataFacts {
    /// The facts of `graph`.
    pub fn of(graph: &Graph) -> DataFacts {
        let observed = crate::observed::observations(graph);
        DataFacts {
            catalog: Catalog::builtin().extended(&observed),
            tags: tags(graph),
            observed,
        }
    }
}

/// A project: the folder of a `j1ql.toml` (or a folder without one) and what it configures.
pub struct Project {
    root: PathBuf,
    config_path: Option<PathBuf>,
    config: Config,
    origin: String,
    now_ms: i64,
    params: BTreeMap<String, serde_json::Value>,
    smart: SmartClasses,
    budget: u64,
    data_paths: Vec<PathBuf>,
    data: OnceLock<Result<Data, String>>,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project")
            .field("root", &self.root)
            .field("config_path", &self.config_path)
            .finish_non_exhaustive()
    }
}

/// The work budget from the environment variable `J1QL_BUDGET` (its text, when set) over
/// `[run] budget` (`configured`) over [`DEFAULT_MAX_WORK`]. The variable must be a positive
/// whole number (`_` separators allowed): a typo is an error, not a silent default.
pub fn resolve_budget(configured: Option<u64>, env: Option<&str>) -> Result<u64, String> {
    match env.map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) => match text.replace('_', "").parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "the environment variable {MAX_WORK_ENV}={text:?} is not a positive number of \
                 work units"
            )),
        },
        None => Ok(configured.unwrap_or(DEFAULT_MAX_WORK)),
    }
}

fn demo_graph() -> Result<&'static Graph, String> {
    static DEMO: OnceLock<Result<Graph, String>> = OnceLock::new();
    DEMO.get_or_init(|| demo::graph().map_err(|e| format!("demo graph: {e}")))
        .as_ref()
        .map_err(Clone::clone)
}

impl Project {
    /// The project of `path` (a file or a folder): the nearest `j1ql.toml` in it or a parent,
    /// or the defaults rooted at `path`'s folder when there is none.
    pub fn discover(path: &Path) -> Result<Project, ProjectError> {
        let (config, config_path) =
            Config::discover(path).map_err(|e| ProjectError(e.to_string()))?;
        let root = match &config_path {
            Some(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => {
                let dir = if path.is_dir() {
                    path
                } else {
                    path.parent().unwrap_or(Path::new("."))
                };
                std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
            }
        };
        let origin = config_path
            .as_ref()
            .map_or_else(|| "(no j1ql.toml)".to_string(), |p| p.display().to_string());
        Project::from_config(root, config_path, config, origin)
    }

    /// A project from a configuration already read (the language server merges editor
    /// settings over the file). `origin` names where the settings come from, in messages.
    pub fn from_config(
        root: PathBuf,
        config_path: Option<PathBuf>,
        config: Config,
        origin: String,
    ) -> Result<Project, ProjectError> {
        LintOptions::validate(&config.lint).map_err(|e| ProjectError(format!("{origin}: {e}")))?;
        let now_ms = match &config.now {
            Some(text) => j1ql_semantics::dates::parse_iso_date(text)
                .map_err(|e| ProjectError(format!("{origin}: now `{text}`: {e}")))?,
            None => DEFAULT_NOW_MS,
        };
        let params = config
            .params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        let budget = resolve_budget(
            config.run.budget,
            std::env::var(MAX_WORK_ENV).ok().as_deref(),
        )
        .map_err(|e| ProjectError(format!("{origin}: {e}")))?;
        let mut smart = SmartClasses::default();
        for (name, definition) in &config.smart_classes {
            smart.define(name.clone(), definition.clone());
        }
        let data_paths = config
            .data
            .iter()
            .map(|p| {
                root.join(p)
                    .components()
                    .filter(|c| !matches!(c, std::path::Component::CurDir))
                    .collect()
            })
            .collect();
        Ok(Project {
            root,
            config_path,
            config,
            origin,
            now_ms,
            params,
            smart,
            budget,
            data_paths,
            data: OnceLock::new(),
        })
    }

    /// No configuration: the builtin data model and the demo account.
    pub fn builtin() -> Project {
        Project::from_config(
            PathBuf::from("."),
            None,
            Config::default(),
            "(no j1ql.toml)".into(),
        )
        .expect("the default configuration is valid")
    }

    /// Overrides from the command line: parameters (merged over `[params]`), the clock,
    /// smart classes and fixture paths (which replace `data`).
    pub fn with_overrides(
        mut self,
        params: BTreeMap<String, serde_json::Value>,
        now_ms: Option<i64>,
        smart_classes: &[(String, String)],
        data: Vec<PathBuf>,
    ) -> Project {
        self.params.extend(params);
        if let Some(now) = now_ms {
            self.now_ms = now;
        }
        for (name, definition) in smart_classes {
            self.smart.define(name.clone(), definition.clone());
        }
        if !data.is_empty() {
            self.config.data = data.clone();
            self.data_paths = data;
        }
        self.data = OnceLock::new();
        self
    }

    /// The work budget from the command line (`--budget N`): it wins over `J1QL_BUDGET` and
    /// `[run] budget`. `None` keeps the project's.
    pub fn with_budget(mut self, budget: Option<u64>) -> Project {
        if let Some(budget) = budget {
            self.budget = budget;
        }
        self
    }

    /// The work budget of one query: `--budget`, else `J1QL_BUDGET`, else `[run] budget`,
    /// else [`DEFAULT_MAX_WORK`].
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// Loader flags from the command line (`--strict`, `--global-mappings`), added to `[test]`.
    pub fn with_load_flags(mut self, strict: bool, global_mappings: bool) -> Project {
        self.config.test.strict |= strict;
        self.config.test.global_mappings |= global_mappings;
        self.data = OnceLock::new();
        self
    }

    /// `--include-deleted`: keep `_deleted: true` items (added to `include-deleted`).
    pub fn with_include_deleted(mut self, include_deleted: bool) -> Project {
        if include_deleted && !self.config.include_deleted {
            self.config.include_deleted = true;
            self.data = OnceLock::new();
        }
        self
    }

    /// The folder relative paths are read from (the `j1ql.toml`'s folder).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `j1ql.toml`, if there is one.
    pub fn config_path(&self) -> Option<&Path> {
        self.config_path.as_deref()
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where the settings come from (a path, or "(no j1ql.toml)").
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// "Now" for relative dates and for fixture items without timestamps.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// `[params]` (and command-line overrides) as JSON values.
    pub fn params(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.params
    }

    /// Default and configured smart classes.
    pub fn smart_classes(&self) -> &SmartClasses {
        &self.smart
    }

    /// The fixture paths of `data`, resolved against the root.
    pub fn data_paths(&self) -> &[PathBuf] {
        &self.data_paths
    }

    /// Whether the project names fixture data.
    pub fn has_data(&self) -> bool {
        !self.data_paths.is_empty()
    }

    /// The fixture data, loaded on first use; `Ok(None)` when the project names none.
    pub fn data(&self) -> Result<Option<&Data>, String> {
        if !self.has_data() {
            return Ok(None);
        }
        self.data
            .get_or_init(|| self.load_data())
            .as_ref()
            .map(Some)
            .map_err(Clone::clone)
    }

    fn load_data(&self) -> Result<Data, String> {
        let options = LoadOptions {
            strict: self.config.test.strict,
            global_mappings: self.config.test.global_mappings,
            timestamp_ms: Some(self.now_ms),
            ..LoadOptions::default()
        };
        let graph = j1ql_graph::load_paths(&self.data_paths, options)
            .map_err(|e| format!("{}: data: {e}", self.origin))?;
        // JupiterOne leaves `_deleted: true` items out unless asked (`include-deleted`).
        let graph = match self.config.include_deleted {
            true => graph,
            false => graph.without_deleted().unwrap_or(graph),
        };
        let facts = DataFacts::of(&graph);
        Ok(Data { graph, facts })
    }

    /// The graph queries run on: the data, or the demo account when the project names none.
    pub fn graph(&self) -> Result<&Graph, String> {
        match self.data()? {
            Some(d) => Ok(&d.graph),
            None => demo_graph(),
        }
    }

    /// Why the data cannot be used, if it cannot.
    pub fn data_problem(&self) -> Option<String> {
        self.data().err()
    }

    /// The data model: builtin, extended by the data when it loads.
    pub fn catalog(&self) -> &Catalog {
        match self.data() {
            Ok(Some(d)) => &d.facts.catalog,
            _ => Catalog::builtin(),
        }
    }

    /// Tags of the data (`None` without data: tag smart classes are not checked).
    pub fn known_tags(&self) -> Option<&BTreeSet<String>> {
        match self.data() {
            Ok(Some(d)) => Some(&d.facts.tags),
            _ => None,
        }
    }

    /// What the data holds (empty without data).
    pub fn observed(&self) -> Option<&Observations> {
        match self.data() {
            Ok(Some(d)) => Some(&d.facts.observed),
            _ => None,
        }
    }

    /// The analysis context: catalog, smart classes, known tags.
    pub fn context(&self) -> Context<'_> {
        Context {
            catalog: self.catalog(),
            smart_classes: &self.smart,
            known_tags: self.known_tags(),
        }
    }

    /// The analysis context over another graph's facts (`None`: the demo account, analysed
    /// with the builtin data model): the project's smart classes with that graph's catalog and
    /// tags. `j1ql serve` analyses each request over the graph its uploads built.
    pub fn context_over<'a>(&'a self, facts: Option<&'a DataFacts>) -> Context<'a> {
        Context {
            catalog: facts.map_or(Catalog::builtin(), |f| &f.catalog),
            smart_classes: &self.smart,
            known_tags: facts.map(|f| &f.tags),
        }
    }

    /// Evaluation settings: clock, parameters, smart classes, the work budget.
    pub fn eval_options(&self) -> EvalOptions {
        EvalOptions {
            values: ValueContext {
                now_ms: self.now_ms,
                params: self.params.clone(),
            },
            smart_classes: self.smart.clone(),
            budget: Budget {
                max_work: self.budget,
                ..Budget::default()
            },
            ..EvalOptions::default()
        }
    }

    /// `[lint]` for the file at `path`: alert paths are matched against the path relative to
    /// the root (and as given).
    pub fn lint_options(&self, path: &Path) -> LintOptions {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = absolute
            .strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf());
        let mut options = LintOptions::for_path(&self.config, &relative.to_string_lossy());
        options.alert |= LintOptions::for_path(&self.config, &path.to_string_lossy()).alert;
        options
    }

    /// `[format]`.
    pub fn format_options(&self) -> j1ql_config::FormatOptions {
        self.config.format
    }

    /// Whether parameters must have values: the project runs queries (it names `data` or
    /// `[params]`), so a parameter without a value would make running fail.
    pub fn checks_params(&self) -> bool {
        self.has_data() || !self.config.params.is_empty()
    }

    /// Whether a changed file at `path` is this project's config or data.
    pub fn depends_on(&self, path: &Path) -> bool {
        self.config_path.as_deref() == Some(path)
            || self.data_paths.iter().any(|d| path.starts_with(d))
    }
}

/// Every tag of the data: values of `tags` (a string or a list of strings). Public so that a
/// graph built outside the project (`j1ql serve` adds uploads) gets the same known tags.
pub fn tags(graph: &Graph) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in graph.entities() {
        if let Some(v) = e.property("tags") {
            match graph.value_to_json(v) {
                serde_json::Value::String(s) => {
                    out.insert(s);
                }
                serde_json::Value::Array(items) => {
                    out.extend(items.into_iter().filter_map(|i| match i {
                        serde_json::Value::String(s) => Some(s),
                        _ => None,
                    }));
                }
                _ => {}
            }
        }
    }
    out
}
