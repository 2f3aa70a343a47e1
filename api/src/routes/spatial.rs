//! `/spatial/...`: spatial autocorrelation of an indicator over the départements of a scope
//! (see [`crate::views::spatial`]).

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::scope::Filtres;
use crate::params::spatial::{AlphaQuery, SpatialQuery};
use crate::render;
use crate::state::AppState;
use crate::views::{Scope, spatial};

/// Global Moran's I of an indicator on queen contiguity weights (row-standardised): I, its
/// expectation, variances and z-scores under normality and randomisation, and a permutation
/// pseudo p-value (fixed seed). The départements without a value or without a neighbour in
/// the scope (islands, overseas) are left out and listed.
#[utoipa::path(
    operation_id = "spatial_moran",
    tag = "spatial",
    params(SpatialQuery, Filtres),
    responses(
        (status = 200, description = "Global Moran's I", body = spatial::MoranGlobal),
        (status = 422, description = "Too few départements with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/spatial/moran")]
pub async fn moran(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SpatialQuery>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let (variable, permutations) = query.parse()?;
    let owned = state.clone();
    // Permutations are CPU work: off the actix workers, on the rendering pool.
    let result = state
        .renderer
        .run(
            render::spatial_cost(permutations),
            crate::limits::deadline(&request),
            Box::new(move || spatial::moran(&owned.snapshot, variable, &scope, permutations)),
        )
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Local Moran (LISA) of an indicator: per département Ii, its conditional-permutation
/// pseudo p-value, and its cluster (`HH`, `LL`, `HL`, `LH`, or `ns` above `alpha`).
#[utoipa::path(
    operation_id = "spatial_lisa",
    tag = "spatial",
    params(SpatialQuery, AlphaQuery, Filtres),
    responses(
        (status = 200, description = "Local Moran of each département", body = spatial::Lisa),
        (status = 422, description = "Too few départements with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/spatial/lisa")]
pub async fn lisa(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SpatialQuery>,
    alpha: web::Query<AlphaQuery>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let (variable, permutations) = query.parse()?;
    let alpha = alpha.alpha()?;
    let owned = state.clone();
    // Counted by the permutations it will draw: the FDR raises them (up to n / alpha).
    let drawn = alpha.permutations(permutations, state.snapshot.departements.len());
    let result = state
        .renderer
        .run(
            render::spatial_cost(drawn),
            crate::limits::deadline(&request),
            Box::new(move || spatial::lisa(&owned.snapshot, variable, &scope, permutations, alpha)),
        )
        .await?;
    Ok(HttpResponse::Ok().json(result))
}
