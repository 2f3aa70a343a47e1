//! The models. smartcore fits them; where it lacks a piece, it is here, small:
//! class probabilities for logistic regression (softmax of X·Wᵀ+b), for Gaussian naive
//! Bayes (from its means, variances and priors) and for the random forest: smartcore grows
//! it (bootstrap samples, a random subset of √m features at every split, as scikit-learn
//! does), and its trees, which it keeps private, are read back from its serde form so that
//! the probabilities are the trees' vote shares. Gradient boosting is [`crate::boosting`].

use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};
use smartcore::metrics::distance::euclidian::Euclidian;
use smartcore::naive_bayes::gaussian::{GaussianNB, GaussianNBParameters};
use smartcore::neighbors::knn_classifier::{KNNClassifier, KNNClassifierParameters};
use smartcore::tree::decision_tree_classifier::{
    DecisionTreeClassifier, DecisionTreeClassifierParameters,
};

use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};

use crate::MlError;
use crate::boosting::{GradientBoosting, Parametres as BoostingParametres};

type Tree = DecisionTreeClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>>;
type Knn = KNNClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>, Euclidian<f64>>;

/// Hyper-parameters, fixed and documented (see README).
pub const LOGISTIC_ALPHA: f64 = 1.0;
pub const TREE_MAX_DEPTH: u16 = 4;
pub const TREE_MIN_SAMPLES_LEAF: usize = 3;
pub const FOREST_TREES: usize = 100;
pub const KNN_K: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    Majorite,
    Logistique,
    Arbre,
    Foret,
    Knn,
    Bayes,
    Boosting,
}

impl Algorithm {
    pub const ALL: [Algorithm; 7] = [
        Algorithm::Majorite,
        Algorithm::Logistique,
        Algorithm::Arbre,
        Algorithm::Foret,
        Algorithm::Boosting,
        Algorithm::Knn,
        Algorithm::Bayes,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Algorithm::Majorite => "baseline_majorite",
            Algorithm::Logistique => "regression_logistique",
            Algorithm::Arbre => "arbre_decision",
            Algorithm::Foret => "foret_aleatoire",
            Algorithm::Knn => "knn",
            Algorithm::Bayes => "bayes_naif_gaussien",
            Algorithm::Boosting => "gradient_boosting",
        }
    }

    /// Name for people.
    pub fn libelle(self) -> &'static str {
        match self {
            Algorithm::Majorite => "Classe majoritaire (référence)",
            Algorithm::Logistique => "Régression logistique",
            Algorithm::Arbre => "Arbre de décision",
            Algorithm::Foret => "Forêt aléatoire",
            Algorithm::Knn => "k plus proches voisins",
            Algorithm::Bayes => "Bayes naïf gaussien",
            Algorithm::Boosting => "Gradient boosting",
        }
    }

    /// Hyper-parameters as (name, value) for reports.
    pub fn hyperparameters(self, n_features: usize) -> Vec<(String, String)> {
        let p = |k: &str, v: String| (k.to_owned(), v);
        match self {
            Algorithm::Majorite => vec![p(
                "regle",
                "classe la plus frequente de l'apprentissage".into(),
            )],
            Algorithm::Logistique => vec![
                p("entrees", "standardisees".into()),
                p("alpha_l2", LOGISTIC_ALPHA.to_string()),
                p("solveur", "L-BFGS (smartcore)".into()),
            ],
            Algorithm::Arbre => vec![
                p("critere", "gini".into()),
                p("profondeur_max", TREE_MAX_DEPTH.to_string()),
                p(
                    "min_echantillons_feuille",
                    TREE_MIN_SAMPLES_LEAF.to_string(),
                ),
            ],
            Algorithm::Foret => vec![
                p("arbres", FOREST_TREES.to_string()),
                p("echantillons", "bootstrap stratifie".into()),
                p(
                    "variables_par_coupure",
                    forest_features(n_features).to_string(),
                ),
                p("critere", "gini".into()),
            ],
            Algorithm::Boosting => {
                let b = BoostingParametres::default();
                vec![
                    p("perte", "softmax (deviance)".into()),
                    p("tours", b.n_estimators.to_string()),
                    p("taux_apprentissage", b.learning_rate.to_string()),
                    p("profondeur_max", b.max_depth.to_string()),
                    p("feuilles", "pas de Newton".into()),
                ]
            }
            Algorithm::Knn => vec![
                p("k", KNN_K.to_string()),
                p("distance", "euclidienne".into()),
                p("entrees", "standardisees".into()),
            ],
            Algorithm::Bayes => vec![p("loi", "gaussienne par classe".into())],
        }
    }
}

