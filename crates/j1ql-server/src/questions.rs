//! Saved questions (`questions`, `question`, `createQuestion`, `updateQuestion`,
//! `deleteQuestion`): enough of JupiterOne's question API for the clients' question functions
//! and question files to round-trip. The GraphQL type and argument names are the ones the
//! clients' documents declare. In memory, or kept in a folder of question YAML files
//! (`--questions DIR`, see [`crate::question_files`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use async_graphql::{Enum, InputObject, Json, SimpleObject, ID};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::question_files;

/// One query of a question.
#[derive(Debug, Clone, SimpleObject, InputObject, PartialEq, Serialize, Deserialize)]
#[graphql(input_name = "QuestionQueryInput")]
#[serde(rename_all = "camelCase")]
pub struct QuestionQuery {
    /// The query's name (unique in its question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The J1QL text.
    pub query: String,
    /// Query language version (`v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `INFORMATIVE`, `GOOD`, `BAD`, `UNKNOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_are: Option<String>,
}

/// A compliance mapping of a question.
#[derive(Debug, Clone, SimpleObject, InputObject, PartialEq, Serialize, Deserialize)]
#[graphql(input_name = "QuestionComplianceMetaDataInput")]
pub struct QuestionCompliance {
    /// The standard (`CIS AWS`).
    pub standard: String,
    /// Requirement ids.
    #[graphql(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Vec<String>>,
    /// Control ids.
    #[graphql(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<Vec<String>>,
}

/// A variable the question's queries use.
#[derive(Debug, Clone, SimpleObject, InputObject, PartialEq, Serialize, Deserialize)]
#[graphql(input_name = "QuestionVariableInput")]
pub struct QuestionVariable {
    /// Its name.
    pub name: String,
    /// Whether a value must be given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The value used when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Json<Value>>,
}

/// A saved question (also its form in a question YAML file; `accountId` is not stored).
#[derive(Debug, Clone, SimpleObject, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Its id.
    #[serde(default = "no_id")]
    pub id: ID,
    /// Id of the managed question it came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Title.
    pub title: String,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// When it last changed (RFC 3339).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_updated_timestamp: String,
    /// Its queries.
    pub queries: Vec<QuestionQuery>,
    /// Compliance mappings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance: Vec<QuestionCompliance>,
    /// Variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<QuestionVariable>,
    /// The account that owns it.
    #[serde(skip)]
    pub account_id: String,
    /// Integration definition it belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_definition_id: Option<String>,
    /// Whether the UI shows a trend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_trend: Option<bool>,
    /// How often it runs (`ONE_DAY`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling_interval: Option<String>,
}

fn no_id() -> ID {
    ID(String::new())
}

/// `createQuestion(question: CreateQuestionInput!)`.
#[derive(Debug, Clone, InputObject)]
pub struct CreateQuestionInput {
    /// Title.
    pub title: String,
    /// Short name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Queries (at least one).
    pub queries: Vec<QuestionQuery>,
    /// Compliance mappings.
    pub compliance: Option<Vec<QuestionCompliance>>,
    /// Variables.
    pub variables: Option<Vec<QuestionVariable>>,
    /// Trend display.
    pub show_trend: Option<bool>,
    /// Polling interval.
    pub polling_interval: Option<String>,
    /// Integration definition.
    pub integration_definition_id: Option<String>,
}

/// `updateQuestion(id: ID!, update: QuestionUpdate!)`: fields given replace the old ones.
#[derive(Debug, Clone, InputObject)]
pub struct QuestionUpdate {
    /// Title.
    pub title: Option<String>,
    /// Short name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Queries.
    pub queries: Option<Vec<QuestionQuery>>,
    /// Compliance mappings.
    pub compliance: Option<Vec<QuestionCompliance>>,
    /// Variables.
    pub variables: Option<Vec<QuestionVariable>>,
    /// Trend display.
    pub show_trend: Option<bool>,
    /// Polling interval.
    pub polling_interval: Option<String>,
    /// Integration definition.
    pub integration_definition_id: Option<String>,
}

