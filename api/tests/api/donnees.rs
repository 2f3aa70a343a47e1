//! Data access for analysts: CSV (and CSV for Excel) on every list endpoint, row for row the
//! JSON; numbers rounded as the registry says; forgiving search; decimated ROC curves; the
//! SQLite database itself.

use serde_json::{Map, Value};

use crate::common::{TestApp, f, spawn_app};

/// An expected CSV row: (column, the JSON value it must hold).
type Row = Vec<(String, Value)>;

fn flat(object: &Value, columns: &[&str]) -> Row {
    columns
        .iter()
        .map(|c| ((*c).to_owned(), object[*c].clone()))
        .collect()
}

fn joined(values: &Value, separator: &str) -> Value {
    Value::from(
        values
            .as_array()
            .unwrap()
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(separator),
    )
}

/// Each list endpoint, and the rows its CSV must hold, written from its JSON.
fn expected(path: &str, json: &Value) -> Vec<Row> {
    let items = || json.as_array().unwrap().iter();
    match path {
        "/variables" => items()
            .map(|v| {
                flat(
                    v,
                    &["code", "libelle", "court", "unite", "decimales", "source"],
                )
            })
            .collect(),
        "/departements" => items()
            .map(|d| {
                flat(
                    d,
                    &[
                        "code",
                        "code_election",
                        "nom",
                        "region_code",
                        "region_nom",
                        "est_departement",
                        "taux_chomage",
                        "taux_participation_t1",
                        "taux_abstention_t1",
                        "famille_gagnante_t1",
                    ],
                )
            })
            .collect(),
        "/indicateurs" => items()
            .map(|d| {
                let columns = [
                    "code",
                    "nom",
                    "region_code",
                    "est_departement",
                    "annee",
                    "tour",
                    "trimestre",
                    "taux_chomage",
                    "taux_abstention",
                    "taux_participation",
                    "taux_blancs",
                    "taux_nuls",
                    "part_gauche",
                    "part_centre",
                    "part_droite",
                    "part_extreme_droite",
                    "famille_gagnante",
                    "revenu_median",
                    "taux_pauvrete",
                    "part_pensions",
                    "population",
                    "part_65_ans_et_plus",
                    "part_immigres",
                    "superficie",
                    "densite",
                ];
                // Every field of the JSON row is a column.
                assert_eq!(d.as_object().unwrap().len(), columns.len());
                flat(d, &columns)
            })
            .collect(),
        "/regions" => items()
            .flat_map(|r| {
                r["departements"].as_array().unwrap().iter().map(move |d| {
                    vec![
                        ("region_code".into(), r["code"].clone()),
                        ("region_nom".into(), r["nom"].clone()),
                        ("departement_code".into(), d["code"].clone()),
                        ("departement_nom".into(), d["nom"].clone()),
                    ]
                })
            })
            .collect(),
        "/familles" => items()
            .flat_map(|fa| {
                fa["candidats"].as_array().unwrap().iter().map(move |c| {
                    vec![
                        ("famille_code".into(), fa["code"].clone()),
                        ("famille_libelle".into(), fa["libelle"].clone()),
                        ("ordre".into(), fa["ordre"].clone()),
                        ("candidat_id".into(), c["id"].clone()),
                        ("nom".into(), c["nom"].clone()),
                        ("prenom".into(), c["prenom"].clone()),
                        ("sexe".into(), c["sexe"].clone()),
                        ("annees".into(), joined(&c["annees"], " ")),
                    ]
                })
            })
            .collect(),
        "/elections" => items()
            .flat_map(|e| {
                let debut = move || -> Vec<(String, Value)> {
                    let niveaux: Vec<&str> = e["niveaux"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| n.as_str().unwrap())
                        .collect();
                    vec![
                        ("election".into(), e["id"].clone()),
                        ("type_election".into(), e["type_election"].clone()),
                        ("annee".into(), e["annee"].clone()),
                        ("tour".into(), e["tour"].clone()),
                        ("date_scrutin".into(), e["date_scrutin"].clone()),
                        ("statut".into(), e["statut"].clone()),
                        ("niveaux".into(), Value::from(niveaux.join(","))),
                    ]
                };
                let candidats = e["candidats"].as_array().unwrap().iter().map(move |c| {
                    let mut row = debut();
                    row.extend([
                        ("candidat_id".into(), c["id"].clone()),
                        ("nom".into(), c["nom"].clone()),
                        ("prenom".into(), c["prenom"].clone()),
                        ("nuance".into(), Value::Null),
                        ("famille".into(), c["famille"].clone()),
                    ]);
                    row
                });
                let nuances = e["nuances"].as_array().unwrap().iter().map(move |n| {
                    let mut row = debut();
                    row.extend([
                        ("candidat_id".into(), Value::Null),
                        ("nom".into(), Value::Null),
                        ("prenom".into(), Value::Null),
                        ("nuance".into(), n["code"].clone()),
                        ("famille".into(), n["famille"].clone()),
                    ]);
                    row
                });
                candidats.chain(nuances).collect::<Vec<_>>()
            })
            .collect(),
        "/nuances?election=legislatives-2024" => items()
            .map(|n| {
                flat(
                    n,
                    &[
                        "election",
                        "type_election",
                        "annee",
                        "code",
                        "libelle",
                        "famille",
                    ],
                )
            })
            .collect(),
        "/sieges?election=legislatives-2022" => json["nuances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let mut row = vec![("election".into(), json["election"].clone())];
                row.extend(flat(
                    n,
                    &["nuance", "libelle", "famille", "tour_1", "tour_2", "total"],
                ));
                row
            })
            .collect(),
        "/models" => items()
            .map(|m| {
                let hyper: Vec<String> = m["hyperparametres"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        format!(
                            "{}={}",
                            p["nom"].as_str().unwrap(),
                            p["valeur"].as_str().unwrap()
                        )
                    })
                    .collect();
                let mut row = flat(m, &["id", "algorithme", "libelle", "jeu_features"]);
                row.push(("hyperparametres".into(), Value::from(hyper.join(" ; "))));
                row.push(("features".into(), joined(&m["features"], " ")));
                row.push(("classes".into(), joined(&m["classes"], " ")));
                row.extend(flat(
                    m,
                    &[
                        "trimestre",
                        "n_echantillons",
                        "accuracy_moyenne",
                        "accuracy_ecart_type",
                        "accuracy_hors_pli",
                        "macro_f1",
                        "auc_macro",
                        "par_defaut",
                    ],
                ));
                row
            })
            .collect(),
        "/indicateurs/socio-economiques" => items()
            .map(|i| {
                let mut row = flat(i, &["code", "libelle", "unite"]);
                row.push(("annees".into(), joined(&i["annees"], " ")));
                row.push(("sources".into(), joined(&i["sources"], " ; ")));
                row.push((
                    "departements_sans_valeur".into(),
                    joined(&i["departements_sans_valeur"], " "),
                ));
                row
            })
            .collect(),
        "/departements/2A/chomage" => json["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let mut row = vec![
                    ("code".into(), json["code"].clone()),
                    ("nom".into(), json["nom"].clone()),
                ];
                row.extend(flat(p, &["annee", "trimestre", "periode", "taux_chomage"]));
                row
            })
            .collect(),
        path if path.starts_with("/correlations") => {
            let variables = json["variables"].as_array().unwrap();
            let mut rows = Vec::new();
            for (i, a) in variables.iter().enumerate() {
                for (j, b) in variables.iter().enumerate() {
                    rows.push(vec![
                        ("variable_a".into(), a.clone()),
                        ("variable_b".into(), b.clone()),
                        ("r".into(), json["matrice"][i][j].clone()),
                        ("n".into(), json["n"].clone()),
                        ("p".into(), json["p_valeurs"][i][j].clone()),
                        ("ic95_bas".into(), json["ic95"][i][j][0].clone()),
                        ("ic95_haut".into(), json["ic95"][i][j][1].clone()),
                    ]);
                }
            }
            rows
        }
        other => panic!("no expectation for {other}"),
    }
}

