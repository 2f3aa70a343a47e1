//! `/indicateurs`: one row of indicators per département, as JSON or CSV, and the national
//! totals.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::scope::{Filtres, ScrutinQuery};
use crate::state::AppState;
use crate::views::Scope;
use crate::views::indicateurs::{self, Indicateur};
use crate::views::resultats::{ResultatTour, national_result};

fn to_csv(rows: &[Indicateur]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| ApiError::Internal(format!("CSV: {e}")))?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("CSV: {e}")))
}

/// One row per département (and other constituency): unemployment, turnout, blank and null
/// votes, each political family's share and the winning family for one round of one
/// election (`annee`, default 2022), and the INSEE socio-economic indicators (null where
/// missing). CSV with `?format=csv` or `Accept: text/csv`.
#[utoipa::path(
    operation_id = "list_indicateurs",
    tag = "indicateurs",
    params(Filtres, FormatQuery),
    responses(
        (status = 200, description = "Indicator rows in code order",
            content(
                (Vec<Indicateur> = "application/json"),
                (String = "text/csv", example = "code,nom,region_code,est_departement,annee,tour,trimestre,taux_chomage,...")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/indicateurs")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    scope: Scope,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = format.wants_csv(&request)?;
    let rows = indicateurs::rows(&state.snapshot, &scope);
    if csv {
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::VARY, "Accept"))
            .body(to_csv(&rows)?))
    } else {
        Ok(HttpResponse::Ok()
            .insert_header((header::VARY, "Accept"))
            .json(rows))
    }
}

/// National totals over every constituency (French people abroad included), with rates,
/// candidates, families and winners.
#[utoipa::path(
    operation_id = "get_national_indicateurs",
    tag = "indicateurs",
    params(ScrutinQuery),
    responses(
        (status = 200, description = "National result of the round", body = ResultatTour),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/indicateurs/national")]
pub async fn national(
    state: web::Data<AppState>,
    query: web::Query<ScrutinQuery>,
) -> Result<web::Json<ResultatTour>, ApiError> {
    let snapshot = &state.snapshot;
    let scrutin = query.resolve(snapshot)?;
    national_result(snapshot, scrutin)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {scrutin}")))
}
