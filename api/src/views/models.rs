//! The models written by `ml`: their summaries, cards and ROC curves.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::{AppState, LoadedModel};

/// A hyper-parameter.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Parametre {
    #[schema(example = "k")]
    pub nom: String,
    #[schema(example = "7")]
    pub valeur: String,
}

/// A model and its cross-validated scores.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModeleResume {
    #[schema(example = "regression_logistique")]
    pub id: String,
    /// The algorithm: a stable snake_case id (`baseline_majorite`, `regression_logistique`,
    /// `arbre_decision`, `foret_aleatoire`, `gradient_boosting`, `knn`, `bayes_naif_gaussien`).
    #[schema(example = "regression_logistique")]
    pub algorithme: String,
    /// The algorithm's French name.
    #[schema(example = "Régression logistique")]
    pub libelle: String,
    /// The feature set it was trained on: `indicateurs_2022` (unemployment and 2022 turnout),
    /// `socio_economique` (+ INSEE indicators), `socio_economique_historique` (+ 2017 round-1
    /// family shares). A prediction takes the features of its model's set.
    #[schema(example = "socio_economique_historique")]
    pub jeu_features: String,
    pub hyperparametres: Vec<Parametre>,
    /// Features, in the order the model takes them.
    pub features: Vec<String>,
    /// Families it predicts, in the order of its probabilities.
    pub classes: Vec<String>,
    /// Unemployment quarter of the features.
    #[schema(example = "2022-T3")]
    pub trimestre: String,
    /// Départements it was evaluated and refit on.
    pub n_echantillons: usize,
    /// Mean accuracy over the cross-validation folds.
    pub accuracy_moyenne: f64,
    pub accuracy_ecart_type: f64,
    /// Share of départements whose out-of-fold prediction (first repetition: the model that
    /// did not see them) is their actual family; see `/predictions`.
    pub accuracy_hors_pli: Option<f64>,
    pub macro_f1: f64,
    /// Mean of the one-vs-rest AUCs.
    pub auc_macro: f64,
    /// True for the model `/predict` uses by default (best cross-validated accuracy).
    pub par_defaut: bool,
}

/// Precision, recall and F1 of one class (out-of-fold predictions).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoresClasse {
    #[schema(example = "gauche")]
    pub classe: String,
    pub precision: f64,
    pub rappel: f64,
    pub f1: f64,
    /// Samples of the class over every repeat.
    pub effectif: usize,
}

/// Mean drop of accuracy when a feature is shuffled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportanceFeature {
    pub feature: String,
    pub baisse_accuracy: f64,
    pub ecart_type: f64,
}

/// The original study's single stratified 80/20 split.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HoldOut {
    pub n_train: usize,
    pub n_test: usize,
    pub accuracy_train: f64,
    pub accuracy_test: f64,
}

/// Everything known about a model: scores, errors, importances and limits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FicheModele {
    #[serde(flatten)]
    pub resume: ModeleResume,
    /// How it was evaluated.
    #[schema(example = "validation croisée stratifiée 5 plis x 10 répétitions, graine 42")]
    pub protocole: String,
    /// `[réelle][prédite]` counts of the out-of-fold predictions, every repeat pooled.
    pub matrice_confusion: Vec<Vec<usize>>,
    pub scores_classes: Vec<ScoresClasse>,
    pub importance_permutation: Vec<ImportanceFeature>,
    pub holdout: HoldOut,
    pub usage_prevu: String,
    pub limites: Vec<String>,
}

/// One point of a ROC curve.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointRoc {
    pub fpr: f64,
    pub tpr: f64,
    /// Probability at or above which the class is predicted; null for the (0, 0) start.
    pub seuil: Option<f64>,
}

/// The ROC curve of one class against the others.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourbeRoc {
    #[schema(example = "extreme_droite")]
    pub classe: String,
    pub auc: f64,
    pub points: Vec<PointRoc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RocModele {
    pub id: String,
    pub courbes: Vec<CourbeRoc>,
}

/// A model's name for titles: its algorithm, and its feature set when not the default
/// by its short label (`Régression logistique`, `k plus proches voisins (+ INSEE)`).
pub fn libelle_complet(e: &ml::evaluate::Evaluation) -> String {
    match ml::features::jeu(&e.jeu_features) {
        Some(jeu) if jeu.id != ml::features::JEU_DEFAUT => {
            format!("{} ({})", e.algorithme.libelle(), jeu.court)
        }
        _ => e.algorithme.libelle().to_owned(),
    }
}

pub fn resume(state: &AppState, m: &LoadedModel) -> ModeleResume {
    let e = &m.evaluation;
    ModeleResume {
        id: e.id.clone(),
        algorithme: e.algorithme.id().to_owned(),
        libelle: e.algorithme.libelle().to_owned(),
        jeu_features: e.jeu_features.clone(),
        hyperparametres: e
            .hyperparametres
            .iter()
            .map(|(nom, valeur)| Parametre {
                nom: nom.clone(),
                valeur: valeur.clone(),
            })
            .collect(),
        features: e.features.clone(),
        classes: e.classes.clone(),
        trimestre: e.trimestre.clone(),
        n_echantillons: e.n_echantillons,
        accuracy_moyenne: e.accuracy_moyenne,
        accuracy_ecart_type: e.accuracy_ecart_type,
        accuracy_hors_pli: accuracy_hors_pli(&state.snapshot, e),
        macro_f1: e.macro_f1,
        auc_macro: e.auc_macro,
        par_defaut: state.best_model().is_some_and(|b| b.evaluation.id == e.id),
    }
}

