//! `/spatial/moran` and `/spatial/lisa`: Moran's I and LISA on the contiguity weights, their
//! scope, their determinism, and their refusals. Parity with PySAL: `bench/spatial_parity.sh`.

use serde_json::Value;

use crate::common::{assert_problem, spawn_app};

#[tokio::test]
async fn moran_is_positive_for_the_vote_and_deterministic() {
    let app = spawn_app().await;
    let path = "/spatial/moran?variable=part_extreme_droite&perimetre=metropole";
    let m = app.json(path).await;
    assert_eq!(m["n"], 96);
    assert_eq!(m["permutations"], 999);
    let i = m["i"].as_f64().unwrap();
    assert!(i > 0.5, "{i}");
    assert!((m["esperance"].as_f64().unwrap() + 1.0 / 95.0).abs() < 1e-15);
    assert!(m["p_permutations"].as_f64().unwrap() <= 0.002);
    assert!(m["z_randomisation"].as_f64().unwrap() > 5.0);
    assert_eq!(m["exclus"], Value::Array(vec![]));
    // Fixed seed: the same URL gives the same answer (not only from the cache).
    let again = app
        .client
        .get(format!("{}{path}", app.address))
        .header("Cache-Control", "no-cache")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(again, m);
    // France: the overseas départements have no neighbour, left out and listed.
    let france = app
        .json("/spatial/moran?variable=part_extreme_droite")
        .await;
    let exclus: Vec<(&str, &str)> = france["exclus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["raison"].as_str().unwrap()))
        .collect();
    assert_eq!(
        exclus,
        [
            ("971", "sans voisin"),
            ("972", "sans voisin"),
            ("973", "sans voisin"),
            ("974", "sans voisin"),
            ("976", "sans voisin")
        ]
    );
    assert_eq!(france["i"], m["i"]);
}

#[tokio::test]
async fn lisa_gives_each_departement_its_cluster() {
    let app = spawn_app().await;
    let l = app
        .json("/spatial/lisa?variable=taux_chomage&perimetre=metropole&alpha=0.01")
        .await;
    let lignes = l["lignes"].as_array().unwrap();
    assert_eq!(lignes.len(), 96);
    assert_eq!(l["alpha"], 0.01);
    // Σ Ii = (n - 1) I (esda's scaling, row-standardised weights).
    let m = app
        .json("/spatial/moran?variable=taux_chomage&perimetre=metropole")
        .await;
    let sum: f64 = lignes.iter().map(|x| x["i"].as_f64().unwrap()).sum();
    assert!((sum - 95.0 * m["i"].as_f64().unwrap()).abs() < 1e-9);
    for x in lignes {
        let (z, lag, p) = (
            x["z"].as_f64().unwrap(),
            x["decalage"].as_f64().unwrap(),
            x["p"].as_f64().unwrap(),
        );
        let expected = if p > 0.01 {
            "ns"
        } else {
            match (z > 0.0, lag > 0.0) {
                (true, true) => "HH",
                (false, false) => "LL",
                (true, false) => "HL",
                (false, true) => "LH",
            }
        };
        assert_eq!(x["quadrant"], expected, "{x}");
    }
    // The Nord, high unemployment among high: a hot spot.
    let nord = lignes.iter().find(|x| x["code"] == "59").unwrap();
    assert_eq!(nord["quadrant"], "HH");
}

#[tokio::test]
async fn bad_spatial_requests_are_problems() {
    let app = spawn_app().await;
    for (path, parameter) in [
        ("/spatial/moran", "variable"),
        ("/spatial/moran?variable=inconnue", "variable"),
        (
            "/spatial/moran?variable=taux_chomage&permutations=98",
            "permutations",
        ),
        (
            "/spatial/moran?variable=taux_chomage&permutations=10000",
            "permutations",
        ),
        ("/spatial/lisa?variable=taux_chomage&alpha=0", "alpha"),
        ("/spatial/lisa?variable=taux_chomage&alpha=0.9", "alpha"),
        (
            "/spatial/lisa?variable=taux_chomage&perimetre=partout",
            "perimetre",
        ),
    ] {
        let problem = app.problem(path, 400).await;
        assert_eq!(problem["parametre"], parameter, "{path}");
    }
    // One or two départements (Corse; one overseas département): 422, saying how many.
    for path in [
        "/spatial/moran?variable=taux_chomage&region=94",
        "/spatial/lisa?variable=taux_chomage&region=01",
        "/spatial/moran?variable=taux_chomage&perimetre=outre-mer",
    ] {
        let problem = assert_problem(app.get(path).await, 422).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("département(s)"),
            "{path}: {problem}"
        );
    }
}

#[tokio::test]
async fn the_lisa_map_and_the_moran_plot_draw() {
    let app = spawn_app().await;
    let response = app
        .get("/charts/carte/lisa/taux_chomage?perimetre=metropole")
        .await;
    assert_eq!(response.status(), 200);
    let svg = response.text().await.unwrap();
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut paths = 0;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e)
                if e.name().as_ref() == b"path"
                    && e.attributes().flatten().any(|a| a.key.as_ref() == b"id") =>
            {
                paths += 1;
            }
            _ => {}
        }
    }
    assert_eq!(paths, 96);
    let lisa = app
        .json("/spatial/lisa?variable=taux_chomage&perimetre=metropole")
        .await;
    let hot = lisa["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["quadrant"] == "HH")
        .count();
    assert!(
        svg.contains(&format!(">Haut-haut (point chaud) ({hot})</text>")),
        "{hot}"
    );
    assert!(svg.contains("fill=\"#D7191C\""));
    // The whole of France: the overseas départements, without neighbours, hatched.
    let france = app
        .get("/charts/carte/lisa/taux_chomage")
        .await
        .text()
        .await
        .unwrap();
    assert!(france.contains("<title>Guyane (973) : sans voisin</title>"));
    // Issue 29: the legend says why they are hatched (they have values).
    assert!(france.contains(">sans voisin (5)</text>"), "{france}");
    assert!(!france.contains(">non disponible ("), "{france}");
    let moran = app
        .get("/charts/moran/taux_chomage.png?perimetre=metropole")
        .await;
    assert_eq!(moran.status(), 200);
    let png = moran.bytes().await.unwrap();
    assert!(resvg::tiny_skia::Pixmap::decode_png(&png).is_ok());
    let svg = app
        .get("/charts/moran/taux_chomage?perimetre=metropole")
        .await
        .text()
        .await
        .unwrap();
    let m = app
        .json("/spatial/moran?variable=taux_chomage&perimetre=metropole")
        .await;
    let i = format!("{:.3}", m["i"].as_f64().unwrap()).replace('.', ",");
    assert!(svg.contains(&format!("Pente = I de Moran = {i}")), "{i}");
    // Refusals like the JSON's.
    assert_problem(
        app.get("/charts/carte/lisa/taux_chomage?region=94").await,
        422,
    )
    .await;
    let problem = app.problem("/charts/moran/taux_chomage?alpha=2", 400).await;
    assert_eq!(problem["parametre"], "alpha");
}
