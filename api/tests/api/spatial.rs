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
        (
            "/spatial/lisa?variable=taux_chomage&correction=bonferroni",
            "correction",
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
    // Issue 29: the legend says why they are hatched: four have a rate but no neighbour,
    // Mayotte has no rate at all; nothing is "non disponible".
    assert!(france.contains(">sans voisin (4)</text>"), "{france}");
    assert!(france.contains("<title>Mayotte (976) : sans valeur</title>"));
    assert!(france.contains(">sans valeur (1)</text>"), "{france}");
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

/// Issue 29: LISA over 96 tests with a false-discovery-rate correction (Benjamini-Hochberg):
/// enough permutations that the smallest BH threshold α/n can be reached, each adjusted
/// p-value recomputed here from the raw ones, and fewer clusters than uncorrected.
#[tokio::test]
async fn lisa_corrects_for_the_false_discovery_rate() {
    let app = spawn_app().await;
    let path = "/spatial/lisa?variable=part_extreme_droite&perimetre=metropole";
    let brute = app.json(path).await;
    let fdr = app.json(&format!("{path}&correction=fdr")).await;
    assert_eq!(brute["correction"], "aucune");
    assert_eq!(fdr["correction"], "fdr");
    let n = fdr["n"].as_u64().unwrap();
    assert_eq!(n, 96);
    let permutations = fdr["permutations"].as_u64().unwrap();
    assert!(
        (permutations as f64 + 1.0).recip() <= 0.05 / n as f64,
        "{permutations} permutations cannot reach alpha / n"
    );
    let lignes = fdr["lignes"].as_array().unwrap();
    // Benjamini-Hochberg: p_(k) * n / k, made monotone from the largest p down, capped at 1.
    let mut order: Vec<(f64, f64)> = lignes
        .iter()
        .map(|l| (l["p"].as_f64().unwrap(), l["p_fdr"].as_f64().unwrap()))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut running = 1.0_f64;
    for (k, (p, p_fdr)) in order.iter().enumerate().rev() {
        running = running.min(p * n as f64 / (k + 1) as f64).min(1.0);
        assert!(
            (running - p_fdr).abs() < 1e-12,
            "rank {k}: {p_fdr} != {running}"
        );
        assert!(p_fdr >= p);
    }
    let significant = |body: &Value| {
        body["lignes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["quadrant"] != "ns")
            .count()
    };
    for l in lignes {
        let kept = l["p_fdr"].as_f64().unwrap() <= 0.05;
        assert_eq!(l["quadrant"] != "ns", kept, "{l}");
    }
    let (before, after) = (significant(&brute), significant(&fdr));
    assert!(after > 0 && after < before, "{after} of {before} survive");
    // Without the correction, no adjusted p-value is given.
    assert!(brute["lignes"][0]["p_fdr"].is_null());
}

/// Issue 29: over `perimetre=france` the five overseas départements have no neighbour; the
/// response says the figure is the metropolitan one, and the metropolitan response has
/// nothing to say.
#[tokio::test]
async fn spatial_statistics_say_what_they_leave_out() {
    let app = spawn_app().await;
    let france = app
        .json("/spatial/moran?variable=part_extreme_droite")
        .await;
    let metropole = app
        .json("/spatial/moran?variable=part_extreme_droite&perimetre=metropole")
        .await;
    assert_eq!(france["n"], 96);
    assert_eq!(france["i"], metropole["i"]);
    let note = france["avertissement"].as_str().unwrap();
    assert!(note.starts_with("5 départements sans voisin"), "{note}");
    assert!(note.contains("96 autres"), "{note}");
    assert!(note.contains("celle de la métropole"), "{note}");
    assert!(metropole["avertissement"].is_null(), "{metropole}");
    let lisa = app.json("/spatial/lisa?variable=taux_chomage").await;
    assert!(
        lisa["avertissement"]
            .as_str()
            .unwrap()
            .starts_with("4 départements sans voisin"),
        "{lisa}"
    );
    // The Visualisations page says it too.
    let page = app.get("/visualisations").await.text().await.unwrap();
    assert!(page.contains("pas un chiffre de la France entière"));
}
