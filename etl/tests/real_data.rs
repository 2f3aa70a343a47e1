//! End-to-end on the real raw files (ignored by default: a fresh clone lacks them;
//! `.ci/run` copies them into `data_raw/` and runs `cargo test -- --ignored`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn raw_dir() -> PathBuf {
    let local = workspace().join("data_raw");
    if local.join(etl::pipeline::T1_FILE).is_file() {
        local
    } else {
        workspace().join("../shared/data_raw")
    }
}

type Row = BTreeMap<String, String>;

fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.deserialize().map(|r| r.unwrap()).collect()
}

fn int(row: &Row, column: &str) -> i64 {
    row[column].parse().unwrap()
}

#[test]
#[ignore = "needs the real raw files in data_raw/ or ../shared/data_raw/"]
fn real_files_give_the_committed_outputs() {
    let out = tempfile::tempdir().unwrap();
    let (clean, database, dump) = (
        out.path().join("data_clean"),
        out.path().join("elexxion.db"),
        out.path().join("dump.sql"),
    );
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
        .arg("--raw-dir")
        .arg(raw_dir())
        .arg("--out-dir")
        .arg(&clean)
        .arg("--database")
        .arg(&database)
        .arg("--dump")
        .arg(&dump)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains(
            "without an unemployment rate for 2022-T3 (7): ZS (Saint-Pierre-et-Miquelon), ZM (Mayotte), \
             ZW (Wallis et Futuna), ZP (Polynésie française), ZN (Nouvelle-Calédonie), \
             ZX (Saint-Martin/Saint-Barthélemy), ZZ (Français établis hors de France)"
        ),
        "{stdout}"
    );

    // Committed artifacts can never go stale: a fresh run reproduces them byte for byte.
    let committed = workspace().join("data_clean");
    let mut names: Vec<String> = std::fs::read_dir(&clean)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != db::outputs::LOCK_NAME)
        .collect();
    names.sort();
    // 15 tables, and the constituencies, their results and their neighbours.
    assert_eq!(names.len(), 18, "{names:?}");
    for name in &names {
        let fresh = std::fs::read(clean.join(name)).unwrap();
        let old = std::fs::read(committed.join(name)).unwrap_or_default();
        assert!(
            fresh == old,
            "data_clean/{name} is stale: rerun `cargo run --release -p etl`"
        );
    }
    // The committed dump is written after `ml`, which only adds the `modeles` and
    // `previsions` rows.
    let dump_text = std::fs::read_to_string(&dump).unwrap();
    let committed_dump = std::fs::read_to_string(workspace().join("dump.sql")).unwrap_or_default();
    let without_models: String = committed_dump
        .lines()
        .filter(|l| {
            !l.starts_with("INSERT INTO \"modeles\"")
                && !l.starts_with("INSERT INTO \"previsions\"")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        dump_text == without_models,
        "dump.sql is stale: rerun `cargo run --release -p etl && cargo run --release -p ml`"
    );

    // Restoring the dump into an empty database gives the same rows.
    let restored = out.path().join("restored.db");
    db::restore_from_dump(&restored, &dump_text).unwrap();
    assert_eq!(
        db::dump_sql(&mut db::open(&restored).unwrap()).unwrap(),
        dump_text
    );

    // Both rounds: 107 constituencies, 12 then 2 candidates, every identity,
    // national totals equal to the officially proclaimed results.
    let expected = [
        (
            1,
            12,
            [
                48_747_876, 12_824_169, 35_923_707, 543_609, 247_151, 35_132_947,
            ],
            ("MACRON", 9_783_058),
        ),
        (
            2,
            2,
            [
                48_752_339, 13_655_861, 35_096_478, 2_233_904, 805_249, 32_057_325,
            ],
            ("MACRON", 18_768_639),
        ),
    ];
    for (tour, n_candidates, totals, (winner, winner_votes)) in expected {
        let rows = read_csv(&clean.join(format!("elections_t{tour}.csv")));
        let mut per_dep: BTreeMap<String, (Row, i64)> = BTreeMap::new();
        let mut candidates = BTreeMap::<String, i64>::new();
        for row in &rows {
            let entry = per_dep
                .entry(row["code_departement"].clone())
                .or_insert_with(|| (row.clone(), 0));
            entry.1 += int(row, "voix");
            *candidates.entry(row["nom"].clone()).or_default() += int(row, "voix");
        }
        assert_eq!(per_dep.len(), 107, "round {tour}");
        assert_eq!(candidates.len(), n_candidates, "round {tour}");
        let columns = [
            "inscrits",
            "abstentions",
            "votants",
            "blancs",
            "nuls",
            "exprimes",
        ];
        let mut national = [0i64; 6];
        for (code, (row, voix)) in &per_dep {
            let v: Vec<i64> = columns.iter().map(|c| int(row, c)).collect();
            assert_eq!(v[0], v[1] + v[2], "{code}: inscrits");
            assert_eq!(v[2], v[3] + v[4] + v[5], "{code}: votants");
            assert_eq!(*voix, v[5], "{code}: exprimés");
            for (total, value) in national.iter_mut().zip(&v) {
                *total += value;
            }
        }
        assert_eq!(national, totals, "round {tour} national totals");
        assert_eq!(candidates[winner], winner_votes);
    }

    // Unemployment: every quarter 1982-T1 .. 2025-T3, overseas from 2014, 100 départements in 2022-T3.
    let series = read_csv(&clean.join("chomage_trimestriel.csv"));
    let periods: BTreeSet<&str> = series.iter().map(|r| r["periode"].as_str()).collect();
    assert_eq!(periods.len(), (2025 - 1982) * 4 + 3);
    assert_eq!(periods.first(), Some(&"1982-T1"));
    assert_eq!(periods.last(), Some(&"2025-T3"));
    let first_971 = series
        .iter()
        .find(|r| r["code_departement"] == "971")
        .unwrap();
    assert_eq!(first_971["periode"], "2014-T1");
    let quarter = read_csv(&clean.join("chomage_2022_T3.csv"));
    assert_eq!(quarter.len(), 100);
    let nord = quarter
        .iter()
        .find(|r| r["code_departement"] == "59")
        .unwrap();
    assert_eq!(nord["periode"], "2022-T3");
    let finale = read_csv(&clean.join("table_finale.csv"));
    let with_rate = finale
        .iter()
        .filter(|r| !r["taux_chomage"].is_empty())
        .count();
    assert_eq!(with_rate, 100 * 14);
}

