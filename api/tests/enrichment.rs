//! The 2017 election and the socio-economic indicators, served by the real server over HTTP
//! from the committed dump.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spawn_app;
use serde_json::Value;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[tokio::test]
async fn national_2017_totals_are_the_published_ones() {
    let app = spawn_app().await;
    // Ministry of the Interior, 2017 round 1, France entière.
    let t1 = app.json("/indicateurs/national?annee=2017&tour=1").await;
    assert_eq!(t1["annee"], 2017);
    assert_eq!(t1["date_scrutin"], "2017-04-23");
    assert_eq!(t1["inscrits"], 47_582_183);
    assert_eq!(t1["exprimes"], 36_054_394);
    let macron = t1["candidats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["nom"] == "MACRON")
        .unwrap();
    assert_eq!(macron["voix"], 8_656_346);
    assert_eq!(t1["candidats"].as_array().unwrap().len(), 11);
    // Round 2 as proclaimed by the Conseil constitutionnel: the sum over départements.
    let t2 = app.json("/indicateurs/national?annee=2017&tour=2").await;
    assert_eq!(t2["date_scrutin"], "2017-05-07");
    assert_eq!(t2["inscrits"], 47_568_693);
    assert_eq!(t2["votants"], 35_467_327);
    assert_eq!(t2["exprimes"], 31_381_603);
    assert_eq!(t2["gagnant"]["nom"], "MACRON");
    assert_eq!(t2["gagnant"]["voix"], 20_743_128);
    let voix: Vec<i64> = t2["candidats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["voix"].as_i64().unwrap())
        .collect();
    assert_eq!(voix, [20_743_128, 10_638_475]);
    // The default stays 2022.
    let d = app.json("/indicateurs/national").await;
    assert_eq!(d["annee"], 2022);
    assert_eq!(d["candidats"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn bad_year_is_a_problem_listing_the_years() {
    let app = spawn_app().await;
    for path in [
        "/indicateurs?annee=2019",
        "/indicateurs/national?annee=abc",
        "/departements/59?annee=2012",
        "/correlations?annee=1",
        "/charts/nuage?annee=2020",
        "/charts/departements/59/familles?annee=2019",
    ] {
        let problem = app.problem(path, 400).await;
        assert_eq!(problem["parametre"], "annee", "{path}");
        assert_eq!(
            problem["valeurs_autorisees"],
            serde_json::json!(["2017", "2022"]),
            "{path}"
        );
    }
    app.problem("/departements/59/evolution?tour=3", 400).await;
    app.problem("/departements/999/evolution", 404).await;
    app.problem("/charts/evolution?departement=999", 404).await;
}

#[tokio::test]
async fn indicator_rows_carry_socio_economic_values_and_nulls() {
    let app = spawn_app().await;
    let rows = app.json("/indicateurs?annee=2017").await;
    let rows = rows.as_array().unwrap();
    let nord = rows.iter().find(|r| r["code"] == "59").unwrap();
    assert_eq!(nord["annee"], 2017);
    assert_eq!(nord["trimestre"], "2017-T3");
    assert_eq!(f(&nord["revenu_median"]), 20290.0);
    assert_eq!(f(&nord["taux_pauvrete"]), 18.9);
    assert!(f(&nord["densite"]) > 400.0);
    let mayotte = rows.iter().find(|r| r["code"] == "976").unwrap();
    for key in [
        "revenu_median",
        "taux_pauvrete",
        "part_pensions",
        "superficie",
        "densite",
    ] {
        assert!(mayotte[key].is_null(), "{key}");
    }
    assert!(f(&mayotte["population"]) > 250_000.0);
    // Outside the 101 départements there is no socio-economic value.
    let abroad = rows.iter().find(|r| r["code"] == "ZZ").unwrap();
    assert!(abroad["population"].is_null());
    // CSV carries the same columns.
    let csv = app
        .get("/indicateurs?format=csv&annee=2017")
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains(",annee,tour,"), "{header}");
    assert!(header.ends_with("superficie,densite"), "{header}");
}

#[tokio::test]
async fn departement_detail_has_year_sources_and_both_2017_rounds() {
    let app = spawn_app().await;
    let d = app.json("/departements/59?annee=2017").await;
    assert_eq!(d["annee"], 2017);
    // Without a quarter, the unemployment rate is that of the election year, as in /indicateurs.
    assert_eq!(d["trimestre"], "2017-T3");
    let tours = d["tours"].as_array().unwrap();
    assert_eq!(tours.len(), 2);
    assert_eq!(tours[0]["date_scrutin"], "2017-04-23");
    assert_eq!(tours[1]["date_scrutin"], "2017-05-07");
    let socio = d["socio_economie"].as_array().unwrap();
    assert_eq!(socio.len(), 8);
    assert_eq!(socio[0]["indicateur"], "revenu_median");
    assert_eq!(socio[0]["annee"], 2019);
    assert_eq!(socio[0]["source"], "INSEE, Filosofi 2019");
    assert_eq!(socio[0]["unite"], "EUR");
    let mayotte = app.json("/departements/976").await;
    let immigres = mayotte["socio_economie"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["indicateur"] == "part_immigres")
        .unwrap()
        .clone();
    assert_eq!(immigres["annee"], 2017);
    assert!(mayotte["socio_economie"][0]["valeur"].is_null());
}

#[tokio::test]
async fn evolution_is_the_difference_of_both_years_shares() {
    let app = spawn_app().await;
    let e = app.json("/departements/59/evolution").await;
    let t2017 = app.json("/departements/59?annee=2017").await;
    let t2022 = app.json("/departements/59").await;
    let share = |d: &Value, famille: &str| {
        d["tours"][0]["familles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["famille"] == famille)
            .map(|f| f64::from(f["part_exprimes"].as_f64().unwrap() as f32))
            .unwrap()
    };
    for fam in e["familles"].as_array().unwrap() {
        let code = fam["famille"].as_str().unwrap();
        assert_eq!(f(&fam["part_2017"]) as f32, share(&t2017, code) as f32);
        assert_eq!(f(&fam["part_2022"]) as f32, share(&t2022, code) as f32);
        assert!(
            (f(&fam["ecart_points"]) - (f(&fam["part_2022"]) - f(&fam["part_2017"]))).abs() < 1e-3
        );
    }
    assert!(
        (f(&e["ecart_participation_points"])
            - (f(&t2022["tours"][0]["taux_participation"])
                - f(&t2017["tours"][0]["taux_participation"])))
        .abs()
            < 1e-3
    );
    // Fillon (droite, 2017) against Pécresse and others (2022): the right fell in the Nord.
    let droite = e["familles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["famille"] == "droite")
        .unwrap()
        .clone();
    assert!(f(&droite["ecart_points"]) < -10.0);
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
    assert!(
        svg.contains("Nord : évolution 2017 -&gt; 2022")
            || svg.contains("Nord : évolution 2017 -> 2022")
    );
    assert!(svg.contains("Participation"));
    let png = app.get("/charts/evolution.png").await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn every_model_exposes_its_feature_set_and_predicts_with_it() {
    let app = spawn_app().await;
    let models = app.json("/models").await;
    let models = models.as_array().unwrap();
    assert_eq!(models.len(), 18);
    for jeu in [
        "indicateurs_2022",
        "socio_economique",
        "socio_economique_historique",
    ] {
        assert_eq!(
            models.iter().filter(|m| m["jeu_features"] == jeu).count(),
            6,
            "{jeu}"
        );
    }
    let historique = models
        .iter()
        .find(|m| m["id"] == "regression_logistique__socio_economique_historique")
        .unwrap();
    let card = app
        .json("/models/regression_logistique__socio_economique_historique")
        .await;
    assert_eq!(card["jeu_features"], "socio_economique_historique");
    let limites = card["limites"].as_array().unwrap();
    assert!(
        limites
            .iter()
            .any(|l| l.as_str().unwrap().contains("votes de 2017"))
    );
    assert!(
        limites
            .iter()
            .any(|l| l.as_str().unwrap().contains("Filosofi 2019"))
    );
    let plain = app.json("/models/knn").await;
    assert_eq!(plain["limites"].as_array().unwrap().len(), 4);
    let features = historique["features"].as_array().unwrap();
    assert_eq!(features.len(), 16);
    assert!(features.contains(&Value::from("part_extreme_droite_2017")));
    assert!(features.contains(&Value::from("revenu_median")));
    let client = reqwest::Client::new();
    let url = format!("{}/predict", app.address);
    let p: Value = client
        .post(&url)
        .json(&serde_json::json!({"departement": "59", "modele": "foret_aleatoire__socio_economique"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let used: Vec<&str> = p["features"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(used.len(), 12);
    assert!(used.contains(&"densite"));
    // The accuracy chart names each model's set; one set on request.
    let all = app
        .get("/charts/models/accuracy")
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains("Régression logistique [+ INSEE + 2017]"));
    assert!(all.contains("Régression logistique [2022]"));
    let one = app
        .get("/charts/models/accuracy?jeu=socio_economique")
        .await
        .text()
        .await
        .unwrap();
    assert!(one.contains("Régression logistique"));
    assert!(!one.contains("["), "one set: no set in the labels");
    let problem = app.problem("/charts/models/accuracy?jeu=tout", 400).await;
    assert_eq!(problem["parametre"], "jeu");
    // A feature outside the chosen model's set is refused.
    let refused = client
        .post(&url)
        .json(&serde_json::json!({"departement": "59", "modele": "knn", "overrides": {"densite": 100.0}}))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());
}

#[tokio::test]
async fn reference_lists_the_elections_and_the_indicators() {
    let app = spawn_app().await;
    let elections = app.json("/elections").await;
    let elections = elections.as_array().unwrap();
    let rounds: Vec<(i64, i64, &str)> = elections
        .iter()
        .map(|e| {
            (
                e["annee"].as_i64().unwrap(),
                e["tour"].as_i64().unwrap(),
                e["date_scrutin"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rounds,
        [
            (2017, 1, "2017-04-23"),
            (2017, 2, "2017-05-07"),
            (2022, 1, "2022-04-10"),
            (2022, 2, "2022-04-24")
        ]
    );
    let t1_2017 = elections[0]["candidats"].as_array().unwrap();
    assert_eq!(t1_2017.len(), 11);
    let fillon = t1_2017.iter().find(|c| c["nom"] == "FILLON").unwrap();
    assert_eq!(fillon["famille"], "droite");
    assert_eq!(elections[3]["candidats"].as_array().unwrap().len(), 2);

    // Families list both elections' candidates, each with the years they stood.
    let familles = app.json("/familles").await;
    let candidats: Vec<&Value> = familles
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["candidats"].as_array().unwrap())
        .collect();
    assert_eq!(candidats.len(), 16);
    let years = |nom: &str| {
        candidats
            .iter()
            .find(|c| c["nom"] == nom)
            .map(|c| c["annees"].clone())
            .unwrap()
    };
    assert_eq!(years("MACRON"), serde_json::json!([2017, 2022]));
    assert_eq!(years("HAMON"), serde_json::json!([2017]));
    assert_eq!(years("ZEMMOUR"), serde_json::json!([2022]));

    let indicateurs = app.json("/indicateurs/socio-economiques").await;
    let indicateurs = indicateurs.as_array().unwrap();
    assert_eq!(indicateurs.len(), 8);
    let find = |code: &str| indicateurs.iter().find(|i| i["code"] == code).unwrap();
    assert_eq!(
        find("revenu_median")["departements_sans_valeur"],
        serde_json::json!(["976"])
    );
    assert_eq!(find("revenu_median")["unite"], "EUR");
    assert_eq!(
        find("densite")["departements_sans_valeur"],
        serde_json::json!(["976"])
    );
    assert_eq!(
        find("population")["departements_sans_valeur"],
        serde_json::json!([])
    );
    assert_eq!(
        find("part_immigres")["annees"],
        serde_json::json!([2017, 2021])
    );
}
