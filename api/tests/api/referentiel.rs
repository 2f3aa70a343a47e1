//! `/familles`, `/regions`, `/elections`, `/indicateurs/socio-economiques`.

use crate::common::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn reference_tables() {
    let app = spawn_app().await;
    let familles = app.json("/familles").await;
    let codes: Vec<&str> = familles
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["gauche", "centre", "droite", "extreme_droite", "divers"]
    );
    // Left candidates of 2022 and 2017 (Hamon).
    assert_eq!(familles[0]["candidats"].as_array().unwrap().len(), 7);
    let regions = app.json("/regions").await;
    let total: usize = regions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["departements"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, 107);
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
            (2022, 2, "2022-04-24"),
            (2017, 1, "2017-06-11"),
            (2017, 2, "2017-06-18"),
            (2022, 1, "2022-06-12"),
            (2022, 2, "2022-06-19"),
            (2024, 1, "2024-06-30"),
            (2024, 2, "2024-07-07")
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

#[tokio::test]
async fn familles_snapshot() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!("familles", app.json("/familles").await);
}
