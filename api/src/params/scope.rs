//! The scope of a request ([`Scope`]): `election` (or `annee` and `tour`), `trimestre`,
//! `region` and `perimetre` parsed once,
//! with the default rules in one place, and refused with messages that name the parameter
//! and the values it accepts.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use db::{Quarter, Scrutin, Snapshot};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::state::AppState;
use crate::views::Scope;
use crate::views::scope::Perimetre;
use crate::views::scope::{DEFAULT_ANNEE, default_quarter};

/// Filters shared by the indicator endpoints.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filtres {
    /// Election round, by its id (see `/elections`): `{type}-{year}-t{round}`, e.g.
    /// `legislatives-2024-t1`, or `legislatives-2024` with `tour` (round 1 without it).
    /// Instead of `annee`, which names a presidential year. Default: the 2022 presidential
    /// round 1.
    #[param(value_type = Option<String>, pattern = "^[a-z]+-[0-9]{4}(-t[12])?$", example = "legislatives-2024-t1")]
    pub election: Option<String>,
    /// Presidential election year: 2017 or 2022. Default 2022.
    #[param(value_type = Option<i32>, minimum = 2017, maximum = 2022, example = 2022)]
    pub annee: Option<String>,
    /// Election round: 1 or 2 (2022: 10 and 24 April; 2017: 23 April and 7 May). Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
    /// Unemployment quarter, `YYYY-Tn`, within the INSEE series (1982-T1 .. 2025-T3). Default: the third quarter of the election year (2022-T3, 2017-T3).
    #[param(value_type = Option<String>, pattern = "^[0-9]{4}-T[1-4]$", example = "2022-T3")]
    pub trimestre: Option<String>,
    /// INSEE region code (see `/regions`), e.g. `32` for Hauts-de-France.
    #[param(value_type = Option<String>, example = "32")]
    pub region: Option<String>,
    /// `france` (default: everything), `metropole` (the 96 metropolitan départements) or
    /// `outre-mer` (the overseas départements and collectivities).
    #[param(value_type = Option<String>, pattern = "^(france|metropole|outre-mer)$", example = "metropole")]
    pub perimetre: Option<String>,
}

pub fn tour(value: Option<&str>) -> Result<i32, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(1),
        Some("1") => Ok(1),
        Some("2") => Ok(2),
        Some(other) => Err(ApiError::parameter(
            "tour",
            format!("parameter 'tour' must be 1 or 2, not '{other}'"),
            Some(vec!["1".into(), "2".into()]),
        )),
    }
}

/// The election year: one of those in the database (2017, 2022); default 2022.
pub fn annee(snapshot: &Snapshot, value: Option<&str>) -> Result<i32, ApiError> {
    let annees = snapshot.annees();
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(DEFAULT_ANNEE);
    };
    text.parse::<i32>()
        .ok()
        .filter(|a| annees.contains(a))
        .ok_or_else(|| {
            let known: Vec<String> = annees.iter().map(ToString::to_string).collect();
            ApiError::parameter(
                "annee",
                format!(
                    "parameter 'annee' must be one of {}, not '{text}'",
                    known.join(", ")
                ),
                Some(known),
            )
        })
}

/// The election round of `annee` and `tour` (a presidential round).
pub fn scrutin(
    snapshot: &Snapshot,
    annee_value: Option<&str>,
    tour_value: Option<&str>,
) -> Result<Scrutin, ApiError> {
    Ok(Scrutin::new(
        annee(snapshot, annee_value)?,
        tour(tour_value)?,
    ))
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|t| !t.is_empty())
}

/// A round by its id (`legislatives-2024-t1`, or `legislatives-2024` for its round 1), one
/// of the database's; `parametre` names the query parameter in errors.
pub fn election(snapshot: &Snapshot, parametre: &str, text: &str) -> Result<Scrutin, ApiError> {
    let known: Vec<String> = snapshot.scrutins.iter().map(Scrutin::id).collect();
    let text = text.trim();
    let parsed = text
        .parse::<Scrutin>()
        .ok()
        .or_else(|| Scrutin::parse_election(text, 1));
    match parsed {
        Some(s) if snapshot.scrutins.contains(&s) => Ok(s),
        Some(s) => {
            let rounds: Vec<String> = snapshot
                .scrutins
                .iter()
                .filter(|k| k.type_election == s.type_election && k.annee == s.annee)
                .map(Scrutin::id)
                .collect();
            let message = if rounds.is_empty() {
                format!(
                    "parameter '{parametre}': no election '{}' in the data; elections: {}",
                    s.election(),
                    known.join(", ")
                )
            } else {
                format!(
                    "parameter '{parametre}': {} has no round {}; its rounds: {}",
                    s.election(),
                    s.tour,
                    rounds.join(", ")
                )
            };
            Err(ApiError::parameter(parametre, message, Some(known)))
        }
        None => Err(ApiError::parameter(
            parametre,
            format!(
                "parameter '{parametre}' must be an election round id such as legislatives-2024-t1, one of {}, not '{text}'",
                known.join(", ")
            ),
            Some(known),
        )),
    }
}

