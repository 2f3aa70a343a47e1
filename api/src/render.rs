//! Every chart render, SVG or PNG, runs on a fixed pool of threads, one per core, never on
//! the actix workers: a costly chart cannot stall `/health` or the JSON endpoints, whose
//! threads the kernel schedules beside the rendering ones (see [`Renderer`]).
//!
//! Work is bounded three ways:
//! - each job has a cost (its pixels for a PNG, a flat amount for an SVG, whose size the
//!   parameter caps bound), and the pool admits new work only while the queued cost stays
//!   under [`MAX_QUEUED_COST`]: beyond, a 503 with `Retry-After` answers at once;
//! - a job whose deadline passed, or whose client is gone (its reply channel closed because the
//!   request future was dropped), is skipped rather than started;
//! - identical concurrent requests are coalesced before they get here (see [`crate::memo`]);
//! - cheap jobs (at most [`CHEAP_COST`]) are taken before costly ones, and costly ones run on
//!   every thread but the first (when there are two or more), at [`COSTLY_NICE`]: a queue of
//!   costly work delays a chart by at most the cheap job already running. With both threads
//!   of two cores on 4000-px PNGs, the charts of ordinary pages waited for one to end, over
//!   wrk's 2 s timeout in the hostile soak.
//!
//! A render that has started cannot be interrupted (resvg has no cancellation point); the
//! parameter caps keep the longest one, a 4000 x 4000 PNG, well under a second in release.
//!
//! Few, long-lived threads also bound memory: glibc's allocator keeps each allocating
//! thread's freed memory in that thread's arena. After 5 s of uncached 1280 x 720 PNGs at 64
//! connections the server held 90 MiB with tokio's blocking pool, 48 MiB with one thread per
//! core, 40 MiB with one per two cores. mimalloc was tried and kept more (342 MiB after
//! 4000-px PNGs, against 295 with glibc). One per core is the choice since issue 30 (PNG
//! throughput doubled on 2 cores); the hostile soak (`bench/soak.sh 30 hostile`) stays flat
//! (3 % growth under load; peak 406 MiB against 291 with one thread, from two 4000-px canvases
//! at once).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Instant;

use tokio::sync::oneshot;

use crate::error::ApiError;

/// A render: builds a response body, or what a page needs.
pub type Work<T> = Box<dyn FnOnce() -> Result<T, ApiError> + Send>;

/// Cost of an SVG render (its size is bounded by the parameter caps, not by the pixels).
pub const SVG_COST: u64 = 250_000;
/// Most cost queued or running at once: eight 4000 x 4000 PNGs, or about 140 slide-sized
/// ones; a few seconds of work for one thread in a release build.
pub const MAX_QUEUED_COST: u64 = 8 * 4000 * 4000;

/// A render at most this costly (an SVG, or a PNG of a 1280 x 720 slide) is cheap.
pub const CHEAP_COST: u64 = 1280 * 720;
/// Budget kept for cheap renders beyond [`MAX_QUEUED_COST`]: costly renders cannot deny the
/// charts of ordinary pages; those wait in the queue instead of being refused.
pub const CHEAP_RESERVE: u64 = 32 * CHEAP_COST;

/// Whether a render of `cost` may join the `queued` cost: within the budget (the reserve too
/// for a cheap one), or alone.
fn admit(queued: u64, cost: u64) -> bool {
    let limit = if cost <= CHEAP_COST {
        MAX_QUEUED_COST + CHEAP_RESERVE
    } else {
        MAX_QUEUED_COST
    };
    queued + cost <= limit || queued == 0
}

/// Cost of one permutation of a spatial statistic: 999 permutations of LISA (2.4 ms in the
/// criterion bench) weigh about a third of a 1280 x 720 PNG (30 ms), so 9999 of them
/// (about 24 ms) are a costly job, not a cheap one.
pub const PERMUTATION_COST: u64 = 100;

/// The cost of a spatial statistic with this many permutations.
pub fn spatial_cost(permutations: usize) -> u64 {
    SVG_COST.max(PERMUTATION_COST * (permutations as u64 + 1))
}

/// Cost of building the GeoJSON of the départements: the full outlines (3.8 MB of text) as
/// much as a 720 x 720 PNG, the simplified ones (0.5 MB) as an SVG.
pub fn geojson_cost(simplifie: bool) -> u64 {
    if simplifie { SVG_COST } else { 720 * 720 }
}

