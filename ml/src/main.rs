use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use db::{Quarter, Snapshot};
use ml::evaluate::{Protocol, evaluate};
use ml::features::{self, FEATURES};
use ml::models::Algorithm;

/// Trains and evaluates the models that predict a département's leading political family
/// (round 1, 2022) and prints their cross-validated comparison.
#[derive(Parser, Debug)]
#[command(name = "ml", version)]
struct Args {
    /// SQLite database written by `etl`.
    #[arg(long, default_value = "elexxion.db")]
    database: PathBuf,
    /// Unemployment quarter of the features.
    #[arg(long, default_value = "2022-T3", value_parser = |s: &str| s.parse::<Quarter>())]
    quarter: Quarter,
    /// Comma-separated features.
    #[arg(long, default_value_t = FEATURES.join(","))]
    features: String,
    /// Folds of the stratified cross-validation.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Repeats of the cross-validation.
    #[arg(long, default_value_t = 10)]
    repeats: usize,
    /// Seed of every random choice (folds, forests, permutations).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Folder receiving the ML charts (ml_*.svg).
    #[arg(long, default_value = "images")]
    images: PathBuf,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), ml::MlError> {
    let started = Instant::now();
    let mut conn = db::open_read_only(&args.database)?;
    db::check_schema(&mut conn, &args.database)?;
    let snapshot = Snapshot::load(&mut conn)?;
    let chosen: Vec<String> = args
        .features
        .split(',')
        .map(|f| f.trim().to_owned())
        .collect();
    let data = features::build(&snapshot, &chosen, args.quarter)?;
    let protocol = Protocol {
        folds: args.folds,
        repeats: args.repeats,
        seed: args.seed,
        ..Protocol::default()
    };
    println!(
        "{} samples, classes {:?}, left out: {}",
        data.y.len(),
        data.classes,
        data.exclus.join(", ")
    );
    println!(
        "{:<24} {:>17} {:>9} {:>9} {:>14} {:>8}",
        "model", "accuracy (CV)", "macro-F1", "AUC", "hold-out test", "time"
    );
    let mut evaluations = Vec::new();
    for algorithm in Algorithm::ALL {
        let t = Instant::now();
        let e = evaluate(algorithm, &data, &protocol)?;
        println!(
            "{:<24} {:>8.3} ± {:<6.3} {:>9.3} {:>9.3} {:>14.3} {:>7.2}s",
            e.id,
            e.accuracy_moyenne,
            e.accuracy_ecart_type,
            e.macro_f1,
            e.auc_macro,
            e.holdout.accuracy_test,
            t.elapsed().as_secs_f64()
        );
        evaluations.push(e);
    }
    std::fs::create_dir_all(&args.images).map_err(|source| ml::MlError::Io {
        path: args.images.display().to_string(),
        source,
    })?;
    for (name, svg) in ml::report::charts(&evaluations)? {
        let path = args.images.join(name);
        std::fs::write(&path, svg).map_err(|source| ml::MlError::Io {
            path: path.display().to_string(),
            source,
        })?;
        println!("wrote {}", path.display());
    }
    println!("done in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}
