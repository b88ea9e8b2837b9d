//! The synchronization API: jobs, uploads, ownership on finalize, persistence.

mod common;

use common::{data_config, demo_config, device_data, run_json, Server};
use serde_json::{json, Value};

const JOBS: &str = "/persister/synchronization/jobs";

async fn start(server: &Server, body: Value) -> String {
    let (status, job) = server.post(JOBS, &body, &[]).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["job"]["status"], "AWAITING_UPLOADS");
    job["job"]["id"].as_str().unwrap().to_string()
}

async fn call(server: &Server, id: &str, route: &str, body: Value) -> (u16, Value) {
    server
        .post(&format!("{JOBS}/{id}/{route}"), &body, &[])
        .await
}

fn user(key: &str, email: &str) -> Value {
    json!({ "_key": key, "_type": "hr_user", "_class": "User", "email": email, "displayName": key })
}

async fn keys(server: &Server, query: &str) -> Vec<String> {
    let (_, rows, _) = server.all_pages(query).await;
    let mut keys: Vec<String> = rows
        .iter()
        .map(|r| r["entity"]["_key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn diff_replaces_what_the_scope_owns_and_leaves_other_scopes() {
    let data = device_data(3);
    let state = tempfile::tempdir().unwrap();
    let server = Server::start(data_config(
        vec![data.path().to_path_buf()],
        Some(state.path().to_path_buf()),
    ))
    .await;
    // Scope `a`: two users and a relationship.
    let a = start(
        &server,
        json!({ "source": "api", "scope": "a", "syncMode": "DIFF" }),
    )
    .await;
    let (status, _) = call(
        &server,
        &a,
        "entities",
        json!({ "entities": [user("u1", "one@x.io"), user("u2", "two@x.io")] }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, job) = call(&server, &a, "relationships", json!({ "relationships": [
        { "_key": "u1|has|u2", "_class": "HAS", "_type": "hr_user_has_user", "_fromEntityKey": "u1", "_toEntityKey": "u2" }
    ]})).await;
    assert_eq!(
        (status, job["job"]["numRelationshipsUploaded"].clone()),
        (200, json!(1))
    );
    let (status, job) = call(&server, &a, "finalize", json!({})).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["job"]["status"], "FINISHED");
    assert_eq!(job["job"]["numEntitiesCreated"], 2);
    // Scope `b`: one user.
    let b = start(&server, json!({ "source": "api", "scope": "b" })).await;
    call(
        &server,
        &b,
        "upload",
        json!({ "entities": [user("u9", "nine@x.io")] }),
    )
    .await;
    call(&server, &b, "finalize", json!({})).await;
    assert_eq!(keys(&server, "FIND hr_user").await, ["u1", "u2", "u9"]);
    // THAT without an arrow follows the relationship both ways.
    assert_eq!(
        keys(&server, "FIND hr_user THAT HAS hr_user").await,
        ["u1", "u2"]
    );
    assert_eq!(
        keys(&server, "FIND hr_user THAT HAS >> hr_user").await,
        ["u1"]
    );
    // The mapper ran over the uploads: each user IS a Person it created.
    assert_eq!(
        keys(&server, "FIND hr_user THAT IS Person").await,
        ["u1", "u2", "u9"]
    );
    // A second DIFF of `a` without u2: u2 and its relationship go; `b` and the files stay.
    let a2 = start(
        &server,
        json!({ "source": "api", "scope": "a", "syncMode": "DIFF" }),
    )
    .await;
    call(
        &server,
        &a2,
        "entities",
        json!({ "entities": [user("u1", "one@x.io")] }),
    )
    .await;
    let (_, job) = call(&server, &a2, "finalize", json!({})).await;
    assert_eq!(job["job"]["numEntitiesDeleted"], 1);
    assert_eq!(keys(&server, "FIND hr_user").await, ["u1", "u9"]);
    assert!(keys(&server, "FIND hr_user THAT HAS hr_user")
        .await
        .is_empty());
    assert_eq!(keys(&server, "FIND Device").await.len(), 3);
    // What a query answers equals `j1ql run --data DATA --data STATE/subgraphs`.
    let body = server.query_v1("FIND hr_user", json!({})).await;
    assert_eq!(
        body["data"]["queryV1"]["data"],
        run_json(&server, "FIND hr_user", &[state.path().join("subgraphs")])["data"]
    );
}

#[tokio::test]
async fn create_or_update_patch_and_deletes() {
    let server = Server::start(demo_config()).await;
    let id = start(
        &server,
        json!({ "source": "api", "scope": "m", "syncMode": "DIFF" }),
    )
    .await;
    call(
        &server,
        &id,
        "entities",
        json!({ "entities": [user("u1", "a@x.io"), user("u2", "b@x.io")] }),
    )
    .await;
    call(&server, &id, "finalize", json!({})).await;
    // CREATE_OR_UPDATE adds u3 and replaces u1; u2 stays.
    let id = start(
        &server,
        json!({ "source": "api", "scope": "m", "syncMode": "CREATE_OR_UPDATE" }),
    )
    .await;
    call(
        &server,
        &id,
        "entities",
        json!({ "entities": [user("u3", "c@x.io"), user("u1", "new@x.io")] }),
    )
    .await;
    let (_, job) = call(&server, &id, "finalize", json!({})).await;
    assert_eq!(
        (
            job["job"]["numEntitiesCreated"].clone(),
            job["job"]["numEntitiesUpdated"].clone()
        ),
        (json!(1), json!(1))
    );
    assert_eq!(keys(&server, "FIND hr_user").await, ["u1", "u2", "u3"]);
    assert_eq!(
        keys(&server, "FIND hr_user WITH email = 'new@x.io'").await,
        ["u1"]
    );
    // PATCH merges a property into u2 and keeps its others.
    let id = start(
        &server,
        json!({ "source": "api", "scope": "m", "syncMode": "PATCH" }),
    )
    .await;
    call(&server, &id, "entities", json!({ "entities": [{ "_key": "u2", "_type": "hr_user", "_class": "User", "title": "CTO" }] })).await;
    let (status, refused) = call(
        &server,
        &id,
        "relationships",
        json!({ "relationships": [
            { "_class": "HAS", "_fromEntityKey": "u1", "_toEntityKey": "u2" }
        ]}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("PATCH"));
    call(&server, &id, "finalize", json!({})).await;
    assert_eq!(
        keys(
            &server,
            "FIND hr_user WITH title = 'CTO' AND email = 'b@x.io'"
        )
        .await,
        ["u2"]
    );
    // deleteEntities by _id and by _key; an _id of another scope is not deleted.
    let snapshot = server.app.store.snapshot();
    let graph = &snapshot.graph;
    let u3 = graph
        .entity(graph.entity_by_key("api", "m", "u3").unwrap())
        .id_str()
        .to_string();
    let alice = graph
        .entity(graph.entities_with_key("okta-user-alice")[0].1)
        .id_str()
        .to_string();
    let id = start(
        &server,
        json!({ "source": "api", "scope": "m", "syncMode": "CREATE_OR_UPDATE" }),
    )
    .await;
    let (status, _) = call(
        &server,
        &id,
        "upload",
        json!({ "deleteEntities": [{ "_id": u3 }, { "_key": "u1" }, { "_id": alice }] }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, job) = call(&server, &id, "finalize", json!({})).await;
    assert_eq!(job["job"]["numEntitiesDeleted"], 2);
    assert_eq!(
        job["job"]["entityDeletesNotInScope"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(keys(&server, "FIND hr_user").await, ["u2"]);
    assert_eq!(
        keys(&server, "FIND okta_user WITH _key = 'okta-user-alice'")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn jobs_refuse_bad_input_clearly() {
    let server = Server::start(demo_config()).await;
    for (body, status, needle) in [
        (json!({ "source": "api" }), 400, "needs a `scope`"),
        (
            json!({ "source": "integration-external" }),
            400,
            "integrationInstanceId",
        ),
        (
            json!({ "source": "elsewhere", "scope": "x" }),
            400,
            "expected `api`",
        ),
        (
            json!({ "source": "api", "scope": "x", "syncMode": "MERGE" }),
            400,
            "syncMode",
        ),
        (json!([1, 2]), 400, "JSON object"),
        (
            json!({ "source": "integration-managed", "scope": "okta" }),
            400,
            "expected `api`",
        ),
    ] {
        let (code, answer) = server.post(JOBS, &body, &[]).await;
        assert_eq!(code, status, "{body}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{answer}"
        );
    }
    // The demo's `hr` subgraph belongs to the data files.
    let (code, answer) = server
        .post(JOBS, &json!({ "source": "api", "scope": "hr" }), &[])
        .await;
    assert_eq!(code, 409, "{answer}");
    // Unknown job ids.
    for route in ["entities", "relationships", "upload", "finalize", "abort"] {
        let (code, answer) = call(&server, "no-such-job", route, json!({})).await;
        assert_eq!(code, 404, "{route}: {answer}");
    }
    let (code, _) = server
        .get(&format!("{}{JOBS}/no-such-job", server.base))
        .await;
    assert_eq!(code, 404);
    // Bad items name their index.
    let id = start(
        &server,
        json!({ "source": "integration-external", "integrationInstanceId": "inst-1" }),
    )
    .await;
    let (code, answer) = call(
        &server,
        &id,
        "entities",
        json!({ "entities": [user("ok", "a@b"), { "_key": "k", "_class": "User" }] }),
    )
    .await;
    assert_eq!(code, 400);
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("entities[1]: entity has no `_type`"));
    let (code, answer) = call(
        &server,
        &id,
        "relationships",
        json!({ "relationships": [{ "_class": "HAS", "_fromEntityKey": "a" }] }),
    )
    .await;
    assert_eq!(code, 400);
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("_toEntityKey"));
    let (code, _) = call(&server, &id, "entities", json!({ "relationships": [] })).await;
    assert_eq!(code, 400);
    let response = server
        .client
        .post(format!("{}{JOBS}/{id}/entities", server.base))
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    // A refused batch changed nothing; abort, then nothing more is taken.
    let (_, status) = server.get(&format!("{}{JOBS}/{id}", server.base)).await;
    assert_eq!(status["job"]["numEntitiesUploaded"], 0);
    assert_eq!(status["job"]["scope"], "inst-1");
    let (code, job) = call(&server, &id, "abort", json!({})).await;
    assert_eq!(
        (code, job["job"]["status"].clone()),
        (200, json!("ABORTED"))
    );
    let (code, _) = call(&server, &id, "entities", json!({ "entities": [] })).await;
    assert_eq!(code, 409);
    let (code, _) = call(&server, &id, "finalize", json!({})).await;
    assert_eq!(code, 409);
}

#[tokio::test]
async fn concurrent_uploads_to_one_job_all_count() {
    let server = std::sync::Arc::new(Server::start(demo_config()).await);
    let id = start(&server, json!({ "source": "api", "scope": "many" })).await;
    let mut tasks = Vec::new();
    for batch in 0..20 {
        let server = server.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            let entities: Vec<Value> = (0..25)
                .map(|i| user(&format!("u-{batch:02}-{i:02}"), "x@y.z"))
                .collect();
            call(&server, &id, "entities", json!({ "entities": entities }))
                .await
                .0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let (_, job) = call(&server, &id, "finalize", json!({})).await;
    assert_eq!(job["job"]["numEntitiesUploaded"], 500);
    assert_eq!(job["job"]["numEntitiesInScope"], 500);
    let body = server
        .query_v1("FIND hr_user RETURN count(hr_user) AS n", json!({}))
        .await;
    assert_eq!(body["data"]["queryV1"]["data"][0]["n"], 500);
}

#[tokio::test]
async fn state_survives_a_restart_and_loads_with_run() {
    let state = tempfile::tempdir().unwrap();
    let data = device_data(2);
    let config = || {
        data_config(
            vec![data.path().to_path_buf()],
            Some(state.path().to_path_buf()),
        )
    };
    {
        let server = Server::start(config()).await;
        let id = start(&server, json!({ "source": "api", "scope": "kept" })).await;
        call(
            &server,
            &id,
            "entities",
            json!({ "entities": [user("k1", "k@x.io")] }),
        )
        .await;
        call(&server, &id, "relationships", json!({ "relationships": [
            { "_class": "USES", "_fromEntityKey": "k1", "_toEntityKey": "device-0000", "_toEntityScope": "devices" }
        ]})).await;
        let (_, job) = call(&server, &id, "finalize", json!({})).await;
        assert!(job["job"].get("skippedRelationships").is_none(), "{job}");
    }
    let server = Server::start(config()).await;
    assert_eq!(keys(&server, "FIND hr_user THAT USES Device").await, ["k1"]);
    // The state folder is fixture data: the loader gives the same graph.
    let graph = j1ql_graph::load_paths(
        &[data.path().to_path_buf(), state.path().join("subgraphs")],
        j1ql_graph::LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        graph.entity_count(),
        server.app.store.snapshot().graph.entity_count()
    );
    // A DIFF that uploads nothing empties the scope and removes its file.
    let id = start(&server, json!({ "source": "api", "scope": "kept" })).await;
    call(&server, &id, "finalize", json!({})).await;
    assert!(keys(&server, "FIND hr_user").await.is_empty());
    assert_eq!(
        std::fs::read_dir(state.path().join("subgraphs"))
            .unwrap()
            .count(),
        0
    );
}

#[tokio::test]
async fn unresolved_relationships_are_reported_on_the_job() {
    let server = Server::start(demo_config()).await;
    let id = start(&server, json!({ "source": "api", "scope": "r" })).await;
    call(&server, &id, "upload", json!({
        "entities": [user("r1", "r@x.io")],
        "relationships": [{ "_class": "HAS", "_fromEntityKey": "r1", "_toEntityKey": "missing" }]
    })).await;
    let (_, job) = call(&server, &id, "finalize", json!({})).await;
    let skipped = job["job"]["skippedRelationships"]
        .as_array()
        .expect("reported");
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].to_string().contains("missing"));
}

#[tokio::test]
async fn concurrent_jobs_on_several_scopes_all_land_while_queries_answer() {
    let server = std::sync::Arc::new(Server::start(demo_config()).await);
    let mut tasks = Vec::new();
    for scope in 0..5 {
        let uploader = server.clone();
        tasks.push(tokio::spawn(async move {
            let id = start(
                &uploader,
                json!({ "source": "api", "scope": format!("s{scope}") }),
            )
            .await;
            let entities: Vec<Value> = (0..10)
                .map(|i| user(&format!("s{scope}-u{i}"), "p@q.r"))
                .collect();
            call(&uploader, &id, "entities", json!({ "entities": entities })).await;
            let (status, job) = call(&uploader, &id, "finalize", json!({})).await;
            (status, job["job"]["status"].clone())
        }));
        let reader = server.clone();
        tasks.push(tokio::spawn(async move {
            let body = reader.query_v1("FIND Person", json!({})).await;
            let ok = body["errors"].is_null();
            (if ok { 200 } else { 500 }, json!("FINISHED"))
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), (200, json!("FINISHED")));
    }
    assert_eq!(keys(&server, "FIND hr_user").await.len(), 50);
    let (_, health) = server.get(&format!("{}/health", server.base)).await;
    assert_eq!(health["generation"], 5);
}