/// smartcore counts the root as level 1 and splits a node only below `max_depth`: its
/// `max_depth = d + 1` is scikit-learn's (and the textbooks') `max_depth = d`, `d` levels of
/// splits below the root.
pub fn smartcore_depth(depth: u16) -> u16 {
    depth.saturating_add(1)
}

/// Features drawn at each split of a forest tree: ⌊√m⌋, scikit-learn's `max_features="sqrt"`.
fn forest_features(n: usize) -> usize {
    ((n as f64).sqrt().floor() as usize).clamp(1, n.max(1))
}

/// Per-feature standardization fitted on the training samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

impl Scaler {
    pub fn fit(x: &[Vec<f64>]) -> Scaler {
        let m = x.first().map_or(0, Vec::len);
        let n = x.len().max(1) as f64;
        let mean: Vec<f64> = (0..m)
            .map(|j| x.iter().map(|r| r[j]).sum::<f64>() / n)
            .collect();
        let std = (0..m)
            .map(|j| {
                let var = x.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n;
                if var > 0.0 { var.sqrt() } else { 1.0 }
            })
            .collect();
        Scaler { mean, std }
    }

    pub fn transform(&self, x: &[Vec<f64>]) -> Vec<Vec<f64>> {
        x.iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(j, v)| (v - self.mean[j]) / self.std[j])
                    .collect()
            })
            .collect()
    }
}

/// A fitted model; `classes` is the number of classes of the whole dataset.
#[derive(Debug, Serialize, Deserialize)]
pub enum Model {
    Majorite {
        classes: usize,
        classe: usize,
    },
    Logistique {
        classes: usize,
        scaler: Scaler,
        /// Classes seen in training, in the order of the weight rows.
        labels: Vec<usize>,
        weights: Vec<Vec<f64>>,
        intercepts: Vec<f64>,
    },
    Arbre {
        classes: usize,
        tree: Tree,
    },
    Foret {
        classes: usize,
        trees: Vec<Tree>,
    },
    Boosting(GradientBoosting),
    Knn {
        classes: usize,
        scaler: Scaler,
        labels: Vec<usize>,
        knn: Knn,
    },
    Bayes {
        classes: usize,
        labels: Vec<usize>,
        means: Vec<Vec<f64>>,
        variances: Vec<Vec<f64>>,
        priors: Vec<f64>,
    },
}

fn matrix(x: &[Vec<f64>]) -> Result<DenseMatrix<f64>, MlError> {
    DenseMatrix::from_2d_vec(&x.to_vec()).map_err(|e| MlError::Model(e.to_string()))
}

/// The matrix a tree sees: every value rounded to the nearest `f32`, as scikit-learn's trees
/// store their inputs. Without it, values that differ only beyond `f32` precision (derived
/// means such as the 10-year unemployment average) are told apart, ties between splits break
/// differently and the boosted model drifts from scikit-learn's from its second round on.
pub fn tree_matrix(x: &[Vec<f64>]) -> Result<DenseMatrix<f64>, MlError> {
    let rounded: Vec<Vec<f64>> = x
        .iter()
        .map(|row| row.iter().map(|v| f64::from(*v as f32)).collect())
        .collect();
    matrix(&rounded)
}

fn labels_u32(y: &[usize]) -> Vec<u32> {
    y.iter().map(|v| *v as u32).collect()
}

