//! The read model: domain functions over the in-memory snapshot that take typed values
//! ([`Scope`], [`db::Variable`], a département) and return typed data. No HTTP and no
//! rendering: the routes, the dashboard pages and the static images are three presentations
//! of these views, and none of them calls another.
//!
//! - [`scope`]: the round, quarter and region a question is about, and their defaults;
//! - [`resultats`]: the results of a round, for a département or the whole country;
//! - [`departements`]: the list, a département's detail, its unemployment series, evolution;
//! - [`ecarts`]: the shift between any two rounds, for the country or a département;
//! - [`elections`]: the nuance grids of the elections by label and their seats;
//! - [`indicateurs`]: one row of indicators per département;
//! - [`correlations`]: correlation matrices of indicators;
//! - [`charts`]: the data behind each chart ([`charts::Dessin`]);
//! - [`cartes`]: the data behind each map (a `Dessin` too);
//! - [`geo`]: the départements as GeoJSON, with their indicators;
//! - [`models`]: the models, their cards and curves;
//! - [`prediction`]: predictions for a département or a feature vector;
//! - [`predictions`]: every prediction of a model, refit and out-of-fold;
//! - [`previsions`]: the constituency forecast tested on a later election, and its baselines;
//! - [`spatial`]: Moran's I and LISA of an indicator on the contiguity weights.

pub mod cartes;
pub mod cartes_circonscriptions;
pub mod charts;
pub mod circonscriptions;
pub mod correlations;
pub mod departements;
pub mod ecarts;
pub mod elections;
pub mod geo;
pub mod indicateurs;
pub mod models;
pub mod prediction;
pub mod predictions;
pub mod previsions;
pub mod resultats;
pub mod scope;
pub mod spatial;

pub use scope::Scope;

/// Rounds a percentage for output (4 decimals, as in `data_clean/`).
pub fn r4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// A percentage for people: `27,7 %`.
pub fn fr_pct(value: f64) -> String {
    format!("{} %", ::charts::fr(value, 1))
}

/// The integer a whole number is (exactly representable), if it is one.
fn entier(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

/// Serializes a number that has no fractional part as an integer (`666971`, not `666971.0`):
/// for columns that mix counts and rates.
pub fn entier_si_rond<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value.map(|v| (v, entier(v))) {
        Some((_, Some(i))) => serializer.serialize_i64(i),
        Some((v, None)) => serializer.serialize_f64(v),
        None => serializer.serialize_none(),
    }
}

/// A map of numbers serialized with [`entier_si_rond`] for each value.
pub fn carte_entiers_si_ronds<S: serde::Serializer>(
    values: &std::collections::BTreeMap<String, f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(values.len()))?;
    for (key, value) in values {
        match entier(*value) {
            Some(i) => map.serialize_entry(key, &i)?,
            None => map.serialize_entry(key, value)?,
        }
    }
    map.end()
}
