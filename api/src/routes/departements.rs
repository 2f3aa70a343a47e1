//! `/departements`: the list, one département's detail, its unemployment series.

use actix_web::{get, web};
use db::models::{Departement, Participation};
use db::snapshot::{first_max_by_key, percentage};
use db::{Quarter, Scrutin, Snapshot};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::params::{self, DEFAULT_ANNEE, DEFAULT_QUARTER, r4};
use crate::error::ApiError;
use crate::state::AppState;

/// A département with its headline indicators (2022 round 1, unemployment of 2022-T3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementResume {
    /// INSEE code (`59`, `2A`, `971`); election-file code where INSEE has none (`ZX`, `ZZ`).
    #[schema(example = "59")]
    pub code: String,
    /// Code used by the Ministry's election files (`ZA` for Guadeloupe).
    #[schema(example = "59")]
    pub code_election: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = "32")]
    pub region_code: String,
    #[schema(example = "Hauts-de-France")]
    pub region_nom: String,
    /// False for overseas collectivities and French people abroad.
    pub est_departement: bool,
    /// Unemployment rate in 2022-T3 (%), null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// Round-1 participation (% of registered voters).
    #[schema(example = 72.5)]
    pub taux_participation_t1: f64,
    /// Round-1 abstention (% of registered voters).
    #[schema(example = 27.5)]
    pub taux_abstention_t1: f64,
    /// Political family with the most round-1 votes.
    #[schema(example = "extreme_droite")]
    pub famille_gagnante_t1: String,
}

/// Filters of the département list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListeQuery {
    /// INSEE region code (see `/regions`).
    #[param(example = "32")]
    pub region: Option<String>,
    /// Text to look for in the name or code, ignoring case and accents.
    #[param(example = "calais")]
    pub q: Option<String>,
}

/// Lowercase without French accents, for forgiving searches.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

pub fn resume(snapshot: &Snapshot, d: &Departement) -> Option<DepartementResume> {
    let t1 = snapshot.indicateurs(&d.code, Scrutin::new(DEFAULT_ANNEE, 1), DEFAULT_QUARTER)?;
    Some(DepartementResume {
        code: d.code.clone(),
        code_election: d.code_election.clone(),
        nom: d.nom.clone(),
        region_code: d.region_code.clone(),
        region_nom: snapshot
            .region(&d.region_code)
            .map(|r| r.nom.clone())
            .unwrap_or_default(),
        est_departement: d.est_departement,
        taux_chomage: t1.taux_chomage,
        taux_participation_t1: r4(t1.taux_participation),
        taux_abstention_t1: r4(t1.taux_abstention),
        famille_gagnante_t1: t1.famille_gagnante,
    })
}

/// Every département (and other constituency of the election files), with headline indicators.
#[utoipa::path(
    operation_id = "list_departements",
    tag = "departements",
    params(ListeQuery),
    responses(
        (status = 200, description = "Départements sorted by code", body = Vec<DepartementResume>),
        (status = 400, description = "Unknown region", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departements")]
pub async fn liste(
    state: web::Data<AppState>,
    query: web::Query<ListeQuery>,
) -> Result<web::Json<Vec<DepartementResume>>, ApiError> {
    let snapshot = &state.snapshot;
    let region = params::region(snapshot, query.region.as_deref())?;
    let needle = query
        .q
        .as_deref()
        .map(fold)
        .filter(|q| !q.trim().is_empty());
    let list = snapshot
        .departements
        .iter()
        .filter(|d| region.is_none_or(|r| r.code == d.region_code))
        .filter(|d| {
            needle.as_ref().is_none_or(|q| {
                let q = q.trim();
                fold(&d.nom).contains(q) || fold(&d.code) == q || fold(&d.code_election) == q
            })
        })
        .filter_map(|d| resume(snapshot, d))
        .collect();
    Ok(web::Json(list))
}

/// A candidate's result in one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatCandidat {
    pub candidat_id: i32,
    #[schema(example = "LE PEN")]
    pub nom: String,
    #[schema(example = "Marine")]
    pub prenom: String,
    #[schema(example = "F")]
    pub sexe: String,
    #[schema(example = "extreme_droite")]
    pub famille: String,
    pub voix: i64,
    /// Votes as % of registered voters.
    pub pct_voix_inscrits: f64,
    /// Votes as % of valid votes (exprimés).
    pub pct_voix_exprimes: f64,
}

/// A political family's result in one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatFamille {
    #[schema(example = "gauche")]
    pub famille: String,
    #[schema(example = "Gauche")]
    pub libelle: String,
    pub voix: i64,
    /// Votes as % of valid votes (exprimés).
    pub part_exprimes: f64,
}

