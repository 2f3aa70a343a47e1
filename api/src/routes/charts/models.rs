//! Charts of the models: accuracy beside the baseline, and one model's confusion matrix,
//! permutation importance or ROC curves (drawn by `ml::report`).

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::respond;
use crate::error::ApiError;
use crate::params::charts::{AccuracyQuery, ChartQuery};
use crate::render;
use crate::state::AppState;
use crate::views::models;

/// Cross-validated accuracy of every model (or of one feature set's) beside the
/// majority-class baseline.
#[utoipa::path(
    operation_id = "chart_models_accuracy",
    tag = "charts",
    params(AccuracyQuery, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/models/accuracy")]
pub async fn models_accuracy(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<AccuracyQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let jeu = query.jeu()?.map(|j| j.id);
    respond(&request, &state, look, move |s, look| {
        let evaluations: Vec<ml::evaluate::Evaluation> = s
            .models
            .iter()
            .filter(|m| jeu.is_none_or(|j| m.evaluation.jeu_features == j))
            .map(|m| m.evaluation.clone())
            .collect();
        ml::report::accuracy_chart(&look.chart, &evaluations).map_err(render::chart_error)
    })
    .await
}

/// A model's confusion matrix, permutation importance or ROC curves.
#[utoipa::path(
    operation_id = "chart_model",
    tag = "charts",
    params(
        ("id" = String, Path, description = "Model id (see /models)", example = "regression_logistique"),
        ("chart" = String, Path, description = "confusion, importance or roc", example = "roc"),
        ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/models/{id}/{chart}")]
pub async fn model_chart(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (id, kind) = path.into_inner();
    models::find(&state, &id)?;
    if !["confusion", "importance", "roc"].contains(&kind.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no chart '{kind}' for a model; charts: confusion, importance, roc"
        )));
    }
    respond(&request, &state, look, move |s, look| {
        let model = models::find(s, &id)?;
        let e = std::slice::from_ref(&model.evaluation);
        let ml = &look.chart;
        match kind.as_str() {
            "confusion" => ml::report::confusion_chart(ml, e),
            "importance" => ml::report::importance_chart(ml, &model.evaluation),
            _ => ml::report::roc_chart(ml, e),
        }
        .map_err(render::chart_error)
    })
    .await
}
