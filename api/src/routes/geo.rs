//! `GET /departements.geojson`: the départements' outlines with their indicators, for GIS
//! tools (QGIS, geopandas, kepler.gl).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::cartes::GeoJsonQuery;
use crate::params::scope::Filtres;
use crate::render;
use crate::state::AppState;
use crate::views::{Scope, cartes, geo};

// The shape of the GeoJSON, for the OpenAPI document only: the body is written by
// `geo::feature_collection`, which splices the stored geometries.
/// An RFC 7946 FeatureCollection: one Feature per département of the scope.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[schema(rename = "type", example = "FeatureCollection")]
    kind: String,
    features: Vec<Feature>,
}

/// One département.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Feature {
    /// Always `Feature`.
    #[schema(rename = "type", example = "Feature")]
    kind: String,
    /// The département's code.
    #[schema(example = "59")]
    id: String,
    /// The row of `/indicateurs` for the scope, plus `region_nom`.
    properties: crate::views::indicateurs::Indicateur,
    geometry: MultiPolygon,
}

/// An RFC 7946 MultiPolygon in WGS84 (longitude, latitude), exteriors counterclockwise.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MultiPolygon {
    /// Always `MultiPolygon`.
    #[schema(rename = "type", example = "MultiPolygon")]
    kind: String,
    coordinates: Vec<Vec<Vec<Vec<f64>>>>,
}

/// The départements as an RFC 7946 FeatureCollection (WGS84, exteriors counterclockwise,
/// coordinates at most 5 decimals), served as `application/geo+json`. Each feature's
/// properties are the département's code, name, region and every indicator of the scope,
/// the same values as `/indicateurs`; its `id` is the code.
#[utoipa::path(
    operation_id = "departements_geojson",
    tag = "departements",
    params(GeoJsonQuery, Filtres),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection (RFC 7946)", body = FeatureCollection, content_type = "application/geo+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/departements.geojson")]
pub async fn departements(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<GeoJsonQuery>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let simplifie = query.simplifie()?;
    cartes::verifier_region(&state.snapshot, &scope)?;
    // Megabytes of text: built on the rendering pool with its admission by cost, not on the
    // actix workers (16 uncached clients raised /health's p99 to 132 ms).
    let owned = state.clone();
    let body = state
        .renderer
        .run(
            render::geojson_cost(simplifie),
            crate::limits::deadline(&request),
            Box::new(move || geo::feature_collection(&owned.snapshot, &scope, simplifie)),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"departements.geojson\"",
        ))
        .body(body))
}
