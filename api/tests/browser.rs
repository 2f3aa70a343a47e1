//! The dashboard in a real headless browser (Debian's `chromium`): each page loads from the
//! real server with no script, every image decodes to a non-zero size, and a full-page
//! screenshot per page lands in `target/dashboard-screenshots/` for people to look at.
//!
//! Ignored by default because it needs the browser: `.ci/run` installs `chromium` and runs it
//! with `cargo test -p api --test browser -- --ignored`. `CHROMIUM` overrides the path.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use headless_chrome::protocol::cdp::Page;
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

const PAGES: [(&str, &str); 12] = [
    ("accueil", "/"),
    ("accueil-legislatives", "/?election=legislatives-2024"),
    ("circonscriptions", "/exploration/circonscriptions"),
    (
        "circonscriptions-recherche",
        "/exploration/circonscriptions?q=nord",
    ),
    (
        "circonscription",
        "/exploration/circonscriptions?q=nord+1re&election=legislatives-2024",
    ),
    (
        "visualisations",
        "/visualisations?tour=1&region=32&x=taux_chomage&y=part_extreme_droite",
    ),
    (
        "visualisations-carte-jenks",
        "/visualisations?carte=taux_chomage&classes=jenks",
    ),
    (
        "visualisations-outre-mer",
        "/visualisations?perimetre=outre-mer&carte=taux_chomage",
    ),
    ("exploration", "/exploration?departement=59"),
    (
        "apprentissage",
        "/apprentissage?departement=59&taux_chomage=12",
    ),
    ("exploration-404", "/exploration?departement=999"),
    (
        "apprentissage-400",
        "/apprentissage?departement=59&taux_chomage=abc",
    ),
];

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM",
        path.display()
    );
    path
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("dashboard-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn eval(tab: &Tab, expression: &str) -> Value {
    tab.evaluate(expression, false)
        .unwrap()
        .value
        .unwrap_or(Value::Null)
}

