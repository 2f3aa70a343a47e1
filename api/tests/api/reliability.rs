//! Reliability under hostile clients: bodies that never end, downloads nobody reads, redirects
//! off the server, caches fed the wrong encoding, costly work on the actix workers, content
//! negotiation by quality.

use crate::common::{assert_problem, spawn_app, spawn_app_with};
use crate::limits::raw_exchange;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn host(address: &str) -> &str {
    address.trim_start_matches("http://")
}

/// A chunked body that never ends is cut like a slow `Content-Length` one: 408 problem and
/// the connection closed, on a GET route, an unknown route and a POST route alike.
#[tokio::test]
async fn a_chunked_body_that_never_ends_is_cut_with_a_408_on_every_route() {
    let app = spawn_app_with(|s| s.body_timeout_ms = 500).await;
    for (method, path) in [
        ("GET", "/health"),
        ("GET", "/nothing-here"),
        ("POST", "/predict"),
    ] {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{\"\r\n"
        );
        let (answer, elapsed) =
            raw_exchange(&app.address, request.as_bytes(), Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(answer.contains("application/problem+json"), "{answer}");
        assert!(answer.contains("not received within 500 ms"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    }
    // The same with `Content-Length` on a GET route.
    let request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab";
    let (answer, _) = raw_exchange(&app.address, request, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

/// A complete chunked body is read and answered, and the connection serves the next request.
#[tokio::test]
async fn a_complete_chunked_body_is_answered_on_a_live_connection() {
    let app = spawn_app().await;
    let mut stream = TcpStream::connect(host(&app.address)).await.unwrap();
    let body = r#"{"departement": "59"}"#;
    let request = format!(
        "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(answer.matches("HTTP/1.1 200").count(), 2, "{answer}");
}

/// Chunks over the body limit are a 413 and the connection closes.
#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_413() {
    let app = spawn_app().await;
    let chunk = "x".repeat(8 * 1024);
    let mut request = String::from(
        "GET /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    for _ in 0..3 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    let (answer, _) = raw_exchange(&app.address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("16384"), "{answer}");
}

/// A client that asks for the database and reads nothing is disconnected after the write
/// deadline, and the server goes on serving.
#[tokio::test]
async fn a_download_nobody_reads_is_closed_after_the_write_deadline() {
    let app = spawn_app_with(|s| s.write_timeout_ms = 1000).await;
    let length = app
        .get("/donnees/elexxion.db")
        .await
        .bytes()
        .await
        .unwrap()
        .len();
    assert!(length > 1_000_000, "{length}");
    // A small receive window, so that the server's writes stall at once.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket
        .connect(host(&app.address).parse().unwrap())
        .await
        .unwrap();
    stream
        .write_all(b"GET /donnees/elexxion.db HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    // Now read: what the kernel held, then the end (reset or close), never the whole file.
    let mut received = 0usize;
    let mut buffer = vec![0u8; 64 * 1024];
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received += n,
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "the connection stayed open ({received} bytes read)"
    );
    assert!(
        received < length,
        "{received} bytes of {length}: the connection was not cut"
    );
    assert_eq!(app.get("/health").await.status(), 200);
}

/// The database is never compressed, so one strong tag names one body; lists vary on
/// `Accept-Encoding`, and a compressed body has its own tag.
#[tokio::test]
async fn compressed_bodies_vary_on_accept_encoding_and_have_their_own_tag() {
    let app = spawn_app().await;
    let get = |path: &'static str, encoding: &'static str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("Accept-Encoding", encoding)
            .send()
    };
    let gzip = get("/departements", "gzip").await.unwrap();
    let plain = get("/departements", "identity").await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert!(!plain.headers().contains_key("content-encoding"));
    for response in [&gzip, &plain] {
        let vary: Vec<&str> = response
            .headers()
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        let vary = vary.join(", ").to_ascii_lowercase();
        for name in ["accept-encoding", "accept", "origin"] {
            assert!(
                vary.split(',').any(|n| n.trim() == name),
                "{name} not in Vary: {vary}"
            );
        }
    }
    assert_ne!(gzip.headers()["etag"], plain.headers()["etag"]);
    // Revalidation works with each tag.
    let etag = gzip.headers()["etag"].clone();
    let again = app
        .client
        .get(format!("{}/departements", app.address))
        .header("Accept-Encoding", "gzip")
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let brotli = get("/donnees/elexxion.db", "br").await.unwrap();
    let identity = get("/donnees/elexxion.db", "identity").await.unwrap();
    assert!(!brotli.headers().contains_key("content-encoding"));
    assert_eq!(brotli.headers()["etag"], identity.headers()["etag"]);
    assert!(!brotli.headers()["etag"].to_str().unwrap().starts_with("W/"));
    let declared: usize = brotli.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let a = brotli.bytes().await.unwrap();
    assert_eq!(a.len(), declared);
    assert_eq!(a, identity.bytes().await.unwrap());
    assert_eq!(&a[..16], b"SQLite format 3\0");
}

/// The trailing-slash redirect only ever points to a path on this server.
#[tokio::test]
async fn the_trailing_slash_redirect_never_leaves_the_server() {
    let app = spawn_app().await;
    for path in [
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "///evil.example//",
    ] {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let (answer, _) =
            raw_exchange(&app.address, request.as_bytes(), Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 308"), "{path}: {answer}");
        let location = answer
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("location: ")
                    .map(str::to_owned)
            })
            .unwrap();
        assert_eq!(location, "/evil.example", "{path}");
    }
}

/// Building the GeoJSON is work for the rendering pool, bounded by the request's deadline
/// like a chart (on the actix worker, it ran to the end whatever the time limit).
#[tokio::test]
async fn the_geojson_is_built_off_the_workers_within_the_deadline() {
    let app = spawn_app_with(|s| s.time_limit_ms = 1).await;
    let response = app
        .client
        .get(format!("{}/departements.geojson", app.address))
        .header("Cache-Control", "no-cache")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers().contains_key("retry-after"),
        "{} {:?}",
        response.status(),
        response.headers()
    );
    assert_problem(response, 503).await;
    let app = spawn_app().await;
    let response = app.get("/departements.geojson").await;
    assert_eq!(response.status(), 200);
}

/// A spatial statistic costs by its permutations: 9999 of them are a costly job.
#[test]
fn spatial_jobs_cost_by_their_permutations() {
    use api::render::{CHEAP_COST, SVG_COST, spatial_cost};
    assert_eq!(spatial_cost(99), SVG_COST);
    assert!(spatial_cost(9999) > CHEAP_COST);
    assert!(spatial_cost(9999) >= 4 * spatial_cost(999));
    // The FDR raises the permutations to n / alpha: a constituency LISA with it is costly,
    // and its routes count it by the permutations drawn, not those asked.
    use api::views::spatial::Seuil;
    let fdr = Seuil {
        alpha: 0.05,
        fdr: true,
    };
    assert_eq!(fdr.permutations(999, 577), 11_540);
    assert!(spatial_cost(fdr.permutations(999, 577)) > CHEAP_COST);
    assert_eq!(Seuil::DEFAUT.permutations(999, 577), 999);
}

/// 5,000 pipelined GETs of a large answer on one connection are all answered (about 3,000
/// were, then the connection went quiet until the keep-alive time closed it).
#[tokio::test]
async fn every_pipelined_request_is_answered() {
    let app = spawn_app_with(|s| {
        s.request_timeout_ms = 1000;
        s.workers = None;
    })
    .await;
    let address = host(&app.address).to_owned();
    let n = 5000;
    let answered = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let writing = std::thread::spawn(move || {
            let one = b"GET /departements HTTP/1.1\r\nHost: localhost\r\n\r\n";
            writer.write_all(&one.repeat(n)).unwrap();
        });
        let status = b"HTTP/1.1 200";
        let mut answered = 0;
        let mut buffer = vec![0u8; 1 << 20];
        // The bytes that may start a status line cut by the end of a read.
        let mut carry: Vec<u8> = Vec::new();
        while answered < n {
            let read = match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            carry.extend_from_slice(&buffer[..read]);
            let mut last_end = 0;
            let mut i = 0;
            while i + status.len() <= carry.len() {
                if &carry[i..i + status.len()] == status {
                    answered += 1;
                    i += status.len();
                    last_end = i;
                } else {
                    i += 1;
                }
            }
            let keep_from = last_end.max(carry.len().saturating_sub(status.len() - 1));
            carry.drain(..keep_from);
        }
        writing.join().unwrap();
        answered
    })
    .await
    .unwrap();
    assert_eq!(answered, n);
}

#[tokio::test]
async fn put_on_the_home_page_is_a_405() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["allow"]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    assert_problem(response, 405).await;
}

#[tokio::test]
async fn accept_quality_values_choose_the_format() {
    let app = spawn_app().await;
    for (accept, csv) in [
        ("text/csv;q=0, application/json", false),
        ("text/csv", true),
        ("application/json;q=0.5, text/csv", true),
        ("text/csv;q=0.4, application/json;q=0.9", false),
    ] {
        let response = app
            .client
            .get(format!("{}/departements", app.address))
            .header("Accept", accept)
            .send()
            .await
            .unwrap();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            content_type.starts_with("text/csv"),
            csv,
            "{accept}: {content_type}"
        );
    }
}
