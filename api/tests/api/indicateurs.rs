//! `/indicateurs`: the rows (JSON and CSV) and the national totals of both elections.

use crate::common::{check_round, close, f, i, spawn_app};

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
async fn national_round_2_snapshot() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!(
        "national_t2",
        app.json("/indicateurs/national?tour=2").await
    );
}

/// Every list sorts by any of its columns: `/indicateurs` and `/departements` like
/// `/circonscriptions`; without `tri`, the bytes of before.
#[tokio::test]
async fn lists_sort_by_any_column() {
    let app = crate::common::spawn_app().await;
    let rows = app.json("/indicateurs?tri=-taux_chomage").await;
    let values: Vec<f64> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["taux_chomage"].as_f64())
        .collect();
    assert!(values.len() > 90);
    assert!(values.windows(2).all(|w| w[0] >= w[1]));
    // Rows without a value come last.
    assert!(rows.as_array().unwrap().last().unwrap()["taux_chomage"].is_null());
    let d = app.json("/departements?tri=nom").await;
    let noms: Vec<&str> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["nom"].as_str().unwrap())
        .collect();
    assert!(noms.windows(2).all(|w| w[0] <= w[1]), "{noms:?}");
    let csv = app
        .get("/departements.csv?tri=-taux_chomage")
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    let k = lines
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "taux_chomage")
        .unwrap();
    let first: f64 = lines
        .next()
        .unwrap()
        .split(',')
        .nth(k)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(first, values[0], "the highest rate first in the CSV too");
    crate::common::assert_problem(app.get("/indicateurs?tri=inconnue").await, 400).await;
}

/// `/indicateurs`' JSON is written from rows kept as serde_json's bytes (`LignesJson`): for
/// every round of the snapshot, quarters with and without unemployment data, every region and
/// perimeter, the answer is byte for byte what serde_json writes for the typed rows.
#[test]
fn indicator_json_is_serde_json_s_for_every_round_quarter_and_scope() {
    use api::routes::indicateurs::LignesJson;
    use api::views::{Scope, indicateurs};
    use db::{Perimetre, Quarter};

    let snapshot = api::images::snapshot_from_dump().unwrap();
    let json = LignesJson::new(&snapshot).unwrap();
    let (first, last) = snapshot.quarter_range().unwrap();
    let quarters = [
        first,
        Quarter::new(2022, 3),
        last,
        // Before the series: every unemployment rate is null.
        Quarter::new(first.annee - 1, 1),
    ];
    let mut scopes = Vec::new();
    for perimetre in Perimetre::ALL {
        scopes.push((None, perimetre));
    }
    for region in &snapshot.regions {
        scopes.push((Some(region.clone()), Perimetre::France));
    }
    let mut compared = 0;
    for &scrutin in &snapshot.scrutins {
        for &trimestre in &quarters {
            for (region, perimetre) in &scopes {
                let scope = Scope {
                    scrutin,
                    trimestre,
                    region: region.clone(),
                    perimetre: *perimetre,
                };
                let expected = serde_json::to_vec(&indicateurs::rows(&snapshot, &scope)).unwrap();
                let written = json.ecrire(&snapshot, &scope).unwrap();
                assert!(
                    written == expected,
                    "{scrutin} {trimestre} {:?} {perimetre:?}:\n{}\n{}",
                    region.as_ref().map(|r| &r.code),
                    String::from_utf8_lossy(&written),
                    String::from_utf8_lossy(&expected)
                );
                compared += 1;
            }
        }
    }
    assert!(snapshot.scrutins.len() >= 10, "{}", snapshot.scrutins.len());
    assert_eq!(compared, snapshot.scrutins.len() * 4 * scopes.len());
    // A round the snapshot does not have is left to the typed rows.
    let absent = Scope {
        scrutin: db::Scrutin::new(1995, 1),
        ..Scope::defaut()
    };
    assert!(json.ecrire(&snapshot, &absent).is_none());
}
