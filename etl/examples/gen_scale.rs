//! Synthetic raw inputs at polling-station size for the ETL scale benchmark.
//!
//! Writes into `--out` both rounds' results with one row per polling station, in the
//! Ministry's own layout and names (`resultats-par-niveau-burvot-t{1,2}-france-entiere`):
//! the 2022 polling-station header (constituency, commune, station, then blocks of 7
//! columns starting with `N°Panneau`), every identity and published percentage consistent,
//! the real candidates and the reference's 107 constituencies, stations grouped by commune
//! (at most 327 communes per constituency, about France's 35,000; 99 overseas), and an unemployment
//! workbook for 2022. `--format` picks the text file (`;`, decimal commas, Latin-1 or
//! UTF-8, CRLF, as published), the same rows in an xlsx sheet, or the département workbook
//! they sum to. Deterministic for a given `--seed`: the three formats hold the same results.
//!
//! ```sh
//! cargo run --release -p etl --example gen_scale -- --stations 70000 --out target/scale/1x
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use etl::pipeline::CHOMAGE_FILE;
use etl::reference::Reference;
use etl::resultats::BURVOT_2022 as BURVOT;
use rust_xlsxwriter::{Workbook, Worksheet};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `resultats-par-niveau-burvot-t{1,2}-france-entiere.txt`
    Txt,
    /// `resultats-par-niveau-burvot-t{1,2}-france-entiere.xlsx` (at most 1,048,575 stations)
    Xlsx,
    /// `resultats-par-niveau-dpt-t{1,2}-france-entiere.xlsx`: the stations summed
    Dpt,
}

#[derive(Parser)]
struct Args {
    /// Polling stations per round.
    #[arg(long, default_value_t = 70_000)]
    stations: u32,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Txt)]
    format: Format,
    /// Text files in UTF-8 rather than Latin-1.
    #[arg(long)]
    utf8: bool,
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

const BLOCK: [&str; 7] = [
    "N°Panneau",
    "Sexe",
    "Nom",
    "Prénom",
    "Voix",
    "% Voix/Ins",
    "% Voix/Exp",
];
/// About France's 35,000 communes over 107 constituencies.
const COMMUNES_PER_CONSTITUENCY: u32 = 327;

/// A published percentage: two decimals, as in the Ministry's files.
fn pct(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 100.0
    }
}

/// One cell of a results row.
enum Value<'a> {
    Text(&'a str),
    Owned(String),
    Count(i64),
    Rate(f64),
}

/// The counts of a station or a sum of stations.
#[derive(Clone, Default)]
struct Counts {
    inscrits: i64,
    abstentions: i64,
    votants: i64,
    blancs: i64,
    nuls: i64,
    exprimes: i64,
    voix: Vec<i64>,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.inscrits += other.inscrits;
        self.abstentions += other.abstentions;
        self.votants += other.votants;
        self.blancs += other.blancs;
        self.nuls += other.nuls;
        self.exprimes += other.exprimes;
        self.voix.resize(other.voix.len(), 0);
        for (sum, v) in self.voix.iter_mut().zip(&other.voix) {
            *sum += v;
        }
    }

    /// Inscrits .. % Exp/Vot, then one block per candidate (`panneau`: with `N°Panneau`).
    fn cells<'a>(
        &self,
        candidates: &'a [(&'a str, &'a str, &'a str)],
        panneau: bool,
    ) -> Vec<Value<'a>> {
        let (ins, vot, exp) = (self.inscrits, self.votants, self.exprimes);
        let mut cells = vec![
            Value::Count(ins),
            Value::Count(self.abstentions),
            Value::Rate(pct(self.abstentions, ins)),
            Value::Count(vot),
            Value::Rate(pct(vot, ins)),
            Value::Count(self.blancs),
            Value::Rate(pct(self.blancs, ins)),
            Value::Rate(pct(self.blancs, vot)),
            Value::Count(self.nuls),
            Value::Rate(pct(self.nuls, ins)),
            Value::Rate(pct(self.nuls, vot)),
            Value::Count(exp),
            Value::Rate(pct(exp, ins)),
            Value::Rate(pct(exp, vot)),
        ];
        for (k, ((sexe, nom, prenom), v)) in candidates.iter().zip(&self.voix).enumerate() {
            if panneau {
                cells.push(Value::Count(k as i64 + 1));
            }
            cells.extend([Value::Text(sexe), Value::Text(nom), Value::Text(prenom)]);
            cells.extend([
                Value::Count(*v),
                Value::Rate(pct(*v, ins)),
                Value::Rate(pct(*v, exp)),
            ]);
        }
        cells
    }
}

