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
        .batch_execute("DELETE FROM modeles; DELETE FROM previsions;")
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
    // 3 tasks × 2 targets × (7 models + 2 rule baselines).
    assert_eq!(
        outcome.previsions.len(),
        3 * 2 * (ml::models::Algorithm::ALL.len() + 2)
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

/// On the real data, every task's training rows come from its training cycles only and its
/// test rows from the test cycle only; every test row is a constituency of the test cycle,
/// once, and the forecast served covers exactly those rows.
#[test]
fn the_forecast_split_keeps_the_test_election_out_of_training() {
    let out = tempfile::tempdir().unwrap();
    let database = out.path().join("elexxion.db");
    let committed = std::fs::read_to_string(workspace().join("dump.sql")).unwrap();
    db::restore_from_dump(&database, &committed).unwrap();
    let snapshot = db::Snapshot::load(&mut db::open(&database).unwrap()).unwrap();
    for tache in ml::prevision::taches() {
        let d = ml::prevision::donnees(&snapshot, &tache).unwrap();
        assert!(!tache.entrainement.contains(&tache.test), "{}", tache.id);
        assert!(
            d.train
                .iter()
                .all(|l| tache.entrainement.contains(&l.cycle))
        );
        assert!(d.test.iter().all(|l| l.cycle == tache.test));
        let mut codes: Vec<&str> = d.test.iter().map(|l| l.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), d.test.len());
        assert!(d.test.len() > 540, "{}: {}", tache.id, d.test.len());
        assert_eq!(d.test.len() + d.exclus.len(), 577);
        // The stored results forecast exactly the test rows.
        for row in snapshot.previsions.iter().filter(|p| p.tache == tache.id) {
            let r: ml::prevision::Resultat = serde_json::from_str(&row.resultat).unwrap();
            let served: Vec<&str> = r.previsions.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(served, codes, "{}", row.id);
            assert_eq!(r.n_entrainement, d.train.len());
        }
    }
}
