//! The HTTP surface (axum): routes, authentication, rate limiting, size limits and request
//! logs. docs/serve.md lists every route.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{App, Caller};
use crate::graphql::{schema, J1Schema};
use crate::limits::RateLimiter;
use crate::sync::{JobError, UploadKind};

/// Everything a handler needs.
#[derive(Clone)]
pub struct Shared {
    app: Arc<App>,
    schema: J1Schema,
    limiter: Option<Arc<RateLimiter>>,
}

/// The router for `app` (tests drive it over a real socket too).
pub fn router(app: Arc<App>) -> Router {
    let shared = Shared {
        schema: schema(app.clone()),
        limiter: app.config.rate_limit.map(|r| Arc::new(RateLimiter::new(r))),
        app: app.clone(),
    };
    let jobs = "/persister/synchronization/jobs";
    let api = Router::new()
        .route("/graphql", post(graphql))
        .route(jobs, post(start_job))
        .route(&format!("{jobs}/{{id}}"), get(job_status))
        .route(&format!("{jobs}/{{id}}/entities"), post(upload_entities))
        .route(
            &format!("{jobs}/{{id}}/relationships"),
            post(upload_relationships),
        )
        .route(&format!("{jobs}/{{id}}/upload"), post(upload_combined))
        .route(&format!("{jobs}/{{id}}/finalize"), post(finalize_job))
        .route(&format!("{jobs}/{{id}}/abort"), post(abort_job))
        .layer(middleware::from_fn_with_state(shared.clone(), authenticate))
        .layer(middleware::from_fn_with_state(shared.clone(), rate_limit));
    Router::new()
        .merge(api)
        .route("/deferred/{id}", get(deferred_status))
        .route("/deferred/{id}/result", get(deferred_result))
        .route("/health", get(health))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(app.config.max_body_bytes))
        .layer(middleware::from_fn(log_request))
        .with_state(shared)
}

/// One log line per request: method, path, status, duration (`queryV1` adds its own line with
/// the query hash and rows).
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// The account a request names: `JupiterOne-Account`, else `LifeOmic-Account`.
fn account_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("jupiterone-account")
        .or_else(|| headers.get("lifeomic-account"))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

/// `Authorization: Bearer TOKEN` and the account header, checked against `--token` and
/// `--account`; 401 otherwise.
async fn authenticate(State(shared): State<Shared>, mut request: Request, next: Next) -> Response {
    let config = &shared.app.config;
    let headers = request.headers();
    if let Some(token) = &config.token {
        let given = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            });
        if given.map(str::trim) != Some(token.as_str()) {
            return unauthorized("a valid API token is required (Authorization: Bearer TOKEN)");
        }
    }
    let account = account_header(headers);
    if let Some(expected) = &config.account {
        if account != Some(expected.as_str()) {
            return unauthorized(
                "the JupiterOne-Account (or LifeOmic-Account) header must name this server's account",
            );
        }
    }
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| config.listen.to_string());
    let caller = Caller {
        account: account
            .map(str::to_string)
            .unwrap_or_else(|| shared.app.default_account.clone()),
        base_url: format!("http://{host}"),
    };
    request.extensions_mut().insert(caller);
    next.run(request).await
}

fn unauthorized(message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "error": "Unauthorized", "message": message })),
    )
        .into_response()
}

/// `--rate-limit`: per account (or per client address without one), with `RateLimit-*`
/// headers on every answer and 429 + `Retry-After` beyond the limit.
async fn rate_limit(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let Some(limiter) = &shared.limiter else {
        return next.run(request).await;
    };
    let key = account_header(request.headers())
        .map(str::to_string)
        .unwrap_or_else(|| "anonymous".into());
    let decision = limiter.check(&key);
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        let mut r = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({
                "error": "Too Many Requests",
                "message": format!("rate limit of {} requests per {} s exceeded; retry after {} s",
                    decision.limit, decision.period_secs, decision.retry_after_secs),
            })),
        )
            .into_response();
        r.headers_mut()
            .insert("retry-after", header(decision.retry_after_secs));
        r
    };
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", header(decision.limit as u64));
    headers.insert("ratelimit-remaining", header(decision.remaining as u64));
    headers.insert("ratelimit-reset", header(decision.reset_secs));
    response
}

