//! `--questions DIR`: questions kept as JupiterOne question YAML files (`questions: [{id,
//! title, description, tags, queries: [{name, query, version, resultsAre}], compliance,
//! variables, ...}]`, the form `j1ql test`, `check` and `fmt` read). Every `*.yaml` / `*.yml`
//! file of the folder is loaded at start; a question created through the API gets its own file
//! `ID.yaml`; a changed or deleted question's file is written again (atomically: a temporary
//! file renamed over it), in the server's form — comments and keys the API does not know (such
//! as `expect`) are not kept in a file the server writes. Files nobody changes are never
//! written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::questions::Question;

#[derive(Serialize, Deserialize)]
struct QuestionFile {
    questions: Vec<Question>,
}

#[derive(Serialize)]
struct QuestionFileRef<'a> {
    questions: &'a [&'a Question],
}

/// The file a new question with this id is kept in.
pub fn file_name(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{clean}.yaml")
}

/// Every question of the folder's YAML files (sorted by path), with its file. A question
/// without an `id` gets `FILE-STEM-N` (N: its 1-based position in the file).
pub fn load(dir: &Path) -> Result<Vec<(PathBuf, Question)>, String> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed: QuestionFile = serde_yaml::from_str(&text).map_err(|e| match e.location() {
            Some(at) => format!(
                "{}:{}:{}: not a question file: {e}",
                file.display(),
                at.line(),
                at.column()
            ),
            None => format!("{}: not a question file: {e}", file.display()),
        })?;
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("question")
            .to_string();
        for (i, mut question) in parsed.questions.into_iter().enumerate() {
            if question.id.is_empty() {
                question.id = async_graphql::ID(format!("{stem}-{}", i + 1));
            }
            out.push((file.clone(), question));
        }
    }
    Ok(out)
}

/// Writes `questions` to `file` atomically.
pub fn save(file: &Path, questions: &[&Question]) -> Result<(), String> {
    let text = serde_yaml::to_string(&QuestionFileRef { questions })
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("questions.yaml");
    let tmp = file.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, file).map_err(|e| format!("{}: {e}", file.display()))
}

/// Removes a question file that no longer holds any question.
pub fn remove(file: &Path) -> Result<(), String> {
    match std::fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}
