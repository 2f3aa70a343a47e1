//! Features and evaluation on the committed database dump.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use db::{Quarter, Snapshot};
use ml::evaluate::{Protocol, evaluate};
use ml::features::{self, FEATURES};
use ml::models::Algorithm;

fn snapshot() -> (tempfile::TempDir, Snapshot) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ml.db");
    db::restore_from_dump(&path, include_str!("../../dump.sql")).unwrap();
    let snapshot = Snapshot::load(&mut db::open_read_only(&path).unwrap()).unwrap();
    (dir, snapshot)
}

fn all_features() -> Vec<String> {
    FEATURES.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn samples_are_the_departements_with_every_feature() {
    let (_dir, snapshot) = snapshot();
    let data = features::build(&snapshot, &all_features(), Quarter::new(2022, 3)).unwrap();
    // INSEE's overseas series start in 2014: no 10-year mean; Mayotte has no series.
    assert_eq!(data.exclus, ["971", "972", "973", "974", "976"]);
    assert_eq!(data.y.len(), 96);
    assert_eq!(data.classes, ["gauche", "centre", "extreme_droite"]);
    let nord = data.codes.iter().position(|c| c == "59").unwrap();
    let rate = snapshot.taux_chomage("59", Quarter::new(2022, 3)).unwrap();
    assert_eq!(data.x[nord][0], rate);
    let five_years_before = snapshot.taux_chomage("59", Quarter::new(2017, 3)).unwrap();
    assert!((data.x[nord][5] - (rate - five_years_before)).abs() < 1e-12);

    // Without the long-run features the overseas départements come back.
    let short: Vec<String> = vec!["taux_chomage".into(), "taux_abstention".into()];
    let data = features::build(&snapshot, &short, Quarter::new(2022, 3)).unwrap();
    assert_eq!(data.exclus, ["976"]);
    assert!(features::build(&snapshot, &["revenu".to_owned()], Quarter::new(2022, 3)).is_err());
}

#[test]
fn same_seed_same_metrics() {
    let (_dir, snapshot) = snapshot();
    let data = features::build(&snapshot, &all_features(), Quarter::new(2022, 3)).unwrap();
    let protocol = Protocol {
        repeats: 2,
        ..Protocol::default()
    };
    for algorithm in [Algorithm::Majorite, Algorithm::Logistique, Algorithm::Foret] {
        let a = evaluate(algorithm, &data, &protocol).unwrap();
        let b = evaluate(algorithm, &data, &protocol).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        let total: usize = a.matrice_confusion.iter().flatten().sum();
        assert_eq!(total, 96 * 2, "every sample predicted once per repeat");
        for roc in &a.roc {
            assert!((0.0..=1.0).contains(&roc.auc));
        }
    }
    let baseline = evaluate(Algorithm::Majorite, &data, &protocol).unwrap();
    // Always the majority class (extrême droite, 56 of 96): AUC 0.5, accuracy its share.
    assert!((baseline.auc_macro - 0.5).abs() < 1e-12);
    assert!((baseline.accuracy_moyenne - 56.0 / 96.0).abs() < 0.02);
}

#[test]
fn class_counts() {
    let (_dir, snapshot) = snapshot();
    let data = features::build(&snapshot, &all_features(), Quarter::new(2022, 3)).unwrap();
    let count = |c: usize| data.y.iter().filter(|y| **y == c).count();
    assert_eq!((count(0), count(1), count(2)), (30, 10, 56));
}

#[test]
fn ml_charts_render_for_every_model() {
    let (_dir, snapshot) = snapshot();
    let data = features::build(&snapshot, &all_features(), Quarter::new(2022, 3)).unwrap();
    let protocol = Protocol {
        repeats: 1,
        ..Protocol::default()
    };
    let evaluations: Vec<_> = Algorithm::ALL
        .iter()
        .map(|a| evaluate(*a, &data, &protocol).unwrap())
        .collect();
    let images = ml::report::charts(&evaluations).unwrap();
    let names: Vec<&str> = images.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ml_accuracy_comparison.svg",
            "ml_confusion_matrices.svg",
            "ml_feature_importance.svg",
            "ml_roc_curves.svg"
        ]
    );
    for (_, svg) in &images {
        for algorithm in [Algorithm::Logistique, Algorithm::Foret] {
            if !svg.contains("Importance") {
                assert!(svg.contains(algorithm.libelle()), "{}", algorithm.libelle());
            }
        }
    }
}
