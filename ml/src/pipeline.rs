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
    pub files: Vec<PathBuf>,
    pub elapsed: Duration,
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> MlError + '_ {
    move |source| MlError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, MlError> {
    serde_json::to_string(value).map_err(|e| MlError::Model(e.to_string()))
}

/// The database row of an evaluated model refit on every sample.
pub fn row(evaluation: &Evaluation, model: &Model) -> Result<Modele, MlError> {
    Ok(Modele {
        id: evaluation.id.clone(),
        algorithme: format!("{:?}", evaluation.algorithme),
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

pub fn run(config: &Config) -> Result<Outcome, MlError> {
    let started = Instant::now();
    let mut conn = db::open(&config.database)?;
    db::check_schema(&mut conn, &config.database)?;
    let snapshot = Snapshot::load(&mut conn)?;
    let mut evaluations = Vec::new();
    let mut rows = Vec::new();
    let mut datasets = Vec::new();
    for jeu in &config.jeux {
        let data = features::build(&snapshot, jeu, config.quarter)?;
        for algorithm in Algorithm::ALL {
            let t = Instant::now();
            let evaluation = evaluate(algorithm, &data, &config.protocol)?;
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
        datasets.push(data);
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    conn.transaction(|conn| {
        diesel::delete(db::schema::modeles::table).execute(conn)?;
        diesel::insert_into(db::schema::modeles::table)
            .values(&rows)
            .execute(conn)?;
        Ok::<_, diesel::result::Error>(())
    })
    .map_err(db::DbError::from)?;

    let dump = db::dump_sql(&mut conn)?;
    let dir = config
        .dump
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ml-");
    // The dump is meant to be read by others: not the 0600 of temporary files.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(io(dir))?;
    std::io::Write::write_all(&mut tmp, dump.as_bytes()).map_err(io(&config.dump))?;
    tmp.persist(&config.dump).map_err(|e| MlError::Io {
        path: config.dump.display().to_string(),
        source: e.error,
    })?;

    std::fs::create_dir_all(&config.images).map_err(io(&config.images))?;
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
        std::fs::write(&path, svg).map_err(io(&path))?;
        files.push(path);
    }
    Ok(Outcome {
        data: datasets,
        evaluations,
        files,
        elapsed: started.elapsed(),
    })
}

/// Writes the samples and the exact folds of `config.protocol` as CSV, for comparing with
/// another toolkit on the same splits: `code`, the features, `classe`, then for each repeat
/// `pli_r<k>` (the fold where the sample is tested) and `holdout` (`train` or `test`).
/// Reads the database only.
pub fn export_dataset(config: &Config, path: &std::path::Path) -> Result<usize, MlError> {
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
    std::fs::write(path, out).map_err(io(path))?;
    Ok(data.y.len())
}