/// The cost of rendering a chart of this size and format.
pub fn cost(width: u32, height: u32, png: bool) -> u64 {
    if png {
        u64::from(width) * u64::from(height)
    } else {
        SVG_COST
    }
}

struct Job {
    /// Runs the work unless nobody waits for it any more.
    task: Box<dyn FnOnce() + Send>,
    cost: u64,
}

/// The jobs waiting, in two lanes: cheap ones (SVGs, slide-sized PNGs, spatial statistics
/// with the default permutations) are taken first, so that a queue of costly ones (150
/// clients asking for 9999 permutations made every chart wait about 4 s) delays a chart by at
/// most the job running on each thread.
#[derive(Default)]
struct Lanes {
    cheap: VecDeque<Job>,
    costly: VecDeque<Job>,
    /// Set when the last [`Renderer`] is dropped: the threads finish the queue and stop.
    closed: bool,
}

/// What the rendering threads and the handles share.
struct Shared {
    lanes: Mutex<Lanes>,
    ready: Condvar,
    /// Cost queued or running.
    queued: AtomicU64,
    /// Renders run (skipped ones not counted).
    rendered: AtomicU64,
    threads: usize,
    /// Whether the threads started (they start with the first job).
    started: OnceLock<bool>,
}

impl Shared {
    fn push(&self, job: Job) -> Result<(), ApiError> {
        let mut lanes = self
            .lanes
            .lock()
            .map_err(|_| ApiError::Internal("the rendering threads stopped".into()))?;
        if job.cost <= CHEAP_COST {
            lanes.cheap.push_back(job);
            // Any thread takes it.
            self.ready.notify_one();
        } else {
            lanes.costly.push_back(job);
            // Woken alone, the thread that takes cheap jobs only would leave it queued.
            self.ready.notify_all();
        }
        Ok(())
    }

    /// The next job, cheap ones first, costly ones only for a thread that `may_take_costly`;
    /// `None` once closed and drained (of what this thread may take), or when poisoned.
    fn next(&self, may_take_costly: bool) -> Option<Job> {
        let mut lanes = self.lanes.lock().ok()?;
        loop {
            if let Some(job) = lanes.cheap.pop_front() {
                return Some(job);
            }
            if may_take_costly && let Some(job) = lanes.costly.pop_front() {
                return Some(job);
            }
            if lanes.closed && (lanes.costly.is_empty() || !may_take_costly) {
                return None;
            }
            lanes = self.ready.wait(lanes).ok()?;
        }
    }

    fn close(&self) {
        if let Ok(mut lanes) = self.lanes.lock() {
            lanes.closed = true;
        }
        self.ready.notify_all();
    }
}

/// The nice value of the rendering threads: with one per core they would take a core from
/// the actix workers under a flood of costly renders (`/health` p99 63 ms in the hostile soak
/// against 49 with one thread per two cores). At nice 10 the kernel gives a runnable worker
/// about nine times a rendering thread's share: the workers answer at once, the renders take
/// every cycle the workers leave.
pub const RENDER_NICE: i32 = 10;

/// The nice value of the threads that take costly jobs, when there are two threads or more:
/// the lowest. The first thread takes cheap jobs only, so the charts of ordinary pages never
/// wait behind 4000-px PNGs (over wrk's 2 s timeout in the hostile soak when both threads of
/// two cores drew them); the cores are then busier with those charts, and costly renders at
/// nice 10 took enough from the actix workers to put `/health` p99 over 50 ms. At 19 they
/// take what the workers and the cheap renders leave. (Fixed per thread: an unprivileged
/// process cannot lower a nice value again.)
pub const COSTLY_NICE: i32 = 19;

/// Sets the calling thread's nice value (Linux keeps one per thread); a failure leaves it as
/// it was, which only makes `/health` slower under load.
fn set_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    if let Err(error) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), nice) {
        log::warn!("cannot set the priority of a rendering thread: {error}");
    }
}

/// Whether rendering thread `index` takes costly jobs: all but the first, or the only one.
fn takes_costly(index: usize, threads: usize) -> bool {
    index > 0 || threads == 1
}

fn worker(shared: &Shared, index: usize) {
    let costly = takes_costly(index, shared.threads);
    set_priority(if costly && shared.threads > 1 {
        COSTLY_NICE
    } else {
        RENDER_NICE
    });
    while let Some(job) = shared.next(costly) {
        (job.task)();
        shared.queued.fetch_sub(job.cost, Ordering::Relaxed);
    }
}

