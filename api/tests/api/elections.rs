//! Every election as data, over HTTP: today's URLs keep their bodies, `election=` on the
//! scope, the elections list, the nuance grids, the seats, the national figures of the
//! legislative elections to the vote, the shift between any two rounds, and the 400s.

use sha2::{Digest, Sha256};

use crate::common::{self, spawn_app_with};

/// The bodies this change adds to: every other URL of `corps_avant_elections.tsv` (the URLs
/// of the README, docs, images and dashboard, captured before the change) keeps its bytes.
const CHANGES: [(&str, &str); 49] = [
    (
        "/",
        "the home page lists the elections loaded and has the election selector",
    ),
    (
        "/api-docs/openapi.json",
        "documents the new parameters and endpoints",
    ),
    (
        "/apprentissage",
        "the navigation links the Circonscriptions page (every page's navigation does)",
    ),
    (
        "/charts/boites/taux_chomage",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/carte/evolution/extreme_droite",
        "issue 29: quantile classes split at 0, colours centred on 0, 5 classes by default; exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/evolution/extreme_droite?tour=1&n=6",
        "the same",
    ),
    (
        "/charts/carte/famille-gagnante",
        "exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/famille-gagnante?annee=2017&tour=2",
        "the same",
    ),
    (
        "/charts/carte/famille-gagnante?perimetre=metropole",
        "the same",
    ),
    (
        "/charts/carte/lisa/part_extreme_droite",
        "issue 29: the overseas départements under « sans voisin »; exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/part_extreme_droite",
        "exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/prediction",
        "issue 29: titled by the model's label; exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/prediction?modele=regression_logistique",
        "the same",
    ),
    (
        "/charts/carte/taux_chomage?classes=jenks",
        "exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/carte/taux_chomage?classes=jenks&n=7&palette=bleus",
        "the same",
    ),
    (
        "/charts/carte/taux_chomage?region=32&surligne=59",
        "issue 29: the highlighted département has a halo, the others keep their legend colour; exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71); issue 30: thin outlines join bevelled (the same pixels)",
    ),
    (
        "/charts/departements/59/candidats?tour=2",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/departements/59/chomage",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/departements/59/familles?annee=2017",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/departements/59/familles?tour=1",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/evolution",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/evolution?departement=59&tour=2",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/histogramme/taux_abstention?bins=20",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/models/accuracy",
        "Gaussian naive Bayes adopts scikit-learn's var_smoothing (its accuracy moves by up to 0.003); issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    ("/charts/models/accuracy?jeu=socio_economique", "the same"),
    (
        "/charts/models/knn/confusion",
        "issue 29: families by their labels, larger text",
    ),
    (
        "/charts/models/knn/importance",
        "issue 29: signed bars with whole error bars on an axis fitted to them, features by their labels; issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/models/knn/roc",
        "issue 29: families by their labels, larger text; issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/charts/moran/part_extreme_droite",
        "issue 29: the legend in the corner that hides the fewest points",
    ),
    (
        "/charts/nuage?x=taux_chomage&y=part_extreme_droite&regression=true",
        "issue 30: the mesh's light lines, drawn in the background's colour, are left out (the same pixels)",
    ),
    (
        "/correlations.csv",
        "issue 29: the columns p, ic95_bas, ic95_haut",
    ),
    (
        "/correlations?variables=revenu_median,taux_pauvrete,densite,part_extreme_droite",
        "issue 29: adds p_valeurs, ic95 and avertissement",
    ),
    (
        "/correlations?variables=taux_chomage,part_extreme_droite&perimetre=metropole",
        "the same",
    ),
    (
        "/correlations?variables=taux_chomage,revenu_median,part_extreme_droite&methode=spearman",
        "the same",
    ),
    (
        "/correlations?variables=taux_chomage,taux_abstention,part_extreme_droite&methode=spearman",
        "the same",
    ),
    (
        "/departements.geojson?simplifie=true",
        "exclaves kept in the simplified outlines (issue 29: 14, 39, 49, 54, 60, with their holes in 02, 53, 55, 61, 71)",
    ),
    (
        "/departements/59",
        "adds `elections`, every round of every election",
    ),
    ("/departements/59?annee=2017", "adds `elections`"),
    ("/departements/59?trimestre=2020-T2", "adds `elections`"),
    ("/departements/971", "adds `elections`"),
    ("/departements/ZA", "adds `elections`"),
    (
        "/donnees/elexxion.db",
        "the database holds the new elections; and the outlines with their exclaves",
    ),
    (
        "/elections",
        "lists every round with its id, type, status, levels, source and labels",
    ),
    (
        "/elections.csv",
        "the same, with the columns of the new fields",
    ),
    ("/exploration", "the form's election selector"),
    (
        "/familles",
        "adds the `divers` family (no presidential candidate is in it: the CSV keeps its bytes)",
    ),
    (
        "/models",
        "Gaussian naive Bayes adopts scikit-learn's var_smoothing",
    ),
    (
        "/spatial/lisa?variable=part_extreme_droite",
        "issue 29: adds correction and avertissement (the overseas départements left out)",
    ),
    (
        "/visualisations",
        "the form's election selector lists every election; issue 29: the spatial statistic's note says it is the metropolitan figure",
    ),
];

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn every_url_of_today_keeps_its_body_except_what_the_elections_add() {
    let app = spawn_app_with(|s| s.public_url = Some("http://localhost:8080".into())).await;
    let list = include_str!("snapshots/corps_avant_elections.tsv");
    let mut changed = Vec::new();
    let mut n = 0;
    for line in list.lines() {
        let [url, status, digest]: [&str; 3] =
            line.split('\t').collect::<Vec<_>>().try_into().unwrap();
        if url == "/health" {
            // Its `version` is the database's digest: a new database, a new version.
            continue;
        }
        if url.contains(".png") {
            // The test binary links resvg with its dev-dependency's features, which change
            // text rasterisation: its PNGs differ from the server binary's in any case. The
            // PNG URLs of the list were compared against the built server (`bench/corps.sh`).
            continue;
        }
        n += 1;
        let response = app
            .client
            .get(format!("{}{url}", app.address))
            .header("Accept-Encoding", "identity")
            .send()
            .await
            .unwrap();
        let code = response.status().as_u16().to_string();
        let body = response.bytes().await.unwrap();
        if code != status || hex(&body) != digest {
            changed.push(url.to_owned());
        }
    }
    assert!(n > 80, "{n} URLs");
    let expected: Vec<String> = CHANGES.iter().map(|(u, _)| (*u).to_owned()).collect();
    assert_eq!(changed, expected, "URLs whose body changed");
}

#[tokio::test]
async fn the_elections_list_gives_every_round_with_its_type_status_levels_and_source() {
    let app = common::spawn_app().await;
    let elections = app.json("/elections").await;
    let ids: Vec<&str> = elections
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "presidentielle-2017-t1",
            "presidentielle-2017-t2",
            "presidentielle-2022-t1",
            "presidentielle-2022-t2",
            "legislatives-2017-t1",
            "legislatives-2017-t2",
            "legislatives-2022-t1",
            "legislatives-2022-t2",
            "legislatives-2024-t1",
            "legislatives-2024-t2",
        ]
    );
    let l24 = &elections[8];
    assert_eq!(l24["type_election"], "legislatives");
    assert_eq!(l24["date_scrutin"], "2024-06-30");
    assert_eq!(l24["statut"], "definitif");
    assert_eq!(
        l24["niveaux"],
        serde_json::json!(["departement", "circonscription"])
    );
    assert!(l24["source"].as_str().unwrap().contains("data.gouv.fr"));
    assert!(
        l24["nuances"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == "UG" && n["famille"] == "gauche")
    );
    assert_eq!(
        elections[4]["niveaux"],
        serde_json::json!(["circonscription"])
    );
    let csv = app.get("/elections.csv").await.text().await.unwrap();
    assert!(csv.starts_with("election,type_election,annee,tour,date_scrutin,statut,niveaux,candidat_id,nom,prenom,nuance,famille\n"));
    assert!(csv.contains("legislatives-2024-t1,legislatives,2024,1,2024-06-30,definitif,\"departement,circonscription\",,,,UXD,extreme_droite"));
}

