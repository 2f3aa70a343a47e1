//! Maps (`/charts/carte/...`) and the GeoJSON (`/departements.geojson`): one path per
//! département with its title, classes and legends, insets, bad parameters; the GeoJSON's
//! features, properties (the `/indicateurs` rows) and orientation.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{TestApp, assert_problem, spawn_app};

/// The départements drawn (ids `dep-…`), each checked to carry its `<title>`, from the SVG
/// parsed as XML.
fn departements(svg: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    let mut in_title = false;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Eof => return found,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"path" => {
                current = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"id")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"title" => in_title = true,
            quick_xml::events::Event::Text(t) if in_title => {
                if let Some(id) = current.take() {
                    found.push((id, t.decode().unwrap().into_owned()));
                }
            }
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"title" => in_title = false,
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"path" => current = None,
            _ => {}
        }
    }
}

/// The attribute `name` of every element `tag` inside the group of class `group` (or
/// anywhere with `None`), in order.
fn attributs(svg: &str, group: Option<&str>, tag: &[u8], name: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut found = Vec::new();
    let mut depth_in_group: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().expect("well-formed SVG");
        let (element, start) = match &event {
            quick_xml::events::Event::Eof => return found,
            quick_xml::events::Event::Start(e) => (Some(e.clone()), true),
            quick_xml::events::Event::Empty(e) => (Some(e.clone()), false),
            quick_xml::events::Event::End(_) => {
                depth -= 1;
                if depth_in_group.is_some_and(|d| d == depth) {
                    depth_in_group = None;
                }
                (None, false)
            }
            _ => (None, false),
        };
        let Some(e) = element else { continue };
        let attribute = |key: &[u8]| {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == key)
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        if e.name().as_ref() == b"g" && group.is_some() && attribute(b"class").as_deref() == group {
            depth_in_group = Some(depth);
        }
        if e.name().as_ref() == tag
            && (group.is_none() || depth_in_group.is_some())
            && let Some(v) = attribute(name)
        {
            found.push(v);
        }
        if start {
            depth += 1;
        }
    }
}

async fn svg(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "image/svg+xml",
        "{path}"
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_full_map_draws_every_departement_once_with_its_value() {
    let app = spawn_app().await;
    let body = svg(&app, "/charts/carte/part_extreme_droite").await;
    let drawn = departements(&body);
    assert_eq!(drawn.len(), 101, "{drawn:?}");
    let codes: BTreeSet<&str> = drawn.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(codes.len(), 101);
    assert!(codes.contains("dep-59") && codes.contains("dep-2A") && codes.contains("dep-976"));
    // Hover titles: the name and the value with its unit, as /indicateurs has it.
    let row = app.json("/indicateurs?region=32").await;
    let nord = row
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "59")
        .unwrap();
    let value = nord["part_extreme_droite"].as_f64().unwrap();
    let title = &drawn.iter().find(|(id, _)| id == "dep-59").unwrap().1;
    let expected = format!("{value:.1}").replace('.', ",");
    assert_eq!(
        title,
        &format!("Nord (59) : {expected}\u{a0}% des exprimés")
    );
    // Insets: the five overseas départements and Paris with its inner ring (copies, no id).
    assert_eq!(body.matches("<g class=\"encart\">").count(), 6);
    assert_eq!(body.matches("class=\"departement zoom\"").count(), 4);
    // The default classes: five quantiles, in the legend with counts adding up to 101.
    assert!(body.contains("Classes : quantiles (5)"));
    let counts: usize = body
        .lines()
        .filter(|l| l.contains("<rect") && l.contains("% des exprimés ("))
        .map(|l| {
            let n = l.rsplit('(').next().unwrap();
            n[..n.find(')').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counts, 101);
    assert!(body.len() < 150_000, "{} bytes", body.len());
    // The PNG decodes, at the size asked for.
    let png = app
        .get("/charts/carte/part_extreme_droite.png?width=800&height=450")
        .await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png.bytes().await.unwrap()).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (800, 450));
}