/// A CSV cell against its JSON value: text as is, null empty, booleans `true`/`false`,
/// integers without a decimal point, other numbers equal once parsed (`decimal` is the
/// decimal separator).
fn check_cell(path: &str, column: &str, cell: &str, value: &Value, decimal: char) {
    match value {
        Value::Null => assert_eq!(cell, "", "{path} {column}"),
        Value::String(s) => assert_eq!(cell, s, "{path} {column}"),
        Value::Bool(b) => assert_eq!(cell, b.to_string(), "{path} {column}"),
        Value::Number(n) if n.is_i64() => assert_eq!(cell, n.to_string(), "{path} {column}"),
        Value::Number(n) => {
            let parsed: f64 = cell
                .replace(decimal, ".")
                .parse()
                .unwrap_or_else(|_| panic!("{path} {column}: '{cell}' is not a number"));
            assert_eq!(parsed, n.as_f64().unwrap(), "{path} {column}");
            if decimal == ',' {
                assert!(!cell.contains('.'), "{path} {column}: {cell}");
            }
        }
        other => panic!("{path} {column}: unexpected {other}"),
    }
}

async fn text(
    app: &TestApp,
    path: &str,
    accept: Option<&str>,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

fn with_query(path: &str, query: &str) -> String {
    if path.contains('?') {
        format!("{path}&{query}")
    } else {
        format!("{path}?{query}")
    }
}

fn suffixed(path: &str) -> String {
    match path.split_once('?') {
        Some((p, q)) => format!("{p}.csv?{q}"),
        None => format!("{path}.csv"),
    }
}

const LISTES: [(&str, &str); 12] = [
    ("/variables", "variables"),
    ("/departements", "departements"),
    ("/indicateurs", "indicateurs-2022-t1-2022-T3"),
    ("/regions", "regions"),
    ("/familles", "familles"),
    ("/elections", "elections"),
    ("/nuances?election=legislatives-2024", "nuances"),
    (
        "/sieges?election=legislatives-2022",
        "sieges-legislatives-2022",
    ),
    ("/models", "models"),
    (
        "/indicateurs/socio-economiques",
        "indicateurs-socio-economiques",
    ),
    ("/departements/2A/chomage", "chomage-2A"),
    (
        "/correlations?variables=taux_chomage,part_extreme_droite,revenu_median",
        "correlations-pearson-2022-t1-2022-T3",
    ),
];

/// Every list endpoint: CSV by `format=csv`, `Accept: text/csv` and the `.csv` suffix, the
/// same bytes, as an attachment named after the resource, holding the JSON's rows; the
/// Excel variant the same cells with `;`, decimal commas, a BOM and CRLF.
#[tokio::test]
async fn every_list_endpoint_answers_csv_row_for_row_the_json() {
    let app = spawn_app().await;
    for (path, fichier) in LISTES {
        let json = app.json(path).await;
        let rows = expected(path, &json);
        assert!(!rows.is_empty(), "{path}");
        let (headers, csv) = text(&app, &with_query(path, "format=csv"), None).await;
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8", "{path}");
        assert_eq!(
            headers["content-disposition"],
            format!("attachment; filename=\"{fichier}.csv\"").as_str(),
            "{path}"
        );
        assert!(
            headers["vary"].to_str().unwrap().contains("Accept"),
            "{path}"
        );
        let (_, by_accept) = text(&app, path, Some("text/csv")).await;
        assert_eq!(by_accept, csv, "{path}: Accept");
        let (_, by_suffix) = text(&app, &suffixed(path), None).await;
        assert_eq!(by_suffix, csv, "{path}: .csv");

        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let columns: Vec<String> = rows[0].iter().map(|(c, _)| c.clone()).collect();
        assert_eq!(header, columns, "{path}");
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), rows.len(), "{path}");
        for (record, row) in records.iter().zip(&rows) {
            for (cell, (column, value)) in record.iter().zip(row) {
                check_cell(path, column, cell, value, '.');
            }
        }

        let (headers, excel) = text(&app, &with_query(path, "format=csv-excel"), None).await;
        assert_eq!(
            headers["content-disposition"],
            format!("attachment; filename=\"{fichier}-excel.csv\"").as_str()
        );
        assert!(excel.starts_with("\u{FEFF}".as_bytes()), "{path}: BOM");
        let body = std::str::from_utf8(&excel[3..]).unwrap();
        assert!(body.ends_with("\r\n"), "{path}");
        assert_eq!(body.matches('\n').count(), body.matches("\r\n").count());
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(body.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            columns.iter().map(String::as_str).collect::<Vec<_>>()
        );
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), rows.len(), "{path}");
        for (record, row) in records.iter().zip(&rows) {
            for (cell, (column, value)) in record.iter().zip(row) {
                check_cell(path, column, cell, value, ',');
            }
        }
    }
}

