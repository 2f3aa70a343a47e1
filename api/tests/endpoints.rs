//! Every endpoint of the real server, over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spawn_app;
use serde_json::Value;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}
fn i(v: &Value) -> i64 {
    v.as_i64().unwrap()
}
fn pct(a: i64, b: i64) -> f64 {
    a as f64 / b as f64 * 100.0
}
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.00005 + 1e-9
}

/// Every rate of a round result is recomputable from the counts beside it.
fn check_round(t: &Value) {
    let (ins, abs, vot) = (i(&t["inscrits"]), i(&t["abstentions"]), i(&t["votants"]));
    let (bl, nu, ex) = (i(&t["blancs"]), i(&t["nuls"]), i(&t["exprimes"]));
    assert_eq!(ins, abs + vot);
    assert_eq!(vot, bl + nu + ex);
    assert!(close(f(&t["taux_abstention"]), pct(abs, ins)));
    assert!(close(f(&t["taux_participation"]), pct(vot, ins)));
    assert!(close(f(&t["taux_blancs"]), pct(bl, vot)));
    assert!(close(f(&t["taux_nuls"]), pct(nu, vot)));
    let candidats = t["candidats"].as_array().unwrap();
    assert_eq!(candidats.iter().map(|c| i(&c["voix"])).sum::<i64>(), ex);
    for c in candidats {
        assert!(close(f(&c["pct_voix_exprimes"]), pct(i(&c["voix"]), ex)));
        assert!(close(f(&c["pct_voix_inscrits"]), pct(i(&c["voix"]), ins)));
    }
    for fam in t["familles"].as_array().unwrap() {
        let voix: i64 = candidats
            .iter()
            .filter(|c| c["famille"] == fam["famille"])
            .map(|c| i(&c["voix"]))
            .sum();
        assert_eq!(i(&fam["voix"]), voix);
        assert!(close(f(&fam["part_exprimes"]), pct(voix, ex)));
    }
    let max = candidats.iter().map(|c| i(&c["voix"])).max().unwrap();
    assert_eq!(i(&t["gagnant"]["voix"]), max);
}

#[tokio::test]
async fn health_reports_version_and_row_counts() {
    let app = spawn_app().await;
    let body = app.json("/health").await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version_donnees"].as_str().unwrap().len(), 16);
    assert_eq!(body["lignes"]["departements"], 107);
    assert_eq!(body["lignes"]["resultats"], 2889);
    assert_eq!(body["lignes"]["chomage"], 16988);
}

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
async fn indicateurs_as_json_and_csv() {
    let app = spawn_app().await;
    let rows = app.json("/indicateurs?tour=1&trimestre=2022-T3").await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 107);
    for row in rows {
        let sum = [
            "part_gauche",
            "part_centre",
            "part_droite",
            "part_extreme_droite",
        ]
        .iter()
        .map(|k| f(&row[*k]))
        .sum::<f64>();
        assert!((sum - 100.0).abs() < 0.001, "{row}");
        assert!(close(
            f(&row["taux_abstention"]) + f(&row["taux_participation"]),
            100.0
        ));
    }
    let with_rate = rows.iter().filter(|r| !r["taux_chomage"].is_null()).count();
    assert_eq!(with_rate, 100);
    let hdf = app.json("/indicateurs?tour=2&region=32").await;
    assert_eq!(hdf.as_array().unwrap().len(), 5);
    assert_eq!(hdf[0]["tour"], 2);

    let csv = app.get("/indicateurs?format=csv").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with(
        "code,nom,region_code,est_departement,annee,tour,trimestre,taux_chomage,taux_abstention,taux_participation,taux_blancs,taux_nuls,part_gauche,part_centre,part_droite,part_extreme_droite,famille_gagnante,revenu_median,taux_pauvrete,part_pensions,population,part_65_ans_et_plus,part_immigres,superficie,densite\n01,Ain,84,true,2022,1,2022-T3,5.4,"
    ));
    assert_eq!(text.lines().count(), 108);
    let accept = app
        .client
        .get(format!("{}/indicateurs", app.address))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(accept.text().await.unwrap(), text);

    let problem = app.problem("/indicateurs?tour=3", 400).await;
    assert_eq!(problem["parametre"], "tour");
    assert_eq!(problem["valeurs_autorisees"], serde_json::json!(["1", "2"]));
    app.problem("/indicateurs?format=xml", 400).await;
    app.problem("/indicateurs?trimestre=1970-T1", 400).await;
}

#[tokio::test]
async fn national_totals_equal_the_sum_over_departements() {
    let app = spawn_app().await;
    let departements = app.json("/departements").await;
    for (tour, inscrits, winner) in [(1, 48_747_876, 9_783_058), (2, 48_752_339, 18_768_639)] {
        let national = app
            .json(&format!("/indicateurs/national?tour={tour}"))
            .await;
        check_round(&national);
        assert_eq!(i(&national["inscrits"]), inscrits);
        assert_eq!(national["gagnant"]["nom"], "MACRON");
        assert_eq!(i(&national["gagnant"]["voix"]), winner);
        let mut sums = [0i64; 6];
        let mut voix = std::collections::BTreeMap::<String, i64>::new();
        for d in departements.as_array().unwrap() {
            let detail = app
                .json(&format!("/departements/{}", d["code"].as_str().unwrap()))
                .await;
            let t = &detail["tours"][tour - 1];
            for (k, key) in [
                "inscrits",
                "abstentions",
                "votants",
                "blancs",
                "nuls",
                "exprimes",
            ]
            .iter()
            .enumerate()
            {
                sums[k] += i(&t[*key]);
            }
            for c in t["candidats"].as_array().unwrap() {
                *voix
                    .entry(c["nom"].as_str().unwrap().to_owned())
                    .or_default() += i(&c["voix"]);
            }
        }
        let national_counts: Vec<i64> = [
            "inscrits",
            "abstentions",
            "votants",
            "blancs",
            "nuls",
            "exprimes",
        ]
        .iter()
        .map(|k| i(&national[*k]))
        .collect();
        assert_eq!(national_counts, sums);
        for c in national["candidats"].as_array().unwrap() {
            assert_eq!(i(&c["voix"]), voix[c["nom"].as_str().unwrap()]);
        }
    }
    app.problem("/indicateurs/national?tour=0", 400).await;
}

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
async fn reference_tables() {
    let app = spawn_app().await;
    let familles = app.json("/familles").await;
    let codes: Vec<&str> = familles
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["gauche", "centre", "droite", "extreme_droite"]);
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
