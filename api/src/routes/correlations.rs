//! `/correlations`: correlation matrix of indicator variables across départements.

use actix_web::{get, web};

use crate::error::ApiError;
use crate::params::CorrelationsQuery;
use crate::params::scope::Filtres;
use crate::state::AppState;
use crate::views::Scope;
use crate::views::correlations::{Correlations, compute};

/// Correlation matrix of indicator variables over the départements (not the overseas
/// collectivities nor French people abroad), on the départements where every chosen variable
/// is known.
#[utoipa::path(
    operation_id = "get_correlations",
    tag = "indicateurs",
    params(Filtres, CorrelationsQuery),
    responses(
        (status = 200, description = "The matrix", body = Correlations),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/correlations")]
pub async fn correlations(
    state: web::Data<AppState>,
    scope: Scope,
    query: web::Query<CorrelationsQuery>,
) -> Result<web::Json<Correlations>, ApiError> {
    let (variables, methode) = query.parse()?;
    compute(&state.snapshot, &scope, &variables, methode).map(web::Json)
}
