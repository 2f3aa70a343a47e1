//! The registry of the numeric indicators: one enum, [`Variable`], with each indicator's code,
//! labels, unit, decimals, plausible range and source. The API's parameters, the indicator
//! rows, the charts' axes, the dashboard's selects and the models' features all take their
//! names and labels from here: adding an indicator is a change in this file (and in the row
//! that carries its value).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A numeric indicator of a département (for a round and a quarter).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Variable {
    TauxChomage,
    TauxAbstention,
    TauxParticipation,
    TauxBlancs,
    TauxNuls,
    PartGauche,
    PartCentre,
    PartDroite,
    PartExtremeDroite,
    RevenuMedian,
    TauxPauvrete,
    PartPensions,
    Population,
    #[serde(rename = "part_65_ans_et_plus")]
    Part65AnsEtPlus,
    PartImmigres,
    Superficie,
    Densite,
}

/// Everything the registry says of one indicator.
struct Fiche {
    code: &'static str,
    /// Axis label, with the unit.
    libelle: &'static str,
    /// A word or two, for legends and titles.
    court: &'static str,
    unite: &'static str,
    /// Decimals of the published values.
    decimales: u8,
    /// Plausible values, for what-if inputs.
    plage: (f64, f64),
    source: &'static str,
}

const MINISTERE: &str = "Ministère de l'Intérieur, résultats de l'élection présidentielle";
const FILOSOFI: &str = "INSEE, Filosofi 2019";

impl Variable {
    /// Every indicator, in the order of the indicator rows.
    pub const ALL: [Variable; 17] = [
        Variable::TauxChomage,
        Variable::TauxAbstention,
        Variable::TauxParticipation,
        Variable::TauxBlancs,
        Variable::TauxNuls,
        Variable::PartGauche,
        Variable::PartCentre,
        Variable::PartDroite,
        Variable::PartExtremeDroite,
        Variable::RevenuMedian,
        Variable::TauxPauvrete,
        Variable::PartPensions,
        Variable::Population,
        Variable::Part65AnsEtPlus,
        Variable::PartImmigres,
        Variable::Superficie,
        Variable::Densite,
    ];

