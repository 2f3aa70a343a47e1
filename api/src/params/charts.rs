//! Parameters of the charts: their look (size, theme, title, format) and the chart-specific
//! choices (bins, scatter variables, évolution, feature set), parsed into typed values.

use charts::Theme;
use db::Variable;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

const MAX_TITLE_CHARS: usize = 200;

/// Size, theme, title and format of any chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    /// Width in pixels, 200..=4000. Default 1280 (16:9 slide).
    #[param(value_type = Option<u32>, minimum = 200, maximum = 4000, example = 1280)]
    pub width: Option<String>,
    /// Height in pixels, 200..=4000. Default 720.
    #[param(value_type = Option<u32>, minimum = 200, maximum = 4000, example = 720)]
    pub height: Option<String>,
    /// `light` (default) or `dark`.
    #[param(value_type = Option<String>, pattern = "^(light|dark)$", example = "light")]
    pub theme: Option<String>,
    /// Title shown above the chart (default: one describing it), at most 200 characters.
    #[param(max_length = 200, example = "Chômage et vote d'extrême droite")]
    pub title: Option<String>,
    /// `svg` (default) or `png`; a `.svg` or `.png` suffix on the path does the same.
    #[param(value_type = Option<String>, pattern = "^(svg|png)$", example = "png")]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// Validated chart parameters: the look of the chart and its format.
#[derive(Debug, Clone)]
pub struct Look {
    pub chart: charts::Look,
    pub format: Format,
}

fn size(name: &str, value: Option<&str>, default: u32) -> Result<u32, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    text.parse::<u32>()
        .ok()
        .filter(|v| (charts::MIN_SIZE..=charts::MAX_SIZE).contains(v))
        .ok_or_else(|| {
            ApiError::parameter(
                name,
                format!(
                    "parameter '{name}' must be a whole number of pixels in {}..={}, not '{text}'",
                    charts::MIN_SIZE,
                    charts::MAX_SIZE
                ),
                None,
            )
        })
}

impl ChartQuery {
    pub fn look(&self) -> Result<Look, ApiError> {
        let theme = match self.theme.as_deref().map(str::trim) {
            None | Some("") | Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => {
                return Err(ApiError::parameter(
                    "theme",
                    format!("parameter 'theme' must be light or dark, not '{other}'"),
                    Some(vec!["light".into(), "dark".into()]),
                ));
            }
        };
        let format = match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("svg") => Format::Svg,
            Some("png") => Format::Png,
            Some(other) => {
                return Err(ApiError::parameter(
                    "format",
                    format!("parameter 'format' must be svg or png, not '{other}'"),
                    Some(vec!["svg".into(), "png".into()]),
                ));
            }
        };
        if let Some(title) = &self.title
            && title
                .chars()
                .any(|c| c.is_control() || !charts::is_xml_char(c))
        {
            return Err(ApiError::parameter(
                "title",
                "parameter 'title' contains control characters",
                None,
            ));
        }
        if let Some(title) = &self.title
            && title.chars().count() > MAX_TITLE_CHARS
        {
            return Err(ApiError::parameter(
                "title",
                format!("parameter 'title' is longer than {MAX_TITLE_CHARS} characters"),
                None,
            ));
        }
        Ok(Look {
            chart: charts::Look {
                width: size("width", self.width.as_deref(), charts::DEFAULT_WIDTH)?,
                height: size("height", self.height.as_deref(), charts::DEFAULT_HEIGHT)?,
                theme,
                title: self.title.clone().filter(|t| !t.trim().is_empty()),
            },
            format,
        })
    }
}

/// Parses a `true`/`false` parameter (`1`/`0` too); absent or empty is `default`.
pub(crate) fn boolean(name: &str, value: Option<&str>, default: bool) -> Result<bool, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(other) => Err(ApiError::parameter(
            name,
            format!("parameter '{name}' must be true or false, not '{other}'"),
            Some(vec!["true".into(), "false".into()]),
        )),
    }
}

/// Number of bars of a histogram.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BinsQuery {
    /// Number of bars, 1..=100. Default 20.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub bins: Option<String>,
}

impl BinsQuery {
    /// The number of bars: 1..=100, default 20.
    pub fn bins(&self) -> Result<usize, ApiError> {
        match self
            .bins
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            None => Ok(20),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|b| (1..=100).contains(b))
                .ok_or_else(|| {
                    ApiError::parameter(
                        "bins",
                        format!("parameter 'bins' must be in 1..=100, not '{text}'"),
                        None,
                    )
                }),
        }
    }
}

/// The two variables of a scatter plot.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScatterQuery {
    /// Horizontal variable. Default taux_chomage.
    #[param(value_type = Option<Variable>, example = "taux_chomage")]
    pub x: Option<String>,
    /// Vertical variable. Default part_extreme_droite.
    #[param(value_type = Option<Variable>, example = "part_extreme_droite")]
    pub y: Option<String>,
    /// Draw the least-squares line and r: `true` (default) or `false`.
    #[param(value_type = Option<bool>, example = true)]
    pub regression: Option<String>,
}

/// The validated choices of a scatter plot.
#[derive(Debug, Clone, Copy)]
pub struct Nuage {
    pub x: Variable,
    pub y: Variable,
    pub regression: bool,
}

impl ScatterQuery {
    pub fn nuage(&self) -> Result<Nuage, ApiError> {
        Ok(Nuage {
            x: super::variable("x", self.x.as_deref().unwrap_or("taux_chomage"))?,
            y: super::variable("y", self.y.as_deref().unwrap_or("part_extreme_droite"))?,
            regression: boolean("regression", self.regression.as_deref(), true)?,
        })
    }
}

/// The département of the evolution chart (its round: `scope::TourQuery`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartementQuery {
    /// INSEE or election-file code; the whole country when absent.
    #[param(example = "59")]
    pub departement: Option<String>,
}

/// Feature set of the accuracy chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyQuery {
    /// Only the models of one feature set: `indicateurs_2022`, `socio_economique`,
    /// `socio_economique_historique` or `spatial`. Default: every model, labelled with its set.
    #[param(example = "socio_economique_historique")]
    pub jeu: Option<String>,
}

impl AccuracyQuery {
    /// The feature set asked for, if any.
    pub fn jeu(&self) -> Result<Option<ml::features::Jeu>, ApiError> {
        self.jeu
            .as_deref()
            .map(str::trim)
            .filter(|j| !j.is_empty())
            .map(|j| {
                ml::features::jeu(j).ok_or_else(|| {
                    ApiError::parameter(
                        "jeu",
                        format!("parameter 'jeu': unknown feature set '{j}'"),
                        Some(
                            ml::features::jeux()
                                .iter()
                                .map(|j| j.id.to_owned())
                                .collect(),
                        ),
                    )
                })
            })
            .transpose()
    }
}
