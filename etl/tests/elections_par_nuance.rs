//! The elections by label, end to end with the real `etl` binary on files the tests write:
//! what a good run stores, what bad files and a manifest they contradict get, and an election
//! added by a manifest row, its nuance rows and its raw file only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{
    COMPTES, Cell, Project, circonscriptions_grid, election_grid, fails_untouched,
    fichier_par_nuance, numeros, project_after_good_run,
};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use etl::reference::Reference;

const FICHIER_2022_T1: &str =
    "elections/legislatives-2022/resultats-par-niveau-dpt-t1-france-entiere.txt";
const CIRCO_2022_T1: &str =
    "elections/legislatives-2022/resultats-par-niveau-cirlg-t1-france-entiere.txt";

const CIRCO_2022_T2: &str =
    "elections/legislatives-2022/resultats-par-niveau-cirlg-t2-france-entiere.txt";
const LONG_2017_T1: &str =
    "elections/legislatives-2017/2017-legislatives-1_par_circonscription_long.csv";
const LONG_2017_T2: &str =
    "elections/legislatives-2017/2017-legislatives-2_par_circonscription_long.csv";

#[derive(QueryableByName, Debug, PartialEq)]
struct Ligne {
    #[diesel(sql_type = Text)]
    cle: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn requete(db: &Path, sql: &str) -> Vec<(String, i64)> {
    let mut conn = SqliteConnection::establish(&db.display().to_string()).unwrap();
    diesel::sql_query(sql)
        .load::<Ligne>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|l| (l.cle, l.n))
        .collect()
}

/// The reference folder, copied so that a test can edit it.
fn reference_dir(project: &Project) -> PathBuf {
    let dir = project.dir.path().join("reference");
    std::fs::create_dir_all(&dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference");
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

fn edit(path: &Path, f: impl Fn(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

#[test]
fn a_good_run_stores_turnout_votes_by_label_and_seats_of_every_election_by_label() {
    let project = project_after_good_run();
    // Every constituency of the reference holds COMPTES, and wins one seat.
    let n = Reference::embedded().unwrap().circonscriptions.len() as i64;
    assert_eq!(n, 577);
    let rounds = requete(
        &project.database(),
        "SELECT type_election || '-' || annee || '-t' || tour AS cle, SUM(inscrits) AS n \
         FROM participations WHERE type_election = 'legislatives' GROUP BY 1 ORDER BY 1",
    );
    assert_eq!(rounds.len(), 6, "{rounds:?}");
    assert!(
        rounds.iter().all(|(_, v)| *v == n * COMPTES[0]),
        "{rounds:?}"
    );
    // Every synthetic constituency is won in round 2 by the first label: one seat each.
    let seats = requete(
        &project.database(),
        "SELECT annee || '-t' || tour AS cle, SUM(nombre) AS n FROM sieges GROUP BY 1 ORDER BY 1",
    );
    assert_eq!(
        seats,
        vec![
            ("2017-t2".into(), n),
            ("2022-t2".into(), n),
            ("2024-t2".into(), n)
        ]
    );
    let labels = requete(
        &project.database(),
        "SELECT nuance AS cle, SUM(voix) AS n FROM resultats_nuances \
         WHERE annee = 2022 AND tour = 1 GROUP BY 1 ORDER BY 1",
    );
    assert_eq!(labels.iter().map(|(_, v)| v).sum::<i64>(), n * COMPTES[5]);
    assert!(project.out().join("resultats_nuances.csv").is_file());
    assert!(project.out().join("sieges.csv").is_file());
}

#[test]
fn an_unmapped_nuance_stops_etl_naming_it_the_election_the_file_line_and_column() {
    let project = project_after_good_run();
    edit(&project.raw().join(FICHIER_2022_T1), |t| {
        t.replacen(";DIV;", ";XYZ;", 1)
    });
    fails_untouched(
        &project,
        &[],
        &[
            "nuance 'XYZ' of legislatives-2022 has no family in etl/reference/nuances.csv",
            "resultats-par-niveau-dpt-t1-france-entiere.txt",
            "line 2",
            "column",
        ],
    );
}

#[test]
fn a_block_width_that_contradicts_the_manifest_is_refused() {
    let project = project_after_good_run();
    let reference = reference_dir(&project);
    edit(&reference.join("elections.csv"), |t| {
        t.replace(
            "departement,nuances,5,elections/legislatives-2022/resultats-par-niveau-dpt-t1",
            "departement,nuances,4,elections/legislatives-2022/resultats-par-niveau-dpt-t1",
        )
    });
    fails_untouched(
        &project,
        &["--reference-dir", reference.to_str().unwrap()],
        &[
            "resultats-par-niveau-dpt-t1-france-entiere.txt",
            "the manifest's block width 4 does not fit this file",
        ],
    );
}

#[test]
fn a_level_that_contradicts_the_manifest_is_refused() {
    let project = project_after_good_run();
    // The constituency file where the manifest names the file by département.
    let circo = std::fs::read(project.raw().join(CIRCO_2022_T1)).unwrap();
    std::fs::write(project.raw().join(FICHIER_2022_T1), circo).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-dpt-t1-france-entiere.txt",
            "the manifest says this file is by département",
            "a constituency file",
        ],
    );
}

#[test]
fn a_missing_file_the_manifest_names_is_named() {
    let project = project_after_good_run();
    std::fs::remove_file(project.raw().join(CIRCO_2022_T1)).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-cirlg-t1-france-entiere.txt: file not found",
            "legislatives-2022-t1",
        ],
    );
}

