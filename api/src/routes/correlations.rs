//! `/correlations`: correlation matrix of indicator variables across départements.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use db::{Snapshot, Variable};

use super::indicateurs::{self, rows};
use super::params::Filtres;
use crate::error::ApiError;
use crate::state::AppState;
use crate::stats;

/// The variables correlated when none are asked for.
pub const DEFAULT_VARIABLES: [Variable; 8] = [
    Variable::TauxChomage,
    Variable::TauxAbstention,
    Variable::TauxParticipation,
    Variable::TauxBlancs,
    Variable::PartGauche,
    Variable::PartCentre,
    Variable::PartDroite,
    Variable::PartExtremeDroite,
];

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

/// A correlation matrix and the sample it was computed on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Correlations {
    /// Election year.
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 1)]
    pub tour: i32,
    #[schema(example = "2022-T3")]
    pub trimestre: String,
    /// Region filter, null for all of France.
    #[schema(example = "32")]
    pub region: Option<String>,
    #[schema(example = "pearson")]
    pub methode: String,
    /// Départements in the sample (those with every variable known).
    #[schema(example = 100)]
    pub n: usize,
    /// Row and column names of the matrix.
    pub variables: Vec<String>,
    /// `matrice[i][j]` is the correlation of `variables[i]` and `variables[j]`; null when a
    /// variable is constant over the sample.
    pub matrice: Vec<Vec<Option<f64>>>,
    /// Départements left out for a missing value (e.g. Mayotte has no unemployment rate).
    pub exclus: Vec<String>,
}

/// Minimum sample for a correlation to mean anything.
const MIN_N: usize = 3;

/// Correlation matrix of indicator variables over the départements (not the overseas
/// collectivities nor French people abroad), on the départements where every chosen variable
/// is known.
#[utoipa::path(
    operation_id = "get_correlations",
    tag = "indicateurs",
    params(Filtres, CorrelationsQuery),
    responses(
        (status = 200, description = "The matrix", body = Correlations),
        (status = 400, description = "Bad round, quarter, region, variable or method, or too few départements", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/correlations")]
pub async fn correlations(
    state: web::Data<AppState>,
    filtres: web::Query<Filtres>,
    query: web::Query<CorrelationsQuery>,
) -> Result<web::Json<Correlations>, ApiError> {
    compute(&state.snapshot, &filtres, &query).map(web::Json)
}

/// The correlation matrix for validated filters, variables and method.
pub fn compute(
    snapshot: &Snapshot,
    filtres: &Filtres,
    query: &CorrelationsQuery,
) -> Result<Correlations, ApiError> {
    let (tour, quarter, region) = filtres.resolve(snapshot)?;
    let allowed = || Some(Variable::codes().into_iter().map(str::to_owned).collect());
    let names: Vec<String> = match query
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
        .map(|name| indicateurs::variable("variables", name))
        .collect::<Result<Vec<Variable>, ApiError>>()?;
    if variables.len() < 2 {
        return Err(ApiError::parameter(
            "variables",
            "parameter 'variables': give at least two variables",
            allowed(),
        ));
    }
    let methode = match query.methode.as_deref().map(str::trim) {
        None | Some("") | Some("pearson") => "pearson",
        Some("spearman") => "spearman",
        Some(other) => {
            return Err(ApiError::parameter(
                "methode",
                format!("parameter 'methode' must be pearson or spearman, not '{other}'"),
                Some(vec!["pearson".into(), "spearman".into()]),
            ));
        }
    };

    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); variables.len()];
    let mut exclus = Vec::new();
    for row in rows(snapshot, tour, quarter, region.map(|r| r.code.as_str()))
        .iter()
        .filter(|r| r.est_departement)
    {
        let values: Option<Vec<f64>> = variables.iter().map(|v| row.variable(*v)).collect();
        match values {
            Some(values) => {
                for (column, value) in columns.iter_mut().zip(values) {
                    column.push(value);
                }
            }
            None => exclus.push(row.code.clone()),
        }
    }
    let n = columns.first().map_or(0, Vec::len);
    if n < MIN_N {
        return Err(ApiError::bad(format!(
            "only {n} département(s) have every variable for this selection; a correlation needs at least {MIN_N}"
        )));
    }
    let correlate = if methode == "spearman" {
        stats::spearman
    } else {
        stats::pearson
    };
    let matrice = columns
        .iter()
        .map(|x| {
            columns
                .iter()
                .map(|y| correlate(x, y).map(|r| (r * 1e6).round() / 1e6))
                .collect()
        })
        .collect();
    Ok(Correlations {
        annee: tour.annee,
        tour: tour.tour,
        trimestre: quarter.to_string(),
        region: region.map(|r| r.code.clone()),
        methode: methode.to_owned(),
        n,
        variables: names,
        matrice,
        exclus,
    })
}
