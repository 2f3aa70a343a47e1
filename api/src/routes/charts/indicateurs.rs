//! Charts of the indicators over the départements of a scope.

use actix_web::{HttpRequest, HttpResponse, get, web};
use db::Variable;

use super::respond_with;
use crate::error::ApiError;
use crate::params::charts::{BinsQuery, ChartQuery, DepartementQuery, ScatterQuery};
use crate::params::scope::{Filtres, ScrutinQuery, TourQuery};
use crate::params::{self, CorrelationsQuery};
use crate::state::AppState;
use crate::views::{Scope, charts, departements};

/// Histogram of an indicator over the départements.
#[utoipa::path(
    operation_id = "chart_histogram",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "taux_abstention"),
        BinsQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/histogramme/{variable}")]
pub async fn histogramme(
    request: HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    bins: web::Query<BinsQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let variable = params::variable("variable", &variable)?;
    let classes = bins.bins()?;
    respond_with(&request, &state, look, move |s| {
        Ok(charts::histogramme(&s.snapshot, variable, &scope, classes))
    })
    .await
}

/// Box plots of an indicator by the political family leading in each département.
#[utoipa::path(
    operation_id = "chart_boxplot",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "taux_chomage"),
        Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/boites/{variable}")]
pub async fn boites(
    request: HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let variable = params::variable("variable", &variable)?;
    respond_with(&request, &state, look, move |s| {
        Ok(charts::boites(&s.snapshot, variable, &scope))
    })
    .await
}

/// Scatter plot of two indicators, one point per département coloured by the leading family,
/// with the least-squares line and r.
#[utoipa::path(
    operation_id = "chart_scatter",
    tag = "charts",
    params(ScatterQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/nuage")]
pub async fn nuage(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ScatterQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let nuage = query.nuage()?;
    respond_with(&request, &state, look, move |s| {
        Ok(charts::nuage(
            &s.snapshot,
            &scope,
            nuage.x,
            nuage.y,
            nuage.regression,
        ))
    })
    .await
}

/// Correlation heatmap of indicator variables, values printed in the cells.
#[utoipa::path(
    operation_id = "chart_correlations",
    tag = "charts",
    params(CorrelationsQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/correlations")]
pub async fn correlations_chart(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CorrelationsQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (variables, methode) = query.parse()?;
    respond_with(&request, &state, look, move |s| {
        charts::matrice(&s.snapshot, &scope, &variables, methode)
    })
    .await
}

/// Shift of each political family's share of valid votes and of participation between the
/// 2017 and 2022 presidential elections (same round), for a département or the whole country.
#[utoipa::path(
    operation_id = "chart_evolution",
    tag = "charts",
    params(DepartementQuery, TourQuery, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/evolution")]
pub async fn evolution(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<DepartementQuery>,
    tour: web::Query<TourQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let departement =
        departements::find_optional(&state.snapshot, query.departement.as_deref())?.cloned();
    let tour = tour.tour()?;
    respond_with(&request, &state, look, move |s| {
        charts::evolution(&s.snapshot, departement.as_ref(), tour)
    })
    .await
}

/// How `/charts/resultats` groups the votes.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegroupementQuery {
    /// `famille` (default) or `nuance` (the Ministry's labels; candidates for a presidential
    /// round).
    #[param(value_type = Option<String>, pattern = "^(famille|nuance)$", example = "nuance")]
    pub par: Option<String>,
}

/// The national result of a round as bars: by family, or by label (candidate for a
/// presidential round), each in its family's colour. `election=legislatives-2024-t1`.
#[utoipa::path(
    operation_id = "chart_national_results",
    tag = "charts",
    params(RegroupementQuery, ScrutinQuery, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/resultats")]
pub async fn resultats(
    request: HttpRequest,
    state: web::Data<AppState>,
    par: web::Query<RegroupementQuery>,
    scrutin: web::Query<ScrutinQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let scrutin = scrutin.resolve(&state.snapshot)?;
    let par = match par.par.as_deref().map(str::trim) {
        None | Some("") | Some("famille") => charts::Regroupement::Famille,
        Some("nuance") => charts::Regroupement::Nuance,
        Some(other) => {
            return Err(ApiError::parameter(
                "par",
                format!("parameter 'par' must be famille or nuance, not '{other}'"),
                Some(vec!["famille".into(), "nuance".into()]),
            ));
        }
    };
    respond_with(&request, &state, look, move |s| {
        charts::resultats_nationaux(&s.snapshot, scrutin, par)
    })
    .await
}