/// Turnout and results of one round over an area (a département, or the whole country).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatTour {
    /// Election year.
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 1)]
    pub tour: i32,
    #[schema(example = "2022-04-10")]
    pub date_scrutin: String,
    pub inscrits: i64,
    /// `inscrits - votants`.
    pub abstentions: i64,
    /// `blancs + nuls + exprimes`.
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
    /// `abstentions / inscrits x 100`.
    pub taux_abstention: f64,
    /// `votants / inscrits x 100`.
    pub taux_participation: f64,
    /// `blancs / votants x 100`.
    pub taux_blancs: f64,
    /// `nuls / votants x 100`.
    pub taux_nuls: f64,
    /// Candidates in ballot order.
    pub candidats: Vec<ResultatCandidat>,
    /// Political families in their reference order.
    pub familles: Vec<ResultatFamille>,
    /// The candidate with the most votes.
    pub gagnant: ResultatCandidat,
    /// The family with the most votes.
    #[schema(example = "extreme_droite")]
    pub famille_gagnante: String,
}

/// Builds a round's result from its counts and each candidate's votes.
pub fn resultat_tour(
    snapshot: &Snapshot,
    p: &Participation,
    voix: &[(i32, i64)],
) -> Option<ResultatTour> {
    let candidats: Vec<ResultatCandidat> = voix
        .iter()
        .filter_map(|(id, v)| {
            let c = snapshot.candidat(*id)?;
            Some(ResultatCandidat {
                candidat_id: c.id,
                nom: c.nom.clone(),
                prenom: c.prenom.clone(),
                sexe: c.sexe.clone(),
                famille: c.famille_code.clone(),
                voix: *v,
                pct_voix_inscrits: r4(percentage(*v, p.inscrits)),
                pct_voix_exprimes: r4(percentage(*v, p.exprimes)),
            })
        })
        .collect();
    let familles: Vec<ResultatFamille> = snapshot
        .familles
        .iter()
        .map(|f| {
            let v: i64 = candidats
                .iter()
                .filter(|c| c.famille == f.code)
                .map(|c| c.voix)
                .sum();
            ResultatFamille {
                famille: f.code.clone(),
                libelle: f.libelle.clone(),
                voix: v,
                part_exprimes: r4(percentage(v, p.exprimes)),
            }
        })
        .collect();
    let gagnant = first_max_by_key(&candidats, |c| c.voix)?.clone();
    let famille_gagnante = first_max_by_key(&familles, |f| f.voix)?.famille.clone();
    Some(ResultatTour {
        annee: p.annee,
        tour: p.tour,
        date_scrutin: snapshot
            .elections
            .iter()
            .find(|e| e.annee == p.annee && e.tour == p.tour)
            .map(|e| e.date_scrutin.clone())
            .unwrap_or_default(),
        inscrits: p.inscrits,
        abstentions: p.abstentions,
        votants: p.votants,
        blancs: p.blancs,
        nuls: p.nuls,
        exprimes: p.exprimes,
        taux_abstention: r4(percentage(p.abstentions, p.inscrits)),
        taux_participation: r4(percentage(p.votants, p.inscrits)),
        taux_blancs: r4(percentage(p.blancs, p.votants)),
        taux_nuls: r4(percentage(p.nuls, p.votants)),
        candidats,
        familles,
        gagnant,
        famille_gagnante,
    })
}

/// A region, as embedded in other responses.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    #[schema(example = "32")]
    pub code: String,
    #[schema(example = "Hauts-de-France")]
    pub nom: String,
}

/// Everything known about one département.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementDetail {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "59")]
    pub code_election: String,
    #[schema(example = "Nord")]
    pub nom: String,
    pub region: RegionRef,
    pub est_departement: bool,
    /// The quarter of `taux_chomage`.
    #[schema(example = "2022-T3")]
    pub trimestre: String,
    /// Unemployment rate for the quarter (%), null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// The election year of `tours`.
    #[schema(example = 2022)]
    pub annee: i32,
    /// Both rounds of the year.
    pub tours: Vec<ResultatTour>,
    /// INSEE socio-economic indicators, each with its year and source (empty outside the
    /// 101 départements; `valeur` null where INSEE publishes none).
    pub socio_economie: Vec<ValeurSocio>,
}