#[test]
fn constituencies_that_do_not_sum_to_their_departement_are_refused() {
    let project = project_after_good_run();
    // One more registered voter in Ain's constituency (and its abstentions).
    edit(&project.raw().join(CIRCO_2022_T1), |t| {
        t.replacen(";1000;400;600;", ";1001;401;600;", 1)
    });
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-cirlg-t1-france-entiere.txt",
            "the constituencies of 01 do not sum to its row",
        ],
    );
}

#[test]
fn label_votes_off_by_more_than_the_published_differences_are_refused() {
    let project = project_after_good_run();
    let path = project.raw().join(FICHIER_2022_T1);
    // +3 votes on the first label of Ain (and its percentages left as they were: the sum
    // check comes first).
    edit(&path, |t| t.replacen(";250;", ";253;", 1));
    let err = fails_untouched(
        &project,
        &[],
        &[FICHIER_2022_T1.rsplit('/').next().unwrap()],
    );
    assert!(
        err.contains("sum to 588, not Exprimés 585") || err.contains("published"),
        "{err}"
    );
}

#[test]
fn a_difference_of_two_votes_is_kept_as_published_and_reported() {
    let project = Project::new();
    let reference = Reference::embedded().unwrap();
    let codes: Vec<String> = ["DIV", "DSV", "DVC"].map(str::to_owned).to_vec();
    // Two more votes for the first label in the Ain's first constituency, and so in the
    // Ain's row, percentages kept consistent with the new votes.
    let shift = |text: String| -> String {
        text.split_inclusive('\n')
            .map(|line| {
                if line.starts_with("01;Ain;01;") {
                    line.replace(";DIV;250;25,00;42,74;", ";DIV;252;25,20;43,08;")
                } else if line.starts_with("01;Ain;Complet;") {
                    line.replace(";DIV;1250;25,00;42,74;", ";DIV;1252;25,04;42,80;")
                } else {
                    line.to_owned()
                }
            })
            .collect()
    };
    for (rel, format) in [
        (FICHIER_2022_T1, "nuances"),
        (CIRCO_2022_T1, "candidats-nuance"),
    ] {
        let text = fichier_par_nuance(
            &reference,
            format,
            if format == "nuances" { 5 } else { 9 },
            1,
            &codes,
        );
        let text = shift(text);
        std::fs::write(project.raw().join(rel), text).unwrap();
    }
    let out = project.run_etl(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("kept as published")
            && stdout.contains("the label votes sum to 587, Exprimés is 585 (+2)"),
        "{stdout}"
    );
    let ain = requete(
        &project.database(),
        "SELECT nuance AS cle, voix AS n FROM resultats_nuances \
         WHERE departement_code = '01' AND annee = 2022 AND tour = 1 ORDER BY 1",
    );
    assert_eq!(
        ain[0],
        (
            "DIV".to_owned(),
            250 * numeros(&reference, "01").len() as i64 + 2
        ),
        "kept as published: {ain:?}"
    );
}

