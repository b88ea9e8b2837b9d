//! `queryV1` against a real `j1ql serve`: paging, deferred answers, errors, refusals,
//! rate limits, and a server that stops mid-answer.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{device_data, guarded, quick_policy, run_json, Served, ACCOUNT, TOKEN};
use j1ql_remote::{block_on, Event, QueryOptions, RemoteError};

#[test]
fn paging_over_620_rows_joins_every_page_like_run() {
    let data = device_data(620);
    let server = Served::start(guarded(vec![data.path().into()]));
    let client = server.client();
    let query = "FIND Device LIMIT 1000";
    let answer = block_on(client.query(query, &QueryOptions::default())).unwrap();
    assert_eq!(answer.pages, 3);
    assert!(!answer.truncated);
    assert_eq!(answer.data.as_array().unwrap().len(), 620);
    assert_eq!(answer.to_json(), run_json(vec![data.path().into()], query));
    // The evaluator's result type prints as `run` prints.
    assert_eq!(answer.to_result().unwrap().to_json(), answer.to_json());
}

#[test]
fn max_rows_stops_paging() {
    let data = device_data(620);
    let server = Served::start(guarded(vec![data.path().into()]));
    let client = server.client();
    let options = QueryOptions {
        max_rows: Some(300),
        ..Default::default()
    };
    let answer = block_on(client.query("FIND Device LIMIT 1000", &options)).unwrap();
    assert_eq!(answer.data.as_array().unwrap().len(), 300);
    assert_eq!(answer.pages, 2);
    assert!(answer.truncated);
    assert_eq!(client.requests(), 2, "no third page is fetched");
}

#[test]
fn deferred_answers_are_polled_and_equal_direct_ones() {
    let data = device_data(620);
    let server = Served::start(guarded(vec![data.path().into()]));
    let client = server.client();
    for query in [
        "FIND Device WITH platform = 'linux' LIMIT 500",
        "FIND Person AS p THAT HAS Device AS d RETURN p.email AS email, count(d) AS devices",
        "FIND Person WITH email = 'p1@example.com' THAT HAS Device RETURN TREE",
    ] {
        let deferred = QueryOptions {
            deferred: true,
            ..Default::default()
        };
        let answer = block_on(client.query(query, &deferred)).unwrap();
        let direct = block_on(client.query(query, &QueryOptions::default())).unwrap();
        assert_eq!(answer.to_json(), direct.to_json(), "{query}");
        assert_eq!(answer.to_json(), run_json(vec![data.path().into()], query));
    }
    let answer = block_on(client.query(
        "FIND Device LIMIT 600",
        &QueryOptions {
            deferred: true,
            ..Default::default()
        },
    ))
    .unwrap();
    assert_eq!(
        (answer.pages, answer.data.as_array().unwrap().len()),
        (3, 600)
    );
}

#[test]
fn parameters_travel_as_variables() {
    let data = device_data(20);
    let server = Served::start(guarded(vec![data.path().into()]));
    let mut options = QueryOptions::default();
    options
        .variables
        .insert("who".into(), "p3@example.com".into());
    let answer = block_on(
        server
            .client()
            .query("FIND Person WITH email = {{who}}", &options),
    )
    .unwrap();
    let rows = answer.data.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["properties"]["email"], "p3@example.com");
}

