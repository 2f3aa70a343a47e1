//! Limits and hardening: sizes, time limits, costly URLs, refusals outside the routes, redirects, HEAD, forwarded hosts.

use crate::common::{assert_problem, spawn_app, spawn_app_with};
use std::time::{Duration, Instant};
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
    let pool = api::render::Renderer::new(1);
    let error = pool
        .run(
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
    let svg = pool
        .run(
            api::render::SVG_COST,
            std::time::Instant::now() + Duration::from_secs(30),
            Box::new(|| Ok(b"<svg/>".to_vec())),
        )
        .await
        .unwrap();
    assert_eq!(svg, b"<svg/>");
    assert!(!started.load(std::sync::atomic::Ordering::SeqCst));
}

const ALL_VARIABLES: &str = "taux_chomage,taux_abstention,taux_participation,taux_blancs,taux_nuls,part_gauche,part_centre,part_droite,part_extreme_droite,revenu_median,taux_pauvrete,part_pensions,population,part_65_ans_et_plus,part_immigres,superficie,densite";

#[tokio::test]
async fn a_400_name_variables_list_is_refused_and_repeated_names_count_once() {
    let app = spawn_app().await;
    let names = vec!["densite"; 400].join(",");
    let started = Instant::now();
    let body = app
        .problem(
            &format!("/charts/correlations.svg?methode=spearman&variables={names}"),
            400,
        )
        .await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(body["parametre"], "variables");
    assert!(body["detail"].as_str().unwrap().contains("400 names"));
    // 17 names, the registry's size, pass; a repeated name counts once.
    let all = app
        .json(&format!("/correlations?variables={ALL_VARIABLES}"))
        .await;
    assert_eq!(all["variables"].as_array().unwrap().len(), 17);
    let twice = app
        .json("/correlations?variables=densite,taux_chomage,densite")
        .await;
    assert_eq!(
        twice["variables"],
        serde_json::json!(["densite", "taux_chomage"])
    );
    let chart = app
        .get("/charts/correlations.svg?variables=densite,densite,taux_chomage")
        .await;
    assert_eq!(chart.status(), 200);
}

#[tokio::test]
async fn past_the_time_limit_a_request_is_a_503_problem() {
    let app = spawn_app_with(|s| s.time_limit_ms = 1).await;
    let response = app
        .get("/charts/correlations.png?width=4000&height=4000")
        .await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 503).await;
}

/// Sends `request` and reads until the server closes the connection (or `wait` passes).
pub async fn raw_exchange(address: &str, request: &[u8], wait: Duration) -> (String, Duration) {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.unwrap();
    stream.write_all(request).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(wait, stream.read_to_end(&mut answer))
        .await
        .expect("the server kept the connection open")
        .unwrap();
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_slow_body_is_cut_at_the_limit_with_a_408_problem() {
    let app = spawn_app_with(|s| s.body_timeout_ms = 500).await;
    let request = b"POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"";
    let (answer, elapsed) = raw_exchange(&app.address, request, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("not received within 500 ms"), "{answer}");
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
}

#[tokio::test]
async fn refusals_outside_the_routes_are_problems() {
    let app = spawn_app().await;
    // Content negotiation: no acceptable encoding.
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .header("Accept-Encoding", "identity;q=0")
        .send()
        .await
        .unwrap();
    assert_problem(response, 406).await;
    // CORS preflight for a method the API does not allow.
    let response = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/departements", app.address),
        )
        .header("Origin", "https://example.org")
        .header("Access-Control-Request-Method", "DELETE")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!((400..500).contains(&status), "{status}");
    assert_problem(response, status).await;
    // Swagger UI's file service.
    app.problem("/swagger-ui/..%2f..", 404).await;
    app.problem("/swagger-ui/nothing-here.js", 404).await;
}

#[tokio::test]
async fn trailing_slashes_redirect_to_the_canonical_path() {
    let app = spawn_app().await;
    for (path, location) in [
        ("/departements/59/", "/departements/59"),
        ("/departements/?region=32", "/departements?region=32"),
        ("/charts/nuage.png/", "/charts/nuage.png"),
        ("/visualisations/", "/visualisations"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 308, "{path}");
        assert_eq!(response.headers()["location"], location, "{path}");
    }
    // Swagger UI keeps its slash.
    assert_eq!(app.get("/swagger-ui/").await.status(), 200);
}

