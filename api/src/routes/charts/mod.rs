//! `/charts/...`: every chart of the original dashboard, rendered on the fly as SVG, or PNG
//! (`format=png` or a `.png` suffix). The data comes from [`crate::views::charts`]; every
//! render, SVG or PNG, runs on the rendering pool ([`crate::render`]).
//!
//! - [`indicateurs`]: histogram, box plots, scatter plot, correlation heatmap, evolution;
//! - [`departements`]: a département's families, candidates and unemployment;
//! - [`models`]: the models' accuracy, and a model's confusion matrix, importance or ROC;
//! - [`cartes`]: maps of the départements (an indicator, the leading family, a shift, the
//!   predictions).

pub mod cartes;
pub mod circonscriptions;
pub mod departements;
pub mod indicateurs;
pub mod models;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::params::charts::{Format, Look};
use crate::render;
use crate::state::AppState;
use crate::views::charts::Dessin;

/// Charts never change until the data does; the ETag carries the data version.
pub const CHART_CACHE_CONTROL: &str = "public, max-age=86400";
/// Charts are images: no script may run in them, even opened directly.
pub const CHART_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// Small, stable hash of the parameters for the ETag (FNV-1a, 64 bits).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The HTTP response of a chart: SVG or PNG with the image headers. The chart is built and
/// rendered on the rendering pool, within the request's deadline (see [`crate::render`]).
async fn respond<F>(
    request: &HttpRequest,
    state: &AppState,
    look: Look,
    build: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&AppState, &Look) -> Result<String, ApiError> + Send + 'static,
{
    respond_costing(request, state, look, 0, build).await
}

/// [`respond`] for a chart whose data is itself costly (`data_cost`, e.g. a LISA's
/// permutations): the pool admits the chart by both costs together.
async fn respond_costing<F>(
    request: &HttpRequest,
    state: &AppState,
    look: Look,
    data_cost: u64,
    build: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&AppState, &Look) -> Result<String, ApiError> + Send + 'static,
{
    let png = look.format == Format::Png;
    let cost = render::cost(look.chart.width, look.chart.height, png) + data_cost;
    let owned = state.clone();
    let body = state
        .renderer
        .run(
            cost,
            crate::limits::deadline(request),
            Box::new(move || {
                let svg = build(&owned, &look)?;
                if png {
                    render::png(&svg)
                } else {
                    Ok(svg.into_bytes())
                }
            }),
        )
        .await?;
    let content_type = if png { "image/png" } else { "image/svg+xml" };
    let key = format!("{}?{}", request.path(), request.query_string());
    let etag = format!("\"{}-{:016x}\"", state.snapshot.version, fnv1a(&key));
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, CHART_CACHE_CONTROL))
        .insert_header((header::CONTENT_SECURITY_POLICY, CHART_CSP))
        .body(body))
}

/// The response of a chart drawn from a view's data: `dessin` is built on the rendering pool
/// from the application state, then drawn with the look.
async fn respond_with<F>(
    request: &HttpRequest,
    state: &AppState,
    look: Look,
    dessin: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&AppState) -> Result<Dessin, ApiError> + Send + 'static,
{
    respond_with_cost(request, state, look, 0, dessin).await
}

/// [`respond_with`] for a chart whose data costs `data_cost` to compute.
async fn respond_with_cost<F>(
    request: &HttpRequest,
    state: &AppState,
    look: Look,
    data_cost: u64,
    dessin: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&AppState) -> Result<Dessin, ApiError> + Send + 'static,
{
    respond_costing(request, state, look, data_cost, move |s, look| {
        render::draw(&look.chart, &dessin(s)?)
    })
    .await
}
