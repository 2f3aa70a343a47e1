//! The whole run: read and validate every input, build every output in memory,
//! then write them all at once.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::chomage::{self, Quarter};
use crate::dataset::{self, Dataset};
use crate::elections;
use crate::error::EtlError;
use crate::output::{self, CsvFiles, Targets};
use crate::reference::Reference;
use crate::tables;

pub const T1_FILE: &str = "resultats-par-niveau-dpt-t1-france-entiere.xlsx";
pub const T2_FILE: &str = "resultats-par-niveau-dpt-t2-france-entiere.xlsx";
pub const CHOMAGE_FILE: &str = "sl_etc_2025T3.xls";

#[derive(Debug, Clone)]
pub struct Config {
    pub raw_dir: PathBuf,
    pub reference_dir: Option<PathBuf>,
    pub targets: Targets,
    pub quarter: Quarter,
}

/// What a run did, printed at its end.
#[derive(Debug, Clone)]
pub struct Summary {
    pub quarter: Quarter,
    pub database_rows: Vec<(&'static str, usize)>,
    pub csv_rows: Vec<(String, usize)>,
    /// `code (name)` of each constituency without an unemployment rate for the quarter.
    pub sans_chomage: Vec<String>,
    pub elapsed: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "database rows:")?;
        for (table, rows) in &self.database_rows {
            writeln!(f, "  {table:<28} {rows:>7}")?;
        }
        writeln!(f, "data_clean rows:")?;
        for (file, rows) in &self.csv_rows {
            writeln!(f, "  {file:<28} {rows:>7}")?;
        }
        writeln!(
            f,
            "without an unemployment rate for {} ({}): {}",
            self.quarter,
            self.sans_chomage.len(),
            self.sans_chomage.join(", ")
        )?;
        write!(f, "done in {:.2} s", self.elapsed.as_secs_f64())
    }
}

/// Waits for a scoped thread; a panic in it goes on in the caller.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Reads, validates and joins the raw files (the three at once); touches nothing on disk.
/// Errors are reported in file order whatever finishes first.
pub fn read_inputs(config: &Config) -> Result<Dataset, EtlError> {
    let reference = match &config.reference_dir {
        Some(dir) => Reference::from_dir(dir)?,
        None => Reference::embedded()?,
    };
    let step = Instant::now();
    let (t1, t2, chomage) = std::thread::scope(|s| {
        let t1 =
            s.spawn(|| elections::read(&config.raw_dir.join(T1_FILE), 1, elections::SOURCE_T1));
        let t2 =
            s.spawn(|| elections::read(&config.raw_dir.join(T2_FILE), 2, elections::SOURCE_T2));
        let chomage = chomage::read(&config.raw_dir.join(CHOMAGE_FILE));
        (joined(t1), joined(t2), chomage)
    });
    let (t1, t2, chomage) = (t1?, t2?, chomage?);
    log::debug!("read and checked the raw files in {:?}", step.elapsed());
    if !chomage.quarters.contains(&config.quarter) {
        let range = match (chomage.quarters.first(), chomage.quarters.last()) {
            (Some(first), Some(last)) => format!("{first} .. {last}"),
            _ => "none".to_owned(),
        };
        return Err(EtlError::Quarter {
            quarter: config.quarter.to_string(),
            message: format!(
                "not in {} (quarters available: {range})",
                chomage.file.display()
            ),
        });
    }
    let step = Instant::now();
    let data = dataset::assemble(&reference, &[&t1, &t2], &chomage)?;
    log::debug!("assembled the dataset in {:?}", step.elapsed());
    Ok(data)
}

/// The clean tables (polars) as CSV bytes.
pub fn csv_tables(data: &Dataset, quarter: Quarter) -> Result<CsvFiles, EtlError> {
    let step = Instant::now();
    let clean = tables::build(data, quarter)?;
    let csvs = clean
        .tables
        .into_iter()
        .map(|(name, mut df)| tables::to_csv(&mut df).map(|bytes| (name, bytes)))
        .collect::<Result<Vec<_>, _>>()?;
    log::debug!(
        "built the clean tables and their CSV in {:?}",
        step.elapsed()
    );
    Ok(csvs)
}

pub fn run(config: &Config) -> Result<Summary, EtlError> {
    let started = Instant::now();
    let data = read_inputs(config)?;
    // The CSV tables and the database are independent: build them side by side.
    let (csvs, database) = std::thread::scope(|s| {
        let database = s.spawn(|| output::build_database(&config.targets, &data));
        let csvs = csv_tables(&data, config.quarter);
        (csvs, joined(database))
    });
    let (csvs, (database, dump)) = (csvs?, database?);
    output::commit(&config.targets, &csvs, database, &dump)?;
    let csv_rows = csvs
        .iter()
        .map(|(name, bytes)| {
            let lines = bytes.iter().filter(|b| **b == b'\n').count();
            (name.clone(), lines.saturating_sub(1))
        })
        .collect();
    Ok(Summary {
        quarter: config.quarter,
        database_rows: vec![
            ("regions", data.regions.len()),
            ("departements", data.departements.len()),
            ("familles", data.familles.len()),
            ("tours", data.tours.len()),
            ("candidats", data.candidats.len()),
            ("participations", data.participations.len()),
            ("resultats", data.resultats.len()),
            ("chomage", data.chomage.len()),
        ],
        csv_rows,
        sans_chomage: data
            .sans_chomage(config.quarter)
            .iter()
            .map(|d| format!("{} ({})", d.code_election, d.nom))
            .collect(),
        elapsed: started.elapsed(),
    })
}