#[test]
fn j1ql_errors_keep_their_line_and_column() {
    let server = Served::start(guarded(vec![]));
    let e = block_on(
        server
            .client()
            .query("FIND User WITH active =", &QueryOptions::default()),
    )
    .unwrap_err();
    match &e {
        RemoteError::Query { message, code } => {
            assert!(message.contains("line 1, column"), "{message}");
            assert_eq!(code.as_deref(), Some("J1QL_QUERY_ERROR"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().starts_with("the query was refused: "));
}

#[test]
fn a_wrong_key_or_account_is_refused_by_name() {
    let server = Served::start(guarded(vec![]));
    for (key, account) in [("wrong-key", ACCOUNT), (TOKEN, "other-account")] {
        let client = server.client_with(key, account, quick_policy(), None);
        let e = block_on(client.query("FIND User", &QueryOptions::default())).unwrap_err();
        assert!(
            matches!(e, RemoteError::Refused { status: 401, .. }),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(
            text.starts_with("the API key or account was refused (401"),
            "{text}"
        );
        assert!(text.contains(account), "{text}");
        assert_eq!(client.requests(), 1, "a refusal is not retried");
    }
}

#[test]
fn rate_limited_requests_wait_for_retry_after_and_succeed() {
    let data = device_data(620);
    let mut config = guarded(vec![data.path().into()]);
    config.rate_limit = Some("1/s".parse().unwrap());
    let server = Served::start(config);
    let waits = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = waits.clone();
    let observer: j1ql_remote::Observer = Arc::new(move |e: &Event| {
        if let Event::Retry { reason, wait } = e {
            seen.lock().unwrap().push((reason.clone(), *wait));
        }
    });
    let client = server.client_with(TOKEN, ACCOUNT, quick_policy(), Some(observer));
    let query = "FIND Device LIMIT 1000";
    let answer = block_on(client.query(query, &QueryOptions::default())).unwrap();
    assert_eq!(answer.to_json(), run_json(vec![data.path().into()], query));
    let waits = waits.lock().unwrap();
    assert!(!waits.is_empty(), "three pages at 1/s must meet a 429");
    for (reason, wait) in waits.iter() {
        assert_eq!(reason, "429");
        // Retry-After is in whole seconds (at least 1): far above the 20 ms backoff.
        assert!(*wait >= std::time::Duration::from_secs(1), "{wait:?}");
    }
    assert_eq!(client.retries() as usize, waits.len());
}

#[test]
fn retries_run_out_with_the_last_status() {
    let mut config = guarded(vec![]);
    config.rate_limit = Some("1/min".parse().unwrap());
    let server = Served::start(config);
    let policy = j1ql_remote::RetryPolicy {
        max_attempts: 2,
        max_delay: std::time::Duration::from_millis(50),
        ..quick_policy()
    };
    let client = server.client_with(TOKEN, ACCOUNT, policy, None);
    block_on(client.query("FIND User", &QueryOptions::default())).unwrap();
    let e = block_on(client.query("FIND User", &QueryOptions::default())).unwrap_err();
    match &e {
        RemoteError::Unavailable { attempts, last, .. } => {
            assert_eq!((*attempts, last.as_str()), (2, "429"))
        }
        other => panic!("{other:?}"),
    }
    assert!(e
        .to_string()
        .contains("did not answer after 2 attempts: 429"));
}

#[test]
fn a_server_that_stops_mid_answer_is_an_interruption_not_an_answer() {
    let data = device_data(620);
    let server = Served::start(guarded(vec![data.path().into()]));
    let stop = server.stopper();
    let pages = Arc::new(AtomicUsize::new(0));
    let counter = pages.clone();
    let observer: j1ql_remote::Observer = Arc::new(move |e: &Event| {
        if let Event::Page { .. } = e {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                stop();
                // Let the server's runtime shut down before the next page is asked for.
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    });
    let client = server.client_with(TOKEN, ACCOUNT, quick_policy(), Some(observer));
    let e = block_on(client.query("FIND Device LIMIT 1000", &QueryOptions::default())).unwrap_err();
    match &e {
        RemoteError::Interrupted { pages, rows, cause } => {
            assert_eq!((*pages, *rows), (1, 250));
            assert!(
                matches!(**cause, RemoteError::Unavailable { attempts: 4, .. }),
                "{cause:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.starts_with("the answer is incomplete: page 2 failed after 1 page (250 rows)"),
        "{text}"
    );
    assert!(text.contains("nothing was output"), "{text}");
}

#[test]
fn no_server_at_all_says_it_could_not_connect() {
    let mut server = Served::start(guarded(vec![]));
    server.stop();
    let e = block_on(server.client().query("FIND User", &QueryOptions::default())).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("did not answer after 4 attempts: could not connect"),
        "{text}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", silent.local_addr().unwrap());
    let settings = j1ql_project::RemoteSettings::new(url, ACCOUNT.into(), TOKEN.into());
    let policy = j1ql_remote::RetryPolicy {
        max_attempts: 2,
        request_timeout: std::time::Duration::from_millis(300),
        ..quick_policy()
    };
    let client = j1ql_remote::Client::new(settings, policy).unwrap();
    let started = std::time::Instant::now();
    let e = block_on(client.query("FIND User", &QueryOptions::default())).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("did not answer after 2 attempts: timed out"),
        "{text}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    drop(silent);
}
