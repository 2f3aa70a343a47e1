//! `/models` and `/predict`: the models written by `ml`, their evaluation, and predictions.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::routes::table::{self, Cellule, Table, Tabulaire, joindre, nom_de_fichier};
use crate::state::AppState;
use crate::views::models::{self, FicheModele, ModeleResume, RocModele};
use crate::views::prediction::{Prediction, PredictionRequest, Probabilite, predict_with};
use crate::views::predictions::{self, Predictions};

/// Every model with its cross-validated scores (the majority-class baseline included). CSV
/// with `format=csv`, `format=csv-excel`, `Accept: text/csv` or `/models.csv`.
#[utoipa::path(
    operation_id = "list_models",
    tag = "modeles",
    params(FormatQuery),
    responses(
        (status = 200, description = "Models by id",
            content(
                (Vec<ModeleResume> = "application/json"),
                (String = "text/csv", example = "id,algorithme,libelle,jeu_features,...")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/models")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let rows: Vec<ModeleResume> = state
        .models
        .iter()
        .map(|m| models::resume(&state, m))
        .collect();
    table::reponse(sortie, "models", &rows)
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

/// Size of a ROC curve.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RocQuery {
    /// At most this many points per curve (2 to 1000), evenly spread along the curve: an
    /// approximation, for plotting. Default: every point where the curve changes direction,
    /// which is the exact curve.
    #[param(value_type = Option<u32>, minimum = 2, maximum = 1000, example = 50)]
    pub points: Option<String>,
}

/// One-vs-rest ROC curves of a model, from its out-of-fold probabilities: the points where
/// each curve changes direction (the points inside straight runs add nothing), its AUC
/// computed on the full curve.
#[utoipa::path(
    operation_id = "get_model_roc",
    tag = "modeles",
    params(("id" = String, Path, description = "Model id", example = "regression_logistique"), RocQuery),
    responses(
        (status = 200, description = "One curve per class", body = RocModele),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/models/{id}/roc")]
pub async fn roc(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<RocQuery>,
) -> Result<web::Json<RocModele>, ApiError> {
    let cap = match query
        .points
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(text) => Some(
            text.parse::<usize>()
                .ok()
                .filter(|n| (2..=models::MAX_POINTS_ROC).contains(n))
                .ok_or_else(|| {
                    ApiError::parameter(
                        "points",
                        format!(
                            "parameter 'points' must be an integer from 2 to {}, not '{text}'",
                            models::MAX_POINTS_ROC
                        ),
                        None,
                    )
                })?,
        ),
    };
    let m = models::find(&state, &id)?;
    Ok(web::Json(models::roc(m, cap)))
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
    body: web::Json<serde_json::Value>,
) -> Result<web::Json<Prediction>, ApiError> {
    // Read as JSON first (size, media type and syntax checked by the extractor), then typed
    // with the path of the field at fault: a string where a number is expected names
    // `overrides.taux_chomage` in `parametre`.
    let request: PredictionRequest =
        serde_path_to_error::deserialize(body.into_inner()).map_err(|e| {
            let chemin = e.path().to_string();
            ApiError::Unprocessable {
                detail: format!("body: '{chemin}': {}", e.inner()),
                parametre: (chemin != ".").then_some(chemin),
            }
        })?;
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

/// Model choice of `/predictions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PredictionsQuery {
    /// Model id (see /models); default: the best by cross-validated accuracy.
    #[param(example = "regression_logistique__socio_economique_historique")]
    pub modele: Option<String>,
}

impl Tabulaire for Predictions {
    /// The scored départements, then the others with their reason; one column per family
    /// probability (`proba_hors_pli_<famille>`, `proba_<famille>`).
    fn table(&self) -> Table {
        let mut colonnes: Vec<String> = [
            "code",
            "nom",
            "famille_reelle",
            "famille_predite_hors_pli",
            "juste_hors_pli",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        colonnes.extend(self.classes.iter().map(|c| format!("proba_hors_pli_{c}")));
        colonnes.extend(["famille_predite".to_owned(), "juste".to_owned()]);
        colonnes.extend(self.classes.iter().map(|c| format!("proba_{c}")));
        colonnes.push("raison_non_predit".to_owned());
        let probas = |list: &[Probabilite]| -> Vec<Cellule> {
            self.classes
                .iter()
                .map(|c| {
                    list.iter()
                        .find(|q| q.famille == *c)
                        .map(|q| q.probabilite)
                        .into()
                })
                .collect()
        };
        let mut t = Table {
            colonnes,
            lignes: Vec::new(),
        };
        for l in &self.lignes {
            let mut row: Vec<Cellule> = vec![
                (&l.code).into(),
                (&l.nom).into(),
                l.famille_reelle.as_ref().into(),
                l.famille_predite_hors_pli.as_ref().into(),
                l.juste_hors_pli.into(),
            ];
            row.extend(probas(&l.probabilites_hors_pli));
            row.extend([(&l.famille_predite).into(), l.juste.into()]);
            row.extend(probas(&l.probabilites));
            row.push(Cellule::Vide);
            t.push(row);
        }
        let width = t.colonnes.len();
        for n in &self.non_predits {
            let mut row: Vec<Cellule> = vec![(&n.code).into(), (&n.nom).into()];
            row.resize(width - 1, Cellule::Vide);
            row.push((&n.raison).into());
            t.push(row);
        }
        t
    }
}

impl Tabulaire for Vec<ModeleResume> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "id",
            "algorithme",
            "libelle",
            "jeu_features",
            "hyperparametres",
            "features",
            "classes",
            "trimestre",
            "n_echantillons",
            "accuracy_moyenne",
            "accuracy_ecart_type",
            "accuracy_hors_pli",
            "macro_f1",
            "auc_macro",
            "par_defaut",
        ]);
        for m in self {
            let hyperparametres: Vec<String> = m
                .hyperparametres
                .iter()
                .map(|p| format!("{}={}", p.nom, p.valeur))
                .collect();
            t.push(vec![
                (&m.id).into(),
                (&m.algorithme).into(),
                (&m.libelle).into(),
                (&m.jeu_features).into(),
                hyperparametres.join(" ; ").into(),
                joindre(&m.features),
                joindre(&m.classes),
                (&m.trimestre).into(),
                m.n_echantillons.into(),
                m.accuracy_moyenne.into(),
                m.accuracy_ecart_type.into(),
                m.accuracy_hors_pli.into(),
                m.macro_f1.into(),
                m.auc_macro.into(),
                m.par_defaut.into(),
            ]);
        }
        t
    }
}

