//! Results of a round: for a département, or totalled over the country.

use db::models::Participation;
use db::snapshot::{first_max_by_key, percentage};
use db::{Scrutin, Snapshot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::r4;

/// A candidate's result in one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatCandidat {
    pub candidat_id: i32,
    #[schema(example = "LE PEN")]
    pub nom: String,
    #[schema(example = "Marine")]
    pub prenom: String,
    #[schema(example = "F")]
    pub sexe: String,
    #[schema(example = "extreme_droite")]
    pub famille: String,
    pub voix: i64,
    /// Votes as % of registered voters.
    pub pct_voix_inscrits: f64,
    /// Votes as % of valid votes (exprimés).
    pub pct_voix_exprimes: f64,
}

/// A political family's result in one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatFamille {
    #[schema(example = "gauche")]
    pub famille: String,
    #[schema(example = "Gauche")]
    pub libelle: String,
    pub voix: i64,
    /// Votes as % of valid votes (exprimés).
    pub part_exprimes: f64,
}

/// A political label's (the Ministry's nuance) result in one round of an election by label.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatNuance {
    #[schema(example = "RN")]
    pub nuance: String,
    #[schema(example = "Rassemblement national")]
    pub libelle: String,
    #[schema(example = "extreme_droite")]
    pub famille: String,
    pub voix: i64,
    /// Votes as % of registered voters.
    pub pct_voix_inscrits: f64,
    /// Votes as % of valid votes (exprimés).
    pub pct_voix_exprimes: f64,
    /// Seats won in this round (elections with seats; from the constituency files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sieges: Option<i64>,
}

/// Turnout and results of one round over an area (a département, or the whole country).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultatTour {
    /// The round's id (`legislatives-2024-t1`); absent for a presidential round, whose
    /// `annee` and `tour` say it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "legislatives-2024-t1")]
    pub election: Option<String>,
    /// Election year.
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 1)]
    pub tour: i32,
    #[schema(example = "2022-04-10")]
    pub date_scrutin: String,
    pub inscrits: i64,
    /// `inscrits - votants`.
    pub abstentions: i64,
    /// `blancs + nuls + exprimes`.
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
    /// `abstentions / inscrits x 100`.
    pub taux_abstention: f64,
    /// `votants / inscrits x 100`.
    pub taux_participation: f64,
    /// `blancs / votants x 100`.
    pub taux_blancs: f64,
    /// `nuls / votants x 100`.
    pub taux_nuls: f64,
    /// Candidates in ballot order (presidential rounds; absent for elections by label).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidats: Vec<ResultatCandidat>,
    /// Political labels in code order (elections by label; absent for presidential rounds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nuances: Vec<ResultatNuance>,
    /// Political families that stood, in their reference order.
    pub familles: Vec<ResultatFamille>,
    /// The candidate with the most votes (presidential rounds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gagnant: Option<ResultatCandidat>,
    /// The label with the most votes (elections by label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "RN")]
    pub nuance_gagnante: Option<String>,
    /// The family with the most votes.
    #[schema(example = "extreme_droite")]
    pub famille_gagnante: String,
}

/// Builds a round's result from its counts and each candidate's (or label's) votes.
pub fn resultat_tour(
    snapshot: &Snapshot,
    scrutin: Scrutin,
    p: &Participation,
    voix: &[(i32, i64)],
    par_nuance: &[(String, i64, Option<i64>)],
) -> Option<ResultatTour> {
    let candidats: Vec<ResultatCandidat> = voix
        .iter()
        .filter_map(|(id, v)| {
            let c = snapshot.candidat(*id)?;
            Some(ResultatCandidat {
                candidat_id: c.id,
                nom: c.nom.clone(),
                prenom: c.prenom.clone(),
                sexe: c.sexe.clone(),
                famille: c.famille_code.clone(),
                voix: *v,
                pct_voix_inscrits: r4(percentage(*v, p.inscrits)),
                pct_voix_exprimes: r4(percentage(*v, p.exprimes)),
            })
        })
        .collect();
    let nuances: Vec<ResultatNuance> = par_nuance
        .iter()
        .filter_map(|(code, v, sieges)| {
            let n = snapshot.nuance(scrutin, code)?;
            Some(ResultatNuance {
                nuance: n.code.clone(),
                libelle: n.libelle.clone(),
                famille: n.famille_code.clone(),
                voix: *v,
                pct_voix_inscrits: r4(percentage(*v, p.inscrits)),
                pct_voix_exprimes: r4(percentage(*v, p.exprimes)),
                sieges: *sieges,
            })
        })
        .collect();
    let familles: Vec<ResultatFamille> = snapshot
        .familles_de(scrutin)
        .into_iter()
        .map(|f| {
            let v: i64 = candidats
                .iter()
                .filter(|c| c.famille == f.code)
                .map(|c| c.voix)
                .chain(
                    nuances
                        .iter()
                        .filter(|n| n.famille == f.code)
                        .map(|n| n.voix),
                )
                .sum();
            ResultatFamille {
                famille: f.code.clone(),
                libelle: f.libelle.clone(),
                voix: v,
                part_exprimes: r4(percentage(v, p.exprimes)),
            }
        })
        .collect();
    let gagnant = first_max_by_key(&candidats, |c| c.voix).cloned();
    let nuance_gagnante = first_max_by_key(&nuances, |n| n.voix).map(|n| n.nuance.clone());
    if gagnant.is_none() && nuance_gagnante.is_none() {
        return None;
    }
    let famille_gagnante = first_max_by_key(&familles, |f| f.voix)?.famille.clone();
    Some(ResultatTour {
        election: super::scope::election_id(scrutin),
        annee: p.annee,
        tour: p.tour,
        date_scrutin: snapshot
            .election(scrutin)
            .map(|e| e.date_scrutin.clone())
            .unwrap_or_default(),
        inscrits: p.inscrits,
        abstentions: p.abstentions,
        votants: p.votants,
        blancs: p.blancs,
        nuls: p.nuls,
        exprimes: p.exprimes,
        taux_abstention: r4(percentage(p.abstentions, p.inscrits)),
        taux_participation: r4(percentage(p.votants, p.inscrits)),
        taux_blancs: r4(percentage(p.blancs, p.votants)),
        taux_nuls: r4(percentage(p.nuls, p.votants)),
        candidats,
        nuances,
        familles,
        gagnant,
        nuance_gagnante,
        famille_gagnante,
    })
}

