//! Joins the files by political label (see [`crate::nuances`]) with the reference: each
//! département code through `departements.csv`, each nuance through `nuances.csv` (an
//! unmapped nuance stops the run), constituencies summed into their département and, where
//! the manifest also names a file by département, checked against it to the vote. Seats come
//! from the constituency files.

use std::collections::{BTreeMap, BTreeSet};

use db::Scrutin;
use db::models::{Departement, Participation, ResultatNuance, Siege};

use crate::dataset::Dataset;
use crate::error::{CellRef, EtlError};
use crate::nuances::{FichierNuances, Format, Ligne2, elu_sans_drapeau};
use crate::reference::{Entree, Reference};

/// A département code as the files write it (`1`, `01`, `ZA`, `971`) through the reference.
pub fn departement<'a>(reference: &'a Reference, code: &str) -> Option<&'a Departement> {
    let code = code.trim().trim_matches('"').to_uppercase();
    let code = if code.len() == 1 && code.chars().all(|c| c.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code
    };
    reference
        .departements
        .iter()
        .find(|d| d.code == code)
        .or_else(|| {
            reference
                .departements
                .iter()
                .find(|d| d.code_election == code)
        })
}

/// Counts and votes by nuance of one unit.
#[derive(Debug, Clone, Default, PartialEq)]
struct Totaux {
    inscrits: i64,
    abstentions: i64,
    votants: i64,
    blancs: i64,
    nuls: i64,
    exprimes: i64,
    voix: BTreeMap<String, i64>,
}

impl Totaux {
    fn ajoute(&mut self, r: &Ligne2) {
        self.inscrits += r.inscrits;
        self.abstentions += r.abstentions;
        self.votants += r.votants;
        self.blancs += r.blancs;
        self.nuls += r.nuls;
        self.exprimes += r.exprimes;
        for v in &r.voix {
            *self.voix.entry(v.nuance.clone()).or_default() += v.voix;
        }
    }
}

pub(crate) fn cell(file: &FichierNuances, row: u32, column: u32, header: &str) -> CellRef {
    CellRef {
        file: file.file.clone(),
        sheet: String::new(),
        row: row + 1,
        column,
        header: Some(header.to_owned()),
    }
}

/// One file's units, by département code (INSEE), checked against the reference.
fn par_departement(
    reference: &Reference,
    entree: &Entree,
    file: &FichierNuances,
) -> Result<BTreeMap<String, Totaux>, EtlError> {
    let scrutin = entree.scrutin;
    let mut totaux: BTreeMap<String, Totaux> = BTreeMap::new();
    let mut vus: BTreeSet<(String, Option<u32>)> = BTreeSet::new();
    for r in &file.rows {
        let d = departement(reference, &r.departement).ok_or_else(|| EtlError::Cell {
            at: cell(file, r.row, file.code_column, "département"),
            message: format!(
                "département code '{}' is not in etl/reference/departements.csv",
                r.departement
            ),
        })?;
        if !vus.insert((d.code.clone(), r.circonscription)) {
            return Err(EtlError::Cell {
                at: cell(file, r.row, file.code_column, "département"),
                message: format!(
                    "{} {} appears twice",
                    d.code,
                    r.circonscription
                        .map_or_else(String::new, |c| format!("constituency {c}"))
                ),
            });
        }
        for v in &r.voix {
            if reference.nuances.iter().all(|n| {
                !(n.type_election == scrutin.type_election.code()
                    && n.annee == scrutin.annee
                    && n.code == v.nuance)
            }) {
                return Err(EtlError::Cell {
                    at: cell(file, r.row, v.column, "nuance"),
                    message: format!(
                        "nuance '{}' of {} has no family in etl/reference/nuances.csv (add a row '{},{},{},<label>,<family>')",
                        v.nuance,
                        scrutin.election(),
                        scrutin.type_election.code(),
                        scrutin.annee,
                        v.nuance
                    ),
                });
            }
        }
        totaux.entry(d.code.clone()).or_default().ajoute(r);
    }
    Ok(totaux)
}

/// The candidate elected in a constituency's row, if any: the file's flag (two flags are an
/// error), or the rules where the file has none ([`elu_sans_drapeau`]).
pub(crate) fn gagnant(
    file: &FichierNuances,
    r: &Ligne2,
    tour: i32,
) -> Result<Option<usize>, EtlError> {
    let flagged: Vec<usize> = r
        .voix
        .iter()
        .enumerate()
        .filter(|(_, v)| v.elu == Some(true))
        .map(|(i, _)| i)
        .collect();
    let has_flags = r.voix.iter().any(|v| v.elu.is_some());
    match (flagged.as_slice(), has_flags) {
        ([], true) => Ok(None),
        ([one], _) => Ok(Some(*one)),
        ([_, second, ..], _) => {
            let v = &r.voix[*second];
            Err(EtlError::Cell {
                at: cell(file, r.row, v.column, "elu"),
                message: format!(
                    "a second candidate elected in the same constituency ({} {:?})",
                    r.departement, r.circonscription
                ),
            })
        }
        ([], false) => Ok(elu_sans_drapeau(r, tour)),
    }
}

/// Seats won in a constituency file: per (département, nuance).
fn sieges(
    reference: &Reference,
    scrutin: Scrutin,
    file: &FichierNuances,
) -> Result<BTreeMap<(String, String), i32>, EtlError> {
    let mut sieges: BTreeMap<(String, String), i32> = BTreeMap::new();
    for r in &file.rows {
        let Some(d) = departement(reference, &r.departement) else {
            continue;
        };
        if let Some(i) = gagnant(file, r, scrutin.tour)? {
            let nuance = r.voix[i].nuance.clone();
            *sieges.entry((d.code.clone(), nuance)).or_default() += 1;
        }
    }
    Ok(sieges)
}