/// An election added by a manifest row, its nuance rows and its raw file only: stored, and
/// served by the real API over HTTP (listed; its indicators, national result and nuance grid
/// answered with `election=`).
#[tokio::test]
async fn an_election_added_by_data_alone_is_served_by_the_api() {
    let project = project_after_good_run();
    let reference = reference_dir(&project);
    edit(&reference.join("elections.csv"), |t| {
        t + "europeennes,2019,1,2019-05-26,definitif,\"Ministère de l'Intérieur, synthetic\",departement,nuances,4,elections/europeennes-2019/resultats-dpt.csv,,,\n"
    });
    edit(&reference.join("nuances.csv"), |t| {
        t + "europeennes,2019,LRN,Liste du Rassemblement national,extreme_droite\n\
             europeennes,2019,LREM,Liste Renaissance,centre\n\
             europeennes,2019,LFI,Liste de la France insoumise,gauche\n"
    });
    let r = Reference::embedded().unwrap();
    let text = fichier_par_nuance(
        &r,
        "nuances",
        4,
        1,
        &["LRN", "LREM", "LFI"].map(str::to_owned),
    );
    let path = project
        .raw()
        .join("elections/europeennes-2019/resultats-dpt.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let out = project.run_etl(&["--reference-dir", reference.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = requete(
        &project.database(),
        "SELECT nuance AS cle, SUM(voix) AS n FROM resultats_nuances \
         WHERE type_election = 'europeennes' GROUP BY 1 ORDER BY 1",
    );
    // Each département's row holds its constituencies' sums: 577 constituencies in all.
    let n = Reference::embedded().unwrap().circonscriptions.len() as i64;
    assert_eq!(
        rows,
        vec![
            ("LFI".into(), 135 * n),
            ("LREM".into(), 200 * n),
            ("LRN".into(), 250 * n)
        ]
    );
    // `ml` is not the subject: the models of the committed dump stand in for its run.
    let models = project.dir.path().join("models.db");
    db::restore_from_dump(&models, api::startup::EMBEDDED_DUMP).unwrap();
    let mut conn = SqliteConnection::establish(&project.database().display().to_string()).unwrap();
    diesel::sql_query(format!("ATTACH DATABASE '{}' AS src", models.display()))
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("INSERT INTO modeles SELECT * FROM src.modeles")
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("DETACH DATABASE src")
        .execute(&mut conn)
        .unwrap();
    drop(conn);

    let settings = api::settings::Settings {
        host: "127.0.0.1".into(),
        port: 0,
        database_url: project.database().display().to_string(),
        dump: None,
        workers: Some(1),
        request_timeout_ms: 5000,
        body_timeout_ms: 5000,
        time_limit_ms: 10000,
        max_connections: 64,
        write_timeout_ms: 30000,
        trust_proxy: false,
        public_url: None,
    };
    let state = api::startup::load_state(&settings).unwrap();
    let app = api::startup::Application::build(&settings, state).unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let get = |path: &str| {
        let url = format!("{base}{path}");
        async move {
            let r = reqwest::get(url).await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    let elections = get("/elections").await;
    let e = elections
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "europeennes-2019-t1")
        .expect("the new election is listed");
    assert_eq!(e["date_scrutin"], "2019-05-26");
    let national = get("/indicateurs/national?election=europeennes-2019-t1").await;
    assert_eq!(national["exprimes"], serde_json::json!(COMPTES[5] * n));
    assert_eq!(national["nuance_gagnante"], "LRN");
    let rows = get("/indicateurs?election=europeennes-2019-t1").await;
    assert_eq!(rows[0]["famille_gagnante"], "extreme_droite");
    let grid = get("/nuances?election=europeennes-2019").await;
    assert_eq!(grid.as_array().unwrap().len(), 3);
}

#[test]
fn a_constituency_code_missing_from_the_reference_is_refused_with_its_line_and_column() {
    let project = project_after_good_run();
    // The Ain has five constituencies: a sixth is not in the reference.
    edit(&project.raw().join(LONG_2017_T1), |t| {
        t.replace("\n01,5,", "\n01,6,")
    });
    fails_untouched(
        &project,
        &[],
        &[
            "2017-legislatives-1_par_circonscription_long.csv",
            "line 14, column B ('circonscription')",
            "constituency 6 of 01 (Ain) is not in etl/reference/circonscriptions.csv",
        ],
    );
}

#[test]
fn a_second_round_without_an_undecided_constituency_is_refused() {
    let project = project_after_good_run();
    // Nobody is elected in round 1 (synthetic votes): round 2 must hold all 577.
    edit(&project.raw().join(LONG_2017_T2), |t| {
        t.split_inclusive('\n')
            .filter(|l| !l.starts_with("01,3,"))
            .collect()
    });
    fails_untouched(
        &project,
        &[],
        &[
            "2017-legislatives-2_par_circonscription_long.csv",
            "round 2 of legislatives-2017 has no row for 1 constituency it must hold: 0103",
        ],
    );
}

#[test]
fn seats_that_do_not_add_up_to_577_are_refused() {
    let project = project_after_good_run();
    // The first constituency's winner loses the flag: 576 seats.
    edit(&project.raw().join(CIRCO_2022_T2), |t| {
        t.replacen(";Elu;", ";;", 1)
    });
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-cirlg-t2-france-entiere.txt",
            "fill 576 seats, not 577",
        ],
    );
}

