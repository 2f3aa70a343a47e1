//! The dump and restore helpers on real SQLite files in a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;

fn migrated(dir: &std::path::Path) -> (std::path::PathBuf, diesel::SqliteConnection) {
    let path = dir.join("test.db");
    let mut conn = db::open(&path).unwrap();
    db::migrate(&mut conn).unwrap();
    (path, conn)
}

#[test]
fn schema_part_of_the_dump() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut conn) = migrated(dir.path());
    insta::assert_snapshot!(db::dump_sql(&mut conn).unwrap());
}

#[test]
fn dump_is_ordered_and_restores_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut conn) = migrated(dir.path());
    // Inserted out of key order, with quotes and a non-terminating float.
    conn.batch_execute(
        "INSERT INTO regions VALUES ('93', 'Provence-Alpes-Côte d''Azur'), ('11', 'Île-de-France');
         INSERT INTO departements VALUES ('75', '75', 'Paris', '11', 1), ('13', '13', 'Bouches-du-Rhône', '93', 1);
         INSERT INTO chomage VALUES ('75', 2022, 3, 6.1), ('13', 2022, 3, 0.1), ('13', 1982, 1, 9.0);",
    )
    .unwrap();
    let dump = db::dump_sql(&mut conn).unwrap();
    let regions: Vec<&str> = dump
        .lines()
        .filter(|l| l.starts_with("INSERT INTO \"regions\""))
        .collect();
    assert_eq!(
        regions,
        [
            "INSERT INTO \"regions\" (\"code\", \"nom\") VALUES ('11', 'Île-de-France');",
            "INSERT INTO \"regions\" (\"code\", \"nom\") VALUES ('93', 'Provence-Alpes-Côte d''Azur');",
        ]
    );
    let chomage: Vec<&str> = dump
        .lines()
        .filter(|l| l.starts_with("INSERT INTO \"chomage\""))
        .collect();
    assert_eq!(chomage.len(), 3);
    assert!(
        chomage[0].ends_with("VALUES ('13', 1982, 1, 9.0);"),
        "{}",
        chomage[0]
    );
    assert!(
        chomage[1].ends_with("VALUES ('13', 2022, 3, 0.1);"),
        "{}",
        chomage[1]
    );

    let restored = dir.path().join("restored.db");
    db::restore_from_dump(&restored, &dump).unwrap();
    let mut again = db::open(&restored).unwrap();
    db::check_schema(&mut again, &restored).unwrap();
    assert_eq!(db::dump_sql(&mut again).unwrap(), dump);
    drop(conn);
    assert!(path.exists());
}

#[test]
fn failed_restore_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("restored.db");
    let err = db::restore_from_dump(&target, "CREATE TABLE x (;").unwrap_err();
    assert!(err.to_string().contains("syntax error"), "{err}");
    assert!(!target.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn corrupt_or_foreign_databases_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"this is not a database, just bytes in a file").unwrap();
    let err = db::open(&garbage)
        .and_then(|mut c| db::check_schema(&mut c, &garbage))
        .unwrap_err();
    assert!(err.to_string().contains("garbage.db"), "{err}");

    let foreign = dir.path().join("foreign.db");
    let mut conn = db::open(&foreign).unwrap();
    conn.batch_execute("CREATE TABLE other (id INTEGER);")
        .unwrap();
    let err = db::check_schema(&mut conn, &foreign)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("does not match this version's schema"),
        "{err}"
    );
}

/// The registry of indicators and the `indicateurs_socio` table of the committed data agree:
/// every INSEE indicator of the table is in the registry, with the same unit.
#[test]
fn the_variable_registry_matches_the_indicateurs_socio_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("committed.db");
    db::restore_from_dump(&path, include_str!("../../dump.sql")).unwrap();
    let snapshot = db::Snapshot::load(&mut db::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(snapshot.indicateurs_socio.len(), 8);
    for row in &snapshot.indicateurs_socio {
        let variable = db::Variable::from_code(&row.code)
            .unwrap_or_else(|| panic!("{} is not in the registry", row.code));
        assert_eq!(variable.unite(), row.unite, "{}", row.code);
    }
}

/// An unemployment rate is found by its distance from the series' first quarter, and by a
/// search where the series has a gap: every quarter of every département of the committed
/// data, one of them with a quarter taken out, against a plain scan of the series.
#[test]
fn unemployment_is_found_in_series_with_and_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("committed.db");
    db::restore_from_dump(&path, include_str!("../../dump.sql")).unwrap();
    db::open(&path)
        .unwrap()
        .batch_execute(
            "DELETE FROM chomage WHERE departement_code = '92' AND annee = 2022 AND trimestre = 1;",
        )
        .unwrap();
    let snapshot = db::Snapshot::load(&mut db::open_read_only(&path).unwrap()).unwrap();
    let (first, last) = snapshot.quarter_range().unwrap();
    let mut found = 0;
    for d in &snapshot.departements {
        let series = snapshot.chomage(&d.code);
        let mut quarter = first.shifted(-1);
        while quarter <= last.shifted(1) {
            let scan = series
                .iter()
                .find(|c| i32::from(quarter.trimestre) == c.trimestre && quarter.annee == c.annee)
                .map(|c| c.taux);
            assert_eq!(
                snapshot.taux_chomage(&d.code, quarter),
                scan,
                "{} {quarter}",
                d.code
            );
            found += usize::from(scan.is_some());
            quarter = quarter.shifted(1);
        }
    }
    assert!(found > 10_000, "{found}");
    let q = db::Quarter::new;
    assert_eq!(snapshot.taux_chomage("92", q(2022, 1)), None);
    assert!(snapshot.taux_chomage("92", q(2022, 2)).is_some());
    assert!(snapshot.taux_chomage("92", q(2021, 4)).is_some());
}
