//! The constituency forecast: for each of the 577 constituencies, the family of the
//! legislative round-1 leader (`tete_t1`) and of the seat winner (`siege`), from what was
//! known before that legislative election. Trained on whole election cycles and tested on a
//! later one that no training or tuning step ever sees ([`Tache`]); every model of
//! [`Algorithm::ALL`] has its hyper-parameters chosen by cross-validation inside the
//! training cycles only ([`grille`]), and is compared with a political scientist's baselines
//! (the presidential round-1 leader, the outgoing member's family, the majority class).
//!
//! Features of a constituency in a cycle ([`features`]):
//! - the family shares of the cycle's presidential round 1 in that constituency (% of
//!   exprimés) and its turnout: the nearest national vote before the legislative one, held
//!   at the same level;
//! - the département's unemployment rate in the last quarter of the year before (published
//!   before the vote);
//! - four slow-moving INSEE indicators of the département (median income and poverty rate
//!   2019, share of people aged 65 and over 2022, log10 of the density 2022): one vintage for
//!   every cycle, so that they describe places, not years;
//! - with the outgoing chamber ([`Jeu::AvecSortants`]): the previous legislative round-1
//!   family shares and the outgoing member's family (one-hot). 2012 is not in our sources,
//!   so this set can only be trained on 2022 and tested on 2024.
//!
//! Families are the vocabulary's: the Ministry's nuances of the coalitions (NUP in 2022, UG
//! in 2024) map to `gauche`, ENS to `centre`, RN to `extreme_droite`, LR to `droite`
//! (`etl/reference/nuances.csv`).

use db::{Quarter, Scrutin, Snapshot, TypeElection};
use serde::{Deserialize, Serialize};

use crate::MlError;
use crate::folds::{Rng, repeated_stratified_k_fold};
use crate::metrics;
use crate::models::{Algorithm, Hyper, Model, argmax, grille};

/// The vocabulary's families, in order.
pub fn familles() -> Vec<&'static str> {
    db::domaine::FAMILLES.iter().map(|f| f.code).collect()
}

/// One legislative election cycle: the legislative year, the presidential round 1 before
/// it, the previous legislative year held in our sources, the unemployment quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub annee: i32,
    pub presidentielle: Scrutin,
    pub precedente: Option<i32>,
    pub trimestre: Quarter,
}

pub fn cycles() -> [Cycle; 3] {
    let pres = |annee| Scrutin::de(TypeElection::Presidentielle, annee, 1);
    let t4 = |annee| Quarter {
        annee,
        trimestre: 4,
    };
    [
        Cycle {
            annee: 2017,
            presidentielle: pres(2017),
            precedente: None,
            trimestre: t4(2016),
        },
        Cycle {
            annee: 2022,
            presidentielle: pres(2022),
            precedente: Some(2017),
            trimestre: t4(2021),
        },
        Cycle {
            annee: 2024,
            presidentielle: pres(2022),
            precedente: Some(2022),
            trimestre: t4(2023),
        },
    ]
}

/// What is predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cible {
    /// The family of the candidate leading round 1.
    TeteT1,
    /// The family of the member elected (round 1 or 2).
    Siege,
}

impl Cible {
    pub const ALL: [Cible; 2] = [Cible::TeteT1, Cible::Siege];
    pub fn id(self) -> &'static str {
        match self {
            Cible::TeteT1 => "tete_t1",
            Cible::Siege => "siege",
        }
    }
    pub fn libelle(self) -> &'static str {
        match self {
            Cible::TeteT1 => "Famille en tête du 1er tour",
            Cible::Siege => "Famille du siège",
        }
    }
    pub fn from_id(id: &str) -> Option<Cible> {
        Cible::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// The feature sets of the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jeu {
    /// Presidential round 1 of the cycle and the département's INSEE indicators.
    Presidentielle,
    /// The same plus the previous legislative election and the outgoing member.
    AvecSortants,
}

impl Jeu {
    pub fn id(self) -> &'static str {
        match self {
            Jeu::Presidentielle => "presidentielle_insee",
            Jeu::AvecSortants => "presidentielle_insee_sortants",
        }
    }
}

