//! The GraphQL schema (async-graphql): `queryV1` and the question operations, with the type
//! names JupiterOne's clients declare in their documents (`QueryV1Flags`,
//! `DeferredResponseOption`, `DeferredResponseFormat`, `JSON`, `CreateQuestionInput`,
//! `QuestionUpdate`, `ListQuestionsType`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use async_graphql::{
    Context, EmptySubscription, Enum, ErrorExtensions, InputObject, Json, Object, Schema,
    SimpleObject, ID,
};
use serde_json::Value;

use crate::app::{App, Caller};
use crate::query::{self, QueryError, QueryRequest};
use crate::questions::{
    CreateQuestionInput, ListQuestionsType, Question, QuestionConnection, QuestionUpdate,
};

/// The schema type.
pub type J1Schema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Builds the schema over the shared state.
pub fn schema(app: Arc<App>) -> J1Schema {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(app)
        .limit_depth(32)
        .limit_complexity(10_000)
        .finish()
}

/// `deferredResponse`: `FORCE` answers with a URL to poll; `DISABLED` answers inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum DeferredResponseOption {
    /// Always defer.
    Force,
    /// Never defer.
    Disabled,
}

/// `deferredFormat`: the deferred document's format (only JSON is served).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum DeferredResponseFormat {
    /// JSON.
    Json,
    /// CSV (refused: not emulated).
    Csv,
}

/// `flags` of `queryV1`.
#[derive(Debug, Clone, Default, InputObject)]
pub struct QueryV1Flags {
    /// Pages may hold fewer than 250 rows (they also end at a size in bytes).
    pub variable_result_size: Option<bool>,
}

/// `queryV1`'s answer.
#[derive(Debug, Clone, SimpleObject)]
pub struct QueryV1Response {
    /// `list`, `table`, `tree` or `deferred`.
    #[graphql(name = "type")]
    pub kind: String,
    /// The page's rows (a tree: `{vertices, edges}`); null when deferred.
    pub data: Option<Json<Value>>,
    /// The next page's cursor; null on the last page.
    pub cursor: Option<String>,
    /// The URL to poll, when deferred.
    pub url: Option<String>,
    /// Rows of the whole answer.
    pub total_count: Option<i64>,
    /// Identifies this answer in the server's log.
    pub correlation_id: Option<String>,
}

/// Queries.
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// Runs a J1QL query (see docs/serve.md for paging and deferral).
    #[allow(clippy::too_many_arguments)]
    async fn query_v1(
        &self,
        ctx: &Context<'_>,
        query: String,
        variables: Option<Json<Value>>,
        cursor: Option<String>,
        deferred_response: Option<DeferredResponseOption>,
        deferred_format: Option<DeferredResponseFormat>,
        flags: Option<QueryV1Flags>,
        include_deleted: Option<bool>,
        scope_filters: Option<Vec<Json<Value>>>,
        dry_run: Option<bool>,
    ) -> async_graphql::Result<QueryV1Response> {
        let _ = scope_filters;
        let app = ctx.data::<Arc<App>>()?.clone();
        let caller = ctx.data::<Caller>()?.clone();
        if query.len() > app.config.max_query_bytes {
            return Err(async_graphql::Error::new(format!(
                "The query is {} bytes; the limit is {} bytes",
                query.len(),
                app.config.max_query_bytes
            ))
            .extend_with(|_, e| e.set("code", "QUERY_TOO_LARGE")));
        }
        if deferred_format == Some(DeferredResponseFormat::Csv) {
            return Err(async_graphql::Error::new(
                "deferredFormat CSV is not emulated by j1ql serve; use JSON",
            )
            .extend_with(|_, e| e.set("code", "BAD_USER_INPUT")));
        }
        let params = match variables.map(|v| v.0) {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(map)) => map.into_iter().collect(),
            Some(_) => {
                return Err(
                    async_graphql::Error::new("`variables` must be a JSON object")
                        .extend_with(|_, e| e.set("code", "BAD_USER_INPUT")),
                )
            }
        };
        let request = QueryRequest {
            text: query,
            params,
            cursor,
            variable_result_size: flags.and_then(|f| f.variable_result_size) == Some(true),
            now_ms: app.now_ms(),
            include_deleted: include_deleted.unwrap_or(app.config.project.config().include_deleted),
        };
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let hash = request.hash();
        if dry_run == Some(true) {
            // Checked as a run would check it, not evaluated.
            let snapshot = app.store.snapshot();
            if let Err(e @ QueryError::Invalid(_)) =
                query::evaluate(&snapshot, &app.config.project, &request)
            {
                return Err(graphql_error(&e));
            }
            return Ok(QueryV1Response {
                kind: "list".into(),
                data: None,
                cursor: None,
                url: None,
                total_count: None,
                correlation_id: Some(correlation_id),
            });
        }
        if deferred_response == Some(DeferredResponseOption::Force) {
            let id = app.deferred.start(&correlation_id);
            let worker = app.clone();
            let id_for_worker = id.clone();
            tokio::task::spawn_blocking(move || {
                let started = Instant::now();
                let outcome =
                    query::execute(&worker.store.snapshot(), &worker.config.project, &request);
                log_query(&hash, &outcome, started, true);
                worker.deferred.finish(&id_for_worker, outcome);
            });
            return Ok(QueryV1Response {
                kind: "deferred".into(),
                data: None,
                cursor: None,
                url: Some(format!("{}/deferred/{id}", caller.base_url)),
                total_count: None,
                correlation_id: Some(correlation_id),
            });
        }
        let started = Instant::now();
        let outcome = tokio::task::spawn_blocking(move || {
            let outcome = query::execute(&app.store.snapshot(), &app.config.project, &request);
            log_query(&hash, &outcome, started, false);
            outcome
        })
        .await
        .map_err(|e| async_graphql::Error::new(format!("the query task failed: {e}")))?;
        match outcome {
            Ok(page) => Ok(QueryV1Response {
                kind: page.kind.into(),
                data: Some(Json(page.data)),
                cursor: page.cursor,
                url: None,
                total_count: Some(page.total_count as i64),
                correlation_id: Some(correlation_id),
            }),
            Err(e) => Err(graphql_error(&e)),
        }
    }

    /// Saved questions, a page at a time.
    #[allow(clippy::too_many_arguments)]
    async fn questions(
        &self,
        ctx: &Context<'_>,
        search_query: Option<String>,
        integration_definition_id: Option<String>,
        tags: Option<Vec<Option<String>>>,
        #[graphql(name = "type")] kind: Option<ListQuestionsType>,
        limit: Option<i32>,
        cursor: Option<String>,
        categories: Option<Vec<Option<String>>>,
    ) -> async_graphql::Result<QuestionConnection> {
        let _ = (integration_definition_id, kind, categories);
        let app = ctx.data::<Arc<App>>()?;
        let tags: Vec<String> = tags.unwrap_or_default().into_iter().flatten().collect();
        app.questions
            .list(
                search_query.as_deref(),
                &tags,
                limit.map(|n| n.max(1) as usize),
                cursor.as_deref(),
            )
            .map_err(bad_input)
    }

    /// One saved question (null when there is none with this id).
    async fn question(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Question>> {
        Ok(ctx.data::<Arc<App>>()?.questions.get(&id))
    }
}

