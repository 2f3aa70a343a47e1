//! The `etl` binary on raw files written by the tests: a good run, then every
//! kind of bad input. A bad input must exit non-zero with one message naming
//! file, sheet, row and column, and leave the previous outputs byte-identical.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    Grid, Project, chomage_grid, election_grid, fails_untouched, n, project_after_good_run, t,
};
use etl::pipeline::{CHOMAGE_FILE, T1_FILE, T2_FILE};

fn rewrite_t1(project: &Project, edit: impl FnOnce(&mut Grid)) {
    let mut grid = election_grid(1);
    edit(&mut grid);
    grid.save(&project.raw().join(T1_FILE));
}

#[test]
fn good_run_writes_every_output_and_lists_missing_unemployment() {
    let project = Project::new();
    let out = project.run_etl(&[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "chomage_2022_T3.csv",
        "chomage_trimestriel.csv",
        "elections_t1.csv",
        "elections_t2.csv",
        "table_finale.csv",
        "table_finale_famille.csv",
        "table_finale_HDF.csv",
        "table_finale_HDF_famille.csv",
        "elections_2017_t1.csv",
        "elections_2017_t2.csv",
        "socio_economie.csv",
        "socio_economie_large.csv",
    ] {
        assert!(project.out().join(file).is_file(), "{file}");
    }
    assert!(
        stdout.contains("departements                     107"),
        "{stdout}"
    );
    assert!(
        // 2022: 107 x (12 + 2); 2017: 107 x (11 + 2).
        stdout.contains("resultats                       2889"),
        "{stdout}"
    );
    assert!(
        stdout.contains("chomage                          400"),
        "{stdout}"
    );
    assert!(
        stdout.contains("without an unemployment rate for 2022-T3 (7): ZS (Saint-Pierre-et-Miquelon), ZM (Mayotte)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("without revenu_median (1): 976"),
        "{stdout}"
    );
    assert!(stdout.contains("without superficie (1): 976"), "{stdout}");
    assert!(stdout.contains("without population (0): none"), "{stdout}");
    assert!(stdout.contains("done in"), "{stdout}");
    let t1 = std::fs::read_to_string(project.out().join("elections_t1.csv")).unwrap();
    assert_eq!(t1.lines().count(), 1 + 107 * 12);
    let hdf = std::fs::read_to_string(project.out().join("table_finale_HDF.csv")).unwrap();
    let codes: std::collections::BTreeSet<&str> = hdf
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["02", "59", "60", "62", "80"]
    );
}

#[test]
fn other_quarter_names_its_table() {
    let project = Project::new();
    let out = project.run_etl(&["--quarter", "2022-T1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = std::fs::read_to_string(project.out().join("chomage_2022_T1.csv")).unwrap();
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("01,Ain,84,2022,1,2022-T1,5"),
        "{table}"
    );
}

#[test]
fn same_inputs_give_byte_identical_outputs() {
    let a = project_after_good_run();
    let b = project_after_good_run();
    let strip = |p: &Project| {
        p.outputs()
            .into_iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "csv" || e == "sql"))
            .map(|(path, bytes)| {
                (
                    path.strip_prefix(p.dir.path()).unwrap().to_path_buf(),
                    bytes,
                )
            })
            .collect::<Vec<_>>()
    };
    let (ra, rb) = (strip(&a), strip(&b));
    // 15 tables and the dump, and the constituencies, their results and neighbours.
    assert_eq!(ra.len(), 19);
    assert!(ra == rb);
    // A second run over the same project changes nothing either.
    let before = strip(&a);
    assert!(a.run_etl(&[]).status.success());
    assert!(strip(&a) == before);
}

#[test]
fn dump_restores_to_the_same_rows() {
    let project = project_after_good_run();
    let dump = std::fs::read_to_string(project.dump()).unwrap();
    let restored = project.dir.path().join("restored.db");
    db::restore_from_dump(&restored, &dump).unwrap();
    let mut conn = db::open(&restored).unwrap();
    db::check_schema(&mut conn, &restored).unwrap();
    assert_eq!(db::dump_sql(&mut conn).unwrap(), dump);
    let mut original = db::open(&project.database()).unwrap();
    assert_eq!(db::dump_sql(&mut original).unwrap(), dump);
}

#[test]
fn help_documents_every_flag() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--raw-dir",
        "--out-dir",
        "--database",
        "--dump",
        "--quarter",
        "--reference-dir",
    ] {
        assert!(help.contains(flag), "{flag} missing from: {help}");
    }
}