    const fn fiche(self) -> Fiche {
        let pct = (0.0, 100.0);
        match self {
            Variable::TauxChomage => Fiche {
                code: "taux_chomage",
                libelle: "Taux de chômage (%)",
                court: "Chômage",
                unite: "%",
                decimales: 1,
                plage: pct,
                source: "INSEE, taux de chômage localisés (BIT, CVS), trimestriels",
            },
            Variable::TauxAbstention => Fiche {
                code: "taux_abstention",
                libelle: "Taux d'abstention (% des inscrits)",
                court: "Abstention",
                unite: "% des inscrits",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::TauxParticipation => Fiche {
                code: "taux_participation",
                libelle: "Taux de participation (% des inscrits)",
                court: "Participation",
                unite: "% des inscrits",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::TauxBlancs => Fiche {
                code: "taux_blancs",
                libelle: "Votes blancs (% des votants)",
                court: "Blancs",
                unite: "% des votants",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::TauxNuls => Fiche {
                code: "taux_nuls",
                libelle: "Votes nuls (% des votants)",
                court: "Nuls",
                unite: "% des votants",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::PartGauche => Fiche {
                code: "part_gauche",
                libelle: "Part de la gauche (% des exprimés)",
                court: "Gauche",
                unite: "% des exprimés",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::PartCentre => Fiche {
                code: "part_centre",
                libelle: "Part du centre (% des exprimés)",
                court: "Centre",
                unite: "% des exprimés",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::PartDroite => Fiche {
                code: "part_droite",
                libelle: "Part de la droite (% des exprimés)",
                court: "Droite",
                unite: "% des exprimés",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::PartExtremeDroite => Fiche {
                code: "part_extreme_droite",
                libelle: "Part de l'extrême droite (% des exprimés)",
                court: "Ext. droite",
                unite: "% des exprimés",
                decimales: 4,
                plage: pct,
                source: MINISTERE,
            },
            Variable::RevenuMedian => Fiche {
                code: "revenu_median",
                libelle: "Revenu médian par UC (EUR, 2019)",
                court: "Revenu médian",
                unite: "EUR",
                decimales: 0,
                // EUR per consumption unit.
                plage: (0.0, 1.0e6),
                source: FILOSOFI,
            },
            Variable::TauxPauvrete => Fiche {
                code: "taux_pauvrete",
                libelle: "Taux de pauvreté (%, 2019)",
                court: "Pauvreté",
                unite: "%",
                decimales: 1,
                plage: pct,
                source: FILOSOFI,
            },
            Variable::PartPensions => Fiche {
                code: "part_pensions",
                libelle: "Part des pensions dans le revenu (%, 2019)",
                court: "Pensions",
                unite: "%",
                decimales: 1,
                plage: pct,
                source: FILOSOFI,
            },
            Variable::Population => Fiche {
                code: "population",
                libelle: "Population (habitants, 2022)",
                court: "Population",
                unite: "habitants",
                decimales: 0,
                plage: (0.0, 1.0e8),
                source: "INSEE, estimations de population au 1er janvier 2022 (provisoires)",
            },
            Variable::Part65AnsEtPlus => Fiche {
                code: "part_65_ans_et_plus",
                libelle: "Part des 65 ans et plus (%, 2022)",
                court: "65 ans et +",
                unite: "%",
                decimales: 4,
                plage: pct,
                source: "INSEE, estimations de population au 1er janvier 2022 (provisoires)",
            },
            Variable::PartImmigres => Fiche {
                code: "part_immigres",
                libelle: "Part des immigrés (%, 2021)",
                court: "Immigrés",
                unite: "%",
                decimales: 4,
                plage: pct,
                source: "INSEE, recensement de la population 2021 (Mayotte : 2017)",
            },
            Variable::Superficie => Fiche {
                code: "superficie",
                libelle: "Superficie (km²)",
                court: "Superficie",
                unite: "km²",
                decimales: 2,
                plage: (0.0, 1.0e6),
                source: "INSEE, comparateur de territoires (somme des communes)",
            },
            Variable::Densite => Fiche {
                code: "densite",
                libelle: "Densité (hab/km², 2022)",
                court: "Densité",
                unite: "hab/km²",
                decimales: 2,
                // Inhabitants per km² (Paris: about 20,000).
                plage: (0.0, 1.0e5),
                source: "INSEE, population 2022 / superficie",
            },
        }
    }

    /// The name used in URLs, JSON fields, CSV headers and feature lists.
    pub const fn code(self) -> &'static str {
        self.fiche().code
    }

    /// French axis label, with the unit.
    pub const fn libelle(self) -> &'static str {
        self.fiche().libelle
    }

    /// French short label, for legends and titles.
    pub const fn court(self) -> &'static str {
        self.fiche().court
    }

    pub const fn unite(self) -> &'static str {
        self.fiche().unite
    }

    /// Decimals of the values as published.
    pub const fn decimales(self) -> u8 {
        self.fiche().decimales
    }

    /// `value` rounded to the variable's decimals: what JSON, CSV, charts and maps show.
    pub fn arrondi(self, value: f64) -> f64 {
        let factor = 10_f64.powi(i32::from(self.decimales()));
        (value * factor).round() / factor
    }

    /// Plausible values (inclusive), for what-if inputs.
    pub const fn plage(self) -> (f64, f64) {
        self.fiche().plage
    }

    pub const fn source(self) -> &'static str {
        self.fiche().source
    }

    /// The indicator of a code, if there is one.
    pub fn from_code(code: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Every code, in order.
    pub fn codes() -> Vec<&'static str> {
        Variable::ALL.iter().map(|v| v.code()).collect()
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_are_unique_and_the_serde_names() {
        let mut codes = Variable::codes();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Variable::ALL.len());
        for v in Variable::ALL {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.code())
            );
            assert_eq!(Variable::from_code(v.code()), Some(v));
            let (lo, hi) = v.plage();
            assert!(lo < hi);
        }
        assert_eq!(Variable::from_code("densité"), None);
    }
}