#[tokio::test]
async fn national_figures_of_the_legislative_elections_equal_the_files_to_the_vote() {
    let app = common::spawn_app().await;
    let t1 = app
        .json("/indicateurs/national?election=legislatives-2024-t1")
        .await;
    assert_eq!(t1["election"], "legislatives-2024-t1");
    assert_eq!(common::i(&t1["inscrits"]), 49_332_709);
    assert_eq!(common::i(&t1["exprimes"]), 32_057_946);
    let nuances = t1["nuances"].as_array().unwrap();
    // The Ministry's label votes differ from its exprimés by -2 in total (kept as published).
    let somme: i64 = nuances.iter().map(|n| common::i(&n["voix"])).sum();
    assert_eq!(somme - 32_057_946, -2);
    assert!(t1.get("candidats").is_none());
    let familles: i64 = t1["familles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| common::i(&f["voix"]))
        .sum();
    assert_eq!(familles, somme);
    let l22 = app
        .json("/indicateurs/national?election=legislatives-2022-t1")
        .await;
    assert_eq!(common::i(&l22["exprimes"]), 22_744_708);
    // `legislatives-2024` with `tour` names a round.
    let t2 = app
        .json("/indicateurs/national?election=legislatives-2024&tour=2")
        .await;
    assert_eq!(t2["election"], "legislatives-2024-t2");
    // Presidential rounds are unchanged: no `election` field.
    let p = app
        .json("/indicateurs/national?election=presidentielle-2022-t1")
        .await;
    assert_eq!(p, app.json("/indicateurs/national").await);
    assert!(p.get("election").is_none());
}

#[tokio::test]
async fn seats_are_the_official_ones_by_nuance_and_by_family() {
    let app = common::spawn_app().await;
    let s = app.json("/sieges?election=legislatives-2024").await;
    assert_eq!(common::i(&s["total"]), 577);
    let of = |code: &str| {
        s["nuances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["nuance"] == code)
            .map(|n| common::i(&n["total"]))
    };
    for (code, seats) in [
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
    ] {
        assert_eq!(of(code), Some(seats), "{code}");
    }
    let famille = |code: &str| {
        s["familles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["famille"] == code)
            .map(|f| common::i(&f["sieges"]))
    };
    // RN 125 + UXD 17 + EXD 1; UG 178 + DVG 12 + SOC 2 + ECO 1.
    assert_eq!(famille("extreme_droite"), Some(143));
    assert_eq!(famille("gauche"), Some(193));
    assert_eq!(famille("divers"), Some(10));
    let s22 = app.json("/sieges?election=legislatives-2022-t1").await;
    assert_eq!(common::i(&s22["total"]), 577);
    let csv = app
        .get("/sieges.csv?election=legislatives-2022")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with(
            "election,nuance,libelle,famille,tour_1,tour_2,total\nlegislatives-2022,ENS,"
        ),
        "{csv}"
    );
    // Without `election`, the latest election with seats.
    assert_eq!(app.json("/sieges").await["election"], "legislatives-2024");
    let p = app
        .problem("/sieges?election=presidentielle-2022", 400)
        .await;
    assert_eq!(p["parametre"], "election");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("legislatives-2017, legislatives-2022, legislatives-2024")
    );
}

#[tokio::test]
async fn nuances_are_served_with_their_family_as_json_and_csv() {
    let app = common::spawn_app().await;
    let n = app.json("/nuances?election=legislatives-2022").await;
    let nup = n
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "NUP")
        .unwrap();
    assert_eq!(nup["famille"], "gauche");
    assert_eq!(n.as_array().unwrap().len(), 16);
    let all = app.json("/nuances").await;
    assert_eq!(all.as_array().unwrap().len(), 17 + 16 + 22);
    let csv = app
        .get("/nuances.csv?election=legislatives-2024")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(
        "legislatives-2024,legislatives,2024,UXD,Union de l'extrême droite,extreme_droite"
    ));
}

