//! `/correlations`: the matrix, its sample and its variables.

use crate::common::{close, f, spawn_app};

#[tokio::test]
async fn correlations_matrix_is_symmetric_with_unit_diagonal() {
    let app = spawn_app().await;
    let c = app.json("/correlations").await;
    assert_eq!(c["methode"], "pearson");
    assert_eq!(
        c["n"], 100,
        "101 départements, Mayotte has no unemployment rate"
    );
    assert_eq!(c["exclus"], serde_json::json!(["976"]));
    let m = c["matrice"].as_array().unwrap();
    let k = c["variables"].as_array().unwrap().len();
    assert_eq!(k, 8);
    assert_eq!(m.len(), k);
    for (a, row) in m.iter().enumerate() {
        assert!(close(f(&row[a]), 1.0));
        for (b, value) in row.as_array().unwrap().iter().enumerate() {
            assert_eq!(*value, m[b][a]);
            assert!(f(value).abs() <= 1.0);
        }
    }
    let pair = app
        .json("/correlations?variables=taux_abstention,taux_participation&methode=spearman")
        .await;
    assert!(close(f(&pair["matrice"][0][1]), -1.0));
    assert_eq!(pair["n"], 101);

    let problem = app
        .problem("/correlations?variables=taux_chomage,revenu", 400)
        .await;
    assert_eq!(problem["parametre"], "variables");
    assert!(problem["detail"].as_str().unwrap().contains("'revenu'"));
    assert_eq!(problem["valeurs_autorisees"].as_array().unwrap().len(), 17);
    app.problem("/correlations?variables=taux_chomage", 400)
        .await;
    app.problem("/correlations?methode=kendall", 400).await;
    let corse = app.problem("/correlations?region=94", 400).await;
    assert!(corse["detail"].as_str().unwrap().contains("only 2"));
}

#[tokio::test]
async fn correlations_and_charts_accept_the_new_variables() {
    let app = spawn_app().await;
    let c = app
        .json("/correlations?variables=revenu_median,taux_pauvrete,part_extreme_droite&annee=2017")
        .await;
    assert_eq!(c["annee"], 2017);
    assert_eq!(c["variables"].as_array().unwrap().len(), 3);
    // Mayotte has no income nor unemployment: 100 départements (Corsica included).
    assert!(c["n"].as_i64().unwrap() >= 95);
    let r = f(&c["matrice"][0][1]);
    assert!(r < -0.5, "income and poverty move against each other: {r}");
    for path in [
        "/charts/nuage?x=densite&y=part_extreme_droite&annee=2017",
        "/charts/histogramme/revenu_median",
        "/charts/evolution",
        "/charts/evolution?departement=59&tour=2",
        "/charts/departements/59/candidats?annee=2017",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let svg = response.text().await.unwrap();
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "{path}"
        );
    }
    // Every new indicator as a histogram and as box plots, for both elections.
    for variable in [
        "revenu_median",
        "taux_pauvrete",
        "part_pensions",
        "population",
        "part_65_ans_et_plus",
        "part_immigres",
        "superficie",
        "densite",
    ] {
        for chart in ["histogramme", "boites"] {
            for annee in ["2017", "2022"] {
                let path = format!("/charts/{chart}/{variable}?annee={annee}");
                let response = app.get(&path).await;
                assert_eq!(response.status(), 200, "{path}");
                assert_eq!(
                    response.headers()["content-type"],
                    "image/svg+xml",
                    "{path}"
                );
            }
        }
    }
    let svg = app
        .get("/charts/evolution?departement=59")
        .await
        .text()
        .await
        .unwrap();
    assert!(svg.contains("Nord : évolution 2017 → 2022"));
    assert!(svg.contains("Participation"));
    let png = app.get("/charts/evolution.png").await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn correlations_of_a_region_snapshot() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!(
        "correlations_hdf",
        app.json(
            "/correlations?region=32&variables=taux_chomage,taux_abstention,part_extreme_droite"
        )
        .await
    );
}