#[tokio::test]
async fn missing_values_are_hatched_and_said_so() {
    let app = spawn_app().await;
    // Mayotte has no median income.
    let body = svg(&app, "/charts/carte/revenu_median?classes=jenks&n=4").await;
    let drawn = departements(&body);
    let mayotte = &drawn.iter().find(|(id, _)| id == "dep-976").unwrap().1;
    assert_eq!(mayotte, "Mayotte (976) : non disponible");
    assert!(body.contains("fill=\"url(#non-disponible)\""));
    assert!(body.contains(">non disponible (1)</text>"));
    assert!(body.contains("Classes : seuils naturels de Jenks (4)"));
}

#[tokio::test]
async fn a_region_map_draws_its_departements_only_and_highlights_one() {
    let app = spawn_app().await;
    let body = svg(
        &app,
        "/charts/carte/taux_chomage?region=32&surligne=59&theme=dark",
    )
    .await;
    let codes: BTreeSet<String> = departements(&body).into_iter().map(|(id, _)| id).collect();
    let expected: BTreeSet<String> = ["02", "59", "60", "62", "80"]
        .iter()
        .map(|c| format!("dep-{c}"))
        .collect();
    assert_eq!(codes, expected);
    assert!(!body.contains("class=\"encart\""));
    assert_eq!(body.matches(" surligne\"").count(), 1);
    assert!(body.contains("id=\"dep-59\" class=\"departement surligne\""));
    // One overseas département alone: no inset, the département fills the map.
    let guadeloupe = svg(&app, "/charts/carte/taux_chomage?region=01").await;
    assert_eq!(departements(&guadeloupe).len(), 1);
    assert!(!guadeloupe.contains("class=\"encart\""));
}

#[tokio::test]
async fn categorical_and_signed_maps() {
    let app = spawn_app().await;
    // The leading family, in the families' colours; counts agree with /indicateurs.
    let body = svg(&app, "/charts/carte/famille-gagnante?annee=2017&tour=1").await;
    let rows = app.json("/indicateurs?annee=2017&tour=1").await;
    let gauche = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["est_departement"] == true && r["famille_gagnante"] == "gauche")
        .count();
    assert!(
        body.contains(&format!(">Gauche ({gauche})</text>")),
        "{body}"
    );
    assert!(body.contains("fill=\"#D55E00\""));
    assert_eq!(departements(&body).len(), 101);
    // The 2017 -> 2022 shift, signed, with a diverging palette centred on 0.
    let shift = svg(&app, "/charts/carte/evolution/extreme_droite?n=4").await;
    assert!(shift.contains(">Classes : quantiles (4), 0 pour borne"));
    let nord = &departements(&shift)
        .into_iter()
        .find(|(id, _)| id == "dep-59")
        .unwrap()
        .1;
    assert!(
        nord.starts_with("Nord (59) : +") && nord.ends_with("\u{a0}pts"),
        "{nord}"
    );
    // Out-of-fold predictions: as many right as /predictions says.
    let predictions = app.json("/predictions?modele=regression_logistique").await;
    let right = predictions["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["juste_hors_pli"] == true)
        .filter(|l| l["code"].as_str().is_some_and(|c| !c.starts_with('Z')))
        .count();
    let map = svg(
        &app,
        "/charts/carte/prediction?modele=regression_logistique",
    )
    .await;
    assert!(map.contains(&format!(">Juste ({right})</text>")), "{right}");
    // Issue 29: the title names the model by its label, not its id.
    assert!(
        map.contains("<title>Prédictions hors pli : Régression logistique, "),
        "{map}"
    );
    assert!(!map.contains(">Prédictions hors pli du modèle regression_logistique"));
    // The default model's set by its short French label, not its id.
    let default = svg(&app, "/charts/carte/prediction").await;
    let title = default
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    assert!(title.contains(" (+ INSEE + 2017), "), "{title}");
    assert!(!title.contains('_'), "{title}");
}

