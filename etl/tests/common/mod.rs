//! Small but complete raw files written inside the tests: every département of
//! the reference, consistent counts and percentages, in the real layouts.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use etl::pipeline::{CHOMAGE_FILE, T1_FILE, T2_FILE};

/// The 2017 presidential files and sheets, as the manifest (`etl/reference/elections.csv`)
/// names them.
pub const T1_2017_FILE: &str = "enrichment/Presidentielle_2017_Resultats_Tour_1_c.xls";
pub const T1_2017_SHEET: &str = "Départements Tour 1";
pub const T1_2017_NATIONAL_SHEET: &str = "FE Metro OM Tour 1";
pub const T2_2017_FILE: &str = "enrichment/2017-t2-definitifs-departements.csv";
use etl::reference::Reference;
use etl::socio::{
    COMPARATEUR_FILE, COMPARATEUR_MEMBER, FILOSOFI_FILE, IMMIGRES_FILE, POPULATION_FILE,
};
use rust_xlsxwriter::Workbook;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

pub fn n(v: f64) -> Cell {
    Cell::Number(v)
}

/// One worksheet as a grid of cells, row-major.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn set(&mut self, row: usize, column: usize, cell: Cell) {
        let r = &mut self.rows[row];
        if r.len() <= column {
            r.resize(column + 1, Cell::Empty);
        }
        r[column] = cell;
    }

    pub fn save(&self, path: &Path) {
        save_sheets(&[self], path);
    }

    /// The grid as `;`-separated text, numbers written as Rust prints them.
    pub fn to_csv(&self) -> String {
        let mut text = String::new();
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(v) => v.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect();
            text.push_str(&cells.join(";"));
            text.push_str("\r\n");
        }
        text
    }
}

/// A workbook with one worksheet per grid, in order.
pub fn save_sheets(grids: &[&Grid], path: &Path) {
    let mut workbook = Workbook::new();
    for grid in grids {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&grid.sheet).unwrap();
        for (r, row) in grid.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r as u32, c as u16, s).unwrap();
                    }
                    Cell::Number(v) => {
                        sheet.write_number(r as u32, c as u16, *v).unwrap();
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The département workbook's fixed columns: code, name, `Etat saisie`, then the counts and
/// percentages of the polling-station files.
fn fixed() -> Vec<&'static str> {
    let mut head = vec![
        "Code du département",
        "Libellé du département",
        "Etat saisie",
    ];
    head.extend(&BURVOT_FIXED[7..]);
    head
}

/// Inscrits .. % Exp/Vot, in the Ministry's order.
fn count_cells(ins: i64, abs: i64, vot: i64, bl: i64, nu: i64, exp: i64) -> Vec<Cell> {
    vec![
        n(ins as f64),
        n(abs as f64),
        n(pct(abs, ins)),
        n(vot as f64),
        n(pct(vot, ins)),
        n(bl as f64),
        n(pct(bl, ins)),
        n(pct(bl, vot)),
        n(nu as f64),
        n(pct(nu, ins)),
        n(pct(nu, vot)),
        n(exp as f64),
        n(pct(exp, ins)),
        n(pct(exp, vot)),
    ]
}
const BLOCK: [&str; 6] = ["Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp"];

fn pct(a: i64, b: i64) -> f64 {
    (a as f64 / b as f64 * 10_000.0).round() / 100.0
}

/// (sexe, nom, prénom) of the 2017 candidates of a round.
pub fn candidates_2017(tour: i32) -> Vec<(&'static str, &'static str, &'static str)> {
    let all = vec![
        ("M", "DUPONT-AIGNAN", "Nicolas"),
        ("F", "LE PEN", "Marine"),
        ("M", "MACRON", "Emmanuel"),
        ("M", "HAMON", "Benoît"),
        ("F", "ARTHAUD", "Nathalie"),
        ("M", "POUTOU", "Philippe"),
        ("M", "CHEMINADE", "Jacques"),
        ("M", "LASSALLE", "Jean"),
        ("M", "MÉLENCHON", "Jean-Luc"),
        ("M", "ASSELINEAU", "François"),
        ("M", "FILLON", "François"),
    ];
    if tour == 1 { all } else { vec![all[2], all[1]] }
}

/// (sexe, nom, prénom) of the candidates of a round.
pub fn candidates(tour: i32) -> Vec<(&'static str, &'static str, &'static str)> {
    let all = vec![
        ("F", "ARTHAUD", "Nathalie"),
        ("M", "ROUSSEL", "Fabien"),
        ("M", "MACRON", "Emmanuel"),
        ("M", "LASSALLE", "Jean"),
        ("F", "LE PEN", "Marine"),
        ("M", "ZEMMOUR", "Éric"),
        ("M", "MÉLENCHON", "Jean-Luc"),
        ("F", "HIDALGO", "Anne"),
        ("M", "JADOT", "Yannick"),
        ("F", "PÉCRESSE", "Valérie"),
        ("M", "POUTOU", "Philippe"),
        ("M", "DUPONT-AIGNAN", "Nicolas"),
    ];
    if tour == 1 { all } else { vec![all[2], all[4]] }
}