/// A département's result in one round.
pub fn resultat_departement(
    snapshot: &Snapshot,
    code: &str,
    scrutin: Scrutin,
) -> Option<ResultatTour> {
    let p = snapshot.participation(code, scrutin)?;
    let voix: Vec<(i32, i64)> = snapshot
        .resultats(code, scrutin)
        .iter()
        .map(|r| (r.candidat_id, r.voix))
        .collect();
    let a_des_sieges = scrutin.type_election.a_des_sieges();
    let nuances: Vec<(String, i64, Option<i64>)> = snapshot
        .resultats_nuances(code, scrutin)
        .iter()
        .map(|r| {
            let sieges = a_des_sieges.then(|| {
                snapshot
                    .sieges_de(scrutin)
                    .filter(|s| s.departement_code == code && s.nuance == r.nuance)
                    .map(|s| i64::from(s.nombre))
                    .sum()
            });
            (r.nuance.clone(), r.voix, sieges)
        })
        .collect();
    resultat_tour(snapshot, scrutin, p, &voix, &nuances)
}

/// Totals of a round over every constituency, French people abroad included.
pub fn national_result(snapshot: &Snapshot, scrutin: Scrutin) -> Option<ResultatTour> {
    let mut total = Participation {
        departement_code: String::new(),
        type_election: scrutin.type_election.code().to_owned(),
        annee: scrutin.annee,
        tour: scrutin.tour,
        inscrits: 0,
        abstentions: 0,
        votants: 0,
        blancs: 0,
        nuls: 0,
        exprimes: 0,
    };
    let mut voix: Vec<(i32, i64)> = Vec::new();
    for d in &snapshot.departements {
        if let Some(p) = snapshot.participation(&d.code, scrutin) {
            total.inscrits += p.inscrits;
            total.abstentions += p.abstentions;
            total.votants += p.votants;
            total.blancs += p.blancs;
            total.nuls += p.nuls;
            total.exprimes += p.exprimes;
        }
        for r in snapshot.resultats(&d.code, scrutin) {
            match voix.iter_mut().find(|(id, _)| *id == r.candidat_id) {
                Some(entry) => entry.1 += r.voix,
                None => voix.push((r.candidat_id, r.voix)),
            }
        }
    }
    voix.sort_by_key(|(id, _)| *id);
    let nuances = voix_par_nuance(snapshot, scrutin);
    resultat_tour(snapshot, scrutin, &total, &voix, &nuances)
}

/// Votes and seats per label over the country, in code order: (code, votes, seats).
pub fn voix_par_nuance(snapshot: &Snapshot, scrutin: Scrutin) -> Vec<(String, i64, Option<i64>)> {
    let a_des_sieges = scrutin.type_election.a_des_sieges();
    snapshot
        .nuances_de(scrutin)
        .filter_map(|n| {
            let voix: i64 = snapshot
                .departements
                .iter()
                .flat_map(|d| snapshot.resultats_nuances(&d.code, scrutin))
                .filter(|r| r.nuance == n.code)
                .map(|r| r.voix)
                .sum();
            let sieges: i64 = snapshot
                .sieges_de(scrutin)
                .filter(|s| s.nuance == n.code)
                .map(|s| i64::from(s.nombre))
                .sum();
            (voix > 0 || sieges > 0).then(|| (n.code.clone(), voix, a_des_sieges.then_some(sieges)))
        })
        .collect()
}
