//! Synchronization (bulk upload) jobs, as `/persister/synchronization/jobs` runs them: start a
//! job for a scope, upload entities and relationships (and deletions) in batches, finalize.
//!
//! Ownership (docs/graph.md): a job owns the subgraph `(source, scope)` — `api` and its
//! `scope`, or `integration-external` and its `integrationInstanceId`. Finalizing replaces
//! only that subgraph: `DIFF` makes it exactly what the job uploaded (what the scope no longer
//! uploads is deleted), `CREATE_OR_UPDATE` adds and replaces by `_key`, `PATCH` merges
//! properties into entities by `_key`. Other subgraphs are never touched, and the graph is
//! rebuilt, so the relationship mapper runs again.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::store::{Store, Subgraph};

/// How a job's uploads are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// The subgraph becomes exactly the upload.
    Diff,
    /// Uploaded items are added or replace the ones with their `_key`.
    CreateOrUpdate,
    /// Uploaded entities' properties are merged into the ones with their `_key`.
    Patch,
}

impl SyncMode {
    fn parse(text: &str) -> Option<SyncMode> {
        match text {
            "DIFF" => Some(SyncMode::Diff),
            "CREATE_OR_UPDATE" => Some(SyncMode::CreateOrUpdate),
            "PATCH" => Some(SyncMode::Patch),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            SyncMode::Diff => "DIFF",
            SyncMode::CreateOrUpdate => "CREATE_OR_UPDATE",
            SyncMode::Patch => "PATCH",
        }
    }
}

/// A refused request: HTTP status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    /// 400, 404 or 409.
    pub status: u16,
    /// What went wrong.
    pub message: String,
}

impl JobError {
    fn bad(message: impl Into<String>) -> JobError {
        JobError {
            status: 400,
            message: message.into(),
        }
    }
}

/// One job.
#[derive(Debug, Clone)]
struct Job {
    id: String,
    source: String,
    scope: String,
    integration_instance_id: Option<String>,
    mode: SyncMode,
    status: &'static str,
    start_ms: i64,
    end_ms: Option<i64>,
    entities: Map<String, Value>,
    relationships: Vec<Value>,
    delete_entities: Vec<Value>,
    uploaded_entities: usize,
    uploaded_relationships: usize,
    counts: Map<String, Value>,
    skipped_relationships: Vec<Value>,
    error: Option<String>,
}

impl Job {
    fn to_json(&self) -> Value {
        let mut job = json!({
            "id": self.id,
            "source": self.source,
            "scope": self.scope,
            "syncMode": self.mode.name(),
            "status": self.status,
            "done": matches!(self.status, "FINISHED" | "ABORTED" | "ERROR_BAD_DATA"),
            "startTimestamp": self.start_ms,
            "endTimestamp": self.end_ms,
            "numEntitiesUploaded": self.uploaded_entities,
            "numRelationshipsUploaded": self.uploaded_relationships,
            "numEntityDeletesUploaded": self.delete_entities.len(),
        });
        let map = job.as_object_mut().expect("object");
        if let Some(id) = &self.integration_instance_id {
            map.insert("integrationInstanceId".into(), id.clone().into());
        }
        for (k, v) in &self.counts {
            map.insert(k.clone(), v.clone());
        }
        if !self.skipped_relationships.is_empty() {
            map.insert(
                "skippedRelationships".into(),
                Value::Array(self.skipped_relationships.clone()),
            );
        }
        if let Some(e) = &self.error {
            map.insert("error".into(), e.clone().into());
        }
        json!({ "job": job })
    }
}

