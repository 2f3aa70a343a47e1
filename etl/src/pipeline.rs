//! The whole run: read and validate every input, build every output in memory,
//! then write them all at once.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::chomage::{self, Quarter};
use crate::circonscriptions;
use crate::communes;
use crate::dataset::{self, Dataset};
use crate::elections;
use crate::error::EtlError;
use crate::excel::{RawSource, SheetChoice};
use crate::legislatives;
use crate::nuances;
use crate::output::{self, CsvFiles, Targets};
use crate::reference::{Entree, Reference};
use crate::resultats::Niveau;
use crate::socio;
use crate::sources::Encodage;
use crate::tables;
use crate::{carte, fichiers, geo};

pub const CHOMAGE_FILE: &str = "sl_etc_2025T3.xls";
/// The Ministry's names of the rounds read with `variantes = ministere` in the manifest (the
/// committed default inputs by département; any of the Ministry's names may stand instead,
/// see [`crate::fichiers`]).
pub const T1_FILE: &str = "resultats-par-niveau-dpt-t1-france-entiere.xlsx";
pub const T2_FILE: &str = "resultats-par-niveau-dpt-t2-france-entiere.xlsx";

/// One manifest row's file, read.
enum Lu {
    Candidats(elections::ElectionFile),
    Nuances(Entree, nuances::FichierNuances),
}