/// One socio-economic indicator of a département.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ValeurSocio {
    #[schema(example = "revenu_median")]
    pub indicateur: String,
    #[schema(example = "Revenu disponible médian par unité de consommation")]
    pub libelle: String,
    #[schema(example = "EUR")]
    pub unite: String,
    /// Null where the source has no value (e.g. Mayotte in Filosofi).
    #[schema(example = 20290.0)]
    pub valeur: Option<f64>,
    /// Year the value refers to.
    #[schema(example = 2019)]
    pub annee: i32,
    #[schema(example = "INSEE, Filosofi 2019")]
    pub source: String,
}

/// A département's socio-economic indicators, in reference order.
pub fn socio_of(snapshot: &Snapshot, code: &str) -> Vec<ValeurSocio> {
    snapshot
        .socio(code)
        .iter()
        .map(|v| {
            let meta = snapshot
                .indicateurs_socio
                .iter()
                .find(|i| i.code == v.indicateur);
            ValeurSocio {
                indicateur: v.indicateur.clone(),
                libelle: meta.map(|m| m.libelle.clone()).unwrap_or_default(),
                unite: meta.map(|m| m.unite.clone()).unwrap_or_default(),
                valeur: v.valeur,
                annee: v.annee,
                source: v.source.clone(),
            }
        })
        .collect()
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

pub fn find<'a>(snapshot: &'a Snapshot, code: &str) -> Result<&'a Departement, ApiError> {
    snapshot.departement(code).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no département with code '{code}' (use an INSEE code like 59, 2A, 971 or an election code like ZA; see /departements)"
        ))
    })
}

/// A département's result in one round.
pub fn resultat_departement(
    snapshot: &Snapshot,
    code: &str,
    scrutin: Scrutin,
) -> Option<ResultatTour> {
    let p = snapshot.participation(code, scrutin)?;
    let voix: Vec<(i32, i64)> = snapshot
        .resultats(code, scrutin)
        .iter()
        .map(|r| (r.candidat_id, r.voix))
        .collect();
    resultat_tour(snapshot, p, &voix)
}

/// An optional département parameter: `None` when absent or empty, an error when unknown.
pub fn find_optional<'a>(
    snapshot: &'a Snapshot,
    code: Option<&str>,
) -> Result<Option<&'a Departement>, ApiError> {
    code.map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| find(snapshot, c))
        .transpose()
}

pub fn detail_of(
    snapshot: &Snapshot,
    d: &Departement,
    quarter: Quarter,
    annee: i32,
) -> DepartementDetail {
    let tours = snapshot
        .tours(annee)
        .filter_map(|e| resultat_departement(snapshot, &d.code, e.scrutin()))
        .collect();
    DepartementDetail {
        code: d.code.clone(),
        code_election: d.code_election.clone(),
        nom: d.nom.clone(),
        region: RegionRef {
            code: d.region_code.clone(),
            nom: snapshot
                .region(&d.region_code)
                .map(|r| r.nom.clone())
                .unwrap_or_default(),
        },
        est_departement: d.est_departement,
        trimestre: quarter.to_string(),
        taux_chomage: snapshot.taux_chomage(&d.code, quarter),
        annee,
        tours,
        socio_economie: socio_of(snapshot, &d.code),
    }
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
        (status = 400, description = "Bad year or quarter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown code", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departements/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> Result<web::Json<DepartementDetail>, ApiError> {
    let snapshot = &state.snapshot;
    let d = find(snapshot, &code)?;
    let annee = params::annee(snapshot, query.annee.as_deref())?;
    let quarter = params::trimestre(snapshot, query.trimestre.as_deref(), annee)?;
    Ok(web::Json(detail_of(snapshot, d, quarter, annee)))
}

/// A political family between two elections.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EvolutionFamille {
    #[schema(example = "extreme_droite")]
    pub famille: String,
    #[schema(example = "Extrême droite")]
    pub libelle: String,
    /// Share of valid votes in 2017 (%).
    pub part_2017: f64,
    /// Share of valid votes in 2022 (%).
    pub part_2022: f64,
    /// `part_2022 - part_2017`, in percentage points.
    pub ecart_points: f64,
}

/// How a département (or the country) voted in 2017 and in 2022, in the same round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evolution {
    /// Département code, or `FR` for the whole country.
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = 1)]
    pub tour: i32,
    /// Participation in 2017 (% of registered voters).
    pub participation_2017: f64,
    /// Participation in 2022 (% of registered voters).
    pub participation_2022: f64,
    /// In percentage points.
    pub ecart_participation_points: f64,
    /// Every family, in reference order.
    pub familles: Vec<EvolutionFamille>,
}