fn seen(y: &[usize]) -> Vec<usize> {
    let mut labels = y.to_vec();
    labels.sort_unstable();
    labels.dedup();
    labels
}

fn one_hot(predicted: &[u32], classes: usize) -> Vec<Vec<f64>> {
    predicted
        .iter()
        .map(|p| {
            (0..classes)
                .map(|c| if c == *p as usize { 1.0 } else { 0.0 })
                .collect()
        })
        .collect()
}

fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let sum: f64 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

fn grow_tree(
    x: &[Vec<f64>],
    y: &[usize],
    max_depth: Option<u16>,
    min_leaf: usize,
    seed: u64,
) -> Result<Tree, MlError> {
    let mut parameters =
        DecisionTreeClassifierParameters::default().with_min_samples_leaf(min_leaf);
    if let Some(depth) = max_depth {
        parameters = parameters.with_max_depth(smartcore_depth(depth));
    }
    parameters.seed = Some(seed);
    Tree::fit(&tree_matrix(x)?, &labels_u32(y), parameters)
        .map_err(|e| MlError::Model(e.to_string()))
}

/// Hyper-parameters of every algorithm (each reads its own). The default is the fixed set
/// of the département models; the constituency forecast chooses among [`grille`] by
/// cross-validation inside its training cycles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    /// L2 penalty of the logistic regression (scikit-learn's `C = 1 / alpha`).
    pub alpha: f64,
    /// Depth of the decision tree (levels of splits below the root).
    pub profondeur_arbre: u16,
    /// Depth of the forest's trees (`None`: grown until pure).
    pub profondeur_foret: Option<u16>,
    pub k: usize,
    pub boosting: BoostingParametres,
}

impl Default for Hyper {
    fn default() -> Hyper {
        Hyper {
            alpha: LOGISTIC_ALPHA,
            profondeur_arbre: TREE_MAX_DEPTH,
            profondeur_foret: None,
            k: KNN_K,
            boosting: BoostingParametres::default(),
        }
    }
}

impl Hyper {
    /// The values an algorithm reads, for reports: `alpha=1`, `profondeur=4`…
    pub fn resume(&self, algorithm: Algorithm) -> String {
        match algorithm {
            Algorithm::Majorite | Algorithm::Bayes => String::new(),
            Algorithm::Logistique => format!("alpha={}", self.alpha),
            Algorithm::Arbre => format!("profondeur={}", self.profondeur_arbre),
            Algorithm::Foret => match self.profondeur_foret {
                Some(d) => format!("profondeur={d}"),
                None => "profondeur=illimitee".to_owned(),
            },
            Algorithm::Knn => format!("k={}", self.k),
            Algorithm::Boosting => format!(
                "taux={},profondeur={}",
                self.boosting.learning_rate, self.boosting.max_depth
            ),
        }
    }
}

/// The candidate hyper-parameters of an algorithm (one for those without any to tune).
pub fn grille(algorithm: Algorithm) -> Vec<Hyper> {
    let base = Hyper::default();
    match algorithm {
        Algorithm::Majorite | Algorithm::Bayes => vec![base],
        Algorithm::Logistique => [0.1, 1.0, 10.0]
            .into_iter()
            .map(|alpha| Hyper { alpha, ..base })
            .collect(),
        Algorithm::Arbre => [2, 4, 6]
            .into_iter()
            .map(|profondeur_arbre| Hyper {
                profondeur_arbre,
                ..base
            })
            .collect(),
        Algorithm::Foret => [Some(4), Some(8), None]
            .into_iter()
            .map(|profondeur_foret| Hyper {
                profondeur_foret,
                ..base
            })
            .collect(),
        Algorithm::Knn => [5, 15, 31]
            .into_iter()
            .map(|k| Hyper { k, ..base })
            .collect(),
        Algorithm::Boosting => [(0.05, 2), (0.1, 2), (0.1, 3)]
            .into_iter()
            .map(|(learning_rate, max_depth)| Hyper {
                boosting: BoostingParametres {
                    learning_rate,
                    max_depth,
                    ..base.boosting
                },
                ..base
            })
            .collect(),
    }
}

