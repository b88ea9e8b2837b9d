//! Reading the documents a command works on: files, folders of `*.j1ql` files, and stdin.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::output::CliError;

/// The name standard input goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// The extension of J1QL documents, looked for in folders.
pub const EXTENSION: &str = "j1ql";

/// One document: its display name and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown in messages: the path as given (folders joined with the file's relative path),
    /// or [`STDIN_NAME`].
    pub name: String,
    pub text: String,
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

/// Expands the arguments of `check`: files as given, folders into their `*.j1ql` files
/// (recursively, sorted by path), `-` into stdin. Returns the documents that could be read and
/// a message for each argument that could not.
pub fn collect_documents(paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<CliError>) {
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
            let mut found = Vec::new();
            if let Err(e) = walk(path, &mut found) {
                errors.push(e);
                continue;
            }
            if found.is_empty() {
                errors.push(CliError::msg(format!(
                    "no `*.{EXTENSION}` files in the folder `{}`",
                    path.display()
                )));
            }
            found.sort();
            for file in found {
                match read_file(&file) {
                    Ok(f) => files.push(f),
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

/// Collects the `*.j1ql` files under `dir`. Symbolic links to folders are not followed (so a
/// link cycle cannot loop); links to files are.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let entries = fs::read_dir(dir)
        .map_err(|e| CliError::msg(format!("cannot read the folder `{}`: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| {
            CliError::msg(format!("cannot read the folder `{}`: {e}", dir.display()))
        })?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| CliError::msg(format!("cannot read `{}`: {e}", path.display())))?;
        if file_type.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == EXTENSION)
            && (file_type.is_file() || path.is_file())
        {
            out.push(path);
        }
    }
    Ok(())
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
