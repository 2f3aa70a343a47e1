//! The whole offline pipeline on the real raw files, `etl` then `ml`, reproduces the committed
//! dump.sql and ML charts byte for byte (ignored by default: a fresh clone lacks the raw files;
//! `.ci/run` runs it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use db::Quarter;
use ml::evaluate::Protocol;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn raw_dir() -> PathBuf {
    let local = workspace().join("data_raw");
    if local.join(etl::pipeline::T1_FILE).is_file() {
        local
    } else {
        workspace().join("../shared/data_raw")
    }
}

#[test]
#[ignore = "needs the real raw files in data_raw/ or ../shared/data_raw/"]
fn etl_then_ml_reproduce_the_committed_dump_and_charts() {
    let out = tempfile::tempdir().unwrap();
    let database = out.path().join("elexxion.db");
    let dump = out.path().join("dump.sql");
    etl::run(&etl::Config {
        raw_dir: raw_dir(),
        reference_dir: None,
        targets: etl::output::Targets {
            out_dir: out.path().join("data_clean"),
            database: database.clone(),
            dump: dump.clone(),
        },
        quarter: Quarter::new(2022, 3),
    })
    .unwrap();
    let images = out.path().join("images");
    let outcome = ml::pipeline::run(&ml::pipeline::Config {
        database,
        dump: dump.clone(),
        images: images.clone(),
        quarter: Quarter::new(2022, 3),
        jeux: ml::features::jeux(),
        protocol: Protocol::default(),
    })
    .unwrap();
    assert_eq!(outcome.evaluations.len(), 18);
    let fresh = std::fs::read(&dump).unwrap();
    let committed = std::fs::read(workspace().join("dump.sql")).unwrap_or_default();
    assert!(
        fresh == committed,
        "dump.sql is stale: rerun `cargo run --release -p etl && cargo run --release -p ml`"
    );
    for name in [
        "ml_accuracy_comparison.svg",
        "ml_confusion_matrices.svg",
        "ml_feature_importance.svg",
        "ml_roc_curves.svg",
    ] {
        let fresh = std::fs::read(images.join(name)).unwrap();
        let committed = std::fs::read(workspace().join("images").join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "images/{name} is stale: rerun `cargo run --release -p ml`"
        );
    }
}
