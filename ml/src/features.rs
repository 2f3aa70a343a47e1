//! Features and labels from the database snapshot: one sample per département that has
//! every feature; the label is the political family leading round 1 of 2022. Features come
//! in named sets ([`jeux`]); every model records the set it was trained on.

use db::{Quarter, Scrutin, Snapshot, Variable};

use crate::MlError;

/// Every feature the models can use, in three nested sets (see [`jeux`]):
/// - `..FIN_2022`: unemployment and the 2022 round-1 turnout indicators;
/// - `FIN_2022..FIN_SOCIO`: INSEE socio-economic indicators. Population and area are left
///   out: absolute sizes, whose information on how urban a département is the density carries;
/// - `FIN_SOCIO..`: round-1 shares of each family in 2017 (% of exprimés).
///
/// The indicators among them are named by the registry ([`Variable`]); the others are
/// derived here ([`DERIVEES`]).
pub const FEATURES: [&str; 16] = [
    Variable::TauxChomage.code(),
    Variable::TauxAbstention.code(),
    Variable::TauxBlancs.code(),
    Variable::TauxNuls.code(),
    "chomage_moyen_10ans",
    "variation_chomage_5ans",
    Variable::RevenuMedian.code(),
    Variable::TauxPauvrete.code(),
    Variable::PartPensions.code(),
    Variable::Part65AnsEtPlus.code(),
    Variable::PartImmigres.code(),
    Variable::Densite.code(),
    "part_gauche_2017",
    "part_centre_2017",
    "part_droite_2017",
    "part_extreme_droite_2017",
];

/// The features that are not indicators of the registry: (name, French label with unit,
/// plausible range for what-if values).
pub const DERIVEES: [(&str, &str, (f64, f64)); 6] = [
    (
        "chomage_moyen_10ans",
        "Chômage moyen sur 10 ans (%)",
        (0.0, 100.0),
    ),
    (
        "variation_chomage_5ans",
        "Variation du chômage sur 5 ans (points)",
        (-100.0, 100.0),
    ),
    (
        "part_gauche_2017",
        "Part de la gauche au 1er tour 2017 (% des exprimés)",
        (0.0, 100.0),
    ),
    (
        "part_centre_2017",
        "Part du centre au 1er tour 2017 (% des exprimés)",
        (0.0, 100.0),
    ),
    (
        "part_droite_2017",
        "Part de la droite au 1er tour 2017 (% des exprimés)",
        (0.0, 100.0),
    ),
    (
        "part_extreme_droite_2017",
        "Part de l'extrême droite au 1er tour 2017 (% des exprimés)",
        (0.0, 100.0),
    ),
];

/// French label of a feature, with its unit: the registry's for an indicator.
pub fn libelle(feature: &str) -> Option<&'static str> {
    Variable::from_code(feature)
        .map(Variable::libelle)
        .or_else(|| {
            DERIVEES
                .iter()
                .find(|(name, _, _)| *name == feature)
                .map(|(_, libelle, _)| *libelle)
        })
}

/// A feature's value as shown: the registry's decimals for an indicator, 4 for the others.
pub fn arrondi(feature: &str, value: f64) -> f64 {
    match Variable::from_code(feature) {
        Some(v) => v.arrondi(value),
        None => (value * 10_000.0).round() / 10_000.0,
    }
}

/// Plausible range of a feature, for what-if values: the registry's for an indicator.
pub fn plage(feature: &str) -> Option<(f64, f64)> {
    Variable::from_code(feature)
        .map(Variable::plage)
        .or_else(|| {
            DERIVEES
                .iter()
                .find(|(name, _, _)| *name == feature)
                .map(|(_, _, plage)| *plage)
        })
}

const FIN_2022: usize = 6;
const FIN_SOCIO: usize = 12;

/// A named feature set.
#[derive(Debug, Clone, PartialEq)]
pub struct Jeu {
    pub id: &'static str,
    pub libelle: &'static str,
    /// A few characters, for chart labels.
    pub court: &'static str,
    pub features: Vec<&'static str>,
}

/// The feature set of the first models (kept as the default: their ids carry no suffix).
pub const JEU_DEFAUT: &str = "indicateurs_2022";

/// The feature sets, each one the previous plus more.
pub fn jeux() -> Vec<Jeu> {
    vec![
        Jeu {
            id: JEU_DEFAUT,
            libelle: "Chômage et participation 2022",
            court: "2022",
            features: FEATURES[..FIN_2022].to_vec(),
        },
        Jeu {
            id: "socio_economique",
            libelle: "+ indicateurs socio-économiques INSEE",
            court: "+ INSEE",
            features: FEATURES[..FIN_SOCIO].to_vec(),
        },
        Jeu {
            id: "socio_economique_historique",
            libelle: "+ parts des familles au 1er tour 2017",
            court: "+ INSEE + 2017",
            features: FEATURES.to_vec(),
        },
    ]
}

pub fn jeu(id: &str) -> Option<Jeu> {
    jeux().into_iter().find(|j| j.id == id)
}

/// The round whose leading family is predicted.
pub const SCRUTIN: Scrutin = Scrutin::new(2022, 1);
/// The round whose family shares are the historical features.
pub const SCRUTIN_HISTORIQUE: Scrutin = Scrutin::new(2017, 1);

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The feature set's id.
    pub jeu: String,
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
            .indicateurs(code, SCRUTIN, quarter)
            .map(|i| i.taux_abstention),
        "taux_blancs" => snapshot
            .indicateurs(code, SCRUTIN, quarter)
            .map(|i| i.taux_blancs),
        "taux_nuls" => snapshot
            .indicateurs(code, SCRUTIN, quarter)
            .map(|i| i.taux_nuls),
        "chomage_moyen_10ans" => {
            let values: Option<Vec<f64>> = (0..40).map(|k| rate(quarter.shifted(-k))).collect();
            values.map(|v| v.iter().sum::<f64>() / v.len() as f64)
        }
        "variation_chomage_5ans" => Some(rate(quarter)? - rate(quarter.shifted(-20))?),
        _ if FEATURES[FIN_2022..FIN_SOCIO].contains(&name) => snapshot.valeur_socio(code, name),
        _ => {
            let famille = name.strip_prefix("part_")?.strip_suffix("_2017")?;
            snapshot
                .indicateurs(code, SCRUTIN_HISTORIQUE, quarter)?
                .parts_familles
                .into_iter()
                .find(|(f, _)| f == famille)
                .map(|(_, share)| share)
        }
    }
}

/// The samples: départements (not overseas collectivities nor abroad) with every feature.
pub fn build(snapshot: &Snapshot, jeu: &Jeu, quarter: Quarter) -> Result<Dataset, MlError> {
    let features: Vec<String> = jeu.features.iter().map(|f| (*f).to_owned()).collect();
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
            .indicateurs(&d.code, SCRUTIN, quarter)
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
        jeu: jeu.id.to_owned(),
        features,
        quarter,
        classes,
        codes: rows.iter().map(|(c, _, _)| c.clone()).collect(),
        x: rows.iter().map(|(_, v, _)| v.clone()).collect(),
        y,
        exclus,
    })
}
