//! The workspace a document belongs to: the nearest `j1ql.toml` (found from the document
//! upward) and what it names — fixture data (`data = [...]`), `[params]`, `[smart-classes]`,
//! `now`, `[lint]`, `[format]`. Analysis, completion, hover and `j1ql.runQuery` all read it
//! from here, so a configured parameter or smart class is known everywhere at once. Editor
//! settings ([`Settings`]) are merged over the file, key by key; they also make a workspace of
//! their own for documents no `j1ql.toml` governs.
//!
//! The settings are turned into a context once, by `j1ql-project` ([`Project`]), as for every
//! other front-end: this module only merges the editor settings and keeps the project's views
//! (catalog, smart classes, tags, parameters) at hand for the features.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use j1ql_config::Config;
use j1ql_eval::EvalOptions;
use j1ql_graph::Graph;
use j1ql_lint::LintOptions;
use j1ql_project::Project;
use j1ql_semantics::catalog::{Catalog, Observations};
use j1ql_semantics::smart_classes::SmartClasses;
use j1ql_semantics::Context;

use crate::settings::Settings;

/// One workspace: a `j1ql.toml` and its data, or the defaults (builtin data model, demo
/// account) when no `j1ql.toml` governs the document.
pub struct Workspace {
    /// The folder of the `j1ql.toml` (`None`: no config).
    pub dir: Option<PathBuf>,
    /// The settings: the file with the editor settings merged over it (defaults when there is
    /// neither, or the file does not parse).
    pub config: Config,
    /// Whether editor settings are part of [`Workspace::config`].
    pub from_settings: bool,
    /// Why the config or its data could not be used (shown as a diagnostic).
    pub problem: Option<String>,
    /// The project: context, data, evaluation settings, and the views the features read
    /// (catalog, smart classes, tags, parameters), never copied here.
    pub project: Project,
}

/// A workspace and the lint settings of one file in it: what a document is analysed with.
pub struct Env {
    /// The workspace.
    pub workspace: Arc<Workspace>,
    /// `[lint]` for the file (alert paths resolved).
    pub lint: LintOptions,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("config", &self.workspace.dir)
            .field("problem", &self.workspace.problem)
            .finish_non_exhaustive()
    }
}

impl Env {
    /// No config: builtin data model, default lint settings (tests, benchmarks, untitled
    /// documents).
    pub fn builtin() -> Arc<Env> {
        Arc::new(Env {
            workspace: Arc::new(Workspace::builtin()),
            lint: LintOptions::default(),
        })
    }

    /// The environment of the file at `path` in `workspace`.
    pub fn for_file(workspace: Arc<Workspace>, path: Option<&Path>) -> Arc<Env> {
        let lint = match path {
            Some(p) => workspace.project.lint_options(p),
            None => LintOptions::new(&workspace.config),
        };
        Arc::new(Env { workspace, lint })
    }
}