/// A train/test split over whole cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tache {
    pub id: &'static str,
    pub libelle: &'static str,
    pub entrainement: Vec<i32>,
    pub test: i32,
    pub jeu: Jeu,
}

pub fn taches() -> Vec<Tache> {
    vec![
        Tache {
            id: "2017-vers-2022",
            libelle: "Appris sur 2017, testé sur 2022",
            entrainement: vec![2017],
            test: 2022,
            jeu: Jeu::Presidentielle,
        },
        Tache {
            id: "2017-2022-vers-2024",
            libelle: "Appris sur 2017 et 2022, testé sur 2024",
            entrainement: vec![2017, 2022],
            test: 2024,
            jeu: Jeu::Presidentielle,
        },
        Tache {
            id: "2022-vers-2024-sortants",
            libelle: "Appris sur 2022 avec les sortants, testé sur 2024",
            entrainement: vec![2022],
            test: 2024,
            jeu: Jeu::AvecSortants,
        },
    ]
}

/// The INSEE indicators of the département used as features (one vintage).
pub const INSEE: [&str; 4] = [
    "revenu_median",
    "taux_pauvrete",
    "part_65_ans_et_plus",
    "densite",
];

/// Feature names of a set, in column order.
pub fn features(jeu: Jeu) -> Vec<String> {
    let mut names: Vec<String> = familles()
        .iter()
        .map(|f| format!("presidentielle_part_{f}"))
        .collect();
    names.push("presidentielle_participation".into());
    names.push("taux_chomage_t4_precedent".into());
    for i in INSEE {
        names.push(if i == "densite" {
            "log10_densite".to_owned()
        } else {
            i.to_owned()
        });
    }
    if jeu == Jeu::AvecSortants {
        for f in familles() {
            names.push(format!("legislatives_precedentes_part_{f}"));
        }
        for f in familles() {
            names.push(format!("sortant_{f}"));
        }
    }
    names
}

/// One constituency in one cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Ligne {
    pub code: String,
    pub cycle: i32,
    pub x: Vec<f64>,
    pub tete_t1: String,
    pub siege: String,
    /// Family leading the cycle's presidential round 1 there.
    pub presidentielle: String,
    /// Family of the outgoing member (previous legislative winner), if in our sources.
    pub sortant: Option<String>,
}

impl Ligne {
    pub fn cible(&self, cible: Cible) -> &str {
        match cible {
            Cible::TeteT1 => &self.tete_t1,
            Cible::Siege => &self.siege,
        }
    }
}

/// Family shares (% of exprimés, vocabulary order) and the leading family of a round.
fn parts(snapshot: &Snapshot, code: &str, scrutin: Scrutin) -> Option<(Vec<f64>, String)> {
    let c = &snapshot.circonscriptions;
    let exprimes = c.participation(code, scrutin)?.exprimes;
    let candidats = c.candidats(code, scrutin);
    if exprimes <= 0 || candidats.is_empty() {
        return None;
    }
    let shares = familles()
        .iter()
        .map(|f| {
            let voix: i64 = candidats
                .iter()
                .filter(|k| k.famille_code == *f)
                .map(|k| k.voix)
                .sum();
            100.0 * voix as f64 / exprimes as f64
        })
        .collect();
    let tete = db::snapshot::first_max_by_key(candidats.iter(), |k| k.voix)?;
    Some((shares, tete.famille_code.clone()))
}

fn famille_elu(snapshot: &Snapshot, code: &str, annee: i32) -> Option<String> {
    snapshot
        .circonscriptions
        .elu_de_l_election(code, TypeElection::Legislatives, annee)
        .map(|(_, k)| k.famille_code.clone())
}