impl Model {
    pub fn fit(
        algorithm: Algorithm,
        x: &[Vec<f64>],
        y: &[usize],
        classes: usize,
        seed: u64,
    ) -> Result<Model, MlError> {
        Model::fit_with(algorithm, x, y, classes, seed, &Hyper::default())
    }

    /// [`Model::fit`] with chosen hyper-parameters.
    pub fn fit_with(
        algorithm: Algorithm,
        x: &[Vec<f64>],
        y: &[usize],
        classes: usize,
        seed: u64,
        hyper: &Hyper,
    ) -> Result<Model, MlError> {
        if x.is_empty() || x.len() != y.len() {
            return Err(MlError::Model("no training sample".into()));
        }
        Ok(match algorithm {
            Algorithm::Majorite => {
                let mut counts = vec![0usize; classes];
                for label in y {
                    counts[*label] += 1;
                }
                let classe =
                    db::snapshot::first_max_by_key(0..classes, |c| counts[*c]).unwrap_or(0);
                Model::Majorite { classes, classe }
            }
            Algorithm::Logistique => {
                let scaler = Scaler::fit(x);
                let labels = seen(y);
                let fitted: LogisticRegression<f64, u32, DenseMatrix<f64>, Vec<u32>> =
                    LogisticRegression::fit(
                        &matrix(&scaler.transform(x))?,
                        &labels_u32(y),
                        LogisticRegressionParameters::default().with_alpha(hyper.alpha),
                    )
                    .map_err(|e| MlError::Model(e.to_string()))?;
                let (rows, cols) = fitted.coefficients().shape();
                let weights = (0..rows)
                    .map(|r| {
                        (0..cols)
                            .map(|c| *fitted.coefficients().get((r, c)))
                            .collect()
                    })
                    .collect();
                let intercepts = (0..rows).map(|r| *fitted.intercept().get((r, 0))).collect();
                Model::Logistique {
                    classes,
                    scaler,
                    labels,
                    weights,
                    intercepts,
                }
            }
            Algorithm::Arbre => Model::Arbre {
                classes,
                tree: grow_tree(
                    x,
                    y,
                    Some(hyper.profondeur_arbre),
                    TREE_MIN_SAMPLES_LEAF,
                    seed,
                )?,
            },
            Algorithm::Foret => {
                let m = x.first().map_or(0, Vec::len);
                let mut parameters = RandomForestClassifierParameters::default()
                    .with_n_trees(FOREST_TREES as u16)
                    .with_m(forest_features(m))
                    .with_seed(seed);
                if let Some(depth) = hyper.profondeur_foret {
                    parameters = parameters.with_max_depth(smartcore_depth(depth));
                }
                let forest: RandomForestClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>> =
                    RandomForestClassifier::fit(&tree_matrix(x)?, &labels_u32(y), parameters)
                        .map_err(|e| MlError::Model(e.to_string()))?;
                let trees = serde_json::to_value(&forest)
                    .ok()
                    .and_then(|mut v| v.get_mut("trees").map(serde_json::Value::take))
                    .and_then(|v| serde_json::from_value::<Vec<Tree>>(v).ok())
                    .ok_or_else(|| MlError::Model("forest: its trees cannot be read".into()))?;
                Model::Foret { classes, trees }
            }
            Algorithm::Boosting => {
                Model::Boosting(GradientBoosting::fit(x, y, classes, hyper.boosting, seed)?)
            }
            Algorithm::Knn => {
                let scaler = Scaler::fit(x);
                let knn = Knn::fit(
                    &matrix(&scaler.transform(x))?,
                    &labels_u32(y),
                    KNNClassifierParameters::default().with_k(hyper.k.min(x.len())),
                )
                .map_err(|e| MlError::Model(e.to_string()))?;
                Model::Knn {
                    classes,
                    scaler,
                    labels: seen(y),
                    knn,
                }
            }
            Algorithm::Bayes => {
                let nb: GaussianNB<f64, u32, DenseMatrix<f64>, Vec<u32>> =
                    GaussianNB::fit(&matrix(x)?, &labels_u32(y), GaussianNBParameters::default())
                        .map_err(|e| MlError::Model(e.to_string()))?;
                // scikit-learn's `var_smoothing`: every variance gains 1e-9 times the largest
                // variance of a feature over all samples, so that a feature constant within a
                // class (a one-hot column) does not decide alone.
                let n = x.len() as f64;
                let largest = (0..x[0].len())
                    .map(|j| {
                        let mean = x.iter().map(|r| r[j]).sum::<f64>() / n;
                        x.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n
                    })
                    .fold(0.0, f64::max);
                let epsilon = 1e-9 * largest;
                Model::Bayes {
                    classes,
                    labels: nb.classes().iter().map(|c| *c as usize).collect(),
                    means: nb.theta().clone(),
                    variances: nb
                        .var()
                        .iter()
                        .map(|row| row.iter().map(|v| v + epsilon).collect())
                        .collect(),
                    priors: nb.class_priors().clone(),
                }
            }
        })
    }