/// Bad formats are 400 problems naming the formats; `.csv` on what is not a list is a 404
/// problem naming the lists; a `.csv` suffix and a contrary `format` are a 400.
#[tokio::test]
async fn bad_formats_and_suffixes_are_problems() {
    let app = spawn_app().await;
    for path in [
        "/departements?format=xml",
        "/models?format=xlsx",
        "/indicateurs?format=CSV",
    ] {
        let problem = app.problem(path, 400).await;
        assert_eq!(
            problem["valeurs_autorisees"],
            serde_json::json!(["json", "csv", "csv-excel"]),
            "{path}"
        );
    }
    for path in ["/departements/59.csv", "/health.csv", "/models/knn.csv"] {
        let problem = app.problem(path, 404).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("/departements/{code}/chomage"),
            "{path}"
        );
    }
    app.problem("/departements.csv?format=json", 400).await;
    let (_, excel) = text(&app, "/familles.csv?format=csv-excel", None).await;
    assert!(excel.starts_with("\u{FEFF}".as_bytes()));
}

/// Numbers follow the registry: each variable's decimals in JSON and CSV, counts and whole
/// euros as integers, the `/predict` features rounded, algorithms as snake_case ids.
#[tokio::test]
async fn numbers_follow_the_registry() {
    let app = spawn_app().await;
    let rows = app.json("/indicateurs").await;
    let registry = app.json("/variables").await;
    let decimals = |code: &str| -> i32 {
        registry
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["code"] == code)
            .map(|v| v["decimales"].as_i64().unwrap() as i32)
            .unwrap()
    };
    let mut checked = 0;
    for row in rows.as_array().unwrap() {
        for (key, value) in row.as_object().unwrap() {
            let Some(v) = value.as_f64() else { continue };
            if ["annee", "tour"].contains(&key.as_str()) {
                continue;
            }
            let scale = 10_f64.powi(decimals(key));
            assert!(
                ((v * scale).round() - v * scale).abs() < 1e-6,
                "{key} = {v} has more than {} decimals",
                decimals(key)
            );
            checked += 1;
        }
        if !row["population"].is_null() {
            assert!(row["population"].is_i64(), "{row}");
            assert!(row["revenu_median"].is_i64() || row["revenu_median"].is_null());
        }
    }
    assert!(checked > 1500, "{checked}");
    let nord = app.json("/departements/59").await;
    let socio = nord["socio_economie"].as_array().unwrap();
    let population = socio
        .iter()
        .find(|v| v["indicateur"] == "population")
        .unwrap();
    assert!(population["valeur"].is_i64(), "{population}");
    let immigres = socio
        .iter()
        .find(|v| v["indicateur"] == "part_immigres")
        .unwrap();
    let v = f(&immigres["valeur"]);
    assert_eq!((v * 1e4).round() / 1e4, v);

    let prediction = app.json("/departements/59/prediction").await;
    for (feature, value) in prediction["features"].as_object().unwrap() {
        let v = f(value);
        assert_eq!((v * 1e4).round() / 1e4, v, "{feature}");
    }
    assert!(prediction["features"]["revenu_median"].is_i64());

    let models = app.json("/models").await;
    for m in models.as_array().unwrap() {
        let id = m["algorithme"].as_str().unwrap();
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{id}"
        );
        assert!(m["id"].as_str().unwrap().starts_with(id));
        assert!(!m["libelle"].as_str().unwrap().is_empty());
    }
}