/// The codes of the 101 départements of the reference.
fn departement_codes() -> Vec<String> {
    let reference = etl::reference::Reference::embedded().unwrap();
    reference
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .map(|d| d.code.clone())
        .collect()
}

/// The real outlines: 101 départements, and the neighbours a reader of a map expects.
#[test]
#[ignore = "needs the real raw files in data_raw/ or ../shared/data_raw/"]
fn real_outlines_give_the_expected_neighbours() {
    let codes = departement_codes();
    assert_eq!(codes.len(), 101);
    let path = raw_dir().join(etl::geo::GEO_FILE);
    let outlines = etl::geo::read_outlines(&path, &codes).unwrap();
    let pairs = outlines.neighbours.clone();
    let of = |code: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(a, _)| a == code)
            .map(|(_, b)| b.as_str())
            .collect()
    };
    assert_eq!(of("59"), ["02", "62", "80"]);
    assert_eq!(of("75"), ["92", "93", "94"]);
    assert_eq!(of("2A"), ["2B"]);
    assert_eq!(of("2B"), ["2A"]);
    for overseas in ["971", "972", "973", "974", "976"] {
        assert!(of(overseas).is_empty(), "{overseas}");
    }
    // Symmetric, and every metropolitan département but the islands has a neighbour.
    for (a, b) in &pairs {
        assert!(pairs.contains(&(b.clone(), a.clone())));
    }
    let with_neighbours: std::collections::BTreeSet<&str> =
        pairs.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(with_neighbours.len(), 96);

    // The map geometry: 101 outlines, projected, simplified, every one valid (checked by
    // `geometries` itself), shared borders still shared.
    let geometries =
        etl::carte::geometries(&path, &outlines.outlines, outlines.owners.clone()).unwrap();
    assert_eq!(geometries.len(), 101);
    let points = |code: &str| -> std::collections::BTreeSet<(i64, i64)> {
        let g = geometries.iter().find(|g| g.code == code).unwrap();
        let coords: Vec<Vec<Vec<[f64; 2]>>> = serde_json::from_str(&g.carte)
            .map(|m: Vec<Vec<Vec<[f64; 2]>>>| m)
            .unwrap();
        coords
            .iter()
            .flatten()
            .flatten()
            .map(|p| (p[0] as i64, p[1] as i64))
            .collect()
    };
    // Nord and Pas-de-Calais share a border of about 100 km: many points, the same on both.
    let shared = points("59").intersection(&points("62")).count();
    assert!(shared >= 10, "{shared}");
    // Lambert-93 for the metropolitan départements: Lille's département in its north-east.
    let nord = points("59");
    assert!(nord.iter().all(|&(x, y)| (600_000..=800_000).contains(&x)
        && (6_950_000..=7_120_000).contains(&y)));
    let full: usize = geometries.iter().map(|g| g.wgs84.len()).sum();
    let simplified: usize = geometries.iter().map(|g| g.carte.len()).sum();
    assert!(simplified * 5 < full, "{simplified} vs {full}");
}

