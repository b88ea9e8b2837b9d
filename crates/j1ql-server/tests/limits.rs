//! Authentication, rate limits and size limits.

mod common;

use common::{demo_config, Server};
use serde_json::json;

const QUERY: &str = "{ queryV1(query: \"FIND Person\") { type } }";

#[tokio::test]
async fn token_and_account_are_checked() {
    let mut config = demo_config();
    config.token = Some("s3cret-token".into());
    config.account = Some("acct-1".into());
    let server = Server::start(config).await;
    let body = json!({ "query": QUERY });
    for headers in [
        vec![],
        vec![
            ("Authorization", "Bearer wrong"),
            ("JupiterOne-Account", "acct-1"),
        ],
        vec![("Authorization", "Bearer s3cret-token")],
        vec![
            ("Authorization", "Bearer s3cret-token"),
            ("JupiterOne-Account", "acct-2"),
        ],
        vec![
            ("Authorization", "s3cret-token"),
            ("JupiterOne-Account", "acct-1"),
        ],
    ] {
        let (status, answer) = server.post("/graphql", &body, &headers).await;
        assert_eq!(status, 401, "{headers:?}");
        assert_eq!(answer["error"], "Unauthorized");
    }
    for account in ["JupiterOne-Account", "LifeOmic-Account"] {
        let (status, answer) = server
            .post(
                "/graphql",
                &body,
                &[
                    ("Authorization", "Bearer s3cret-token"),
                    (account, "acct-1"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(answer["data"]["queryV1"]["type"], "list");
    }
    // The sync API is guarded too.
    let (status, _) = server
        .post(
            "/persister/synchronization/jobs",
            &json!({ "source": "api", "scope": "s" }),
            &[],
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn without_a_token_only_loopback_is_served() {
    let mut config = demo_config();
    config.listen = "0.0.0.0:0".parse().unwrap();
    let error = j1ql_server::build_app(config).err().expect("refused");
    assert!(error.contains("--token"), "{error}");
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_headers() {
    let mut config = demo_config();
    config.rate_limit = Some("3/min".parse().unwrap());
    let server = Server::start(config).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = server
            .client
            .post(format!("{}/graphql", server.base))
            .json(&json!({ "query": QUERY }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["ratelimit-limit"], "3");
        remaining.push(
            response.headers()["ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(response.headers()["ratelimit-remaining"], "0");
    assert!(response.headers().contains_key("ratelimit-reset"));
    // Another account has its own quota.
    let (status, _) = server
        .post(
            "/graphql",
            &json!({ "query": QUERY }),
            &[("JupiterOne-Account", "other")],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn oversized_bodies_and_queries_are_refused() {
    let mut config = demo_config();
    config.max_body_bytes = 10_000;
    config.max_query_bytes = 100;
    let server = Server::start(config).await;
    let big = "x".repeat(20_000);
    let response = server
        .client
        .post(format!("{}/graphql", server.base))
        .body(format!("{{\"query\": \"{big}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let response = server
        .client
        .post(format!("{}/persister/synchronization/jobs", server.base))
        .body(format!("{{\"scope\": \"{big}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let long_query = format!("FIND User WITH email = '{}'", "a".repeat(200));
    let (status, body) = server
        .post(
            "/graphql",
            &json!({ "query": "query Q($q: String!) { queryV1(query: $q) { type } }", "variables": { "q": long_query } }),
            &[],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_LARGE");
}
