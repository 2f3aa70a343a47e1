//! `/charts/...`: every chart as SVG and PNG, its headers, and the committed `images/`.

use crate::common::spawn_app;

fn parse(svg: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut count = 0;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Eof => return count,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => count += 1,
            _ => {}
        }
    }
}

async fn svg(app: &crate::common::TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let h = response.headers();
    assert_eq!(h["content-type"], "image/svg+xml", "{path}");
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "public, max-age=86400");
    assert!(h["etag"].to_str().unwrap().starts_with('"'));
    let body = response.text().await.unwrap();
    assert!(parse(&body) > 10);
    assert!(body.contains("<title>") && body.contains("<desc>"));
    assert!(!body.contains("<script"));
    body
}

fn rects_filled(svg: &str, color: &str) -> usize {
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains(&format!("fill=\"{color}\"")))
        .count()
}

#[tokio::test]
async fn every_chart_renders_as_svg_with_its_marks() {
    let app = spawn_app().await;
    let h = svg(&app, "/charts/histogramme/taux_abstention?bins=12").await;
    assert_eq!(rects_filled(&h, "#009E73"), 12);
    assert!(h.contains("Taux d&apos;abstention (% des inscrits)"));
    assert!(h.contains("Nombre de départements"));

    let heat = svg(
        &app,
        "/charts/correlations?variables=taux_chomage,taux_abstention,part_gauche",
    )
    .await;
    assert!(heat.contains("Chômage") && heat.contains("Abstention") && heat.contains("Gauche"));
    assert_eq!(
        heat.matches(">\n1,00\n</text>").count(),
        3,
        "diagonal printed"
    );

    let scatter = svg(&app, "/charts/nuage?x=taux_chomage&y=part_extreme_droite").await;
    // 100 départements with an unemployment rate + one legend marker per family present (3).
    assert_eq!(scatter.matches("<circle").count(), 103);
    assert!(scatter.contains("Moindres carrés : r = "));
    let no_fit = svg(&app, "/charts/nuage?regression=false").await;
    assert!(!no_fit.contains("Moindres carrés"));

    let boxes = svg(&app, "/charts/boites/taux_chomage").await;
    assert!(boxes.contains("Gauche en tête (n = 34)"));
    assert_eq!(
        rects_filled(&boxes, "#D55E00")
            + rects_filled(&boxes, "#E69F00")
            + rects_filled(&boxes, "#003F7F"),
        3
    );

    let familles = svg(&app, "/charts/departements/59/familles?tour=1").await;
    for color in ["#D55E00", "#E69F00", "#56B4E9", "#003F7F"] {
        assert_eq!(rects_filled(&familles, color), 1, "{color}");
    }
    let candidats = svg(&app, "/charts/departements/ZA/candidats?tour=2").await;
    assert!(candidats.contains("Guadeloupe") && candidats.contains("Marine LE PEN"));
    let chomage = svg(&app, "/charts/departements/59/chomage").await;
    assert!(chomage.contains("Présidentielle 2022") && chomage.contains("1982-2025"));
}

/// Issue 30: the PNG encoder changed (fast compression); each chart's PNG, decoded, has the
/// pixels of its SVG rasterised as before (usvg, resvg), within one level per channel.
#[tokio::test]
async fn every_chart_png_has_the_pixels_of_its_svg() {
    let app = spawn_app().await;
    for path in [
        "/charts/nuage",
        "/charts/correlations",
        "/charts/histogramme/taux_chomage",
        "/charts/boites/taux_abstention",
        "/charts/departements/59/candidats",
        "/charts/departements/59/chomage",
        "/charts/carte/part_extreme_droite",
        "/charts/carte/famille-gagnante",
        "/charts/carte/evolution/extreme_droite",
        "/charts/carte/lisa/part_extreme_droite",
        "/charts/moran/part_extreme_droite",
        "/charts/models/accuracy",
        "/charts/models/knn/confusion",
        "/charts/models/knn/importance",
        "/charts/models/knn/roc",
        "/charts/circonscriptions/sieges?election=legislatives-2024",
    ] {
        let svg = app.get(path).await;
        assert_eq!(svg.status(), 200, "{path}");
        let svg = svg.text().await.unwrap();
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let png_path = format!("{route}.png?{query}");
        let png = app.get(&png_path).await;
        assert_eq!(png.status(), 200, "{png_path}");
        let decoded = resvg::tiny_skia::Pixmap::decode_png(&png.bytes().await.unwrap()).unwrap();
        let expected = charts::raster::rasterize(&charts::raster::parse(&svg).unwrap()).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (expected.width(), expected.height()),
            "{path}"
        );
        let worst = decoded
            .data()
            .iter()
            .zip(expected.data())
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(worst <= 1, "{path}: a channel differs by {worst}");
    }
}