/// The rows of a cycle: every constituency with every feature and both targets; the others
/// with the reason they are left out.
pub fn lignes(
    snapshot: &Snapshot,
    cycle: &Cycle,
    jeu: Jeu,
) -> (Vec<Ligne>, Vec<(String, &'static str)>) {
    let mut rows = Vec::new();
    let mut exclus = Vec::new();
    let legislative = Scrutin::de(TypeElection::Legislatives, cycle.annee, 1);
    for c in &snapshot.circonscriptions.liste {
        let code = c.code.as_str();
        let Some((pres, pres_tete)) = parts(snapshot, code, cycle.presidentielle) else {
            exclus.push((c.code.clone(), "pas de résultat présidentiel"));
            continue;
        };
        let Some(participation) = snapshot
            .circonscriptions
            .participation(code, cycle.presidentielle)
            .filter(|p| p.inscrits > 0)
        else {
            exclus.push((c.code.clone(), "pas de résultat présidentiel"));
            continue;
        };
        let insee: Option<Vec<f64>> =
            std::iter::once(snapshot.taux_chomage(&c.departement_code, cycle.trimestre))
                .chain(INSEE.iter().map(|i| {
                    let v = snapshot.valeur_socio(&c.departement_code, i)?;
                    Some(if *i == "densite" {
                        v.max(0.1).log10()
                    } else {
                        v
                    })
                }))
                .collect();
        let Some(insee) = insee else {
            exclus.push((c.code.clone(), "indicateurs INSEE du département absents"));
            continue;
        };
        let (Some((_, tete)), Some(siege)) = (
            parts(snapshot, code, legislative),
            famille_elu(snapshot, code, cycle.annee),
        ) else {
            exclus.push((c.code.clone(), "pas de résultat législatif"));
            continue;
        };
        let sortant = cycle
            .precedente
            .and_then(|annee| famille_elu(snapshot, code, annee));
        let mut x = pres;
        x.push(100.0 * participation.votants as f64 / participation.inscrits as f64);
        x.extend(insee);
        if jeu == Jeu::AvecSortants {
            let precedente = cycle.precedente.and_then(|annee| {
                parts(
                    snapshot,
                    code,
                    Scrutin::de(TypeElection::Legislatives, annee, 1),
                )
            });
            let (Some((prec, _)), Some(s)) = (precedente, &sortant) else {
                exclus.push((c.code.clone(), "pas d'élection législative précédente"));
                continue;
            };
            x.extend(prec);
            x.extend(familles().iter().map(|f| f64::from(u8::from(s == f))));
        }
        rows.push(Ligne {
            code: c.code.clone(),
            cycle: cycle.annee,
            x,
            tete_t1: tete,
            siege,
            presidentielle: pres_tete,
            sortant,
        });
    }
    (rows, exclus)
}

/// A task's samples: training rows (cycles of `entrainement`) then test rows (cycle `test`).
#[derive(Debug, Clone, PartialEq)]
pub struct Donnees {
    pub features: Vec<String>,
    pub train: Vec<Ligne>,
    pub test: Vec<Ligne>,
    /// Test-cycle constituencies left out, with the reason.
    pub exclus: Vec<(String, String)>,
}

pub fn donnees(snapshot: &Snapshot, tache: &Tache) -> Result<Donnees, MlError> {
    let de = |annee: i32| {
        let cycle = cycles()
            .into_iter()
            .find(|c| c.annee == annee)
            .ok_or_else(|| MlError::Feature(format!("no election cycle {annee}")))?;
        let (rows, exclus) = lignes(snapshot, &cycle, tache.jeu);
        if rows.is_empty() {
            return Err(MlError::Feature(format!(
                "cycle {annee}: no constituency has every feature"
            )));
        }
        Ok((rows, exclus))
    };
    let mut train = Vec::new();
    for annee in &tache.entrainement {
        train.extend(de(*annee)?.0);
    }
    let (test, exclus) = de(tache.test)?;
    Ok(Donnees {
        features: features(tache.jeu),
        train,
        test,
        exclus: exclus.into_iter().map(|(c, r)| (c, r.to_owned())).collect(),
    })
}

/// One constituency's forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prevu {
    pub code: String,
    pub prevu: String,
    pub reel: String,
    /// The forecast family's probability (models only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub probabilite: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rappel {
    pub famille: String,
    pub rappel: f64,
    pub effectif: usize,
}