#[test]
fn missing_file_names_the_expected_path_and_source() {
    let project = project_after_good_run();
    std::fs::remove_file(project.raw().join(T2_FILE)).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            "no results file for round 2",
            "resultats-par-niveau-{dpt|subcom|burvot}-t2-france-entiere.{xlsx|txt|csv}",
            "2nd tour",
            "data.gouv.fr",
        ],
    );
}

#[test]
fn truncated_workbook_is_rejected() {
    let project = project_after_good_run();
    let path = project.raw().join(T1_FILE);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    fails_untouched(
        &project,
        &[],
        &[T1_FILE, "cannot read the file", "truncated"],
    );
}

#[test]
fn wrong_sheet_is_named_with_the_sheets_present() {
    let project = project_after_good_run();
    let mut grid = chomage_grid();
    grid.sheet = "Feuil1".into();
    grid.save(&project.raw().join(CHOMAGE_FILE));
    fails_untouched(
        &project,
        &[],
        &[CHOMAGE_FILE, "sheet 'Département' not found", "'Feuil1'"],
    );
}

#[test]
fn missing_column_is_named() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| g.set(0, 4, t("Abstention")));
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "sheet 'Résultats par niveau Dpt T1'",
            "row 1",
            "column 'Abstentions' not found",
        ],
    );
}

#[test]
fn text_in_a_numeric_cell_names_file_sheet_row_and_column() {
    let project = project_after_good_run();
    // Row 6 of the sheet (5th département), column U: the first candidate's votes.
    rewrite_t1(&project, |g| g.set(5, 20, t("beaucoup")));
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "sheet 'Résultats par niveau Dpt T1', row 6, column U ('Voix')",
            "expected a non-negative whole number, found text 'beaucoup'",
        ],
    );
}

#[test]
fn text_in_an_unemployment_cell_is_rejected() {
    let project = project_after_good_run();
    let mut grid = chomage_grid();
    grid.set(10, 4, t("n.d."));
    grid.save(&project.raw().join(CHOMAGE_FILE));
    fails_untouched(
        &project,
        &[],
        &[
            CHOMAGE_FILE,
            "sheet 'Département', row 11, column E ('T3_2022')",
            "text 'n.d.'",
        ],
    );
}

#[test]
fn violated_identity_names_the_cell_and_the_values() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| {
        let common::Cell::Number(v) = g.rows[10][4] else {
            panic!()
        };
        g.set(10, 4, n(v + 1.0));
    });
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 11, column D ('Inscrits')",
            "inscrits (",
            "!= abstentions (",
        ],
    );
}

#[test]
fn votes_not_summing_to_exprimes_are_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| {
        let common::Cell::Number(v) = g.rows[3][26] else {
            panic!()
        };
        g.set(3, 26, n(v + 5.0));
    });
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 4, column O ('Exprimés')",
            "sum of the candidates' votes",
        ],
    );
}

#[test]
fn published_rate_off_by_more_than_rounding_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| {
        let common::Cell::Number(v) = g.rows[7][5] else {
            panic!()
        };
        g.set(7, 5, n(v + 0.5));
    });
    fails_untouched(
        &project,
        &[],
        &[T1_FILE, "row 8, column F ('% Abs/Ins')", "published rate"],
    );
}

#[test]
fn duplicate_departement_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| g.rows[3] = g.rows[2].clone());
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 4, column A ('Code du département')",
            "duplicate département code '02' (already on row 3)",
        ],
    );
}

#[test]
fn missing_departement_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| {
        g.rows.remove(20);
    });
    fails_untouched(&project, &[], &[T1_FILE, "no row for département(s) 2A"]);
}

#[test]
fn unknown_candidate_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| {
        for row in 1..g.rows.len() {
            g.set(row, 18, t("DUPONT"));
        }
    });
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 2, column S ('Nom')",
            "candidate 'Nathalie DUPONT' is not a 2022 candidate in etl/reference/candidats.csv",
        ],
    );
}

#[test]
fn row_with_other_candidates_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| g.set(3, 18, t("DUPONT")));
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 4, column S ('Nom')",
            "candidate 'Nathalie DUPONT' is not among the candidates of row 2",
        ],
    );
}

#[test]
fn row_missing_a_candidate_block_is_rejected() {
    let project = project_after_good_run();
    rewrite_t1(&project, |g| g.rows[4].truncate(17 + 6 * 11));
    fails_untouched(
        &project,
        &[],
        &[
            T1_FILE,
            "row 5, column CF",
            "11 candidate blocks on this row, not the 12 of row 2",
        ],
    );
}