#[tokio::test]
async fn a_png_suffix_and_format_png_agree_and_contradictions_are_400() {
    let app = spawn_app().await;
    let response = app.get("/charts/nuage.png?format=png").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let body = app.problem("/charts/nuage.png?format=svg", 400).await;
    assert_eq!(body["parametre"], "format");
}

#[tokio::test]
async fn head_announces_the_length_of_the_get_body() {
    let app = spawn_app().await;
    for path in ["/health", "/departements/59", "/charts/nuage.svg", "/"] {
        let get = app.get(path).await;
        assert_eq!(get.status(), 200, "{path}");
        let length = get.bytes().await.unwrap().len();
        let host = app.address.trim_start_matches("http://");
        let request = format!("HEAD {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (answer, _) =
            raw_exchange(&app.address, request.as_bytes(), Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let declared = answer
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("no content-length: {answer}"));
        assert_eq!(
            declared.trim().parse::<usize>().unwrap(),
            length,
            "{path}: {answer}"
        );
        assert!(answer.ends_with("\r\n\r\n"), "HEAD has no body: {answer}");
    }
}

async fn printed_origins(app: &crate::common::TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(format!("{}/visualisations", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn forwarded_hosts_are_ignored_unless_trusted() {
    let hostile = [
        ("Forwarded", "host=evil.example;proto=javascript"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "javascript"),
    ];
    let app = spawn_app().await;
    let own = app.address.clone();
    let page = printed_origins(&app, &hostile).await;
    assert!(
        page.contains(&format!("{own}/charts/")),
        "the connection's host is printed"
    );
    assert!(!page.contains("evil.example") && !page.contains("javascript:"));

    // Behind a trusted proxy: its host, but never a scheme other than http(s); shared caches
    // are told the page depends on those headers.
    let proxied = spawn_app_with(|s| s.trust_proxy = true).await;
    let response = proxied
        .client
        .get(format!("{}/visualisations", proxied.address))
        .send()
        .await
        .unwrap();
    let vary: Vec<String> = response
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("X-Forwarded-Host")),
        "{vary:?}"
    );
    let page = printed_origins(&proxied, &hostile[..1]).await;
    assert!(page.contains("http://evil.example/charts/"));
    assert!(!page.contains("javascript:"));

    // A fixed public URL wins over every header.
    let public = spawn_app_with(|s| s.public_url = Some("https://elexxion.example".into())).await;
    let page = printed_origins(&public, &hostile).await;
    assert!(page.contains("https://elexxion.example/charts/"));
    assert!(!page.contains("evil.example/"));
}

#[tokio::test]
async fn the_readme_title_example_is_percent_encoded_and_works() {
    let readme = include_str!("../../../README.md");
    let line = readme
        .lines()
        .find(|l| l.contains("nuage.png?width=1920"))
        .expect("the README's PNG example");
    assert!(
        line.is_ascii(),
        "a raw non-ASCII byte in a URL is refused by HTTP parsers: {line}"
    );
    let url = line.split('\'').nth(1).unwrap();
    let path = url.trim_start_matches("localhost:8080");
    let app = spawn_app().await;
    let response = app.get(path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
}

/// What the HTTP layer refuses before the application sees the request, as docs/api.md's
/// limits paragraph documents it.
#[tokio::test]
async fn refusals_before_the_application_are_the_documented_ones() {
    let app = spawn_app().await;
    let many: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
    let request = format!("GET /health HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    let (answer, _) = raw_exchange(&app.address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    let raw_byte = b"GET /charts/nuage.png?title=Ch\xc3\xb4mage HTTP/1.1\r\nHost: x\r\n\r\n";
    let (answer, _) = raw_exchange(&app.address, raw_byte, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    // The same title percent-encoded reaches the application.
    let response = app.get("/charts/nuage.svg?title=Ch%C3%B4mage").await;
    assert_eq!(response.status(), 200);
}