#[tokio::test]
async fn bad_map_parameters_are_problems_naming_the_allowed_values() {
    let app = spawn_app().await;
    for (path, parameter) in [
        ("/charts/carte/taux_chomage?classes=kmeans", "classes"),
        ("/charts/carte/taux_chomage?n=2", "n"),
        ("/charts/carte/taux_chomage?n=10", "n"),
        ("/charts/carte/taux_chomage?palette=rainbow", "palette"),
        ("/charts/carte/taux_chomage?region=99", "region"),
        ("/charts/carte/pas_une_variable", "variable"),
        ("/charts/carte/evolution/gauche?n=x", "n"),
        ("/charts/carte/taux_chomage?region=COM", "region"),
        ("/charts/carte/famille-gagnante?region=FE", "region"),
        ("/departements.geojson?region=COM", "region"),
    ] {
        let problem = app.problem(path, 400).await;
        assert_eq!(problem["parametre"], parameter, "{path}: {problem}");
    }
    let problem = app
        .problem("/charts/carte/taux_chomage?palette=rainbow", 400)
        .await;
    assert!(
        problem["valeurs_autorisees"]
            .as_array()
            .unwrap()
            .contains(&Value::from("viridis"))
    );
    // A region without a département on the map: the regions that have one.
    let problem = app
        .problem("/charts/carte/taux_chomage?region=COM", 400)
        .await;
    let regions = problem["valeurs_autorisees"].as_array().unwrap();
    assert_eq!(regions.len(), 18);
    assert!(regions.contains(&Value::from("32")) && !regions.contains(&Value::from("FE")));
    let problem = app.problem("/charts/carte/evolution/inconnue", 404).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("extreme_droite")
    );
    assert_problem(
        app.get("/charts/carte/taux_chomage?surligne=999").await,
        404,
    )
    .await;
    assert_problem(
        app.get("/charts/carte/prediction?modele=inconnu").await,
        404,
    )
    .await;
}

/// Signed area of a ring (shoelace): positive when counterclockwise.
fn area(ring: &[Value]) -> f64 {
    ring.windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            a[0].as_f64().unwrap() * b[1].as_f64().unwrap()
                - b[0].as_f64().unwrap() * a[1].as_f64().unwrap()
        })
        .sum::<f64>()
        / 2.0
}

#[tokio::test]
async fn the_geojson_is_rfc_7946_with_the_indicators_as_properties() {
    let app = spawn_app().await;
    let response = app.get("/departements.geojson").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let text = response.text().await.unwrap();
    let collection: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    assert_eq!(features.len(), 101);
    // Feature 59's properties are /indicateurs' row for 59, plus the region's name.
    let rows = app.json("/indicateurs").await;
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "59")
        .unwrap();
    let nord = features.iter().find(|f| f["id"] == "59").unwrap();
    let mut properties = nord["properties"].as_object().unwrap().clone();
    assert_eq!(
        properties.remove("region_nom"),
        Some(Value::from("Hauts-de-France"))
    );
    assert_eq!(&Value::Object(properties), row);
    // Right-hand rule: exteriors counterclockwise, holes clockwise; at most 5 decimals.
    for feature in features {
        let geometry = &feature["geometry"];
        let polygons: Vec<&Value> = match geometry["type"].as_str().unwrap() {
            "Polygon" => vec![&geometry["coordinates"]],
            "MultiPolygon" => geometry["coordinates"].as_array().unwrap().iter().collect(),
            other => panic!("{other}"),
        };
        for polygon in polygons {
            for (r, ring) in polygon.as_array().unwrap().iter().enumerate() {
                let ring = ring.as_array().unwrap();
                assert_eq!(ring.first(), ring.last());
                let a = area(ring);
                assert!(if r == 0 { a > 0.0 } else { a < 0.0 }, "{}", feature["id"]);
            }
        }
    }
    let decimals = text
        .split(['[', ']', ','])
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
        .filter_map(|t| t.split_once('.'))
        .map(|(_, d)| d.len())
        .max()
        .unwrap();
    assert!(decimals <= 5, "{decimals}");
    // Cached like the other responses.
    let again = app
        .client
        .get(format!("{}/departements.geojson", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // Simplified: smaller, same features; a region: its départements only.
    let simple = app
        .get("/departements.geojson?simplifie=true")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        simple.len() * 4 < text.len(),
        "{} vs {}",
        simple.len(),
        text.len()
    );
    let simple: Value = serde_json::from_str(&simple).unwrap();
    assert_eq!(simple["features"].as_array().unwrap().len(), 101);
    let region: Value = app
        .get("/departements.geojson?region=94&simplifie=true")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = region["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2A", "2B"]);
    let problem = app
        .problem("/departements.geojson?simplifie=peut-etre", 400)
        .await;
    assert_eq!(problem["parametre"], "simplifie");
}