#[test]
fn quarter_outside_the_data_is_rejected() {
    let project = project_after_good_run();
    fails_untouched(
        &project,
        &["--quarter", "2030-T1"],
        &["quarter 2030-T1", "quarters available: 2022-T1 .. 2022-T4"],
    );
}

#[test]
fn malformed_quarter_flag_is_a_usage_error() {
    let project = project_after_good_run();
    let before = project.outputs();
    let out = project.run_etl(&["--quarter", "2022-Q3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-Tn"));
    assert!(project.outputs() == before);
}

/// A replacement of some features' geometry (see [`common::geo_collection`]).
type Edit = Box<dyn Fn(usize, &str) -> Option<String>>;

/// Rewrites the outlines file with the features `edit` replaces.
fn rewrite_geo(project: &Project, edit: impl Fn(usize, &str) -> Option<String>) {
    std::fs::write(
        project.raw().join(etl::geo::GEO_FILE),
        common::geo_collection(edit),
    )
    .unwrap();
}

#[test]
fn neighbours_are_the_squares_around_each_departement() {
    let project = project_after_good_run();
    let csv = std::fs::read_to_string(project.out().join("voisins.csv")).unwrap();
    let codes = common::codes_departements();
    let metropole = common::codes_metropole();
    let pairs: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.to_owned(), b.to_owned())
        })
        .collect();
    // Squares on an 11-wide grid: a square's neighbours are the (up to 8) squares around it;
    // the overseas islands have none.
    for code in &codes {
        let Some(i) = metropole.iter().position(|c| c == code) else {
            assert!(!pairs.iter().any(|(a, _)| a == code), "{code}");
            continue;
        };
        let (x, y) = ((i % 11) as i64, (i / 11) as i64);
        let mut expected: Vec<&str> = metropole
            .iter()
            .enumerate()
            .filter(|(j, _)| {
                let (u, v) = ((j % 11) as i64, (j / 11) as i64);
                *j != i && (u - x).abs() <= 1 && (v - y).abs() <= 1
            })
            .map(|(_, c)| c.as_str())
            .collect();
        expected.sort_unstable();
        let found: Vec<&str> = pairs
            .iter()
            .filter(|(a, _)| a == code)
            .map(|(_, b)| b.as_str())
            .collect();
        assert_eq!(found, expected, "{code}");
    }
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(pairs, sorted, "sorted");
}

/// An outline moved outside its territory, one with too many points, and a file too large
/// to be the outlines are refused by file, feature and code.
#[test]
fn outlines_out_of_their_territory_or_too_large_are_refused() {
    let project = project_after_good_run();
    let file = etl::geo::GEO_FILE;
    let path = project.raw().join(file);
    // Martinique moved to longitude 177.
    let text = common::geo_collection(|_, code| {
        (code == "972").then(|| {
            r#"{"type":"Polygon","coordinates":[[[177,14.6],[177.1,14.6],[177.1,14.7],[177,14.7],[177,14.6]]]}"#.into()
        })
    });
    std::fs::write(&path, text).unwrap();
    fails_untouched(&project, &[], &[file, "'972'", "outside Martinique"]);
    // A metropolitan département in the Atlantic.
    let text = common::geo_collection(|i, _| {
        (i == 3).then(|| {
            r#"{"type":"Polygon","coordinates":[[[-30,45],[-29,45],[-29,46],[-30,46],[-30,45]]]}"#.into()
        })
    });
    std::fs::write(&path, text).unwrap();
    fails_untouched(
        &project,
        &[],
        &[file, "feature 3", "outside metropolitan France"],
    );
    // 200,000 positions on one ring.
    let n = 200_000;
    let mut ring: Vec<String> = (0..n)
        .map(|k| {
            let t = k as f64 / n as f64 * std::f64::consts::TAU;
            format!("[{:.6},{:.6}]", 2.0 + 0.2 * t.cos(), 46.0 + 0.2 * t.sin())
        })
        .collect();
    ring.push(ring[0].clone());
    let big = format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        ring.join(",")
    );
    let text = common::geo_collection(|i, _| (i == 0).then(|| big.clone()));
    std::fs::write(&path, text).unwrap();
    fails_untouched(&project, &[], &[file, "feature 0", "200001 positions"]);
    // A file over the size limit is refused before it is parsed.
    let file_handle = std::fs::File::create(&path).unwrap();
    file_handle.set_len(etl::geo::MAX_FILE_BYTES + 1).unwrap();
    fails_untouched(&project, &[], &[file, "the limit is"]);
}

