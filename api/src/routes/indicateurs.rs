//! `/indicateurs`: one row of indicators per département, as JSON or CSV, and the national totals.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use db::models::Participation;
use db::{Quarter, Scrutin, Snapshot, Variable};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::departements::{ResultatTour, resultat_tour};
use super::params::{self, Filtres, r4};
use crate::error::ApiError;
use crate::state::AppState;

/// The political families the indicator rows carry a share for, as columns.
pub const FAMILLES: [&str; 4] = ["gauche", "centre", "droite", "extreme_droite"];

/// Indicators of one département for one round. Rates are percentages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Indicateur {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = "32")]
    pub region_code: String,
    /// False for overseas collectivities and French people abroad.
    pub est_departement: bool,
    /// Election year.
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 1)]
    pub tour: i32,
    #[schema(example = "2022-T3")]
    pub trimestre: String,
    /// Unemployment rate for the quarter, null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// % of registered voters.
    pub taux_abstention: f64,
    /// % of registered voters.
    pub taux_participation: f64,
    /// % of voters.
    pub taux_blancs: f64,
    /// % of voters.
    pub taux_nuls: f64,
    /// Left candidates' share of valid votes (%).
    pub part_gauche: f64,
    /// Centre candidates' share of valid votes (%).
    pub part_centre: f64,
    /// Right candidates' share of valid votes (%).
    pub part_droite: f64,
    /// Far-right candidates' share of valid votes (%).
    pub part_extreme_droite: f64,
    /// The family with the most votes.
    #[schema(example = "extreme_droite")]
    pub famille_gagnante: String,
    /// Median disposable income per consumption unit (EUR), Filosofi 2019. Null when INSEE
    /// publishes none (Mayotte) and outside the 101 départements, as every indicator below.
    pub revenu_median: Option<f64>,
    /// Poverty rate (%), Filosofi 2019.
    pub taux_pauvrete: Option<f64>,
    /// Share of pensions in disposable income (%), Filosofi 2019.
    pub part_pensions: Option<f64>,
    /// Population on 1 January 2022 (INSEE estimate, provisional).
    pub population: Option<f64>,
    /// Share of people aged 65 or more (%), 2022.
    pub part_65_ans_et_plus: Option<f64>,
    /// Share of immigrants (%), census 2021 (Mayotte: 2017).
    pub part_immigres: Option<f64>,
    /// Area (km²).
    pub superficie: Option<f64>,
    /// Inhabitants per km² (population 2022 / area).
    pub densite: Option<f64>,
}

impl Indicateur {
    /// The value of a numeric indicator.
    pub fn variable(&self, variable: Variable) -> Option<f64> {
        match variable {
            Variable::TauxChomage => self.taux_chomage,
            Variable::TauxAbstention => Some(self.taux_abstention),
            Variable::TauxParticipation => Some(self.taux_participation),
            Variable::TauxBlancs => Some(self.taux_blancs),
            Variable::TauxNuls => Some(self.taux_nuls),
            Variable::PartGauche => Some(self.part_gauche),
            Variable::PartCentre => Some(self.part_centre),
            Variable::PartDroite => Some(self.part_droite),
            Variable::PartExtremeDroite => Some(self.part_extreme_droite),
            Variable::RevenuMedian => self.revenu_median,
            Variable::TauxPauvrete => self.taux_pauvrete,
            Variable::PartPensions => self.part_pensions,
            Variable::Population => self.population,
            Variable::Part65AnsEtPlus => self.part_65_ans_et_plus,
            Variable::PartImmigres => self.part_immigres,
            Variable::Superficie => self.superficie,
            Variable::Densite => self.densite,
        }
    }
}

/// The indicator named `name`, for `parameter`; an unknown name is a 400 listing them all.
pub fn variable(parameter: &str, name: &str) -> Result<Variable, ApiError> {
    Variable::from_code(name).ok_or_else(|| {
        ApiError::parameter(
            parameter,
            format!("parameter '{parameter}': unknown variable '{name}'"),
            Some(Variable::codes().into_iter().map(str::to_owned).collect()),
        )
    })
}

