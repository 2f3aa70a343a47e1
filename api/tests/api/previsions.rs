//! `/previsions`: the constituency forecast over HTTP on the committed data, checked against
//! the results the other endpoints serve.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{assert_problem, f, spawn_app};

/// `code → famille_en_tete` of a round from `/circonscriptions`.
async fn en_tete(app: &crate::common::TestApp, election: &str) -> BTreeMap<String, String> {
    app.json(&format!("/circonscriptions?election={election}"))
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            Some((
                r["code"].as_str()?.to_owned(),
                r["famille_en_tete"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

#[tokio::test]
async fn the_table_holds_every_task_target_model_and_baseline_tested_on_a_later_election() {
    let app = spawn_app().await;
    let rows = app.json("/previsions").await;
    let rows = rows.as_array().unwrap();
    // 3 tasks × 2 targets × (7 models + 2 rule baselines).
    assert_eq!(rows.len(), 54);
    for r in rows {
        let test_year: i32 = r["test"].as_str().unwrap()[13..17].parse().unwrap();
        for year in r["entrainement"].as_str().unwrap().split(',') {
            assert!(year.parse::<i32>().unwrap() < test_year, "{r}");
        }
        let (a, lo, hi) = (
            f(&r["accuracy"]),
            f(&r["accuracy_ic_bas"]),
            f(&r["accuracy_ic_haut"]),
        );
        assert!(lo <= a && a <= hi && hi - lo < 0.15, "{r}");
        assert_eq!(r["n_test"], 556);
        // Only models have probabilities and an inner cross-validation score.
        let rule = r["modele"].as_str().unwrap().starts_with("reference_");
        assert_eq!(r["log_loss"].is_null(), rule, "{r}");
        assert_eq!(r["accuracy_validation"].is_null(), rule, "{r}");
        // The confusion matrix counts the test constituencies.
        let n: u64 = r["matrice_confusion"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap())
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert!(n <= 556, "{r}");
    }
    // One retained model per task and target, a model (not a baseline), with the best inner
    // cross-validation score among the models.
    for tache in [
        "2017-vers-2022",
        "2017-2022-vers-2024",
        "2022-vers-2024-sortants",
    ] {
        for cible in ["tete_t1", "siege"] {
            let of: Vec<&Value> = rows
                .iter()
                .filter(|r| r["tache"] == tache && r["cible"] == cible)
                .collect();
            assert_eq!(of.len(), 9);
            let retenus: Vec<&&Value> = of.iter().filter(|r| r["retenu"] == true).collect();
            assert_eq!(retenus.len(), 1, "{tache} {cible}");
            assert_eq!(retenus[0]["genre"], "modele");
            let best = of
                .iter()
                .filter(|r| r["genre"] == "modele")
                .map(|r| f(&r["accuracy_validation"]))
                .fold(f64::MIN, f64::max);
            assert_eq!(f(&retenus[0]["accuracy_validation"]), best);
        }
    }
    // Filtered and as CSV.
    let one = app
        .json("/previsions?tache=2017-vers-2022&cible=siege")
        .await;
    assert_eq!(one.as_array().unwrap().len(), 9);
    let csv = app.get("/previsions.csv").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("tache,entrainement,test,cible,jeu,modele,"),
        "{header}"
    );
    assert!(header.contains(",rappel_extreme_droite"), "{header}");
    assert_eq!(lines.count(), 54);
}

/// The presidential baseline's score is recomputed from `/circonscriptions`: the family
/// leading the presidential round 1 against the family leading the legislative round 1.
#[tokio::test]
async fn the_presidential_baseline_is_the_presidential_leader_and_each_forecast_is_checked_against_the_result()
 {
    let app = spawn_app().await;
    let presidentielle = en_tete(&app, "presidentielle-2022-t1").await;
    let legislatives = en_tete(&app, "legislatives-2022-t1").await;
    let rows = app
        .json("/previsions/circonscriptions?tache=2017-vers-2022&modele=reference_presidentielle")
        .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 556);
    let mut right = 0;
    for r in rows {
        let code = r["code"].as_str().unwrap();
        assert_eq!(r["prevu"].as_str().unwrap(), presidentielle[code], "{code}");
        assert_eq!(r["reel"].as_str().unwrap(), legislatives[code], "{code}");
        assert_eq!(r["juste"], r["prevu"] == r["reel"]);
        assert!(r["probabilite"].is_null());
        right += usize::from(r["juste"] == true);
    }
    let table = app
        .json("/previsions?tache=2017-vers-2022&cible=tete_t1")
        .await;
    let baseline = table
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["modele"] == "reference_presidentielle")
        .unwrap()
        .clone();
    assert!((f(&baseline["accuracy"]) - right as f64 / 556.0).abs() < 1e-4);

    // The default forecast: the retained model on 2024; its accuracy is its rows' share right.
    let rows = app.json("/previsions/circonscriptions").await;
    let rows = rows.as_array().unwrap();
    let reel = en_tete(&app, "legislatives-2024-t1").await;
    assert!(rows.iter().all(|r| r["test"] == "legislatives-2024-t1"));
    assert!(
        rows.iter()
            .all(|r| r["reel"].as_str().unwrap() == reel[r["code"].as_str().unwrap()])
    );
    let p = |r: &Value| f(&r["probabilite"]);
    assert!(rows.iter().all(|r| p(r) > 0.0 && p(r) <= 1.0));
    let modele = rows[0]["modele"].as_str().unwrap().to_owned();
    let share = rows.iter().filter(|r| r["juste"] == true).count() as f64 / rows.len() as f64;
    let table = app
        .json("/previsions?tache=2017-2022-vers-2024&cible=tete_t1")
        .await;
    let line = table
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["modele"] == modele.as_str())
        .unwrap()
        .clone();
    assert_eq!(line["retenu"], true);
    assert!((f(&line["accuracy"]) - share).abs() < 1e-4);
    // CSV like every list.
    let csv = app
        .get("/previsions/circonscriptions.csv?cible=siege&modele=gradient_boosting")
        .await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("previsions-2017-2022-vers-2024-siege-gradient_boosting.csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with(
        "code,nom,departement_code,tache,test,cible,modele,prevu,reel,juste,probabilite\n"
    ));
    assert_eq!(text.lines().count(), 557);
}