/// Every job of this server's life, by id.
#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<String, Job>>,
    /// One finalize at a time: each builds on the subgraphs the previous one left.
    finalizing: Mutex<()>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Jobs {
    /// `POST /persister/synchronization/jobs`.
    pub fn start(&self, store: &Store, body: &Value) -> Result<Value, JobError> {
        let body = body
            .as_object()
            .ok_or_else(|| JobError::bad("the body must be a JSON object"))?;
        let text = |k: &str| -> Result<Option<String>, JobError> {
            match body.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(JobError::bad(format!("`{k}` must be a non-empty string"))),
            }
        };
        let source = text("source")?.unwrap_or_else(|| "api".into());
        let mode = match text("syncMode")? {
            None => SyncMode::Diff,
            Some(m) => SyncMode::parse(&m).ok_or_else(|| {
                JobError::bad(format!(
                    "`syncMode` `{m}`: expected DIFF, CREATE_OR_UPDATE or PATCH"
                ))
            })?,
        };
        let instance = text("integrationInstanceId")?;
        let scope = match source.as_str() {
            "api" => text("scope")?
                .ok_or_else(|| JobError::bad("a job with source `api` needs a `scope`"))?,
            "integration-external" => instance.clone().ok_or_else(|| {
                JobError::bad(
                    "a job with source `integration-external` needs an `integrationInstanceId`",
                )
            })?,
            other => {
                return Err(JobError::bad(format!(
                    "`source` `{other}`: expected `api` or `integration-external`"
                )))
            }
        };
        if store.is_file_subgraph(&source, &scope) {
            return Err(JobError {
                status: 409,
                message: format!(
                    "the subgraph {source}:{scope} belongs to the loaded data files, which are read-only; use another scope"
                ),
            });
        }
        let job = Job {
            id: uuid::Uuid::new_v4().to_string(),
            source,
            scope,
            integration_instance_id: instance,
            mode,
            status: "AWAITING_UPLOADS",
            start_ms: now_ms(),
            end_ms: None,
            entities: Map::new(),
            relationships: Vec::new(),
            delete_entities: Vec::new(),
            uploaded_entities: 0,
            uploaded_relationships: 0,
            counts: Map::new(),
            skipped_relationships: Vec::new(),
            error: None,
        };
        let out = job.to_json();
        self.jobs
            .lock()
            .expect("jobs lock")
            .insert(job.id.clone(), job);
        Ok(out)
    }

    /// `GET /persister/synchronization/jobs/ID`.
    pub fn status(&self, id: &str) -> Result<Value, JobError> {
        let jobs = self.jobs.lock().expect("jobs lock");
        jobs.get(id).map(Job::to_json).ok_or_else(|| unknown(id))
    }

    /// `POST .../entities`, `.../relationships` and `.../upload`: `kind` names which keys the
    /// body may hold.
    pub fn upload(&self, id: &str, kind: UploadKind, body: &Value) -> Result<Value, JobError> {
        if !self.jobs.lock().expect("jobs lock").contains_key(id) {
            return Err(unknown(id));
        }
        let body = body
            .as_object()
            .ok_or_else(|| JobError::bad("the body must be a JSON object"))?;
        let allowed: &[&str] = match kind {
            UploadKind::Entities => &["entities"],
            UploadKind::Relationships => &["relationships"],
            UploadKind::Combined => &["entities", "relationships", "deleteEntities"],
        };
        if let Some(k) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(JobError::bad(format!(
                "unexpected key `{k}`: this route takes {}",
                allowed.join(", ")
            )));
        }
        let list = |k: &str| -> Result<&[Value], JobError> {
            match body.get(k) {
                None | Some(Value::Null) => Ok(&[]),
                Some(Value::Array(items)) => Ok(items),
                Some(_) => Err(JobError::bad(format!("`{k}` must be an array"))),
            }
        };
        let entities = list("entities")?;
        let relationships = list("relationships")?;
        let deletes = list("deleteEntities")?;
        if kind != UploadKind::Combined && body.get(allowed[0]).is_none() {
            return Err(JobError::bad(format!("the body needs `{}`", allowed[0])));
        }
        let entities: Vec<Value> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| owned_item(e, &format!("entities[{i}]"), check_entity))
            .collect::<Result<_, _>>()?;
        let relationships: Vec<Value> = relationships
            .iter()
            .enumerate()
            .map(|(i, r)| owned_item(r, &format!("relationships[{i}]"), check_relationship))
            .collect::<Result<_, _>>()?;
        for (i, d) in deletes.iter().enumerate() {
            if !(d["_id"].is_string() || d["_key"].is_string()) {
                return Err(JobError::bad(format!(
                    "deleteEntities[{i}]: expected an object with `_id` or `_key`"
                )));
            }
        }
        let mut jobs = self.jobs.lock().expect("jobs lock");
        let job = jobs.get_mut(id).ok_or_else(|| unknown(id))?;
        if job.status != "AWAITING_UPLOADS" {
            return Err(not_open(job));
        }
        if job.mode == SyncMode::Patch && !relationships.is_empty() {
            return Err(JobError::bad(
                "PATCH jobs cannot upload relationships (JupiterOne refuses them too); use DIFF or CREATE_OR_UPDATE",
            ));
        }
        job.uploaded_entities += entities.len();
        job.uploaded_relationships += relationships.len();
        for e in entities {
            let key = e["_key"].as_str().unwrap_or_default().to_string();
            match (job.mode, job.entities.get_mut(&key)) {
                (SyncMode::Patch, Some(Value::Object(old))) => {
                    if let Value::Object(new) = e {
                        old.extend(new);
                    }
                }
                _ => {
                    job.entities.insert(key, e);
                }
            }
        }
        job.relationships.extend(relationships);
        job.delete_entities.extend(deletes.iter().cloned());
        Ok(job.to_json())
    }

    /// `POST .../abort`.
    pub fn abort(&self, id: &str) -> Result<Value, JobError> {
        let mut jobs = self.jobs.lock().expect("jobs lock");
        let job = jobs.get_mut(id).ok_or_else(|| unknown(id))?;
        if job.status != "AWAITING_UPLOADS" {
            return Err(not_open(job));
        }
        job.status = "ABORTED";
        job.end_ms = Some(now_ms());
        job.entities.clear();
        job.relationships.clear();
        Ok(job.to_json())
    }

    /// `POST .../finalize`: applies the job to its subgraph and rebuilds the graph. Blocking
    /// (it loads the graph): call it off the async threads.
    pub fn finalize(&self, store: &Store, id: &str) -> Result<Value, JobError> {
        let _one_at_a_time = self.finalizing.lock().expect("finalize lock");
        let job = {
            let mut jobs = self.jobs.lock().expect("jobs lock");
            let job = jobs.get_mut(id).ok_or_else(|| unknown(id))?;
            if job.status != "AWAITING_UPLOADS" {
                return Err(not_open(job));
            }
            job.status = "FINALIZE_PENDING";
            job.clone()
        };
        let result = apply(store, &job);
        let mut jobs = self.jobs.lock().expect("jobs lock");
        let stored = jobs.get_mut(id).ok_or_else(|| unknown(id))?;
        stored.end_ms = Some(now_ms());
        stored.entities.clear();
        stored.relationships.clear();
        match result {
            Ok((counts, skipped)) => {
                stored.status = "FINISHED";
                stored.counts = counts;
                stored.skipped_relationships = skipped;
                Ok(stored.to_json())
            }
            Err(message) => {
                stored.status = "ERROR_BAD_DATA";
                stored.error = Some(message.clone());
                Err(JobError {
                    status: 400,
                    message,
                })
            }
        }
    }
}

