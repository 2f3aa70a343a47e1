//! The `ml` run: evaluate every model, refit each on all samples, store them with their
//! metrics in the database (`modeles`), rewrite `dump.sql`, draw the ML charts.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use db::models::Modele;
use db::{Quarter, Snapshot};
use diesel::prelude::*;

use crate::MlError;
use crate::evaluate::{Evaluation, Protocol, evaluate};
use crate::features::{self, Dataset, Jeu};
use crate::models::{Algorithm, Model};

#[derive(Debug, Clone)]
pub struct Config {
    pub database: PathBuf,
    pub dump: PathBuf,
    pub images: PathBuf,
    pub quarter: Quarter,
    /// The feature sets to train every model on, in order.
    pub jeux: Vec<Jeu>,
    pub protocol: Protocol,
}

pub struct Outcome {
    /// The samples of each feature set.
    pub data: Vec<Dataset>,
    /// Each evaluation with its wall time.
    pub evaluations: Vec<(Evaluation, Duration)>,
    /// For a feature set with spatial lags, the logistic regression evaluated once more with
    /// the lags of every département (test folds included): does computing them inside the
    /// folds matter? Printed, not stored.
    pub lags_sans_plis: Vec<Evaluation>,
    /// The constituency forecast: every task, target, model and baseline.
    pub previsions: Vec<crate::prevision::Resultat>,
    pub files: Vec<PathBuf>,
    pub elapsed: Duration,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, MlError> {
    serde_json::to_string(value).map_err(|e| MlError::Model(e.to_string()))
}

/// The database row of an evaluated model refit on every sample.
pub fn row(evaluation: &Evaluation, model: &Model) -> Result<Modele, MlError> {
    Ok(Modele {
        id: evaluation.id.clone(),
        algorithme: evaluation.algorithme.id().to_owned(),
        libelle: evaluation.algorithme.libelle().to_owned(),
        trimestre: evaluation.trimestre.clone(),
        features: evaluation.features.join(","),
        classes: evaluation.classes.join(","),
        n_echantillons: i32::try_from(evaluation.n_echantillons).unwrap_or(i32::MAX),
        accuracy_moyenne: evaluation.accuracy_moyenne,
        accuracy_ecart_type: evaluation.accuracy_ecart_type,
        macro_f1: evaluation.macro_f1,
        auc_macro: evaluation.auc_macro,
        holdout_accuracy_test: evaluation.holdout.accuracy_test,
        evaluation: json(evaluation)?,
        artefact: json(model)?,
        jeu_features: evaluation.jeu_features.clone(),
    })
}

/// The database row of a forecast result.
pub fn prevision_row(r: &crate::prevision::Resultat) -> Result<db::models::Prevision, MlError> {
    Ok(db::models::Prevision {
        id: format!("{}__{}__{}", r.tache, r.cible.id(), r.modele),
        tache: r.tache.clone(),
        cible: r.cible.id().to_owned(),
        modele: r.modele.clone(),
        genre: r.genre.clone(),
        libelle: r.libelle.clone(),
        test: r.test.clone(),
        n_test: i32::try_from(r.n_test).unwrap_or(i32::MAX),
        accuracy: r.accuracy,
        accuracy_ic_bas: r.accuracy_ic.0,
        accuracy_ic_haut: r.accuracy_ic.1,
        macro_f1: r.macro_f1,
        log_loss: r.log_loss,
        ecart_presidentielle: r.ecart_presidentielle,
        retenu: r.retenu,
        resultat: json(r)?,
    })
}

/// Prefix of the temporary files of a run (removed by the next run when a run was killed).
pub const TEMP_PREFIX: &str = ".ml-";

/// Checks the output paths before anything is read or written: the database must exist,
/// the dump may not be the database nor a folder nor in a missing or read-only folder, the
/// images folder may not be a file. Then locks the output folders against another run,
/// finishes the commit of a run killed during its renames and removes the temporary files
/// killed runs left; the lock is held until the returned guard is dropped.
pub fn check_outputs(config: &Config) -> Result<db::outputs::Lock, MlError> {
    use db::outputs::Output;
    if !config.database.is_file() {
        return Err(db::DbError::Missing {
            path: config.database.display().to_string(),
        }
        .into());
    }
    let outputs = [
        Output::file("--database", &config.database),
        Output::file("--dump", &config.dump),
        Output::dir("--images", &config.images),
    ];
    db::outputs::check(&outputs, &[], &[])?;
    let folders = [
        db::outputs::folder_of(&config.database),
        db::outputs::folder_of(&config.dump),
        config.images.as_path(),
    ];
    let (lock, _, _) = db::outputs::claim(&folders, TEMP_PREFIX)?;
    Ok(lock)
}

/// The folds must each hold every class: at most as many folds as the smallest class has
/// samples.
fn check_folds(data: &Dataset, protocol: &Protocol) -> Result<(), MlError> {
    let smallest = (0..data.classes.len())
        .map(|c| (data.y.iter().filter(|y| **y == c).count(), c))
        .min();
    if let Some((count, class)) = smallest
        && protocol.folds > count
    {
        return Err(MlError::Feature(format!(
            "--folds {} is more than the {count} samples of the smallest class ('{}', feature set {}): use at most {count}",
            protocol.folds, data.classes[class], data.jeu
        )));
    }
    Ok(())
}

pub fn run(config: &Config) -> Result<Outcome, MlError> {
    let started = Instant::now();
    let _lock = check_outputs(config)?;
    let classify = |e: db::DbError| match e {
        db::DbError::Query(e) => db::classify(&config.database, e),
        other => other,
    };
    // Read through a read-only connection: the database is replaced, not written in place.
    let mut conn = db::open_read_only(&config.database)?;
    db::check_schema(&mut conn, &config.database)?;
    let snapshot = Snapshot::load(&mut conn).map_err(classify)?;
    let mut evaluations = Vec::new();
    let mut rows = Vec::new();
    let mut datasets = Vec::new();
    let mut lags_sans_plis = Vec::new();
    for jeu in &config.jeux {
        let data = features::build(&snapshot, jeu, config.quarter)?;
        check_folds(&data, &config.protocol)?;
        datasets.push(data);
    }
    for data in &datasets {
        for algorithm in Algorithm::ALL {
            let t = Instant::now();
            let evaluation = evaluate(algorithm, data, &config.protocol)?;
            let model = Model::fit(
                algorithm,
                &data.x,
                &data.y,
                data.classes.len(),
                config.protocol.seed,
            )?;
            rows.push(row(&evaluation, &model)?);
            evaluations.push((evaluation, t.elapsed()));
        }
        if !data.lags.is_empty() {
            // Does computing the lags inside each fold matter? The default model once more
            // with the lags of every département (test folds included), for the log only.
            let mut fuite = data.clone();
            fuite.lags.clear();
            let algorithm = Algorithm::Logistique;
            let avec_fuite = evaluate(algorithm, &fuite, &config.protocol)?;
            lags_sans_plis.push(avec_fuite);
        }
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let previsions = crate::prevision::tout(&snapshot, config.protocol.seed)?;
    let mut prevision_rows = previsions
        .iter()
        .map(prevision_row)
        .collect::<Result<Vec<_>, _>>()?;
    prevision_rows.sort_by(|a, b| a.id.cmp(&b.id));

    // Every output goes to a temporary file first: the database is copied (a consistent
    // copy, made by SQLite) and the models stored in the copy.
    let mut staged = db::outputs::Staged::new(TEMP_PREFIX);
    let copy = staged.temp_beside(&config.database)?;
    let copy_path = copy.path().display().to_string().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{copy_path}'"))
        .execute(&mut conn)
        .map_err(|e| classify(db::DbError::Query(e)))?;
    drop(conn);
    let dump = {
        let mut conn = db::open_for_build(copy.path())?;
        conn.transaction(|conn| {
            diesel::delete(db::schema::modeles::table).execute(conn)?;
            diesel::insert_into(db::schema::modeles::table)
                .values(&rows)
                .execute(conn)?;
            diesel::delete(db::schema::previsions::table).execute(conn)?;
            diesel::insert_into(db::schema::previsions::table)
                .values(&prevision_rows)
                .execute(conn)?;
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(db::DbError::from)?;
        db::dump_sql(&mut conn)?
    };
    staged.add(copy, &config.database)?;
    staged.write(&config.dump, dump.as_bytes())?;

    // The charts show the models of the feature set holding the best model overall (the one
    // `/predict` uses by default).
    let all: Vec<Evaluation> = evaluations.iter().map(|(e, _)| e.clone()).collect();
    let best_set = crate::report::best(&all).map(|e| e.jeu_features.clone());
    let only: Vec<Evaluation> = all
        .into_iter()
        .filter(|e| Some(&e.jeu_features) == best_set.as_ref())
        .collect();
    let mut files = vec![config.dump.clone()];
    for (name, svg) in crate::report::charts(&only)? {
        let path = config.images.join(name);
        staged.write(&path, svg.as_bytes())?;
        files.push(path);
    }
    staged.commit()?;
    Ok(Outcome {
        data: datasets,
        evaluations,
        lags_sans_plis,
        previsions,
        files,
        elapsed: started.elapsed(),
    })
}

/// Writes the samples and the exact folds of `config.protocol` as CSV, for comparing with
/// another toolkit on the same splits: `code`, the features, `classe`, then for each repeat
/// `pli_r<k>` (the fold where the sample is tested) and `holdout` (`train` or `test`).
/// Reads the database only.
pub fn export_dataset(config: &Config, path: &std::path::Path) -> Result<usize, MlError> {
    // The export is an output like the others: never the database it reads, never a device.
    db::outputs::check(
        &[db::outputs::Output::file("--export-dataset", path)],
        &[config.database.as_path()],
        &[],
    )?;
    let mut conn = db::open_read_only(&config.database)?;
    db::check_schema(&mut conn, &config.database)?;
    let snapshot = Snapshot::load(&mut conn)?;
    let jeu = config
        .jeux
        .first()
        .ok_or_else(|| MlError::Feature("no feature set chosen".into()))?;
    let data = features::build(&snapshot, jeu, config.quarter)?;
    let p = &config.protocol;
    let rounds = crate::folds::repeated_stratified_k_fold(&data.y, p.folds, p.repeats, p.seed);
    let mut fold_of = vec![vec![0usize; data.y.len()]; rounds.len()];
    for (r, splits) in rounds.iter().enumerate() {
        for (f, split) in splits.iter().enumerate() {
            for &i in &split.test {
                fold_of[r][i] = f;
            }
        }
    }
    let holdout = crate::folds::stratified_holdout(&data.y, p.test_fraction, p.seed);
    let mut out = String::from("code,");
    out.push_str(&data.features.join(","));
    out.push_str(",classe");
    for r in 0..rounds.len() {
        out.push_str(&format!(",pli_r{r}"));
    }
    out.push_str(",holdout\n");
    for (i, code) in data.codes.iter().enumerate() {
        out.push_str(code);
        for v in &data.x[i] {
            out.push_str(&format!(",{v}"));
        }
        out.push_str(&format!(",{}", data.classes[data.y[i]]));
        for folds in &fold_of {
            out.push_str(&format!(",{}", folds[i]));
        }
        let side = if holdout.test.contains(&i) {
            "test"
        } else {
            "train"
        };
        out.push_str(&format!(",{side}\n"));
    }
    let _lock = db::outputs::lock(&[db::outputs::folder_of(path)])?;
    let mut staged = db::outputs::Staged::new(TEMP_PREFIX);
    staged.write(path, out.as_bytes())?;
    staged.commit()?;
    Ok(data.y.len())
}

/// Writes, for each forecast task, its rows as `<dir>/<tache>.csv`: `code`, `cycle`, `role`
/// (`train` or `test`), the features, then both targets (`tete_t1`, `siege`); to fit another
/// toolkit on the same split. Reads the database only; returns the files written.
pub fn export_previsions(config: &Config, dir: &std::path::Path) -> Result<Vec<PathBuf>, MlError> {
    if !dir.is_dir() {
        return Err(MlError::Io {
            path: dir.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        });
    }
    let mut conn = db::open_read_only(&config.database)?;
    db::check_schema(&mut conn, &config.database)?;
    let snapshot = Snapshot::load(&mut conn)?;
    let _lock = db::outputs::lock(&[dir])?;
    let mut staged = db::outputs::Staged::new(TEMP_PREFIX);
    let mut files = Vec::new();
    for tache in crate::prevision::taches() {
        let d = crate::prevision::donnees(&snapshot, &tache)?;
        let mut out = format!("code,cycle,role,{},tete_t1,siege\n", d.features.join(","));
        for (role, rows) in [("train", &d.train), ("test", &d.test)] {
            for l in rows {
                out.push_str(&format!("{},{},{role}", l.code, l.cycle));
                for v in &l.x {
                    out.push_str(&format!(",{v}"));
                }
                out.push_str(&format!(",{},{}\n", l.tete_t1, l.siege));
            }
        }
        let path = dir.join(format!("{}.csv", tache.id));
        staged.write(&path, out.as_bytes())?;
        files.push(path);
    }
    staged.commit()?;
    Ok(files)
}