#[tokio::test]
async fn the_scope_takes_an_election_on_indicators_maps_and_spatial_statistics() {
    let app = common::spawn_app().await;
    let rows = app.json("/indicateurs?election=legislatives-2024-t1").await;
    let nord = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "59")
        .unwrap();
    assert_eq!(nord["election"], "legislatives-2024-t1");
    assert_eq!(nord["trimestre"], "2024-T3");
    assert!(nord["part_divers"].is_number());
    let csv = app
        .get("/indicateurs.csv?election=legislatives-2024-t1")
        .await;
    let disposition = csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("indicateurs-legislatives-2024-t1-2024-T3.csv"),
        "{disposition}"
    );
    let text = csv.text().await.unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",election,part_divers")
    );
    for url in [
        "/charts/carte/famille-gagnante?election=legislatives-2024-t1",
        "/charts/carte/part_extreme_droite?election=legislatives-2022-t2",
        "/charts/carte/evolution/extreme_droite?de=presidentielle-2022-t1&a=legislatives-2024-t1",
        "/charts/resultats?election=legislatives-2024-t1&par=nuance",
        "/charts/resultats?election=presidentielle-2022-t1",
        "/charts/nuage?election=legislatives-2017-t1",
        "/departements.geojson?election=legislatives-2024-t1",
    ] {
        let r = app.get(url).await;
        assert_eq!(r.status(), 200, "{url}");
        let body = r.text().await.unwrap();
        if url.contains("resultats") && url.contains("nuance") {
            assert!(body.contains("Union de la gauche (UG)"), "{url}");
            assert!(body.contains("législatives 2024, 1er tour"), "{url}");
        }
        if url.contains("evolution") {
            assert!(
                body.contains("présidentielle 2022, 1er tour → législatives 2024, 1er tour"),
                "{url}"
            );
        }
    }
    let moran = app.json("/spatial/moran?variable=part_extreme_droite&election=legislatives-2024-t1&perimetre=metropole").await;
    assert_eq!(moran["election"], "legislatives-2024-t1");
    assert_eq!(moran["n"], 96);
}

