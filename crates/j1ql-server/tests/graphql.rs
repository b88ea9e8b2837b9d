//! `POST /graphql`: queryV1 shapes, paging, deferral, errors, batches, questions.

mod common;

use common::{data_config, demo_config, device_data, run_json, Server};
use serde_json::{json, Value};

#[tokio::test]
async fn list_table_and_tree_answers_equal_run() {
    let server = Server::start(demo_config()).await;
    for (query, kind) in [
        ("FIND User WITH active = true", "list"),
        (
            "FIND User AS u THAT IS Person AS p RETURN u.email, p.displayName",
            "table",
        ),
        ("FIND User THAT IS Person RETURN TREE", "tree"),
        ("FIND Person RETURN count(Person) AS people", "table"),
    ] {
        let body = server.query_v1(query, json!({})).await;
        let answer = &body["data"]["queryV1"];
        let expected = run_json(&server, query, &[]);
        assert_eq!(answer["type"], kind, "{query}");
        assert_eq!(answer["type"], expected["type"], "{query}");
        assert_eq!(answer["data"], expected["data"], "{query}");
        assert!(answer["cursor"].is_null());
        assert!(answer["correlationId"].is_string());
    }
}

#[tokio::test]
async fn pages_of_250_joined_equal_run_and_the_last_cursor_is_null() {
    let data = device_data(620);
    let server = Server::start(data_config(vec![data.path().to_path_buf()], None)).await;
    let query = "FIND Device LIMIT 1000";
    let (kind, rows, pages) = server.all_pages(query).await;
    assert_eq!((kind.as_str(), rows.len(), pages), ("list", 620, 3));
    assert_eq!(Value::Array(rows), run_json(&server, query, &[])["data"]);
    let first = server.query_v1(query, json!({})).await;
    assert_eq!(first["data"]["queryV1"]["totalCount"], 620);
    assert_eq!(
        first["data"]["queryV1"]["data"].as_array().unwrap().len(),
        250
    );
    // Without a LIMIT the spec's default 250 bounds the answer, as in `j1ql run`.
    let (_, rows, pages) = server.all_pages("FIND Device").await;
    assert_eq!((rows.len(), pages), (250, 1));
    // A table pages the same way.
    let (kind, rows, _) = server
        .all_pages("FIND Device AS d RETURN d.serial LIMIT 300")
        .await;
    assert_eq!((kind.as_str(), rows.len()), ("table", 300));
}

#[tokio::test]
async fn variable_result_size_is_accepted_and_pages_stay_complete() {
    let data = device_data(300);
    let server = Server::start(data_config(vec![data.path().to_path_buf()], None)).await;
    let body = server
        .query_v1(
            "FIND Device LIMIT 300",
            json!({ "flags": { "variableResultSize": true } }),
        )
        .await;
    let answer = &body["data"]["queryV1"];
    assert_eq!(answer["data"].as_array().unwrap().len(), 250);
    let next = server
        .query_v1(
            "FIND Device LIMIT 300",
            json!({ "cursor": answer["cursor"], "flags": { "variableResultSize": true } }),
        )
        .await;
    assert_eq!(
        next["data"]["queryV1"]["data"].as_array().unwrap().len(),
        50
    );
    assert!(next["data"]["queryV1"]["cursor"].is_null());
}

