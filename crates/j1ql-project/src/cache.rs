//! [`Projects`]: the project of each file of a command, each `j1ql.toml` read once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Project, ProjectError};

/// Projects by folder: a command over many files reads each `j1ql.toml` (and loads its data)
/// once.
#[derive(Default)]
pub struct Projects {
    by_dir: HashMap<PathBuf, Arc<Project>>,
    by_config: HashMap<Option<PathBuf>, Arc<Project>>,
}

impl Projects {
    /// The project governing the file (or folder) at `path`; `None` for standard input: the
    /// current folder's.
    pub fn for_path(&mut self, path: Option<&Path>) -> Result<Arc<Project>, ProjectError> {
        let dir = match path {
            Some(p) if p.is_dir() => p.to_path_buf(),
            Some(p) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            None => PathBuf::from("."),
        };
        if let Some(p) = self.by_dir.get(&dir) {
            return Ok(p.clone());
        }
        let found = Project::discover(&dir)?;
        let key = found.config_path().map(Path::to_path_buf);
        let project = match (&key, self.by_config.get(&key)) {
            (Some(_), Some(p)) => p.clone(),
            _ => {
                let p = Arc::new(found);
                self.by_config.insert(key, p.clone());
                p
            }
        };
        self.by_dir.insert(dir, project.clone());
        Ok(project)
    }
}