/// `questions(type: ListQuestionsType)`: which questions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ListQuestionsType {
    /// Every question.
    All,
    /// Questions the account wrote.
    Custom,
    /// Managed (library) questions.
    Managed,
}

/// `questions(...)`'s answer.
#[derive(Debug, Clone, SimpleObject)]
pub struct QuestionConnection {
    /// This page's questions.
    pub questions: Vec<Question>,
    /// How many match in all.
    pub total_hits: i64,
    /// Paging.
    pub page_info: PageInfo,
}

/// Relay-style paging of `questions`.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// Cursor of the next page.
    pub end_cursor: Option<String>,
    /// Whether another page follows.
    pub has_next_page: bool,
}

/// Questions by id, in creation order, and the file each is kept in (with `--questions`).
#[derive(Default)]
pub struct Questions {
    inner: Mutex<Inner>,
    dir: Option<PathBuf>,
}

#[derive(Default)]
struct Inner {
    by_id: BTreeMap<String, (u64, Question)>,
    next: u64,
    files: BTreeMap<String, PathBuf>,
}

impl Inner {
    fn insert(&mut self, question: Question) {
        self.next += 1;
        self.by_id
            .insert(question.id.to_string(), (self.next, question));
    }

    /// Writes the file of question `id` again (every question that lives in it).
    fn save(&self, id: &str) -> Result<(), String> {
        let Some(file) = self.files.get(id) else {
            return Ok(());
        };
        let mut in_file: Vec<&(u64, Question)> = self
            .files
            .iter()
            .filter(|(_, f)| *f == file)
            .filter_map(|(id, _)| self.by_id.get(id))
            .collect();
        in_file.sort_by_key(|(n, _)| *n);
        let questions: Vec<&Question> = in_file.iter().map(|(_, q)| q).collect();
        question_files::save(file, &questions)
    }
}

/// Questions per page of `questions`.
pub const QUESTIONS_PAGE: usize = 100;

impl Questions {
    /// Questions kept in `dir`: every question of its `*.yaml` / `*.yml` files is loaded; new
    /// questions get a file of their own, changed ones are written back to theirs.
    pub fn in_folder(dir: PathBuf, account: &str) -> Result<Questions, String> {
        let mut inner = Inner::default();
        for (file, mut question) in question_files::load(&dir)? {
            question.account_id = account.to_string();
            let id = question.id.to_string();
            if inner.by_id.contains_key(&id) {
                return Err(format!(
                    "{}: question id `{id}` is used twice in {}",
                    file.display(),
                    dir.display()
                ));
            }
            inner.files.insert(id, file);
            inner.insert(question);
        }
        Ok(Questions {
            inner: Mutex::new(inner),
            dir: Some(dir),
        })
    }

