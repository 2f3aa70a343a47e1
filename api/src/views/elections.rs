//! The elections by label: their nuance grids (the Ministry's labels and the study's family
//! of each) and the seats won, by nuance and by family.

use db::{Scrutin, Snapshot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A political label of one election and the study's family of it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NuanceRef {
    /// The election (both rounds).
    #[schema(example = "legislatives-2024")]
    pub election: String,
    #[schema(example = "legislatives")]
    pub type_election: String,
    #[schema(example = 2024)]
    pub annee: i32,
    #[schema(example = "UXD")]
    pub code: String,
    #[schema(example = "Union de l'extrême droite")]
    pub libelle: String,
    #[schema(example = "extreme_droite")]
    pub famille: String,
}

/// The nuance grids, of one election or (`None`) of all, by election then code.
pub fn nuances(snapshot: &Snapshot, election: Option<Scrutin>) -> Vec<NuanceRef> {
    snapshot
        .nuances
        .iter()
        .filter(|n| {
            election.is_none_or(|s| n.type_election == s.type_election.code() && n.annee == s.annee)
        })
        .map(|n| NuanceRef {
            election: format!("{}-{}", n.type_election, n.annee),
            type_election: n.type_election.clone(),
            annee: n.annee,
            code: n.code.clone(),
            libelle: n.libelle.clone(),
            famille: n.famille_code.clone(),
        })
        .collect()
}

/// Seats of one label: won in each round, and in all.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiegesNuance {
    #[schema(example = "RN")]
    pub nuance: String,
    #[schema(example = "Rassemblement national")]
    pub libelle: String,
    #[schema(example = "extreme_droite")]
    pub famille: String,
    /// Won in round 1 (more than half the exprimés and a quarter of the registered voters).
    pub tour_1: i64,
    pub tour_2: i64,
    pub total: i64,
}

/// Seats of one family.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SiegesFamille {
    #[schema(example = "gauche")]
    pub famille: String,
    #[schema(example = "Gauche")]
    pub libelle: String,
    pub sieges: i64,
}

/// The seats of an election: by nuance (most seats first, then code) and by family.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Sieges {
    #[schema(example = "legislatives-2024")]
    pub election: String,
    /// Every seat filled (577 for a legislative election).
    #[schema(example = 577)]
    pub total: i64,
    pub nuances: Vec<SiegesNuance>,
    /// Families in their reference order.
    pub familles: Vec<SiegesFamille>,
}

/// The seats of the election of `scrutin` (both rounds); `None` for an election without
/// seats.
pub fn sieges(snapshot: &Snapshot, scrutin: Scrutin) -> Option<Sieges> {
    if !scrutin.type_election.a_des_sieges() {
        return None;
    }
    let round = |tour: i32| Scrutin::de(scrutin.type_election, scrutin.annee, tour);
    let compte = |tour: i32, code: &str| -> i64 {
        snapshot
            .sieges_de(round(tour))
            .filter(|s| s.nuance == code)
            .map(|s| i64::from(s.nombre))
            .sum()
    };
    let mut nuances: Vec<SiegesNuance> = snapshot
        .nuances_de(scrutin)
        .map(|n| {
            let (t1, t2) = (compte(1, &n.code), compte(2, &n.code));
            SiegesNuance {
                nuance: n.code.clone(),
                libelle: n.libelle.clone(),
                famille: n.famille_code.clone(),
                tour_1: t1,
                tour_2: t2,
                total: t1 + t2,
            }
        })
        .filter(|n| n.total > 0)
        .collect();
    nuances.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.nuance.cmp(&b.nuance)));
    let familles: Vec<SiegesFamille> = snapshot
        .familles_de(scrutin)
        .into_iter()
        .map(|f| SiegesFamille {
            famille: f.code.clone(),
            libelle: f.libelle.clone(),
            sieges: nuances
                .iter()
                .filter(|n| n.famille == f.code)
                .map(|n| n.total)
                .sum(),
        })
        .collect();
    Some(Sieges {
        election: scrutin.election(),
        total: nuances.iter().map(|n| n.total).sum(),
        nuances,
        familles,
    })
}

/// The elections with seats in the data, by their election id (`legislatives-2024`).
pub fn elections_a_sieges(snapshot: &Snapshot) -> Vec<String> {
    let mut ids: Vec<String> = snapshot
        .scrutins
        .iter()
        .filter(|s| s.type_election.a_des_sieges())
        .map(Scrutin::election)
        .collect();
    ids.dedup();
    ids
}
