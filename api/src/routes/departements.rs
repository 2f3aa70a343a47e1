//! `/departements`: the list, one département's detail, its unemployment series and its
//! 2017 -> 2022 evolution.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::scope::{self, TourQuery};
use crate::routes::table::{self, Table, Tabulaire, nom_de_fichier};
use crate::state::AppState;
use crate::views::departements::{
    self, DepartementDetail, DepartementResume, Evolution, SerieChomage,
};

/// Filters of the département list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListeQuery {
    /// INSEE region code (see `/regions`).
    #[param(example = "32")]
    pub region: Option<String>,
    /// Text to look for in the name or code, ignoring case, accents, hyphens, apostrophes and
    /// extra spaces (`seine saint denis`, `cote d or`).
    #[param(example = "calais")]
    pub q: Option<String>,
}

impl Tabulaire for Vec<DepartementResume> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "code",
            "code_election",
            "nom",
            "region_code",
            "region_nom",
            "est_departement",
            "taux_chomage",
            "taux_participation_t1",
            "taux_abstention_t1",
            "famille_gagnante_t1",
        ]);
        for d in self {
            t.push(vec![
                (&d.code).into(),
                (&d.code_election).into(),
                (&d.nom).into(),
                (&d.region_code).into(),
                (&d.region_nom).into(),
                d.est_departement.into(),
                d.taux_chomage.into(),
                d.taux_participation_t1.into(),
                d.taux_abstention_t1.into(),
                (&d.famille_gagnante_t1).into(),
            ]);
        }
        t
    }
}

/// Every département (and other constituency of the election files), with headline
/// indicators. CSV with `format=csv`, `format=csv-excel`, `Accept: text/csv` or
/// `/departements.csv`. Sortable by any column (`tri=-taux_chomage`).
#[utoipa::path(
    operation_id = "list_departements",
    tag = "departements",
    params(ListeQuery, FormatQuery, crate::params::TriQuery),
    responses(
        (status = 200, description = "Départements sorted by code",
            content(
                (Vec<DepartementResume> = "application/json"),
                (String = "text/csv", example = "code,code_election,nom,region_code,region_nom,...")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/departements")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ListeQuery>,
    format: web::Query<FormatQuery>,
    tri: web::Query<crate::params::TriQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let region = scope::region(snapshot, query.region.as_deref())?;
    let rows = table::trier(
        departements::liste(
            snapshot,
            region.map(|r| r.code.as_str()),
            query.q.as_deref(),
        ),
        tri.tri.as_deref(),
    )?;
    let fichier = match region {
        Some(r) => format!("departements-region-{}", nom_de_fichier(&r.code)),
        None => "departements".to_owned(),
    };
    table::reponse(sortie, &fichier, &rows)
}

/// Options of the département detail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailQuery {
    /// Presidential election year: 2017 or 2022. Default 2022.
    #[param(value_type = Option<i32>, minimum = 2017, maximum = 2022, example = 2022)]
    pub annee: Option<String>,
    /// Unemployment quarter, `YYYY-Tn`, within the INSEE series. Default: the third quarter of the election year (2022-T3, 2017-T3).
    #[param(value_type = Option<String>, pattern = "^[0-9]{4}-T[1-4]$", example = "2022-T3")]
    pub trimestre: Option<String>,
}

/// One département: turnout, candidates, families and winners of both rounds of an election
/// (`annee`, default 2022), unemployment, and the INSEE socio-economic indicators.
#[utoipa::path(
    operation_id = "get_departement",
    tag = "departements",
    params(
        ("code" = String, Path, description = "INSEE code (`59`, `2A`, `971`) or election-file code (`ZA`)", example = "59"),
        DetailQuery,
    ),
    responses(
        (status = 200, description = "The département", body = DepartementDetail),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/departements/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> Result<web::Json<DepartementDetail>, ApiError> {
    let snapshot = &state.snapshot;
    let d = departements::find(snapshot, &code)?;
    let annee = scope::annee(snapshot, query.annee.as_deref())?;
    let quarter = scope::trimestre(snapshot, query.trimestre.as_deref(), annee)?;
    Ok(web::Json(departements::detail_of(
        snapshot, d, quarter, annee,
    )))
}

/// Between the 2017 and 2022 presidential elections: each family's share of valid votes and
/// participation, in the same round, with the shift in percentage points. Families are those
/// of the candidates (reference CSVs `candidats.csv`, `candidats_2017.csv`).
#[utoipa::path(
    operation_id = "get_departement_evolution",
    tag = "departements",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        TourQuery,
    ),
    responses(
        (status = 200, description = "The evolution", body = Evolution),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/departements/{code}/evolution")]
pub async fn evolution_departement(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<TourQuery>,
) -> Result<web::Json<Evolution>, ApiError> {
    let snapshot = &state.snapshot;
    let d = departements::find(snapshot, &code)?;
    let tour = query.tour()?;
    departements::evolution(snapshot, Some(d), tour)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no 2017 and 2022 results for '{}'", d.code)))
}

impl Tabulaire for SerieChomage {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "code",
            "nom",
            "annee",
            "trimestre",
            "periode",
            "taux_chomage",
        ]);
        for p in &self.points {
            t.push(vec![
                (&self.code).into(),
                (&self.nom).into(),
                p.annee.into(),
                p.trimestre.into(),
                (&p.periode).into(),
                p.taux_chomage.into(),
            ]);
        }
        t
    }
}

/// The full quarterly unemployment series of a département (1982-T1 .. 2025-T3; overseas
/// from 2014). CSV (one row per quarter) with `format=csv`, `format=csv-excel`,
/// `Accept: text/csv` or `/departements/{code}/chomage.csv`.
#[utoipa::path(
    operation_id = "get_departement_unemployment",
    tag = "departements",
    params(("code" = String, Path, description = "INSEE or election-file code", example = "59"), FormatQuery),
    responses(
        (status = 200, description = "The series",
            content(
                (SerieChomage = "application/json"),
                (String = "text/csv", example = "code,nom,annee,trimestre,periode,taux_chomage")
            )
        ),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/departements/{code}/chomage")]
pub async fn chomage(
    request: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let d = departements::find(&state.snapshot, &code)?;
    let serie = departements::serie_chomage(&state.snapshot, d);
    table::reponse(
        sortie,
        &format!("chomage-{}", nom_de_fichier(&d.code)),
        &serie,
    )
}
