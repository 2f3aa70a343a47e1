//! Charts of one département: votes by family, candidates, unemployment since 1982.

use actix_web::{HttpRequest, HttpResponse, get, web};
use db::models::Departement;
use db::{Scrutin, Snapshot};

use super::respond_with;
use crate::error::ApiError;
use crate::params::charts::ChartQuery;
use crate::params::scope::ScrutinQuery;
use crate::state::AppState;
use crate::views::charts::Dessin;
use crate::views::{charts, departements};

/// The data of a chart of one département in one round.
type RoundChart = fn(&Snapshot, &Departement, Scrutin) -> Result<Dessin, ApiError>;

/// The response of a chart of one département in one round.
async fn round_chart(
    request: &HttpRequest,
    state: &AppState,
    code: &str,
    tour: &ScrutinQuery,
    chart: &ChartQuery,
    view: RoundChart,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let d = departements::find(&state.snapshot, code)?.clone();
    let scrutin = tour.resolve(&state.snapshot)?;
    respond_with(request, state, look, move |s| {
        view(&s.snapshot, &d, scrutin)
    })
    .await
}

/// A département's votes by political family.
#[utoipa::path(
    operation_id = "chart_departement_families",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        ScrutinQuery, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/departements/{code}/familles")]
pub async fn departement_familles(
    request: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    tour: web::Query<ScrutinQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    round_chart(&request, &state, &code, &tour, &chart, charts::familles).await
}

/// A département's candidate results, best first.
#[utoipa::path(
    operation_id = "chart_departement_candidates",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        ScrutinQuery, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/departements/{code}/candidats")]
pub async fn departement_candidats(
    request: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    tour: web::Query<ScrutinQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    round_chart(&request, &state, &code, &tour, &chart, charts::candidats).await
}

/// A département's quarterly unemployment rate, 1982-2025, with the 2022 election marked.
#[utoipa::path(
    operation_id = "chart_departement_unemployment",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/departements/{code}/chomage")]
pub async fn departement_chomage(
    request: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let d = departements::find(&state.snapshot, &code)?.clone();
    respond_with(&request, &state, look, move |s| {
        charts::chomage(&s.snapshot, &d)
    })
    .await
}
