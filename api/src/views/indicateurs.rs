//! One row of indicators per département for a scope (round, quarter, region).

use db::models::{Departement, SocioEconomie};
use db::{Indicateurs, Quarter, Scrutin, Snapshot, Variable};
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

/// A département's row for a scope, borrowed from the snapshot: each value is looked up when
/// asked for, with the rounding of [`Indicateur`]. The charts read two or three values per
/// row; building every [`Indicateur`] (six strings each) was a quarter of an uncached scatter.
#[derive(Clone, Copy)]
pub struct Ligne<'a> {
    pub departement: &'a Departement,
    indicateurs: &'a Indicateurs,
    /// The département's socio-economic values (a short list).
    socio: &'a [SocioEconomie],
    snapshot: &'a Snapshot,
    trimestre: Quarter,
}

impl<'a> Ligne<'a> {
    pub fn code(&self) -> &'a str {
        &self.departement.code
    }

    pub fn est_departement(&self) -> bool {
        self.departement.est_departement
    }

    pub fn famille_gagnante(&self) -> &'a str {
        &self.indicateurs.famille_gagnante
    }

    /// A family's share of the valid votes (0 when it did not stand).
    fn part(&self, famille: &str) -> f64 {
        self.indicateurs
            .parts_familles
            .iter()
            .find(|(f, _)| f == famille)
            .map_or(0.0, |(_, v)| r4(*v))
    }

    /// The `divers` share, only where that family stood.
    fn part_divers(&self) -> Option<f64> {
        self.indicateurs
            .parts_familles
            .iter()
            .any(|(f, _)| f == "divers")
            .then(|| self.part("divers"))
    }

    fn socio(&self, v: Variable) -> Option<f64> {
        let code = v.code();
        self.socio
            .iter()
            .find(|s| s.indicateur == code)
            .and_then(|s| s.valeur)
            .map(|x| v.arrondi(x))
    }

    /// The value of a numeric indicator: the same as [`Indicateur::variable`] of the row
    /// [`rows`] builds.
    pub fn variable(&self, variable: Variable) -> Option<f64> {
        let i = self.indicateurs;
        match variable {
            Variable::TauxChomage => taux_chomage(self.snapshot, self.code(), self.trimestre),
            Variable::TauxAbstention => Some(r4(i.taux_abstention)),
            Variable::TauxParticipation => Some(r4(i.taux_participation)),
            Variable::TauxBlancs => Some(r4(i.taux_blancs)),
            Variable::TauxNuls => Some(r4(i.taux_nuls)),
            Variable::PartGauche => Some(self.part("gauche")),
            Variable::PartCentre => Some(self.part("centre")),
            Variable::PartDroite => Some(self.part("droite")),
            Variable::PartExtremeDroite => Some(self.part("extreme_droite")),
            // A count: whole, as the row's integer.
            Variable::Population => self.population().map(|p| p as f64),
            Variable::RevenuMedian
            | Variable::TauxPauvrete
            | Variable::PartPensions
            | Variable::Part65AnsEtPlus
            | Variable::PartImmigres
            | Variable::Superficie
            | Variable::Densite => self.socio(variable),
        }
    }

    fn population(&self) -> Option<i64> {
        self.socio(Variable::Population).map(|p| p as i64)
    }

    /// The owned row of the API.
    fn indicateur(
        &self,
        scrutin: Scrutin,
        election: &Option<String>,
        trimestre: &str,
    ) -> Indicateur {
        let (d, i) = (self.departement, self.indicateurs);
        Indicateur {
            code: d.code.clone(),
            nom: d.nom.clone(),
            region_code: d.region_code.clone(),
            est_departement: d.est_departement,
            election: election.clone(),
            annee: scrutin.annee,
            tour: scrutin.tour,
            trimestre: trimestre.to_owned(),
            taux_chomage: self.variable(Variable::TauxChomage),
            taux_abstention: r4(i.taux_abstention),
            taux_participation: r4(i.taux_participation),
            taux_blancs: r4(i.taux_blancs),
            taux_nuls: r4(i.taux_nuls),
            part_gauche: self.part("gauche"),
            part_centre: self.part("centre"),
            part_droite: self.part("droite"),
            part_extreme_droite: self.part("extreme_droite"),
            part_divers: self.part_divers(),
            famille_gagnante: i.famille_gagnante.clone(),
            revenu_median: self.socio(Variable::RevenuMedian),
            taux_pauvrete: self.socio(Variable::TauxPauvrete),
            part_pensions: self.socio(Variable::PartPensions),
            population: self.population(),
            part_65_ans_et_plus: self.socio(Variable::Part65AnsEtPlus),
            part_immigres: self.socio(Variable::PartImmigres),
            superficie: self.socio(Variable::Superficie),
            densite: self.socio(Variable::Densite),
        }
    }
}

/// The borrowed rows of a round, a quarter and an optional region, in code order: every
/// département of the scope with results in that round.
pub fn lignes<'a>(snapshot: &'a Snapshot, scope: &Scope) -> Vec<Ligne<'a>> {
    snapshot
        .departements
        .iter()
        .filter(|d| scope.inclut(d))
        .filter_map(|d| {
            Some(Ligne {
                departement: d,
                indicateurs: snapshot.indicateurs_du_scrutin(&d.code, scope.scrutin)?,
                socio: snapshot.socio(&d.code),
                snapshot,
                trimestre: scope.trimestre,
            })
        })
        .collect()
}

/// A département's unemployment rate for a quarter, rounded as in its row.
pub fn taux_chomage(snapshot: &Snapshot, code: &str, trimestre: Quarter) -> Option<f64> {
    snapshot
        .taux_chomage(code, trimestre)
        .map(|t| Variable::TauxChomage.arrondi(t))
}

/// Every département's row for a round at a quarter, whatever its region, in the order of
/// [`Snapshot::departements`]: `None` where the département has no result in that round.
pub fn rows_de_chaque_departement(
    snapshot: &Snapshot,
    scrutin: Scrutin,
    trimestre: Quarter,
) -> Vec<Option<Indicateur>> {
    let election = super::scope::election_id(scrutin);
    let texte = trimestre.to_string();
    snapshot
        .departements
        .iter()
        .map(|d| {
            let ligne = Ligne {
                departement: d,
                indicateurs: snapshot.indicateurs_du_scrutin(&d.code, scrutin)?,
                socio: snapshot.socio(&d.code),
                snapshot,
                trimestre,
            };
            Some(ligne.indicateur(scrutin, &election, &texte))
        })
        .collect()
}

/// Indicator rows for a round, a quarter and an optional region, in code order.
pub fn rows(snapshot: &Snapshot, scope: &Scope) -> Vec<Indicateur> {
    // The same for every row: formatted once.
    let election = super::scope::election_id(scope.scrutin);
    let trimestre = scope.trimestre.to_string();
    lignes(snapshot, scope)
        .iter()
        .map(|l| l.indicateur(scope.scrutin, &election, &trimestre))
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
