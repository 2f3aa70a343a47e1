//! `/models`, `/predict` and the ML charts.

use crate::common::{assert_problem, close, f, spawn_app};
use serde_json::{Value, json};

async fn post(app: &crate::common::TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(format!("{}/predict", app.address))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn probabilities_sum_to_one(p: &Value) {
    let sum: f64 = p["probabilites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["probabilite"].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-9, "{p}");
}

#[tokio::test]
async fn models_cards_and_roc_curves() {
    let app = spawn_app().await;
    let models = app.json("/models").await;
    let models = models.as_array().unwrap();
    let ids: Vec<&str> = models.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let mut expected = Vec::new();
    for algorithm in [
        "arbre_decision",
        "baseline_majorite",
        "bayes_naif_gaussien",
        "foret_aleatoire",
        "gradient_boosting",
        "knn",
        "regression_logistique",
    ] {
        expected.push(algorithm.to_owned());
        expected.push(format!("{algorithm}__socio_economique"));
        expected.push(format!("{algorithm}__socio_economique_historique"));
        expected.push(format!("{algorithm}__spatial"));
    }
    assert_eq!(ids, expected);
    let defaults: Vec<&Value> = models.iter().filter(|m| m["par_defaut"] == true).collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(
        defaults[0]["id"],
        "regression_logistique__socio_economique_historique"
    );
    for m in models {
        assert_eq!(m["n_echantillons"], 96);
        assert!(m["algorithme"].as_str().is_some_and(|a| !a.is_empty()));
        assert_eq!(m["trimestre"], "2022-T3");
        assert_eq!(m["classes"], json!(["gauche", "centre", "extreme_droite"]));
        let n = match m["jeu_features"].as_str().unwrap() {
            "indicateurs_2022" => 6,
            "socio_economique" => 12,
            "spatial" => 21,
            _ => 16,
        };
        assert_eq!(m["features"].as_array().unwrap().len(), n, "{}", m["id"]);
    }

    let card = app.json("/models/knn").await;
    let total: u64 = card["matrice_confusion"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 960, "96 départements x 10 repeats");
    assert_eq!(card["scores_classes"].as_array().unwrap().len(), 3);
    assert_eq!(card["importance_permutation"].as_array().unwrap().len(), 6);
    assert_eq!(card["holdout"]["n_test"], 19);
    assert!(card["limites"].as_array().unwrap().len() >= 3);
    assert!(
        card["hyperparametres"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["nom"] == "k" && p["valeur"] == "7")
    );

    let roc = app.json("/models/regression_logistique/roc").await;
    let curves = roc["courbes"].as_array().unwrap();
    assert_eq!(curves.len(), 3);
    for c in curves {
        let points = c["points"].as_array().unwrap();
        assert!(points[0]["seuil"].is_null());
        assert_eq!(
            (points[0]["fpr"].as_f64(), points[0]["tpr"].as_f64()),
            (Some(0.0), Some(0.0))
        );
        let auc = c["auc"].as_f64().unwrap();
        assert!((0.5..=1.0).contains(&auc), "{auc}");
    }
    let baseline = app.json("/models/baseline_majorite/roc").await;
    for c in baseline["courbes"].as_array().unwrap() {
        assert_eq!(c["auc"], 0.5);
    }
    let problem = app.problem("/models/svm", 404).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("regression_logistique")
    );
    app.problem("/models/svm/roc", 404).await;
}

#[tokio::test]
async fn predictions_for_a_departement_with_overrides_or_raw_features() {
    let app = spawn_app().await;
    let response = post(&app, &json!({"departement": "59"})).await;
    assert_eq!(response.status(), 200);
    let nord: Value = response.json().await.unwrap();
    // The default is the best cross-validated model, here on the richest feature set.
    assert_eq!(
        nord["modele"],
        "regression_logistique__socio_economique_historique"
    );
    assert_eq!(nord["departement"], "59");
    assert_eq!(nord["famille_reelle"], "extreme_droite");
    assert_eq!(nord["features"].as_object().unwrap().len(), 16);
    probabilities_sum_to_one(&nord);
    assert_eq!(app.json("/departements/59/prediction").await, nord);

    let what_if: Value = post(
        &app,
        &json!({"departement": "59", "modele": "knn", "overrides": {"taux_chomage": 11.5}}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(what_if["modele"], "knn");
    assert_eq!(what_if["features"]["taux_chomage"], 11.5);
    probabilities_sum_to_one(&what_if);

    let raw = json!({"features": nord["features"].clone(), "modele": "foret_aleatoire__socio_economique_historique"});
    let raw: Value = post(&app, &raw).await.json().await.unwrap();
    assert!(raw["departement"].is_null() && raw["famille_reelle"].is_null());
    probabilities_sum_to_one(&raw);

    // Guadeloupe has no 10-year unemployment mean: it must be given.
    let body = assert_problem(post(&app, &json!({"departement": "971"})).await, 422).await;
    assert_eq!(body["parametre"], "overrides.chomage_moyen_10ans");
    let filled = post(
        &app,
        &json!({"departement": "ZA", "overrides": {"chomage_moyen_10ans": 20.0, "variation_chomage_5ans": -4.0}}),
    )
    .await;
    assert_eq!(filled.status(), 200);
}

#[tokio::test]
async fn prediction_errors_are_problems_with_the_right_status() {
    let app = spawn_app().await;
    for (body, status, parametre) in [
        (json!({"departement": "999"}), 404, None),
        (json!({"departement": "59", "modele": "svm"}), 404, None),
        (
            json!({"departement": "59", "overrides": {"revenu": 3.0}}),
            422,
            Some("overrides.revenu"),
        ),
        (
            json!({"departement": "59", "overrides": {"taux_chomage": 250.0}}),
            422,
            Some("features.taux_chomage"),
        ),
        (
            json!({"departement": "59", "overrides": {"taux_chomage": -1.0}}),
            422,
            Some("features.taux_chomage"),
        ),
        (json!({}), 422, Some("departement")),
        (
            json!({"departement": "59", "features": {}}),
            422,
            Some("features"),
        ),
        (json!({"features": {"taux_chomage": 5.0}}), 422, None),
        // Issue 29: a mistyped field is named, as the docs promise.
        (json!({"departement": 59}), 422, Some("departement")),
        (
            json!({"departement": "59", "overrides": {"taux_chomage": "beaucoup"}}),
            422,
            Some("overrides.taux_chomage"),
        ),
        (json!({"departement": "59", "couleur": "rouge"}), 422, None),
    ] {
        let response = post(&app, &body).await;
        let problem = assert_problem(response, status).await;
        if let Some(p) = parametre {
            assert_eq!(problem["parametre"], p, "{body}");
        }
    }
    let not_json = app
        .client
        .post(format!("{}/predict", app.address))
        .header("Content-Type", "application/json")
        .body("{\"departement\": ")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 400).await;
    let huge = format!("{{\"departement\": \"{}\"}}", "x".repeat(20_000));
    let too_large = app
        .client
        .post(format!("{}/predict", app.address))
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_problem(too_large, 413).await;
    let get = app.get("/predict").await;
    assert_eq!(get.headers()["allow"], "POST");
    assert_problem(get, 405).await;
}

#[tokio::test]
async fn ml_charts() {
    let app = spawn_app().await;
    let accuracy = app.get("/charts/models/accuracy").await;
    assert_eq!(accuracy.status(), 200);
    assert_eq!(accuracy.headers()["content-type"], "image/svg+xml");
    let svg = accuracy.text().await.unwrap();
    assert!(
        svg.contains("Référence : classe majoritaire") && svg.contains("Régression logistique")
    );
    for kind in ["confusion", "importance", "roc"] {
        let response = app
            .get(&format!(
                "/charts/models/knn/{kind}.png?width=640&height=360"
            ))
            .await;
        assert_eq!(response.status(), 200, "{kind}");
        let pixmap =
            resvg::tiny_skia::Pixmap::decode_png(&response.bytes().await.unwrap()).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (640, 360));
    }
    app.problem("/charts/models/svm/roc", 404).await;
    app.problem("/charts/models/knn/autre", 404).await;
    app.problem("/charts/models/knn/roc?width=5", 400).await;
}

/// Issue 29: the model charts speak French (families and features by their labels), at a
/// readable size, and the permutation importance shows negative values on an axis that fits
/// them.
#[tokio::test]
async fn model_charts_use_labels_and_fit_their_values() {
    let app = spawn_app().await;
    let text = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };
    for path in ["/charts/models/knn/confusion", "/charts/models/knn/roc"] {
        // plotters writes a text's content on its own line.
        let svg = text(path)
            .await
            .replace(">\n", ">")
            .replace("\n</text>", "</text>");
        assert!(svg.contains(">Extrême droite"), "{path}");
        assert!(!svg.contains(">extreme_droite"), "{path}");
        // One model's chart: texts at least 13 px (10 before) on the default 1280 × 720.
        let sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.trim_end_matches("px").parse().ok())
            .collect();
        let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(smallest >= 13.0, "{path}: smallest text {smallest}");
    }
    let model = app.json("/models/knn").await;
    let importances = model["evaluation"]["importance_permutation"]
        .as_array()
        .or_else(|| model["importance_permutation"].as_array())
        .unwrap()
        .clone();
    let svg = text("/charts/models/knn/importance")
        .await
        .replace(">\n", ">")
        .replace("\n</text>", "</text>");
    assert!(svg.contains(">Taux de chômage"), "{svg}");
    assert!(!svg.contains(">taux_chomage<"), "{svg}");
    // Every bar drawn, negative ones too, and the axis ends near the largest bar plus its
    // error, not at 1.
    let bars = svg.matches("<rect").count();
    assert!(
        bars > importances.len(),
        "{bars} rects for {} features",
        importances.len()
    );
    let highest = importances
        .iter()
        .map(|i| i["baisse_accuracy"].as_f64().unwrap() + i["ecart_type"].as_f64().unwrap())
        .fold(0.0_f64, f64::max);
    assert!(highest < 0.5, "{highest}");
    assert!(!svg.contains(">1,00<"), "the axis runs to 1: {svg}");
    if let Some(negative) = importances
        .iter()
        .map(|i| i["baisse_accuracy"].as_f64().unwrap())
        .find(|v| *v < 0.0)
    {
        let text = charts::fr(negative, 3);
        assert!(svg.contains(&format!(">{text} ± ")), "{text}");
    }
}

