//! `ml` on the committed data reproduces the committed dump.sql and ML charts byte for byte.
//! The committed dump is `etl`'s output (checked against the real raw files by
//! `etl/tests/real_data.rs`) plus the `modeles` rows: here the models are removed and `ml`
//! must write them back identically, from the committed data alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use db::Quarter;
use diesel::connection::SimpleConnection;
use ml::evaluate::Protocol;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn ml_on_the_committed_data_reproduces_the_committed_dump_and_charts() {
    let out = tempfile::tempdir().unwrap();
    let database = out.path().join("elexxion.db");
    let dump = out.path().join("dump.sql");
    let committed = std::fs::read_to_string(workspace().join("dump.sql")).unwrap();
    db::restore_from_dump(&database, &committed).unwrap();
    db::open(&database)
        .unwrap()
        .batch_execute("DELETE FROM modeles;")
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
    assert_eq!(
        outcome.evaluations.len(),
        4 * ml::models::Algorithm::ALL.len()
    );
    let fresh = std::fs::read_to_string(&dump).unwrap();
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
