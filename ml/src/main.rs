use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use db::Quarter;
use ml::evaluate::Protocol;
use ml::features::jeux;
use ml::pipeline::{Config, run};

/// Trains and evaluates the models that predict a département's leading political family
/// (round 1, 2022), stores them with their metrics in the database, rewrites dump.sql and
/// draws the ML charts. Run it after `etl`.
#[derive(Parser, Debug)]
#[command(name = "ml", version)]
struct Args {
    /// SQLite database written by `etl` (its `modeles` table is replaced).
    #[arg(long, default_value = "elexxion.db")]
    database: PathBuf,
    /// SQL dump rewritten after the models are stored.
    #[arg(long, default_value = "dump.sql")]
    dump: PathBuf,
    /// Folder receiving the ML charts (ml_*.svg).
    #[arg(long, default_value = "images")]
    images: PathBuf,
    /// Unemployment quarter of the features.
    #[arg(long, default_value = "2022-T3", value_parser = |s: &str| s.parse::<Quarter>())]
    quarter: Quarter,
    /// Comma-separated feature sets to train every model on (the first one alone is
    /// exported by --export-dataset).
    #[arg(long, default_value_t = jeux().iter().map(|j| j.id).collect::<Vec<_>>().join(","))]
    jeux: String,
    /// Folds of the stratified cross-validation: at least 2, at most the samples of the
    /// smallest class.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..))]
    folds: u16,
    /// Repeats of the cross-validation, at least 1.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    repeats: u16,
    /// Seed of every random choice (folds, forests, permutations).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Only write the samples and the folds of the protocol to this CSV (to compare with
    /// another toolkit on the same splits), then stop; nothing else is written.
    #[arg(long)]
    export_dataset: Option<PathBuf>,
    /// Only write the constituency forecast's rows (one CSV per task: training and test
    /// rows, features, both targets) into this existing folder, then stop.
    #[arg(long)]
    export_previsions: Option<PathBuf>,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    let config = Config {
        database: args.database.clone(),
        dump: args.dump.clone(),
        images: args.images.clone(),
        quarter: args.quarter,
        jeux: match args
            .jeux
            .split(',')
            .map(|id| {
                ml::features::jeu(id.trim()).ok_or_else(|| {
                    let known: Vec<&str> = jeux().iter().map(|j| j.id).collect();
                    format!("unknown feature set '{id}'; known: {}", known.join(", "))
                })
            })
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(jeux) => jeux,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        },
        protocol: Protocol {
            folds: usize::from(args.folds),
            repeats: usize::from(args.repeats),
            seed: args.seed,
            ..Protocol::default()
        },
    };
    if let Some(dir) = &args.export_previsions {
        return match ml::pipeline::export_previsions(&config, dir) {
            Ok(files) => {
                for f in files {
                    println!("wrote {}", f.display());
                }
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(path) = &args.export_dataset {
        return match ml::pipeline::export_dataset(&config, path) {
            Ok(n) => {
                println!("wrote {n} samples and their folds to {}", path.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let outcome = match run(&config) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for data in &outcome.data {
        println!(
            "{}: {} features, {} samples, classes {}, left out: {}",
            data.jeu,
            data.features.len(),
            data.y.len(),
            data.classes.join(", "),
            data.exclus.join(", ")
        );
    }
    println!(
        "{:<54} {:>17} {:>9} {:>9} {:>14} {:>8}",
        "model", "accuracy (CV)", "macro-F1", "AUC", "hold-out test", "time"
    );
    for (e, time) in &outcome.evaluations {
        println!(
            "{:<54} {:>8.3} ± {:<6.3} {:>9.3} {:>9.3} {:>14.3} {:>7.2}s",
            e.id,
            e.accuracy_moyenne,
            e.accuracy_ecart_type,
            e.macro_f1,
            e.auc_macro,
            e.holdout.accuracy_test,
            time.as_secs_f64()
        );
    }
    for e in &outcome.lags_sans_plis {
        let dans_plis = outcome
            .evaluations
            .iter()
            .find(|(d, _)| d.id == e.id)
            .map(|(d, _)| d);
        if let Some(d) = dans_plis {
            println!(
                "{}: spatial lags inside the folds {:.3} ± {:.3}; from every département (test folds included) {:.3} ± {:.3}",
                e.id,
                d.accuracy_moyenne,
                d.accuracy_ecart_type,
                e.accuracy_moyenne,
                e.accuracy_ecart_type
            );
        }
    }
    println!(
        "\nconstituency forecast (test election never seen in training or tuning)\n{:<26} {:<8} {:<26} {:>8} {:>15} {:>8} {:>8} {:>22} {:>9}",
        "task",
        "target",
        "model",
        "accuracy",
        "95 % interval",
        "macro-F1",
        "log-loss",
        "vs presidential (95 %)",
        "inner CV"
    );
    for r in &outcome.previsions {
        println!(
            "{:<26} {:<8} {:<26} {:>8.3} {:>15} {:>8.3} {:>8} {:>22} {:>9}{}",
            r.tache,
            r.cible.id(),
            r.modele,
            r.accuracy,
            format!("[{:.3}, {:.3}]", r.accuracy_ic.0, r.accuracy_ic.1),
            r.macro_f1,
            r.log_loss.map_or("-".to_owned(), |l| format!("{l:.3}")),
            format!(
                "{:+.3} [{:+.3}, {:+.3}]",
                r.ecart_presidentielle, r.ecart_presidentielle_ic.0, r.ecart_presidentielle_ic.1
            ),
            r.accuracy_validation
                .map_or("-".to_owned(), |a| format!("{a:.3}")),
            if r.retenu { "  *chosen" } else { "" }
        );
    }
    for file in &outcome.files {
        println!("wrote {}", file.display());
    }
    println!("done in {:.2} s", outcome.elapsed.as_secs_f64());
    ExitCode::SUCCESS
}
