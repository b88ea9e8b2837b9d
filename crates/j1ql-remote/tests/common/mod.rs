//! A real `j1ql serve` (the server crate, in process) on a loopback port, on its own thread
//! and runtime so that a test can stop it while a client is paging.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use j1ql_project::{Project, RemoteSettings};
use j1ql_remote::{Client, Observer, RetryPolicy};
use j1ql_server::{build_app, ServeConfig};
use serde_json::{json, Value};

pub const TOKEN: &str = "test-token-0123456789";
pub const ACCOUNT: &str = "test-account";

/// A running server; dropping it (or [`Served::stop`]) stops it and every connection.
pub struct Served {
    pub url: String,
    stop: Arc<Mutex<Option<tokio::sync::oneshot::Sender<()>>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A project over `data` (none: the demo account), no `j1ql.toml`, the fixed clock.
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

/// Settings for a server that needs TOKEN and ACCOUNT.
pub fn guarded(data: Vec<PathBuf>) -> ServeConfig {
    let mut config = ServeConfig::new(project(data));
    config.token = Some(TOKEN.into());
    config.account = Some(ACCOUNT.into());
    config
}

impl Served {
    pub fn start(config: ServeConfig) -> Served {
        let app = build_app(config).expect("app");
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let router = j1ql_server::http::router(app);
                tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
                let _ = stop_rx.await;
            });
            // Dropping the runtime ends the listener and every open connection.
            runtime.shutdown_background();
        });
        let addr = addr_rx.recv().unwrap();
        Served {
            url: format!("http://{addr}/graphql"),
            stop: Arc::new(Mutex::new(Some(stop_tx))),
            thread: Some(thread),
        }
    }

    /// A handle that stops the server from anywhere (an observer, another thread).
    pub fn stopper(&self) -> impl Fn() + Send + Sync + 'static {
        let stop = self.stop.clone();
        move || {
            if let Some(tx) = stop.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    }

    pub fn stop(&mut self) {
        (self.stopper())();
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }

    /// A client with the right key and account and quick retries.
    pub fn client(&self) -> Client {
        self.client_with(TOKEN, ACCOUNT, quick_policy(), None)
    }

    pub fn client_with(
        &self,
        key: &str,
        account: &str,
        policy: RetryPolicy,
        observer: Option<Observer>,
    ) -> Client {
        let settings = RemoteSettings::new(self.url.clone(), account.into(), key.into());
        let client = Client::new(settings, policy).unwrap();
        match observer {
            Some(o) => client.with_observer(o),
            None => client,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Retries without long waits (the policy's shape, test-sized delays).
pub fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: std::time::Duration::from_millis(20),
        max_delay: std::time::Duration::from_secs(3),
        connect_timeout: std::time::Duration::from_secs(2),
        request_timeout: std::time::Duration::from_secs(30),
        poll_interval: std::time::Duration::from_millis(20),
        max_poll_interval: std::time::Duration::from_millis(100),
        deferred_timeout: std::time::Duration::from_secs(60),
    }
}

/// What `j1ql run --format json` prints for `query` over `data` (the run pipeline: the
/// project's graph, context and evaluation options).
pub fn run_json(data: Vec<PathBuf>, query: &str) -> Value {
    let project = project(data);
    let graph = project.graph().expect("graph");
    j1ql_eval::run_query(query, graph, &project.context(), &project.eval_options())
        .expect("query runs")
        .to_json()
}

/// A data folder with `n` devices, half of them linux, each owned by one of ten people
/// (`Person HAS Device`).
pub fn device_data(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let people: Vec<Value> = (0..10)
        .map(|i| {
            json!({ "_key": format!("person-{i}"), "_type": "employee", "_class": "Person",
                    "displayName": format!("Person {i}"), "email": format!("p{i}@example.com"),
                    "apiToken": format!("secret-{i}") })
        })
        .collect();
    let devices: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "_key": format!("device-{i:04}"), "_type": "user_endpoint",
                    "_class": "Device", "displayName": format!("Device {i}"), "serial": i,
                    "platform": if i % 2 == 0 { "linux" } else { "darwin" } })
        })
        .collect();
    let relationships: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "_class": "HAS", "_fromEntityKey": format!("person-{}", i % 10),
                    "_toEntityKey": format!("device-{i:04}") })
        })
        .collect();
    let entities = [people, devices].concat();
    let payload = json!({ "scope": "devices", "entities": entities,
                          "relationships": relationships });
    std::fs::write(dir.path().join("devices.json"), payload.to_string()).unwrap();
    dir
}
