//! Finding the host files of a project: every file whose format can hold J1QL
//! ([`crate::HostKind::of`]) under the given folders, honouring `.gitignore` (and `.ignore`)
//! files, hidden folders, and `include`/`exclude` of `j1ql.toml`. Symbolic links are not
//! followed into folders; a link to a file is taken only when its target is inside the
//! folder walked, and every real path is taken once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::{HostKind, Project};

/// Folders never searched (besides hidden ones and what `.gitignore` names).
pub const SKIPPED_FOLDERS: &[&str] = &["snapshots", "target", "node_modules"];

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// The host files, sorted by path.
    pub files: Vec<PathBuf>,
    /// What could not be read, or was left out and why (links out of the folder).
    pub problems: Vec<String>,
}

/// Whether `relative` (a path relative to the project root, `/`-separated) is selected by
/// `include`/`exclude`.
pub fn selected(project: &Project, relative: &str, is_dir: bool) -> bool {
    let config = project.config();
    let matches = |pattern: &String| {
        j1ql_config::glob_match(pattern, relative)
            || (is_dir && j1ql_config::glob_match(pattern, &format!("{relative}/")))
            || j1ql_config::glob_match(pattern.trim_end_matches('/'), relative)
    };
    if config.exclude.iter().any(matches) {
        return false;
    }
    is_dir || config.include.is_empty() || config.include.iter().any(matches)
}

/// Every host file under `dir`.
pub fn walk(dir: &Path, project: &Project) -> Found {
    let mut found = Found::default();
    let root_real = match dir.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            found
                .problems
                .push(format!("cannot read the folder `{}`: {e}", dir.display()));
            return found;
        }
    };
    let project_root = project
        .root()
        .canonicalize()
        .unwrap_or_else(|_| project.root().to_path_buf());
    let relative = |real: &Path| -> String {
        real.strip_prefix(&project_root)
            .unwrap_or(real)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && e.depth() > 0
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_FOLDERS.contains(&n)))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.problems.push(e.to_string());
                continue;
            }
        };
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() || HostKind::of(path).is_none() {
            continue;
        }
        let real = match path.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                found
                    .problems
                    .push(format!("cannot read `{}`: {e}", path.display()));
                continue;
            }
        };
        if file_type.is_symlink() {
            if !real.starts_with(&root_real) {
                found.problems.push(format!(
                    "`{}` is a link to `{}`, outside `{}`: not read",
                    path.display(),
                    real.display(),
                    dir.display()
                ));
                continue;
            }
            if !real.is_file() {
                continue;
            }
        }
        if !selected(project, &relative(&real), false) {
            continue;
        }
        if seen.insert(real) {
            found.files.push(path.to_path_buf());
        }
    }
    // Excluded folders: the walker has no view of the project root, so filter afterwards.
    found.files.retain(|f| {
        let real = f.canonicalize().unwrap_or_else(|_| f.clone());
        let rel = relative(&real);
        let mut prefix = String::new();
        for part in rel.split('/') {
            if !prefix.is_empty() {
                if !selected(project, &prefix, true) {
                    return false;
                }
                prefix.push('/');
            }
            prefix.push_str(part);
        }
        true
    });
    found
}
