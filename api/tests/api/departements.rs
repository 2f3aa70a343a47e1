//! `/departements`: the list, a département's detail (2017 and 2022), its unemployment series and its evolution.

use crate::common::{check_round, f, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn departements_list_filters_by_region_and_text() {
    let app = spawn_app().await;
    let all = app.json("/departements").await;
    assert_eq!(all.as_array().unwrap().len(), 107);
    let nord = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "59")
        .unwrap();
    assert_eq!(nord["region_nom"], "Hauts-de-France");
    assert!(nord["taux_chomage"].as_f64().is_some());
    let zz = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ZZ")
        .unwrap();
    assert!(zz["taux_chomage"].is_null());
    assert_eq!(zz["est_departement"], false);

    let hdf = app.json("/departements?region=32").await;
    let codes: Vec<&str> = hdf
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["02", "59", "60", "62", "80"]);
    let search = app.json("/departements?q=CALAIS").await;
    assert_eq!(search[0]["code"], "62");
    let accents = app.json("/departements?q=reunion").await;
    assert_eq!(accents[0]["code"], "974");

    let problem = app.problem("/departements?region=99", 400).await;
    assert_eq!(problem["parametre"], "region");
    assert!(
        problem["valeurs_autorisees"]
            .as_array()
            .unwrap()
            .contains(&Value::from("32"))
    );
}

#[tokio::test]
async fn departement_detail_has_both_rounds_with_recomputable_rates() {
    let app = spawn_app().await;
    let nord = app.json("/departements/59").await;
    assert_eq!(nord["nom"], "Nord");
    assert_eq!(nord["trimestre"], "2022-T3");
    assert!(nord["taux_chomage"].as_f64().is_some());
    let tours = nord["tours"].as_array().unwrap();
    assert_eq!(tours.len(), 2);
    assert_eq!(tours[0]["candidats"].as_array().unwrap().len(), 12);
    assert_eq!(tours[1]["candidats"].as_array().unwrap().len(), 2);
    for t in tours {
        check_round(t);
    }
    let other_quarter = app.json("/departements/59?trimestre=1990-T1").await;
    assert_eq!(other_quarter["trimestre"], "1990-T1");
    assert_ne!(other_quarter["taux_chomage"], nord["taux_chomage"]);

    // Election-file and INSEE codes name the same département.
    assert_eq!(
        app.json("/departements/ZA").await,
        app.json("/departements/971").await
    );
    assert_eq!(app.json("/departements/2a").await["code"], "2A");
    assert_eq!(app.json("/departements/1").await["code"], "01");

    let problem = app.problem("/departements/123", 404).await;
    assert!(problem["detail"].as_str().unwrap().contains("'123'"));
    let problem = app.problem("/departements/59?trimestre=2030-T1", 400).await;
    assert_eq!(problem["parametre"], "trimestre");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("1982-T1 .. 2025-T3")
    );
    app.problem("/departements/59?trimestre=2022-Q3", 400).await;
}

#[tokio::test]
async fn unemployment_series_is_complete_and_ordered() {
    let app = spawn_app().await;
    let series = app.json("/departements/59/chomage").await;
    let points = series["points"].as_array().unwrap();
    assert_eq!(points.len(), 175);
    assert_eq!(points[0]["periode"], "1982-T1");
    assert_eq!(points[174]["periode"], "2025-T3");
    let guadeloupe = app.json("/departements/ZA/chomage").await;
    assert_eq!(guadeloupe["points"][0]["periode"], "2014-T1");
    let abroad = app.json("/departements/ZZ/chomage").await;
    assert_eq!(abroad["points"].as_array().unwrap().len(), 0);
    app.problem("/departements/00/chomage", 404).await;
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
async fn departement_59_snapshot() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!("departement_59", app.json("/departements/59").await);
}

/// A département's neighbours (queen contiguity, from the outlines): as a reader of a map
/// expects, none for the overseas départements and the other constituencies.
#[tokio::test]
async fn departement_lists_its_neighbours() {
    let app = spawn_app().await;
    for (code, expected) in [
        (
            "59",
            vec![("02", "Aisne"), ("62", "Pas-de-Calais"), ("80", "Somme")],
        ),
        (
            "75",
            vec![
                ("92", "Hauts-de-Seine"),
                ("93", "Seine-Saint-Denis"),
                ("94", "Val-de-Marne"),
            ],
        ),
        ("2A", vec![("2B", "Haute-Corse")]),
        ("971", vec![]),
        ("976", vec![]),
        ("ZZ", vec![]),
    ] {
        let d = app.json(&format!("/departements/{code}")).await;
        let voisins: Vec<(String, String)> = d["voisins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["code"].as_str().unwrap().to_owned(),
                    v["nom"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
            .collect();
        assert_eq!(voisins, expected, "{code}");
    }
    // Symmetric over every département.
    let list = app.json("/departements").await;
    for d in list.as_array().unwrap() {
        let code = d["code"].as_str().unwrap();
        let detail = app.json(&format!("/departements/{code}")).await;
        for v in detail["voisins"].as_array().unwrap() {
            let other = app
                .json(&format!("/departements/{}", v["code"].as_str().unwrap()))
                .await;
            assert!(
                other["voisins"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|w| w["code"] == code),
                "{code} <-> {}",
                v["code"]
            );
        }
    }
}