#[tokio::test]
async fn bad_forecast_parameters_are_400_problems_naming_the_parameter() {
    let app = spawn_app().await;
    for (path, parametre) in [
        ("/previsions?tache=2012-vers-2017", "tache"),
        ("/previsions?cible=president", "cible"),
        ("/previsions/circonscriptions?modele=oracle", "modele"),
        ("/previsions/circonscriptions?tache=%00", "tache"),
        ("/charts/circonscriptions/previsions.svg?cible=x", "cible"),
        (
            "/charts/circonscriptions/previsions.png?modele=oracle",
            "modele",
        ),
    ] {
        let problem = assert_problem(app.get(path).await, 400).await;
        assert_eq!(problem["parametre"], parametre, "{path}");
        assert!(
            !problem["valeurs_autorisees"].as_array().unwrap().is_empty(),
            "{path}"
        );
    }
}

/// The right/wrong map: each constituency with an outline once, green or orange as its row of
/// `/previsions/circonscriptions` says, those left out hatched with their reason.
#[tokio::test]
async fn the_right_wrong_map_colours_each_constituency_as_its_forecast() {
    let app = spawn_app().await;
    let path = "/charts/circonscriptions/previsions.svg?tache=2017-vers-2022&modele=knn";
    let response = app.get(path).await;
    assert_eq!(response.status(), 200);
    let svg = response.text().await.unwrap();
    assert_eq!(svg.matches("<path id=\"circ-").count(), 566);
    assert!(svg.contains("sans territoire (11)"));
    assert!(svg.contains("k plus proches voisins : prévision juste ou fausse (législatives 2022)"));
    let rows = app
        .json("/previsions/circonscriptions?tache=2017-vers-2022&modele=knn")
        .await;
    let rows = rows.as_array().unwrap();
    let justes = rows.iter().filter(|r| r["juste"] == true).count();
    assert!(svg.contains(&format!("Juste ({justes})")), "legend counts");
    assert!(svg.contains(&format!("Fausse ({})", rows.len() - justes)));
    for r in rows.iter().take(40) {
        let code = r["code"].as_str().unwrap();
        let start = svg.find(&format!("<path id=\"circ-{code}\"")).unwrap();
        let element = &svg[start..start + svg[start..].find("</path>").unwrap()];
        assert!(element.contains("prévu : "), "{element}");
        let (vert, orange) = ("#009E73", "#D55E00");
        let colour = if r["juste"] == true { vert } else { orange };
        assert!(element.to_uppercase().contains(colour), "{code}: {element}");
    }
    // Mayotte has no forecast: drawn hatched, with why.
    let start = svg.find("<path id=\"circ-ZM01\"").unwrap();
    let element = &svg[start..start + svg[start..].find("</path>").unwrap()];
    assert!(
        element.contains("indicateurs INSEE du département absents"),
        "{element}"
    );
    let png = app
        .get("/charts/circonscriptions/previsions.png?perimetre=metropole")
        .await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
}
