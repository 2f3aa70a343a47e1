//! Correlation matrices of indicators across the départements of a scope.

use db::{Snapshot, Variable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Scope;
use super::indicateurs::departements;
use crate::error::ApiError;
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

/// Pearson's linear correlation or Spearman's rank correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Pearson,
    Spearman,
}

impl Methode {
    pub fn as_str(self) -> &'static str {
        match self {
            Methode::Pearson => "pearson",
            Methode::Spearman => "spearman",
        }
    }
}

/// A correlation matrix and the sample it was computed on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Correlations {
    /// The round's id where it is not presidential; absent for a presidential round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "legislatives-2024-t1")]
    pub election: Option<String>,
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
    /// `france`, `metropole` or `outre-mer`.
    #[schema(example = "metropole")]
    pub perimetre: String,
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
    /// `p_valeurs[i][j]`: two-sided p-value of no correlation (Student's t, n − 2 degrees of
    /// freedom), as if the départements were independent draws: see `avertissement`.
    #[serde(default)]
    pub p_valeurs: Vec<Vec<Option<f64>>>,
    /// `ic95[i][j]`: 95 % confidence interval by Fisher's z, under the same assumption.
    #[serde(default)]
    pub ic95: Vec<Vec<Option<[f64; 2]>>>,
    /// How far the p-values and intervals can be trusted.
    #[serde(default)]
    pub avertissement: String,
}

/// Why a correlation's p-value overstates the evidence here.
pub const AVERTISSEMENT: &str = "Les p-valeurs et intervalles supposent des territoires indépendants ; or voisins se ressemblent (les deux variables sont spatialement autocorrélées, et les résidus aussi : voir /spatial/moran), ce qui les rend trop optimistes. Ce sont des agrégats territoriaux : une corrélation entre départements ou circonscriptions ne dit rien du vote des individus (inférence écologique).";

/// Minimum sample for a correlation to mean anything.
const MIN_N: usize = 3;

/// The correlation matrix of `variables` over the départements of the scope where every one
/// is known.
pub fn compute(
    snapshot: &Snapshot,
    scope: &Scope,
    variables: &[Variable],
    methode: Methode,
) -> Result<Correlations, ApiError> {
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); variables.len()];
    let mut exclus = Vec::new();
    for row in departements(snapshot, scope) {
        let values: Option<Vec<f64>> = variables.iter().map(|v| row.variable(*v)).collect();
        match values {
            Some(values) => {
                for (column, value) in columns.iter_mut().zip(values) {
                    column.push(value);
                }
            }
            None => exclus.push(row.code),
        }
    }
    let n = columns.first().map_or(0, Vec::len);
    if n < MIN_N {
        return Err(ApiError::bad(format!(
            "only {n} département(s) have every variable for this selection; a correlation needs at least {MIN_N}"
        )));
    }
    let (matrice, p_valeurs, ic95) = matrices(&columns, methode);
    Ok(Correlations {
        election: super::scope::election_id(scope.scrutin),
        annee: scope.scrutin.annee,
        tour: scope.scrutin.tour,
        trimestre: scope.trimestre.to_string(),
        region: scope.region_code().map(str::to_owned),
        perimetre: scope.perimetre.code().to_owned(),
        methode: methode.as_str().to_owned(),
        n,
        variables: variables.iter().map(|v| v.code().to_owned()).collect(),
        matrice,
        exclus,
        p_valeurs,
        ic95,
        avertissement: AVERTISSEMENT.to_owned(),
    })
}

/// The correlation matrix of `columns`, with each pair's p-value and 95 % interval (none on
/// the diagonal).
#[allow(clippy::type_complexity)]
pub fn matrices(
    columns: &[Vec<f64>],
    methode: Methode,
) -> (
    Vec<Vec<Option<f64>>>,
    Vec<Vec<Option<f64>>>,
    Vec<Vec<Option<[f64; 2]>>>,
) {
    let n = columns.first().map_or(0, Vec::len);
    let correlate = if methode == Methode::Spearman {
        stats::spearman
    } else {
        stats::pearson
    };
    let arrondi = |v: f64| (v * 1e6).round() / 1e6;
    let matrice: Vec<Vec<Option<f64>>> = columns
        .iter()
        .map(|x| {
            columns
                .iter()
                .map(|y| correlate(x, y).map(arrondi))
                .collect()
        })
        .collect();
    let spearman = methode == Methode::Spearman;
    let inferences: Vec<Vec<Option<stats::Inference>>> = matrice
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, r)| {
                    r.filter(|_| i != j)
                        .and_then(|r| stats::inference(r, n, spearman))
                })
                .collect()
        })
        .collect();
    let p_valeurs = inferences
        .iter()
        .map(|row| row.iter().map(|x| x.map(|x| significatif(x.p))).collect())
        .collect();
    let ic95 = inferences
        .iter()
        .map(|row| {
            row.iter()
                .map(|x| x.map(|x| [arrondi(x.ic95[0]), arrondi(x.ic95[1])]))
                .collect()
        })
        .collect();
    (matrice, p_valeurs, ic95)
}

/// A p-value to 4 significant digits (tiny ones keep their order of magnitude: 1.234e-20).
fn significatif(p: f64) -> f64 {
    if p <= 0.0 || !p.is_finite() {
        return p;
    }
    let echelle = 10f64.powi(3 - p.log10().floor() as i32);
    (p * echelle).round() / echelle
}