/// Every prediction of a model at once, one row per département it can score: the actual
/// leading family; the out-of-fold prediction (the model of the first cross-validation
/// repetition that did not see the département: the honest one) and the prediction of the
/// model refit on every département (what `/predict` answers), each with its probabilities
/// and whether it is right. The départements it cannot score are listed in `non_predits`
/// with the missing features: exactly those `POST /predict` answers 422 for. CSV with
/// `format=csv`, `format=csv-excel`, `Accept: text/csv` or `/predictions.csv`: the same rows,
/// one column per family probability, the unscored départements last with
/// `raison_non_predit`.
#[utoipa::path(
    operation_id = "list_predictions",
    tag = "modeles",
    params(PredictionsQuery, FormatQuery),
    responses(
        (status = 200, description = "The predictions",
            content(
                (Predictions = "application/json"),
                (String = "text/csv", example = "code,nom,famille_reelle,famille_predite_hors_pli,juste_hors_pli,proba_hors_pli_gauche,...")
            )
        ),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/predictions")]
pub async fn predictions_liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PredictionsQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let m = models::find_or_best(&state, query.modele.as_deref())?;
    let p = predictions::predictions(&state, m)?;
    table::reponse(
        sortie,
        &format!("predictions-{}", nom_de_fichier(&p.modele)),
        &p,
    )
}
