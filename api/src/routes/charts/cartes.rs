//! `/charts/carte/...`: maps of the départements (see [`crate::views::cartes`]), SVG or PNG,
//! rendered on the rendering pool like every chart.

use actix_web::{HttpRequest, HttpResponse, get, web};
use db::Variable;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{respond_with, respond_with_cost};
use crate::error::ApiError;
use crate::params::cartes::{ClassesQuery, EcartsQuery};
use crate::params::charts::ChartQuery;
use crate::params::scope::{EntreQuery, Filtres};
use crate::params::spatial::{AlphaQuery, PermutationsQuery};
use crate::params::{self};
use crate::routes::models::ModeleQuery;
use crate::state::AppState;
use crate::views::{Scope, cartes, departements, models, predictions, spatial};

/// The highlighted département, if any: a known one.
fn surligne(state: &AppState, code: Option<&str>) -> Result<Option<String>, ApiError> {
    Ok(departements::find_optional(&state.snapshot, code)?.map(|d| d.code.clone()))
}

/// Choropleth map of an indicator by département: classes, palette and insets (overseas,
/// Paris and its inner ring); one `<path id="dep-{code}">` per département with a hover
/// title.
#[utoipa::path(
    operation_id = "chart_map",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "part_extreme_droite"),
        ClassesQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/carte/{variable}")]
pub async fn carte(
    request: HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    classes: web::Query<ClassesQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    let variable = params::variable("variable", &variable)?;
    let classement = classes.classement()?;
    let surligne = surligne(&state, classes.surligne.as_deref())?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::choroplethe(
            &s.snapshot,
            variable,
            &scope,
            classement,
            surligne.as_deref(),
        ))
    })
    .await
}

/// The highlighted département of a categorical map.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurligneQuery {
    /// A département to outline (INSEE code).
    #[param(example = "59")]
    pub surligne: Option<String>,
}

/// Map of the political family leading in each département, in the families' colours.
#[utoipa::path(
    operation_id = "chart_map_leading_family",
    tag = "charts",
    params(SurligneQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/carte/famille-gagnante")]
pub async fn famille_gagnante(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SurligneQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    let surligne = surligne(&state, query.surligne.as_deref())?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::famille_gagnante(
            &s.snapshot,
            &scope,
            surligne.as_deref(),
        ))
    })
    .await
}

/// Map of the shift of a political family's share of valid votes from 2017 to 2022 (same
/// round, `tour`), in points, on a diverging palette centred on 0.
#[utoipa::path(
    operation_id = "chart_map_evolution",
    tag = "charts",
    params(
        ("famille" = String, Path, description = "Political family (see /familles)", example = "extreme_droite"),
        EcartsQuery, EntreQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/carte/evolution/{famille}")]
pub async fn evolution(
    request: HttpRequest,
    state: web::Data<AppState>,
    famille: web::Path<String>,
    ecarts: web::Query<EcartsQuery>,
    entre: web::Query<EntreQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    let rounds = entre.resolve(&state.snapshot, scope.scrutin.tour)?;
    let famille = state
        .snapshot
        .famille(famille.trim())
        .cloned()
        .ok_or_else(|| {
            let known: Vec<&str> = state
                .snapshot
                .familles
                .iter()
                .map(|f| f.code.as_str())
                .collect();
            ApiError::NotFound(format!(
                "no political family '{famille}'; families: {}",
                known.join(", ")
            ))
        })?;
    let (n, palette) = ecarts.classes()?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::evolution(
            &s.snapshot,
            &famille,
            &scope,
            rounds,
            n,
            palette,
        ))
    })
    .await
}

/// Map of a model's out-of-fold predictions, right or wrong: each département predicted by
/// the model that did not see it in cross-validation.
#[utoipa::path(
    operation_id = "chart_map_prediction",
    tag = "charts",
    params(ModeleQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/carte/prediction")]
pub async fn prediction(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ModeleQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    let id = models::find_or_best(&state, query.modele.as_deref())?
        .evaluation
        .id
        .clone();
    respond_with(&request, &state, look, move |s| {
        let m = models::find(s, &id)?;
        let p = predictions::predictions(s, m)?;
        let libelle = models::libelle_complet(&m.evaluation);
        Ok(cartes::prediction(&s.snapshot, &p, &libelle, &scope))
    })
    .await
}

/// LISA cluster map of an indicator: hot spots (HH), cold spots (LL) and spatial outliers
/// (HL, LH) significant at `alpha`, the others grey, those left out (no value, no neighbour)
/// hatched.
#[utoipa::path(
    operation_id = "chart_map_lisa",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "taux_chomage"),
        AlphaQuery, PermutationsQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 422, description = "Too few départements with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/carte/lisa/{variable}")]
pub async fn lisa(
    request: HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    alpha: web::Query<AlphaQuery>,
    permutations: web::Query<PermutationsQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    let (variable, alpha, permutations, cost) = spatiaux(&state, &variable, &alpha, &permutations)?;
    respond_with_cost(&request, &state, look, cost, move |s| {
        let l = spatial::lisa(&s.snapshot, variable, &scope, permutations, alpha)?;
        Ok(cartes::lisa(&s.snapshot, &l, variable, &scope))
    })
    .await
}

/// The indicator, significance level and permutations of a spatial chart, and the cost of its
/// LISA: counted by the permutations it will draw (the FDR raises them, up to n / alpha).
fn spatiaux(
    state: &AppState,
    variable: &str,
    alpha: &AlphaQuery,
    permutations: &PermutationsQuery,
) -> Result<(Variable, crate::views::spatial::Seuil, usize, u64), ApiError> {
    let seuil = alpha.alpha()?;
    let permutations = crate::params::spatial::permutations(permutations.permutations.as_deref())?;
    let drawn = seuil.permutations(permutations, state.snapshot.departements.len());
    Ok((
        params::variable("variable", variable)?,
        seuil,
        permutations,
        crate::render::spatial_cost(drawn),
    ))
}

/// Moran scatter plot of an indicator: each département's standardised value against its
/// neighbours' mean, coloured by LISA cluster; the least-squares slope is Moran's I.
#[utoipa::path(
    operation_id = "chart_moran",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "part_extreme_droite"),
        AlphaQuery, PermutationsQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 422, description = "Too few départements with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/charts/moran/{variable}")]
pub async fn moran(
    request: HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    alpha: web::Query<AlphaQuery>,
    permutations: web::Query<PermutationsQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (variable, alpha, permutations, cost) = spatiaux(&state, &variable, &alpha, &permutations)?;
    // Moran's I draws its permutations too.
    let cost = cost + crate::render::spatial_cost(permutations);
    respond_with_cost(&request, &state, look, cost, move |s| {
        let m = spatial::moran(&s.snapshot, variable, &scope, permutations)?;
        let l = spatial::lisa(&s.snapshot, variable, &scope, permutations, alpha)?;
        Ok(crate::views::charts::moran(variable, &scope, &m, &l))
    })
    .await
}