/// What a manifest row's missing file is, for the error message.
fn raw_source(entree: &Entree) -> RawSource {
    let what = format!(
        "the {} results by {} ({})",
        entree.scrutin, entree.niveau, entree.format
    );
    RawSource {
        what: what.into(),
        origin: entree.source.clone().into(),
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub raw_dir: PathBuf,
    pub reference_dir: Option<PathBuf>,
    pub targets: Targets,
    pub quarter: Quarter,
    /// The 2022 results file of each round when the raw folder holds more than one.
    pub resultats: [Option<PathBuf>; 2],
    /// Encoding of text results files.
    pub encodage: Encodage,
}

/// What a run did, printed at its end.
#[derive(Debug, Clone)]
pub struct Summary {
    pub quarter: Quarter,
    pub database_rows: Vec<(&'static str, usize)>,
    pub csv_rows: Vec<(String, usize)>,
    /// `code (name)` of each constituency without an unemployment rate for the quarter.
    pub sans_chomage: Vec<String>,
    /// Per socio-economic indicator, the départements without a value.
    pub sans_socio: Vec<(String, Vec<String>)>,
    /// Rows whose label votes differ from `Exprimés` by at most two votes: the Ministry's own
    /// figures, kept as published.
    pub ecarts: Vec<String>,
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
        for (indicateur, codes) in &self.sans_socio {
            writeln!(
                f,
                "without {indicateur} ({}): {}",
                codes.len(),
                if codes.is_empty() {
                    "none".to_owned()
                } else {
                    codes.join(", ")
                }
            )?;
        }
        writeln!(
            f,
            "kept as published, label votes differing from Exprimés ({}):",
            self.ecarts.len()
        )?;
        for ecart in &self.ecarts {
            writeln!(f, "  {ecart}")?;
        }
        write!(f, "done in {:.2} s", self.elapsed.as_secs_f64())
    }
}

/// Waits for a scoped thread; a panic in it goes on in the caller.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Reads, validates and joins the raw files (side by side); touches nothing on disk.
/// Errors are reported in file order whatever finishes first. Also gives the commune
/// tables of the rounds read by commune or polling station.
pub fn read_inputs(config: &Config) -> Result<(Dataset, CsvFiles), EtlError> {
    let reference = match &config.reference_dir {
        Some(dir) => Reference::from_dir(dir)?,
        None => Reference::embedded()?,
    };
    let step = Instant::now();
    let round = |entree: &Entree| -> Result<Lu, EtlError> {
        let started = Instant::now();
        let source = raw_source(entree);
        let read = match nuances::Format::from_code(&entree.format) {
            Some(format) => nuances::read(
                &config.raw_dir.join(&entree.fichier),
                format,
                entree.bloc,
                &entree.feuille,
                source,
            )
            .map(|f| Lu::Nuances(entree.clone(), f)),
            None => {
                let tour = entree.scrutin.tour;
                let path = if entree.variantes == "ministere" {
                    let chosen = config.resultats[tour as usize - 1].as_deref();
                    fichiers::round_file(&config.raw_dir, tour, chosen)?
                } else {
                    config.raw_dir.join(&entree.fichier)
                };
                let sheet = if entree.feuille.is_empty() {
                    SheetChoice::First
                } else {
                    SheetChoice::Named(&entree.feuille)
                };
                elections::read(elections::RoundFile {
                    path: &path,
                    sheet,
                    // --encoding is about the Ministry's files it may name; others are detected.
                    encodage: if entree.variantes == "ministere" {
                        config.encodage
                    } else {
                        Encodage::Auto
                    },
                    annee: entree.scrutin.annee,
                    tour,
                    source,
                    national: (!entree.feuille_nationale.is_empty())
                        .then_some(entree.feuille_nationale.as_str()),
                })
                .and_then(check_level)
                .map(Lu::Candidats)
            }
        };
        log::debug!(
            "read and checked {} in {:?}",
            entree.fichier,
            started.elapsed()
        );
        read
    };
    let codes: Vec<String> = reference
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .map(|d| d.code.clone())
        .collect();
    let (rounds, chomage, socio, voisins) = std::thread::scope(|s| {
        let voisins = s.spawn(|| {
            let started = Instant::now();
            let path = config.raw_dir.join(geo::GEO_FILE);
            let read = geo::read_outlines(&path, &codes).and_then(|outlines| {
                let geometries = carte::geometries(&path, &outlines.outlines, outlines.owners)?;
                Ok((outlines.neighbours, geometries))
            });
            log::debug!(
                "read and checked {} in {:?}",
                geo::GEO_FILE,
                started.elapsed()
            );
            read
        });
        // Two files at a time beside the other readers: the machine has few cores.
        let rounds = s.spawn(|| {
            let mut lus = Vec::new();
            for paire in reference.manifeste.chunks(2) {
                let lus_paire: Vec<Result<Lu, EtlError>> = std::thread::scope(|t| {
                    let handles: Vec<_> = paire.iter().map(|e| t.spawn(|| round(e))).collect();
                    handles.into_iter().map(joined).collect()
                });
                lus.extend(lus_paire);
            }
            lus
        });
        let circonscriptions = s.spawn(|| {
            let started = Instant::now();
            let path = config.raw_dir.join(circonscriptions::GEO_FILE);
            let read = circonscriptions::read_outlines(&path, &reference).and_then(|outlines| {
                let geometries = carte::geometries(&path, &outlines.outlines, outlines.owners)?;
                Ok((outlines.neighbours, geometries))
            });
            log::debug!(
                "read and checked {} in {:?}",
                circonscriptions::GEO_FILE,
                started.elapsed()
            );
            read
        });
        let socio = s.spawn(|| socio::read(&config.raw_dir));
        let chomage = chomage::read(&config.raw_dir.join(CHOMAGE_FILE));
        (
            joined(rounds),
            chomage,
            joined(socio),
            (joined(voisins), joined(circonscriptions)),
        )
    });
    let (voisins, contours_circonscriptions) = voisins;
    let lus = rounds.into_iter().collect::<Result<Vec<_>, EtlError>>()?;
    let mut rounds = Vec::new();
    let mut par_nuance = Vec::new();
    for lu in lus {
        match lu {
            Lu::Candidats(f) => rounds.push(f),
            Lu::Nuances(e, f) => par_nuance.push((e, f)),
        }
    }
    let (chomage, socio, voisins) = (chomage?, socio?, voisins?);
    let contours_circonscriptions = contours_circonscriptions?;
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
    let rounds: Vec<&elections::ElectionFile> = rounds.iter().collect();
    let mut data = dataset::assemble(&reference, &rounds, &chomage, &socio)?;
    data.ecarts = legislatives::assemble(&reference, &par_nuance, &mut data)?;
    circonscriptions::assemble(&reference, &par_nuance, &mut data)?;
    circonscriptions::verifier_presidentielles(&reference, &par_nuance, &data)?;
    let (neighbours, geometries) = contours_circonscriptions;
    circonscriptions::geometries(neighbours, geometries, &mut data);
    let mut communes = Vec::new();
    for round in &rounds {
        if let Some(table) = communes::table(round, &reference)? {
            communes.push((communes::file_name(round.annee, round.tour), table));
        }
    }
    let (voisins, geometries) = voisins;
    data.contours = geometries
        .into_iter()
        .map(|g| db::models::Contour {
            departement_code: g.code,
            projection: g.projection.to_owned(),
            tolerance_m: g.tolerance,
            carte: g.carte,
            wgs84: g.wgs84,
            wgs84_simplifie: g.wgs84_simplifie,
        })
        .collect();
    data.contours
        .sort_by(|a, b| a.departement_code.cmp(&b.departement_code));
    data.voisins = voisins
        .into_iter()
        .map(|(departement_code, voisin_code)| db::models::Voisin {
            departement_code,
            voisin_code,
        })
        .collect();
    log::debug!("assembled the dataset in {:?}", step.elapsed());
    Ok((data, communes))
}

/// A file named after a level by the Ministry must hold that level (a polling-station
/// file saved under a département name would otherwise be read without notice).
fn check_level(file: elections::ElectionFile) -> Result<elections::ElectionFile, EtlError> {
    let name = file
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let describe = |n: Niveau| match n {
        Niveau::Departement => "by département ('dpt')",
        Niveau::Commune => "by commune ('subcom')",
        Niveau::Bureau => "by polling station ('burvot')",
    };
    match fichiers::niveau_du_nom(&name, file.tour) {
        Some(announced) if announced != file.niveau => Err(EtlError::Coverage {
            path: file.file.clone(),
            sheet: file.sheet.clone(),
            message: format!(
                "the name says results {} but the header's columns are those of results {}",
                describe(announced),
                describe(file.niveau)
            ),
        }),
        _ => Ok(file),
    }
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

/// Checks every output path before anything is read or written: none may be a folder (but
/// `--out-dir`), a device or FIFO, sit in a missing or read-only folder, repeat another
/// output, be an input named by a flag (`--resultats-t1`, `--resultats-t2`), or lie in the
/// raw or reference folder. Then locks the output folders against another run, finishes the
/// commit of a run killed during its renames, and removes the temporary files killed runs
/// left. The lock is held until the returned guard is dropped.
pub fn check_outputs(config: &Config) -> Result<db::outputs::Lock, EtlError> {
    let mut input_dirs = vec![config.raw_dir.as_path()];
    if let Some(reference) = &config.reference_dir {
        input_dirs.push(reference);
    }
    // A flag's file is a path, or a name in the raw folder: both are inputs.
    let in_raw: Vec<PathBuf> = config
        .resultats
        .iter()
        .flatten()
        .map(|p| config.raw_dir.join(p))
        .collect();
    let inputs: Vec<&Path> = config
        .resultats
        .iter()
        .flatten()
        .map(PathBuf::as_path)
        .chain(in_raw.iter().map(PathBuf::as_path))
        .collect();
    db::outputs::check(&config.targets.outputs(), &inputs, &input_dirs)?;
    let (lock, finished, removed) =
        db::outputs::claim(&config.targets.folders(), output::TEMP_PREFIX)?;
    if !finished.is_empty() {
        log::warn!(
            "finished the commit of an interrupted run: {} output(s) replaced",
            finished.len()
        );
    }
    if removed > 0 {
        log::info!("removed {removed} temporary file(s) of interrupted runs");
    }
    Ok(lock)
}

pub fn run(config: &Config) -> Result<Summary, EtlError> {
    let started = Instant::now();
    let _lock = check_outputs(config)?;
    let (data, communes) = read_inputs(config)?;
    // The CSV tables and the database are independent: build them side by side.
    let (csvs, database) = std::thread::scope(|s| {
        let database = s.spawn(|| output::build_database(&config.targets, &data));
        let csvs = csv_tables(&data, config.quarter);
        (csvs, joined(database))
    });
    let (mut csvs, (database, dump)) = (csvs?, database?);
    csvs.extend(communes);
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
            ("elections", data.elections.len()),
            ("candidats", data.candidats.len()),
            ("participations", data.participations.len()),
            ("resultats", data.resultats.len()),
            ("chomage", data.chomage.len()),
            ("indicateurs_socio", data.indicateurs_socio.len()),
            ("socio_economie", data.socio_economie.len()),
            ("voisins", data.voisins.len()),
            ("contours", data.contours.len()),
            ("nuances", data.nuances.len()),
            ("resultats_nuances", data.resultats_nuances.len()),
            ("sieges", data.sieges.len()),
            ("circonscriptions", data.circonscriptions.len()),
            (
                "participations_circonscriptions",
                data.participations_circonscriptions.len(),
            ),
            (
                "candidatures_circonscriptions",
                data.candidatures_circonscriptions.len(),
            ),
            (
                "contours_circonscriptions",
                data.contours_circonscriptions.len(),
            ),
            (
                "voisins_circonscriptions",
                data.voisins_circonscriptions.len(),
            ),
        ],
        sans_socio: data
            .indicateurs_socio
            .iter()
            .map(|i| {
                let codes = data
                    .socio_economie
                    .iter()
                    .filter(|v| v.indicateur == i.code && v.valeur.is_none())
                    .map(|v| v.departement_code.clone())
                    .collect();
                (i.code.clone(), codes)
            })
            .collect(),
        csv_rows,
        ecarts: data.ecarts.clone(),
        sans_chomage: data
            .sans_chomage(config.quarter)
            .iter()
            .map(|d| format!("{} ({})", d.code_election, d.nom))
            .collect(),
        elapsed: started.elapsed(),
    })
}