/// The round of `election`, or of `annee` and `tour`: giving both is an error.
pub fn scrutin_choisi(
    snapshot: &Snapshot,
    election_value: Option<&str>,
    annee_value: Option<&str>,
    tour_value: Option<&str>,
) -> Result<Scrutin, ApiError> {
    match present(election_value) {
        None => scrutin(snapshot, annee_value, tour_value),
        Some(text) => {
            // `election=legislatives-2024&tour=2` (a form's two selects) names round 2.
            let sans_tour = text.parse::<Scrutin>().is_err();
            match (present(annee_value), present(tour_value)) {
                (None, None) => election(snapshot, "election", text),
                (None, Some(_)) if sans_tour => {
                    let tour = tour(tour_value)?;
                    election(snapshot, "election", &format!("{}-t{tour}", text.trim()))
                }
                _ => Err(ApiError::parameter(
                    "election",
                    "give either 'election' (e.g. legislatives-2024-t1, or legislatives-2024 with 'tour') or 'annee' and 'tour' (a presidential round), not both",
                    None,
                )),
            }
        }
    }
}

/// The unemployment quarter asked for; without one, [`default_quarter`] of `annee`.
pub fn trimestre(
    snapshot: &Snapshot,
    value: Option<&str>,
    annee: i32,
) -> Result<Quarter, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default_quarter(annee));
    };
    let quarter: Quarter = text.parse().map_err(|e: String| {
        ApiError::parameter("trimestre", format!("parameter 'trimestre': {e}"), None)
    })?;
    match snapshot.quarter_range() {
        Some((first, last)) if quarter >= first && quarter <= last => Ok(quarter),
        Some((first, last)) => Err(ApiError::parameter(
            "trimestre",
            format!("parameter 'trimestre': {quarter} is outside the data ({first} .. {last})"),
            None,
        )),
        None => Err(ApiError::parameter(
            "trimestre",
            "parameter 'trimestre': the database holds no unemployment data",
            None,
        )),
    }
}

/// `None` for no filter; an unknown code is an error listing the known ones.
pub fn region<'a>(
    snapshot: &'a Snapshot,
    value: Option<&str>,
) -> Result<Option<&'a db::models::Region>, ApiError> {
    let Some(code) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    snapshot
        .region(&code.to_uppercase())
        .map(Some)
        .ok_or_else(|| {
            ApiError::parameter(
                "region",
                format!("parameter 'region': unknown region code '{code}'"),
                Some(snapshot.regions.iter().map(|r| r.code.clone()).collect()),
            )
        })
}

/// The perimeter: `france` (default), `metropole` or `outre-mer`.
pub fn perimetre(value: Option<&str>) -> Result<Perimetre, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Perimetre::France);
    };
    Perimetre::from_code(text).ok_or_else(|| {
        let known: Vec<String> = Perimetre::ALL.iter().map(|p| p.code().to_owned()).collect();
        ApiError::parameter(
            "perimetre",
            format!(
                "parameter 'perimetre' must be one of {}, not '{text}'",
                known.join(", ")
            ),
            Some(known),
        )
    })
}

