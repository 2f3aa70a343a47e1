//! Starts the real server on port 0 over a temporary copy of the database.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use api::settings::Settings;
use api::startup::{Application, EMBEDDED_DUMP, load_state};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The server with some settings changed.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("elexxion.db");
    db::restore_from_dump(&database, EMBEDDED_DUMP).unwrap();
    let settings = Settings {
        host: "127.0.0.1".into(),
        port: 0,
        database_url: database.display().to_string(),
        dump: None,
        workers: Some(1),
        request_timeout_ms: 5000,
        body_timeout_ms: 5000,
        time_limit_ms: 10000,
        max_connections: 256,
        trust_proxy: false,
        public_url: None,
    };
    let mut settings = settings;
    configure(&mut settings);
    let state = load_state(&settings).unwrap();
    let app = Application::build(&settings, state).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap()
    }

    /// GET expecting 200 and JSON.
    pub async fn json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
        response.json().await.unwrap()
    }

    /// GET expecting an RFC 9457 problem with this status.
    pub async fn problem(&self, path: &str, status: u16) -> Value {
        let response = self.get(path).await;
        assert_problem(response, status).await
    }
}

pub async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "{}", response.url());
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], "about:blank");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}
