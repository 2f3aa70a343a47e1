//! The elections by label: `/nuances` (the nuance grids and the family of each label),
//! `/sieges` (seats by nuance and family), and the shift between any two rounds, for the
//! country (`/ecart`) or a département (`/departements/{code}/ecart`).

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::scope::{self, EntreQuery};
use crate::routes::table::{self, Table, Tabulaire};
use crate::state::AppState;
use crate::views::departements;
use crate::views::ecarts::{self, Ecart};
use crate::views::elections::{self as vues, NuanceRef, Sieges};

/// One election, or one of its rounds.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ElectionQuery {
    /// An election (`legislatives-2024`) or one of its rounds (`legislatives-2024-t1`), see
    /// `/elections`.
    #[param(value_type = Option<String>, pattern = "^[a-z]+-[0-9]{4}(-t[12])?$", example = "legislatives-2024")]
    pub election: Option<String>,
}

/// The political labels (the Ministry's nuances) of the elections by label, each with the
/// study's family: of one election with `election`, of all without. Why each label goes
/// where: docs/elections.md.
#[utoipa::path(
    operation_id = "list_nuances",
    tag = "referentiel",
    params(ElectionQuery, FormatQuery),
    responses(
        (status = 200, description = "Labels by election, then code",
            content(
                (Vec<NuanceRef> = "application/json"),
                (String = "text/csv", example = "election,type_election,annee,code,libelle,famille")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/nuances")]
pub async fn nuances(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ElectionQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let election = query
        .election
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| scope::election(snapshot, "election", e))
        .transpose()?;
    let rows = vues::nuances(snapshot, election);
    table::reponse(sortie, "nuances", &rows)
}

/// Seats won in an election, by nuance (in each round and in all) and by family, from the
/// constituency files (577 for a legislative election). Without `election`, the latest
/// election with seats.
#[utoipa::path(
    operation_id = "get_sieges",
    tag = "indicateurs",
    params(ElectionQuery, FormatQuery),
    responses(
        (status = 200, description = "Seats by nuance and by family",
            content(
                (Sieges = "application/json"),
                (String = "text/csv", example = "election,nuance,libelle,famille,tour_1,tour_2,total")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/sieges")]
pub async fn sieges(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ElectionQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let avec_sieges = vues::elections_a_sieges(snapshot);
    let texte = match query
        .election
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(e) => e.to_owned(),
        None => avec_sieges
            .last()
            .cloned()
            .ok_or_else(|| ApiError::NotFound("no election with seats in the data".into()))?,
    };
    let scrutin = scope::election(snapshot, "election", &texte)?;
    let sieges = vues::sieges(snapshot, scrutin).ok_or_else(|| {
        ApiError::parameter(
            "election",
            format!(
                "parameter 'election': {} fills no seats; elections with seats: {}",
                scrutin.election(),
                avec_sieges.join(", ")
            ),
            Some(avec_sieges.clone()),
        )
    })?;
    let fichier = format!("sieges-{}", sieges.election);
    table::reponse(sortie, &fichier, &sieges)
}

/// How the country moved between any two rounds (`de`, then `a`): each family's share of
/// valid votes and participation, with the shift in points. E.g.
/// `de=presidentielle-2022-t1&a=legislatives-2024-t1`.
#[utoipa::path(
    operation_id = "get_ecart_national",
    tag = "indicateurs",
    params(EntreQuery),
    responses(
        (status = 200, description = "The shift", body = Ecart),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/ecart")]
pub async fn ecart_national(
    state: web::Data<AppState>,
    entre: web::Query<EntreQuery>,
) -> Result<web::Json<Ecart>, ApiError> {
    let snapshot = &state.snapshot;
    let (de, a) = entre.resolve(snapshot, 1)?;
    ecarts::ecart(snapshot, None, de, a)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {de} and {a}")))
}

/// How a département moved between any two rounds (`de`, then `a`).
#[utoipa::path(
    operation_id = "get_departement_ecart",
    tag = "departements",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        EntreQuery,
    ),
    responses(
        (status = 200, description = "The shift", body = Ecart),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/departements/{code}/ecart")]
pub async fn ecart_departement(
    state: web::Data<AppState>,
    code: web::Path<String>,
    entre: web::Query<EntreQuery>,
) -> Result<web::Json<Ecart>, ApiError> {
    let snapshot = &state.snapshot;
    let d = departements::find(snapshot, &code)?;
    let (de, a) = entre.resolve(snapshot, 1)?;
    ecarts::ecart(snapshot, Some(d), de, a)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no results of {de} and {a} for '{}'", d.code)))
}

impl Tabulaire for Vec<NuanceRef> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "election",
            "type_election",
            "annee",
            "code",
            "libelle",
            "famille",
        ]);
        for n in self {
            t.push(vec![
                (&n.election).into(),
                (&n.type_election).into(),
                n.annee.into(),
                (&n.code).into(),
                (&n.libelle).into(),
                (&n.famille).into(),
            ]);
        }
        t
    }
}

impl Tabulaire for Sieges {
    /// One row per nuance.
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "election", "nuance", "libelle", "famille", "tour_1", "tour_2", "total",
        ]);
        for n in &self.nuances {
            t.push(vec![
                (&self.election).into(),
                (&n.nuance).into(),
                (&n.libelle).into(),
                (&n.famille).into(),
                n.tour_1.into(),
                n.tour_2.into(),
                n.total.into(),
            ]);
        }
        t
    }
}