/// Indicator rows for a round, a quarter and an optional region, in code order.
pub fn rows(
    snapshot: &Snapshot,
    scrutin: Scrutin,
    quarter: Quarter,
    region: Option<&str>,
) -> Vec<Indicateur> {
    snapshot
        .departements
        .iter()
        .filter(|d| region.is_none_or(|r| r == d.region_code))
        .filter_map(|d| {
            let i = snapshot.indicateurs(&d.code, scrutin, quarter)?;
            let socio = |v: Variable| snapshot.valeur_socio(&d.code, v.code());
            let part = |famille: &str| {
                i.parts_familles
                    .iter()
                    .find(|(f, _)| f == famille)
                    .map_or(0.0, |(_, v)| r4(*v))
            };
            Some(Indicateur {
                code: d.code.clone(),
                nom: d.nom.clone(),
                region_code: d.region_code.clone(),
                est_departement: d.est_departement,
                annee: scrutin.annee,
                tour: scrutin.tour,
                trimestre: quarter.to_string(),
                taux_chomage: i.taux_chomage,
                taux_abstention: r4(i.taux_abstention),
                taux_participation: r4(i.taux_participation),
                taux_blancs: r4(i.taux_blancs),
                taux_nuls: r4(i.taux_nuls),
                part_gauche: part("gauche"),
                part_centre: part("centre"),
                part_droite: part("droite"),
                part_extreme_droite: part("extreme_droite"),
                famille_gagnante: i.famille_gagnante,
                revenu_median: socio(Variable::RevenuMedian),
                taux_pauvrete: socio(Variable::TauxPauvrete),
                part_pensions: socio(Variable::PartPensions),
                population: socio(Variable::Population),
                part_65_ans_et_plus: socio(Variable::Part65AnsEtPlus),
                part_immigres: socio(Variable::PartImmigres),
                superficie: socio(Variable::Superficie),
                densite: socio(Variable::Densite),
            })
        })
        .collect()
}

/// Output format of `/indicateurs`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `json` (default) or `csv`; `Accept: text/csv` also selects CSV.
    #[param(value_type = Option<String>, pattern = "^(json|csv)$", example = "csv")]
    pub format: Option<String>,
}

fn wants_csv(request: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format.map(str::trim) {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        None | Some("") => Ok(request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"))),
        Some(other) => Err(ApiError::parameter(
            "format",
            format!("parameter 'format' must be json or csv, not '{other}'"),
            Some(vec!["json".into(), "csv".into()]),
        )),
    }
}

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
        (status = 400, description = "Bad year, round, quarter, region or format", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/indicateurs")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    filtres: web::Query<Filtres>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let snapshot = &state.snapshot;
    let (scrutin, quarter, region) = filtres.resolve(snapshot)?;
    let csv = wants_csv(&request, format.format.as_deref())?;
    let rows = rows(snapshot, scrutin, quarter, region.map(|r| r.code.as_str()));
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

/// Round of the national totals.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NationalQuery {
    /// Presidential election year: 2017 or 2022. Default 2022.
    #[param(value_type = Option<i32>, minimum = 2017, maximum = 2022, example = 2022)]
    pub annee: Option<String>,
    /// Election round: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

/// National totals over every constituency (French people abroad included), with rates,
/// candidates, families and winners.
#[utoipa::path(
    operation_id = "get_national_indicateurs",
    tag = "indicateurs",
    params(NationalQuery),
    responses(
        (status = 200, description = "National result of the round", body = ResultatTour),
        (status = 400, description = "Bad year or round", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/indicateurs/national")]
pub async fn national(
    state: web::Data<AppState>,
    query: web::Query<NationalQuery>,
) -> Result<web::Json<ResultatTour>, ApiError> {
    let snapshot = &state.snapshot;
    let scrutin = params::scrutin(snapshot, query.annee.as_deref(), query.tour.as_deref())?;
    national_result(snapshot, scrutin)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {scrutin}")))
}

/// Totals of a round over every constituency, French people abroad included.
pub fn national_result(snapshot: &Snapshot, scrutin: Scrutin) -> Option<ResultatTour> {
    let mut total = Participation {
        departement_code: String::new(),
        annee: scrutin.annee,
        tour: scrutin.tour,
        inscrits: 0,
        abstentions: 0,
        votants: 0,
        blancs: 0,
        nuls: 0,
        exprimes: 0,
    };
    let mut voix: Vec<(i32, i64)> = Vec::new();
    for d in &snapshot.departements {
        if let Some(p) = snapshot.participation(&d.code, scrutin) {
            total.inscrits += p.inscrits;
            total.abstentions += p.abstentions;
            total.votants += p.votants;
            total.blancs += p.blancs;
            total.nuls += p.nuls;
            total.exprimes += p.exprimes;
        }
        for r in snapshot.resultats(&d.code, scrutin) {
            match voix.iter_mut().find(|(id, _)| *id == r.candidat_id) {
                Some(entry) => entry.1 += r.voix,
                None => voix.push((r.candidat_id, r.voix)),
            }
        }
    }
    voix.sort_by_key(|(id, _)| *id);
    resultat_tour(snapshot, &total, &voix)
}
