//! Results by commune and by polling station, in the Ministry's text files (Latin-1 or
//! UTF-8) and in workbooks: each row checked, summed per département as it is read, giving
//! exactly the outputs of the département files, plus the commune table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{Project, burvot_texts, ministry_grid, ministry_name, ministry_text};

/// The outputs but the SQLite file (its page layout may differ; its dump may not), by name.
fn outputs(project: &Project) -> BTreeMap<String, Vec<u8>> {
    project
        .outputs()
        .into_iter()
        .filter(|(p, _)| p.extension().is_none_or(|e| e != "db"))
        .map(|(p, b): (PathBuf, _)| (p.file_name().unwrap().to_string_lossy().into_owned(), b))
        .collect()
}

fn run_ok(project: &Project, extra: &[&str]) {
    let out = project.run_etl(extra);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const COMMUNES_T1: &str = "resultats_communes_2022_t1.csv";
const COMMUNES_T2: &str = "resultats_communes_2022_t2.csv";

#[test]
fn every_level_and_format_gives_the_departement_outputs_and_one_commune_table() {
    let departements = Project::new();
    run_ok(&departements, &[]);
    let expected = outputs(&departements);
    assert!(!expected.contains_key(COMMUNES_T1));

    let text_latin1 = Project::with_results(&burvot_texts());
    let xlsx = Project::with_results(&[]);
    for tour in [1, 2] {
        let path = xlsx.raw().join(ministry_name("burvot", tour, "xlsx"));
        ministry_grid(tour, true).save(&path);
    }
    let communes_utf8 = Project::with_results(&[1, 2].map(|tour| {
        let grid = ministry_grid(tour, false);
        (
            ministry_name("subcom", tour, "csv"),
            ministry_text(&grid, false, false),
        )
    }));
    let mut tables = Vec::new();
    for project in [&text_latin1, &xlsx, &communes_utf8] {
        run_ok(project, &[]);
        let mut got = outputs(project);
        let t1 = got.remove(COMMUNES_T1).expect("the round-1 commune table");
        let t2 = got.remove(COMMUNES_T2).expect("the round-2 commune table");
        // Polling stations and communes sum to the same départements, byte for byte.
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &expected {
            assert!(got[name] == *bytes, "{name} differs");
        }
        tables.push((t1, t2));
    }
    // The stations of each commune sum to the commune file's row, in every format.
    assert!(
        tables[0] == tables[1],
        "text and xlsx commune tables differ"
    );
    assert!(tables[0] == tables[2], "stations and communes differ");
}

#[test]
fn the_commune_table_sums_the_stations_of_each_commune() {
    let project = Project::with_results(&burvot_texts());
    run_ok(&project, &[]);
    let table = String::from_utf8(project.clean(COMMUNES_T1)).unwrap();
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some(
            "code_commune,commune,departement_code,annee,tour,inscrits,abstentions,votants,\
             blancs,nuls,exprimes,candidat_id,nom,prenom,voix"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let reference = etl::reference::Reference::embedded().unwrap();
    let constituencies = reference.departements.len();
    // Two communes per constituency, 12 candidates each.
    assert_eq!(rows.len(), constituencies * 2 * 12);
    let mut keys: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[11])).collect();
    let sorted = {
        let mut k = keys.clone();
        k.sort_by_key(|(c, id)| (c.to_string(), id.parse::<i32>().unwrap()));
        k
    };
    assert_eq!(keys, sorted, "sorted by INSEE code, then candidate id");
    keys.dedup();
    assert_eq!(keys.len(), rows.len());

    // The Nord's commune 001 is stations 0001 and 0002 of the input, summed.
    let grid = common::ministry_grid(1, true);
    let nord: Vec<&Vec<common::Cell>> = grid
        .rows
        .iter()
        .filter(|r| r[0] == common::t("59") && r[4] == common::t("001"))
        .collect();
    assert_eq!(nord.len(), 2);
    let number = |c: &common::Cell| match c {
        common::Cell::Number(v) => *v as i64,
        other => panic!("{other:?}"),
    };
    let inscrits: i64 = nord.iter().map(|r| number(&r[7])).sum();
    let macron_column = 21 + 2 * 7 + 4;
    assert_eq!(nord[0][macron_column - 2], common::t("MACRON"));
    let macron: i64 = nord.iter().map(|r| number(&r[macron_column])).sum();
    let row = rows
        .iter()
        .find(|r| r[0] == "59001" && r[12] == "MACRON")
        .unwrap();
    assert_eq!(row[1], "Commune 001 de Nord");
    assert_eq!((row[2], row[3], row[4]), ("59", "2022", "1"));
    assert_eq!(row[5], inscrits.to_string());
    assert_eq!(row[14], macron.to_string());
    // Overseas communes carry INSEE codes: Guadeloupe (ZA, 971) commune 001 -> 97101.
    assert!(rows.iter().any(|r| r[0] == "97101" && r[2] == "971"));
    // Corsica keeps its letters.
    assert!(rows.iter().any(|r| r[0] == "2A002"));

    // Summed over communes, the counts equal the département file's.
    let total_communes: i64 = rows
        .iter()
        .filter(|r| r[12] == "MACRON")
        .map(|r| r[5].parse::<i64>().unwrap())
        .sum();
    let departements = common::election_grid(1);
    let total: i64 = departements.rows[1..]
        .iter()
        .map(|r| match &r[3] {
            common::Cell::Text(s) => s.parse::<i64>().unwrap(),
            other => number(other),
        })
        .sum();
    assert_eq!(total_communes, total);
}

