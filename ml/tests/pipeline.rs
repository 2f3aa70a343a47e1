//! Features and evaluation on the committed database dump.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use db::{Quarter, Snapshot};
use ml::evaluate::{Protocol, evaluate};
use ml::features::{self, Jeu};
use ml::models::Algorithm;

fn snapshot() -> (tempfile::TempDir, Snapshot) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ml.db");
    db::restore_from_dump(&path, include_str!("../../dump.sql")).unwrap();
    let snapshot = Snapshot::load(&mut db::open_read_only(&path).unwrap()).unwrap();
    (dir, snapshot)
}

fn all_features() -> Jeu {
    features::jeu(features::JEU_DEFAUT).unwrap()
}

fn jeu_of(features: &[&'static str]) -> Jeu {
    Jeu {
        id: "essai",
        libelle: "essai",
        court: "essai",
        features: features.to_vec(),
    }
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
    let short = jeu_of(&["taux_chomage", "taux_abstention"]);
    let data = features::build(&snapshot, &short, Quarter::new(2022, 3)).unwrap();
    assert_eq!(data.exclus, ["976"]);
    assert!(features::build(&snapshot, &jeu_of(&["revenu"]), Quarter::new(2022, 3)).is_err());

    // The socio-economic and historical features come from INSEE and from 2017.
    let data = features::build(
        &snapshot,
        &features::jeu("socio_economique_historique").unwrap(),
        Quarter::new(2022, 3),
    )
    .unwrap();
    assert_eq!(data.features.len(), 16);
    assert_eq!(data.y.len(), 96);
    let nord = data.codes.iter().position(|c| c == "59").unwrap();
    let revenu = data
        .features
        .iter()
        .position(|f| f == "revenu_median")
        .unwrap();
    assert_eq!(data.x[nord][revenu], 20290.0);
    let shares: f64 = data.x[nord][12..].iter().sum();
    assert!(
        (shares - 100.0).abs() < 1e-9,
        "2017 family shares add up to 100: {shares}"
    );
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

/// The stored out-of-fold probabilities of a département are those of the model refit by
/// hand on the other folds of the first repetition, for every algorithm; each sample has one.
#[test]
fn out_of_fold_predictions_are_a_manual_refit_on_the_other_folds() {
    let (_dir, snapshot) = snapshot();
    let data = features::build(&snapshot, &all_features(), Quarter::new(2022, 3)).unwrap();
    let protocol = Protocol {
        repeats: 2,
        ..Protocol::default()
    };
    let splits = ml::folds::repeated_stratified_k_fold(
        &data.y,
        protocol.folds,
        protocol.repeats,
        protocol.seed,
    );
    // The second fold of the first repetition: its model's seed is the protocol's + 1.
    let split = &splits[0][1];
    let pick = |idx: &[usize]| idx.iter().map(|i| data.x[*i].clone()).collect::<Vec<_>>();
    let labels: Vec<usize> = split.train.iter().map(|i| data.y[*i]).collect();
    for algorithm in Algorithm::ALL {
        let evaluation = evaluate(algorithm, &data, &protocol).unwrap();
        assert_eq!(evaluation.hors_pli.len(), data.y.len(), "{algorithm:?}");
        let codes: Vec<&str> = evaluation
            .hors_pli
            .iter()
            .map(|h| h.code.as_str())
            .collect();
        assert_eq!(
            codes,
            data.codes.iter().map(String::as_str).collect::<Vec<_>>()
        );
        let model = ml::models::Model::fit(
            algorithm,
            &pick(&split.train),
            &labels,
            data.classes.len(),
            protocol.seed + 1,
        )
        .unwrap();
        let expected = model.predict_proba(&pick(&split.test)).unwrap();
        for (i, p) in split.test.iter().zip(&expected) {
            assert_eq!(
                &evaluation.hors_pli[*i].probabilites, p,
                "{algorithm:?} sample {i}"
            );
        }
        let accuracy = evaluation.accuracy_hors_pli(&data.y).unwrap();
        assert!((0.0..=1.0).contains(&accuracy));
    }
}