    /// Probability of each class (rows sum to 1), one row per sample.
    pub fn predict_proba(&self, x: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, MlError> {
        let spread = |classes: usize, labels: &[usize], p: &[f64]| {
            let mut row = vec![0.0; classes];
            for (label, value) in labels.iter().zip(p) {
                row[*label] = *value;
            }
            row
        };
        match self {
            Model::Majorite { classes, classe } => Ok(x
                .iter()
                .map(|_| {
                    (0..*classes)
                        .map(|c| if c == *classe { 1.0 } else { 0.0 })
                        .collect()
                })
                .collect()),
            Model::Logistique {
                classes,
                scaler,
                labels,
                weights,
                intercepts,
            } => Ok(scaler
                .transform(x)
                .iter()
                .map(|row| {
                    let scores: Vec<f64> = weights
                        .iter()
                        .zip(intercepts)
                        .map(|(w, b)| w.iter().zip(row).map(|(a, v)| a * v).sum::<f64>() + b)
                        .collect();
                    // Two classes: smartcore fits one sigmoid for the second class.
                    let p = if labels.len() == 2 {
                        let p1 = 1.0 / (1.0 + (-scores.first().copied().unwrap_or(0.0)).exp());
                        vec![1.0 - p1, p1]
                    } else {
                        softmax(&scores)
                    };
                    spread(*classes, labels, &p)
                })
                .collect()),
            Model::Arbre { classes, tree } => {
                let predicted = tree
                    .predict(&tree_matrix(x)?)
                    .map_err(|e| MlError::Model(e.to_string()))?;
                Ok(one_hot(&predicted, *classes))
            }
            Model::Foret { classes, trees } => {
                let mut votes = vec![vec![0.0; *classes]; x.len()];
                let m = tree_matrix(x)?;
                for tree in trees {
                    let predicted = tree
                        .predict(&m)
                        .map_err(|e| MlError::Model(e.to_string()))?;
                    for (row, p) in votes.iter_mut().zip(predicted) {
                        row[p as usize] += 1.0;
                    }
                }
                let n = trees.len().max(1) as f64;
                Ok(votes
                    .into_iter()
                    .map(|row| row.into_iter().map(|v| v / n).collect())
                    .collect())
            }
            Model::Boosting(model) => model.predict_proba(x),
            Model::Knn {
                classes,
                scaler,
                labels,
                knn,
            } => {
                let p = knn
                    .predict_proba(&matrix(&scaler.transform(x))?)
                    .map_err(|e| MlError::Model(e.to_string()))?;
                Ok(p.iter().map(|row| spread(*classes, labels, row)).collect())
            }
            Model::Bayes {
                classes,
                labels,
                means,
                variances,
                priors,
            } => Ok(x
                .iter()
                .map(|row| {
                    let log_joint: Vec<f64> = (0..labels.len())
                        .map(|k| {
                            priors[k].ln()
                                + row
                                    .iter()
                                    .enumerate()
                                    .map(|(j, v)| {
                                        let var = variances[k][j].max(1e-9);
                                        -0.5 * ((2.0 * std::f64::consts::PI * var).ln()
                                            + (v - means[k][j]).powi(2) / var)
                                    })
                                    .sum::<f64>()
                        })
                        .collect();
                    spread(*classes, labels, &softmax(&log_joint))
                })
                .collect()),
        }
    }

    /// The most probable class of each sample (ties to the first class).
    pub fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<usize>, MlError> {
        Ok(self.predict_proba(x)?.iter().map(|p| argmax(p)).collect())
    }
}

/// Index of the largest value (ties to the first); 0 when empty.
pub fn argmax(values: &[f64]) -> usize {
    db::snapshot::first_max_by_key(values.iter().enumerate(), |(_, v)| **v).map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three well-separated clusters.
    fn clusters() -> (Vec<Vec<f64>>, Vec<usize>) {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for c in 0..3 {
            for i in 0..12 {
                let jitter = f64::from(i % 4) * 0.1;
                x.push(vec![
                    f64::from(c) * 10.0 + jitter,
                    5.0 - f64::from(c) * 3.0 + jitter * 0.5,
                ]);
                y.push(c as usize);
            }
        }
        (x, y)
    }

    #[test]
    fn every_model_learns_separable_clusters_with_probabilities_summing_to_one() {
        let (x, y) = clusters();
        for algorithm in Algorithm::ALL {
            let model = Model::fit(algorithm, &x, &y, 3, 42).unwrap();
            let p = model.predict_proba(&x).unwrap();
            for row in &p {
                assert!(
                    (row.iter().sum::<f64>() - 1.0).abs() < 1e-9,
                    "{algorithm:?} {row:?}"
                );
            }
            let predicted = model.predict(&x).unwrap();
            let accuracy = crate::metrics::accuracy(&y, &predicted);
            if algorithm == Algorithm::Majorite {
                assert!((accuracy - 1.0 / 3.0).abs() < 1e-12);
            } else {
                assert_eq!(accuracy, 1.0, "{algorithm:?}");
            }
        }
    }

    #[test]
    fn logistic_probabilities_reproduce_smartcore_predictions() {
        let (x, y) = clusters();
        let scaler = Scaler::fit(&x);
        let direct: LogisticRegression<f64, u32, DenseMatrix<f64>, Vec<u32>> =
            LogisticRegression::fit(
                &matrix(&scaler.transform(&x)).unwrap(),
                &labels_u32(&y),
                LogisticRegressionParameters::default().with_alpha(LOGISTIC_ALPHA),
            )
            .unwrap();
        let expected: Vec<usize> = direct
            .predict(&matrix(&scaler.transform(&x)).unwrap())
            .unwrap()
            .iter()
            .map(|v| *v as usize)
            .collect();
        let model = Model::fit(Algorithm::Logistique, &x, &y, 3, 1).unwrap();
        assert_eq!(model.predict(&x).unwrap(), expected);
    }

    #[test]
    fn models_survive_serialization() {
        let (x, y) = clusters();
        for algorithm in Algorithm::ALL {
            let model = Model::fit(algorithm, &x, &y, 3, 7).unwrap();
            let json = serde_json::to_string(&model).unwrap();
            let back: Model = serde_json::from_str(&json).unwrap();
            assert_eq!(
                back.predict_proba(&x).unwrap(),
                model.predict_proba(&x).unwrap(),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn scaler_centres_and_scales() {
        let s = Scaler::fit(&[vec![1.0, 5.0], vec![3.0, 5.0]]);
        assert_eq!(s.mean, vec![2.0, 5.0]);
        assert_eq!(s.std, vec![1.0, 1.0]);
        assert_eq!(s.transform(&[vec![3.0, 5.0]]), vec![vec![1.0, 0.0]]);
    }
}
