//! Features and labels from the database snapshot: one sample per département that has
//! every feature; the label is the political family leading round 1.

use db::{Quarter, Snapshot};

use crate::MlError;

/// Every feature the models can use.
pub const FEATURES: [&str; 6] = [
    "taux_chomage",
    "taux_abstention",
    "taux_blancs",
    "taux_nuls",
    "chomage_moyen_10ans",
    "variation_chomage_5ans",
];

/// The round whose leading family is predicted.
pub const TOUR: i32 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub features: Vec<String>,
    pub quarter: Quarter,
    /// Family codes of the classes present, in family order.
    pub classes: Vec<String>,
    /// Département code of each sample.
    pub codes: Vec<String>,
    pub x: Vec<Vec<f64>>,
    /// Index into `classes`.
    pub y: Vec<usize>,
    /// Départements left out for a missing feature.
    pub exclus: Vec<String>,
}

/// One feature of one département (`None` when a value it needs is missing).
pub fn feature(snapshot: &Snapshot, code: &str, name: &str, quarter: Quarter) -> Option<f64> {
    let rate = |q: Quarter| snapshot.taux_chomage(code, q);
    match name {
        "taux_chomage" => rate(quarter),
        "taux_abstention" => snapshot
            .indicateurs(code, TOUR, quarter)
            .map(|i| i.taux_abstention),
        "taux_blancs" => snapshot
            .indicateurs(code, TOUR, quarter)
            .map(|i| i.taux_blancs),
        "taux_nuls" => snapshot
            .indicateurs(code, TOUR, quarter)
            .map(|i| i.taux_nuls),
        "chomage_moyen_10ans" => {
            let values: Option<Vec<f64>> = (0..40).map(|k| rate(quarter.shifted(-k))).collect();
            values.map(|v| v.iter().sum::<f64>() / v.len() as f64)
        }
        "variation_chomage_5ans" => Some(rate(quarter)? - rate(quarter.shifted(-20))?),
        _ => None,
    }
}

/// The samples: départements (not overseas collectivities nor abroad) with every feature.
pub fn build(
    snapshot: &Snapshot,
    features: &[String],
    quarter: Quarter,
) -> Result<Dataset, MlError> {
    if let Some(unknown) = features.iter().find(|f| !FEATURES.contains(&f.as_str())) {
        return Err(MlError::Feature(format!(
            "unknown feature '{unknown}'; known: {}",
            FEATURES.join(", ")
        )));
    }
    if features.is_empty() {
        return Err(MlError::Feature("no feature chosen".into()));
    }
    let mut rows = Vec::new();
    let mut exclus = Vec::new();
    for d in snapshot.departements.iter().filter(|d| d.est_departement) {
        let values: Option<Vec<f64>> = features
            .iter()
            .map(|f| feature(snapshot, &d.code, f, quarter))
            .collect();
        let label = snapshot
            .indicateurs(&d.code, TOUR, quarter)
            .map(|i| i.famille_gagnante);
        match (values, label) {
            (Some(values), Some(label)) => rows.push((d.code.clone(), values, label)),
            _ => exclus.push(d.code.clone()),
        }
    }
    let classes: Vec<String> = snapshot
        .familles
        .iter()
        .map(|f| f.code.clone())
        .filter(|f| rows.iter().any(|(_, _, label)| label == f))
        .collect();
    let y = rows
        .iter()
        .map(|(_, _, label)| classes.iter().position(|c| c == label).unwrap_or(0))
        .collect();
    Ok(Dataset {
        features: features.to_vec(),
        quarter,
        classes,
        codes: rows.iter().map(|(c, _, _)| c.clone()).collect(),
        x: rows.iter().map(|(_, v, _)| v.clone()).collect(),
        y,
        exclus,
    })
}