/// A model's or baseline's result on the test election.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resultat {
    pub tache: String,
    pub cible: Cible,
    pub jeu: Jeu,
    /// Algorithm id, or `reference_presidentielle` / `reference_sortant`.
    pub modele: String,
    pub libelle: String,
    /// `modele` or `reference`.
    pub genre: String,
    /// Chosen hyper-parameters (empty for none).
    pub hyperparametres: String,
    /// Inner cross-validation accuracy of each candidate (training cycles only).
    pub grille: Vec<(String, f64)>,
    /// Inner cross-validation accuracy of the chosen candidate.
    pub accuracy_validation: Option<f64>,
    /// The model the inner cross-validation prefers among all (the one served by default).
    pub retenu: bool,
    pub entrainement: Vec<i32>,
    /// The test round (legislative round 1 of the test year).
    pub test: String,
    pub n_entrainement: usize,
    pub n_test: usize,
    /// Test-cycle constituencies left out, with the reason.
    #[serde(default)]
    pub exclus: Vec<(String, String)>,
    pub classes: Vec<String>,
    pub accuracy: f64,
    /// 95 % percentile bootstrap interval over the test constituencies.
    pub accuracy_ic: (f64, f64),
    pub macro_f1: f64,
    /// Mean negative log-likelihood of the true family (probabilities clipped at 1e-15);
    /// `None` for a rule without probabilities.
    pub log_loss: Option<f64>,
    /// Accuracy minus the presidential baseline's, with its paired bootstrap interval.
    pub ecart_presidentielle: f64,
    pub ecart_presidentielle_ic: (f64, f64),
    /// `[reel][prevu]` over `classes`.
    pub matrice_confusion: Vec<Vec<usize>>,
    pub rappels: Vec<Rappel>,
    pub previsions: Vec<Prevu>,
}

/// Resamples of the bootstrap intervals.
pub const BOOTSTRAP: usize = 2000;
/// Folds of the inner cross-validation.
pub const PLIS_INTERNES: usize = 5;

/// The 2.5 and 97.5 percentiles of the mean of `values` over bootstrap resamples of its
/// indices (the same resamples for every model, from `seed`).
pub fn bootstrap(values: &[f64], seed: u64) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mut rng = Rng::new(seed);
    let mut means: Vec<f64> = (0..BOOTSTRAP)
        .map(|_| (0..n).map(|_| values[rng.below(n)]).sum::<f64>() / n as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (BOOTSTRAP - 1) as f64).round() as usize).min(BOOTSTRAP - 1)];
    (at(0.025), at(0.975))
}

fn index(classes: &[String], famille: &str) -> Option<usize> {
    classes.iter().position(|c| c == famille)
}

