//! Every prediction of a model at once: for each département, its actual leading family, the
//! refit model's prediction (trained on every département, this one included) and the honest
//! out-of-fold one (the model of the first cross-validation repetition that did not see it),
//! with their probabilities. The départements the model cannot score are listed with why:
//! exactly those for which `POST /predict` answers 422, since each row goes through it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::prediction::{PredictionRequest, Probabilite, predict_with};
use crate::error::ApiError;
use crate::state::{AppState, LoadedModel};

/// One département's predictions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LignePrediction {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    /// The family that led round 1 of 2022; null where the result is missing.
    #[schema(example = "extreme_droite")]
    pub famille_reelle: Option<String>,
    /// Out-of-fold prediction: the model of the first cross-validation repetition that did
    /// not see this département. Null for a département outside the training samples.
    #[schema(example = "extreme_droite")]
    pub famille_predite_hors_pli: Option<String>,
    /// Its probabilities, one per class of the model (empty when null above).
    pub probabilites_hors_pli: Vec<Probabilite>,
    /// Whether the out-of-fold prediction is the actual family.
    pub juste_hors_pli: Option<bool>,
    /// Prediction of the model refit on every département, this one included (what
    /// `/predict` answers): not a test.
    #[schema(example = "extreme_droite")]
    pub famille_predite: String,
    pub probabilites: Vec<Probabilite>,
    pub juste: Option<bool>,
}

/// A département the model cannot score, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NonPredit {
    #[schema(example = "976")]
    pub code: String,
    #[schema(example = "Mayotte")]
    pub nom: String,
    /// The features it has no value for.
    pub features_manquantes: Vec<String>,
    #[schema(example = "aucune valeur pour : Chômage moyen sur 10 ans (%)")]
    pub raison: String,
}

/// Every prediction of one model.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Predictions {
    #[schema(example = "regression_logistique__socio_economique_historique")]
    pub modele: String,
    /// Families, in the order of the probabilities.
    pub classes: Vec<String>,
    /// Share of right out-of-fold predictions (first repetition) over the rows that have one.
    pub accuracy_hors_pli: Option<f64>,
    /// Share of right refit predictions over the rows with an actual family: in-sample, so
    /// optimistic.
    pub accuracy_apprentissage: Option<f64>,
    /// In code order.
    pub lignes: Vec<LignePrediction>,
    pub non_predits: Vec<NonPredit>,
}

fn share(flags: impl Iterator<Item = bool>) -> Option<f64> {
    let (mut right, mut n) = (0usize, 0usize);
    for flag in flags {
        n += 1;
        right += usize::from(flag);
    }
    (n > 0).then(|| right as f64 / n as f64)
}

fn argmax_class(classes: &[String], p: &[f64]) -> String {
    classes
        .get(ml::models::argmax(p))
        .cloned()
        .unwrap_or_default()
}

/// Every prediction of the model `m` for every département (and other constituency) of the
/// snapshot, in code order.
pub fn predictions(state: &AppState, m: &LoadedModel) -> Result<Predictions, ApiError> {
    let e = &m.evaluation;
    let snapshot = &state.snapshot;
    let quarter: Option<db::Quarter> = e.trimestre.parse().ok();
    let mut lignes = Vec::new();
    let mut non_predits = Vec::new();
    let mut departements: Vec<&db::models::Departement> = snapshot.departements.iter().collect();
    departements.sort_by(|a, b| a.code.cmp(&b.code));
    for d in departements {
        let request = PredictionRequest {
            departement: Some(d.code.clone()),
            modele: Some(e.id.clone()),
            overrides: None,
            features: None,
        };
        match predict_with(state, snapshot, &request) {
            Ok(p) => {
                let hors_pli = e.hors_pli.iter().find(|h| h.code == d.code);
                let famille_predite_hors_pli =
                    hors_pli.map(|h| argmax_class(&e.classes, &h.probabilites));
                let reelle = p.famille_reelle.clone();
                lignes.push(LignePrediction {
                    code: d.code.clone(),
                    nom: d.nom.clone(),
                    juste_hors_pli: reelle
                        .as_ref()
                        .zip(famille_predite_hors_pli.as_ref())
                        .map(|(a, b)| a == b),
                    famille_predite_hors_pli,
                    probabilites_hors_pli: hors_pli
                        .map(|h| {
                            e.classes
                                .iter()
                                .zip(&h.probabilites)
                                .map(|(famille, probabilite)| Probabilite {
                                    famille: famille.clone(),
                                    probabilite: *probabilite,
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    juste: reelle.as_ref().map(|a| *a == p.famille_predite),
                    famille_reelle: reelle,
                    famille_predite: p.famille_predite,
                    probabilites: p.probabilites,
                });
            }
            Err(ApiError::Unprocessable { detail, .. }) => {
                let features_manquantes: Vec<String> = e
                    .features
                    .iter()
                    .filter(|f| {
                        quarter.is_none_or(|q| {
                            ml::features::feature(snapshot, &d.code, f, q).is_none()
                        })
                    })
                    .cloned()
                    .collect();
                let raison = if features_manquantes.is_empty() {
                    detail
                } else {
                    let labels: Vec<&str> = features_manquantes
                        .iter()
                        .map(|f| ml::features::libelle(f).unwrap_or(f))
                        .collect();
                    format!("aucune valeur pour : {}", labels.join(" ; "))
                };
                non_predits.push(NonPredit {
                    code: d.code.clone(),
                    nom: d.nom.clone(),
                    features_manquantes,
                    raison,
                });
            }
            Err(other) => return Err(other),
        }
    }
    Ok(Predictions {
        modele: e.id.clone(),
        classes: e.classes.clone(),
        accuracy_hors_pli: super::models::accuracy_hors_pli(snapshot, e),
        accuracy_apprentissage: share(lignes.iter().filter_map(|l| l.juste)),
        lignes,
        non_predits,
    })
}
