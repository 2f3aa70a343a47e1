//! Multi-class gradient boosting on the softmax (deviance) loss, with the original study's
//! hyper-parameters as defaults (scikit-learn's `GradientBoostingClassifier(n_estimators=100,
//! max_depth=3, learning_rate=0.1)`): the scores start at the log class priors; each round fits
//! one regression tree per class to the negative gradient of the loss (the class indicator minus
//! its softmax probability) and adds it, shrunk by the learning rate.
//!
//! Built on smartcore's regression trees: no maintained pure-Rust crate offers softmax
//! multi-class boosting with these hyper-parameters (perpetual boosts one binary log-loss model
//! per class under a single "budget"; forust-ml has no multi-class objective). smartcore's tree
//! chooses the splits (least squares on the gradient); its leaves are then given scikit-learn's
//! value, one Newton step of the loss: `(K-1)/K · Σ g / Σ p(1-p)` over the leaf's samples. The
//! tree does not expose which leaf a sample reaches, but it predicts the mean gradient of that
//! leaf, so the training samples are grouped by that value and each distinct value is mapped to
//! its Newton step (two leaves with exactly the same mean would share one step: measure zero
//! with real data). Like scikit-learn's, the trees see their inputs rounded to `f32`
//! ([`crate::models::tree_matrix`]). Deterministic: every tree gets its own seed derived from the caller's.

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_regressor::{
    DecisionTreeRegressor, DecisionTreeRegressorParameters,
};

use crate::MlError;

type RegressionTree = DecisionTreeRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>;

/// Hyper-parameters: the original study's by default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Parametres {
    pub n_estimators: usize,
    pub learning_rate: f64,
    pub max_depth: u16,
}

impl Default for Parametres {
    fn default() -> Self {
        Parametres {
            n_estimators: 100,
            learning_rate: 0.1,
            max_depth: 3,
        }
    }
}

/// One tree of one round: smartcore's tree and the value of each of its leaves, as pairs
/// (the tree's prediction, the Newton step), sorted by the first.
#[derive(Debug, Serialize, Deserialize)]
struct Arbre {
    tree: RegressionTree,
    feuilles: Vec<(f64, f64)>,
}

impl Arbre {
    /// The Newton step of the leaf each sample reaches.
    fn steps(&self, m: &DenseMatrix<f64>) -> Result<Vec<f64>, MlError> {
        let raw = self
            .tree
            .predict(m)
            .map_err(|e| MlError::Model(e.to_string()))?;
        raw.iter()
            .map(|v| {
                self.feuilles
                    .binary_search_by(|(leaf, _)| leaf.total_cmp(v))
                    .map(|i| self.feuilles[i].1)
                    .map_err(|_| MlError::Model("gradient boosting: unknown leaf".into()))
            })
            .collect()
    }
}

/// A fitted boosting model: initial scores and, per round, one tree per class.
#[derive(Debug, Serialize, Deserialize)]
pub struct GradientBoosting {
    pub parametres: Parametres,
    classes: usize,
    initial: Vec<f64>,
    rounds: Vec<Vec<Arbre>>,
}

/// The Newton step of each leaf, leaves told apart by the tree's prediction `raw`:
/// `(K-1)/K · Σ g / Σ p(1-p)` (0 when the denominator vanishes, as in scikit-learn).
fn newton_leaves(raw: &[f64], gradient: &[f64], p: &[f64], classes: usize) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|a, b| raw[*a].total_cmp(&raw[*b]));
    let factor = (classes as f64 - 1.0) / classes as f64;
    let mut leaves: Vec<(f64, f64)> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let value = raw[order[start]];
        let mut end = start;
        let (mut numerator, mut denominator) = (0.0, 0.0);
        while end < order.len() && raw[order[end]].total_cmp(&value).is_eq() {
            let i = order[end];
            numerator += gradient[i];
            denominator += p[i] * (1.0 - p[i]);
            end += 1;
        }
        let step = if denominator.abs() < 1e-150 {
            0.0
        } else {
            factor * numerator / denominator
        };
        leaves.push((value, step));
        start = end;
    }
    leaves
}

/// Probabilities from scores, shifted by their maximum for stability.
fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let total: f64 = exp.iter().sum();
    exp.iter().map(|e| e / total).collect()
}