/// The 2022 presidential round 1 by constituency: stored for the 577 with each candidate's
/// family; a vote moved from one candidate to another in one constituency (every count of the
/// row still consistent) no longer sums to the département's workbook: refused, naming the
/// file, the département and the candidate.
#[test]
fn presidential_rounds_by_constituency_must_sum_to_their_departements() {
    let project = project_after_good_run();
    let n = requete(
        &project.database(),
        "SELECT annee || '-t' || tour AS cle, COUNT(*) AS n FROM participations_circonscriptions \
         WHERE type_election = 'presidentielle' GROUP BY 1 ORDER BY 1",
    );
    assert_eq!(
        n,
        vec![
            ("2017-t1".to_owned(), 577),
            ("2017-t2".to_owned(), 577),
            ("2022-t1".to_owned(), 577)
        ]
    );
    let sans_famille = requete(
        &project.database(),
        "SELECT famille_code AS cle, COUNT(*) AS n FROM candidatures_circonscriptions \
         WHERE type_election = 'presidentielle' AND nuance IS NOT NULL GROUP BY 1",
    );
    assert!(
        sans_famille.is_empty(),
        "no nuance for a candidate: {sans_famille:?}"
    );
    let mut grid = circonscriptions_grid(&election_grid(1), true, false, "Résultats");
    // Row 1 (Ain, 1st): one vote from the first candidate (column W) to the second (AD).
    let voix = |c: &Cell| match c {
        Cell::Number(v) => *v,
        _ => panic!("a number"),
    };
    let (a, b) = (voix(&grid.rows[1][22]), voix(&grid.rows[1][29]));
    let (inscrits, exprimes) = (voix(&grid.rows[1][4]), voix(&grid.rows[1][15]));
    let pct = |v: f64, d: f64| Cell::Number((v / d * 10_000.0).round() / 100.0);
    for (col, v) in [(22, a - 1.0), (29, b + 1.0)] {
        grid.set(1, col, Cell::Number(v));
        grid.set(1, col + 1, pct(v, inscrits));
        grid.set(1, col + 2, pct(v, exprimes));
    }
    let file = "elections/presidentielle-2022/resultats-par-niveau-cirlg-t1-france-entiere.xlsx";
    grid.save(&project.raw().join(file));
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-cirlg-t1-france-entiere.xlsx",
            "the constituencies of 01 give",
            "presidentielle-2022-t1, its département row",
        ],
    );
}
