//! The rendering pool of one server under costly renders and identical requests. Each test
//! has its own server, hence its own pool, budget and render count.

use std::time::{Duration, Instant};

use crate::common::{TestApp, assert_problem, spawn_app, spawn_app_with};

const ALL_VARIABLES: &str = "taux_chomage,taux_abstention,taux_participation,taux_blancs,taux_nuls,part_gauche,part_centre,part_droite,part_extreme_droite,revenu_median,taux_pauvrete,part_pensions,population,part_65_ans_et_plus,part_immigres,superficie,densite";

/// 16 costly jobs of 100 ms queued, then one cheap job: it is taken before the costly ones
/// still waiting, not after them (150 clients asking for 9999 permutations made every chart
/// wait about 4 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cheap_render_passes_a_queue_of_costly_ones() {
    use api::render::{CHEAP_COST, Renderer};
    use std::sync::{Arc, Mutex};
    let pool = Renderer::new(2);
    let done: Arc<Mutex<Vec<&'static str>>> = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut jobs = Vec::new();
    for _ in 0..16 {
        let (done, pool) = (Arc::clone(&done), pool.clone());
        jobs.push(tokio::spawn(async move {
            pool.run(
                CHEAP_COST + 1,
                deadline,
                Box::new(move || {
                    std::thread::sleep(Duration::from_millis(100));
                    done.lock().unwrap().push("costly");
                    Ok(())
                }),
            )
            .await
        }));
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let cheap = {
        let done = Arc::clone(&done);
        pool.run(
            CHEAP_COST,
            deadline,
            Box::new(move || {
                done.lock().unwrap().push("cheap");
                Ok(())
            }),
        )
    };
    cheap.await.unwrap();
    for job in jobs {
        job.await.unwrap().unwrap();
    }
    let order = done.lock().unwrap().clone();
    let cheap_at = order.iter().position(|j| *j == "cheap").unwrap();
    // Two threads: the two costly jobs running when it came, then the cheap one.
    assert!(
        cheap_at < 4,
        "the cheap job came {}th of 17: {order:?}",
        cheap_at + 1
    );
}

/// `n` uncached requests at once, the i-th for `path(i)`.
fn uncached_at_once(
    app: &TestApp,
    n: usize,
    path: impl Fn(usize) -> String,
) -> Vec<tokio::task::JoinHandle<reqwest::Response>> {
    (0..n)
        .map(|i| {
            let client = app.client.clone();
            let url = format!("{}{}", app.address, path(i));
            tokio::spawn(async move {
                client
                    .get(url)
                    .header("Cache-Control", "no-cache")
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect()
}

/// Costly renders run on the rendering pool: `/health` keeps answering on the workers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn health_stays_fast_while_8_costly_renders_run() {
    let app = spawn_app_with(|s| s.workers = Some(2)).await;
    let renders = uncached_at_once(&app, 8, |i| {
        format!(
            "/charts/correlations.png?width=4000&height=4000&variables={ALL_VARIABLES}&title=r{i}"
        )
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let started = Instant::now();
        let health = app.get("/health").await;
        assert_eq!(health.status(), 200);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Not a benchmark: a stalled server took seconds (408 after 5.5 s).
    assert!(slowest < Duration::from_secs(1), "{slowest:?}");
    for render in renders {
        let response = render.await.unwrap();
        let status = response.status().as_u16();
        // Rendered, or refused at once by the pool's budget: never a 500.
        assert!(status == 200 || status == 503, "{status}");
        if status == 503 {
            assert!(response.headers().contains_key("retry-after"));
            assert_problem(response, 503).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_rendering_budget_refuses_a_flood_with_503_and_retry_after() {
    // The budget is under test, not the time limit: on 2 cores busy with the other tests at
    // nice 0, the admitted 4000-px renders (at nice 10) took over the 10 s default and every
    // one was a 503.
    let app = spawn_app_with(|s| {
        s.workers = Some(2);
        s.time_limit_ms = 120_000;
    })
    .await;
    let renders = uncached_at_once(&app, 24, |i| {
        format!("/charts/nuage.png?width=4000&height=4000&title=flood{i}")
    });
    let mut statuses = Vec::new();
    for render in renders {
        let response = render.await.unwrap();
        let status = response.status().as_u16();
        statuses.push(status);
        if status == 503 {
            assert_eq!(response.headers()["retry-after"], "1");
            assert_problem(response, 503).await;
        } else {
            assert_eq!(status, 200);
        }
    }
    // 24 x 16 Mpx is three times the budget: some are refused, some rendered.
    assert!(statuses.contains(&503), "{statuses:?}");
    assert!(statuses.contains(&200), "{statuses:?}");
    // The pool drains: a cheap chart renders afterwards.
    let mut cheap = app.get("/charts/nuage.png?title=after").await;
    for _ in 0..50 {
        if cheap.status() == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        cheap = app.get("/charts/nuage.png?title=after").await;
    }
    assert_eq!(cheap.status(), 200);
}

/// Identical concurrent requests that miss the cache are rendered once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_identical_requests_are_rendered_once() {
    let app = spawn_app().await;
    let before = app.state.renderer.rendered();
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
    assert_eq!(app.state.renderer.rendered() - before, 1);
}

/// The pool has a thread per core, and a second server has a pool of its own.
#[tokio::test]
async fn each_server_has_its_own_pool_with_a_thread_per_core() {
    let (one, two) = (spawn_app().await, spawn_app().await);
    let cores = std::thread::available_parallelism().unwrap().get();
    assert_eq!(one.state.renderer.threads(), cores);
    assert_eq!(one.get("/charts/nuage.svg?title=own").await.status(), 200);
    assert_eq!(one.state.renderer.rendered(), 1);
    assert_eq!(two.state.renderer.rendered(), 0);
    // The rendering threads run at a lower priority than the workers (Linux: per thread):
    // the first, which takes cheap jobs only, at RENDER_NICE, the others at COSTLY_NICE. A
    // thread of another test's server may have just started and not lowered it yet: those are
    // read again a moment later.
    let nice_of = |path: &std::path::Path| -> Option<String> {
        let name = std::fs::read_to_string(path.join("comm")).ok()?;
        if !name.starts_with("render-") {
            return None;
        }
        let stat = std::fs::read_to_string(path.join("stat")).ok()?;
        // The fields after the command name, which is in parentheses: nice is the 19th field.
        let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
        Some(fields[16].to_owned())
    };
    let cheap = api::render::RENDER_NICE.to_string();
    let costly = if cores > 1 {
        api::render::COSTLY_NICE
    } else {
        api::render::RENDER_NICE
    }
    .to_string();
    let expected = |path: &std::path::Path, nice: &str| {
        let first = std::fs::read_to_string(path.join("comm"))
            .is_ok_and(|name| name.trim_end() == "render-0");
        nice == if first { &cheap } else { &costly }
    };
    let mut niced = 0;
    let mut later = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap() {
        let path = task.unwrap().path();
        match nice_of(&path) {
            Some(nice) if expected(&path, &nice) => niced += 1,
            Some(_) => later.push(path),
            None => {}
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    for path in later {
        if let Some(nice) = nice_of(&path) {
            assert!(expected(&path, &nice), "{} at nice {nice}", path.display());
        }
    }
    assert!(niced >= cores, "{niced} rendering threads");
}