/// Which upload route was called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// `/entities`.
    Entities,
    /// `/relationships`.
    Relationships,
    /// `/upload`.
    Combined,
}

type Counts = (Map<String, Value>, Vec<Value>);

/// The job's subgraph after finalizing, its counts, and the relationships not created.
fn apply(store: &Store, job: &Job) -> Result<Counts, String> {
    let current = store.subgraph(&job.source, &job.scope);
    let mut next = match job.mode {
        SyncMode::Diff => Subgraph::new(&job.source, &job.scope),
        SyncMode::CreateOrUpdate | SyncMode::Patch => (*current).clone(),
    };
    let (mut created, mut updated) = (0usize, 0usize);
    for (key, entity) in &job.entities {
        let existed = current.entities.contains_key(key);
        match (job.mode, next.entities.get_mut(key)) {
            (SyncMode::Patch, Some(Value::Object(old))) => {
                if let Value::Object(new) = entity {
                    old.extend(new.clone());
                }
            }
            _ => {
                next.entities.insert(key.clone(), entity.clone());
            }
        }
        if existed {
            updated += 1;
        } else {
            created += 1;
        }
    }
    for r in &job.relationships {
        next.insert_relationship(r.clone());
    }
    let snapshot = store.snapshot();
    let mut delete_refused = Vec::new();
    for d in &job.delete_entities {
        let key = match (d["_key"].as_str(), d["_id"].as_str()) {
            (Some(key), _) => Some(key.to_string()),
            (None, Some(id)) => snapshot.graph.entity_by_id(id).and_then(|e| {
                let e = snapshot.graph.entity(e);
                (e.source() == job.source && e.scope() == job.scope).then(|| e.key().to_string())
            }),
            _ => None,
        };
        match key {
            Some(key) if next.entities.shift_remove(&key).is_some() => {}
            _ => delete_refused.push(d.clone()),
        }
    }
    let deleted = current
        .entities
        .keys()
        .filter(|k| !next.entities.contains_key(*k))
        .count();
    let relationships_created = next
        .relationships
        .keys()
        .filter(|k| !current.relationships.contains_key(*k))
        .count();
    let relationships_after = next.relationships.len();
    let name = next.file_name();
    let snapshot = store.replace(next).map_err(|e| e.to_string())?;
    let file = format!("subgraphs/{name}");
    let skipped: Vec<Value> = snapshot
        .graph
        .report()
        .skipped_relationships
        .iter()
        .filter(|s| s.file == file)
        .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
        .collect();
    let mut counts = Map::new();
    counts.insert("numEntitiesCreated".into(), created.into());
    counts.insert("numEntitiesUpdated".into(), updated.into());
    counts.insert("numEntitiesDeleted".into(), deleted.into());
    counts.insert(
        "numRelationshipsCreated".into(),
        relationships_created.into(),
    );
    counts.insert("numRelationshipsInScope".into(), relationships_after.into());
    counts.insert(
        "numEntitiesInScope".into(),
        snapshot_entities(&snapshot, job).into(),
    );
    if !delete_refused.is_empty() {
        counts.insert(
            "entityDeletesNotInScope".into(),
            Value::Array(delete_refused),
        );
    }
    Ok((counts, skipped))
}

