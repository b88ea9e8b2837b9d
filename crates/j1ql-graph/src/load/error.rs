//! Why a load failed ([`LoadError`]), as `file:line:column: message` where it can.

use std::fmt;

use super::SkippedRelationship;

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

/// serde_json's message without its " at line L column C" suffix.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