/// The folder of the `j1ql.toml` governing the file at `path` (`None`: no config).
pub fn config_dir(path: Option<&Path>) -> Option<PathBuf> {
    let dir = path?.parent()?;
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .ancestors()
        .find(|d| d.join(j1ql_config::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

impl Workspace {
    /// No config.
    pub fn builtin() -> Workspace {
        let project = Project::builtin();
        Workspace {
            dir: None,
            config: Config::default(),
            from_settings: false,
            problem: None,
            project,
        }
    }

    /// Loads the workspace of the `j1ql.toml` in `dir` (or the defaults), with the editor
    /// `settings` merged over it. Never fails: a config or data problem is kept in
    /// [`Workspace::problem`]. Settings that do not fit are reported and left out (the file
    /// alone is used); a file that does not parse gives the defaults.
    pub fn load(dir: Option<&Path>, settings: &Settings) -> Workspace {
        let mut ws = Workspace::builtin();
        if dir.is_none() && settings.is_empty() {
            return ws;
        }
        ws.dir = dir.map(Path::to_path_buf);
        let file = dir.map(|d| d.join(j1ql_config::FILE_NAME));
        let mut base = toml::Table::new();
        if let Some(path) = &file {
            match Config::load(path) {
                Ok(c) => ws.config = c,
                Err(e) => {
                    ws.problem = Some(e.to_string());
                    return ws;
                }
            }
            // It parsed as a config, so it reads as a table.
            base = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| toml::from_str(&t).ok())
                .unwrap_or_default();
        }
        if let Some(problem) = &settings.problem {
            ws.problem = Some(problem.clone());
        } else if !settings.config.is_empty() {
            match Config::from_table(settings.over(base)) {
                Ok(c) => {
                    ws.config = c;
                    ws.from_settings = true;
                }
                Err(e) => ws.problem = Some(format!("editor settings (j1ql.config): {e}")),
            }
        }
        let root = match dir {
            Some(d) => d.to_path_buf(),
            None => std::env::current_dir().unwrap_or_default(),
        };
        let project = match Project::from_config(root, file, ws.config.clone(), ws.origin()) {
            Ok(p) => p,
            Err(e) => {
                ws.problem = Some(e.0);
                return ws;
            }
        };
        if let Some(problem) = project.data_problem() {
            ws.problem = Some(problem);
        }
        ws.project = project;
        ws
    }

    /// Where the settings come from: the `j1ql.toml`, the editor settings, or both.
    pub fn origin(&self) -> String {
        match (&self.dir, self.from_settings) {
            (Some(dir), false) => dir.join(j1ql_config::FILE_NAME).display().to_string(),
            (Some(dir), true) => format!(
                "{} + editor settings",
                dir.join(j1ql_config::FILE_NAME).display()
            ),
            (None, _) => "editor settings".into(),
        }
    }

    /// The fixture paths of `data = [...]`, absolute: relative to the `j1ql.toml` (paths of
    /// the editor settings arrive resolved against the workspace folder), or, without a file,
    /// to the server's working directory.
    pub fn data_paths(&self) -> Vec<PathBuf> {
        self.project.data_paths().to_vec()
    }

    /// Whether a changed file at `path` is this workspace's config or data.
    pub fn depends_on(&self, path: &Path) -> bool {
        self.dir
            .as_ref()
            .is_some_and(|dir| path == dir.join(j1ql_config::FILE_NAME))
            || self.data_paths().iter().any(|d| path.starts_with(d))
    }

    /// The analysis context: catalog, smart classes, known tags (the project's).
    pub fn context(&self) -> Context<'_> {
        self.project.context()
    }

    /// The data model, extended by what the data contains.
    pub fn catalog(&self) -> &Catalog {
        self.project.catalog()
    }

    /// Default and configured smart classes.
    pub fn smart(&self) -> &SmartClasses {
        self.project.smart_classes()
    }

    /// Tags seen in the data (`None` without data: tag smart classes are not checked).
    pub fn known_tags(&self) -> Option<&BTreeSet<String>> {
        self.project.known_tags()
    }

    /// `[params]` as JSON values.
    pub fn params(&self) -> &BTreeMap<String, serde_json::Value> {
        self.project.params()
    }

    /// What the data holds (types, their classes and properties), if there is data.
    pub fn observed(&self) -> Option<&Observations> {
        self.project.observed()
    }

    /// "Now" for relative dates when running queries.
    pub fn now_ms(&self) -> i64 {
        self.project.now_ms()
    }

    /// Whether parameters must be configured: the workspace runs queries (its `j1ql.toml` or
    /// the editor settings name `data` or `[params]`), so a parameter without a value would
    /// make `j1ql.runQuery` fail.
    pub fn checks_params(&self) -> bool {
        self.problem.is_none() && (!self.config.data.is_empty() || !self.config.params.is_empty())
    }

    /// The graph queries run on: the data, or the demo account.
    pub fn graph(&self) -> Result<&Graph, String> {
        self.project.graph()
    }

    /// Where queries run: the config file (and/or the editor settings), or `demo`.
    pub fn source(&self) -> String {
        match self.project.data() {
            Ok(Some(_)) => self.origin(),
            _ => "demo".into(),
        }
    }

    /// What queries run on, in words for the editor: "the demo account" or "the workspace
    /// data (`data/`)".
    pub fn data_description(&self) -> String {
        let source = self.source();
        if source == "demo" {
            "the demo account".to_string()
        } else {
            format!("the workspace data (`{source}`)")
        }
    }

    /// Evaluation settings: clock, parameters, smart classes.
    pub fn eval_options(&self) -> EvalOptions {
        self.project.eval_options()
    }

    /// Property names seen in the data on entities of class or type `name`, sorted.
    pub fn data_properties(&self, name: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let Some(observed) = self.observed() else {
            return out;
        };
        for (ty, seen) in &observed.entity_types {
            if ty == name || seen.classes.contains(name) {
                out.extend(
                    seen.properties
                        .iter()
                        .map(String::as_str)
                        .filter(|p| !p.starts_with('_')),
                );
            }
        }
        out
    }
}
