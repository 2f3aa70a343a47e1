//! Predictions: the family a model predicts for a département (with what-if values) or for
//! a raw feature vector, with the probability of each family.

use std::collections::BTreeMap;

use db::Snapshot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::departements;
use super::models::find_or_best;
use crate::error::ApiError;
use crate::state::AppState;

/// A prediction request: a département (with optional what-if overrides) or raw features.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PredictionRequest {
    /// INSEE or election-file code; give this or `features`.
    #[schema(example = "59")]
    pub departement: Option<String>,
    /// Model id; default: the best by cross-validated accuracy.
    #[schema(example = "regression_logistique")]
    pub modele: Option<String>,
    /// Feature values replacing the département's own (what-if).
    #[schema(example = json!({"taux_chomage": 11.5}))]
    pub overrides: Option<BTreeMap<String, f64>>,
    /// Every feature of the model, instead of a département.
    pub features: Option<BTreeMap<String, f64>>,
}

/// A family and its probability.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Probabilite {
    #[schema(example = "extreme_droite")]
    pub famille: String,
    pub probabilite: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Prediction {
    #[schema(example = "regression_logistique")]
    pub modele: String,
    /// The département, when the request named one.
    #[schema(example = "59")]
    pub departement: Option<String>,
    #[schema(example = "extreme_droite")]
    pub famille_predite: String,
    /// One per class of the model; they sum to 1.
    pub probabilites: Vec<Probabilite>,
    /// The feature values used, after overrides, rounded to each variable's decimals (4 for
    /// the derived features); whole values are integers.
    #[serde(serialize_with = "super::carte_entiers_si_ronds")]
    pub features: BTreeMap<String, f64>,
    /// The family that actually led round 1 in the département.
    pub famille_reelle: Option<String>,
}

fn unprocessable(field: &str, detail: String) -> ApiError {
    ApiError::Unprocessable {
        detail,
        parametre: Some(field.to_owned()),
    }
}

/// Plausible range of a feature (the indicator registry's, or the derived feature's).
fn range(feature: &str) -> (f64, f64) {
    ml::features::plage(feature).unwrap_or((0.0, 100.0))
}

fn check_value(field: &str, feature: &str, value: f64) -> Result<(), ApiError> {
    let (lo, hi) = range(feature);
    if !value.is_finite() || value < lo || value > hi {
        return Err(unprocessable(
            field,
            format!("{field}: {value} is outside [{lo}, {hi}] for {feature}"),
        ));
    }
    Ok(())
}

pub fn predict_with(
    state: &AppState,
    snapshot: &Snapshot,
    request: &PredictionRequest,
) -> Result<Prediction, ApiError> {
    let m = find_or_best(state, request.modele.as_deref())?;
    let e = &m.evaluation;
    let quarter: db::Quarter = e
        .trimestre
        .parse()
        .map_err(|error: String| ApiError::Internal(error))?;
    let (departement, mut values) = match (&request.departement, &request.features) {
        (Some(_), Some(_)) => {
            return Err(unprocessable(
                "features",
                "give either 'departement' or 'features', not both".into(),
            ));
        }
        (None, None) => {
            return Err(unprocessable(
                "departement",
                "give 'departement' or 'features'".into(),
            ));
        }
        (Some(code), None) => {
            let d = departements::find(snapshot, code)?;
            let mut values = BTreeMap::new();
            for f in &e.features {
                if let Some(v) = ml::features::feature(snapshot, &d.code, f, quarter) {
                    values.insert(f.clone(), v);
                }
            }
            (Some(d.code.clone()), values)
        }
        (None, Some(features)) => {
            for name in features.keys() {
                if !e.features.contains(name) {
                    return Err(unprocessable(
                        &format!("features.{name}"),
                        format!(
                            "unknown feature '{name}'; the model takes {}",
                            e.features.join(", ")
                        ),
                    ));
                }
            }
            (None, features.clone())
        }
    };
    if let Some(overrides) = &request.overrides {
        for (name, value) in overrides {
            if !e.features.contains(name) {
                return Err(unprocessable(
                    &format!("overrides.{name}"),
                    format!(
                        "unknown feature '{name}'; the model takes {}",
                        e.features.join(", ")
                    ),
                ));
            }
            values.insert(name.clone(), *value);
        }
    }
    let mut row = Vec::with_capacity(e.features.len());
    for f in &e.features {
        let value = values.get(f).copied().ok_or_else(|| match &departement {
            Some(code) => unprocessable(
                &format!("overrides.{f}"),
                format!("département {code} has no value for '{f}': give it in 'overrides'"),
            ),
            None => unprocessable(&format!("features.{f}"), format!("missing feature '{f}'")),
        })?;
        check_value(&format!("features.{f}"), f, value)?;
        row.push(value);
    }
    let p = m
        .model
        .predict_proba(&[row])
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let p = p.into_iter().next().unwrap_or_default();
    let best = ml::models::argmax(&p);
    Ok(Prediction {
        modele: e.id.clone(),
        famille_reelle: departement
            .as_deref()
            .and_then(|code| snapshot.indicateurs(code, ml::features::cible()?, quarter))
            .map(|i| i.famille_gagnante),
        departement,
        famille_predite: e.classes.get(best).cloned().unwrap_or_default(),
        probabilites: e
            .classes
            .iter()
            .zip(&p)
            .map(|(famille, probabilite)| Probabilite {
                famille: famille.clone(),
                probabilite: *probabilite,
            })
            .collect(),
        features: values
            .into_iter()
            .filter(|(k, _)| e.features.contains(k))
            .map(|(k, v)| {
                let shown = ml::features::arrondi(&k, v);
                (k, shown)
            })
            .collect(),
    })
}