#[test]
fn bad_outlines_name_the_file_the_feature_and_the_code() {
    let project = project_after_good_run();
    let file = etl::geo::GEO_FILE;
    let first = common::codes_departements()[0].clone();
    let cases: Vec<(Edit, Vec<String>)> = vec![
        (
            Box::new(|i, _| {
                (i == 5).then(|| {
                    r#"{"type":"Polygon","coordinates":[[[0,50],[1,50],[1,51],[0,51]]]}"#.into()
                })
            }),
            vec![file.to_owned(), "feature 5".into(), "is not closed".into()],
        ),
        (
            Box::new(|i, _| {
                // A bow tie: its edges cross.
                (i == 7).then(|| {
                    r#"{"type":"Polygon","coordinates":[[[0,50],[1,51],[1,50],[0,51],[0,50]]]}"#
                        .into()
                })
            }),
            vec![
                file.to_owned(),
                "feature 7".into(),
                "invalid polygon".into(),
            ],
        ),
        (
            Box::new(|i, _| (i == 9).then(|| r#"{"type":"Point","coordinates":[1,2]}"#.into())),
            vec![file.to_owned(), "feature 9".into(), "Point".into()],
        ),
        (
            Box::new(|i, _| (i == 2).then(|| "null".into())),
            vec![file.to_owned(), "feature 2".into(), "no geometry".into()],
        ),
        (
            Box::new(|i, _| {
                (i == 4)
                    .then(|| r#"{"type":"Polygon","coordinates":[[[0,50],[1,50],[0,50]]]}"#.into())
            }),
            vec![file.to_owned(), "feature 4".into(), "at least 4".into()],
        ),
    ];
    for (edit, needles) in cases {
        rewrite_geo(&project, edit);
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        fails_untouched(&project, &[], &needles);
    }
    // A code that is not a département, and a département without an outline.
    let text = common::geo_collection(|_, _| None).replacen(
        &format!(r#""code":"{first}""#),
        r#""code":"ZZ""#,
        1,
    );
    std::fs::write(project.raw().join(file), text).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            file,
            "feature 0",
            "'ZZ'",
            "not a département of the reference",
        ],
    );
    // The same département twice.
    let codes = common::codes_departements();
    let text = common::geo_collection(|_, _| None).replacen(
        &format!(r#""code":"{}""#, codes[1]),
        &format!(r#""code":"{first}""#),
        1,
    );
    std::fs::write(project.raw().join(file), text).unwrap();
    fails_untouched(&project, &[], &[file, "feature 1", "a second outline"]);
    // A département without an outline (the last feature left out).
    let text = common::geo_collection(|_, _| None);
    let cut = text.rfind(r#",{"type":"Feature""#).unwrap();
    std::fs::write(project.raw().join(file), format!("{}]}}", &text[..cut])).unwrap();
    let last = codes.last().unwrap();
    fails_untouched(
        &project,
        &[],
        &[file, &format!("no outline for the département(s) {last}")],
    );
    // Not GeoJSON at all.
    std::fs::write(project.raw().join(file), "{\"type\":").unwrap();
    fails_untouched(&project, &[], &[file, "not GeoJSON"]);
    // Missing.
    std::fs::remove_file(project.raw().join(file)).unwrap();
    fails_untouched(&project, &[], &[file, "file not found", "outlines"]);
}

/// A results workbook holding a text no Ministry file has (here 100 KB in one cell) is
/// refused before calamine reads it whole.
#[test]
fn a_workbook_with_a_huge_text_is_refused_before_it_is_read() {
    use std::io::{Read, Write};
    let project = project_after_good_run();
    let path = project.raw().join(etl::pipeline::T1_FILE);
    // Excel caps a cell at 32,767 characters: the workbook is written, then its shared
    // strings grow one string to 100 KB.
    let marker = "y".repeat(1000);
    let mut grid = common::election_grid(1);
    grid.set(3, 1, common::t(&marker));
    grid.save(&path);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        members.push((entry.name().unwrap().into_owned(), bytes));
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, bytes) in members {
        let bytes = if name == "xl/sharedStrings.xml" {
            String::from_utf8(bytes)
                .unwrap()
                .replace(&marker, &"x".repeat(100_000))
                .into_bytes()
        } else {
            bytes
        };
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            etl::pipeline::T1_FILE,
            "sharedStrings.xml",
            "over 65536 bytes",
        ],
    );
}
