use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use etl::chomage::Quarter;
use etl::output::Targets;
use etl::sources::Encodage;

/// Turns the raw 2022 and 2017 presidential results, INSEE unemployment rates and INSEE
/// socio-economic indicators into validated tables (data_clean/), a SQLite database and a
/// deterministic dump.sql.
///
/// Nothing is written unless every input passes validation; outputs are replaced atomically.
#[derive(Parser, Debug)]
#[command(name = "etl", version)]
struct Args {
    /// Folder holding the raw files, with the 2017 and INSEE ones in its enrichment/ folder
    /// (see data_raw/README.md for where to get them).
    #[arg(long, default_value = "data_raw")]
    raw_dir: PathBuf,
    /// Folder receiving the cleaned CSV tables.
    #[arg(long, default_value = "data_clean")]
    out_dir: PathBuf,
    /// SQLite database to (re)build.
    #[arg(long, default_value = "elexxion.db")]
    database: PathBuf,
    /// SQL dump of the database (schema and data), deterministic.
    #[arg(long, default_value = "dump.sql")]
    dump: PathBuf,
    /// Unemployment quarter of the chomage_YYYY_Tn.csv and table_finale*.csv tables.
    #[arg(long, default_value = "2022-T3", value_parser = |s: &str| s.parse::<Quarter>())]
    quarter: Quarter,
    /// Folder with edited reference CSVs (regions, departements, familles, elections,
    /// candidats, candidats_2017, indicateurs_socio); by default the ones under
    /// etl/reference/ compiled into the binary.
    #[arg(long)]
    reference_dir: Option<PathBuf>,
    /// The 2022 round-1 results file, when the raw folder holds more than one of the
    /// Ministry's names resultats-par-niveau-{dpt|subcom|burvot}-t1-france-entiere.{xlsx|txt|csv}
    /// (a path, or a name in the raw folder).
    #[arg(long)]
    resultats_t1: Option<PathBuf>,
    /// The same for round 2.
    #[arg(long)]
    resultats_t2: Option<PathBuf>,
    /// Encoding of text results files: auto (UTF-8 when the header is valid UTF-8, else
    /// Latin-1), utf-8 or latin1.
    #[arg(long, default_value = "auto", value_parser = |s: &str| s.parse::<Encodage>())]
    encoding: Encodage,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    let config = etl::Config {
        raw_dir: args.raw_dir,
        reference_dir: args.reference_dir,
        targets: Targets {
            out_dir: args.out_dir,
            database: args.database,
            dump: args.dump,
        },
        quarter: args.quarter,
        resultats: [args.resultats_t1, args.resultats_t2],
        encodage: args.encoding,
    };
    match etl::run(&config) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", etl::error::imprimable(&error.to_string()));
            eprintln!("no output was changed");
            ExitCode::FAILURE
        }
    }
}