/// Closes the pool when the last [`Renderer`] goes.
struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The rendering pool of one application: its threads (started with the first job, stopped
/// when the last clone is dropped), its queue and its budget. Part of
/// [`crate::state::AppState`], so two servers in one process (the tests) do not share it.
#[derive(Clone)]
pub struct Renderer(Arc<Handle>);

impl Renderer {
    /// A pool of `threads` rendering threads (at least one).
    pub fn new(threads: usize) -> Renderer {
        Renderer(Arc::new(Handle(Arc::new(Shared {
            lanes: Mutex::new(Lanes::default()),
            ready: Condvar::new(),
            queued: AtomicU64::new(0),
            rendered: AtomicU64::new(0),
            threads: threads.max(1),
            started: OnceLock::new(),
        }))))
    }

    /// One rendering thread per core.
    pub fn per_core() -> Renderer {
        Renderer::new(std::thread::available_parallelism().map_or(2, usize::from))
    }

    pub fn threads(&self) -> usize {
        self.shared().threads
    }

    /// Renders run since the pool started (skipped ones not counted).
    pub fn rendered(&self) -> u64 {
        self.shared().rendered.load(Ordering::Relaxed)
    }

    fn shared(&self) -> &Arc<Shared> {
        &(self.0).0
    }

    /// The pool, its threads started; an error when none could start.
    fn started(&self) -> Result<&Shared, ApiError> {
        let shared = self.shared();
        let started = *shared.started.get_or_init(|| {
            for i in 0..shared.threads {
                let owned = Arc::clone(shared);
                let spawned = std::thread::Builder::new()
                    .name(format!("render-{i}"))
                    .spawn(move || worker(&owned, i));
                if let Err(error) = spawned {
                    log::error!("cannot start a rendering thread: {error}");
                    return i > 0;
                }
            }
            true
        });
        if started {
            Ok(shared)
        } else {
            Err(ApiError::Internal("no rendering thread".into()))
        }
    }

    /// Runs `work` on the pool if its cost fits; past `deadline` (queueing included) it is a
    /// 503.
    pub async fn run<T: Send + 'static>(
        &self,
        cost: u64,
        deadline: Instant,
        work: Work<T>,
    ) -> Result<T, ApiError> {
        let shared = self.started()?;
        let admitted = shared
            .queued
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |queued| {
                admit(queued, cost).then_some(queued + cost)
            });
        if admitted.is_err() {
            return Err(ApiError::Unavailable(
                "too many charts are being rendered: retry in a moment".into(),
            ));
        }
        let (reply, answer) = oneshot::channel::<Result<T, ApiError>>();
        let counted = Arc::clone(self.shared());
        let task = move || {
            // Its time limit passed, or its client is gone (the request was dropped): skip it.
            if Instant::now() < deadline && !reply.is_closed() {
                counted.rendered.fetch_add(1, Ordering::Relaxed);
                let _ = reply.send(work());
            }
        };
        let job = Job {
            task: Box::new(task),
            cost,
        };
        if let Err(error) = shared.push(job) {
            shared.queued.fetch_sub(cost, Ordering::Relaxed);
            return Err(error);
        }
        match tokio::time::timeout_at(deadline.into(), answer).await {
            Err(_) => Err(ApiError::Unavailable(
                "the chart took too long to render: ask for a smaller one, or the SVG".into(),
            )),
            Ok(Err(_)) => Err(ApiError::Unavailable(
                "the chart was not rendered in time: retry in a moment".into(),
            )),
            Ok(Ok(body)) => body,
        }
    }
}

/// Renders an SVG as PNG.
pub fn png(svg: &str) -> Result<Vec<u8>, ApiError> {
    charts::svg_to_png(svg).map_err(|e| ApiError::Internal(format!("PNG rendering failed: {e}")))
}

/// Draws a chart's data ([`crate::views::charts::Dessin`]) as SVG, with the look asked for.
pub fn draw(
    look: &charts::Look,
    dessin: &crate::views::charts::Dessin,
) -> Result<String, ApiError> {
    use crate::views::charts::Forme;
    let options = look.options(&dessin.titre, &dessin.description);
    match &dessin.forme {
        Forme::Histogramme {
            axe,
            valeurs,
            classes,
        } => charts::histogram(&options, axe, valeurs, *classes),
        Forme::Matrice { libelles, matrice } => charts::heatmap(&options, libelles, matrice),
        Forme::Nuage {
            axe_x,
            axe_y,
            points,
            familles,
            droite,
        } => charts::scatter(&options, axe_x, axe_y, points, familles, droite.clone()),
        Forme::Boites { axe, groupes } => charts::boxplot(&options, axe, groupes),
        Forme::Barres { axe, barres } => charts::bars(&options, axe, barres),
        Forme::Ecarts { axe, barres } => charts::diverging_bars(&options, axe, barres),
        Forme::Serie {
            axe,
            points,
            repere,
        } => charts::time_series(&options, axe, points, repere.clone()),
        Forme::Carte(carte) => charts::carte::carte(&options, carte),
    }
    .map_err(chart_error)
}