/// The primary keys of the rows by nuance, in the order the tables are written.
fn cle_resultat(r: &ResultatNuance) -> (&str, &str, i32, i32, &str) {
    (
        &r.departement_code,
        &r.type_election,
        r.annee,
        r.tour,
        &r.nuance,
    )
}

fn cle_siege(r: &Siege) -> (&str, &str, i32, i32, &str) {
    (
        &r.departement_code,
        &r.type_election,
        r.annee,
        r.tour,
        &r.nuance,
    )
}

/// Adds the elections by label to the dataset; gives the differences kept as published.
pub fn assemble(
    reference: &Reference,
    files: &[(Entree, FichierNuances)],
    data: &mut Dataset,
) -> Result<Vec<String>, EtlError> {
    let mut ecarts = Vec::new();
    // The elections by label; a presidential round by constituency is the constituency
    // level's alone (its départements are the workbooks by candidate).
    let scrutins: BTreeSet<Scrutin> = files
        .iter()
        .map(|(e, _)| e.scrutin)
        .filter(|s| s.type_election.par_nuance())
        .collect();
    for scrutin in scrutins {
        let de = |niveau: &str| {
            files
                .iter()
                .find(|(e, _)| e.scrutin == scrutin && e.niveau == niveau)
        };
        let (dep, circ) = (de("departement"), de("circonscription"));
        let circ_totaux = match circ {
            Some((e, f)) => Some((f, par_departement(reference, e, f)?)),
            None => None,
        };
        let totaux = match dep {
            Some((e, f)) => {
                let totaux = par_departement(reference, e, f)?;
                if let Some((cf, sums)) = &circ_totaux {
                    for (code, t) in &totaux {
                        let s = sums.get(code).cloned().unwrap_or_default();
                        if s != *t {
                            return Err(EtlError::Coverage {
                                path: cf.file.clone(),
                                sheet: String::new(),
                                message: format!(
                                    "the constituencies of {code} do not sum to its row in {}: inscrits {} vs {}, exprimés {} vs {}, votes by nuance {:?} vs {:?}",
                                    f.file.display(),
                                    s.inscrits,
                                    t.inscrits,
                                    s.exprimes,
                                    t.exprimes,
                                    s.voix,
                                    t.voix
                                ),
                            });
                        }
                    }
                    if let Some(code) = sums.keys().find(|c| !totaux.contains_key(*c)) {
                        return Err(EtlError::Coverage {
                            path: f.file.clone(),
                            sheet: String::new(),
                            message: format!(
                                "no row for {code}, which has constituencies in {}",
                                cf.file.display()
                            ),
                        });
                    }
                }
                ecarts.extend(f.ecarts.iter().cloned());
                totaux
            }
            None => match &circ_totaux {
                Some((f, sums)) => {
                    ecarts.extend(f.ecarts.iter().cloned());
                    sums.clone()
                }
                None => continue,
            },
        };
        if let (Some((f, _)), Some(_)) = (&circ_totaux, dep) {
            // The same differences, by constituency: where they are.
            ecarts.extend(f.ecarts.iter().cloned());
        }
        // Round 1 covers every constituency of the reference; round 2 only those where a seat
        // was still to fill.
        if scrutin.tour == 1 {
            let path = dep
                .or(circ)
                .map(|(_, f)| f.file.clone())
                .unwrap_or_default();
            let missing: Vec<&str> = reference
                .departements
                .iter()
                .filter(|d| !totaux.contains_key(&d.code))
                .map(|d| d.code_election.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(EtlError::Coverage {
                    path,
                    sheet: String::new(),
                    message: format!(
                        "no row for département(s) {} in round 1 of {}",
                        missing.join(", "),
                        scrutin.election()
                    ),
                });
            }
        }
        let type_code = scrutin.type_election.code().to_owned();
        for (code, t) in &totaux {
            data.participations.push(Participation {
                departement_code: code.clone(),
                type_election: type_code.clone(),
                annee: scrutin.annee,
                tour: scrutin.tour,
                inscrits: t.inscrits,
                abstentions: t.abstentions,
                votants: t.votants,
                blancs: t.blancs,
                nuls: t.nuls,
                exprimes: t.exprimes,
            });
            for (nuance, voix) in &t.voix {
                data.resultats_nuances.push(ResultatNuance {
                    departement_code: code.clone(),
                    type_election: type_code.clone(),
                    annee: scrutin.annee,
                    tour: scrutin.tour,
                    nuance: nuance.clone(),
                    voix: *voix,
                });
            }
        }
        if let Some((f, _)) = &circ_totaux
            && scrutin.type_election.a_des_sieges()
            && matches!(f.format, Format::CandidatsNuance | Format::Long)
        {
            for ((code, nuance), n) in sieges(reference, scrutin, f)? {
                data.sieges.push(Siege {
                    departement_code: code,
                    type_election: type_code.clone(),
                    annee: scrutin.annee,
                    tour: scrutin.tour,
                    nuance,
                    nombre: n,
                });
            }
        }
    }
    data.nuances = reference.nuances.clone();
    let key = |code: &str, t: &str, a: i32, tour: i32| (code.to_owned(), t.to_owned(), a, tour);
    data.participations.sort_by(|a, b| {
        key(&a.departement_code, &a.type_election, a.annee, a.tour).cmp(&key(
            &b.departement_code,
            &b.type_election,
            b.annee,
            b.tour,
        ))
    });
    data.resultats_nuances
        .sort_by(|a, b| cle_resultat(a).cmp(&cle_resultat(b)));
    data.sieges.sort_by(|a, b| cle_siege(a).cmp(&cle_siege(b)));
    Ok(ecarts)
}
