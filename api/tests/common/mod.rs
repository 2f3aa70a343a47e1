//! Starts the real server on port 0 over a temporary copy of the database.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use api::settings::Settings;
use api::startup::{Application, EMBEDDED_DUMP, load_state};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    /// The server's state: its data and its rendering pool (to count renders).
    pub state: api::state::AppState,
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
        write_timeout_ms: 30000,
        trust_proxy: false,
        public_url: None,
    };
    let mut settings = settings;
    configure(&mut settings);
    let state = load_state(&settings).unwrap();
    let app = Application::build(&settings, state.clone()).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        state,
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

pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

pub fn i(v: &Value) -> i64 {
    v.as_i64().unwrap()
}

pub fn pct(a: i64, b: i64) -> f64 {
    a as f64 / b as f64 * 100.0
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.00005 + 1e-9
}

/// Every rate of a round result is recomputable from the counts beside it.
pub fn check_round(t: &Value) {
    let (ins, abs, vot) = (i(&t["inscrits"]), i(&t["abstentions"]), i(&t["votants"]));
    let (bl, nu, ex) = (i(&t["blancs"]), i(&t["nuls"]), i(&t["exprimes"]));
    assert_eq!(ins, abs + vot);
    assert_eq!(vot, bl + nu + ex);
    assert!(close(f(&t["taux_abstention"]), pct(abs, ins)));
    assert!(close(f(&t["taux_participation"]), pct(vot, ins)));
    assert!(close(f(&t["taux_blancs"]), pct(bl, vot)));
    assert!(close(f(&t["taux_nuls"]), pct(nu, vot)));
    let candidats = t["candidats"].as_array().unwrap();
    assert_eq!(candidats.iter().map(|c| i(&c["voix"])).sum::<i64>(), ex);
    for c in candidats {
        assert!(close(f(&c["pct_voix_exprimes"]), pct(i(&c["voix"]), ex)));
        assert!(close(f(&c["pct_voix_inscrits"]), pct(i(&c["voix"]), ins)));
    }
    for fam in t["familles"].as_array().unwrap() {
        let voix: i64 = candidats
            .iter()
            .filter(|c| c["famille"] == fam["famille"])
            .map(|c| i(&c["voix"]))
            .sum();
        assert_eq!(i(&fam["voix"]), voix);
        assert!(close(f(&fam["part_exprimes"]), pct(voix, ex)));
    }
    let max = candidats.iter().map(|c| i(&c["voix"])).max().unwrap();
    assert_eq!(i(&t["gagnant"]["voix"]), max);
}
