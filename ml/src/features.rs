//! Features and labels from the database snapshot: one sample per département that has
//! every feature; the label is the political family leading round 1 of 2022. Features come
//! in named sets ([`jeux`]); every model records the set it was trained on.

use std::borrow::Cow;

use db::{Quarter, Scrutin, Snapshot, Variable};

use crate::MlError;

/// Every feature the models can use, in four nested sets (see [`jeux`]):
/// - `..FIN_2022`: unemployment and the 2022 round-1 turnout indicators;
/// - `FIN_2022..FIN_SOCIO`: INSEE socio-economic indicators. Population and area are left
///   out: absolute sizes, whose information on how urban a département is the density carries;
/// - `FIN_SOCIO..FIN_HISTORIQUE`: round-1 shares of each family in 2017 (% of exprimés);
/// - `FIN_HISTORIQUE..`: spatial lags, the neighbours' mean of the 2017 shares and of
///   unemployment (queen contiguity). In cross-validation they are computed inside each fold
///   from the training départements only ([`Dataset::avec_lags`]).
///
/// The indicators among them are named by the registry ([`Variable`]); the others are
/// derived here ([`DERIVEES`]).
pub const FEATURES: [&str; 21] = [
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
    "voisins_part_gauche_2017",
    "voisins_part_centre_2017",
    "voisins_part_droite_2017",
    "voisins_part_extreme_droite_2017",
    "voisins_taux_chomage",
];

/// The features that are not indicators of the registry: (name, French label with unit,
/// plausible range for what-if values).
pub const DERIVEES: [(&str, &str, (f64, f64)); 11] = [
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
    (
        "voisins_part_gauche_2017",
        "Part de la gauche en 2017 chez les voisins (moyenne, % des exprimés)",
        (0.0, 100.0),
    ),
    (
        "voisins_part_centre_2017",
        "Part du centre en 2017 chez les voisins (moyenne, % des exprimés)",
        (0.0, 100.0),
    ),
    (
        "voisins_part_droite_2017",
        "Part de la droite en 2017 chez les voisins (moyenne, % des exprimés)",
        (0.0, 100.0),
    ),
    (
        "voisins_part_extreme_droite_2017",
        "Part de l'extrême droite en 2017 chez les voisins (moyenne, % des exprimés)",
        (0.0, 100.0),
    ),
    (
        "voisins_taux_chomage",
        "Chômage chez les voisins (moyenne, %)",
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
const FIN_HISTORIQUE: usize = 16;

/// The prefix of a spatial lag's name: `voisins_<feature>` is the neighbours' mean of
/// `<feature>`.
pub const PREFIXE_VOISINS: &str = "voisins_";

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
            features: FEATURES[..FIN_HISTORIQUE].to_vec(),
        },
        Jeu {
            id: "spatial",
            libelle: "+ moyennes des voisins (2017, chômage)",
            court: "+ voisins",
            features: FEATURES.to_vec(),
        },
    ]
}

pub fn jeu(id: &str) -> Option<Jeu> {
    jeux().into_iter().find(|j| j.id == id)
}

/// The study's rounds, configured in `ml/etude.csv` (compiled in): `cible`, the round whose
/// leading family is predicted, and `historique`, the round whose family shares are the
/// historical features (the `_2017` features name its year).
pub const ETUDE_CSV: &str = include_str!("../etude.csv");

/// The rounds of [`ETUDE_CSV`]: (target, historical); `None` when the file is malformed
/// (a unit test reads it).
pub fn etude() -> Option<(Scrutin, Scrutin)> {
    static ETUDE: std::sync::LazyLock<Option<(Scrutin, Scrutin)>> =
        std::sync::LazyLock::new(|| {
            let role = |name: &str| {
                ETUDE_CSV.lines().skip(1).find_map(|l| {
                    let (r, e) = l.split_once(',')?;
                    (r.trim() == name).then(|| e.trim().parse::<Scrutin>().ok())?
                })
            };
            Some((role("cible")?, role("historique")?))
        });
    *ETUDE
}

/// The round whose leading family is predicted (see [`etude`]).
pub fn cible() -> Option<Scrutin> {
    etude().map(|(c, _)| c)
}

/// The round whose family shares are the historical features (see [`etude`]).
pub fn historique() -> Option<Scrutin> {
    etude().map(|(_, h)| h)
}

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
    /// The spatial lags among the features, and each sample's neighbours among the samples
    /// (empty without lags).
    pub lags: Vec<Lag>,
    pub voisins: Vec<Vec<usize>>,
}