/// Waits until every image has finished loading (or failed), at most 30 s.
fn wait_for_images(tab: &Tab, path: &str) {
    let start = Instant::now();
    while eval(tab, "Array.from(document.images).every(i => i.complete)") != Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{path}: images still loading"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn full_page_png(tab: &Tab) -> Vec<u8> {
    let height = eval(tab, "document.documentElement.scrollHeight")
        .as_f64()
        .unwrap();
    let width = eval(tab, "document.documentElement.scrollWidth")
        .as_f64()
        .unwrap();
    let data = tab
        .call_method(Page::CaptureScreenshot {
            format: Some(Page::CaptureScreenshotFormatOption::Png),
            quality: None,
            clip: Some(Page::Viewport {
                x: 0.0,
                y: 0.0,
                width,
                height,
                scale: 1.0,
            }),
            from_surface: Some(true),
            capture_beyond_viewport: Some(true),
            optimize_for_speed: None,
        })
        .unwrap()
        .data;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap()
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn every_page_renders_in_a_headless_browser() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(common::spawn_app());
    let profile = tempfile::tempdir().unwrap();
    // No network beyond loopback here: background services would only fail to connect.
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium()),
        user_data_dir: Some(profile.path().to_path_buf()),
        window_size: Some((1280, 900)),
        idle_browser_timeout: Duration::from_secs(120),
        args,
        ..LaunchOptions::default()
    })
    .unwrap();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    let dir = screenshot_dir();
    for (name, path) in PAGES {
        let url = format!("{}{path}", app.address);
        tab.navigate_to(&url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        wait_for_images(&tab, path);

        assert_eq!(eval(&tab, "document.documentElement.lang"), "fr", "{path}");
        assert_eq!(eval(&tab, "document.scripts.length"), 0, "{path}: a script");
        assert_eq!(
            eval(&tab, "getComputedStyle(document.body).marginTop"),
            "0px",
            "{path}: the stylesheet did not apply"
        );
        let images = eval(
            &tab,
            "JSON.stringify(Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth, i.naturalHeight]))",
        );
        let images: Vec<(String, u64, u64)> =
            serde_json::from_str(images.as_str().unwrap()).unwrap();
        for (src, width, height) in &images {
            assert!(
                *width > 0 && *height > 0,
                "{path}: image {src} did not load"
            );
        }
        let expected = match name {
            "exploration-404" | "apprentissage-400" => 0,
            "accueil" | "circonscriptions" | "circonscription" => 1,
            "accueil-legislatives" => 2,
            "circonscriptions-recherche" => 0,
            "visualisations" | "visualisations-carte-jenks" => 10,
            // No Moran statistic overseas: the LISA map and the Moran plot are not drawn.
            "visualisations-outre-mer" => 8,
            "exploration" | "apprentissage" => 5,
            _ => 4,
        };
        assert_eq!(images.len(), expected, "{path}: images {images:?}");
        // The maps: the leading family on the home page, the chosen indicator and classes on
        // Visualisations, the département outlined on its region's map on Exploration.
        let map = match name {
            "accueil" => Some("/charts/carte/famille-gagnante.svg?annee=2022&tour=1"),
            "accueil-legislatives" | "circonscriptions" => {
                Some("/charts/circonscriptions/sieges.svg?election=legislatives-2024")
            }
            "circonscription" => Some(
                "/charts/circonscriptions/famille-gagnante.svg?election=legislatives-2024-t1&region=32",
            ),
            "visualisations-carte-jenks" => Some("/charts/carte/taux_chomage.svg?"),
            "exploration" => {
                Some("/charts/carte/famille-gagnante.svg?region=32&tour=1&surligne=59")
            }
            "apprentissage" => Some("/charts/circonscriptions/previsions.svg"),
            _ => None,
        };
        if let Some(map) = map {
            assert!(
                images.iter().any(|(src, _, _)| src.contains(map)),
                "{path}: no map {map} in {images:?}"
            );
        }
        // Issue 29: nothing wider than the window (the ML comparison table was), the home
        // page's key figures on one row, French articles, French reasons.
        assert_eq!(
            eval(
                &tab,
                "document.documentElement.scrollWidth <= window.innerWidth"
            ),
            true,
            "{path}: the page is wider than the window"
        );
        let too_wide = eval(
            &tab,
            "JSON.stringify(Array.from(document.querySelectorAll('main table')).filter(t => t.getBoundingClientRect().right > document.querySelector('main').getBoundingClientRect().right + 1).map(t => t.querySelector('caption') ? t.querySelector('caption').innerText : '?'))",
        );
        assert_eq!(too_wide, "[]", "{path}: tables wider than the page");
        if name == "accueil" {
            let rows = eval(
                &tab,
                "JSON.stringify(Array.from(document.querySelectorAll('ul.chiffres')).map(u => new Set(Array.from(u.children).map(li => Math.round(li.getBoundingClientRect().top))).size))",
            );
            let rows: Vec<usize> = serde_json::from_str(rows.as_str().unwrap()).unwrap();
            assert!(
                !rows.is_empty() && rows.iter().all(|&r| r == 1),
                "{path}: {rows:?}"
            );
        }
        if name == "exploration" {
            let text = eval(&tab, "document.querySelector('main').innerText");
            assert!(
                text.as_str().unwrap().contains("Indicateurs clés du Nord"),
                "{text}"
            );
        }
        if name == "visualisations-outre-mer" {
            let text = eval(&tab, "document.querySelector('main').innerText");
            let text = text.as_str().unwrap();
            assert!(
                text.contains("n'ont aucun voisin entre eux"),
                "{path}: {text}"
            );
            assert!(!text.contains("only 0"), "{path}: {text}");
        }
        // The search lists the Nord's 21 constituencies as links; one found shows its rounds.
        if name == "circonscriptions-recherche" {
            let links = eval(
                &tab,
                "document.querySelectorAll('ul.resultats li a').length",
            );
            assert_eq!(links, 21, "{path}");
        }
        if name == "circonscription" {
            let text = eval(&tab, "document.querySelector('main').innerText");
            let text = text.as_str().unwrap();
            assert!(text.contains("Nord (1re circonscription)"), "{text}");
            assert!(text.contains("Circonscriptions voisines"), "{text}");
            let tables = eval(&tab, "document.querySelectorAll('main table').length");
            assert_eq!(tables, 9, "{path}: one table per round");
        }
        // The Machine Learning page opens on the constituency forecast: its heading first,
        // one table per task and target with the baselines, then the département models.
        if name == "apprentissage" {
            let titres = eval(
                &tab,
                "JSON.stringify(Array.from(document.querySelectorAll('main h2')).map(h => h.innerText))",
            );
            let titres: Vec<String> = serde_json::from_str(titres.as_str().unwrap()).unwrap();
            assert!(titres[0].starts_with("Prévoir une élection"), "{titres:?}");
            assert!(
                titres[1].starts_with("Modèles par département"),
                "{titres:?}"
            );
            let captions = eval(
                &tab,
                "JSON.stringify(Array.from(document.querySelectorAll('main table caption')).map(c => c.innerText))",
            );
            let captions: Vec<String> = serde_json::from_str(captions.as_str().unwrap()).unwrap();
            assert_eq!(
                captions
                    .iter()
                    .take(6)
                    .filter(|c| c.starts_with("Famille"))
                    .count(),
                6,
                "{captions:?}"
            );
            let text = eval(&tab, "document.querySelector('main').innerText");
            let text = text.as_str().unwrap();
            assert!(text.contains("Référence : famille en tête de la présidentielle"));
            assert!(text.contains("la référence présidentielle"), "no verdict");
            assert!(text.contains("moyenne ± écart-type sur les 50 plis"));
            assert!(text.contains("pas d'évaluation imbriquée"));
        }
        if name.ends_with("404") || name.ends_with("400") {
            let alert = eval(&tab, "document.querySelector('[role=alert]').innerText");
            assert!(
                alert.as_str().unwrap().contains(&name[name.len() - 3..]),
                "{alert}"
            );
        }

        let png = full_page_png(&tab);
        assert!(png.starts_with(b"\x89PNG"), "{path}");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}