#[tokio::test]
async fn bad_cursors_are_graphql_errors() {
    let data = device_data(300);
    let server = Server::start(data_config(vec![data.path().to_path_buf()], None)).await;
    let first = server.query_v1("FIND Device LIMIT 300", json!({})).await;
    let cursor = first["data"]["queryV1"]["cursor"].clone();
    let other = server
        .query_v1("FIND Device LIMIT 299", json!({ "cursor": cursor }))
        .await;
    let message = other["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("another query"), "{message}");
    let garbage = server
        .query_v1("FIND Device", json!({ "cursor": "not-a-cursor!" }))
        .await;
    assert_eq!(garbage["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn j1ql_errors_carry_line_and_column() {
    let server = Server::start(demo_config()).await;
    let body = server
        .query_v1("FIND User\n  WITH active =", json!({}))
        .await;
    assert!(body["data"].is_null());
    let error = &body["errors"][0];
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("Error parsing query at line 2, column"),
        "{message}"
    );
    assert_eq!(error["path"], json!(["queryV1"]));
    assert_eq!(error["extensions"]["code"], "J1QL_QUERY_ERROR");
    assert_eq!(error["extensions"]["j1qlErrors"][0]["line"], 2);
    // A semantic error (a property compared with itself across an unknown alias).
    let body = server
        .query_v1("FIND User AS u RETURN x.email", json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["j1qlErrors"][0]["line"], 1);
}

#[tokio::test]
async fn variables_fill_parameters() {
    let server = Server::start(demo_config()).await;
    let query = "FIND User WITH email = {{email}}";
    let body = server
        .query_v1(query, json!({ "variables": { "email": "alice@acme.com" } }))
        .await;
    let rows = body["data"]["queryV1"]["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{body}");
    assert!(rows
        .iter()
        .all(|r| r["properties"]["email"] == "alice@acme.com"));
    let body = server
        .query_v1(
            query,
            json!({ "variables": { "email": "nobody@acme.com" } }),
        )
        .await;
    assert_eq!(body["data"]["queryV1"]["totalCount"], 0, "{body}");
}

#[tokio::test]
async fn deferred_answers_are_polled_as_the_clients_do() {
    let data = device_data(300);
    let server = Server::start(data_config(vec![data.path().to_path_buf()], None)).await;
    let query = "FIND Device LIMIT 300";
    let body = server
        .query_v1(query, json!({ "deferredResponse": "FORCE" }))
        .await;
    let answer = &body["data"]["queryV1"];
    assert_eq!(answer["type"], "deferred");
    let url = answer["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&server.base), "{url}");
    let status = loop {
        let (code, status) = server.get(&url).await;
        assert_eq!(code, 200);
        if status["status"] != "IN_PROGRESS" {
            break status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(status["status"], "COMPLETED");
    assert_eq!(status["data"].as_array().unwrap().len(), 250);
    assert_eq!(status["totalCount"], 300);
    assert!(status["correlationId"].is_string());
    // The Node client fetches the result from the status document's url.
    let (code, result) = server.get(status["url"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    assert_eq!(result["data"], status["data"]);
    // The next page: its status document has no `cursor` key (the Python client stops).
    let body = server
        .query_v1(
            query,
            json!({ "deferredResponse": "FORCE", "cursor": status["cursor"] }),
        )
        .await;
    let url = body["data"]["queryV1"]["url"].as_str().unwrap().to_string();
    let last = loop {
        let (_, s) = server.get(&url).await;
        if s["status"] != "IN_PROGRESS" {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(last["data"].as_array().unwrap().len(), 50);
    assert!(last.get("cursor").is_none(), "{last}");
    // A failing query: FAILED with the error.
    let body = server
        .query_v1("FIND (", json!({ "deferredResponse": "FORCE" }))
        .await;
    let url = body["data"]["queryV1"]["url"].as_str().unwrap().to_string();
    let failed = loop {
        let (_, s) = server.get(&url).await;
        if s["status"] != "IN_PROGRESS" {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(failed["status"], "FAILED");
    assert!(failed["error"].as_str().unwrap().contains("line 1"));
    let (code, _) = server
        .get(&format!(
            "{}/deferred/00000000-0000-0000-0000-000000000000",
            server.base
        ))
        .await;
    assert_eq!(code, 404);
}

#[tokio::test]
async fn batches_get_an_array_of_answers() {
    let server = Server::start(demo_config()).await;
    let (status, body) = server
        .post(
            "/graphql",
            &json!([
                { "query": "{ queryV1(query: \"FIND Person\") { type totalCount } }" },
                { "query": "query Q($q: String!) { queryV1(query: $q) { type } }", "variables": { "q": "FIND (" } }
            ]),
            &[],
        )
        .await;
    assert_eq!(status, 200);
    let answers = body.as_array().expect("an array");
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["data"]["queryV1"]["type"], "list");
    assert!(
        answers[0]["data"]["queryV1"]["totalCount"]
            .as_i64()
            .unwrap()
            > 0
    );
    assert!(answers[1]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("line 1"));
}

#[tokio::test]
async fn malformed_requests_are_refused_clearly() {
    let server = Server::start(demo_config()).await;
    // Not JSON.
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not a GraphQL request"));
    // JSON, but not GraphQL.
    let (status, body) = server
        .post("/graphql", &json!({ "query": "{ queryV1(query: " }), &[])
        .await;
    assert_eq!(status, 200);
    assert!(body["errors"][0]["locations"].is_array(), "{body}");
    // A field that does not exist.
    let (_, body) = server
        .post("/graphql", &json!({ "query": "{ nope }" }), &[])
        .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("nope"));
    // The Python client's top-level `flags` key is ignored, not refused.
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": "{ queryV1(query: \"FIND Person\") { type } }", "flags": { "variableResultSize": true } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["queryV1"]["type"], "list");
    // CSV deferral is not emulated: said so.
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": "{ queryV1(query: \"FIND Person\", deferredResponse: FORCE, deferredFormat: CSV) { type } }" }),
            &[],
        )
        .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("CSV"));
    // Unknown routes.
    let (status, _) = server.post("/nowhere", &json!({}), &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn questions_round_trip() {
    let server = Server::start(demo_config()).await;
    let create = "mutation C($question: CreateQuestionInput!) { createQuestion(question: $question) { id title tags accountId queries { name query resultsAre } compliance { standard requirements } variables { name required default } } }";
    let mut ids = Vec::new();
    for i in 0..3 {
        let (_, body) = server
            .post(
                "/graphql",
                &json!({ "query": create, "variables": { "question": {
                    "title": format!("Question {i}"),
                    "tags": if i == 0 { json!(["security"]) } else { json!([]) },
                    "queries": [{ "name": "q", "query": "FIND User", "resultsAre": "INFORMATIVE" }],
                    "compliance": { "standard": "CIS", "requirements": ["1.1"] },
                    "variables": [{ "name": "email", "required": false, "default": "a@b.c" }]
                }}}),
                &[],
            )
            .await;
        let q = &body["data"]["createQuestion"];
        assert_eq!(q["title"], format!("Question {i}"), "{body}");
        assert_eq!(q["compliance"][0]["standard"], "CIS");
        assert_eq!(q["variables"][0]["default"], "a@b.c");
        assert_eq!(q["accountId"], j1ql_server::DEFAULT_ACCOUNT);
        ids.push(q["id"].as_str().unwrap().to_string());
    }
    let list = "query L($tags: [String], $searchQuery: String, $limit: Int, $cursor: String) { questions(tags: $tags, searchQuery: $searchQuery, limit: $limit, cursor: $cursor) { questions { id title } totalHits pageInfo { endCursor hasNextPage } } }";
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": list, "variables": { "limit": 2 } }),
            &[],
        )
        .await;
    let page = &body["data"]["questions"];
    assert_eq!(page["totalHits"], 3);
    assert_eq!(page["questions"].as_array().unwrap().len(), 2);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": list, "variables": { "limit": 2, "cursor": page["pageInfo"]["endCursor"] } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["questions"]["questions"][0]["id"], ids[2]);
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": list, "variables": { "tags": ["security"] } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["questions"]["totalHits"], 1);
    let update = "mutation U($id: ID!, $update: QuestionUpdate!) { updateQuestion(id: $id, update: $update) { id title tags } }";
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": update, "variables": { "id": ids[1], "update": { "title": "Renamed", "tags": ["x"] } } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["updateQuestion"]["title"], "Renamed");
    let get = "query G($id: ID!) { question(id: $id) { title tags queries { query } } }";
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": get, "variables": { "id": ids[1] } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["question"]["tags"], json!(["x"]));
    assert_eq!(body["data"]["question"]["queries"][0]["query"], "FIND User");
    let delete = "mutation D($id: ID!) { deleteQuestion(id: $id) { id } }";
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": delete, "variables": { "id": ids[1] } }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["deleteQuestion"]["id"], ids[1]);
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": get, "variables": { "id": ids[1] } }),
            &[],
        )
        .await;
    assert!(body["data"]["question"].is_null());
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": delete, "variables": { "id": ids[1] } }),
            &[],
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": create, "variables": { "question": { "title": "No queries", "queries": [] } } }),
            &[],
        )
        .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("at least one query"));
}

#[tokio::test]
async fn questions_are_kept_as_question_yaml_files() {
    let dir = tempfile::tempdir().unwrap();
    let suite = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/security-suite/questions.yaml"
    );
    std::fs::copy(suite, dir.path().join("suite.yaml")).unwrap();
    let config = || {
        let mut c = demo_config();
        c.questions_dir = Some(dir.path().to_path_buf());
        c
    };
    let list = "{ questions { totalHits questions { id title queries { name query } } } }";
    let server = Server::start(config()).await;
    let (_, body) = server
        .post("/graphql", &json!({ "query": list }), &[])
        .await;
    let loaded = body["data"]["questions"]["totalHits"].as_i64().unwrap();
    assert!(loaded >= 2, "{body}");
    assert_eq!(
        body["data"]["questions"]["questions"][0]["id"],
        "example-public-data"
    );
    // Create, update one loaded from the suite file, restart: both kept.
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": "mutation { createQuestion(question: { title: \"Kept\", queries: [{ query: \"FIND User\" }] }) { id } }" }),
            &[],
        )
        .await;
    let id = body["data"]["createQuestion"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(dir.path().join(format!("{id}.yaml")).exists());
    let (_, body) = server
        .post(
            "/graphql",
            &json!({ "query": "mutation { updateQuestion(id: \"example-public-hosts\", update: { title: \"Renamed hosts\" }) { title } }" }),
            &[],
        )
        .await;
    assert_eq!(body["data"]["updateQuestion"]["title"], "Renamed hosts");
    let server = Server::start(config()).await;
    let get = |id: &str| json!({ "query": format!("{{ question(id: \"{id}\") {{ title queries {{ query }} }} }}") });
    let (_, body) = server.post("/graphql", &get(&id), &[]).await;
    assert_eq!(body["data"]["question"]["title"], "Kept");
    let (_, body) = server
        .post("/graphql", &get("example-public-hosts"), &[])
        .await;
    assert_eq!(body["data"]["question"]["title"], "Renamed hosts");
    // The other question of that file is still in it.
    let (_, body) = server
        .post("/graphql", &get("example-public-data"), &[])
        .await;
    assert_eq!(
        body["data"]["question"]["queries"][1]["query"],
        "FIND DataStore WITH public = true AND classification = 'critical'"
    );
    // Deleting the created question removes its file.
    server
        .post(
            "/graphql",
            &json!({ "query": format!("mutation {{ deleteQuestion(id: \"{id}\") {{ id }} }}") }),
            &[],
        )
        .await;
    assert!(!dir.path().join(format!("{id}.yaml")).exists());
    // A file that is not a question file is refused with its place.
    std::fs::write(
        dir.path().join("bad.yaml"),
        "questions:\n  - title: [unclosed\n",
    )
    .unwrap();
    let error = j1ql_server::build_app(config()).err().expect("refused");
    assert!(error.contains("bad.yaml:"), "{error}");
}

#[tokio::test]
async fn the_projects_smart_classes_and_parameters_apply_as_in_run() {
    let make = || {
        let smart = [(
            "ProdBucket".to_string(),
            "_type = 'aws_s3_bucket' and tag.Production = true".to_string(),
        )];
        let params = [("owner".to_string(), json!("alice@acme.com"))].into();
        j1ql_project::Project::from_config(
            std::env::temp_dir(),
            None,
            Default::default(),
            "(test)".into(),
        )
        .unwrap()
        .with_overrides(params, None, &smart, vec![])
    };
    let server = Server::start(j1ql_server::ServeConfig::new(make())).await;
    let project = make();
    let graph = project.graph().unwrap();
    for query in ["FIND #ProdBucket", "FIND User WITH email = {{owner}}"] {
        let body = server.query_v1(query, json!({})).await;
        assert!(body["errors"].is_null(), "{query}: {body}");
        let expected =
            j1ql_eval::run_query(query, graph, &project.context(), &project.eval_options())
                .unwrap()
                .to_json();
        assert_eq!(body["data"]["queryV1"]["data"], expected["data"], "{query}");
        assert!(
            body["data"]["queryV1"]["totalCount"].as_i64().unwrap() > 0,
            "{query}"
        );
    }
    // The request's variables go over the project's parameters.
    let body = server
        .query_v1(
            "FIND User WITH email = {{owner}}",
            json!({ "variables": { "owner": "nobody@acme.com" } }),
        )
        .await;
    assert_eq!(body["data"]["queryV1"]["totalCount"], 0, "{body}");
}

/// Issue 18 (4): `_deleted: true` entities and relationships, and relationships touching a
/// deleted entity, are left out unless the query asks with `includeDeleted: true` (as on
/// JupiterOne); the synchronization API still sees them. A cursor of one is not a cursor of
/// the other.
#[tokio::test]
async fn deleted_items_are_left_out_unless_include_deleted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("account.json"),
        json!({
            "source": "api", "scope": "s",
            "entities": [
                {"_key": "alice", "_type": "okta_user", "_class": "User"},
                {"_key": "ghost", "_type": "okta_user", "_class": "User", "_deleted": true},
                {"_key": "laptop", "_type": "user_endpoint", "_class": "Device"},
                {"_key": "phone", "_type": "user_endpoint", "_class": "Device"}
            ],
            "relationships": [
                {"_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "laptop"},
                {"_class": "OWNS", "_fromEntityKey": "alice", "_toEntityKey": "phone", "_deleted": true},
                {"_class": "OWNS", "_fromEntityKey": "ghost", "_toEntityKey": "phone"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let server = Server::start(data_config(vec![dir.path().to_path_buf()], None)).await;
    let keys = |body: &Value| -> Vec<String> {
        let mut keys: Vec<String> = body["data"]["queryV1"]["data"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|e| e["entity"]["_key"].as_str().unwrap().to_string())
            .collect();
        keys.sort();
        keys
    };
    let live = server.query_v1("FIND User", json!({})).await;
    assert_eq!(keys(&live), ["alice"]);
    let not_asked = server
        .query_v1("FIND User", json!({"includeDeleted": false}))
        .await;
    assert_eq!(keys(&not_asked), ["alice"]);
    let all = server
        .query_v1("FIND User", json!({"includeDeleted": true}))
        .await;
    assert_eq!(keys(&all), ["alice", "ghost"]);
    let owned = server
        .query_v1("FIND Device THAT OWNS << User", json!({}))
        .await;
    assert_eq!(keys(&owned), ["laptop"]);
    let owned_all = server
        .query_v1(
            "FIND Device THAT OWNS << User",
            json!({"includeDeleted": true}),
        )
        .await;
    assert_eq!(keys(&owned_all), ["laptop", "phone"]);

    // The cursor carries includeDeleted: paging one answer with the other's cursor is refused.
    let hash_live = j1ql_server::query::query_hash("FIND User", &Default::default(), false);
    let hash_all = j1ql_server::query::query_hash("FIND User", &Default::default(), true);
    assert_ne!(hash_live, hash_all);
}