/// A results workbook in the Ministry's layout: every reference département,
/// counts that satisfy every identity, only the first candidate block headed.
pub fn election_grid(tour: i32) -> Grid {
    election_grid_of(&candidates(tour), tour)
}

pub fn election_grid_of(cands: &[(&str, &str, &str)], tour: i32) -> Grid {
    let reference = Reference::embedded().unwrap();
    let mut header: Vec<Cell> = fixed().iter().map(|h| t(h)).collect();
    header.extend(BLOCK.iter().map(|h| t(h)));
    let mut rows = vec![header];
    for (i, d) in reference.departements.iter().enumerate() {
        let i = i as i64;
        let inscrits = 10_000 + 137 * i + 1_000 * i64::from(tour);
        let votants = inscrits * 3 / 4 + i;
        let abstentions = inscrits - votants;
        let blancs = 100 + i;
        let nuls = 50 + 2 * i;
        let exprimes = votants - blancs - nuls;
        let mut row = vec![t(&d.code_election), t(&d.nom), t("Complet")];
        let mut counts = count_cells(inscrits, abstentions, votants, blancs, nuls, exprimes);
        // The real round-1 file stores inscrits as text: keep that quirk.
        counts[0] = t(&inscrits.to_string());
        row.extend(counts);
        // Shares vary with the département so that winners differ.
        let weights: Vec<i64> = (0..cands.len() as i64)
            .map(|k| 1 + (k * 7 + i * 3) % 11)
            .collect();
        let total: i64 = weights.iter().sum();
        let mut voix: Vec<i64> = weights.iter().map(|w| exprimes * w / total).collect();
        voix[0] += exprimes - voix.iter().sum::<i64>();
        for ((sexe, nom, prenom), v) in cands.iter().zip(voix) {
            row.extend([
                t(sexe),
                t(nom),
                t(prenom),
                n(v as f64),
                n(pct(v, inscrits)),
                n(pct(v, exprimes)),
            ]);
        }
        rows.push(row);
    }
    Grid {
        sheet: format!("Résultats par niveau Dpt T{tour}"),
        rows,
    }
}

pub const QUARTERS: [&str; 4] = ["T1_2022", "T2_2022", "T3_2022", "T4_2022"];

/// INSEE's layout: title rows, header on the 4th row, notes under the data.
pub fn chomage_grid() -> Grid {
    let reference = Reference::embedded().unwrap();
    let mut rows = vec![
        vec![t("Estimations de taux de chômage localisé")],
        vec![t("(en%)")],
        vec![],
    ];
    let mut header = vec![t("Code"), t("Libellé")];
    header.extend(QUARTERS.iter().map(|q| t(q)));
    rows.push(header);
    for (i, d) in reference
        .departements
        .iter()
        .filter(|d| d.est_departement && d.code != "976")
        .enumerate()
    {
        let mut row = vec![t(&d.code), t(&d.nom.to_uppercase())];
        row.extend((0..QUARTERS.len()).map(|q| n(5.0 + (i % 10) as f64 * 0.5 + q as f64 * 0.1)));
        rows.push(row);
    }
    rows.push(vec![]);
    rows.push(vec![t("Données CVS, en moyenne trimestrielle (en %).")]);
    Grid {
        sheet: "Département".into(),
        rows,
    }
}