fn snapshot_entities(snapshot: &crate::store::Snapshot, job: &Job) -> usize {
    snapshot
        .graph
        .entities()
        .filter(|e| e.source() == job.source && e.scope() == job.scope)
        .count()
}

fn unknown(id: &str) -> JobError {
    JobError {
        status: 404,
        message: format!("no synchronization job with id `{id}`"),
    }
}

fn not_open(job: &Job) -> JobError {
    JobError {
        status: 409,
        message: format!(
            "job `{}` is {}: it no longer takes uploads, finalize or abort",
            job.id, job.status
        ),
    }
}

/// An uploaded item checked, without `_source` / `_scope` (the job owns them).
fn owned_item(
    item: &Value,
    name: &str,
    check: fn(&Map<String, Value>) -> Result<(), String>,
) -> Result<Value, JobError> {
    let Value::Object(map) = item else {
        return Err(JobError::bad(format!("{name}: expected an object")));
    };
    check(map).map_err(|m| JobError::bad(format!("{name}: {m}")))?;
    let mut map = map.clone();
    map.remove("_source");
    map.remove("_scope");
    Ok(Value::Object(map))
}

fn check_entity(e: &Map<String, Value>) -> Result<(), String> {
    for k in ["_key", "_type"] {
        match e.get(k) {
            Some(Value::String(s)) if !s.is_empty() => {}
            _ => return Err(format!("entity has no `{k}` (a non-empty string)")),
        }
    }
    match e.get("_class") {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Ok(())
        }
        _ => Err("entity has no `_class` (a string or a non-empty array of strings)".into()),
    }
}

fn check_relationship(r: &Map<String, Value>) -> Result<(), String> {
    if !r.get("_class").is_some_and(Value::is_string) {
        return Err("relationship has no `_class` (a string)".into());
    }
    let has = |a: &str, b: &str| {
        r.get(a).is_some_and(Value::is_string) || r.get(b).is_some_and(Value::is_string)
    };
    if !has("_fromEntityKey", "_fromEntityId") {
        return Err("relationship has no `_fromEntityKey` or `_fromEntityId`".into());
    }
    if !has("_toEntityKey", "_toEntityId") {
        return Err("relationship has no `_toEntityKey` or `_toEntityId`".into());
    }
    Ok(())
}
