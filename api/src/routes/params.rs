//! Query parameters shared by several endpoints, validated with messages that
//! name the parameter and the values it accepts.

use db::{Quarter, Scrutin, Snapshot};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// The quarter used when none is asked for: the one of the 2022 election study.
pub const DEFAULT_QUARTER: Quarter = Quarter {
    annee: 2022,
    trimestre: 3,
};

/// The election year used when none is asked for.
pub const DEFAULT_ANNEE: i32 = 2022;

/// Filters shared by the indicator endpoints.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filtres {
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

/// The election round of `annee` and `tour`.
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

/// The quarter used for an election year when none is asked for: its third (2022-T3).
pub fn default_quarter(annee: i32) -> Quarter {
    Quarter {
        annee,
        trimestre: DEFAULT_QUARTER.trimestre,
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

impl Filtres {
    pub fn resolve<'a>(
        &self,
        snapshot: &'a Snapshot,
    ) -> Result<(Scrutin, Quarter, Option<&'a db::models::Region>), ApiError> {
        let scrutin = scrutin(snapshot, self.annee.as_deref(), self.tour.as_deref())?;
        let quarter = trimestre(snapshot, self.trimestre.as_deref(), scrutin.annee)?;
        Ok((scrutin, quarter, region(snapshot, self.region.as_deref())?))
    }
}

/// Rounds a percentage for output (4 decimals, as in `data_clean/`).
pub fn r4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// A percentage for people: `27,7 %`.
pub fn fr_pct(value: f64) -> String {
    format!("{} %", charts::fr(value, 1))
}