fn header(n: u64) -> HeaderValue {
    HeaderValue::from(n)
}

/// `POST /graphql`: one operation or a batch (a JSON array, as Apollo's BatchHttpLink sends).
async fn graphql(
    State(shared): State<Shared>,
    axum::Extension(caller): axum::Extension<Caller>,
    body: Bytes,
) -> Response {
    let batch: async_graphql::BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "errors": [{
                    "message": format!("the body is not a GraphQL request: {e}"),
                    "extensions": { "code": "BAD_REQUEST" },
                }]})),
            )
                .into_response()
        }
    };
    let operations = match &batch {
        async_graphql::BatchRequest::Single(_) => 1,
        async_graphql::BatchRequest::Batch(rs) => rs.len(),
    };
    if operations > 1 {
        tracing::info!(operations, "batched graphql");
    }
    let batch = match batch {
        async_graphql::BatchRequest::Single(r) => {
            async_graphql::BatchRequest::Single(r.data(caller))
        }
        async_graphql::BatchRequest::Batch(rs) => async_graphql::BatchRequest::Batch(
            rs.into_iter().map(|r| r.data(caller.clone())).collect(),
        ),
    };
    let response = shared.schema.execute_batch(batch).await;
    Json(response).into_response()
}

fn parse_body(body: &Bytes) -> Result<Value, Response> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| {
        job_error(JobError {
            status: 400,
            message: format!("the body is not JSON: {e}"),
        })
    })
}

fn job_error(e: JobError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let code = match e.status {
        404 => "NOT_FOUND",
        409 => "CONFLICT",
        _ => "BAD_REQUEST",
    };
    (
        status,
        Json(json!({ "error": { "code": code, "message": e.message } })),
    )
        .into_response()
}

fn job_answer(result: Result<Value, JobError>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => job_error(e),
    }
}

async fn start_job(State(shared): State<Shared>, body: Bytes) -> Response {
    match parse_body(&body) {
        Ok(v) => job_answer(shared.app.jobs.start(&shared.app.store, &v)),
        Err(r) => r,
    }
}

async fn job_status(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    job_answer(shared.app.jobs.status(&id))
}

async fn upload(shared: Shared, id: String, kind: UploadKind, body: Bytes) -> Response {
    match parse_body(&body) {
        Ok(v) => job_answer(shared.app.jobs.upload(&id, kind, &v)),
        Err(r) => r,
    }
}

async fn upload_entities(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    upload(shared, id, UploadKind::Entities, body).await
}

async fn upload_relationships(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    upload(shared, id, UploadKind::Relationships, body).await
}

async fn upload_combined(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    upload(shared, id, UploadKind::Combined, body).await
}

async fn finalize_job(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    let app = shared.app.clone();
    match tokio::task::spawn_blocking(move || app.jobs.finalize(&app.store, &id)).await {
        Ok(result) => job_answer(result),
        Err(e) => job_error(JobError {
            status: 500,
            message: format!("finalize failed: {e}"),
        }),
    }
}

async fn abort_job(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    job_answer(shared.app.jobs.abort(&id))
}

async fn deferred_status(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| shared.app.config.listen.to_string());
    match shared.app.deferred.status(&id, &format!("http://{host}")) {
        Some(doc) => Json(doc).into_response(),
        None => not_found().await,
    }
}

async fn deferred_result(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    match shared.app.deferred.result(&id) {
        Some(doc) => Json(doc).into_response(),
        None => not_found().await,
    }
}

async fn health(State(shared): State<Shared>) -> Response {
    let snapshot = shared.app.store.snapshot();
    Json(json!({
        "status": "ok",
        "entities": snapshot.graph.entity_count(),
        "relationships": snapshot.graph.relationship_count(),
        "generation": snapshot.generation,
    }))
    .into_response()
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": { "code": "NOT_FOUND", "message": "no such route or resource (see docs/serve.md)" } })),
    )
        .into_response()
}