/// `etl::validite` decides as `geo`'s quadratic `check_validation` on every real outline,
/// published and simplified (the published ones are all valid; so must the maps be).
#[test]
#[ignore = "needs the real raw files in data_raw/ or ../shared/data_raw/"]
fn real_outlines_are_judged_as_geo_judges_them() {
    use geo::Validation;
    let path = raw_dir().join(etl::geo::GEO_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let collection: geojson::FeatureCollection = text.parse().unwrap();
    assert_eq!(collection.features.len(), 101);
    let to_multi = |value: &geojson::GeometryValue| -> geo::MultiPolygon<f64> {
        geo::MultiPolygon::try_from(value)
            .or_else(|_| geo::Polygon::try_from(value).map(|p| geo::MultiPolygon(vec![p])))
            .unwrap()
    };
    for feature in &collection.features {
        let multi = to_multi(&feature.geometry.as_ref().unwrap().value);
        assert_eq!(etl::validite::check(&multi), multi.check_validation());
        assert_eq!(etl::validite::check(&multi), Ok(()));
    }
    let codes = departement_codes();
    let outlines = etl::geo::read_outlines(&path, &codes).unwrap();
    let geometries =
        etl::carte::geometries(&path, &outlines.outlines, outlines.owners.clone()).unwrap();
    for g in &geometries {
        let coords: Vec<Vec<Vec<[f64; 2]>>> = serde_json::from_str(&g.carte).unwrap();
        let multi = geo::MultiPolygon(
            coords
                .into_iter()
                .map(|rings| {
                    let mut rings = rings.into_iter().map(|r| {
                        geo::LineString::from(
                            r.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>(),
                        )
                    });
                    let exterior = rings.next().unwrap();
                    geo::Polygon::new(exterior, rings.collect())
                })
                .collect(),
        );
        assert_eq!(
            etl::validite::check(&multi),
            multi.check_validation(),
            "{}",
            g.code
        );
    }
}

/// The legislative elections read from the real files equal the published figures to the
/// vote (`SOURCES.md`): registered and valid votes, the seats by nuance, and the Ministry's own
/// 2024 round-1 differences reported, not fixed.
#[test]
#[ignore = "needs the real raw files in data_raw/ or ../shared/data_raw/"]
fn legislative_elections_equal_the_published_figures() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
        .arg("--raw-dir")
        .arg(raw_dir())
        .arg("--out-dir")
        .arg(out.path().join("data_clean"))
        .arg("--database")
        .arg(out.path().join("elexxion.db"))
        .arg("--dump")
        .arg(out.path().join("dump.sql"))
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The four départements of the Ministry's 2024 round-1 differences, kept and reported.
    for (line, diff) in [(17, "-2"), (27, "+1"), (36, "+1"), (77, "-2")] {
        let needle = format!(
            "resultats-definitifs-par-departement-t1.csv, line {line}: the label votes sum to"
        );
        let found = stdout
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_default();
        assert!(
            found.ends_with(&format!("({diff})")),
            "{needle} ({diff}) not in: {stdout}"
        );
    }
    let clean = out.path().join("data_clean");
    let rows = read_csv(&clean.join("resultats_nuances.csv"));
    let mut inscrits: BTreeMap<(String, String), BTreeMap<String, i64>> = BTreeMap::new();
    let mut exprimes: BTreeMap<(String, String), BTreeMap<String, i64>> = BTreeMap::new();
    for r in &rows {
        let key = (r["annee"].clone(), r["tour"].clone());
        inscrits
            .entry(key.clone())
            .or_default()
            .insert(r["code_departement"].clone(), int(r, "inscrits"));
        exprimes
            .entry(key)
            .or_default()
            .insert(r["code_departement"].clone(), int(r, "exprimes"));
    }
    let total = |m: &BTreeMap<(String, String), BTreeMap<String, i64>>, a: &str, t: &str| -> i64 {
        m[&(a.to_owned(), t.to_owned())].values().sum()
    };
    assert_eq!(total(&inscrits, "2024", "1"), 49_332_709);
    assert_eq!(total(&exprimes, "2024", "1"), 32_057_946);
    assert_eq!(total(&exprimes, "2022", "1"), 22_744_708);
    assert_eq!(total(&inscrits, "2017", "1"), 47_570_988);
    assert_eq!(total(&exprimes, "2017", "1"), 22_654_164);
    let seats = read_csv(&clean.join("sieges.csv"));
    let mut by_nuance: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in &seats {
        *by_nuance
            .entry((r["annee"].clone(), r["nuance"].clone()))
            .or_default() += int(r, "sieges");
    }
    let of = |annee: &str| -> BTreeMap<String, i64> {
        by_nuance
            .iter()
            .filter(|((a, _), _)| a == annee)
            .map(|((_, n), s)| (n.clone(), *s))
            .collect()
    };
    let expected = |pairs: &[(&str, i64)]| -> BTreeMap<String, i64> {
        pairs.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect()
    };
    assert_eq!(
        of("2022"),
        expected(&[
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
        ])
    );
    assert_eq!(
        of("2024"),
        expected(&[
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
        ])
    );
    assert_eq!(of("2017").values().sum::<i64>(), 577);

    // The constituency level: the 577 seats, won by exactly the nuances counted above.
    let rows = read_csv(&clean.join("resultats_circonscriptions.csv"));
    for (annee, nuances) in [("2022", of("2022")), ("2024", of("2024"))] {
        let mut won: BTreeMap<String, i64> = BTreeMap::new();
        for r in rows
            .iter()
            .filter(|r| r["annee"] == annee && r["elu"] == "true")
        {
            *won.entry(r["nuance"].clone()).or_default() += 1;
        }
        assert_eq!(won, nuances, "{annee}: the winners' nuances");
    }
    let elus_2017 = rows
        .iter()
        .filter(|r| r["annee"] == "2017" && r["elu"] == "true")
        .count();
    assert_eq!(elus_2017, 577);
    // Every constituency's votes sum to its département's, label by label, for every round
    // that has both levels.
    let circonscriptions = read_csv(&clean.join("circonscriptions.csv"));
    assert_eq!(circonscriptions.len(), 577);
    assert_eq!(
        circonscriptions
            .iter()
            .filter(|c| c["contour"] == "true")
            .count(),
        566
    );
    let departement: BTreeMap<&str, &str> = circonscriptions
        .iter()
        .map(|c| {
            (
                c["code_circonscription"].as_str(),
                c["code_departement"].as_str(),
            )
        })
        .collect();
    type Cle = (String, String, String, String);
    let mut sums: BTreeMap<Cle, i64> = BTreeMap::new();
    for r in &rows {
        let d = departement[r["code_circonscription"].as_str()].to_owned();
        *sums
            .entry((
                r["annee"].clone(),
                r["tour"].clone(),
                d,
                r["nuance"].clone(),
            ))
            .or_default() += int(r, "voix");
    }
    let departements = read_csv(&clean.join("resultats_nuances.csv"));
    let mut compared = 0;
    for r in departements
        .iter()
        .filter(|r| r["type_election"] == "legislatives")
    {
        let key = (
            r["annee"].clone(),
            r["tour"].clone(),
            r["code_departement"].clone(),
            r["nuance"].clone(),
        );
        let expected = int(r, "voix");
        let got = sums.get(&key).copied().unwrap_or(0);
        // The Ministry's own 2024 round-1 differences (-2..+1 votes) are kept as published.
        assert!((got - expected).abs() <= 2, "{key:?}: {got} ≠ {expected}");
        compared += 1;
    }
    assert!(compared > 3000, "{compared} rows compared");
    // The presidential rounds by constituency: their votes are the published valid votes
    // (SOURCES.md), and `etl` checked them département by département, candidate by candidate.
    let mut presidentielles: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r["type_election"] == "presidentielle")
    {
        *presidentielles
            .entry((r["annee"].clone(), r["tour"].clone()))
            .or_default() += int(r, "voix");
    }
    let key = |a: &str, t: &str| (a.to_owned(), t.to_owned());
    assert_eq!(presidentielles[&key("2017", "1")], 36_054_394);
    assert_eq!(presidentielles[&key("2017", "2")], 31_381_603);
    assert_eq!(presidentielles[&key("2022", "1")], 35_132_947);
}
