//! One row of indicators per département for a scope (round, quarter, region).

use db::{Snapshot, Variable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Scope, r4};

/// Indicators of one département for one round. Rates are percentages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Indicateur {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = "32")]
    pub region_code: String,
    /// False for overseas collectivities and French people abroad.
    pub est_departement: bool,
    /// The round's id where it is not presidential (`legislatives-2024-t1`); absent for a
    /// presidential round.
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
    /// Unemployment rate for the quarter, null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// % of registered voters.
    pub taux_abstention: f64,
    /// % of registered voters.
    pub taux_participation: f64,
    /// % of voters.
    pub taux_blancs: f64,
    /// % of voters.
    pub taux_nuls: f64,
    /// Left candidates' share of valid votes (%).
    pub part_gauche: f64,
    /// Centre candidates' share of valid votes (%).
    pub part_centre: f64,
    /// Right candidates' share of valid votes (%).
    pub part_droite: f64,
    /// Far-right candidates' share of valid votes (%).
    pub part_extreme_droite: f64,
    /// The family with the most votes.
    #[schema(example = "extreme_droite")]
    /// Share of the `divers` family (labels that fit no other family: the Ministry's `DIV`,
    /// `REG`); only for the elections where it stood.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_divers: Option<f64>,
    pub famille_gagnante: String,
    /// Median disposable income per consumption unit (EUR), Filosofi 2019. Null when INSEE
    /// publishes none (Mayotte) and outside the 101 départements, as every indicator below.
    /// Whole euros, as an integer.
    #[serde(serialize_with = "super::entier_si_rond")]
    pub revenu_median: Option<f64>,
    /// Poverty rate (%), Filosofi 2019.
    pub taux_pauvrete: Option<f64>,
    /// Share of pensions in disposable income (%), Filosofi 2019.
    pub part_pensions: Option<f64>,
    /// Population on 1 January 2022 (INSEE estimate, provisional): a count.
    pub population: Option<i64>,
    /// Share of people aged 65 or more (%), 2022.
    pub part_65_ans_et_plus: Option<f64>,
    /// Share of immigrants (%), census 2021 (Mayotte: 2017).
    pub part_immigres: Option<f64>,
    /// Area (km²).
    pub superficie: Option<f64>,
    /// Inhabitants per km² (population 2022 / area).
    pub densite: Option<f64>,
}

impl Indicateur {
    /// The value of a numeric indicator.
    pub fn variable(&self, variable: Variable) -> Option<f64> {
        match variable {
            Variable::TauxChomage => self.taux_chomage,
            Variable::TauxAbstention => Some(self.taux_abstention),
            Variable::TauxParticipation => Some(self.taux_participation),
            Variable::TauxBlancs => Some(self.taux_blancs),
            Variable::TauxNuls => Some(self.taux_nuls),
            Variable::PartGauche => Some(self.part_gauche),
            Variable::PartCentre => Some(self.part_centre),
            Variable::PartDroite => Some(self.part_droite),
            Variable::PartExtremeDroite => Some(self.part_extreme_droite),
            Variable::RevenuMedian => self.revenu_median,
            Variable::TauxPauvrete => self.taux_pauvrete,
            Variable::PartPensions => self.part_pensions,
            Variable::Population => self.population.map(|p| p as f64),
            Variable::Part65AnsEtPlus => self.part_65_ans_et_plus,
            Variable::PartImmigres => self.part_immigres,
            Variable::Superficie => self.superficie,
            Variable::Densite => self.densite,
        }
    }
}

/// Indicator rows for a round, a quarter and an optional region, in code order.
pub fn rows(snapshot: &Snapshot, scope: &Scope) -> Vec<Indicateur> {
    let (scrutin, quarter) = (scope.scrutin, scope.trimestre);
    // The same for every row: formatted once.
    let (election, trimestre) = (super::scope::election_id(scrutin), quarter.to_string());
    snapshot
        .departements
        .iter()
        .filter(|d| scope.inclut(d))
        .filter_map(|d| {
            let i = snapshot.indicateurs_du_scrutin(&d.code, scrutin)?;
            // One lookup of the département's values, then a few in its short list (an
            // uncached /indicateurs spent a fifth of its time looking them up one by one).
            let valeurs = snapshot.socio(&d.code);
            let socio = |v: Variable| {
                let code = v.code();
                valeurs
                    .iter()
                    .find(|s| s.indicateur == code)
                    .and_then(|s| s.valeur)
                    .map(|x| v.arrondi(x))
            };
            let part = |famille: &str| {
                i.parts_familles
                    .iter()
                    .find(|(f, _)| f == famille)
                    .map_or(0.0, |(_, v)| r4(*v))
            };
            Some(Indicateur {
                code: d.code.clone(),
                nom: d.nom.clone(),
                region_code: d.region_code.clone(),
                est_departement: d.est_departement,
                election: election.clone(),
                annee: scrutin.annee,
                tour: scrutin.tour,
                trimestre: trimestre.clone(),
                taux_chomage: snapshot
                    .taux_chomage(&d.code, quarter)
                    .map(|t| Variable::TauxChomage.arrondi(t)),
                taux_abstention: r4(i.taux_abstention),
                taux_participation: r4(i.taux_participation),
                taux_blancs: r4(i.taux_blancs),
                taux_nuls: r4(i.taux_nuls),
                part_gauche: part("gauche"),
                part_centre: part("centre"),
                part_droite: part("droite"),
                part_extreme_droite: part("extreme_droite"),
                part_divers: i
                    .parts_familles
                    .iter()
                    .any(|(f, _)| f == "divers")
                    .then(|| part("divers")),
                famille_gagnante: i.famille_gagnante.clone(),
                revenu_median: socio(Variable::RevenuMedian),
                taux_pauvrete: socio(Variable::TauxPauvrete),
                part_pensions: socio(Variable::PartPensions),
                population: socio(Variable::Population).map(|p| p as i64),
                part_65_ans_et_plus: socio(Variable::Part65AnsEtPlus),
                part_immigres: socio(Variable::PartImmigres),
                superficie: socio(Variable::Superficie),
                densite: socio(Variable::Densite),
            })
        })
        .collect()
}

/// The rows of the 101 départements only (charts and correlations leave out the overseas
/// collectivities and French people abroad).
pub fn departements(snapshot: &Snapshot, scope: &Scope) -> Vec<Indicateur> {
    rows(snapshot, scope)
        .into_iter()
        .filter(|r| r.est_departement)
        .collect()
}