/// The published national totals of a round (the Ministry's 2017 summary sheet layout).
pub fn national_grid(departements: &Grid) -> Grid {
    let sum = |column: usize| -> i64 {
        departements.rows[1..]
            .iter()
            .map(|r| number(&r[column]))
            .sum()
    };
    let mut rows = vec![
        vec![t("Résultats - Tour 1")],
        vec![],
        vec![t("France entière")],
    ];
    rows.push(vec![
        t("."),
        t("Nombre"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        t("Candidat"),
        t("Voix"),
    ]);
    let counts = [
        ("Inscrits", 3),
        ("Abstentions", 4),
        ("Votants", 6),
        ("Blancs", 8),
        ("Nuls", 11),
        ("Exprimés", 14),
    ];
    let first = &departements.rows[1];
    let candidates = (first.len() - 17) / 6;
    for i in 0..counts.len().max(candidates) {
        let mut row = vec![Cell::Empty; 7];
        if let Some((label, column)) = counts.get(i) {
            row[0] = t(label);
            row[1] = n(sum(*column) as f64);
        }
        if i < candidates {
            let block = 17 + 6 * i;
            let name = |c: &Cell| match c {
                Cell::Text(s) => s.clone(),
                _ => String::new(),
            };
            row[5] = t(&format!(
                "M. {} {}",
                name(&first[block + 1]),
                name(&first[block + 2])
            ));
            row[6] = n(sum(block + 3) as f64);
        }
        rows.push(row);
    }
    Grid {
        sheet: T1_2017_NATIONAL_SHEET.into(),
        rows,
    }
}

/// The 101 départements of the reference.
fn departements() -> Vec<db::models::Departement> {
    Reference::embedded()
        .unwrap()
        .departements
        .into_iter()
        .filter(|d| d.est_departement)
        .collect()
}

/// Filosofi's layout, Mayotte's row experimental (D1 = 0, RD = NA).
pub fn filosofi_csv() -> String {
    let mut text = String::from("CODGEO;MED19;TP6019;PPEN19;D119;RD19\r\n");
    for (i, d) in departements().iter().enumerate() {
        if d.code == "976" {
            text.push_str("976;3140;77,3;4,3;0;NA\r\n");
        } else {
            let i = i as f64;
            text.push_str(
                &format!(
                    "{};{};{:.1};{:.1};{};3,1\r\n",
                    d.code,
                    19_000.0 + 100.0 * i,
                    10.0 + (i % 9.0),
                    25.0 + (i % 7.0),
                    11_000.0 + 10.0 * i
                )
                .replace('.', ","),
            );
        }
    }
    text
}

/// Population estimates: title rows, two header rows, one row per département, totals.
pub fn population_grid() -> Grid {
    let mut rows = vec![
        vec![t(
            "Estimation de population au 1er janvier, par département, sexe et âge quinquennal",
        )],
        vec![t("Année 2022")],
        vec![],
        vec![t("Départements"), Cell::Empty, t("Ensemble")],
        vec![
            Cell::Empty,
            Cell::Empty,
            t("0 à 64 ans"),
            t("65 ans et plus"),
            t("Total"),
        ],
    ];
    for (i, d) in departements().iter().enumerate() {
        let young = 300_000 + 1_000 * i as i64;
        let old = 60_000 + 500 * i as i64;
        rows.push(vec![
            t(&d.code),
            t(&d.nom),
            n(young as f64),
            n(old as f64),
            n((young + old) as f64),
        ]);
    }
    rows.push(vec![
        t("France métropolitaine"),
        Cell::Empty,
        n(1.0),
        n(1.0),
        n(2.0),
    ]);
    Grid {
        sheet: "2022".into(),
        rows,
    }
}

/// Immigrant share: title and notes above the header.
pub fn immigres_grid() -> Grid {
    let mut rows = vec![
        vec![],
        vec![t(
            "Part de la population immigrée dans les départements en 2021 (en %)",
        )],
        vec![],
        vec![t("Département"), t("Code"), t("Pourcentage immigrés")],
    ];
    for (i, d) in departements().iter().enumerate() {
        rows.push(vec![t(&d.nom), t(&d.code), n(3.0 + (i % 20) as f64)]);
    }
    Grid {
        sheet: "Figure 1".into(),
        rows,
    }
}

/// The commune-level comparator: one commune per département, Paris with two
/// arrondissements listed beside it, Mayotte's commune without an area.
pub fn comparateur_csv() -> String {
    let mut text = String::from("CODGEO;P18_POP;SUPERF\r\n");
    for (i, d) in departements().iter().enumerate() {
        let codgeo = if d.code.len() == 3 {
            format!("{}01", d.code)
        } else {
            format!("{}001", d.code)
        };
        let area = if d.code == "976" {
            String::new()
        } else {
            format!("{}", 500 + 10 * i)
        };
        if d.code == "75" {
            text.push_str("75056;2000;105.4\r\n75101;1000;1.83\r\n75102;1000;103.57\r\n");
        } else {
            text.push_str(&format!("{codgeo};1000;{area}\r\n"));
        }
    }
    text
}

/// A zip archive holding one file.
pub fn zip_one(path: &Path, member: &str, text: &str) {
    use std::io::Write;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(member, options).unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// The codes of the 101 départements of the reference, in its order.
pub fn codes_departements() -> Vec<String> {
    etl::reference::Reference::embedded()
        .unwrap()
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .map(|d| d.code.clone())
        .collect()
}

/// A square of side 1 at column `x`, row `y` of a grid, as a GeoJSON Polygon's coordinates
/// (counter-clockwise, closed).
/// A half-degree square on a grid over metropolitan France (from 5°W, 41.5°N).
pub fn square(x: usize, y: usize) -> String {
    let (x0, y0) = (-5.0 + 0.5 * x as f64, 41.5 + 0.5 * y as f64);
    let (x1, y1) = (x0 + 0.5, y0 + 0.5);
    format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
}

/// A small square inside an overseas département's territory.
pub fn island(code: &str) -> String {
    let (x0, y0) = match code {
        "971" => (-61.5, 16.2),
        "972" => (-61.0, 14.6),
        "973" => (-53.0, 4.0),
        "974" => (55.5, -21.1),
        _ => (45.1, -12.8),
    };
    let (x1, y1) = (x0 + 0.1, y0 + 0.1);
    format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
}

/// The metropolitan codes in reference order (their place on the grid of [`geo_collection`]).
pub fn codes_metropole() -> Vec<String> {
    codes_departements()
        .into_iter()
        .filter(|c| !c.starts_with("97"))
        .collect()
}

/// The outlines file: each metropolitan département a square on a grid 11 wide, in
/// reference order, so that its neighbours are the squares around it (queen contiguity);
/// each overseas one a small island in its territory; `geometry` of a feature replaced where
/// `edit` returns one.
pub fn geo_collection(edit: impl Fn(usize, &str) -> Option<String>) -> String {
    let metropole = codes_metropole();
    let features: Vec<String> = codes_departements()
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let geometry = edit(i, code).unwrap_or_else(|| {
                let coordinates = match metropole.iter().position(|c| c == code) {
                    Some(m) => square(m % 11, m / 11),
                    None => island(code),
                };
                format!(r#"{{"type":"Polygon","coordinates":{coordinates}}}"#)
            });
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{code}","nom":"{code}"}},"geometry":{geometry}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// The constituency outlines file: each département's shape of [`geo_collection`] (or, for
/// the overseas collectivities, a small square inside their territory) cut into as many
/// vertical strips as it has constituencies; none for the constituencies abroad. `ID` is
/// written as the source writes it (`01001`).
pub fn circonscriptions_collection() -> String {
    let reference = Reference::embedded().unwrap();
    let metropole = codes_metropole();
    let features: Vec<String> = reference
        .circonscriptions
        .iter()
        .filter(|c| !c.code.starts_with("ZZ"))
        .map(|c| {
            let d = c.departement_code.as_str();
            let (x0, y0, side) = match metropole.iter().position(|m| m == d) {
                Some(m) => (-5.0 + 0.5 * (m % 11) as f64, 41.5 + 0.5 * (m / 11) as f64, 0.5),
                None => {
                    let (_, [west, east, south, north]) = etl::geo::territoire(d);
                    let (x, y) = match d {
                        "971" => (-61.5, 16.2),
                        "972" => (-61.0, 14.6),
                        "973" => (-53.0, 4.0),
                        "974" => (55.5, -21.1),
                        "976" => (45.1, -12.8),
                        _ => ((west + east) / 2.0, (south + north) / 2.0),
                    };
                    (x, y, 0.1)
                }
            };
            let n = numeros(&reference, d).len() as f64;
            let w = side / n;
            let a = x0 + w * f64::from(c.numero - 1);
            let b = a + w;
            let y1 = y0 + side;
            format!(
                r#"{{"type":"Feature","properties":{{"ID":"{}{:03}"}},"geometry":{{"type":"Polygon","coordinates":[[[{a},{y0}],[{b},{y0}],[{b},{y1}],[{a},{y1}],[{a},{y0}]]]}}}}"#,
                &c.code[..2],
                c.numero
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// A presidential round by constituency, from a département grid of [`election_grid_of`]:
/// each département's counts and votes split over its constituencies of the reference (the
/// remainder to the first), so that they sum to it exactly. `panneau`: blocks of 7 with
/// `N°Panneau` first (2017), else of 6 (2022); `titres`: three title rows above the header,
/// codes written as numbers (the 2017 workbooks).
pub fn circonscriptions_grid(
    departements: &Grid,
    panneau: bool,
    titres: bool,
    sheet: &str,
) -> Grid {
    let reference = Reference::embedded().unwrap();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    if titres {
        rows.push(vec![t("Election présidentielle")]);
        rows.push(vec![t("Résultats par circonscription législative")]);
        rows.push(vec![Cell::Empty]);
    }
    let mut header: Vec<Cell> = [
        "Code du département",
        "Libellé du département",
        "Code de la circonscription",
        "Libellé de la circonscription",
    ]
    .iter()
    .map(|h| t(h))
    .collect();
    header.extend(BURVOT_FIXED[7..].iter().map(|h| t(h)));
    if panneau {
        header.push(t("N°Panneau"));
    }
    header.extend(BLOCK.iter().map(|h| t(h)));
    rows.push(header);
    for row in &departements.rows[1..] {
        let code = text(&row[0]);
        let d = etl::legislatives::departement(&reference, &code).unwrap();
        let numeros = numeros(&reference, &d.code);
        let parts = numeros.len() as i64;
        let blocks: Vec<&[Cell]> = row[17..].chunks(6).collect();
        let part = |total: i64, k: usize| total / parts + if k == 0 { total % parts } else { 0 };
        for (k, numero) in numeros.iter().enumerate() {
            let abstentions = part(number(&row[4]), k);
            let blancs = part(number(&row[8]), k);
            let nuls = part(number(&row[11]), k);
            let voix: Vec<i64> = blocks.iter().map(|b| part(number(&b[3]), k)).collect();
            let exprimes: i64 = voix.iter().sum();
            let votants = blancs + nuls + exprimes;
            let inscrits = abstentions + votants;
            let mut cells = if titres {
                vec![
                    n_code(&d.code_election),
                    t(&d.nom),
                    n(f64::from(*numero)),
                    t(&format!("{numero}e circonscription")),
                ]
            } else {
                vec![
                    t(&d.code_election),
                    t(&d.nom),
                    t(&format!("{numero:02}")),
                    t(&format!("{numero}e circonscription")),
                ]
            };
            cells.extend(count_cells(
                inscrits,
                abstentions,
                votants,
                blancs,
                nuls,
                exprimes,
            ));
            for (i, (b, v)) in blocks.iter().zip(&voix).enumerate() {
                if panneau {
                    cells.push(n((i + 1) as f64));
                }
                cells.extend([
                    b[0].clone(),
                    b[1].clone(),
                    b[2].clone(),
                    n(*v as f64),
                    n(pct(*v, inscrits)),
                    n(pct(*v, exprimes)),
                ]);
            }
            rows.push(cells);
        }
    }
    Grid {
        sheet: sheet.to_owned(),
        rows,
    }
}

/// A département code as the 2017 workbooks write it: a number where it is one.
fn n_code(code: &str) -> Cell {
    match code.parse::<f64>() {
        Ok(v) => n(v),
        Err(_) => t(code),
    }
}

/// Writes every enrichment file (2017 rounds, socio-economic sources) under `raw`, and the
/// outlines of the départements.
pub fn write_enrichment(raw: &Path) {
    std::fs::create_dir_all(raw.join("geo")).unwrap();
    std::fs::write(raw.join(etl::geo::GEO_FILE), geo_collection(|_, _| None)).unwrap();
    std::fs::write(
        raw.join(etl::circonscriptions::GEO_FILE),
        circonscriptions_collection(),
    )
    .unwrap();
    std::fs::create_dir_all(raw.join("enrichment")).unwrap();
    let mut t1 = election_grid_of(&candidates_2017(1), 1);
    t1.sheet = T1_2017_SHEET.into();
    // The 2017 workbook writes codes without the leading zero.
    for row in &mut t1.rows[1..] {
        if let Cell::Text(code) = &row[0] {
            row[0] = t(code.trim_start_matches('0'));
        }
    }
    let national = national_grid(&t1);
    let circo_t1 = circonscriptions_grid(
        &election_grid_of(&candidates_2017(1), 1),
        true,
        true,
        "Circo. Leg. Tour 1",
    );
    save_sheets(&[&national, &t1, &circo_t1], &raw.join(T1_2017_FILE));
    let circo_t2 = circonscriptions_grid(
        &election_grid_of(&candidates_2017(2), 2),
        true,
        true,
        "Circo. Leg. Tour 2",
    );
    std::fs::create_dir_all(raw.join("elections/presidentielle-2017")).unwrap();
    save_sheets(
        &[&circo_t2],
        &raw.join("elections/presidentielle-2017/Presidentielle_2017_Resultats_Tour_2_c.xls"),
    );
    std::fs::create_dir_all(raw.join("elections/presidentielle-2022")).unwrap();
    circonscriptions_grid(
        &election_grid(1),
        true,
        false,
        "Résultats par circonscription",
    )
    .save(
        &raw.join(
            "elections/presidentielle-2022/resultats-par-niveau-cirlg-t1-france-entiere.xlsx",
        ),
    );
    let mut t2 = election_grid_of(&candidates_2017(2), 2);
    t2.rows
        .insert(0, vec![t("Résultats par départements - Tour 2")]);
    std::fs::write(raw.join(T2_2017_FILE), t2.to_csv()).unwrap();
    std::fs::write(raw.join(FILOSOFI_FILE), filosofi_csv()).unwrap();
    population_grid().save(&raw.join(POPULATION_FILE));
    immigres_grid().save(&raw.join(IMMIGRES_FILE));
    zip_one(
        &raw.join(COMPARATEUR_FILE),
        COMPARATEUR_MEMBER,
        &comparateur_csv(),
    );
}

/// A temporary project: raw files, and where the outputs go.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let project = Project {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(project.raw()).unwrap();
        election_grid(1).save(&project.raw().join(T1_FILE));
        election_grid(2).save(&project.raw().join(T2_FILE));
        chomage_grid().save(&project.raw().join(CHOMAGE_FILE));
        write_enrichment(&project.raw());
        write_elections_par_nuance(&project.raw(), &Reference::embedded().unwrap());
        project
    }

    pub fn raw(&self) -> PathBuf {
        self.dir.path().join("data_raw")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("data_clean")
    }
    pub fn database(&self) -> PathBuf {
        self.dir.path().join("elexxion.db")
    }
    pub fn dump(&self) -> PathBuf {
        self.dir.path().join("dump.sql")
    }

    /// Runs the real `etl` binary on this project.
    pub fn run_etl(&self, extra: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
            .arg("--raw-dir")
            .arg(self.raw())
            .arg("--out-dir")
            .arg(self.out())
            .arg("--database")
            .arg(self.database())
            .arg("--dump")
            .arg(self.dump())
            .args(extra)
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    }

    /// Every output file and its bytes.
    pub fn outputs(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for path in [self.database(), self.dump()] {
            if let Ok(bytes) = std::fs::read(&path) {
                files.insert(path, bytes);
            }
        }
        if let Ok(entries) = std::fs::read_dir(self.out()) {
            for entry in entries {
                let path = entry.unwrap().path();
                if path.file_name() == Some(db::outputs::LOCK_NAME.as_ref()) {
                    continue;
                }
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
        files
    }
}

fn number(cell: &Cell) -> i64 {
    match cell {
        Cell::Number(v) => *v as i64,
        Cell::Text(s) => s.parse().unwrap(),
        Cell::Empty => panic!("empty cell"),
    }
}

pub use etl::resultats::BURVOT_2022 as BURVOT_FIXED;
/// Commune files (`subcom`): no constituency, no polling station, no `N°Panneau`.
pub const SUBCOM_FIXED: [&str; 5] = [
    "Code du département",
    "Libellé du département",
    "Code de la commune",
    "Libellé de la commune",
    "Etat saisie",
];

/// The Ministry's name of a round's file.
pub fn ministry_name(niveau: &str, tour: i32, extension: &str) -> String {
    format!("resultats-par-niveau-{niveau}-t{tour}-france-entiere.{extension}")
}

/// Abstentions, blancs, nuls and votes of one station, the other counts following from them.
#[derive(Clone)]
struct Station {
    abstentions: i64,
    blancs: i64,
    nuls: i64,
    voix: Vec<i64>,
}

impl Station {
    fn exprimes(&self) -> i64 {
        self.voix.iter().sum()
    }
    fn votants(&self) -> i64 {
        self.exprimes() + self.blancs + self.nuls
    }
    fn inscrits(&self) -> i64 {
        self.votants() + self.abstentions
    }
    fn plus(&self, other: &Station) -> Station {
        Station {
            abstentions: self.abstentions + other.abstentions,
            blancs: self.blancs + other.blancs,
            nuls: self.nuls + other.nuls,
            voix: self
                .voix
                .iter()
                .zip(&other.voix)
                .map(|(a, b)| a + b)
                .collect(),
        }
    }
    /// Inscrits .. % Exp/Vot, in the Ministry's order.
    fn counts(&self) -> Vec<Cell> {
        count_cells(
            self.inscrits(),
            self.abstentions,
            self.votants(),
            self.blancs,
            self.nuls,
            self.exprimes(),
        )
    }
    fn blocks(&self, cands: &[(Cell, Cell, Cell)], panneau: bool) -> Vec<Cell> {
        let (ins, exp) = (self.inscrits(), self.exprimes());
        let mut cells = Vec::new();
        for (k, ((sexe, nom, prenom), v)) in cands.iter().zip(&self.voix).enumerate() {
            if panneau {
                cells.push(n((k + 1) as f64));
            }
            cells.extend([sexe.clone(), nom.clone(), prenom.clone()]);
            cells.extend([n(*v as f64), n(pct(*v, ins)), n(pct(*v, exp))]);
        }
        cells
    }
}

/// The same results as [`election_grid`], by commune (`bureaux = false`: the `subcom`
/// layout) or by polling station (the `burvot` layout with `N°Panneau`): each département
/// has commune 001 with stations 0001 and 0002, and commune 002 with station 0001, every
/// row consistent on its own and the three summing to the département.
pub fn ministry_grid(tour: i32, bureaux: bool) -> Grid {
    let departements = election_grid(tour);
    let mut header: Vec<Cell> = if bureaux {
        BURVOT_FIXED.iter().map(|h| t(h)).collect()
    } else {
        let mut h: Vec<Cell> = SUBCOM_FIXED.iter().map(|h| t(h)).collect();
        h.extend(fixed()[3..].iter().map(|x| t(x)));
        h
    };
    if bureaux {
        header.push(t("N°Panneau"));
    }
    header.extend(BLOCK.iter().map(|h| t(h)));
    let mut rows = vec![header];
    for row in &departements.rows[1..] {
        let total = |i: usize| number(&row[i]);
        let blocks: Vec<&[Cell]> = row[17..].chunks(6).collect();
        let cands: Vec<(Cell, Cell, Cell)> = blocks
            .iter()
            .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
            .collect();
        let whole = Station {
            abstentions: total(4),
            blancs: total(8),
            nuls: total(11),
            voix: blocks.iter().map(|c| number(&c[3])).collect(),
        };
        let part = |div: i64| Station {
            abstentions: whole.abstentions / div,
            blancs: whole.blancs / div,
            nuls: whole.nuls / div,
            voix: whole.voix.iter().map(|v| v / div).collect(),
        };
        let (a, b) = (part(2), part(4));
        let c = Station {
            abstentions: whole.abstentions - a.abstentions - b.abstentions,
            blancs: whole.blancs - a.blancs - b.blancs,
            nuls: whole.nuls - a.nuls - b.nuls,
            voix: (0..whole.voix.len())
                .map(|k| whole.voix[k] - a.voix[k] - b.voix[k])
                .collect(),
        };
        let (code, nom) = (row[0].clone(), row[1].clone());
        let commune = |code_commune: &str| {
            let libelle = format!("Commune {code_commune} de {}", text(&nom));
            (t(code_commune), t(&libelle))
        };
        let lines: Vec<(Vec<Cell>, Station)> = if bureaux {
            let station = |c: &str, b: &str| {
                let (code_commune, libelle) = commune(c);
                vec![
                    code.clone(),
                    nom.clone(),
                    t("01"),
                    t("1ère circonscription"),
                    code_commune,
                    libelle,
                    t(b),
                ]
            };
            vec![
                (station("001", "0001"), a),
                (station("001", "0002"), b),
                (station("002", "0001"), c),
            ]
        } else {
            let at = |c: &str| {
                let (code_commune, libelle) = commune(c);
                vec![
                    code.clone(),
                    nom.clone(),
                    code_commune,
                    libelle,
                    t("Complet"),
                ]
            };
            vec![(at("001"), a.plus(&b)), (at("002"), c)]
        };
        for (mut cells, station) in lines {
            cells.extend(station.counts());
            cells.extend(station.blocks(&cands, bureaux));
            rows.push(cells);
        }
    }
    Grid {
        sheet: format!("Résultats T{tour}"),
        rows,
    }
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Number(v) => v.to_string(),
        Cell::Empty => String::new(),
    }
}

/// A grid as the Ministry writes its text files: `;`-separated, decimal commas, Latin-1
/// (ISO-8859-1) or UTF-8, `\r\n` or `\n` line ends.
pub fn ministry_text(grid: &Grid, latin1: bool, crlf: bool) -> Vec<u8> {
    let mut out = String::new();
    for row in &grid.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Number(v) if v.fract() == 0.0 => format!("{v:.0}"),
                Cell::Number(v) => format!("{v:.2}").replace('.', ","),
                other => text(other),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }
    if latin1 {
        out.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect()
    } else {
        out.into_bytes()
    }
}

impl Project {
    /// A project whose 2022 results are the given files instead of the département
    /// workbooks.
    pub fn with_results(files: &[(String, Vec<u8>)]) -> Project {
        let project = Project::new();
        std::fs::remove_file(project.raw().join(T1_FILE)).unwrap();
        std::fs::remove_file(project.raw().join(T2_FILE)).unwrap();
        for (name, bytes) in files {
            std::fs::write(project.raw().join(name), bytes).unwrap();
        }
        project
    }

    /// The bytes of one output in data_clean/.
    pub fn clean(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.out().join(name)).unwrap()
    }
}

/// Polling-station text files for both rounds, Latin-1 with `\r\n`, as published.
pub fn burvot_texts() -> Vec<(String, Vec<u8>)> {
    [1, 2]
        .map(|tour| {
            let grid = ministry_grid(tour, true);
            (
                ministry_name("burvot", tour, "txt"),
                ministry_text(&grid, true, true),
            )
        })
        .to_vec()
}

/// A project that ran once on the given results files (see [`Project::with_results`]).
pub fn project_after_good_run_on(files: &[(String, Vec<u8>)]) -> Project {
    ran(Project::with_results(files))
}

pub fn project_after_good_run() -> Project {
    ran(Project::new())
}

fn ran(project: Project) -> Project {
    let out = project.run_etl(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    project
}

/// Runs the ETL expecting a failure; returns stderr after checking nothing changed.
pub fn fails_untouched(project: &Project, extra: &[&str], expected: &[&str]) -> String {
    let before = project.outputs();
    assert!(before.len() >= 10, "the good run wrote its outputs");
    let out = project.run_etl(extra);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "expected a failure, got success");
    assert_eq!(out.status.code(), Some(1));
    for needle in expected {
        assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "one message: {stderr}"
    );
    let after = project.outputs();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file added or removed"
    );
    assert!(before == after, "previous outputs must stay byte-identical");
    let leftovers: Vec<_> = std::fs::read_dir(project.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".etl-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    stderr
}

/// Votes of the three first labels of an election in one constituency, by round: nobody
/// elected in round 1 (no one has half the exprimés), the first label elected in round 2.
pub const VOIX_NUANCES: [[i64; 3]; 2] = [[250, 200, 135], [320, 265, 0]];
/// inscrits, abstentions, votants, blancs, nuls, exprimés of every synthetic constituency.
pub const COMPTES: [i64; 6] = [1000, 400, 600, 10, 5, 585];

fn pct2(n: i64, d: i64) -> String {
    format!("{:.2}", n as f64 / d as f64 * 100.0).replace('.', ",")
}

/// Writes, for every manifest row read by label (`nuances`, `candidats-nuance`, `long`), a
/// small consistent file: one constituency per département of the reference, the first three
/// labels of the election's nuance grid with [`VOIX_NUANCES`], counts [`COMPTES`].
pub fn write_elections_par_nuance(raw: &Path, reference: &Reference) {
    for e in &reference.manifeste {
        // By candidate: the workbooks of `write_enrichment` and `Project::new`.
        if e.format == "candidats" || e.format == "candidats-circonscription" {
            continue;
        }
        let codes: Vec<String> = reference
            .nuances
            .iter()
            .filter(|n| {
                n.type_election == e.scrutin.type_election.code() && n.annee == e.scrutin.annee
            })
            .take(3)
            .map(|n| n.code.clone())
            .collect();
        let text = fichier_par_nuance(reference, &e.format, e.bloc, e.scrutin.tour, &codes);
        let path = raw.join(&e.fichier);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The constituency numbers of a département (INSEE code) in the reference.
pub fn numeros(reference: &Reference, departement: &str) -> Vec<i32> {
    reference
        .circonscriptions
        .iter()
        .filter(|c| c.departement_code == departement)
        .map(|c| c.numero)
        .collect()
}

/// One synthetic file by label in a layout of the manifest: every constituency of the
/// reference with [`COMPTES`] and [`VOIX_NUANCES`]; a département's row is the sum of its
/// constituencies'.
pub fn fichier_par_nuance(
    reference: &Reference,
    format: &str,
    bloc: u32,
    tour: i32,
    codes: &[String],
) -> String {
    let voix: Vec<(String, i64)> = codes
        .iter()
        .zip(VOIX_NUANCES[(tour - 1) as usize])
        .filter(|(_, v)| *v > 0)
        .map(|(c, v)| (c.clone(), v))
        .collect();
    let mut out = String::new();
    match (format, bloc) {
        ("long", _) => {
            let [inscrits, _, votants, blancs, _, exprimes] = COMPTES;
            out.push_str("departement,circonscription,inscrits,votants,blancs,exprimes,numero_panneau,sexe,nom,prenom,nuance,voix\n");
            for d in &reference.departements {
                for numero in numeros(reference, &d.code) {
                    for (i, (code, v)) in voix.iter().enumerate() {
                        out.push_str(&format!(
                            "{},{numero},{inscrits},{votants},{blancs},{exprimes},{},F,NOM{i},Prénom,{code},{v}\n",
                            d.code_election,
                            i + 1
                        ));
                    }
                }
            }
        }
        ("nuances", 5) => {
            out.push_str("Code du département;Libellé du département;Etat saisie;Inscrits;Abstentions;% Abs/Ins;Votants;Blancs;Nuls;Exprimés;Code Nuance;Voix;% Voix/Ins;% Voix/Exp;Sièges\r\n");
            for d in &reference.departements {
                let n = numeros(reference, &d.code).len() as i64;
                let [inscrits, abstentions, votants, blancs, nuls, exprimes] =
                    COMPTES.map(|c| c * n);
                out.push_str(&format!(
                    "{};{};Complet;{inscrits};{abstentions};{};{votants};{blancs};{nuls};{exprimes}",
                    d.code_election,
                    d.nom,
                    pct2(abstentions, inscrits)
                ));
                for (code, v) in &voix {
                    let v = v * n;
                    out.push_str(&format!(
                        ";{code};{v};{};{};0",
                        pct2(v, inscrits),
                        pct2(v, exprimes)
                    ));
                }
                out.push_str("\r\n");
            }
        }
        ("nuances", _) => {
            out.push_str("Code département;Libellé département;Inscrits;Votants;% Votants;Abstentions;Exprimés;Blancs;Nuls");
            for k in 1..=4 {
                out.push_str(&format!(
                    ";Nuance candidat {k};Voix {k};% Voix/inscrits {k};% Voix/exprimés {k}"
                ));
            }
            out.push_str("\r\n");
            for d in &reference.departements {
                let n = numeros(reference, &d.code).len() as i64;
                let [inscrits, abstentions, votants, blancs, nuls, exprimes] =
                    COMPTES.map(|c| c * n);
                out.push_str(&format!(
                    "{};{};{inscrits};{votants};{}%;{abstentions};{exprimes};{blancs};{nuls}",
                    d.code.trim_start_matches('0'),
                    d.nom,
                    pct2(votants, inscrits)
                ));
                for k in 0..4 {
                    match voix.get(k) {
                        Some((code, v)) => {
                            let v = v * n;
                            out.push_str(&format!(
                                ";{code};{v};{}%;{}%",
                                pct2(v, inscrits),
                                pct2(v, exprimes)
                            ))
                        }
                        None => out.push_str(";;;;"),
                    }
                }
                out.push_str("\r\n");
            }
        }
        _ => {
            let [inscrits, abstentions, votants, blancs, nuls, exprimes] = COMPTES;
            out.push_str("Code du département;Libellé du département;Code de la circonscription;Libellé de la circonscription;Inscrits;Abstentions;Votants;Blancs;Nuls;Exprimés;N°Panneau;Sexe;Nom;Prénom;Nuance;Voix;% Voix/Ins;% Voix/Exp;Sièges\r\n");
            for d in &reference.departements {
                for numero in numeros(reference, &d.code) {
                    out.push_str(&format!(
                        "{};{};{numero:02};Circonscription {numero};{inscrits};{abstentions};{votants};{blancs};{nuls};{exprimes}",
                        d.code_election, d.nom
                    ));
                    for (i, (code, v)) in voix.iter().enumerate() {
                        let elu = if tour == 2 && i == 0 { "Elu" } else { "" };
                        out.push_str(&format!(
                            ";{};F;NOM{i};Prénom;{code};{v};{};{};{elu}",
                            i + 1,
                            pct2(*v, inscrits),
                            pct2(*v, exprimes)
                        ));
                    }
                    out.push_str("\r\n");
                }
            }
        }
    }
    out
}