#[test]
fn latin1_and_utf8_with_or_without_bom_and_crlf_give_identical_outputs() {
    let latin1 = Project::with_results(&burvot_texts());
    run_ok(&latin1, &[]);
    let utf8_bom = Project::with_results(&[1, 2].map(|tour| {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(ministry_text(&ministry_grid(tour, true), false, false));
        (ministry_name("burvot", tour, "txt"), bytes)
    }));
    run_ok(&utf8_bom, &[]);
    assert!(outputs(&latin1) == outputs(&utf8_bom));
    // Declared rather than detected: the same again.
    let declared = Project::with_results(&burvot_texts());
    run_ok(&declared, &["--encoding", "latin1"]);
    assert!(outputs(&latin1) == outputs(&declared));
}

#[test]
fn a_previous_commune_table_goes_when_the_run_is_by_departement() {
    let project = Project::with_results(&burvot_texts());
    run_ok(&project, &[]);
    assert!(project.out().join(COMMUNES_T1).exists());
    for tour in [1, 2] {
        let name = ministry_name("burvot", tour, "txt");
        std::fs::remove_file(project.raw().join(name)).unwrap();
    }
    common::election_grid(1).save(&project.raw().join(etl::pipeline::T1_FILE));
    common::election_grid(2).save(&project.raw().join(etl::pipeline::T2_FILE));
    run_ok(&project, &[]);
    assert!(!project.out().join(COMMUNES_T1).exists());
    assert!(!project.out().join(COMMUNES_T2).exists());
}

#[test]
fn two_files_for_a_round_need_the_flag_naming_one() {
    let mut files = burvot_texts();
    let grid = ministry_grid(1, false);
    files.push((
        ministry_name("subcom", 1, "txt"),
        ministry_text(&grid, true, true),
    ));
    let project = Project::with_results(&files);
    let out = project.run_etl(&[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("2 results files for round 1")
            && stderr.contains("resultats-par-niveau-burvot-t1-france-entiere.txt")
            && stderr.contains("resultats-par-niveau-subcom-t1-france-entiere.txt")
            && stderr.contains("--resultats-t1"),
        "{stderr}"
    );
    assert!(project.outputs().is_empty(), "nothing written");
    run_ok(
        &project,
        &[
            "--resultats-t1",
            "resultats-par-niveau-subcom-t1-france-entiere.txt",
        ],
    );
    assert!(project.out().join(COMMUNES_T1).exists());
}
