//! Reading the documents a command works on: files, folders (every host file the project's
//! discovery finds: J1QL, YAML, JSON, Markdown, Terraform), and stdin.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use j1ql_project::{HostKind, Projects};

use crate::output::CliError;

/// The name standard input goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// One document: its display name, its text and how to read J1QL out of it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown in messages: the path as given (folders joined with the file's relative path),
    /// or [`STDIN_NAME`].
    pub name: String,
    pub text: String,
    /// The file (`None`: standard input).
    pub path: Option<PathBuf>,
    /// Its host format: by extension for files found in folders; a file named on the command
    /// line with another extension, and standard input, are J1QL.
    pub kind: HostKind,
}

/// Whether a command-line argument names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads one document: a file, or stdin for `-`. A folder is an error.
pub fn read_document(path: &Path) -> Result<SourceFile, CliError> {
    if is_stdin(path) {
        return read_stdin();
    }
    if path.is_dir() {
        return Err(CliError::msg(format!(
            "`{}` is a folder: give a file, or `-` for standard input",
            path.display()
        )));
    }
    read_file(path)
}

/// Expands the arguments of `check`, `lint` and `fmt`: files as given, folders into their host
/// files (recursively, sorted by path; see `j1ql_project::files`), `-` into stdin. Returns the
/// documents that could be read and a message for each argument that could not.
pub fn collect_documents(
    paths: &[PathBuf],
    projects: &mut Projects,
) -> (Vec<SourceFile>, Vec<CliError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut stdin_read = false;
    for path in paths {
        if is_stdin(path) {
            if stdin_read {
                continue;
            }
            stdin_read = true;
            match read_stdin() {
                Ok(file) => files.push(file),
                Err(e) => errors.push(e),
            }
        } else if path.is_dir() {
            let project = match projects.for_path(Some(path)) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(CliError::msg(format!("invalid configuration: {e}")));
                    continue;
                }
            };
            let found = j1ql_project::files::walk(path, &project);
            errors.extend(found.problems.into_iter().map(CliError::msg));
            if found.files.is_empty() {
                errors.push(CliError::msg(format!(
                    "no J1QL, YAML, JSON, Markdown or Terraform files in the folder `{}`",
                    path.display()
                )));
            }
            for file in found.files {
                match read_file(&file) {
                    Ok(mut f) => {
                        f.kind = HostKind::of_named(&file);
                        files.push(f)
                    }
                    Err(e) => errors.push(e),
                }
            }
        } else {
            match read_file(path) {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            }
        }
    }
    (files, errors)
}

fn read_file(path: &Path) -> Result<SourceFile, CliError> {
    let bytes = fs::read(path).map_err(|e| {
        CliError::msg(format!(
            "cannot read `{}`: {}",
            path.display(),
            describe(&e)
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::msg(format!(
            "cannot read `{}`: not valid UTF-8 (at byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile {
        name: path.display().to_string(),
        text,
        path: Some(path.to_path_buf()),
        kind: HostKind::of_named(path),
    })
}

fn read_stdin() -> Result<SourceFile, CliError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::msg(format!("cannot read standard input: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::msg(format!(
            "cannot read standard input: not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile {
        name: STDIN_NAME.to_string(),
        text,
        path: None,
        kind: HostKind::J1ql,
    })
}

/// An I/O error in words, without Rust's `(os error 2)` suffix for the common cases.
pub fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