/// The 2017 -> 2022 shift between two results of the same round.
pub fn evolution_of(
    code: &str,
    nom: &str,
    avant: &ResultatTour,
    apres: &ResultatTour,
) -> Evolution {
    let familles = apres
        .familles
        .iter()
        .map(|f| {
            let part_2017 = avant
                .familles
                .iter()
                .find(|a| a.famille == f.famille)
                .map_or(0.0, |a| a.part_exprimes);
            EvolutionFamille {
                famille: f.famille.clone(),
                libelle: f.libelle.clone(),
                part_2017,
                part_2022: f.part_exprimes,
                ecart_points: r4(f.part_exprimes - part_2017),
            }
        })
        .collect();
    Evolution {
        code: code.to_owned(),
        nom: nom.to_owned(),
        tour: apres.tour,
        participation_2017: avant.taux_participation,
        participation_2022: apres.taux_participation,
        ecart_participation_points: r4(apres.taux_participation - avant.taux_participation),
        familles,
    }
}

/// A département's evolution, or the country's when `departement` is `None`.
pub fn evolution(
    snapshot: &Snapshot,
    departement: Option<&Departement>,
    tour: i32,
) -> Option<Evolution> {
    let result = |annee| match departement {
        Some(d) => resultat_departement(snapshot, &d.code, Scrutin::new(annee, tour)),
        None => super::indicateurs::national_result(snapshot, Scrutin::new(annee, tour)),
    };
    let (avant, apres) = (result(2017)?, result(2022)?);
    Some(match departement {
        Some(d) => evolution_of(&d.code, &d.nom, &avant, &apres),
        None => evolution_of("FR", "France entière", &avant, &apres),
    })
}

/// Round of the evolution.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvolutionQuery {
    /// Election round compared: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

/// Between the 2017 and 2022 presidential elections: each family's share of valid votes and
/// participation, in the same round, with the shift in percentage points. Families are those
/// of the candidates (reference CSVs `candidats.csv`, `candidats_2017.csv`).
#[utoipa::path(
    operation_id = "get_departement_evolution",
    tag = "departements",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        EvolutionQuery,
    ),
    responses(
        (status = 200, description = "The evolution", body = Evolution),
        (status = 400, description = "Bad round", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown code", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departements/{code}/evolution")]
pub async fn evolution_departement(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<EvolutionQuery>,
) -> Result<web::Json<Evolution>, ApiError> {
    let snapshot = &state.snapshot;
    let d = find(snapshot, &code)?;
    let tour = params::tour(query.tour.as_deref())?;
    evolution(snapshot, Some(d), tour)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no 2017 and 2022 results for '{}'", d.code)))
}

/// One quarter of the unemployment series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointChomage {
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 3)]
    pub trimestre: i32,
    #[schema(example = "2022-T3")]
    pub periode: String,
    /// Localised ILO unemployment rate, seasonally adjusted (%).
    #[schema(example = 9.1)]
    pub taux_chomage: f64,
}

/// A département's quarterly unemployment series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SerieChomage {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    /// In time order; empty where INSEE publishes no series (Mayotte, overseas collectivities, abroad).
    pub points: Vec<PointChomage>,
}

/// The full quarterly unemployment series of a département (1982-T1 .. 2025-T3; overseas from 2014).
#[utoipa::path(
    operation_id = "get_departement_unemployment",
    tag = "departements",
    params(("code" = String, Path, description = "INSEE or election-file code", example = "59")),
    responses(
        (status = 200, description = "The series", body = SerieChomage),
        (status = 404, description = "Unknown code", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/departements/{code}/chomage")]
pub async fn chomage(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<SerieChomage>, ApiError> {
    let snapshot = &state.snapshot;
    let d = find(snapshot, &code)?;
    Ok(web::Json(SerieChomage {
        code: d.code.clone(),
        nom: d.nom.clone(),
        points: snapshot
            .chomage(&d.code)
            .iter()
            .map(|c| PointChomage {
                annee: c.annee,
                trimestre: c.trimestre,
                periode: format!("{}-T{}", c.annee, c.trimestre),
                taux_chomage: c.taux,
            })
            .collect(),
    }))
}
