//! Identical concurrent requests that miss the cache are rendered once. Alone in its test
//! binary: it counts the renders of the process-wide pool.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_identical_requests_are_rendered_once() {
    let app = spawn_app().await;
    let before = api::render::rendered();
    let url = format!("{}/charts/correlations.png?title=once", app.address);
    let requests: Vec<_> = (0..64)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move { client.get(url).send().await.unwrap() })
        })
        .collect();
    let mut bodies = Vec::new();
    for request in requests {
        let response = request.await.unwrap();
        assert_eq!(response.status(), 200);
        bodies.push(response.bytes().await.unwrap());
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]));
    assert!(bodies[0].starts_with(b"\x89PNG"));
    assert_eq!(api::render::rendered() - before, 1);
}