impl Filtres {
    /// The scope these filters select; each bad value is a 400 naming it, and a region
    /// outside the perimeter (an empty scope) a 400 naming the regions inside.
    pub fn resolve(&self, snapshot: &Snapshot) -> Result<Scope, ApiError> {
        let scrutin = scrutin_choisi(
            snapshot,
            self.election.as_deref(),
            self.annee.as_deref(),
            self.tour.as_deref(),
        )?;
        let trimestre = trimestre(snapshot, self.trimestre.as_deref(), scrutin.annee)?;
        let region = region(snapshot, self.region.as_deref())?.cloned();
        let perimetre = perimetre(self.perimetre.as_deref())?;
        if let Some(r) = &region
            && !perimetre.contient_region(&r.code)
        {
            let inside: Vec<String> = snapshot
                .regions
                .iter()
                .filter(|r| perimetre.contient_region(&r.code))
                .map(|r| r.code.clone())
                .collect();
            return Err(ApiError::parameter(
                "region",
                format!(
                    "region '{}' ({}) is not in perimetre '{}': nothing to select; its regions: {}",
                    r.code,
                    r.nom,
                    perimetre.code(),
                    inside.join(", ")
                ),
                Some(inside),
            ));
        }
        Ok(Scope {
            scrutin,
            trimestre,
            region,
            perimetre,
        })
    }
}

/// The round compared between 2017 and 2022 (the évolution endpoints).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TourQuery {
    /// Election round compared: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

impl TourQuery {
    pub fn tour(&self) -> Result<i32, ApiError> {
        tour(self.tour.as_deref())
    }
}

/// Election year and round (`annee`, `tour`), for the endpoints that take no quarter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScrutinQuery {
    /// Election round by its id (see `/elections`), e.g. `legislatives-2024-t1`; instead of
    /// `annee` and `tour`. Default: the 2022 presidential round 1.
    #[param(value_type = Option<String>, pattern = "^[a-z]+-[0-9]{4}(-t[12])?$", example = "legislatives-2024-t1")]
    pub election: Option<String>,
    /// Presidential election year: 2017 or 2022. Default 2022.
    #[param(value_type = Option<i32>, minimum = 2017, maximum = 2022, example = 2022)]
    pub annee: Option<String>,
    /// Election round: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

impl ScrutinQuery {
    pub fn resolve(&self, snapshot: &Snapshot) -> Result<Scrutin, ApiError> {
        scrutin_choisi(
            snapshot,
            self.election.as_deref(),
            self.annee.as_deref(),
            self.tour.as_deref(),
        )
    }
}

/// The query string as `T`, or the 400 problem of the other query extractors.
pub fn query<T: serde::de::DeserializeOwned>(request: &HttpRequest) -> Result<T, ApiError> {
    web::Query::<T>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| ApiError::bad(e.to_string()))
}

/// The scope of a request, from `annee`, `tour`, `trimestre` and `region` (see [`Filtres`]).
impl FromRequest for Scope {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Scope, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(scope_of(request))
    }
}

fn scope_of(request: &HttpRequest) -> Result<Scope, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("no application state".into()))?;
    query::<Filtres>(request)?.resolve(&state.snapshot)
}

/// Two rounds to compare: `de` then `a`, each an election round id (see `/elections`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntreQuery {
    /// The earlier round, e.g. `presidentielle-2022-t1`. With `a`; without both, the two
    /// latest presidential elections in the same round (`tour`).
    #[param(value_type = Option<String>, example = "presidentielle-2022-t1")]
    pub de: Option<String>,
    /// The later round, e.g. `legislatives-2024-t1`.
    #[param(value_type = Option<String>, example = "legislatives-2024-t1")]
    pub a: Option<String>,
}

impl EntreQuery {
    /// The two rounds; without `de` and `a`, the two latest presidential years in round
    /// `tour` (today's 2017 -> 2022 comparison). One without the other is a 400.
    pub fn resolve(&self, snapshot: &Snapshot, tour: i32) -> Result<(Scrutin, Scrutin), ApiError> {
        match (present(self.de.as_deref()), present(self.a.as_deref())) {
            (Some(de), Some(a)) => Ok((election(snapshot, "de", de)?, election(snapshot, "a", a)?)),
            (None, None) => crate::views::departements::presidentielles_comparees(snapshot)
                .map(|(de, a)| (Scrutin::new(de, tour), Scrutin::new(a, tour)))
                .ok_or_else(|| {
                    ApiError::NotFound("fewer than two presidential elections in the data".into())
                }),
            (Some(_), None) | (None, Some(_)) => Err(ApiError::parameter(
                if self.de.is_some() { "a" } else { "de" },
                "give both 'de' and 'a' (two election round ids, e.g. de=presidentielle-2022-t1&a=legislatives-2024-t1)",
                None,
            )),
        }
    }
}
