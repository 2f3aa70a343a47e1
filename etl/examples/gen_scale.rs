//! Synthetic raw inputs at polling-station size for the ETL scale benchmark.
//!
//! Writes the three files `etl` reads into `--out`: both rounds' results with one row per
//! polling station (the département layout plus `Code de la commune` and `Code du b.vote`
//! columns, every identity and published percentage consistent, the real candidates and the
//! reference's 107 constituencies), and an unemployment workbook for 2022. Deterministic for a
//! given `--seed`.
//!
//! ```sh
//! cargo run --release -p etl --example gen_scale -- --stations 70000 --out target/scale/1x
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use clap::Parser;
use etl::pipeline::{CHOMAGE_FILE, T1_FILE, T2_FILE};
use etl::reference::Reference;
use rust_xlsxwriter::{Workbook, Worksheet};

#[derive(Parser)]
struct Args {
    /// Polling stations per round (an xlsx sheet holds at most 1,048,575 under its header).
    #[arg(long, default_value_t = 70_000)]
    stations: u32,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// SplitMix64: small, fast, and the same numbers on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

const CANDIDATES: [(&str, &str, &str); 12] = [
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

const HEADER: [&str; 19] = [
    "Code du département",
    "Libellé du département",
    "Code de la commune",
    "Code du b.vote",
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

/// A published percentage: two decimals, as in the Ministry's files.
fn pct(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 100.0
    }
}

fn write_results(path: &Path, tour: i32, stations: u32, rng: &mut Rng, reference: &Reference) {
    let candidates: Vec<_> = if tour == 1 {
        CANDIDATES.to_vec()
    } else {
        vec![CANDIDATES[2], CANDIDATES[4]]
    };
    let mut workbook = Workbook::new();
    let sheet: &mut Worksheet = workbook.add_worksheet_with_constant_memory();
    sheet
        .set_name(format!("Résultats par bureau T{tour}"))
        .unwrap();
    for (c, h) in HEADER.iter().chain(BLOCK.iter()).enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let departements = &reference.departements;
    for s in 0..stations {
        let row = s + 1;
        let d = &departements[s as usize % departements.len()];
        let inscrits = 300 + rng.below(1_200);
        let votants = inscrits * (60 + rng.below(30)) / 100;
        let blancs = votants * rng.below(30) / 1_000;
        let nuls = votants * rng.below(15) / 1_000;
        let exprimes = votants - blancs - nuls;
        let abstentions = inscrits - votants;
        let mut c = 0u16;
        let text = |sheet: &mut Worksheet, c: &mut u16, value: &str| {
            sheet.write_string(row, *c, value).unwrap();
            *c += 1;
        };
        text(sheet, &mut c, &d.code_election);
        text(sheet, &mut c, &d.nom);
        text(
            sheet,
            &mut c,
            &format!("{:05}", s / departements.len() as u32 / 8),
        );
        text(sheet, &mut c, &format!("{:04}", s % 10_000));
        text(sheet, &mut c, "Complet");
        let numbers = [
            inscrits as f64,
            abstentions as f64,
            pct(abstentions, inscrits),
            votants as f64,
            pct(votants, inscrits),
            blancs as f64,
            pct(blancs, inscrits),
            pct(blancs, votants),
            nuls as f64,
            pct(nuls, inscrits),
            pct(nuls, votants),
            exprimes as f64,
            pct(exprimes, inscrits),
            pct(exprimes, votants),
        ];
        for v in numbers {
            sheet.write_number(row, c, v).unwrap();
            c += 1;
        }
        let weights: Vec<i64> = candidates.iter().map(|_| 1 + rng.below(100)).collect();
        let total: i64 = weights.iter().sum();
        let mut voix: Vec<i64> = weights.iter().map(|w| exprimes * w / total).collect();
        voix[0] += exprimes - voix.iter().sum::<i64>();
        for ((sexe, nom, prenom), v) in candidates.iter().zip(voix) {
            for value in [sexe, nom, prenom] {
                sheet.write_string(row, c, *value).unwrap();
                c += 1;
            }
            for v in [v as f64, pct(v, inscrits), pct(v, exprimes)] {
                sheet.write_number(row, c, v).unwrap();
                c += 1;
            }
        }
    }
    workbook.save(path).unwrap();
}

/// INSEE's layout for 2022: title rows, header on the 4th row (written as xlsx; `etl` reads
/// the format from the bytes, not the name).
fn write_chomage(path: &Path, reference: &Reference) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Département").unwrap();
    sheet
        .write_string(0, 0, "Estimations de taux de chômage localisé")
        .unwrap();
    let quarters = ["T1_2022", "T2_2022", "T3_2022", "T4_2022"];
    sheet.write_string(3, 0, "Code").unwrap();
    sheet.write_string(3, 1, "Libellé").unwrap();
    for (q, name) in quarters.iter().enumerate() {
        sheet.write_string(3, 2 + q as u16, *name).unwrap();
    }
    let departements = reference
        .departements
        .iter()
        .filter(|d| d.est_departement && d.code != "976");
    for (i, d) in departements.enumerate() {
        let row = 4 + i as u32;
        sheet.write_string(row, 0, &d.code).unwrap();
        sheet.write_string(row, 1, d.nom.to_uppercase()).unwrap();
        for q in 0..quarters.len() {
            let rate = 5.0 + (i % 10) as f64 * 0.5 + q as f64 * 0.1;
            sheet.write_number(row, 2 + q as u16, rate).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

fn main() {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out).unwrap();
    let reference = Reference::embedded().unwrap();
    let mut rng = Rng(args.seed);
    write_results(
        &args.out.join(T1_FILE),
        1,
        args.stations,
        &mut rng,
        &reference,
    );
    write_results(
        &args.out.join(T2_FILE),
        2,
        args.stations,
        &mut rng,
        &reference,
    );
    write_chomage(&args.out.join(CHOMAGE_FILE), &reference);
    println!(
        "wrote {} polling stations x 2 rounds into {}",
        args.stations,
        args.out.display()
    );
}
