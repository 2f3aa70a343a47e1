//! The enrichment inputs (2017 rounds, INSEE socio-economic files) on files written by the
//! tests: what a good run stores, and bad inputs rejected with file, sheet, row and column
//! named, previous outputs untouched.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    Cell, comparateur_csv, fails_untouched, filosofi_csv, immigres_grid, n, population_grid,
    project_after_good_run, t, zip_one,
};
use common::{T1_2017_FILE, T1_2017_SHEET, T2_2017_FILE};
use etl::socio::{
    COMPARATEUR_FILE, COMPARATEUR_MEMBER, FILOSOFI_FILE, IMMIGRES_FILE, POPULATION_FILE,
};

fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn socio_economic_values_carry_year_and_source_and_missing_stays_empty() {
    let project = project_after_good_run();
    let long = csv_rows(&project.out().join("socio_economie.csv"));
    assert_eq!(long.len(), 101 * 8);
    let find = |code: &str, indicateur: &str| {
        long.iter()
            .find(|r| r[0] == code && r[2] == indicateur)
            .unwrap()
            .clone()
    };
    // Mayotte's experimental Filosofi row and its missing areas are empty, not numbers.
    for indicateur in [
        "revenu_median",
        "taux_pauvrete",
        "part_pensions",
        "superficie",
        "densite",
    ] {
        assert_eq!(find("976", indicateur)[5], "", "{indicateur}");
    }
    assert_eq!(find("976", "part_immigres")[3], "2017");
    assert_eq!(find("01", "part_immigres")[3], "2021");
    assert_eq!(
        find("01", "revenu_median")[3..],
        ["2019", "INSEE, Filosofi 2019", "19000.0"]
    );
    // Population = the Total column; the 65+ share from the bands; Ain is the first row.
    assert_eq!(find("01", "population")[5], "360000.0");
    assert_eq!(find("01", "part_65_ans_et_plus")[5], "16.6667");
    // Paris: the commune counts, its arrondissements (listed beside it) do not.
    assert_eq!(find("75", "superficie")[5], "105.4");
    assert_eq!(find("01", "densite")[5], "720.0");
    let wide = csv_rows(&project.out().join("socio_economie_large.csv"));
    assert_eq!(wide.len(), 101);
    let mayotte = wide.iter().find(|r| r[0] == "976").unwrap();
    assert_eq!(mayotte[2..5], ["", "", ""]);
    // 2017 rounds: same identities, every département, both rounds in their own tables.
    let t1 = csv_rows(&project.out().join("elections_2017_t1.csv"));
    assert_eq!(t1.len(), 107 * 11);
    let t2 = csv_rows(&project.out().join("elections_2017_t2.csv"));
    assert_eq!(t2.len(), 107 * 2);
    assert!(t1.iter().any(|r| r[16] == "HAMON"));
}

#[test]
fn national_total_differing_from_the_sum_is_rejected() {
    let project = project_after_good_run();
    let path = project.raw().join(T1_2017_FILE);
    let mut t1 = common::election_grid_of(&common::candidates_2017(1), 1);
    t1.sheet = T1_2017_SHEET.into();
    let mut national = common::national_grid(&t1);
    // Inscrits, one more than the sum.
    if let Cell::Number(v) = national.rows[4][1] {
        national.rows[4][1] = n(v + 1.0);
    }
    common::save_sheets(&[&national, &t1], &path);
    fails_untouched(
        &project,
        &[],
        &[
            T1_2017_FILE,
            "sheet 'FE Metro OM Tour 1', row 5, column B",
            "national Inscrits",
            "!= the sum over the département rows",
        ],
    );
}

#[test]
fn unknown_2017_candidate_is_rejected() {
    let project = project_after_good_run();
    let path = project.raw().join(T2_2017_FILE);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("MACRON", "MACRONN");
    std::fs::write(&path, text).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            T2_2017_FILE,
            "line 3, column S ('Nom')",
            "is not a 2017 candidate in etl/reference/candidats_2017.csv",
        ],
    );
}

