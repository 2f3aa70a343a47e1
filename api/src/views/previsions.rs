//! The constituency forecast written by `ml` ([`ml::prevision`]): trained on whole election
//! cycles, tested on a later legislative election, beside a political scientist's baselines.
//! The table of every model and baseline ([`tableau`]) and one model's forecast for every
//! constituency with the actual result ([`circonscriptions`]).

use std::collections::BTreeMap;

use db::Snapshot;
use ml::prevision::{Cible, Resultat};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The task shown without `tache`: the latest test election with the two-cycle training.
pub const TACHE_DEFAUT: &str = "2017-2022-vers-2024";

/// Every stored result, in table order (task, target, baselines first, then the models).
pub fn resultats(snapshot: &Snapshot) -> Result<Vec<Resultat>, ApiError> {
    let mut out: Vec<Resultat> = snapshot
        .previsions
        .iter()
        .map(|p| {
            serde_json::from_str::<Resultat>(&p.resultat)
                .map_err(|e| ApiError::Internal(format!("previsions {}: {e}", p.id)))
        })
        .collect::<Result<_, _>>()?;
    let taches: Vec<&str> = ml::prevision::taches().iter().map(|t| t.id).collect();
    let rang_tache = |id: &str| taches.iter().position(|t| *t == id).unwrap_or(usize::MAX);
    let rang_cible = |c: Cible| Cible::ALL.iter().position(|x| *x == c).unwrap_or(0);
    let rang_modele = |m: &str| {
        ["reference_presidentielle", "reference_sortant"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain(ml::models::Algorithm::ALL.iter().map(|a| a.id().to_owned()))
            .position(|x| x == m)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|r| {
        (
            rang_tache(&r.tache),
            rang_cible(r.cible),
            rang_modele(&r.modele),
        )
    });
    Ok(out)
}

/// What a forecast request chose: the task, the target, the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choix {
    pub tache: String,
    pub cible: Cible,
    /// `None`: the model the inner cross-validation prefers.
    pub modele: Option<String>,
}

fn propre(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|t| !t.is_empty())
}

/// Parses `tache`, `cible` and `modele` (each optional), against what is stored.
pub fn choix(
    snapshot: &Snapshot,
    tache: Option<&str>,
    cible: Option<&str>,
    modele: Option<&str>,
) -> Result<Choix, ApiError> {
    let taches: Vec<String> = ml::prevision::taches()
        .iter()
        .map(|t| t.id.to_owned())
        .collect();
    let tache = match propre(tache) {
        None => TACHE_DEFAUT.to_owned(),
        Some(t) if taches.iter().any(|x| x == t) => t.to_owned(),
        Some(t) => {
            return Err(ApiError::parameter(
                "tache",
                format!(
                    "parameter 'tache' must be one of {}, not '{t}'",
                    taches.join(", ")
                ),
                Some(taches),
            ));
        }
    };
    let cibles: Vec<String> = Cible::ALL.iter().map(|c| c.id().to_owned()).collect();
    let cible = match propre(cible) {
        None => Cible::TeteT1,
        Some(c) => Cible::from_id(c).ok_or_else(|| {
            ApiError::parameter(
                "cible",
                format!(
                    "parameter 'cible' must be one of {}, not '{c}'",
                    cibles.join(", ")
                ),
                Some(cibles.clone()),
            )
        })?,
    };
    let modele = match propre(modele) {
        None => None,
        Some(m) if snapshot.previsions.iter().any(|p| p.modele == m) => Some(m.to_owned()),
        Some(m) => {
            let mut known: Vec<String> = snapshot
                .previsions
                .iter()
                .map(|p| p.modele.clone())
                .collect();
            known.sort();
            known.dedup();
            return Err(ApiError::parameter(
                "modele",
                format!(
                    "parameter 'modele' must be a model or baseline of the forecast ({}), not '{m}'",
                    known.join(", ")
                ),
                Some(known),
            ));
        }
    };
    Ok(Choix {
        tache,
        cible,
        modele,
    })
}

/// The result a choice names: its model, or the one the inner cross-validation retained.
/// Only that row's JSON is parsed.
pub fn resultat(snapshot: &Snapshot, choix: &Choix) -> Result<Resultat, ApiError> {
    let row = snapshot
        .previsions
        .iter()
        .filter(|p| p.tache == choix.tache && p.cible == choix.cible.id())
        .find(|p| match &choix.modele {
            Some(m) => p.modele == *m,
            None => p.retenu,
        })
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no forecast stored for task {} and target {}: run `ml`",
                choix.tache,
                choix.cible.id()
            ))
        })?;
    serde_json::from_str::<Resultat>(&row.resultat)
        .map_err(|e| ApiError::Internal(format!("previsions {}: {e}", row.id)))
}