/// A spatial-lag feature: its column, and the column of the feature it averages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    pub colonne: usize,
    pub source: usize,
}

impl Dataset {
    /// The features with each spatial lag recomputed from the samples of `train` only: a
    /// sample's lag is the mean of its neighbours among `train` (its own value never counts;
    /// a test sample's neighbours in the test fold do not either), or, without any such
    /// neighbour (islands, overseas), the mean over `train`. The same rule for the training
    /// and the test samples, so that no value outside `train` enters the model.
    pub fn avec_lags(&self, train: &[usize]) -> Cow<'_, [Vec<f64>]> {
        if self.lags.is_empty() {
            return Cow::Borrowed(&self.x);
        }
        let mut x = self.x.clone();
        let mut dans_train = vec![false; self.x.len()];
        for &i in train {
            dans_train[i] = true;
        }
        for lag in &self.lags {
            let moyenne = train.iter().map(|&i| self.x[i][lag.source]).sum::<f64>()
                / train.len().max(1) as f64;
            for (i, row) in x.iter_mut().enumerate() {
                let valeurs: Vec<f64> = self.voisins[i]
                    .iter()
                    .filter(|&&j| dans_train[j])
                    .map(|&j| self.x[j][lag.source])
                    .collect();
                row[lag.colonne] = if valeurs.is_empty() {
                    moyenne
                } else {
                    valeurs.iter().sum::<f64>() / valeurs.len() as f64
                };
            }
        }
        Cow::Owned(x)
    }
}