/// Search ignores case, accents, hyphens, apostrophes and extra spaces.
#[tokio::test]
async fn search_forgives_case_accents_hyphens_and_apostrophes() {
    let app = spawn_app().await;
    for (q, code) in [
        ("seine saint denis", "93"),
        ("Seine-Saint-Denis", "93"),
        ("  SEINE   saint-DENIS ", "93"),
        ("cote d or", "21"),
        ("cote d'or", "21"),
        ("Côte-d'Or", "21"),
        ("COTE D'OR", "21"),
        ("côte d’or", "21"),
        ("ardeche", "07"),
        ("corse du sud", "2A"),
        ("2a", "2A"),
        ("reunion", "974"),
    ] {
        let found = app.json(&format!("/departements?q={}", urlencode(q))).await;
        let codes: Vec<&str> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, [code], "q={q}");
    }
    // Côtes-d'Armor is not Côte-d'Or.
    let found = app.json("/departements?q=cotes%20d%20armor").await;
    assert_eq!(found[0]["code"], "22");
    assert_eq!(found.as_array().unwrap().len(), 1);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn trapezoid(points: &[Value]) -> f64 {
    points
        .windows(2)
        .map(|w| (f(&w[1]["fpr"]) - f(&w[0]["fpr"])) * (f(&w[1]["tpr"]) + f(&w[0]["tpr"])) / 2.0)
        .sum()
}

