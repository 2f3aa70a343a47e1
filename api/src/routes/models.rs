//! `/models` and `/predict`: the models written by `ml`, their evaluation, and predictions.

use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::state::AppState;
use crate::views::models::{self, FicheModele, ModeleResume, RocModele};
use crate::views::prediction::{Prediction, PredictionRequest, predict_with};

/// Every model with its cross-validated scores (the majority-class baseline included).
#[utoipa::path(
    operation_id = "list_models",tag = "modeles", responses((status = 200, description = "Models by id", body = Vec<ModeleResume>)))]
#[get("/models")]
pub async fn liste(state: web::Data<AppState>) -> Result<web::Json<Vec<ModeleResume>>, ApiError> {
    Ok(web::Json(
        state
            .models
            .iter()
            .map(|m| models::resume(&state, m))
            .collect(),
    ))
}

/// A model card: scores, confusion matrix, per-class scores, importances, hold-out, limits.
#[utoipa::path(
    operation_id = "get_model",
    tag = "modeles",
    params(("id" = String, Path, description = "Model id (see /models)", example = "regression_logistique")),
    responses(
        (status = 200, description = "The model card", body = FicheModele),
        crate::routes::responses::Unknown,
    )
)]
#[get("/models/{id}")]
pub async fn fiche(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<FicheModele>, ApiError> {
    let m = models::find(&state, &id)?;
    Ok(web::Json(models::fiche(&state, m)))
}

/// One-vs-rest ROC curves of a model, from its out-of-fold probabilities.
#[utoipa::path(
    operation_id = "get_model_roc",
    tag = "modeles",
    params(("id" = String, Path, description = "Model id", example = "regression_logistique")),
    responses(
        (status = 200, description = "One curve per class", body = RocModele),
        crate::routes::responses::Unknown,
    )
)]
#[get("/models/{id}/roc")]
pub async fn roc(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<RocModele>, ApiError> {
    let m = models::find(&state, &id)?;
    Ok(web::Json(models::roc(m)))
}

/// Predicts the family leading round 1 in a département (with what-if overrides), or for a
/// raw feature vector.
#[utoipa::path(
    operation_id = "predict",
    tag = "modeles",
    request_body(content = PredictionRequest, example = json!({"departement": "59", "overrides": {"taux_chomage": 11.5}})),
    responses(
        (status = 200, description = "The prediction", body = Prediction),
        (status = 413, description = "Body over 16 KiB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body not sent as application/json", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown, missing, mistyped or out-of-range field", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[post("/predict")]
pub async fn predict(
    state: web::Data<AppState>,
    request: web::Json<PredictionRequest>,
) -> Result<web::Json<Prediction>, ApiError> {
    predict_with(&state, &state.snapshot, &request).map(web::Json)
}

/// Model choice of the prediction shortcut.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModeleQuery {
    /// Model id; default: the best by cross-validated accuracy.
    #[param(example = "regression_logistique")]
    pub modele: Option<String>,
}

/// The prediction for a département with its own indicators (shortcut of `POST /predict`).
#[utoipa::path(
    operation_id = "get_departement_prediction",
    tag = "modeles",
    params(("code" = String, Path, description = "INSEE or election-file code", example = "59"), ModeleQuery),
    responses(
        (status = 200, description = "The prediction", body = Prediction),
        (status = 422, description = "The département lacks a feature", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/departements/{code}/prediction")]
pub async fn prediction(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<ModeleQuery>,
) -> Result<web::Json<Prediction>, ApiError> {
    let request = PredictionRequest {
        departement: Some(code.into_inner()),
        modele: query.modele.clone(),
        overrides: None,
        features: None,
    };
    predict_with(&state, &state.snapshot, &request).map(web::Json)
}