fn station(rng: &mut Rng, candidates: usize) -> Counts {
    let inscrits = 300 + rng.below(1_200);
    let votants = inscrits * (60 + rng.below(30)) / 100;
    let blancs = votants * rng.below(30) / 1_000;
    let nuls = votants * rng.below(15) / 1_000;
    let exprimes = votants - blancs - nuls;
    let weights: Vec<i64> = (0..candidates).map(|_| 1 + rng.below(100)).collect();
    let total: i64 = weights.iter().sum();
    let mut voix: Vec<i64> = weights.iter().map(|w| exprimes * w / total).collect();
    voix[0] += exprimes - voix.iter().sum::<i64>();
    Counts {
        inscrits,
        abstentions: inscrits - votants,
        votants,
        blancs,
        nuls,
        exprimes,
        voix,
    }
}

/// Where each row goes: a text file, an xlsx sheet, or nowhere (département sums only).
enum Sink {
    Text {
        out: BufWriter<std::fs::File>,
        utf8: bool,
        line: String,
    },
    Sheet {
        workbook: Box<Workbook>,
        row: u32,
    },
    Sums,
}

impl Sink {
    fn row(&mut self, cells: &[Value<'_>]) {
        match self {
            Sink::Text { out, utf8, line } => {
                line.clear();
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        line.push(';');
                    }
                    match cell {
                        Value::Text(s) => line.push_str(s),
                        Value::Owned(s) => line.push_str(s),
                        Value::Count(n) => line.push_str(&n.to_string()),
                        Value::Rate(r) => line.push_str(&format!("{r:.2}").replace('.', ",")),
                    }
                }
                line.push_str("\r\n");
                if *utf8 {
                    out.write_all(line.as_bytes()).unwrap();
                } else {
                    let latin1: Vec<u8> = line
                        .chars()
                        .map(|c| u8::try_from(u32::from(c)).unwrap())
                        .collect();
                    out.write_all(&latin1).unwrap();
                }
            }
            Sink::Sheet { workbook, row } => {
                let sheet: &mut Worksheet = workbook.worksheet_from_index(0).unwrap();
                for (c, cell) in cells.iter().enumerate() {
                    let c = c as u16;
                    match cell {
                        Value::Text(s) => sheet.write_string(*row, c, *s),
                        Value::Owned(s) => sheet.write_string(*row, c, s),
                        Value::Count(n) => sheet.write_number(*row, c, *n as f64),
                        Value::Rate(r) => sheet.write_number(*row, c, *r),
                    }
                    .unwrap();
                }
                *row += 1;
            }
            Sink::Sums => {}
        }
    }

    fn finish(self, path: &Path) {
        match self {
            Sink::Text { mut out, .. } => out.flush().unwrap(),
            Sink::Sheet { mut workbook, .. } => workbook.save(path).unwrap(),
            Sink::Sums => {}
        }
    }
}

fn header(fixed: &[&str], block: &[&str]) -> Vec<String> {
    fixed.iter().chain(block).map(|h| (*h).to_owned()).collect()
}

