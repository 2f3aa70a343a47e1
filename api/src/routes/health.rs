use std::collections::BTreeMap;

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// Service status and the data it serves.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthResponse {
    /// Always `ok` when the service answers.
    #[schema(example = "ok")]
    pub status: String,
    /// Hash of the loaded data: changes whenever the ETL changes any row.
    #[schema(example = "3f2a9c0d5e6b7a81")]
    pub version_donnees: String,
    /// Rows per database table.
    pub lignes: BTreeMap<String, usize>,
}

/// Service status, data version and row counts.
#[utoipa::path(
    operation_id = "get_health",
    tag = "service",
    responses((status = 200, description = "The service is up", body = HealthResponse))
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<HealthResponse>, ApiError> {
    let snapshot = &state.snapshot;
    Ok(web::Json(HealthResponse {
        status: "ok".to_owned(),
        version_donnees: snapshot.version.clone(),
        lignes: snapshot
            .row_counts()
            .iter()
            .map(|(t, n)| ((*t).to_owned(), *n))
            .collect(),
    }))
}