impl GradientBoosting {
    /// Fits on samples `x` with labels `y` in `0..classes`.
    pub fn fit(
        x: &[Vec<f64>],
        y: &[usize],
        classes: usize,
        parametres: Parametres,
        seed: u64,
    ) -> Result<GradientBoosting, MlError> {
        if x.is_empty() || x.len() != y.len() || classes < 2 || y.iter().any(|c| *c >= classes) {
            return Err(MlError::Model(
                "gradient boosting: samples, labels and classes do not match".into(),
            ));
        }
        let n = x.len();
        let m = crate::models::tree_matrix(x)?;
        let mut counts = vec![0.0_f64; classes];
        for &c in y {
            counts[c] += 1.0;
        }
        // A class absent from the sample gets a very low, finite prior.
        let initial: Vec<f64> = counts
            .iter()
            .map(|c| (c / n as f64).max(1e-12).ln())
            .collect();
        let mut scores: Vec<Vec<f64>> = vec![initial.clone(); n];
        let mut rounds = Vec::with_capacity(parametres.n_estimators);
        for round in 0..parametres.n_estimators {
            let probabilities: Vec<Vec<f64>> = scores.iter().map(|s| softmax(s)).collect();
            let mut trees = Vec::with_capacity(classes);
            for k in 0..classes {
                let gradient: Vec<f64> = (0..n)
                    .map(|i| f64::from(u8::from(y[i] == k)) - probabilities[i][k])
                    .collect();
                let mut tree_parameters = DecisionTreeRegressorParameters::default()
                    .with_max_depth(crate::models::smartcore_depth(parametres.max_depth))
                    .with_min_samples_leaf(1)
                    .with_min_samples_split(2);
                tree_parameters.seed = Some(seed.wrapping_add((round * classes + k) as u64));
                let tree = RegressionTree::fit(&m, &gradient, tree_parameters)
                    .map_err(|e| MlError::Model(e.to_string()))?;
                let raw = tree
                    .predict(&m)
                    .map_err(|e| MlError::Model(e.to_string()))?;
                let p_k: Vec<f64> = probabilities.iter().map(|p| p[k]).collect();
                let arbre = Arbre {
                    feuilles: newton_leaves(&raw, &gradient, &p_k, classes),
                    tree,
                };
                for (score, s) in scores.iter_mut().zip(arbre.steps(&m)?) {
                    score[k] += parametres.learning_rate * s;
                }
                trees.push(arbre);
            }
            rounds.push(trees);
        }
        Ok(GradientBoosting {
            parametres,
            classes,
            initial,
            rounds,
        })
    }

    /// The probability of each class for each sample (each row sums to 1).
    pub fn predict_proba(&self, x: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, MlError> {
        let m = crate::models::tree_matrix(x)?;
        let mut scores: Vec<Vec<f64>> = vec![self.initial.clone(); x.len()];
        for trees in &self.rounds {
            for (k, arbre) in trees.iter().enumerate().take(self.classes) {
                for (score, s) in scores.iter_mut().zip(arbre.steps(&m)?) {
                    score[k] += self.parametres.learning_rate * s;
                }
            }
        }
        Ok(scores.iter().map(|s| softmax(s)).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Three clusters of ten points, well apart, and their labels.
    fn clusters() -> (Vec<Vec<f64>>, Vec<usize>) {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for (label, (cx, cy)) in [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]
            .into_iter()
            .enumerate()
        {
            for i in 0..10 {
                let d = f64::from(i) * 0.1;
                x.push(vec![cx + d, cy - d]);
                y.push(label);
            }
        }
        (x, y)
    }

    #[test]
    fn separable_clusters_are_learnt_and_probabilities_sum_to_one() {
        let (x, y) = clusters();
        let model = GradientBoosting::fit(&x, &y, 3, Parametres::default(), 42).unwrap();
        let p = model.predict_proba(&x).unwrap();
        for (row, label) in p.iter().zip(&y) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{row:?}");
            assert_eq!(crate::models::argmax(row), *label, "{row:?}");
            assert!(row[*label] > 0.9, "{row:?}");
        }
        // A point between nowhere in particular still gets a distribution.
        let p = model.predict_proba(&[vec![5.0, 5.0]]).unwrap();
        assert!((p[0].iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn same_seed_same_bytes() {
        let (x, y) = clusters();
        let a = GradientBoosting::fit(&x, &y, 3, Parametres::default(), 7).unwrap();
        let b = GradientBoosting::fit(&x, &y, 3, Parametres::default(), 7).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        let back: GradientBoosting =
            serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(
            back.predict_proba(&x).unwrap(),
            a.predict_proba(&x).unwrap()
        );
    }

    #[test]
    fn the_first_round_starts_from_the_class_priors() {
        let (x, y) = clusters();
        let none = Parametres {
            n_estimators: 0,
            ..Parametres::default()
        };
        let model = GradientBoosting::fit(&x, &y, 3, none, 1).unwrap();
        let p = model.predict_proba(&x[..1]).unwrap();
        for v in &p[0] {
            assert!((v - 1.0 / 3.0).abs() < 1e-12, "{p:?}");
        }
        assert!(GradientBoosting::fit(&x, &y[..3], 3, Parametres::default(), 1).is_err());
        assert!(GradientBoosting::fit(&x, &y, 2, Parametres::default(), 1).is_err());
    }
}