/// One model or baseline on one task and target: the scores on the test election.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LigneTableau {
    /// The task: training cycles → test election.
    #[schema(example = "2017-2022-vers-2024")]
    pub tache: String,
    pub tache_libelle: String,
    /// Legislative years trained on, comma-separated.
    #[schema(example = "2017,2022")]
    pub entrainement: String,
    /// The test round.
    #[schema(example = "legislatives-2024-t1")]
    pub test: String,
    /// `tete_t1` (round-1 leader's family) or `siege` (seat winner's family).
    #[schema(example = "tete_t1")]
    pub cible: String,
    /// The feature set.
    pub jeu: String,
    /// A model of `ml`, or `reference_presidentielle` (the family leading the presidential
    /// round 1 there), `reference_sortant` (the outgoing member's family).
    #[schema(example = "regression_logistique")]
    pub modele: String,
    pub libelle: String,
    /// `modele` or `reference`.
    pub genre: String,
    /// Hyper-parameters chosen by cross-validation inside the training cycles.
    pub hyperparametres: String,
    /// That cross-validation's accuracy (training cycles only; none for a baseline rule).
    pub accuracy_validation: Option<f64>,
    /// The model that cross-validation prefers among all (served by default).
    pub retenu: bool,
    pub n_entrainement: usize,
    pub n_test: usize,
    /// Share of the test constituencies forecast right.
    pub accuracy: f64,
    /// 95 % percentile bootstrap interval over the test constituencies (2,000 resamples).
    pub accuracy_ic_bas: f64,
    pub accuracy_ic_haut: f64,
    pub macro_f1: f64,
    /// Mean negative log-likelihood of the actual family (probabilities clipped at 1e-15);
    /// none for a baseline rule.
    pub log_loss: Option<f64>,
    /// Accuracy minus the presidential baseline's, and its paired bootstrap interval.
    pub ecart_presidentielle: f64,
    pub ecart_presidentielle_ic_bas: f64,
    pub ecart_presidentielle_ic_haut: f64,
    /// Recall of each family present in the test election.
    pub rappels: BTreeMap<String, f64>,
    /// The classes, in the order of the confusion matrix.
    pub classes: Vec<String>,
    /// `[actual][forecast]` counts.
    pub matrice_confusion: Vec<Vec<usize>>,
}

use super::r4;

impl From<&Resultat> for LigneTableau {
    fn from(r: &Resultat) -> LigneTableau {
        let libelle = ml::prevision::taches()
            .into_iter()
            .find(|t| t.id == r.tache)
            .map_or_else(String::new, |t| t.libelle.to_owned());
        LigneTableau {
            tache: r.tache.clone(),
            tache_libelle: libelle,
            entrainement: r
                .entrainement
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(","),
            test: r.test.clone(),
            cible: r.cible.id().to_owned(),
            jeu: r.jeu.id().to_owned(),
            modele: r.modele.clone(),
            libelle: r.libelle.clone(),
            genre: r.genre.clone(),
            hyperparametres: r.hyperparametres.clone(),
            accuracy_validation: r.accuracy_validation.map(r4),
            retenu: r.retenu,
            n_entrainement: r.n_entrainement,
            n_test: r.n_test,
            accuracy: r4(r.accuracy),
            accuracy_ic_bas: r4(r.accuracy_ic.0),
            accuracy_ic_haut: r4(r.accuracy_ic.1),
            macro_f1: r4(r.macro_f1),
            log_loss: r.log_loss.map(r4),
            ecart_presidentielle: r4(r.ecart_presidentielle),
            ecart_presidentielle_ic_bas: r4(r.ecart_presidentielle_ic.0),
            ecart_presidentielle_ic_haut: r4(r.ecart_presidentielle_ic.1),
            rappels: r
                .rappels
                .iter()
                .map(|x| (x.famille.clone(), r4(x.rappel)))
                .collect(),
            classes: r.classes.clone(),
            matrice_confusion: r.matrice_confusion.clone(),
        }
    }
}

/// The table: every task, target, baseline and model, optionally of one task and target.
pub fn tableau(
    snapshot: &Snapshot,
    tache: Option<&str>,
    cible: Option<Cible>,
) -> Result<Vec<LigneTableau>, ApiError> {
    Ok(resultats(snapshot)?
        .iter()
        .filter(|r| tache.is_none_or(|t| r.tache == t))
        .filter(|r| cible.is_none_or(|c| r.cible == c))
        .map(LigneTableau::from)
        .collect())
}

/// One constituency's forecast beside the actual result.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LignePrevision {
    #[schema(example = "5901")]
    pub code: String,
    pub nom: String,
    pub departement_code: String,
    pub tache: String,
    #[schema(example = "legislatives-2024-t1")]
    pub test: String,
    pub cible: String,
    pub modele: String,
    /// The forecast family.
    #[schema(example = "extreme_droite")]
    pub prevu: String,
    /// The actual family.
    #[schema(example = "gauche")]
    pub reel: String,
    pub juste: bool,
    /// The forecast family's probability (models; none for a baseline rule).
    pub probabilite: Option<f64>,
}

/// Every test constituency's forecast by the chosen model (in code order).
pub fn circonscriptions(
    snapshot: &Snapshot,
    choix: &Choix,
) -> Result<(Resultat, Vec<LignePrevision>), ApiError> {
    let r = resultat(snapshot, choix)?;
    let cs = &snapshot.circonscriptions;
    let rows = r
        .previsions
        .iter()
        .map(|p| {
            let c = cs.get(&p.code);
            LignePrevision {
                code: p.code.clone(),
                nom: c.map_or_else(String::new, |c| c.nom.clone()),
                departement_code: c.map_or_else(String::new, |c| c.departement_code.clone()),
                tache: r.tache.clone(),
                test: r.test.clone(),
                cible: r.cible.id().to_owned(),
                modele: r.modele.clone(),
                prevu: p.prevu.clone(),
                reel: p.reel.clone(),
                juste: p.prevu == p.reel,
                probabilite: p.probabilite,
            }
        })
        .collect();
    Ok((r, rows))
}