/// Share of right out-of-fold predictions (first repetition), against the families that
/// actually led round 1.
pub fn accuracy_hors_pli(snapshot: &db::Snapshot, e: &ml::evaluate::Evaluation) -> Option<f64> {
    let quarter: db::Quarter = e.trimestre.parse().ok()?;
    let labels: Option<Vec<usize>> = e
        .hors_pli
        .iter()
        .map(|h| {
            let famille = snapshot
                .indicateurs(&h.code, ml::features::cible()?, quarter)?
                .famille_gagnante;
            e.classes.iter().position(|c| *c == famille)
        })
        .collect();
    e.accuracy_hors_pli(&labels?)
}

/// The model `id`, or the most accurate one when none is named (blank counts as none).
pub fn find_or_best<'a>(
    state: &'a AppState,
    id: Option<&str>,
) -> Result<&'a LoadedModel, ApiError> {
    match id.map(str::trim).filter(|m| !m.is_empty()) {
        Some(id) => find(state, id),
        None => state.best_model().ok_or_else(|| {
            ApiError::NotFound("no model in the database: run `cargo run --release -p ml`".into())
        }),
    }
}

pub fn find<'a>(state: &'a AppState, id: &str) -> Result<&'a LoadedModel, ApiError> {
    state.model(id).ok_or_else(|| {
        let known: Vec<&str> = state
            .models
            .iter()
            .map(|m| m.evaluation.id.as_str())
            .collect();
        ApiError::NotFound(format!("no model '{id}'; models: {}", known.join(", ")))
    })
}

/// A model card: scores, confusion matrix, per-class scores, importances, hold-out, limits.
pub fn fiche(state: &AppState, m: &LoadedModel) -> FicheModele {
    let e = &m.evaluation;
    FicheModele {
        resume: resume(state, m),
        protocole: format!(
            "validation croisée stratifiée {} plis x {} répétitions, graine {} ; hold-out stratifié {} %",
            e.protocole.folds,
            e.protocole.repeats,
            e.protocole.seed,
            (e.protocole.test_fraction * 100.0).round()
        ),
        matrice_confusion: e.matrice_confusion.clone(),
        scores_classes: e
            .classes
            .iter()
            .zip(&e.scores_classes)
            .map(|(classe, s)| ScoresClasse {
                classe: classe.clone(),
                precision: s.precision,
                rappel: s.recall,
                f1: s.f1,
                effectif: s.support,
            })
            .collect(),
        importance_permutation: e
            .importance_permutation
            .iter()
            .map(|i| ImportanceFeature {
                feature: i.feature.clone(),
                baisse_accuracy: i.baisse_accuracy,
                ecart_type: i.ecart_type,
            })
            .collect(),
        holdout: HoldOut {
            n_train: e.holdout.n_train,
            n_test: e.holdout.n_test,
            accuracy_train: e.holdout.accuracy_train,
            accuracy_test: e.holdout.accuracy_test,
        },
        usage_prevu:
            "Explorer, à des fins pédagogiques, le lien entre indicateurs socio-économiques et \
vote au 1er tour de la présidentielle 2022 par département."
                .to_owned(),
        limites: limites(e),
    }
}

/// What a model card warns about, by feature set.
fn limites(e: &ml::evaluate::Evaluation) -> Vec<String> {
    let mut limites = vec![
        format!("Échantillon petit : {} départements.", e.n_echantillons),
        "Corrélation, pas causalité : le modèle ne dit pas pourquoi un département vote."
            .to_owned(),
        "Une seule élection prédite (2022) : rien ne garantit la validité pour une autre."
            .to_owned(),
        "Comparer toujours à la classe majoritaire (baseline_majorite).".to_owned(),
        "Pour un département connu, /predict répond avec le modèle réajusté sur tous les \
         départements, celui-ci compris : ce n'est pas un test. La prédiction honnête est la \
         prédiction hors pli de /predictions."
            .to_owned(),
    ];
    if e.features.iter().any(|f| f == "revenu_median") {
        limites.push(
            "Indicateurs INSEE d'années différentes (Filosofi 2019, population 2022, \
             recensement 2021) : ils décrivent le département autour de l'élection, pas le jour du vote."
                .to_owned(),
        );
    }
    if e.features.iter().any(|f| f.ends_with("_2017")) {
        limites.push(
            "Utilise les votes de 2017 : il prédit 2022 par la persistance de la géographie \
             électorale, ce qui n'explique rien des causes du vote."
                .to_owned(),
        );
    }
    limites
}

/// Most points a ROC curve may be asked for (`points=`).
pub const MAX_POINTS_ROC: usize = 1000;

/// At most `cap` points of `points`, evenly spread, the first and last kept.
fn spread(points: Vec<ml::metrics::RocPoint>, cap: usize) -> Vec<ml::metrics::RocPoint> {
    let n = points.len();
    if n <= cap || cap < 2 {
        return points;
    }
    (0..cap)
        .map(|k| points[(k * (n - 1) + (cap - 1) / 2) / (cap - 1)].clone())
        .collect()
}

/// One-vs-rest ROC curves of a model, from its out-of-fold probabilities: only the points
/// where the curve changes direction (same curve, same AUC), and at most `cap` of them, evenly
/// spread (an approximation of the curve; `auc` stays the full curve's).
pub fn roc(m: &LoadedModel, cap: Option<usize>) -> RocModele {
    RocModele {
        id: m.evaluation.id.clone(),
        courbes: m
            .evaluation
            .roc
            .iter()
            .map(|c| CourbeRoc {
                classe: c.classe.clone(),
                auc: c.auc,
                points: spread(
                    ml::metrics::roc_corners(&c.points),
                    cap.unwrap_or(usize::MAX),
                )
                .iter()
                .map(|p| PointRoc {
                    fpr: p.fpr,
                    tpr: p.tpr,
                    seuil: p.threshold,
                })
                .collect(),
            })
            .collect(),
    }
}