/// Scores of predictions (class indices) against the truth.
#[allow(clippy::too_many_arguments)]
fn resultat(
    tache: &Tache,
    cible: Cible,
    donnees: &Donnees,
    classes: &[String],
    modele: (&str, &str, &str),
    predits: &[usize],
    probabilites: Option<&[Vec<f64>]>,
    reference: &[usize],
    seed: u64,
) -> Resultat {
    let truth: Vec<usize> = donnees
        .test
        .iter()
        .map(|l| index(classes, l.cible(cible)).unwrap_or(0))
        .collect();
    let juste: Vec<f64> = truth
        .iter()
        .zip(predits)
        .map(|(t, p)| f64::from(u8::from(t == p)))
        .collect();
    let juste_reference: Vec<f64> = truth
        .iter()
        .zip(reference)
        .map(|(t, p)| f64::from(u8::from(t == p)))
        .collect();
    let ecarts: Vec<f64> = juste
        .iter()
        .zip(&juste_reference)
        .map(|(a, b)| a - b)
        .collect();
    let n = truth.len().max(1) as f64;
    let accuracy = juste.iter().sum::<f64>() / n;
    let matrice = metrics::confusion_matrix(&truth, predits, classes.len());
    let log_loss = probabilites.map(|p| {
        p.iter()
            .zip(&truth)
            .map(|(row, t)| -row[*t].clamp(1e-15, 1.0).ln())
            .sum::<f64>()
            / n
    });
    let rappels = metrics::class_scores(&matrice)
        .into_iter()
        .zip(classes)
        .filter(|(s, _)| s.support > 0)
        .map(|(s, c)| Rappel {
            famille: c.clone(),
            rappel: s.recall,
            effectif: s.support,
        })
        .collect();
    Resultat {
        tache: tache.id.to_owned(),
        cible,
        jeu: tache.jeu,
        modele: modele.0.to_owned(),
        libelle: modele.1.to_owned(),
        genre: modele.2.to_owned(),
        hyperparametres: String::new(),
        grille: Vec::new(),
        accuracy_validation: None,
        retenu: false,
        entrainement: tache.entrainement.clone(),
        test: Scrutin::de(TypeElection::Legislatives, tache.test, 1).to_string(),
        n_entrainement: donnees.train.len(),
        n_test: truth.len(),
        exclus: donnees.exclus.clone(),
        classes: classes.to_vec(),
        accuracy,
        accuracy_ic: bootstrap(&juste, seed),
        macro_f1: metrics::macro_f1(&matrice),
        log_loss,
        ecart_presidentielle: ecarts.iter().sum::<f64>() / n,
        ecart_presidentielle_ic: bootstrap(&ecarts, seed),
        matrice_confusion: matrice,
        rappels,
        previsions: donnees
            .test
            .iter()
            .zip(predits)
            .enumerate()
            .map(|(i, (l, p))| Prevu {
                code: l.code.clone(),
                prevu: classes.get(*p).cloned().unwrap_or_default(),
                reel: l.cible(cible).to_owned(),
                probabilite: probabilites
                    .and_then(|rows| rows.get(i)?.get(*p))
                    .map(|v| (v * 1e4).round() / 1e4),
            })
            .collect(),
    }
}

/// The classes of a task: the vocabulary's families that lead somewhere in training or test,
/// or that a baseline forecasts.
pub fn classes(donnees: &Donnees, cible: Cible) -> Vec<String> {
    familles()
        .into_iter()
        .filter(|f| {
            donnees.train.iter().chain(&donnees.test).any(|l| {
                l.cible(cible) == *f || l.presidentielle == *f || l.sortant.as_deref() == Some(f)
            })
        })
        .map(str::to_owned)
        .collect()
}

/// The inner cross-validation accuracy of one algorithm with one candidate, on the training
/// rows only.
fn validation(
    algorithm: Algorithm,
    hyper: &Hyper,
    x: &[Vec<f64>],
    y: &[usize],
    k: usize,
    seed: u64,
) -> Result<f64, MlError> {
    let plis = repeated_stratified_k_fold(y, PLIS_INTERNES, 1, seed);
    let mut accuracies = Vec::new();
    for (f, split) in plis.iter().flatten().enumerate() {
        let xt: Vec<Vec<f64>> = split.train.iter().map(|i| x[*i].clone()).collect();
        let yt: Vec<usize> = split.train.iter().map(|i| y[*i]).collect();
        let xv: Vec<Vec<f64>> = split.test.iter().map(|i| x[*i].clone()).collect();
        let yv: Vec<usize> = split.test.iter().map(|i| y[*i]).collect();
        let model = Model::fit_with(algorithm, &xt, &yt, k, seed.wrapping_add(f as u64), hyper)?;
        accuracies.push(metrics::accuracy(&yv, &model.predict(&xv)?));
    }
    Ok(accuracies.iter().sum::<f64>() / accuracies.len().max(1) as f64)
}

/// The training matrix and labels of a task, the only data any fitting or tuning step sees.
pub fn apprentissage(
    donnees: &Donnees,
    cible: Cible,
    classes: &[String],
) -> (Vec<Vec<f64>>, Vec<usize>) {
    let x = donnees.train.iter().map(|l| l.x.clone()).collect();
    let y = donnees
        .train
        .iter()
        .map(|l| index(classes, l.cible(cible)).unwrap_or(0))
        .collect();
    (x, y)
}