/// Mutations.
pub struct MutationRoot;

#[Object]
impl MutationRoot {
    /// Saves a new question.
    async fn create_question(
        &self,
        ctx: &Context<'_>,
        question: CreateQuestionInput,
    ) -> async_graphql::Result<Question> {
        let app = ctx.data::<Arc<App>>()?;
        let caller = ctx.data::<Caller>()?;
        app.questions
            .create(question, &caller.account)
            .map_err(bad_input)
    }

    /// Changes a question.
    async fn update_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        update: QuestionUpdate,
    ) -> async_graphql::Result<Question> {
        let app = ctx.data::<Arc<App>>()?;
        app.questions
            .update(&id, update)
            .map_err(bad_input)?
            .ok_or_else(|| not_found(&id))
    }

    /// Deletes a question and returns it.
    async fn delete_question(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Question> {
        let app = ctx.data::<Arc<App>>()?;
        app.questions
            .delete(&id)
            .map_err(bad_input)?
            .ok_or_else(|| not_found(&id))
    }
}

fn bad_input(message: String) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", "BAD_USER_INPUT"))
}

fn not_found(id: &str) -> async_graphql::Error {
    async_graphql::Error::new(format!("Question with id `{id}` not found"))
        .extend_with(|_, e| e.set("code", "NOT_FOUND"))
}

/// A J1QL error as a GraphQL error: JupiterOne's message (with line and column), and in
/// `extensions` the code and every problem found.
fn graphql_error(error: &QueryError) -> async_graphql::Error {
    let problems = match error {
        QueryError::Invalid(p) => serde_json::to_value(p).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let code = error.code();
    async_graphql::Error::new(error.message()).extend_with(move |_, e| {
        e.set("code", code);
        if let Ok(v) = async_graphql::Value::from_json(problems.clone()) {
            if problems.is_array() {
                e.set("j1qlErrors", v);
            }
        }
    })
}

fn log_query(
    hash: &str,
    outcome: &Result<query::Page, QueryError>,
    started: Instant,
    deferred: bool,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(page) => tracing::info!(
            query_hash = hash,
            rows = page.rows,
            total = page.total_count,
            deferred,
            ms,
            "queryV1"
        ),
        Err(e) => {
            tracing::info!(query_hash = hash, error = %e.message(), deferred, ms, "queryV1 refused")
        }
    }
}