/// The perimeter (`perimetre=france|metropole|outre-mer`): the four overseas départements
/// with an unemployment rate hide the national correlation of unemployment with the extreme
/// right's share (r about 0.01 over 100 départements, 0.41 over the 96 metropolitan ones).
#[tokio::test]
async fn the_perimeter_selects_metropolitan_france_or_overseas() {
    let app = spawn_app().await;
    let rows = app.json("/indicateurs?perimetre=metropole").await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 96);
    assert_eq!(
        rows.iter()
            .filter(|r| r["taux_chomage"].is_number())
            .count(),
        96
    );
    assert!(
        rows.iter()
            .all(|r| !r["code"].as_str().unwrap().starts_with("97"))
    );
    let overseas = app.json("/indicateurs?perimetre=outre-mer").await;
    let codes: Vec<&str> = overseas
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"971") && codes.contains(&"976") && !codes.contains(&"59"));
    assert!(!codes.contains(&"ZZ"), "French people abroad are neither");

    let pair = "/correlations?variables=taux_chomage,part_extreme_droite";
    let france = app.json(pair).await;
    let metropole = app.json(&format!("{pair}&perimetre=metropole")).await;
    assert_eq!(
        (france["n"].as_u64(), metropole["n"].as_u64()),
        (Some(100), Some(96))
    );
    assert_eq!(metropole["perimetre"], "metropole");
    assert_eq!(france["exclus"], serde_json::json!(["976"]));
    let (r_france, r_metropole) = (
        france["matrice"][0][1].as_f64().unwrap(),
        metropole["matrice"][0][1].as_f64().unwrap(),
    );
    assert!(r_france.abs() < 0.05, "{r_france}");
    assert!((r_metropole - 0.41).abs() < 0.02, "{r_metropole}");

    // The scatter plot says its n; the map and the GeoJSON follow the perimeter.
    let svg = app
        .get("/charts/nuage?perimetre=metropole")
        .await
        .text()
        .await
        .unwrap();
    assert!(svg.contains("départements de métropole, n = 96, 1er tour 2022)"));
    // Over France, the chart says who is left out.
    let svg = app.get("/charts/nuage").await.text().await.unwrap();
    assert!(svg.contains("(départements, n = 100, 1er tour 2022 ; sans valeur : 976)"));
    let map = app
        .get("/charts/carte/taux_chomage?perimetre=metropole")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(map.matches("<path id=\"dep-").count(), 96);
    assert_eq!(map.matches("<g class=\"encart\">").count(), 1, "Paris only");
    let geo: serde_json::Value = app
        .get("/departements.geojson?perimetre=outre-mer&simplifie=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 5);

    // Refusals: an unknown perimeter names the three; an empty combination is a 400.
    let problem = app.problem("/indicateurs?perimetre=mars", 400).await;
    assert_eq!(problem["parametre"], "perimetre");
    assert_eq!(
        problem["valeurs_autorisees"],
        serde_json::json!(["france", "metropole", "outre-mer"])
    );
    let problem = app
        .problem("/correlations?perimetre=outre-mer&region=32", 400)
        .await;
    assert_eq!(problem["parametre"], "region");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("not in perimetre")
    );
}

/// Issue 29: each coefficient comes with its p-value (Student's t, n − 2 degrees of freedom)
/// and its 95 % interval (Fisher's z), and the response says why both are optimistic.
#[tokio::test]
async fn correlations_give_p_values_and_intervals() {
    let app = spawn_app().await;
    for (path, n, spearman) in [
        (
            "/correlations?variables=taux_chomage,part_extreme_droite",
            100,
            false,
        ),
        (
            "/correlations?variables=taux_chomage,part_extreme_droite&perimetre=metropole",
            96,
            false,
        ),
        (
            "/correlations?variables=taux_chomage,part_extreme_droite&methode=spearman",
            100,
            true,
        ),
    ] {
        let c = app.json(path).await;
        assert_eq!(c["n"], n, "{path}");
        let r = f(&c["matrice"][0][1]);
        let p = f(&c["p_valeurs"][0][1]);
        assert_eq!(c["p_valeurs"][0][1], c["p_valeurs"][1][0]);
        assert!(c["p_valeurs"][0][0].is_null() && c["ic95"][1][1].is_null());
        let (low, high) = (f(&c["ic95"][0][1][0]), f(&c["ic95"][0][1][1]));
        assert!(low < r && r < high, "{path}: {low} {r} {high}");
        // Fisher's z: tanh(atanh r ± 1.96 se), se = 1/√(n−3), √(1.06/(n−3)) for ρ.
        let se = if spearman { 1.06_f64 } else { 1.0 }.sqrt() / ((n - 3) as f64).sqrt();
        let z = r.atanh();
        assert!((low - (z - 1.959_964 * se).tanh()).abs() < 1e-5, "{path}");
        assert!((high - (z + 1.959_964 * se).tanh()).abs() < 1e-5, "{path}");
        // The interval excludes 0 exactly when p < 0.05.
        assert_eq!(low > 0.0 || high < 0.0, p < 0.05, "{path}: p = {p}");
        let note = c["avertissement"].as_str().unwrap();
        assert!(note.contains("spatialement autocorrélées"), "{note}");
        assert!(note.contains("inférence écologique"), "{note}");
    }
    // r = 0.014 over 100 départements: nothing (p ≈ 0.89); over the 96 metropolitan ones
    // r = 0.41: t = 4.4, p ≈ 3e-5.
    let france = app
        .json("/correlations?variables=taux_chomage,part_extreme_droite")
        .await;
    assert!((f(&france["p_valeurs"][0][1]) - 0.8929).abs() < 1e-3);
    let metropole = app
        .json("/correlations?variables=taux_chomage,part_extreme_droite&perimetre=metropole")
        .await;
    let p = f(&metropole["p_valeurs"][0][1]);
    assert!(p > 1e-5 && p < 1e-4, "{p}");
}