#[tokio::test]
async fn a_small_map_is_stable() {
    let app = spawn_app().await;
    let body = svg(
        &app,
        "/charts/carte/taux_chomage?region=94&width=400&height=300",
    )
    .await;
    insta::assert_snapshot!("carte_corse", body);
}

/// Issue 29: a map of the overseas départements together draws each of them (it drew none),
/// on a French page and in a PNG with colour in it.
#[tokio::test]
async fn an_overseas_map_draws_every_overseas_departement() {
    let app = spawn_app().await;
    for path in [
        "/charts/carte/taux_chomage?perimetre=outre-mer",
        "/charts/carte/famille-gagnante?perimetre=outre-mer",
        "/charts/carte/evolution/gauche?perimetre=outre-mer",
    ] {
        let body = svg(&app, path).await;
        let codes: BTreeSet<String> = departements(&body).into_iter().map(|(id, _)| id).collect();
        let expected: BTreeSet<String> = ["971", "972", "973", "974", "976"]
            .iter()
            .map(|c| format!("dep-{c}"))
            .collect();
        assert_eq!(codes, expected, "{path}");
        assert_eq!(body.matches("class=\"encart\"").count(), 5, "{path}");
    }
    let png = app
        .get("/charts/carte/taux_chomage.png?perimetre=outre-mer")
        .await;
    assert_eq!(png.status(), 200);
    let bytes = png.bytes().await.unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
    // Viridis classes are neither white nor grey: count strongly coloured pixels.
    let coloured = pixmap
        .pixels()
        .iter()
        .filter(|p| {
            let (r, g, b) = (
                i32::from(p.red()),
                i32::from(p.green()),
                i32::from(p.blue()),
            );
            (r - g).abs() + (g - b).abs() + (r - b).abs() > 120
        })
        .count();
    assert!(coloured > 20_000, "the PNG has {coloured} coloured pixels");
}

/// Issue 29: with `surligne`, every département keeps a colour of the legend (the others
/// faded into colours the legend does not have), and the highlighted one has its outline.
#[tokio::test]
async fn a_highlight_keeps_every_fill_a_legend_colour() {
    let app = spawn_app().await;
    for path in [
        "/charts/carte/famille-gagnante?region=32&tour=1&surligne=59",
        "/charts/carte/taux_chomage?surligne=59",
    ] {
        let body = svg(&app, path).await;
        assert!(!body.contains("fill-opacity"), "{path}");
        let legende: BTreeSet<String> = attributs(&body, Some("legende"), b"rect", b"fill")
            .into_iter()
            .collect();
        let fills = attributs(&body, Some("carte"), b"path", b"fill");
        assert!(!fills.is_empty(), "{path}");
        for fill in fills.iter().filter(|f| *f != "none") {
            assert!(legende.contains(fill), "{path}: {fill} not in {legende:?}");
        }
        assert_eq!(body.matches(" surligne\"").count(), 1, "{path}");
        assert_eq!(body.matches("class=\"halo\"").count(), 1, "{path}");
    }
}

/// Issue 29: the shift map's default is 5 quantile classes with 0 as a bound; none is empty
/// and none holds most départements (equal classes put 87 of 101 in one).
#[tokio::test]
async fn the_shift_map_fills_its_classes() {
    let app = spawn_app().await;
    let body = svg(&app, "/charts/carte/evolution/extreme_droite").await;
    assert!(
        body.contains("Classes : quantiles (5), 0 pour borne"),
        "{body}"
    );
    let counts: Vec<usize> = body
        .split("pts (")
        .skip(1)
        .filter_map(|rest| rest.split(')').next()?.parse().ok())
        .collect();
    assert!((5..=6).contains(&counts.len()), "{counts:?}");
    assert_eq!(counts.iter().sum::<usize>(), 101, "{counts:?}");
    assert!(counts.iter().all(|&c| c > 0 && c <= 30), "{counts:?}");
}