    /// How many questions there are.
    pub fn len(&self) -> usize {
        self.inner.lock().expect("questions lock").by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Creates a question.
    pub fn create(&self, input: CreateQuestionInput, account: &str) -> Result<Question, String> {
        if input.title.trim().is_empty() {
            return Err("a question needs a title".into());
        }
        if input.queries.is_empty() {
            return Err("a question needs at least one query".into());
        }
        let question = Question {
            id: ID(uuid::Uuid::new_v4().to_string()),
            source_id: None,
            title: input.title,
            name: input.name,
            description: input.description,
            tags: input.tags.unwrap_or_default(),
            last_updated_timestamp: now_rfc3339(),
            queries: input.queries,
            compliance: input.compliance.unwrap_or_default(),
            variables: input.variables.unwrap_or_default(),
            account_id: account.to_string(),
            integration_definition_id: input.integration_definition_id,
            show_trend: input.show_trend,
            polling_interval: input.polling_interval,
        };
        let mut inner = self.inner.lock().expect("questions lock");
        let id = question.id.to_string();
        if let Some(dir) = &self.dir {
            inner
                .files
                .insert(id.clone(), dir.join(question_files::file_name(&id)));
        }
        inner.insert(question.clone());
        inner.save(&id)?;
        Ok(question)
    }

    /// One question.
    pub fn get(&self, id: &str) -> Option<Question> {
        self.inner
            .lock()
            .expect("questions lock")
            .by_id
            .get(id)
            .map(|(_, q)| q.clone())
    }

    /// Applies an update; `Ok(None)` when there is no such question.
    pub fn update(&self, id: &str, update: QuestionUpdate) -> Result<Option<Question>, String> {
        let mut inner = self.inner.lock().expect("questions lock");
        let Some((_, q)) = inner.by_id.get_mut(id) else {
            return Ok(None);
        };
        if let Some(v) = update.title {
            q.title = v;
        }
        if update.name.is_some() {
            q.name = update.name;
        }
        if update.description.is_some() {
            q.description = update.description;
        }
        if let Some(v) = update.tags {
            q.tags = v;
        }
        if let Some(v) = update.queries {
            q.queries = v;
        }
        if let Some(v) = update.compliance {
            q.compliance = v;
        }
        if let Some(v) = update.variables {
            q.variables = v;
        }
        if update.show_trend.is_some() {
            q.show_trend = update.show_trend;
        }
        if update.polling_interval.is_some() {
            q.polling_interval = update.polling_interval;
        }
        if update.integration_definition_id.is_some() {
            q.integration_definition_id = update.integration_definition_id;
        }
        q.last_updated_timestamp = now_rfc3339();
        let question = q.clone();
        inner.save(id)?;
        Ok(Some(question))
    }

    /// Deletes a question and returns it (`Ok(None)`: no such question).
    pub fn delete(&self, id: &str) -> Result<Option<Question>, String> {
        let mut inner = self.inner.lock().expect("questions lock");
        let Some((_, question)) = inner.by_id.remove(id) else {
            return Ok(None);
        };
        if let Some(file) = inner.files.get(id).cloned() {
            let others = inner.files.iter().any(|(o, f)| *f == file && o != id);
            if others {
                let other = inner
                    .files
                    .iter()
                    .find(|(o, f)| **f == file && *o != id)
                    .map(|(o, _)| o.clone())
                    .unwrap_or_default();
                inner.files.remove(id);
                inner.save(&other)?;
            } else {
                inner.files.remove(id);
                question_files::remove(&file)?;
            }
        }
        Ok(Some(question))
    }

    /// Questions matching a search text (title or description, any case) and all `tags`, in
    /// creation order, one page from `cursor`.
    pub fn list(
        &self,
        search: Option<&str>,
        tags: &[String],
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<QuestionConnection, String> {
        let inner = self.inner.lock().expect("questions lock");
        let all = &inner.by_id;
        let needle = search.map(str::to_lowercase);
        let mut matching: Vec<&(u64, Question)> = all
            .values()
            .filter(|(_, q)| {
                needle.as_ref().is_none_or(|n| {
                    q.title.to_lowercase().contains(n)
                        || q.description
                            .as_ref()
                            .is_some_and(|d| d.to_lowercase().contains(n))
                })
            })
            .filter(|(_, q)| tags.iter().all(|t| q.tags.contains(t)))
            .collect();
        matching.sort_by_key(|(n, _)| *n);
        let start = match cursor {
            Some(c) if !c.is_empty() => c
                .parse::<usize>()
                .map_err(|_| format!("invalid cursor `{c}`"))?,
            _ => 0,
        };
        let size = limit.unwrap_or(QUESTIONS_PAGE).clamp(1, QUESTIONS_PAGE);
        let page: Vec<Question> = matching
            .iter()
            .skip(start)
            .take(size)
            .map(|(_, q)| q.clone())
            .collect();
        let end = start + page.len();
        Ok(QuestionConnection {
            total_hits: matching.len() as i64,
            page_info: PageInfo {
                end_cursor: (end < matching.len()).then(|| end.to_string()),
                has_next_page: end < matching.len(),
            },
            questions: page,
        })
    }
}

fn now_rfc3339() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = j1ql_semantics::dates::civil_from_days(days);
    let (h, min, s, milli) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}