/// A chart that cannot be drawn: 400 for a bad size, 404 when there is nothing to draw.
pub fn chart_error(error: charts::ChartError) -> ApiError {
    match error {
        charts::ChartError::Size { .. } => ApiError::bad(error.to_string()),
        charts::ChartError::NoData(detail) => {
            ApiError::NotFound(format!("no data to draw: {detail}"))
        }
        other => ApiError::Internal(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costly_renders_are_refused_beyond_the_budget_cheap_ones_use_the_reserve() {
        let big = cost(4000, 4000, true);
        assert!(admit(0, big));
        assert!(admit(MAX_QUEUED_COST - big, big));
        assert!(!admit(MAX_QUEUED_COST - big + 1, big));
        // The budget is spent by costly renders: an SVG still gets in, up to the reserve.
        assert!(admit(MAX_QUEUED_COST, SVG_COST));
        assert!(admit(MAX_QUEUED_COST, cost(1280, 720, true)));
        assert!(!admit(MAX_QUEUED_COST + CHEAP_RESERVE, SVG_COST));
        // Anything alone is admitted: the caps bound a single render.
        assert!(admit(0, cost(4000, 4000, true)));
    }

    /// Two threads, three costly renders queued first and held running: the cheap one
    /// queued after them runs at once on the thread that takes no costly ones; the costly
    /// ones then run one at a time, and all of them do. A lone thread takes everything.
    #[test]
    fn one_thread_stays_free_for_cheap_renders() {
        use std::sync::atomic::AtomicUsize;
        use std::sync::mpsc;
        use std::time::Duration;

        let renderer = Renderer::new(2);
        let shared = renderer.started().unwrap();
        let (sent, received) = mpsc::channel();
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let push = |cost: u64, task: Box<dyn FnOnce() + Send>| {
            shared.queued.fetch_add(cost, Ordering::Relaxed);
            shared.push(Job { task, cost }).unwrap();
        };
        for i in 0..3 {
            let (sent, gate) = (sent.clone(), Arc::clone(&gate));
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            push(
                cost(4000, 4000, true),
                Box::new(move || {
                    most.fetch_max(running.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                    let (open, opened) = &*gate;
                    let mut open = open.lock().unwrap();
                    while !*open {
                        open = opened.wait(open).unwrap();
                    }
                    running.fetch_sub(1, Ordering::SeqCst);
                    sent.send(format!("costly {i}")).unwrap();
                }),
            );
        }
        let cheap = sent.clone();
        push(
            SVG_COST,
            Box::new(move || cheap.send("cheap".to_owned()).unwrap()),
        );
        let first = received.recv_timeout(Duration::from_secs(10));
        assert_eq!(first.as_deref(), Ok("cheap"));
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        let rest: Vec<String> = (0..3)
            .map(|_| received.recv_timeout(Duration::from_secs(10)).unwrap())
            .collect();
        assert_eq!(rest, ["costly 0", "costly 1", "costly 2"]);
        assert_eq!(most.load(Ordering::SeqCst), 1);
        // The thread counts a job done just after its task returns.
        let settled = || shared.queued.load(Ordering::Relaxed) == 0;
        let started = Instant::now();
        while !settled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(settled());
        assert!(takes_costly(0, 1) && !takes_costly(0, 2) && takes_costly(1, 2));
        // Both threads idle: each costly render, alone, runs (a wake-up given to the thread
        // of cheap jobs only is not lost).
        for i in 0..50 {
            let sent = sent.clone();
            push(
                cost(4000, 4000, true),
                Box::new(move || sent.send(format!("alone {i}")).unwrap()),
            );
            let done = received.recv_timeout(Duration::from_secs(5));
            assert_eq!(done, Ok(format!("alone {i}")));
            while shared.queued.load(Ordering::Relaxed) != 0 {
                std::thread::yield_now();
            }
        }
    }
}
