//! `/familles` and `/regions`: the reference tables.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// A candidate of the 2022 election.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Candidat {
    pub id: i32,
    #[schema(example = "MÉLENCHON")]
    pub nom: String,
    #[schema(example = "Jean-Luc")]
    pub prenom: String,
    #[schema(example = "M")]
    pub sexe: String,
}

/// A political family and its candidates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Famille {
    #[schema(example = "gauche")]
    pub code: String,
    #[schema(example = "Gauche")]
    pub libelle: String,
    /// Display order, left to right.
    pub ordre: i32,
    pub candidats: Vec<Candidat>,
}

/// Political families (as in the original study) and their candidates.
#[utoipa::path(tag = "referentiel", responses((status = 200, description = "Families in display order", body = Vec<Famille>)))]
#[get("/familles")]
pub async fn familles(state: web::Data<AppState>) -> Result<web::Json<Vec<Famille>>, ApiError> {
    let snapshot = &state.snapshot;
    Ok(web::Json(
        snapshot
            .familles
            .iter()
            .map(|f| Famille {
                code: f.code.clone(),
                libelle: f.libelle.clone(),
                ordre: f.ordre,
                candidats: snapshot
                    .candidats
                    .iter()
                    .filter(|c| c.famille_code == f.code)
                    .map(|c| Candidat {
                        id: c.id,
                        nom: c.nom.clone(),
                        prenom: c.prenom.clone(),
                        sexe: c.sexe.clone(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// A département, as listed in its region.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementRef {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
}

/// A region and its départements.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Region {
    /// INSEE region code; `COM` groups the overseas collectivities, `FE` French people abroad.
    #[schema(example = "32")]
    pub code: String,
    #[schema(example = "Hauts-de-France")]
    pub nom: String,
    pub departements: Vec<DepartementRef>,
}

/// Regions and their départements.
#[utoipa::path(tag = "referentiel", responses((status = 200, description = "Regions by code", body = Vec<Region>)))]
#[get("/regions")]
pub async fn regions(state: web::Data<AppState>) -> Result<web::Json<Vec<Region>>, ApiError> {
    let snapshot = &state.snapshot;
    Ok(web::Json(
        snapshot
            .regions
            .iter()
            .map(|r| Region {
                code: r.code.clone(),
                nom: r.nom.clone(),
                departements: snapshot
                    .departements
                    .iter()
                    .filter(|d| d.region_code == r.code)
                    .map(|d| DepartementRef {
                        code: d.code.clone(),
                        nom: d.nom.clone(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}
