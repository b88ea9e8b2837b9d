//! A real server on a loopback port, and a client for it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use j1ql_project::Project;
use j1ql_server::{build_app, ServeConfig};
use serde_json::{json, Value};

/// A running server.
pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub app: Arc<j1ql_server::app::App>,
}

/// A project over `data` (none: the demo account) with no `j1ql.toml`, clock fixed at the
/// demo's date.
pub fn project(data: Vec<PathBuf>) -> Project {
    Project::from_config(
        std::env::temp_dir(),
        None,
        Default::default(),
        "(test)".into(),
    )
    .unwrap()
    .with_overrides(Default::default(), None, &[], data)
}

/// Settings over the demo account.
pub fn demo_config() -> ServeConfig {
    ServeConfig::new(project(vec![]))
}

/// Settings over data files.
pub fn data_config(paths: Vec<PathBuf>, state_dir: Option<PathBuf>) -> ServeConfig {
    let mut config = ServeConfig::new(project(paths));
    config.state_dir = state_dir;
    config
}

impl Server {
    pub async fn start(config: ServeConfig) -> Server {
        let app = build_app(config).expect("app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = j1ql_server::http::router(app.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            app,
        }
    }

    /// POSTs a GraphQL body (with the given headers) and returns status and JSON.
    pub async fn post(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, url: &str) -> (u16, Value) {
        let response = self.client.get(url).send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// `queryV1` with the given extra arguments (GraphQL variables).
    pub async fn query_v1(&self, query: &str, extra: Value) -> Value {
        let mut variables = json!({ "query": query });
        if let Value::Object(m) = extra {
            variables.as_object_mut().unwrap().extend(m);
        }
        let doc = "query J1QL($query: String!, $variables: JSON, $cursor: String, \
            $flags: QueryV1Flags, $deferredResponse: DeferredResponseOption, \
            $includeDeleted: Boolean) { \
            queryV1(query: $query, variables: $variables, cursor: $cursor, flags: $flags, \
            deferredResponse: $deferredResponse, includeDeleted: $includeDeleted) { \
            type data cursor url totalCount correlationId } }";
        let (status, body) = self
            .post(
                "/graphql",
                &json!({ "query": doc, "variables": variables }),
                &[],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Every page of a query, joined.
    pub async fn all_pages(&self, query: &str) -> (String, Vec<Value>, usize) {
        let mut cursor = Value::Null;
        let mut rows = Vec::new();
        let mut pages = 0;
        loop {
            let body = self.query_v1(query, json!({ "cursor": cursor })).await;
            let answer = &body["data"]["queryV1"];
            assert!(body["errors"].is_null(), "{body}");
            pages += 1;
            rows.extend(answer["data"].as_array().unwrap().iter().cloned());
            cursor = answer["cursor"].clone();
            if cursor.is_null() {
                return (answer["type"].as_str().unwrap().to_string(), rows, pages);
            }
        }
    }
}

/// What `j1ql run` prints for a query over the server's data plus the given extra folders
/// (the `run` command's pipeline: a project over the data, its graph, context and evaluation
/// options). The graph is loaded by the project, independently of the server's store.
pub fn run_json(server: &Server, query: &str, extra: &[PathBuf]) -> Value {
    let mut data = server.app.config.project.data_paths().to_vec();
    data.extend(extra.iter().cloned());
    let project = project(data);
    let graph = project.graph().expect("graph");
    j1ql_eval::run_query(query, graph, &project.context(), &project.eval_options())
        .expect("query runs")
        .to_json()
}

/// A data folder with `n` devices (and a mapping rule: each device with an `ownerEmail`
/// gets a person).
pub fn device_data(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let entities: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "_key": format!("device-{i:04}"),
                "_type": "user_endpoint",
                "_class": "Device",
                "displayName": format!("Device {i}"),
                "serial": i,
            })
        })
        .collect();
    let payload = json!({ "scope": "devices", "entities": entities });
    std::fs::write(dir.path().join("devices.json"), payload.to_string()).unwrap();
    let rule = json!({ "mappingRules": [{
        "sourceFilter": { "_class": "User" },
        "targetFilterKeys": [["_class", "email"]],
        "propertyMappings": [
            { "targetProperty": "_class", "targetValue": "Person" },
            { "targetProperty": "email", "sourceProperty": "email" }
        ],
        "relationshipDirection": "FORWARD",
        "relationshipProperties": { "_class": "IS" }
    }]});
    std::fs::write(dir.path().join("rules.json"), rule.to_string()).unwrap();
    dir
}