/// ROC curves keep only their corners: far fewer points, the same AUC; `points=` caps them.
#[tokio::test]
async fn roc_curves_are_decimated_and_keep_their_auc() {
    let app = spawn_app().await;
    for id in [
        "regression_logistique__socio_economique_historique",
        "gradient_boosting",
        "foret_aleatoire__socio_economique",
        "knn",
    ] {
        let roc = app.json(&format!("/models/{id}/roc")).await;
        for courbe in roc["courbes"].as_array().unwrap() {
            let points = courbe["points"].as_array().unwrap();
            assert!((trapezoid(points) - f(&courbe["auc"])).abs() < 1e-9, "{id}");
            assert_eq!((f(&points[0]["fpr"]), f(&points[0]["tpr"])), (0.0, 0.0));
            let last = points.last().unwrap();
            assert_eq!((f(&last["fpr"]), f(&last["tpr"])), (1.0, 1.0));
            // No three consecutive points on one line.
            for w in points.windows(3) {
                let (ax, ay) = (f(&w[0]["fpr"]), f(&w[0]["tpr"]));
                let (bx, by) = (f(&w[1]["fpr"]), f(&w[1]["tpr"]));
                let (cx, cy) = (f(&w[2]["fpr"]), f(&w[2]["tpr"]));
                let cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
                assert!(cross.abs() > 1e-12, "{id}: collinear points kept");
            }
        }
        let capped = app.json(&format!("/models/{id}/roc?points=20")).await;
        for courbe in capped["courbes"].as_array().unwrap() {
            let points = courbe["points"].as_array().unwrap();
            assert!(points.len() <= 20, "{id}");
            assert_eq!(f(&points.last().unwrap()["tpr"]), 1.0);
        }
    }
    let big = app
        .get("/models/regression_logistique__socio_economique_historique/roc")
        .await
        .bytes()
        .await
        .unwrap();
    assert!(big.len() < 60_000, "{} bytes", big.len());
    for bad in ["1", "1001", "beaucoup", "-3"] {
        let problem = app
            .problem(&format!("/models/knn/roc?points={bad}"), 400)
            .await;
        assert_eq!(problem["parametre"], "points");
    }
}

/// The SQLite database, as loaded: its content type, a strong ETag answered by 304, and the
/// row counts of `/health` when opened.
#[tokio::test]
async fn the_database_downloads_and_opens() {
    let app = spawn_app().await;
    let response = app.get("/donnees/elexxion.db").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.sqlite3"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"elexxion.db\""
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let again = app
        .client
        .get(format!("{}/donnees/elexxion.db", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("elexxion.db");
    std::fs::write(&path, &bytes).unwrap();
    let mut conn = db::open_read_only(&path).unwrap();
    db::check_schema(&mut conn, &path).unwrap();
    let snapshot = db::Snapshot::load(&mut conn).unwrap();
    let health = app.json("/health").await;
    let lignes: &Map<String, Value> = health["lignes"].as_object().unwrap();
    let counts = snapshot.row_counts();
    assert_eq!(counts.len(), lignes.len());
    for (table, rows) in counts {
        assert_eq!(lignes[*table].as_u64().unwrap(), *rows as u64, "{table}");
    }
    assert_eq!(
        health["version_donnees"].as_str().unwrap(),
        snapshot.version
    );
}