/// Writes one round; returns the sums per constituency.
fn write_results(args: &Args, tour: i32, rng: &mut Rng, reference: &Reference) -> Vec<Counts> {
    let candidates: Vec<_> = if tour == 1 {
        CANDIDATES.to_vec()
    } else {
        vec![CANDIDATES[2], CANDIDATES[4]]
    };
    let extension = if args.format == Format::Txt {
        "txt"
    } else {
        "xlsx"
    };
    let path = args.out.join(format!(
        "resultats-par-niveau-burvot-t{tour}-france-entiere.{extension}"
    ));
    let mut sink = match args.format {
        Format::Txt => Sink::Text {
            out: BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap()),
            utf8: args.utf8,
            line: String::new(),
        },
        Format::Xlsx => {
            let mut workbook = Workbook::new();
            // Past 4 GiB of sheet XML (about 13x) the zip needs its 64-bit extension.
            workbook.use_zip_large_file(true);
            let sheet = workbook.add_worksheet_with_constant_memory();
            sheet
                .set_name(format!("Résultats par bureau T{tour}"))
                .unwrap();
            Sink::Sheet {
                workbook: Box::new(workbook),
                row: 0,
            }
        }
        Format::Dpt => Sink::Sums,
    };
    let names = header(&BURVOT, &BLOCK);
    let head: Vec<Value<'_>> = names.iter().map(|h| Value::Text(h)).collect();
    sink.row(&head);
    let departements = &reference.departements;
    let count = departements.len() as u32;
    let mut sums = Vec::with_capacity(departements.len());
    for (i, d) in departements.iter().enumerate() {
        let stations = args.stations / count + u32::from((i as u32) < args.stations % count);
        // Overseas départements (971 ..) have fewer than 100 communes, whose codes carry
        // the département's third digit (Les Abymes: 101 in Guadeloupe, INSEE 97101).
        let overseas = d.code.len() == 3 && d.code.bytes().all(|b| b.is_ascii_digit());
        let cap = if overseas {
            99
        } else {
            COMMUNES_PER_CONSTITUENCY
        };
        let communes = stations.clamp(1, cap);
        let commune_code = |k: u32| match d.code.get(2..3) {
            Some(third) if overseas => format!("{third}{:02}", k + 1),
            _ => format!("{:03}", k + 1),
        };
        let mut sum = Counts::default();
        let mut previous = u32::MAX;
        let mut bureau = 0;
        for s in 0..stations {
            let commune = (u64::from(s) * u64::from(communes) / u64::from(stations.max(1))) as u32;
            bureau = if commune == previous { bureau + 1 } else { 1 };
            previous = commune;
            let counts = station(rng, candidates.len());
            sum.add(&counts);
            if args.format == Format::Dpt {
                continue;
            }
            let mut cells = vec![
                Value::Text(&d.code_election),
                Value::Text(&d.nom),
                Value::Text("01"),
                Value::Text("1ère circonscription"),
                Value::Owned(commune_code(commune)),
                Value::Owned(format!("Commune {} de {}", commune_code(commune), d.nom)),
                Value::Owned(format!("{bureau:04}")),
            ];
            cells.extend(counts.cells(&candidates, true));
            sink.row(&cells);
        }
        sums.push(sum);
    }
    sink.finish(&path);
    if args.format == Format::Dpt {
        write_departements(&args.out, tour, &candidates, reference, &sums);
    }
    sums
}

/// The département workbook the stations sum to, in the Ministry's département layout.
fn write_departements(
    out: &Path,
    tour: i32,
    candidates: &[(&str, &str, &str)],
    reference: &Reference,
    sums: &[Counts],
) {
    let path = out.join(format!(
        "resultats-par-niveau-dpt-t{tour}-france-entiere.xlsx"
    ));
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet_with_constant_memory()
        .set_name(format!("Résultats par niveau Dpt T{tour}"))
        .unwrap();
    let mut sink = Sink::Sheet {
        workbook: Box::new(workbook),
        row: 0,
    };
    let fixed = [&BURVOT[..2], &["Etat saisie"], &BURVOT[7..]].concat();
    let names = header(&fixed, &BLOCK[1..]);
    let head: Vec<Value<'_>> = names.iter().map(|h| Value::Text(h)).collect();
    sink.row(&head);
    for (d, sum) in reference.departements.iter().zip(sums) {
        let mut cells = vec![
            Value::Text(&d.code_election),
            Value::Text(&d.nom),
            Value::Text("Complet"),
        ];
        cells.extend(sum.cells(candidates, false));
        sink.row(&cells);
    }
    sink.finish(&path);
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
    for tour in [1, 2] {
        write_results(&args, tour, &mut rng, &reference);
    }
    write_chomage(&args.out.join(CHOMAGE_FILE), &reference);
    println!(
        "wrote {} polling stations x 2 rounds into {}",
        args.stations,
        args.out.display()
    );
}
