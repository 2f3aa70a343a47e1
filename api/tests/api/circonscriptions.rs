//! `/circonscriptions`: the 577 constituencies over HTTP on the committed data.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::{assert_problem, spawn_app};

fn codes(rows: &Value) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_list_holds_577_constituencies_566_with_an_outline() {
    let app = spawn_app().await;
    let rows = app.json("/circonscriptions").await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 577);
    let sans: Vec<&str> = rows
        .iter()
        .filter(|r| r["contour"] == false)
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(sans.len(), 11);
    assert!(sans.iter().all(|c| c.starts_with("ZZ")), "{sans:?}");
    // The default round is the latest legislative round 1.
    assert!(rows.iter().all(|r| r["election"] == "legislatives-2024-t1"));
    // The CSV has the same rows, each family's share as a column.
    let csv = app.get("/circonscriptions.csv").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("code,numero,nom,departement_code,departement_nom,contour"));
    assert!(header.contains(",part_extreme_droite,"), "{header}");
    assert_eq!(lines.count(), 577);
}

#[tokio::test]
async fn the_list_is_searched_by_name_departement_or_number_and_sorted_by_any_column() {
    let app = spawn_app().await;
    assert_eq!(
        codes(&app.json("/circonscriptions?q=nord%201re").await),
        ["5901"]
    );
    assert_eq!(codes(&app.json("/circonscriptions?q=5901").await), ["5901"]);
    let paris = codes(&app.json("/circonscriptions?departement=75").await);
    assert_eq!(paris.len(), 18);
    assert_eq!(
        codes(&app.json("/circonscriptions?numero=21").await),
        ["5921"]
    );
    let sorted = app
        .json("/circonscriptions?tri=-part_extreme_droite&perimetre=metropole")
        .await;
    let values: Vec<f64> = sorted
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["parts"]["extreme_droite"].as_f64().unwrap())
        .collect();
    assert!(values.len() > 500);
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "descending");
    let problem = assert_problem(app.get("/circonscriptions?tri=nope").await, 400).await;
    assert_eq!(problem["parametre"], "tri");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("part_extreme_droite")
    );
    assert_problem(app.get("/circonscriptions?numero=abc").await, 400).await;
    assert_problem(app.get("/circonscriptions?departement=00").await, 404).await;
    // A round not held by constituency is a 400 naming those that are.
    let problem = assert_problem(
        app.get("/circonscriptions?election=presidentielle-2022-t2")
            .await,
        400,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("legislatives-2024-t1")
    );
}