#[tokio::test]
async fn the_shift_between_any_two_rounds_is_served_for_the_country_and_a_departement() {
    let app = common::spawn_app().await;
    let e = app
        .json("/ecart?de=presidentielle-2022-t1&a=legislatives-2024-t1")
        .await;
    assert_eq!(e["code"], "FR");
    let rn = e["familles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["famille"] == "extreme_droite")
        .unwrap();
    assert!(common::close(
        common::f(&rn["ecart_points"]),
        common::f(&rn["part_a"]) - common::f(&rn["part_de"])
    ));
    // The divers family stood only in the legislative round: 0 before.
    let divers = e["familles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["famille"] == "divers")
        .unwrap();
    assert_eq!(common::f(&divers["part_de"]), 0.0);
    let nord = app
        .json("/departements/59/ecart?de=legislatives-2022-t1&a=legislatives-2024-t1")
        .await;
    assert_eq!(nord["nom"], "Nord");
    // Without `de` and `a`: the two presidential elections, as today's evolution.
    let defaut = app.json("/departements/59/ecart").await;
    assert_eq!(defaut["de"], "presidentielle-2017-t1");
    assert_eq!(defaut["a"], "presidentielle-2022-t1");
    let p = app.problem("/ecart?de=presidentielle-2022-t1", 400).await;
    assert_eq!(p["parametre"], "a");
}

#[tokio::test]
async fn an_unknown_election_or_round_is_a_400_naming_the_valid_values() {
    let app = common::spawn_app().await;
    for (url, needle) in [
        (
            "/indicateurs?election=legislatives-2099-t1",
            "no election 'legislatives-2099'",
        ),
        (
            "/indicateurs?election=municipales-2020-t1",
            "must be an election round id",
        ),
        (
            "/indicateurs?election=legislatives-2024-t3",
            "must be an election round id",
        ),
        (
            "/charts/carte/famille-gagnante?election=europeennes-2024-t1",
            "no election 'europeennes-2024'",
        ),
        (
            "/indicateurs?election=legislatives-2024-t1&annee=2022",
            "not both",
        ),
        (
            "/indicateurs?election=legislatives-2024-t1&tour=2",
            "not both",
        ),
        (
            "/ecart?de=legislatives-2024-t1&a=presidentielle-2030-t1",
            "no election 'presidentielle-2030'",
        ),
    ] {
        let p = app.problem(url, 400).await;
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains(needle), "{url}: {detail}");
        if !needle.contains("not both") {
            let valeurs = p["valeurs_autorisees"].as_array().unwrap();
            assert!(valeurs.iter().any(|v| v == "legislatives-2024-t1"), "{url}");
        }
    }
}

#[tokio::test]
async fn the_home_page_says_which_elections_are_loaded_and_selects_one() {
    let app = common::spawn_app().await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Élections chargées"));
    for libelle in [
        "Présidentielle 2022",
        "Présidentielle 2017",
        "Législatives 2024",
        "Législatives 2022",
        "Législatives 2017",
    ] {
        assert!(home.contains(libelle), "{libelle}");
    }
    assert!(home.contains("577 sièges"));
    assert!(home.contains(r#"<select name="election""#) || home.contains(r#"name="election""#));
    let l24 = app.get("/?election=legislatives-2024").await;
    assert_eq!(l24.status(), 200);
    let l24 = l24.text().await.unwrap();
    assert!(
        l24.contains("/charts/carte/famille-gagnante.svg?election=legislatives-2024-t1"),
        "the map of the chosen election"
    );
    assert!(l24.contains("Nuance en tête"));
    let refused = app.get("/?election=legislatives-2099").await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("legislatives-2099"));
    let visualisations = app
        .get("/visualisations?election=legislatives-2024&tour=2")
        .await;
    assert_eq!(visualisations.status(), 200);
    let v = visualisations.text().await.unwrap();
    assert!(
        v.contains("election=legislatives-2024-t2"),
        "the charts follow the selector"
    );
}

#[tokio::test]
async fn the_exploration_page_selects_an_election_and_shows_its_labels() {
    let app = common::spawn_app().await;
    let page = app
        .get("/exploration?departement=59&election=legislatives-2024&tour=1")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h2>Nuances</h2>"));
    assert!(html.contains("Rassemblement national (RN)"));
    assert!(html.contains("/charts/departements/59/familles.svg?election=legislatives-2024-t1"));
    assert!(html.contains("Toutes les élections"));
    // The presidential page keeps its candidates.
    let p = app
        .get("/exploration?departement=59")
        .await
        .text()
        .await
        .unwrap();
    assert!(p.contains("<h2>Candidats</h2>"));
    let refused = app
        .get("/exploration?departement=59&election=legislatives-2099")
        .await;
    assert_eq!(refused.status(), 400);
}