#[tokio::test]
async fn png_by_parameter_or_suffix_at_the_asked_size() {
    let app = spawn_app().await;
    for path in [
        "/charts/nuage.png?width=800&height=450",
        "/charts/nuage?format=png&width=800&height=450",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(
            response.headers()["content-security-policy"],
            "default-src 'none'; style-src 'unsafe-inline'"
        );
        let png = response.bytes().await.unwrap();
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (800, 450));
    }
    let svg_suffix = app
        .get("/charts/departements/59/chomage.svg?theme=dark")
        .await;
    assert_eq!(svg_suffix.headers()["content-type"], "image/svg+xml");
    assert!(
        svg_suffix
            .text()
            .await
            .unwrap()
            .contains("fill=\"#1E1E1E\"")
    );
}

#[tokio::test]
async fn hostile_titles_are_text() {
    let app = spawn_app().await;
    let body = svg(
        &app,
        "/charts/boites/taux_abstention?title=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20%26%20co",
    )
    .await;
    assert!(body.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"));
    assert!(body.contains(">\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; co\n</text>"));
}

#[tokio::test]
async fn etags_follow_parameters_and_revalidate() {
    let app = spawn_app().await;
    let a = app.get("/charts/histogramme/taux_chomage").await;
    let b = app.get("/charts/histogramme/taux_chomage?bins=5").await;
    let etag = a.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(etag, b.headers()["etag"].to_str().unwrap());
    let again = app
        .client
        .get(format!("{}/charts/histogramme/taux_chomage", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["cache-control"], "public, max-age=86400");
    let head = app
        .client
        .head(format!("{}/charts/nuage.png", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn bad_chart_parameters_are_problems_not_images() {
    let app = spawn_app().await;
    for (path, status, parameter) in [
        ("/charts/nuage?width=10", 400, Some("width")),
        ("/charts/nuage?height=5000", 400, Some("height")),
        ("/charts/nuage?width=abc", 400, Some("width")),
        ("/charts/nuage?theme=neon", 400, Some("theme")),
        ("/charts/nuage?format=gif", 400, Some("format")),
        ("/charts/nuage?x=revenu", 400, Some("x")),
        (
            "/charts/nuage?regression=peut-etre",
            400,
            Some("regression"),
        ),
        ("/charts/histogramme/revenu", 400, Some("variable")),
        ("/charts/histogramme/taux_chomage?bins=0", 400, Some("bins")),
        ("/charts/boites/taux_chomage?tour=3", 400, Some("tour")),
        (
            "/charts/correlations?variables=taux_chomage",
            400,
            Some("variables"),
        ),
        ("/charts/departements/999/familles", 404, None),
        ("/charts/departements/ZZ/chomage", 404, None),
        (
            "/charts/departements/59/candidats.png?tour=4",
            400,
            Some("tour"),
        ),
    ] {
        let body = app.problem(path, status).await;
        if let Some(p) = parameter {
            assert_eq!(body["parametre"], p, "{path}");
        }
    }
    let long_title = "x".repeat(201);
    app.problem(&format!("/charts/nuage?title={long_title}"), 400)
        .await;
    // Characters XML cannot carry would break the SVG and the PNG rasterizer: refused.
    for title in ["a%00b", "%1D", "x%EF%BF%BE"] {
        for format in ["svg", "png"] {
            let body = app
                .problem(&format!("/charts/nuage.{format}?title={title}"), 400)
                .await;
            assert_eq!(body["parametre"], "title");
        }
    }
}

#[test]
fn committed_images_are_up_to_date() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../images");
    let images = api::images::render_from_dump().unwrap();
    assert_eq!(images.len(), 17);
    for (name, svg) in images {
        let committed = std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_default();
        assert!(
            committed == svg,
            "images/{name} is stale: run `cargo run -p api --bin gen-images`"
        );
        parse(&svg);
    }
}

/// On the dark theme the extreme right is drawn in a blue that stands out from the
/// near-black background (the light theme's dark blue did not), on every chart of families.
#[tokio::test]
async fn dark_theme_keeps_the_families_visible() {
    let app = spawn_app().await;
    for path in [
        "/charts/nuage.svg?x=taux_chomage&y=part_extreme_droite",
        "/charts/departements/59/familles.svg",
        "/charts/boites/taux_abstention.svg",
    ] {
        let light = svg(&app, path).await.to_uppercase();
        let dark = svg(
            &app,
            &format!(
                "{path}{}theme=dark",
                if path.contains('?') { '&' } else { '?' }
            ),
        )
        .await
        .to_uppercase();
        assert!(light.contains("#003F7F"), "{path}");
        assert!(!dark.contains("#003F7F"), "{path}");
        assert!(dark.contains("#0072B2"), "{path}");
    }
}
