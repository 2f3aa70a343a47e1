//! Writing the outputs so that a failed run leaves the previous ones untouched: every
//! output path is checked before the run reads anything, everything is written to temporary
//! files beside its target, and the targets are replaced together only once every file is
//! complete (see [`db::outputs`]).

use std::path::{Path, PathBuf};

use db::outputs::{self, Output, Staged};
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use tempfile::NamedTempFile;

use crate::dataset::Dataset;
use crate::error::EtlError;

/// Cleaned tables as (file name, CSV bytes).
pub type CsvFiles = Vec<(String, Vec<u8>)>;

#[derive(Debug, Clone)]
pub struct Targets {
    pub out_dir: PathBuf,
    pub database: PathBuf,
    pub dump: PathBuf,
}

/// Prefix of the temporary files of a run (removed by the next run when a run was killed).
pub const TEMP_PREFIX: &str = ".etl-";

impl Targets {
    /// The outputs, named by their command-line option.
    pub fn outputs(&self) -> Vec<Output<'_>> {
        vec![
            Output::dir("--out-dir", &self.out_dir),
            Output::file("--database", &self.database),
            Output::file("--dump", &self.dump),
        ]
    }

    /// The folders where this run writes temporary files.
    pub fn folders(&self) -> Vec<&Path> {
        vec![
            self.out_dir.as_path(),
            outputs::folder_of(&self.database),
            outputs::folder_of(&self.dump),
        ]
    }
}

fn temp_beside(target: &Path) -> Result<NamedTempFile, EtlError> {
    Ok(Staged::new(TEMP_PREFIX).temp_beside(target)?)
}

/// Inserts the dataset into a freshly migrated database.
pub fn load(conn: &mut SqliteConnection, data: &Dataset) -> Result<(), EtlError> {
    use db::schema::*;
    let step = std::time::Instant::now();
    db::migrate(conn)?;
    // Diesel records when each migration ran; record when it was written instead (its
    // version), so that the same inputs give the same database bytes.
    diesel::sql_query(
        "UPDATE __diesel_schema_migrations SET run_on = substr(version, 1, 4) || '-' || \
         substr(version, 5, 2) || '-' || substr(version, 7, 2) || ' ' || substr(version, 9, 2) \
         || ':' || substr(version, 11, 2) || ':' || substr(version, 13, 2)",
    )
    .execute(conn)?;
    log::debug!("created the schema in {:?}", step.elapsed());
    conn.transaction(|conn| {
        diesel::insert_into(regions::table)
            .values(&data.regions)
            .execute(conn)?;
        diesel::insert_into(departements::table)
            .values(&data.departements)
            .execute(conn)?;
        diesel::insert_into(familles::table)
            .values(&data.familles)
            .execute(conn)?;
        diesel::insert_into(elections::table)
            .values(&data.elections)
            .execute(conn)?;
        diesel::insert_into(candidats::table)
            .values(&data.candidats)
            .execute(conn)?;
        for row in &data.participations {
            diesel::insert_into(participations::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.resultats {
            diesel::insert_into(resultats::table)
                .values(row)
                .execute(conn)?;
        }
        // Row by row: one statement prepared once and reused (Diesel caches it) beats
        // multi-row VALUES, which SQLite compiles anew for every chunk.
        for row in &data.chomage {
            diesel::insert_into(chomage::table)
                .values(row)
                .execute(conn)?;
        }
        diesel::insert_into(indicateurs_socio::table)
            .values(&data.indicateurs_socio)
            .execute(conn)?;
        for row in &data.socio_economie {
            diesel::insert_into(socio_economie::table)
                .values(row)
                .execute(conn)?;
        }
        diesel::insert_into(voisins::table)
            .values(&data.voisins)
            .execute(conn)?;
        for row in &data.contours {
            diesel::insert_into(contours::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.nuances {
            diesel::insert_into(nuances::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.resultats_nuances {
            diesel::insert_into(resultats_nuances::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.sieges {
            diesel::insert_into(sieges::table)
                .values(row)
                .execute(conn)?;
        }
        diesel::insert_into(circonscriptions::table)
            .values(&data.circonscriptions)
            .execute(conn)?;
        for row in &data.participations_circonscriptions {
            diesel::insert_into(participations_circonscriptions::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.candidatures_circonscriptions {
            diesel::insert_into(candidatures_circonscriptions::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.contours_circonscriptions {
            diesel::insert_into(contours_circonscriptions::table)
                .values(row)
                .execute(conn)?;
        }
        for row in &data.voisins_circonscriptions {
            diesel::insert_into(voisins_circonscriptions::table)
                .values(row)
                .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(())
}

/// Writes the CSVs, the database and its dump; returns the dump's text.
/// The new database in a temporary file beside its target, and its dump.
pub fn build_database(
    targets: &Targets,
    data: &Dataset,
) -> Result<(NamedTempFile, String), EtlError> {
    let step = std::time::Instant::now();
    let database = temp_beside(&targets.database)?;
    let dump = {
        let mut conn = db::open_for_build(database.path())?;
        load(&mut conn, data)?;
        log::debug!("loaded the database in {:?}", step.elapsed());
        let step = std::time::Instant::now();
        let dump = db::dump_sql(&mut conn)?;
        log::debug!("dumped it in {:?}", step.elapsed());
        dump
    };
    database
        .as_file()
        .sync_all()
        .map_err(|e| EtlError::io(database.path(), e))?;
    Ok((database, dump))
}

/// Writes the CSV files and the dump to temporary files, then replaces every output
/// together: nothing is replaced unless everything was written.
pub fn commit(
    targets: &Targets,
    tables: &CsvFiles,
    database: NamedTempFile,
    dump: &str,
) -> Result<(), EtlError> {
    let csv_targets: Vec<PathBuf> = tables
        .iter()
        .map(|(name, _)| targets.out_dir.join(name))
        .collect();
    // The CSV names are known now: none may be the database or the dump.
    std::fs::create_dir_all(&targets.out_dir).map_err(|e| EtlError::io(&targets.out_dir, e))?;
    let mut all: Vec<Output<'_>> = csv_targets
        .iter()
        .map(|path| Output::file("--out-dir", path))
        .collect();
    all.push(Output::file("--database", &targets.database));
    all.push(Output::file("--dump", &targets.dump));
    outputs::check(&all, &[], &[])?;

    let mut staged = Staged::new(TEMP_PREFIX);
    for ((_, bytes), target) in tables.iter().zip(&csv_targets) {
        staged.write(target, bytes)?;
    }
    staged.write(&targets.dump, dump.as_bytes())?;
    staged.add(database, &targets.database)?;
    staged.commit()?;
    remove_stale_communes(&targets.out_dir, tables);
    Ok(())
}

/// A commune table left by an earlier run on commune or polling-station files would sit
/// beside département totals it no longer matches: it goes once this run has committed (a
/// failure to remove it is logged, the run's outputs being in place).
fn remove_stale_communes(out_dir: &Path, written: &CsvFiles) {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(crate::communes::PREFIX) && name.ends_with(".csv");
        if ours && !written.iter().any(|(n, _)| *n == name) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => log::info!("removed {name}: this run's results are by département"),
                Err(e) => log::warn!("could not remove the stale {name}: {e}"),
            }
        }
    }
}
