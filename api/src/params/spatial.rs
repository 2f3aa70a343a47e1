//! Parameters of the spatial statistics: the indicator, the permutations (99..=9999) and the
//! LISA clusters' significance level (0.001..=0.5).

use db::Variable;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::views::spatial::{ALPHA, MAX_PERMUTATIONS, MIN_PERMUTATIONS, PERMUTATIONS, Seuil};

/// Lowest and highest significance level of the LISA clusters.
pub const MIN_ALPHA: f64 = 0.001;
pub const MAX_ALPHA: f64 = 0.5;

/// What a spatial statistic is computed on.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpatialQuery {
    /// The indicator (see /variables). Required.
    #[param(value_type = Variable, example = "part_extreme_droite")]
    pub variable: Option<String>,
    /// Random permutations for the pseudo p-values, 99..=9999. Default 999.
    #[param(value_type = Option<u32>, minimum = 99, maximum = 9999, example = 999)]
    pub permutations: Option<String>,
}

/// The significance level of the LISA clusters and its multiple-testing correction.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlphaQuery {
    /// Significance level of the clusters, 0.001..=0.5. Default 0.05.
    #[param(value_type = Option<f64>, minimum = 0.001, maximum = 0.5, example = 0.05)]
    pub alpha: Option<String>,
    /// `aucune` (default): each unit's p-value against alpha, as esda's default; `fdr`:
    /// Benjamini-Hochberg false discovery rate over the units tested (a cluster when its
    /// adjusted p-value is at most alpha), with at least ⌈n / alpha⌉ permutations so that the
    /// smallest p-value can pass.
    #[param(value_type = Option<String>, pattern = "^(aucune|fdr)$", example = "fdr")]
    pub correction: Option<String>,
}

/// The number of permutations: 99..=9999, default 999.
pub fn permutations(value: Option<&str>) -> Result<usize, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(PERMUTATIONS);
    };
    text.parse::<usize>()
        .ok()
        .filter(|p| (MIN_PERMUTATIONS..=MAX_PERMUTATIONS).contains(p))
        .ok_or_else(|| {
            ApiError::parameter(
                "permutations",
                format!(
                    "parameter 'permutations' must be a whole number in {MIN_PERMUTATIONS}..={MAX_PERMUTATIONS}, not '{text}'"
                ),
                None,
            )
        })
}

impl SpatialQuery {
    /// The indicator (required) and the permutations.
    pub fn parse(&self) -> Result<(Variable, usize), ApiError> {
        let variable = match self.variable.as_deref().map(str::trim) {
            None | Some("") => {
                return Err(ApiError::parameter(
                    "variable",
                    "parameter 'variable' is required: one of /variables",
                    Some(Variable::codes().iter().map(|c| (*c).to_owned()).collect()),
                ));
            }
            Some(name) => super::variable("variable", name)?,
        };
        Ok((variable, permutations(self.permutations.as_deref())?))
    }
}

impl AlphaQuery {
    /// The level and the correction.
    pub fn alpha(&self) -> Result<Seuil, ApiError> {
        let fdr = match self.correction.as_deref().map(str::trim) {
            None | Some("" | "aucune") => false,
            Some("fdr") => true,
            Some(other) => {
                return Err(ApiError::parameter(
                    "correction",
                    format!("parameter 'correction' must be aucune or fdr, not '{other}'"),
                    Some(vec!["aucune".into(), "fdr".into()]),
                ));
            }
        };
        Ok(Seuil {
            alpha: self.niveau()?,
            fdr,
        })
    }

    fn niveau(&self) -> Result<f64, ApiError> {
        let Some(text) = self
            .alpha
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Ok(ALPHA);
        };
        text.parse::<f64>()
            .ok()
            .filter(|a| (MIN_ALPHA..=MAX_ALPHA).contains(a))
            .ok_or_else(|| {
                ApiError::parameter(
                    "alpha",
                    format!(
                        "parameter 'alpha' must be a significance level in {MIN_ALPHA}..={MAX_ALPHA}, not '{text}'"
                    ),
                    None,
                )
            })
    }
}

/// The permutations of a spatial chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PermutationsQuery {
    /// Random permutations for the pseudo p-values, 99..=9999. Default 999.
    #[param(value_type = Option<u32>, minimum = 99, maximum = 9999, example = 999)]
    pub permutations: Option<String>,
}