/// Every model and baseline of one task and one target, on its test election.
pub fn evaluer(
    tache: &Tache,
    cible: Cible,
    donnees: &Donnees,
    seed: u64,
) -> Result<Vec<Resultat>, MlError> {
    let classes = classes(donnees, cible);
    let k = classes.len();
    let (x, y) = apprentissage(donnees, cible, &classes);
    let x_test: Vec<Vec<f64>> = donnees.test.iter().map(|l| l.x.clone()).collect();
    let present: Vec<usize> = donnees
        .test
        .iter()
        .map(|l| index(&classes, &l.presidentielle).unwrap_or(usize::MAX))
        .collect();
    let mut out = Vec::new();
    let presidentielle = resultat(
        tache,
        cible,
        donnees,
        &classes,
        (
            "reference_presidentielle",
            "Référence : famille en tête de la présidentielle (1er tour)",
            "reference",
        ),
        &present,
        None,
        &present,
        seed,
    );
    out.push(presidentielle);
    let sortant: Vec<usize> = donnees
        .test
        .iter()
        .map(|l| {
            l.sortant
                .as_deref()
                .and_then(|s| index(&classes, s))
                .unwrap_or(usize::MAX)
        })
        .collect();
    out.push(resultat(
        tache,
        cible,
        donnees,
        &classes,
        (
            "reference_sortant",
            "Référence : famille du député sortant",
            "reference",
        ),
        &sortant,
        None,
        &present,
        seed,
    ));
    let mut best: Option<(f64, usize)> = None;
    for algorithm in Algorithm::ALL {
        let mut grille_scores = Vec::new();
        let mut chosen: Option<(f64, Hyper)> = None;
        for hyper in grille(algorithm) {
            let score = validation(algorithm, &hyper, &x, &y, k, seed)?;
            grille_scores.push((hyper.resume(algorithm), score));
            if chosen.is_none_or(|(s, _)| score > s) {
                chosen = Some((score, hyper));
            }
        }
        let (score, hyper) =
            chosen.ok_or_else(|| MlError::Model(format!("{}: empty grid", algorithm.id())))?;
        let model = Model::fit_with(algorithm, &x, &y, k, seed, &hyper)?;
        let p = model.predict_proba(&x_test)?;
        let labels: Vec<usize> = p.iter().map(|row| argmax(row)).collect();
        let mut r = resultat(
            tache,
            cible,
            donnees,
            &classes,
            (
                algorithm.id(),
                algorithm.libelle(),
                if algorithm == Algorithm::Majorite {
                    "reference"
                } else {
                    "modele"
                },
            ),
            &labels,
            Some(&p),
            &present,
            seed,
        );
        r.hyperparametres = hyper.resume(algorithm);
        r.grille = grille_scores;
        r.accuracy_validation = Some(score);
        // The majority class is a baseline, not a candidate for the served model.
        if algorithm != Algorithm::Majorite && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, out.len()));
        }
        out.push(r);
    }
    if let Some((_, i)) = best {
        out[i].retenu = true;
    }
    Ok(out)
}