#[test]
fn text_in_a_filosofi_value_names_the_cell() {
    let project = project_after_good_run();
    let text = filosofi_csv().replacen("\r\n02;", "\r\n02;abc", 1);
    std::fs::write(project.raw().join(FILOSOFI_FILE), text).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            FILOSOFI_FILE,
            "sheet 'cc_filosofi_2019_DEP.csv', row 3, column B ('MED19')",
            "expected a number, found text 'abc",
        ],
    );
}

#[test]
fn percentage_out_of_range_is_rejected() {
    let project = project_after_good_run();
    let mut grid = immigres_grid();
    grid.set(5, 2, n(140.0));
    grid.save(&project.raw().join(IMMIGRES_FILE));
    fails_untouched(
        &project,
        &[],
        &[
            IMMIGRES_FILE,
            "sheet 'Figure 1', row 6, column C ('Pourcentage immigrés')",
            "140 is outside [0, 100]",
        ],
    );
}

#[test]
fn age_bands_must_add_up_to_the_total() {
    let project = project_after_good_run();
    let mut grid = population_grid();
    grid.set(7, 4, n(1.0));
    grid.save(&project.raw().join(POPULATION_FILE));
    fails_untouched(
        &project,
        &[],
        &[
            POPULATION_FILE,
            "sheet '2022', row 8, column E ('Total')",
            "is not the sum of the age bands",
        ],
    );
}

#[test]
fn missing_departement_in_a_socio_file_is_named() {
    let project = project_after_good_run();
    let mut grid = immigres_grid();
    grid.rows.retain(|r| r.get(1) != Some(&t("2A")));
    grid.save(&project.raw().join(IMMIGRES_FILE));
    fails_untouched(
        &project,
        &[],
        &[
            IMMIGRES_FILE,
            "sheet 'Figure 1'",
            "no row for département(s) 2A",
        ],
    );
}

#[test]
fn arrondissements_not_matching_their_commune_are_rejected() {
    let project = project_after_good_run();
    let text = comparateur_csv().replace("75102;1000;103.57", "75102;1000;50");
    zip_one(
        &project.raw().join(COMPARATEUR_FILE),
        COMPARATEUR_MEMBER,
        &text,
    );
    fails_untouched(
        &project,
        &[],
        &[
            COMPARATEUR_FILE,
            "sheet 'base_cc_comparateur.CSV'",
            "column C ('SUPERF')",
            "area of commune 75056 (105.4) differs from the sum of its arrondissements",
        ],
    );
}

#[test]
fn missing_enrichment_file_says_what_and_where_from() {
    let project = project_after_good_run();
    std::fs::remove_file(project.raw().join(COMPARATEUR_FILE)).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            COMPARATEUR_FILE,
            "file not found",
            "Comparateur de territoires",
            "insee.fr",
        ],
    );
}

#[test]
fn missing_national_sheet_lists_the_sheets_present() {
    let project = project_after_good_run();
    let mut t1 = common::election_grid_of(&common::candidates_2017(1), 1);
    t1.sheet = T1_2017_SHEET.into();
    t1.save(&project.raw().join(T1_2017_FILE));
    fails_untouched(
        &project,
        &[],
        &[
            T1_2017_FILE,
            "sheet 'FE Metro OM Tour 1' not found",
            "'Départements Tour 1'",
        ],
    );
}

#[test]
fn truncated_archive_and_missing_member_are_named() {
    let project = project_after_good_run();
    let path = project.raw().join(COMPARATEUR_FILE);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    fails_untouched(&project, &[], &[COMPARATEUR_FILE, "cannot read the file"]);
    zip_one(&path, "autre.csv", &comparateur_csv());
    fails_untouched(
        &project,
        &[],
        &[COMPARATEUR_FILE, "member 'base_cc_comparateur.CSV'"],
    );
}
