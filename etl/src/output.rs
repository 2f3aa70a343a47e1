//! Writing the outputs so that a failed run leaves the previous ones untouched:
//! everything is first written to temporary files beside its target, and the
//! targets are replaced by renames only once every file is complete.

use std::io::Write as _;
use std::path::{Path, PathBuf};

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

fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn temp_beside(target: &Path) -> Result<NamedTempFile, EtlError> {
    let dir = dir_of(target);
    std::fs::create_dir_all(dir).map_err(|e| EtlError::io(dir, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".etl-");
    // Outputs are meant to be read by others: not the 0600 of temporary files.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder.tempfile_in(dir).map_err(|e| EtlError::io(dir, e))
}

fn temp_with(target: &Path, bytes: &[u8]) -> Result<NamedTempFile, EtlError> {
    let mut file = temp_beside(target)?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| EtlError::io(file.path(), e))?;
    Ok(file)
}

/// Inserts the dataset into a freshly migrated database.
pub fn load(conn: &mut SqliteConnection, data: &Dataset) -> Result<(), EtlError> {
    use db::schema::*;
    let step = std::time::Instant::now();
    db::migrate(conn)?;
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

/// Writes the CSV files and the dump to temporary files, then renames every output into
/// place: nothing is replaced unless everything was written.
pub fn commit(
    targets: &Targets,
    tables: &CsvFiles,
    database: NamedTempFile,
    dump: &str,
) -> Result<(), EtlError> {
    let dump_file = temp_with(&targets.dump, dump.as_bytes())?;
    let csv_files = tables
        .iter()
        .map(|(name, bytes)| {
            let target = targets.out_dir.join(name);
            temp_with(&target, bytes).map(|tmp| (tmp, target))
        })
        .collect::<Result<Vec<_>, _>>()?;

    for (tmp, target) in csv_files {
        persist(tmp, &target)?;
    }
    persist(dump_file, &targets.dump)?;
    persist(database, &targets.database)?;
    Ok(())
}

fn persist(tmp: NamedTempFile, target: &Path) -> Result<(), EtlError> {
    tmp.persist(target)
        .map_err(|e| EtlError::io(target, e.error))?;
    Ok(())
}
