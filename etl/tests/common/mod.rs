//! Small but complete raw files written inside the tests: every département of
//! the reference, consistent counts and percentages, in the real layouts.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use etl::pipeline::{CHOMAGE_FILE, T1_FILE, T2_FILE};
use etl::reference::Reference;
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
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(&self.sheet).unwrap();
        for (r, row) in self.rows.iter().enumerate() {
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
        workbook.save(path).unwrap();
    }
}

const FIXED: [&str; 17] = [
    "Code du département",
    "Libellé du département",
    "Etat saisie",
    "Inscrits",
    "Abstentions",
    "% Abs/Ins",
    "Votants",
    "% Vot/Ins",
    "Blancs",
    "% Blancs/Ins",
    "% Blancs/Vot",
    "Nuls",
    "% Nuls/Ins",
    "% Nuls/Vot",
    "Exprimés",
    "% Exp/Ins",
    "% Exp/Vot",
];
const BLOCK: [&str; 6] = ["Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp"];

fn pct(a: i64, b: i64) -> f64 {
    (a as f64 / b as f64 * 10_000.0).round() / 100.0
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
    let reference = Reference::embedded().unwrap();
    let cands = candidates(tour);
    let mut header: Vec<Cell> = FIXED.iter().map(|h| t(h)).collect();
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
        let mut row = vec![
            t(&d.code_election),
            t(&d.nom),
            t("Complet"),
            // The real round-1 file stores inscrits as text: keep that quirk.
            t(&inscrits.to_string()),
            n(abstentions as f64),
            n(pct(abstentions, inscrits)),
            n(votants as f64),
            n(pct(votants, inscrits)),
            n(blancs as f64),
            n(pct(blancs, inscrits)),
            n(pct(blancs, votants)),
            n(nuls as f64),
            n(pct(nuls, inscrits)),
            n(pct(nuls, votants)),
            n(exprimes as f64),
            n(pct(exprimes, inscrits)),
            n(pct(exprimes, votants)),
        ];
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

/// The same results split into two polling stations per département (the layout with
/// `Code de la commune` and `Code du b.vote`), each consistent on its own.
pub fn stations_grid(tour: i32) -> Grid {
    let departements = election_grid(tour);
    let mut header = departements.rows[0].clone();
    header.splice(2..2, [t("Code de la commune"), t("Code du b.vote")]);
    let mut rows = vec![header];
    for row in &departements.rows[1..] {
        let total = |i: usize| number(&row[i]);
        let (ins, abs, bl, nu) = (total(3), total(4), total(8), total(11));
        let candidates: Vec<&[Cell]> = row[17..].chunks(6).collect();
        let voix: Vec<i64> = candidates.iter().map(|c| number(&c[3])).collect();
        // Station A gets about half of everything; B the rest.
        let a_ins = ins / 2;
        let a_abs = abs / 2;
        let (a_bl, a_nu) = (bl / 2, nu / 2);
        let a_exp = a_ins - a_abs - a_bl - a_nu;
        let mut a_voix: Vec<i64> = voix.iter().map(|v| v / 2).collect();
        a_voix[0] = a_exp - a_voix[1..].iter().sum::<i64>();
        let b_voix: Vec<i64> = voix.iter().zip(&a_voix).map(|(v, a)| v - a).collect();
        let station = |bureau: &str, ins: i64, abs: i64, bl: i64, nu: i64, voix: &[i64]| {
            let vot = ins - abs;
            let exp = vot - bl - nu;
            let mut cells = vec![
                row[0].clone(),
                row[1].clone(),
                t("00001"),
                t(bureau),
                t("Complet"),
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
            ];
            for (c, v) in candidates.iter().zip(voix) {
                cells.extend([c[0].clone(), c[1].clone(), c[2].clone()]);
                cells.extend([n(*v as f64), n(pct(*v, ins)), n(pct(*v, exp))]);
            }
            cells
        };
        rows.push(station("0001", a_ins, a_abs, a_bl, a_nu, &a_voix));
        rows.push(station(
            "0002",
            ins - a_ins,
            abs - a_abs,
            bl - a_bl,
            nu - a_nu,
            &b_voix,
        ));
    }
    Grid {
        sheet: format!("Résultats par bureau T{tour}"),
        rows,
    }
}
