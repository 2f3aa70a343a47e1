//! Parameters of the maps: how a choropleth is classed (`classes`, `n`, `palette`), which
//! département is highlighted (`surligne`), the shift maps' classes, and the GeoJSON's
//! `simplifie`; refused with a 400 naming the values allowed.

use charts::carte::Palette;
use charts::classes::{MAX_CLASSES, MIN_CLASSES, Methode};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::views::cartes::Classement;

/// How a choropleth is classed and coloured.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassesQuery {
    /// Class method: `quantiles` (default: as many départements in each class), `egales`
    /// (equal intervals) or `jenks` (natural breaks).
    #[param(value_type = Option<String>, pattern = "^(quantiles|egales|jenks)$", example = "quantiles")]
    pub classes: Option<String>,
    /// Number of classes, 3..=9. Default 5.
    #[param(value_type = Option<u32>, minimum = 3, maximum = 9, example = 5)]
    pub n: Option<String>,
    /// Colour ramp: `viridis` (default), `bleus`, `orange-rouge`, or the diverging
    /// `rouge-bleu`; all colour-blind-safe.
    #[param(value_type = Option<String>, pattern = "^(viridis|bleus|orange-rouge|rouge-bleu)$", example = "viridis")]
    pub palette: Option<String>,
    /// A département to outline (INSEE code), e.g. the one a page is about.
    #[param(example = "59")]
    pub surligne: Option<String>,
}

/// Classes of a shift map (quantiles, split at 0, colours centred on 0).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EcartsQuery {
    /// Number of quantile classes, 3..=9 (0 is one more bound when values take both signs).
    /// Default 5.
    #[param(value_type = Option<u32>, minimum = 3, maximum = 9, example = 5)]
    pub n: Option<String>,
    /// Colour ramp: `rouge-bleu` (default, diverging: red for gains, blue for losses),
    /// `viridis`, `bleus` or `orange-rouge`.
    #[param(value_type = Option<String>, pattern = "^(viridis|bleus|orange-rouge|rouge-bleu)$", example = "rouge-bleu")]
    pub palette: Option<String>,
}

fn trimmed(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The number of classes: 3..=9.
pub fn nombre(value: Option<&str>, default: usize) -> Result<usize, ApiError> {
    let Some(text) = trimmed(value) else {
        return Ok(default);
    };
    text.parse::<usize>()
        .ok()
        .filter(|n| (MIN_CLASSES..=MAX_CLASSES).contains(n))
        .ok_or_else(|| {
            ApiError::parameter(
                "n",
                format!(
                    "parameter 'n' must be a number of classes in {MIN_CLASSES}..={MAX_CLASSES}, not '{text}'"
                ),
                Some((MIN_CLASSES..=MAX_CLASSES).map(|n| n.to_string()).collect()),
            )
        })
}

/// The palette: one of [`Palette::ALL`].
pub fn palette(value: Option<&str>, default: Palette) -> Result<Palette, ApiError> {
    let Some(text) = trimmed(value) else {
        return Ok(default);
    };
    Palette::from_code(text).ok_or_else(|| {
        let known: Vec<String> = Palette::ALL.iter().map(|p| p.code().to_owned()).collect();
        ApiError::parameter(
            "palette",
            format!(
                "parameter 'palette' must be one of {}, not '{text}'",
                known.join(", ")
            ),
            Some(known),
        )
    })
}

impl ClassesQuery {
    pub fn classement(&self) -> Result<Classement, ApiError> {
        let methode = match trimmed(self.classes.as_deref()) {
            None => Methode::Quantiles,
            Some(text) => Methode::from_code(text).ok_or_else(|| {
                let known: Vec<String> = Methode::ALL.iter().map(|m| m.code().to_owned()).collect();
                ApiError::parameter(
                    "classes",
                    format!(
                        "parameter 'classes' must be one of {}, not '{text}'",
                        known.join(", ")
                    ),
                    Some(known),
                )
            })?,
        };
        Ok(Classement {
            methode,
            n: nombre(self.n.as_deref(), 5)?,
            palette: palette(self.palette.as_deref(), Palette::Viridis)?,
        })
    }
}

impl EcartsQuery {
    pub fn classes(&self) -> Result<(usize, Palette), ApiError> {
        Ok((
            nombre(self.n.as_deref(), 5)?,
            palette(self.palette.as_deref(), Palette::RougeBleu)?,
        ))
    }
}

/// Options of the GeoJSON.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GeoJsonQuery {
    /// `false` (default): the outlines as published (IGN Admin Express, about 3.7 MB);
    /// `true`: simplified with shared borders kept shared (about 0.4 MB), for web maps.
    #[param(value_type = Option<bool>, example = false)]
    pub simplifie: Option<String>,
}

impl GeoJsonQuery {
    pub fn simplifie(&self) -> Result<bool, ApiError> {
        super::charts::boolean("simplifie", self.simplifie.as_deref(), false)
    }
}