/// One feature of one département (`None` when a value it needs is missing). A spatial lag
/// is the mean over its neighbours with a value, or, for a département without any (islands,
/// overseas), the mean over every département with one.
pub fn feature(snapshot: &Snapshot, code: &str, name: &str, quarter: Quarter) -> Option<f64> {
    if let Some(source) = name.strip_prefix(PREFIXE_VOISINS) {
        let of = |codes: &mut dyn Iterator<Item = &str>| {
            let values: Vec<f64> = codes
                .filter_map(|c| feature(snapshot, c, source, quarter))
                .collect();
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        };
        return of(&mut snapshot.voisins(code).iter().map(String::as_str)).or_else(|| {
            of(&mut snapshot
                .departements
                .iter()
                .filter(|d| d.est_departement)
                .map(|d| d.code.as_str()))
        });
    }
    let rate = |q: Quarter| snapshot.taux_chomage(code, q);
    match name {
        "taux_chomage" => rate(quarter),
        "taux_abstention" => snapshot
            .indicateurs(code, cible()?, quarter)
            .map(|i| i.taux_abstention),
        "taux_blancs" => snapshot
            .indicateurs(code, cible()?, quarter)
            .map(|i| i.taux_blancs),
        "taux_nuls" => snapshot
            .indicateurs(code, cible()?, quarter)
            .map(|i| i.taux_nuls),
        "chomage_moyen_10ans" => {
            let values: Option<Vec<f64>> = (0..40).map(|k| rate(quarter.shifted(-k))).collect();
            values.map(|v| v.iter().sum::<f64>() / v.len() as f64)
        }
        "variation_chomage_5ans" => Some(rate(quarter)? - rate(quarter.shifted(-20))?),
        _ if FEATURES[FIN_2022..FIN_SOCIO].contains(&name) => snapshot.valeur_socio(code, name),
        _ => {
            let historique = historique()?;
            let famille = name
                .strip_prefix("part_")?
                .strip_suffix(&format!("_{}", historique.annee))?;
            snapshot
                .indicateurs(code, historique, quarter)?
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
    let cible = cible().ok_or_else(|| {
        MlError::Feature("ml/etude.csv: expected the rows 'cible' and 'historique', each with an election round id such as presidentielle-2022-t1".into())
    })?;
    let mut rows = Vec::new();
    let mut exclus = Vec::new();
    for d in snapshot.departements.iter().filter(|d| d.est_departement) {
        let values: Option<Vec<f64>> = features
            .iter()
            .map(|f| feature(snapshot, &d.code, f, quarter))
            .collect();
        let label = snapshot
            .indicateurs(&d.code, cible, quarter)
            .map(|i| i.famille_gagnante);
        match (values, label) {
            (Some(values), Some(label)) => rows.push((d.code.clone(), values, label)),
            _ => exclus.push(d.code.clone()),
        }
    }
    let classes: Vec<String> = snapshot
        .familles_de(cible)
        .into_iter()
        .map(|f| f.code.clone())
        .filter(|f| rows.iter().any(|(_, _, label)| label == f))
        .collect();
    let y = rows
        .iter()
        .map(|(_, _, label)| classes.iter().position(|c| c == label).unwrap_or(0))
        .collect();
    let codes: Vec<String> = rows.iter().map(|(c, _, _)| c.clone()).collect();
    let lags: Vec<Lag> = features
        .iter()
        .enumerate()
        .filter_map(|(colonne, f)| {
            let source = f.strip_prefix(PREFIXE_VOISINS)?;
            let source = features.iter().position(|g| g == source)?;
            Some(Lag { colonne, source })
        })
        .collect();
    let voisins = if lags.is_empty() {
        Vec::new()
    } else {
        codes
            .iter()
            .map(|c| {
                snapshot
                    .voisins(c)
                    .iter()
                    .filter_map(|v| codes.iter().position(|k| k == v))
                    .collect()
            })
            .collect()
    };
    if lags.len()
        != features
            .iter()
            .filter(|f| f.starts_with(PREFIXE_VOISINS))
            .count()
    {
        return Err(MlError::Feature(
            "a spatial lag needs the feature it averages in the same set".into(),
        ));
    }
    Ok(Dataset {
        jeu: jeu.id.to_owned(),
        features,
        quarter,
        classes,
        codes,
        x: rows.iter().map(|(_, v, _)| v.clone()).collect(),
        y,
        exclus,
        lags,
        voisins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four samples on a line (0-1-2-3); feature 0 is averaged into feature 1.
    fn ligne() -> Dataset {
        Dataset {
            jeu: "test".into(),
            features: vec!["a".into(), "voisins_a".into()],
            quarter: Quarter {
                annee: 2022,
                trimestre: 3,
            },
            classes: vec!["x".into()],
            codes: vec!["01".into(), "02".into(), "03".into(), "04".into()],
            x: vec![
                vec![1.0, f64::NAN],
                vec![2.0, f64::NAN],
                vec![4.0, f64::NAN],
                vec![8.0, f64::NAN],
            ],
            y: vec![0; 4],
            exclus: vec![],
            lags: vec![Lag {
                colonne: 1,
                source: 0,
            }],
            voisins: vec![vec![1], vec![0, 2], vec![1, 3], vec![2]],
        }
    }

    #[test]
    fn lags_inside_a_fold_use_the_training_departements_only() {
        let d = ligne();
        // Every sample in training: the plain neighbours' mean.
        let all = d.avec_lags(&[0, 1, 2, 3]);
        let lags: Vec<f64> = all.iter().map(|r| r[1]).collect();
        assert_eq!(lags, [2.0, 2.5, 5.0, 4.0]);
        // Sample 2 in the test fold: no lag uses its value (4), its own lag uses its training
        // neighbours only; sample 3, whose only neighbour is out, gets the training mean.
        let fold = d.avec_lags(&[0, 1, 3]);
        let lags: Vec<f64> = fold.iter().map(|r| r[1]).collect();
        assert_eq!(lags, [2.0, 1.0, 5.0, (1.0 + 2.0 + 8.0) / 3.0]);
        // The features themselves are untouched.
        assert!(fold.iter().zip(&d.x).all(|(a, b)| a[0] == b[0]));
    }

    #[test]
    fn the_spatial_set_is_the_historical_one_plus_the_lags() {
        let sets = jeux();
        let historique = sets
            .iter()
            .find(|j| j.id == "socio_economique_historique")
            .unwrap();
        let spatial = sets.iter().find(|j| j.id == "spatial").unwrap();
        assert_eq!(
            &spatial.features[..historique.features.len()],
            &historique.features[..]
        );
        let lags = &spatial.features[historique.features.len()..];
        assert_eq!(lags.len(), 5);
        for lag in lags {
            let source = lag.strip_prefix(PREFIXE_VOISINS).unwrap();
            assert!(historique.features.contains(&source), "{lag}");
            assert!(libelle(lag).is_some() && plage(lag).is_some());
        }
    }
}

#[cfg(test)]
mod etude_tests {
    use super::*;

    #[test]
    fn the_study_rounds_come_from_the_configuration_file() {
        let (cible, historique) = etude().expect("ml/etude.csv is well formed");
        let lignes: Vec<&str> = ETUDE_CSV.lines().collect();
        assert!(lignes.contains(&format!("cible,{cible}").as_str()));
        assert!(lignes.contains(&format!("historique,{historique}").as_str()));
        // The historical features are named after the historical round's year.
        let suffixe = format!("_{}", historique.annee);
        assert!(FEATURES.iter().any(|f| f.ends_with(&suffixe)));
    }
}
