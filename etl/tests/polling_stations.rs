//! Results by polling station: checked row by row, then summed per département, giving
//! exactly the outputs of the same results by département.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Project, stations_grid};
use etl::pipeline::{T1_FILE, T2_FILE};

#[test]
fn polling_station_files_give_the_same_outputs_as_departement_files() {
    let by_departement = Project::new();
    assert!(by_departement.run_etl(&[]).status.success());
    let by_station = Project::new();
    stations_grid(1).save(&by_station.raw().join(T1_FILE));
    stations_grid(2).save(&by_station.raw().join(T2_FILE));
    let out = by_station.run_etl(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = |p: &std::path::Path| p.file_name().unwrap().to_owned();
    let a: Vec<_> = by_departement
        .outputs()
        .into_iter()
        .map(|(p, b)| (name(&p), b))
        .collect();
    let b: Vec<_> = by_station
        .outputs()
        .into_iter()
        .map(|(p, b)| (name(&p), b))
        .collect();
    assert_eq!(a.len(), b.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(name_a, name_b);
        // The SQLite file itself may differ in page layout; its dump may not.
        if name_a.to_string_lossy().ends_with(".db") {
            continue;
        }
        assert!(bytes_a == bytes_b, "{name_a:?} differs");
    }
}

#[test]
fn a_polling_station_listed_twice_is_rejected_by_row_and_column() {
    let project = Project::new();
    let mut grid = stations_grid(1);
    grid.rows[4] = grid.rows[3].clone();
    grid.save(&project.raw().join(T1_FILE));
    let out = project.run_etl(&[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("row 5, column D ('Code du b.vote')"),
        "{stderr}"
    );
    assert!(
        stderr.contains("duplicate polling station in '02' (already on row 4)"),
        "{stderr}"
    );
}

#[test]
fn an_inconsistent_polling_station_is_named() {
    let project = Project::new();
    let mut grid = stations_grid(1);
    // The second station of the first département: more abstentions than inscrits allow.
    grid.set(2, 6, common::n(1_000_000.0));
    grid.save(&project.raw().join(T1_FILE));
    let out = project.run_etl(&[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(T1_FILE) && stderr.contains("row 3, column F ('Inscrits')"),
        "{stderr}"
    );
    assert!(stderr.contains("abstentions (1000000)"), "{stderr}");
}