/// The winners of 2022 and 2024, counted over the served list, give the official seats by
/// nuance (Ministry of the Interior, in `SOURCES.md`).
#[tokio::test]
async fn the_winners_give_the_official_seats_by_nuance() {
    let app = spawn_app().await;
    let expected: [(&str, &[(&str, i64)]); 2] = [
        (
            "legislatives-2022-t2",
            &[
                ("ENS", 245),
                ("NUP", 131),
                ("RN", 89),
                ("LR", 61),
                ("DVG", 22),
                ("DVD", 10),
                ("REG", 10),
                ("DVC", 4),
                ("UDI", 3),
                ("DSV", 1),
                ("DIV", 1),
            ],
        ),
        (
            "legislatives-2024-t2",
            &[
                ("UG", 178),
                ("ENS", 150),
                ("RN", 125),
                ("LR", 39),
                ("DVD", 27),
                ("UXD", 17),
                ("DVG", 12),
                ("REG", 9),
                ("HOR", 6),
                ("DVC", 6),
                ("UDI", 3),
                ("SOC", 2),
                ("EXD", 1),
                ("DIV", 1),
                ("ECO", 1),
            ],
        ),
    ];
    for (election, seats) in expected {
        let rows = app
            .json(&format!("/circonscriptions?election={election}"))
            .await;
        let mut won: BTreeMap<String, i64> = BTreeMap::new();
        for r in rows.as_array().unwrap() {
            *won.entry(r["nuance_elu"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        let expected: BTreeMap<String, i64> =
            seats.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect();
        assert_eq!(won, expected, "{election}");
    }
}

#[tokio::test]
async fn one_constituency_has_every_round_its_winner_and_its_neighbours() {
    let app = spawn_app().await;
    let c = app.json("/circonscriptions/5901").await;
    assert_eq!(c["nom"], "Nord (1re circonscription)");
    assert_eq!(c["departement"]["code"], "59");
    let tours: Vec<&str> = c["tours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["election"].as_str().unwrap())
        .collect();
    assert_eq!(
        tours,
        [
            "presidentielle-2017-t1",
            "presidentielle-2017-t2",
            "presidentielle-2022-t1",
            "legislatives-2017-t1",
            "legislatives-2017-t2",
            "legislatives-2022-t1",
            "legislatives-2022-t2",
            "legislatives-2024-t1",
            "legislatives-2024-t2"
        ]
    );
    for t in c["tours"].as_array().unwrap() {
        let somme: i64 = t["candidats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["voix"].as_i64().unwrap())
            .sum();
        // The Ministry's published sums, within its own 2-vote differences.
        assert!((somme - t["exprimes"].as_i64().unwrap()).abs() <= 2);
    }
    let t2 = &c["tours"][8];
    assert_eq!(t2["elu"]["elu"], true);
    assert!(t2["ecart_points"].as_f64().unwrap() > 0.0);
    // Neighbours are symmetric.
    for v in c["voisins"].as_array().unwrap() {
        let other = app
            .json(&format!(
                "/circonscriptions/{}",
                v["code"].as_str().unwrap()
            ))
            .await;
        assert!(
            other["voisins"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["code"] == "5901")
        );
    }
    // The Ministry's codes are understood; unknown ones are a 404 problem.
    assert_eq!(app.json("/circonscriptions/59001").await["code"], "5901");
    assert_eq!(app.json("/circonscriptions/2a01").await["code"], "2A01");
    let problem = assert_problem(app.get("/circonscriptions/9999").await, 404).await;
    assert!(problem["detail"].as_str().unwrap().contains("9999"));
    // Abroad: no territory, said so, no neighbour, every round still there.
    let zz = app.json("/circonscriptions/ZZ11").await;
    assert_eq!(zz["contour"], false);
    assert!(
        zz["sans_territoire"]
            .as_str()
            .unwrap()
            .contains("hors de France")
    );
    assert_eq!(zz["voisins"], Value::Array(vec![]));
    assert_eq!(zz["tours"].as_array().unwrap().len(), 9);
    // A presidential round: candidates without a nuance, each with their family.
    let p = &c["tours"][2];
    assert_eq!(p["election"], "presidentielle-2022-t1");
    assert!(
        p["candidats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["nuance"].is_null() && x["famille"].is_string())
    );
    assert_eq!(p["candidats"].as_array().unwrap().len(), 12);
}

/// Neighbours after snapping the two independently simplified files: Paris's
/// constituencies touch each other, Corsica's four form a group apart, overseas islands
/// have none.
#[tokio::test]
async fn neighbours_join_paris_keep_corsica_apart_and_leave_islands_alone() {
    let app = spawn_app().await;
    let voisins = |c: &Value| -> BTreeSet<String> {
        c["voisins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["code"].as_str().unwrap().to_owned())
            .collect()
    };
    for n in 1..=18 {
        let c = app.json(&format!("/circonscriptions/75{n:02}")).await;
        assert!(
            voisins(&c).iter().any(|v| v.starts_with("75")),
            "75{n:02} touches another Paris constituency"
        );
    }
    // Corsica: the closure of 2A01's neighbours is the island's four constituencies.
    let mut group: BTreeSet<String> = BTreeSet::from(["2A01".to_owned()]);
    let mut todo = vec!["2A01".to_owned()];
    while let Some(code) = todo.pop() {
        for v in voisins(&app.json(&format!("/circonscriptions/{code}")).await) {
            if group.insert(v.clone()) {
                todo.push(v);
            }
        }
    }
    assert_eq!(
        group,
        BTreeSet::from(["2A01", "2A02", "2B01", "2B02"].map(str::to_owned))
    );
    for island in ["ZS01", "ZX01", "ZW01"] {
        let c = app.json(&format!("/circonscriptions/{island}")).await;
        assert_eq!(c["contour"], true);
        assert!(voisins(&c).is_empty(), "{island}");
    }
}

#[tokio::test]
async fn the_geojson_has_the_566_constituencies_with_a_territory() {
    let app = spawn_app().await;
    let response = app.get("/circonscriptions.geojson?simplifie=true").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let g: Value = response.json().await.unwrap();
    let features = g["features"].as_array().unwrap();
    assert_eq!(features.len(), 566);
    assert!(
        features
            .iter()
            .all(|f| !f["id"].as_str().unwrap().starts_with("ZZ"))
    );
    let nord = features.iter().find(|f| f["id"] == "5901").unwrap();
    assert!(nord["properties"]["part_extreme_droite"].as_f64().is_some());
    assert_eq!(nord["properties"]["election"], "legislatives-2024-t1");
}

/// Each constituency with an outline is one `<path id="circ-…">` with a title naming it,
/// its value and its winner; the 11 abroad are « sans territoire » in the legend.
#[tokio::test]
async fn constituency_maps_draw_each_one_once_and_count_those_without_territory() {
    let app = spawn_app().await;
    for path in [
        "/charts/circonscriptions/carte/part_extreme_droite.svg",
        "/charts/circonscriptions/sieges.svg?election=legislatives-2024&par=nuance",
        "/charts/circonscriptions/sieges.svg?election=legislatives-2022",
        "/charts/circonscriptions/famille-gagnante.svg?election=legislatives-2017-t1",
        "/charts/circonscriptions/evolution/extreme_droite.svg",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let svg = response.text().await.unwrap();
        assert_eq!(svg.matches("<path id=\"circ-").count(), 566, "{path}");
        assert!(svg.contains("sans territoire (11)"), "{path}");
        assert!(svg.contains(">Paris et couronne<"), "{path}");
        assert!(svg.contains(">Guadeloupe<"), "{path}");
    }
    let svg = app
        .get("/charts/circonscriptions/carte/part_extreme_droite.svg")
        .await
        .text()
        .await
        .unwrap();
    let start = svg.find("<path id=\"circ-6211\"").unwrap();
    let title = &svg[start..start + svg[start..].find("</title>").unwrap()];
    assert!(
        title.contains("Pas-de-Calais (11e circonscription) (6211) : ")
            && title.contains("élu·e au 1er tour : Marine LE PEN (RN)"),
        "{title}"
    );
    // A region's map: no inset of Paris, none abroad.
    let hdf = app
        .get("/charts/circonscriptions/carte/part_droite.svg?region=32")
        .await
        .text()
        .await
        .unwrap();
    // Aisne 5, Nord 21, Oise 7, Pas-de-Calais 12, Somme 5.
    assert_eq!(hdf.matches("<path id=\"circ-").count(), 50);
    assert!(!hdf.contains("sans territoire"));
    // Seats are a legislative thing; a measure must exist.
    assert_problem(
        app.get("/charts/circonscriptions/sieges.svg?election=presidentielle-2022-t1")
            .await,
        400,
    )
    .await;
    assert_problem(
        app.get("/charts/circonscriptions/sieges.svg?par=parti")
            .await,
        400,
    )
    .await;
    assert_problem(
        app.get("/charts/circonscriptions/carte/part_inconnue.svg")
            .await,
        400,
    )
    .await;
    assert_problem(
        app.get("/charts/circonscriptions/evolution/extreme_droite.svg?de=legislatives-2022-t1")
            .await,
        400,
    )
    .await;
}

#[tokio::test]
async fn spatial_statistics_run_on_the_constituencies_with_a_neighbour() {
    let app = spawn_app().await;
    let m = app
        .json("/spatial/circonscriptions/moran?variable=part_extreme_droite&election=legislatives-2024-t1")
        .await;
    assert_eq!(m["niveau"], "circonscription");
    // 566 with a territory, less the three islands without a neighbour.
    assert_eq!(m["n"], 563);
    let exclus: BTreeSet<&str> = m["exclus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(exclus, BTreeSet::from(["ZS01", "ZW01", "ZX01"]));
    assert!(m["i"].as_f64().unwrap() > 0.0);
    let l = app
        .json("/spatial/circonscriptions/lisa?variable=taux_participation&permutations=99")
        .await;
    assert_eq!(l["lignes"].as_array().unwrap().len(), 563);
    // Its map: every constituency drawn, the three islands hatched with their reason.
    let svg = app
        .get("/charts/circonscriptions/lisa/part_extreme_droite.svg?permutations=99")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(svg.matches("<path id=\"circ-").count(), 566);
    assert!(svg.contains("Haut-haut (point chaud)"));
    let start = svg.find("<path id=\"circ-ZS01\"").unwrap();
    let zs = &svg[start..start + svg[start..].find("</path>").unwrap()];
    assert!(
        zs.contains("url(#non-disponible)") && zs.contains("sans voisin"),
        "{zs}"
    );
    assert_problem(
        app.get("/spatial/circonscriptions/moran?variable=taux_chomage")
            .await,
        400,
    )
    .await;
}

#[tokio::test]
async fn measures_correlate_over_the_577_constituencies() {
    let app = spawn_app().await;
    let m = app
        .json("/correlations/circonscriptions?variables=taux_participation,taux_abstention,part_extreme_droite&election=legislatives-2024-t1")
        .await;
    assert_eq!(m["n"], 577);
    assert_eq!(m["election"], "legislatives-2024-t1");
    // Participation and abstention are exactly opposite.
    assert_eq!(m["matrice"][0][1], -1.0);
    assert_eq!(m["matrice"][2][2], 1.0);
    let csv = app
        .get("/correlations/circonscriptions.csv?methode=spearman")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("variable_a,variable_b,r,n,p,ic95_bas,ic95_haut\n"));
    assert_eq!(csv.lines().count(), 1 + 7 * 7, "every measure by default");
    assert_problem(
        app.get("/correlations/circonscriptions?variables=taux_participation")
            .await,
        400,
    )
    .await;
    assert_problem(
        app.get("/correlations/circonscriptions?variables=a,b,c,d,e,f,g,h,i")
            .await,
        400,
    )
    .await;
}