#[tokio::test]
async fn every_model_exposes_its_feature_set_and_predicts_with_it() {
    let app = spawn_app().await;
    let models = app.json("/models").await;
    let models = models.as_array().unwrap();
    assert_eq!(models.len(), 28);
    for jeu in [
        "indicateurs_2022",
        "socio_economique",
        "socio_economique_historique",
        "spatial",
    ] {
        assert_eq!(
            models.iter().filter(|m| m["jeu_features"] == jeu).count(),
            7,
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
    assert_eq!(plain["limites"].as_array().unwrap().len(), 5);
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

/// Every prediction of a model at once: JSON and CSV agree; the unscored départements are
/// exactly those `POST /predict` refuses with a 422; the out-of-fold accuracy is the share of
/// right out-of-fold rows and is below the in-sample one.
#[tokio::test]
async fn predictions_of_every_departement_agree_with_predict_and_csv() {
    let app = spawn_app().await;
    let json = app.json("/predictions").await;
    let default = "regression_logistique__socio_economique_historique";
    assert_eq!(json["modele"], default);
    let lignes = json["lignes"].as_array().unwrap();
    let non_predits = json["non_predits"].as_array().unwrap();
    assert_eq!(lignes.len(), 96);
    let codes = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut all: Vec<String> = codes(lignes);
    all.extend(codes(non_predits));
    all.sort();
    let mut listed: Vec<String> = codes(app.json("/departements").await.as_array().unwrap());
    listed.sort();
    assert_eq!(
        all, listed,
        "every département is a row or listed as unscored"
    );
    let unscored = codes(non_predits);
    assert!(unscored.contains(&"971".to_owned()));
    let guadeloupe = non_predits.iter().find(|n| n["code"] == "971").unwrap();
    assert!(
        guadeloupe["features_manquantes"]
            .as_array()
            .unwrap()
            .contains(&Value::from("chomage_moyen_10ans")),
        "{guadeloupe}"
    );
    assert!(
        guadeloupe["raison"]
            .as_str()
            .unwrap()
            .contains("Chômage moyen sur 10 ans")
    );
    for code in &listed {
        let response = app
            .client
            .post(format!("{}/predict", app.address))
            .json(&serde_json::json!({"departement": code, "modele": default}))
            .send()
            .await
            .unwrap();
        let expected = if unscored.contains(code) { 422 } else { 200 };
        assert_eq!(response.status().as_u16(), expected, "{code}");
        if expected == 200 {
            let p: Value = response.json().await.unwrap();
            let row = lignes.iter().find(|l| l["code"] == *code).unwrap();
            assert_eq!(row["famille_predite"], p["famille_predite"], "{code}");
            assert_eq!(row["probabilites"], p["probabilites"], "{code}");
        }
    }
    // Right flags and accuracies.
    let mut right_oof = 0;
    let mut right_refit = 0;
    for l in lignes {
        let oof = l["probabilites_hors_pli"].as_array().unwrap();
        let sum: f64 = oof.iter().map(|p| f(&p["probabilite"])).sum();
        assert!((sum - 1.0).abs() < 1e-9, "{l}");
        let best = oof.iter().fold(&oof[0], |a, b| {
            if f(&b["probabilite"]) > f(&a["probabilite"]) {
                b
            } else {
                a
            }
        });
        assert_eq!(l["famille_predite_hors_pli"], best["famille"], "{l}");
        assert_eq!(
            l["juste_hors_pli"],
            l["famille_predite_hors_pli"] == l["famille_reelle"]
        );
        assert_eq!(l["juste"], l["famille_predite"] == l["famille_reelle"]);
        right_oof += i64::from(l["juste_hors_pli"] == true);
        right_refit += i64::from(l["juste"] == true);
    }
    let oof = f(&json["accuracy_hors_pli"]);
    let in_sample = f(&json["accuracy_apprentissage"]);
    assert!(close(oof, right_oof as f64 / 96.0));
    assert!(close(in_sample, right_refit as f64 / 96.0));
    assert!(
        oof < in_sample,
        "out-of-fold {oof} vs in-sample {in_sample}"
    );
    let listed_model = app.json("/models").await;
    let summary = listed_model
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == default)
        .unwrap();
    assert!(close(f(&summary["accuracy_hors_pli"]), oof));

    // The CSV holds the same rows, one column per family probability, then the unscored.
    for response in [
        app.get(&format!("/predictions?modele={default}&format=csv"))
            .await,
        app.client
            .get(format!("{}/predictions", app.address))
            .header("Accept", "text/csv")
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            response.headers()["content-disposition"],
            format!("attachment; filename=\"predictions-{default}.csv\"").as_str()
        );
        let body = response.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        for famille in ["gauche", "centre", "extreme_droite"] {
            assert!(header.contains(&format!("proba_hors_pli_{famille}")));
            assert!(header.contains(&format!("proba_{famille}")));
        }
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), lignes.len() + non_predits.len());
        for (record, l) in records.iter().zip(lignes) {
            assert_eq!(record[column("code")], *l["code"].as_str().unwrap());
            assert_eq!(
                record[column("famille_predite_hors_pli")],
                *l["famille_predite_hors_pli"].as_str().unwrap()
            );
            assert_eq!(record[column("juste")], l["juste"].to_string());
            assert_eq!(
                record[column("juste_hors_pli")],
                l["juste_hors_pli"].to_string()
            );
            for p in l["probabilites_hors_pli"].as_array().unwrap() {
                let name = format!("proba_hors_pli_{}", p["famille"].as_str().unwrap());
                let value: f64 = record[column(&name)].parse().unwrap();
                assert_eq!(value, f(&p["probabilite"]));
            }
            for p in l["probabilites"].as_array().unwrap() {
                let name = format!("proba_{}", p["famille"].as_str().unwrap());
                let value: f64 = record[column(&name)].parse().unwrap();
                assert_eq!(value, f(&p["probabilite"]));
            }
            assert_eq!(&record[column("raison_non_predit")], "");
        }
        for (record, n) in records[lignes.len()..].iter().zip(non_predits) {
            assert_eq!(record[column("code")], *n["code"].as_str().unwrap());
            assert_eq!(
                record[column("raison_non_predit")],
                *n["raison"].as_str().unwrap()
            );
            assert_eq!(&record[column("famille_predite")], "");
        }
    }

    // A model of another feature set works; its own unscored list is its own.
    let short = app.json("/predictions?modele=gradient_boosting").await;
    assert_eq!(short["modele"], "gradient_boosting");
    for l in short["lignes"].as_array().unwrap() {
        assert!(l["famille_predite_hors_pli"].is_string(), "{l}");
    }
    // Bad input.
    let problem = app.problem("/predictions?modele=svm", 404).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("gradient_boosting")
    );
    let problem = app.problem("/predictions?format=xml", 400).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("json") && detail.contains("csv"),
        "{detail}"
    );
}
