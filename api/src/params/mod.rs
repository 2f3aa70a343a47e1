//! The extractor layer: query parameters parsed once into typed values ([`Scope`],
//! [`Variable`], chart looks), with problem+json messages that name the parameter and the
//! values it accepts. Views and presentation never see a string where a type exists.
//!
//! [`Scope`]: crate::views::Scope

pub mod cartes;
pub mod charts;
pub mod previsions;
pub mod scope;
pub mod spatial;

use db::Variable;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::views::correlations::{DEFAULT_VARIABLES, Methode};

/// How a list endpoint answers: JSON, CSV, or CSV for French Excel (see
/// [`crate::routes::table`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sortie {
    Json,
    Csv,
    CsvExcel,
}

/// The formats `format` accepts.
pub const FORMATS: [&str; 3] = ["json", "csv", "csv-excel"];

/// Output format of a list endpoint.
/// The order of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TriQuery {
    /// Sort by any column of the list (its CSV columns, e.g. `part_extreme_droite`,
    /// `taux_chomage`); `-` before it for descending. Rows without a value come last. Default:
    /// by code.
    #[param(example = "-part_extreme_droite")]
    pub tri: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `json` (default), `csv` (`,` and `.`, UTF-8), or `csv-excel` (`;`, decimal comma, UTF-8
    /// with BOM, CRLF: for French Excel). `Accept: text/csv` or a `.csv` suffix on the path
    /// also select CSV. CSV comes as an attachment.
    #[param(value_type = Option<String>, pattern = "^(json|csv|csv-excel)$", example = "csv")]
    pub format: Option<String>,
}

impl FormatQuery {
    /// The format: `format` when given, else CSV when `Accept` prefers `text/csv` to
    /// `application/json` (quality values honoured: `text/csv;q=0` is never CSV), else JSON.
    pub fn sortie(&self, request: &actix_web::HttpRequest) -> Result<Sortie, ApiError> {
        match self.format.as_deref().map(str::trim) {
            Some("csv") => Ok(Sortie::Csv),
            Some("csv-excel") => Ok(Sortie::CsvExcel),
            Some("json") => Ok(Sortie::Json),
            None | Some("") => Ok(
                if request
                    .headers()
                    .get(actix_web::http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(prefers_csv)
                {
                    Sortie::Csv
                } else {
                    Sortie::Json
                },
            ),
            Some(other) => Err(ApiError::parameter(
                "format",
                format!("parameter 'format' must be json, csv or csv-excel, not '{other}'"),
                Some(FORMATS.iter().map(|f| (*f).to_owned()).collect()),
            )),
        }
    }
}

/// The quality `accept` gives `media` (`type/subtype`): that of the most specific range
/// matching it (`type/subtype`, then `type/*`, then `*/*`), 0 when none does; and the position
/// of an exact mention.
fn quality(accept: &str, media: &str) -> (f32, Option<usize>) {
    let kind = media.split('/').next().unwrap_or("");
    let mut best: Option<(u8, f32)> = None;
    let mut exact = None;
    for (position, range) in accept.split(',').enumerate() {
        let mut parts = range.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(1.0);
        let specificity = if name == media {
            exact.get_or_insert(position);
            3
        } else if name.strip_suffix("/*") == Some(kind) {
            2
        } else if name == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    (best.map_or(0.0, |(_, q)| q), exact)
}

/// Whether an `Accept` header prefers CSV to JSON: a higher quality, or the same quality
/// with `text/csv` named before `application/json` (or alone).
pub fn prefers_csv(accept: &str) -> bool {
    let (csv, csv_at) = quality(accept, "text/csv");
    let (json, json_at) = quality(accept, "application/json");
    if csv <= 0.0 {
        return false;
    }
    csv > json || (csv == json && csv_at.is_some_and(|c| json_at.is_none_or(|j| c < j)))
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CorrelationsQuery {
    /// Comma-separated indicator names (at least 2), from: taux_chomage, taux_abstention,
    /// taux_participation, taux_blancs, taux_nuls, part_gauche, part_centre, part_droite,
    /// part_extreme_droite, and the INSEE indicators revenu_median, taux_pauvrete,
    /// part_pensions, population, part_65_ans_et_plus, part_immigres, superficie, densite
    /// (Mayotte lacks several: it is then left out, see `exclus`). At most 17 names; a name
    /// given twice counts once. Default: the election and unemployment indicators but taux_nuls.
    #[param(example = "taux_chomage,taux_abstention,part_extreme_droite")]
    pub variables: Option<String>,
    /// `pearson` (default) or `spearman` (rank correlation).
    #[param(value_type = Option<String>, pattern = "^(pearson|spearman)$", example = "pearson")]
    pub methode: Option<String>,
}

impl CorrelationsQuery {
    /// The variables (each once, in the order given) and the method.
    pub fn parse(&self) -> Result<(Vec<Variable>, Methode), ApiError> {
        let allowed = || Some(Variable::codes().into_iter().map(str::to_owned).collect());
        let names: Vec<String> = match self
            .variables
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => DEFAULT_VARIABLES
                .iter()
                .map(|v| v.code().to_owned())
                .collect(),
            Some(list) => {
                // Bounded before anything else: a chart's cost grows with the square of this list.
                let count = list.split(',').count();
                if count > Variable::ALL.len() {
                    return Err(ApiError::parameter(
                        "variables",
                        format!(
                            "parameter 'variables' lists {count} names; there are only {} indicators",
                            Variable::ALL.len()
                        ),
                        allowed(),
                    ));
                }
                let mut unique: Vec<String> = Vec::with_capacity(count);
                for name in list.split(',').map(str::trim) {
                    if !unique.iter().any(|u| u == name) {
                        unique.push(name.to_owned());
                    }
                }
                unique
            }
        };
        let variables = names
            .iter()
            .map(|name| variable("variables", name))
            .collect::<Result<Vec<Variable>, ApiError>>()?;
        if variables.len() < 2 {
            return Err(ApiError::parameter(
                "variables",
                "parameter 'variables': give at least two variables",
                allowed(),
            ));
        }
        let methode = match self.methode.as_deref().map(str::trim) {
            None | Some("") | Some("pearson") => Methode::Pearson,
            Some("spearman") => Methode::Spearman,
            Some(other) => {
                return Err(ApiError::parameter(
                    "methode",
                    format!("parameter 'methode' must be pearson or spearman, not '{other}'"),
                    Some(vec!["pearson".into(), "spearman".into()]),
                ));
            }
        };
        Ok((variables, methode))
    }
}

#[cfg(test)]
mod accept_tests {
    use super::prefers_csv;

    #[test]
    fn accept_quality_values_are_honoured() {
        assert!(prefers_csv("text/csv"));
        assert!(prefers_csv("text/csv, application/json;q=0.5"));
        assert!(prefers_csv("text/csv, application/json"));
        assert!(!prefers_csv("application/json, text/csv"));
        assert!(!prefers_csv("text/csv;q=0, application/json"));
        assert!(!prefers_csv("text/csv;q=0"));
        assert!(!prefers_csv("text/csv;q=0.2, application/json;q=0.8"));
        assert!(prefers_csv("application/json;q=0.1, text/csv;q=0.9"));
        assert!(prefers_csv("text/*, application/json;q=0.5"));
        assert!(!prefers_csv("*/*"));
        assert!(!prefers_csv("text/html"));
        assert!(!prefers_csv("text/csvx"));
    }
}