/// Every task and target.
pub fn tout(snapshot: &Snapshot, seed: u64) -> Result<Vec<Resultat>, MlError> {
    let mut out = Vec::new();
    for tache in taches() {
        let donnees = donnees(snapshot, &tache)?;
        for cible in Cible::ALL {
            out.extend(evaluer(&tache, cible, &donnees, seed)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_interval_holds_the_mean_and_is_deterministic() {
        let values: Vec<f64> = (0..200).map(|i| f64::from(u8::from(i % 4 != 0))).collect();
        let (lo, hi) = bootstrap(&values, 7);
        assert!(lo < 0.75 && 0.75 < hi, "{lo} {hi}");
        assert!(hi - lo < 0.15 && hi - lo > 0.05, "{lo} {hi}");
        assert_eq!(bootstrap(&values, 7), (lo, hi));
        assert_eq!(bootstrap(&[1.0; 10], 1), (1.0, 1.0));
    }

    /// Two cycles of synthetic constituencies: three families told apart by the first two
    /// features, with noise; the test cycle's rows are new constituencies.
    fn donnees_synthetiques() -> Donnees {
        let mut rng = Rng::new(3);
        let mut ligne = |i: usize, cycle: i32| {
            let classe = ["gauche", "centre", "extreme_droite"][i % 3];
            let bruit = |rng: &mut Rng| (rng.below(1000) as f64) / 100.0;
            let x = vec![
                (i % 3) as f64 * 10.0 + bruit(&mut rng),
                ((i + 1) % 3) as f64 * 5.0 + bruit(&mut rng),
                bruit(&mut rng),
            ];
            Ligne {
                code: format!("{cycle}-{i:03}"),
                cycle,
                x,
                tete_t1: classe.to_owned(),
                siege: classe.to_owned(),
                presidentielle: "centre".to_owned(),
                sortant: Some(classe.to_owned()),
            }
        };
        let train = (0..90).map(|i| ligne(i, 2017)).collect();
        let test = (0..45).map(|i| ligne(i, 2022)).collect();
        Donnees {
            features: vec!["a".into(), "b".into(), "c".into()],
            train,
            test,
            exclus: Vec::new(),
        }
    }

    fn tache() -> Tache {
        Tache {
            id: "synthetique",
            libelle: "",
            entrainement: vec![2017],
            test: 2022,
            jeu: Jeu::Presidentielle,
        }
    }

    /// The test election's outcome reaches no fitting or tuning step: with every test label
    /// changed, each model chooses the same hyper-parameters with the same inner scores and
    /// forecasts the same families; only the scores against the truth move.
    #[test]
    fn no_test_election_label_reaches_training_or_tuning() {
        let d = donnees_synthetiques();
        let a = evaluer(&tache(), Cible::TeteT1, &d, 42).unwrap();
        let mut changed = d.clone();
        for l in &mut changed.test {
            l.tete_t1 = "gauche".to_owned();
        }
        let b = evaluer(&tache(), Cible::TeteT1, &changed, 42).unwrap();
        assert_eq!(a.len(), b.len());
        let mut moved = 0;
        for (ra, rb) in a.iter().zip(&b) {
            assert_eq!(ra.modele, rb.modele);
            assert_eq!(ra.grille, rb.grille, "{}", ra.modele);
            assert_eq!(ra.hyperparametres, rb.hyperparametres, "{}", ra.modele);
            assert_eq!(ra.accuracy_validation, rb.accuracy_validation);
            assert_eq!(ra.retenu, rb.retenu);
            let prevus = |r: &Resultat| -> Vec<String> {
                r.previsions.iter().map(|p| p.prevu.clone()).collect()
            };
            assert_eq!(prevus(ra), prevus(rb), "{}", ra.modele);
            moved += usize::from(ra.accuracy != rb.accuracy);
        }
        assert!(moved > 0, "the test scores use the test labels");
        // The models learnt something: the chosen one beats the majority class.
        let chosen = a.iter().find(|r| r.retenu).unwrap();
        let majorite = a.iter().find(|r| r.modele == "baseline_majorite").unwrap();
        assert!(
            chosen.accuracy > majorite.accuracy + 0.2,
            "{}",
            chosen.accuracy
        );
        assert!(chosen.accuracy_validation.unwrap() > 0.6);
        // Each test row is forecast once, in order.
        let codes: Vec<&str> = chosen.previsions.iter().map(|p| p.code.as_str()).collect();
        let expected: Vec<&str> = d.test.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, expected);
    }

    /// The training matrix holds the training cycles' rows only.
    #[test]
    fn the_training_matrix_is_the_training_rows() {
        let d = donnees_synthetiques();
        let classes = classes(&d, Cible::TeteT1);
        let (x, y) = apprentissage(&d, Cible::TeteT1, &classes);
        assert_eq!(x.len(), d.train.len());
        assert_eq!(y.len(), d.train.len());
        for (row, l) in x.iter().zip(&d.train) {
            assert_eq!(row, &l.x);
            assert_eq!(l.cycle, 2017);
        }
    }

    #[test]
    fn the_feature_names_match_the_columns() {
        assert_eq!(features(Jeu::Presidentielle).len(), 5 + 1 + 1 + 4);
        assert_eq!(features(Jeu::AvecSortants).len(), 11 + 10);
    }
}
