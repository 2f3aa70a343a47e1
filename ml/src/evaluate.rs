//! The evaluation protocol: repeated stratified k-fold cross-validation with out-of-fold
//! predictions (accuracy per fold, pooled confusion matrix, per-class scores, macro-F1,
//! one-vs-rest ROC curves), permutation importance on the test folds, and the stratified
//! 80/20 hold-out of the original study.

use serde::{Deserialize, Serialize};

use crate::MlError;
use crate::features::Dataset;
use crate::folds::{Rng, repeated_stratified_k_fold, stratified_holdout};
use crate::metrics::{self, ClassScores, RocPoint};
use crate::models::{Algorithm, Model, argmax};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Protocol {
    pub folds: usize,
    pub repeats: usize,
    pub seed: u64,
    pub test_fraction: f64,
}

impl Default for Protocol {
    fn default() -> Protocol {
        Protocol {
            folds: 5,
            repeats: 10,
            seed: 42,
            test_fraction: 0.2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassRoc {
    pub classe: String,
    pub auc: f64,
    pub points: Vec<RocPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub feature: String,
    /// Mean drop of test-fold accuracy when the feature's values are shuffled.
    pub baisse_accuracy: f64,
    pub ecart_type: f64,
}

/// A sample's out-of-fold class probabilities: those of the model of the first repetition
/// that did not see it (each sample is in exactly one test fold of a repetition).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorsPli {
    pub code: String,
    /// In the order of [`Evaluation::classes`].
    pub probabilites: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holdout {
    pub n_train: usize,
    pub n_test: usize,
    pub accuracy_train: f64,
    pub accuracy_test: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: String,
    pub algorithme: Algorithm,
    /// The feature set (see [`crate::features::jeux`]).
    #[serde(default = "jeu_defaut")]
    pub jeu_features: String,
    pub hyperparametres: Vec<(String, String)>,
    pub features: Vec<String>,
    pub classes: Vec<String>,
    pub trimestre: String,
    pub n_echantillons: usize,
    pub protocole: Protocol,
    pub accuracy_moyenne: f64,
    pub accuracy_ecart_type: f64,
    pub macro_f1: f64,
    pub scores_classes: Vec<ClassScores>,
    /// Out-of-fold predictions pooled over every repeat: `[vraie][predite]`.
    pub matrice_confusion: Vec<Vec<usize>>,
    pub roc: Vec<ClassRoc>,
    /// Mean of the one-vs-rest AUCs.
    pub auc_macro: f64,
    pub importance_permutation: Vec<Importance>,
    pub holdout: Holdout,
    /// Out-of-fold probabilities of every sample, first repetition, in sample order.
    #[serde(default)]
    pub hors_pli: Vec<HorsPli>,
}

impl Evaluation {
    /// Share of samples whose out-of-fold prediction (first repetition) is their class;
    /// `None` without out-of-fold predictions.
    pub fn accuracy_hors_pli(&self, classes: &[usize]) -> Option<f64> {
        if self.hors_pli.is_empty() || self.hors_pli.len() != classes.len() {
            return None;
        }
        let right = self
            .hors_pli
            .iter()
            .zip(classes)
            .filter(|(h, c)| argmax(&h.probabilites) == **c)
            .count();
        Some(right as f64 / classes.len() as f64)
    }
}

fn jeu_defaut() -> String {
    crate::features::JEU_DEFAUT.to_owned()
}

/// A model's id: the algorithm's, suffixed with `__<set>` outside the default feature set.
pub fn model_id(algorithm: Algorithm, jeu: &str) -> String {
    if jeu == crate::features::JEU_DEFAUT {
        algorithm.id().to_owned()
    } else {
        format!("{}__{jeu}", algorithm.id())
    }
}

fn subset<T: Clone>(items: &[T], indices: &[usize]) -> Vec<T> {
    indices.iter().map(|i| items[*i].clone()).collect()
}

fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

pub fn evaluate(
    algorithm: Algorithm,
    data: &Dataset,
    protocol: &Protocol,
) -> Result<Evaluation, MlError> {
    let k = data.classes.len();
    let m = data.features.len();
    let mut fold_accuracies = Vec::new();
    let mut truth = Vec::new();
    let mut predicted = Vec::new();
    let mut probabilities: Vec<Vec<f64>> = Vec::new();
    let mut drops: Vec<Vec<f64>> = vec![Vec::new(); m];
    let mut first_repeat: Vec<Option<Vec<f64>>> = vec![None; data.y.len()];
    let mut rng = Rng::new(protocol.seed ^ 0x5EED);
    let rounds =
        repeated_stratified_k_fold(&data.y, protocol.folds, protocol.repeats, protocol.seed);
    for (r, splits) in rounds.iter().enumerate() {
        for (f, split) in splits.iter().enumerate() {
            // Spatial lags from the training départements only (no-op without lags).
            let x = data.avec_lags(&split.train);
            let (x_train, y_train) = (subset(&x, &split.train), subset(&data.y, &split.train));
            let (x_test, y_test) = (subset(&x, &split.test), subset(&data.y, &split.test));
            let seed = protocol.seed.wrapping_add((r * protocol.folds + f) as u64);
            let model = Model::fit(algorithm, &x_train, &y_train, k, seed)?;
            let p = model.predict_proba(&x_test)?;
            let labels: Vec<usize> = p.iter().map(|row| argmax(row)).collect();
            let accuracy = metrics::accuracy(&y_test, &labels);
            fold_accuracies.push(accuracy);
            for (j, feature_drops) in drops.iter_mut().enumerate() {
                let mut shuffled = x_test.clone();
                let mut column: Vec<f64> = shuffled.iter().map(|row| row[j]).collect();
                rng.shuffle(&mut column);
                for (row, value) in shuffled.iter_mut().zip(column) {
                    row[j] = value;
                }
                feature_drops
                    .push(accuracy - metrics::accuracy(&y_test, &model.predict(&shuffled)?));
            }
            if r == 0 {
                for (i, row) in split.test.iter().zip(&p) {
                    first_repeat[*i] = Some(row.clone());
                }
            }
            truth.extend(y_test);
            predicted.extend(labels);
            probabilities.extend(p);
        }
    }
    let (accuracy_moyenne, accuracy_ecart_type) = mean_std(&fold_accuracies);
    let matrice_confusion = metrics::confusion_matrix(&truth, &predicted, k);
    let roc: Vec<ClassRoc> = data
        .classes
        .iter()
        .enumerate()
        .map(|(c, classe)| {
            let scores: Vec<f64> = probabilities.iter().map(|p| p[c]).collect();
            let positive: Vec<bool> = truth.iter().map(|t| *t == c).collect();
            let points = metrics::roc_curve(&scores, &positive);
            ClassRoc {
                classe: classe.clone(),
                auc: metrics::auc(&points),
                points,
            }
        })
        .collect();
    let auc_macro = roc.iter().map(|r| r.auc).sum::<f64>() / roc.len().max(1) as f64;
    let importance_permutation = data
        .features
        .iter()
        .zip(&drops)
        .map(|(feature, d)| {
            let (mean, std) = mean_std(d);
            Importance {
                feature: feature.clone(),
                baisse_accuracy: mean,
                ecart_type: std,
            }
        })
        .collect();

    let hors_pli = data
        .codes
        .iter()
        .zip(first_repeat)
        .map(|(code, p)| {
            p.map(|probabilites| HorsPli {
                code: code.clone(),
                probabilites,
            })
            .ok_or_else(|| MlError::Model(format!("{code}: in no test fold")))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let split = stratified_holdout(&data.y, protocol.test_fraction, protocol.seed);
    let x = data.avec_lags(&split.train);
    let (x_train, y_train) = (subset(&x, &split.train), subset(&data.y, &split.train));
    let (x_test, y_test) = (subset(&x, &split.test), subset(&data.y, &split.test));
    let model = Model::fit(algorithm, &x_train, &y_train, k, protocol.seed)?;
    let holdout = Holdout {
        n_train: split.train.len(),
        n_test: split.test.len(),
        accuracy_train: metrics::accuracy(&y_train, &model.predict(&x_train)?),
        accuracy_test: metrics::accuracy(&y_test, &model.predict(&x_test)?),
    };

    Ok(Evaluation {
        id: model_id(algorithm, &data.jeu),
        algorithme: algorithm,
        jeu_features: data.jeu.clone(),
        hyperparametres: algorithm.hyperparameters(m),
        features: data.features.clone(),
        classes: data.classes.clone(),
        trimestre: data.quarter.to_string(),
        n_echantillons: data.y.len(),
        protocole: *protocol,
        accuracy_moyenne,
        accuracy_ecart_type,
        macro_f1: metrics::macro_f1(&matrice_confusion),
        scores_classes: metrics::class_scores(&matrice_confusion),
        matrice_confusion,
        roc,
        auc_macro,
        importance_permutation,
        holdout,
        hors_pli,
    })
}
