//! Limits of the real server: body size, query length, chart size, slow clients.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{assert_problem, spawn_app, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn request_bodies_over_16_kib_are_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(16 * 1024);
    let body = format!(r#"{{"departement": "59", "modele": "{padding}"}}"#);
    let response = app
        .client
        .post(format!("{}/predict", app.address))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413).await;
    // Just under the limit is read (and refused for its content, not its size).
    let padding = "x".repeat(15 * 1024);
    let response = app
        .client
        .post(format!("{}/predict", app.address))
        .json(&serde_json::json!({"departement": "59", "modele": padding}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404).await;
}

#[tokio::test]
async fn query_strings_over_4_kib_are_414() {
    let app = spawn_app().await;
    let long = format!("/departements?q={}", "a".repeat(4100));
    let body = app.problem(&long, 414).await;
    assert!(body["detail"].as_str().unwrap().contains("4096"));
    // The longest legitimate query: a 200-character title in a 4-byte script, encoded.
    let title = "%F0%9F%97%B3".repeat(200);
    let response = app.get(&format!("/charts/nuage.svg?title={title}")).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn chart_sizes_outside_200_to_4000_pixels_are_400() {
    let app = spawn_app().await;
    for query in [
        "width=199",
        "width=4001",
        "height=0",
        "height=99999999999",
        "width=-5",
    ] {
        let body = app
            .problem(&format!("/charts/nuage.svg?{query}"), 400)
            .await;
        assert!(
            body["detail"].as_str().unwrap().contains("200..=4000"),
            "{query}"
        );
    }
    for query in ["width=200&height=200", "width=4000&height=4000"] {
        assert_eq!(
            app.get(&format!("/charts/nuage.svg?{query}"))
                .await
                .status(),
            200
        );
    }
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_headers_gets_408_and_is_disconnected() {
    let app = spawn_app_with(|s| s.request_timeout_ms = 1000).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the server kept the connection open")
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // An idle keep-alive connection is closed after the same time.
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the idle connection stayed open")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_render_past_its_deadline_is_a_503_and_never_starts() {
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = started.clone();
    let error = api::render::run(
        api::render::SVG_COST,
        std::time::Instant::now(),
        Box::new(move || {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(Vec::<u8>::new())
        }),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, api::error::ApiError::Unavailable(_)),
        "{error:?}"
    );
    // The pool still answers afterwards, and the late job was skipped, not run.
    let svg = api::render::run(
        api::render::SVG_COST,
        std::time::Instant::now() + Duration::from_secs(30),
        Box::new(|| Ok(b"<svg/>".to_vec())),
    )
    .await
    .unwrap();
    assert_eq!(svg, b"<svg/>");
    assert!(!started.load(std::sync::atomic::Ordering::SeqCst));
}
