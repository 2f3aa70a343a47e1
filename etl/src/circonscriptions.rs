//! The 577 legislative constituencies as a level of their own.
//!
//! - **Codes**: the files write a constituency `01` + `01` (2022), `101` (2024 round 1),
//!   `0101` (2024 round 2), `ZZ09` (abroad), with département codes `1`, `01`, `ZA` or `971`;
//!   every one goes through the reference (`etl/reference/circonscriptions.csv`) to the
//!   canonical code: the département's election code and the number on two digits (`0101`,
//!   `2A01`, `ZA01`, `ZZ11`). A row the reference does not know stops the run at its line.
//! - **Rounds**: round 1 holds every constituency; round 2 exactly those round 1 left
//!   undecided (a row for a decided one stops the run at its line; a missing one names the
//!   constituency). The winners of both rounds must fill the 577 seats.
//! - **Winners**: the file's flag (2022, 2024); without one (2017), the most voted in round 2,
//!   and in round 1 a candidate with more than half the exprimés and a quarter of the inscrits.
//! - **Outlines**: `geo/france-circonscriptions-legislatives-2012.geojson` (ODbL), 566
//!   constituencies (the 11 of French people abroad have no territory), read, checked,
//!   projected and simplified by the same code as the départements' ([`crate::geo`],
//!   [`crate::carte`]), with queen neighbours.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use db::Scrutin;
use db::models::{
    CandidatureCirconscription, Circonscription, ContourCirconscription,
    ParticipationCirconscription, VoisinCirconscription,
};

use crate::dataset::Dataset;
use crate::error::EtlError;
use crate::excel::RawSource;
use crate::geo::{Couche, Outlines};
use crate::legislatives::{cell, departement, gagnant};
use crate::nuances::FichierNuances;
use crate::reference::{Entree, Reference};

/// The constituencies' outlines, under the raw folder.
pub const GEO_FILE: &str = "geo/france-circonscriptions-legislatives-2012.geojson";

pub const SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed(
        "the outlines of the legislative constituencies (GeoJSON, WGS84)",
    ),
    origin: std::borrow::Cow::Borrowed(
        "data.gouv.fr, 'Carte des circonscriptions législatives 2012 et 2017' (ODbL), as copied by the project carte-circonscriptions",
    ),
};

/// Seats of the National Assembly.
pub const SIEGES: usize = 577;

/// The département election code of the 11 constituencies of French people abroad: no
/// territory, no outline.
pub const HORS_DE_FRANCE: &str = "ZZ";

/// `33004` (département on 2 characters, number on 3) -> `3304`.
fn canonique(id: &str) -> Option<String> {
    let (dep, num) = (id.get(..2)?, id.get(2..)?);
    let n: u32 = num.parse().ok()?;
    Some(format!("{dep}{n:02}"))
}

/// Reads and checks the outlines of every constituency but those abroad, with their
/// neighbours.
pub fn read_outlines(path: &Path, reference: &Reference) -> Result<Outlines, EtlError> {
    let codes: BTreeMap<String, String> = reference
        .circonscriptions
        .iter()
        .filter(|c| !c.code.starts_with(HORS_DE_FRANCE))
        .map(|c| (c.code.clone(), c.departement_code.clone()))
        .collect();
    crate::geo::read_layer(
        path,
        &Couche {
            source: SOURCE,
            propriete: "ID",
            unite: "constituency",
            reference: "etl/reference/circonscriptions.csv",
            codes: &codes,
            canonique,
        },
    )
}

/// A presidential round held at both levels: each département's constituencies must sum to
/// its row of the workbook by candidate (registered, voters, valid votes, every candidate's
/// votes); an error names the constituency file and the département.
pub fn verifier_presidentielles(
    reference: &Reference,
    files: &[(Entree, FichierNuances)],
    data: &Dataset,
) -> Result<(), EtlError> {
    for (e, file) in files
        .iter()
        .filter(|(e, _)| e.niveau == "circonscription" && !e.scrutin.type_election.par_nuance())
    {
        let s = e.scrutin;
        let type_code = s.type_election.code();
        let du_scrutin =
            |t: &str, a: i32, tour: i32| t == type_code && a == s.annee && tour == s.tour;
        let departement_de: BTreeMap<&str, &str> = reference
            .circonscriptions
            .iter()
            .map(|c| (c.code.as_str(), c.departement_code.as_str()))
            .collect();
        // (département) -> [inscrits, votants, exprimés], and (département, candidate) -> votes.
        let mut comptes: BTreeMap<String, [i64; 3]> = BTreeMap::new();
        let mut voix: BTreeMap<(String, String), i64> = BTreeMap::new();
        for p in data
            .participations_circonscriptions
            .iter()
            .filter(|p| du_scrutin(&p.type_election, p.annee, p.tour))
        {
            let d = departement_de
                .get(p.circonscription_code.as_str())
                .copied()
                .unwrap_or_default();
            let c = comptes.entry(d.to_owned()).or_default();
            c[0] += p.inscrits;
            c[1] += p.votants;
            c[2] += p.exprimes;
        }
        for c in data
            .candidatures_circonscriptions
            .iter()
            .filter(|c| du_scrutin(&c.type_election, c.annee, c.tour))
        {
            let d = departement_de
                .get(c.circonscription_code.as_str())
                .copied()
                .unwrap_or_default();
            *voix.entry((d.to_owned(), c.candidat.clone())).or_default() += c.voix;
        }
        let mut attendus: BTreeMap<String, [i64; 3]> = BTreeMap::new();
        for p in data
            .participations
            .iter()
            .filter(|p| du_scrutin(&p.type_election, p.annee, p.tour))
        {
            attendus.insert(
                p.departement_code.clone(),
                [p.inscrits, p.votants, p.exprimes],
            );
        }
        let nom: BTreeMap<i32, String> = data
            .candidats
            .iter()
            .map(|c| (c.id, format!("{} {}", c.prenom, c.nom)))
            .collect();
        let mut voix_attendues: BTreeMap<(String, String), i64> = BTreeMap::new();
        for r in data
            .resultats
            .iter()
            .filter(|r| du_scrutin(&r.type_election, r.annee, r.tour))
        {
            let candidat = nom.get(&r.candidat_id).cloned().unwrap_or_default();
            voix_attendues.insert((r.departement_code.clone(), candidat), r.voix);
        }
        let erreur = |message: String| EtlError::Coverage {
            path: file.file.clone(),
            sheet: e.feuille.clone(),
            message,
        };
        if comptes != attendus {
            let (d, a, b) =
                attendus
                    .iter()
                    .map(|(d, a)| (d.clone(), *a, comptes.get(d).copied().unwrap_or_default()))
                    .chain(comptes.iter().map(|(d, b)| {
                        (d.clone(), attendus.get(d).copied().unwrap_or_default(), *b)
                    }))
                    .find(|(_, a, b)| a != b)
                    .unwrap_or_default();
            return Err(erreur(format!(
                "the constituencies of {d} do not sum to its row of {}: inscrits, votants, exprimés {b:?} vs {a:?}",
                s.id()
            )));
        }
        if let Some(((d, candidat), v)) = voix_attendues
            .iter()
            .find(|(k, v)| voix.get(*k) != Some(*v))
        {
            return Err(erreur(format!(
                "the constituencies of {d} give {candidat} {} votes in {}, its département row {v}",
                voix.get(&(d.clone(), candidat.clone()))
                    .copied()
                    .unwrap_or_default(),
                s.id()
            )));
        }
    }
    Ok(())
}

/// The outlines' rows: geometry and neighbours.
pub fn geometries(
    neighbours: Vec<(String, String)>,
    geometries: Vec<crate::carte::Geometry>,
    data: &mut Dataset,
) {
    data.contours_circonscriptions = geometries
        .into_iter()
        .map(|g| ContourCirconscription {
            circonscription_code: g.code,
            projection: g.projection.to_owned(),
            tolerance_m: g.tolerance,
            carte: g.carte,
            wgs84: g.wgs84,
            wgs84_simplifie: g.wgs84_simplifie,
        })
        .collect();
    data.contours_circonscriptions
        .sort_by(|a, b| a.circonscription_code.cmp(&b.circonscription_code));
    data.voisins_circonscriptions = neighbours
        .into_iter()
        .map(
            |(circonscription_code, voisin_code)| VoisinCirconscription {
                circonscription_code,
                voisin_code,
            },
        )
        .collect();
}

/// The reference constituency of a file's row, or an error at its line and code column.
fn de_la_ligne<'a>(
    reference: &'a Reference,
    file: &FichierNuances,
    row: u32,
    dep: &str,
    numero: Option<u32>,
) -> Result<&'a Circonscription, EtlError> {
    let d = departement(reference, dep).ok_or_else(|| EtlError::Cell {
        at: cell(file, row, file.code_column, "département"),
        message: format!("département code '{dep}' is not in etl/reference/departements.csv"),
    })?;
    let n = numero.unwrap_or(0);
    reference
        .circonscriptions
        .iter()
        .find(|c| c.departement_code == d.code && i64::from(c.numero) == i64::from(n))
        .ok_or_else(|| EtlError::Cell {
            at: cell(
                file,
                row,
                file.circonscription_column.unwrap_or(file.code_column),
                "circonscription",
            ),
            message: format!(
                "constituency {n} of {} ({}) is not in etl/reference/circonscriptions.csv",
                d.code, d.nom
            ),
        })
}

/// Adds the constituencies, their turnout and candidates of every round by constituency, and
/// checks the rounds (complete, round 2 exactly the undecided) and the seats (577).
pub fn assemble(
    reference: &Reference,
    files: &[(Entree, FichierNuances)],
    data: &mut Dataset,
) -> Result<(), EtlError> {
    data.circonscriptions = reference.circonscriptions.clone();
    let mut par_scrutin: Vec<(Scrutin, &FichierNuances)> = files
        .iter()
        .filter(|(e, _)| e.niveau == "circonscription")
        .map(|(e, f)| (e.scrutin, f))
        .collect();
    par_scrutin.sort_by_key(|(s, _)| *s);
    // Per election (type, year): the constituencies decided so far, and by which file.
    let mut decides: BTreeMap<(String, i32), BTreeSet<String>> = BTreeMap::new();
    let mut tours: BTreeMap<(String, i32), Vec<i32>> = BTreeMap::new();
    let toutes: BTreeSet<&str> = reference
        .circonscriptions
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    for (scrutin, file) in &par_scrutin {
        let type_code = scrutin.type_election.code().to_owned();
        let election = (type_code.clone(), scrutin.annee);
        let deja: BTreeSet<String> = decides.get(&election).cloned().unwrap_or_default();
        let tour_1_lu = tours
            .get(&election)
            .is_some_and(|t| t.contains(&1) && scrutin.tour == 2);
        let mut vus: BTreeSet<&str> = BTreeSet::new();
        for r in &file.rows {
            let c = de_la_ligne(reference, file, r.row, &r.departement, r.circonscription)?;
            if !vus.insert(c.code.as_str()) {
                return Err(EtlError::Cell {
                    at: cell(file, r.row, file.code_column, "circonscription"),
                    message: format!("constituency {} ({}) appears twice", c.code, c.nom),
                });
            }
            if scrutin.type_election.a_des_sieges() && deja.contains(&c.code) {
                return Err(EtlError::Cell {
                    at: cell(file, r.row, file.code_column, "circonscription"),
                    message: format!(
                        "constituency {} ({}) was won in round 1 of {}: round 2 holds only the undecided ones",
                        c.code,
                        c.nom,
                        scrutin.election()
                    ),
                });
            }
            data.participations_circonscriptions
                .push(ParticipationCirconscription {
                    circonscription_code: c.code.clone(),
                    type_election: type_code.clone(),
                    annee: scrutin.annee,
                    tour: scrutin.tour,
                    inscrits: r.inscrits,
                    abstentions: r.abstentions,
                    votants: r.votants,
                    blancs: r.blancs,
                    nuls: r.nuls,
                    exprimes: r.exprimes,
                });
            let elu = if scrutin.type_election.a_des_sieges() {
                gagnant(file, r, scrutin.tour)?
            } else {
                None
            };
            if elu.is_some() {
                decides
                    .entry(election.clone())
                    .or_default()
                    .insert(c.code.clone());
            }
            let par_nuance = scrutin.type_election.par_nuance();
            for (i, v) in r.voix.iter().enumerate() {
                let famille = if par_nuance {
                    reference
                        .nuances
                        .iter()
                        .find(|n| {
                            n.type_election == type_code
                                && n.annee == scrutin.annee
                                && n.code == v.nuance
                        })
                        .map(|n| n.famille_code.clone())
                        .ok_or_else(|| EtlError::Cell {
                            at: cell(file, r.row, v.column, "nuance"),
                            message: format!(
                                "nuance '{}' of {} has no family in etl/reference/nuances.csv",
                                v.nuance,
                                scrutin.election()
                            ),
                        })?
                } else {
                    // A presidential candidate: the surname stands in the nuance's place.
                    reference
                        .candidat(&v.nuance, &v.prenom)
                        .map(|c| c.famille_code.clone())
                        .ok_or_else(|| EtlError::Cell {
                            at: cell(file, r.row, v.column, "Nom"),
                            message: format!(
                                "candidate {} of {} is not in etl/reference/candidats.csv or candidats_2017.csv",
                                v.candidat,
                                scrutin.election()
                            ),
                        })?
                };
                data.candidatures_circonscriptions
                    .push(CandidatureCirconscription {
                        circonscription_code: c.code.clone(),
                        type_election: type_code.clone(),
                        annee: scrutin.annee,
                        tour: scrutin.tour,
                        rang: i32::try_from(i + 1).unwrap_or(i32::MAX),
                        candidat: if v.candidat.is_empty() {
                            v.nuance.clone()
                        } else {
                            v.candidat.clone()
                        },
                        nuance: par_nuance.then(|| v.nuance.clone()),
                        famille_code: famille,
                        voix: v.voix,
                        elu: elu == Some(i),
                    });
            }
        }
        // Which constituencies the round must hold.
        let attendues: BTreeSet<&str> = if scrutin.tour == 1 || !tour_1_lu {
            if scrutin.tour == 1 {
                toutes.clone()
            } else {
                vus.clone()
            }
        } else {
            toutes
                .iter()
                .copied()
                .filter(|c| !deja.contains(*c))
                .collect()
        };
        let manquantes: Vec<&str> = attendues.difference(&vus).copied().collect();
        if !manquantes.is_empty() {
            return Err(EtlError::Coverage {
                path: file.file.clone(),
                sheet: String::new(),
                message: format!(
                    "round {} of {} has no row for {} constituenc{} it must hold: {}{}",
                    scrutin.tour,
                    scrutin.election(),
                    manquantes.len(),
                    if manquantes.len() == 1 { "y" } else { "ies" },
                    manquantes
                        .iter()
                        .take(12)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if manquantes.len() > 12 { ", ..." } else { "" }
                ),
            });
        }
        tours
            .entry(election.clone())
            .or_default()
            .push(scrutin.tour);
        let complete = tours
            .get(&election)
            .is_some_and(|t| t.contains(&1) && t.contains(&2));
        if scrutin.type_election.a_des_sieges() && complete {
            let sieges = decides.get(&election).map_or(0, BTreeSet::len);
            if sieges != SIEGES {
                return Err(EtlError::Coverage {
                    path: file.file.clone(),
                    sheet: String::new(),
                    message: format!(
                        "the winners of {} fill {sieges} seats, not {SIEGES} (a constituency with no elected candidate, or a flag missing)",
                        scrutin.election()
                    ),
                });
            }
        }
    }
    let cle = |c: &str, t: &str, a: i32, tour: i32| (c.to_owned(), t.to_owned(), a, tour);
    data.participations_circonscriptions.sort_by(|a, b| {
        cle(&a.circonscription_code, &a.type_election, a.annee, a.tour).cmp(&cle(
            &b.circonscription_code,
            &b.type_election,
            b.annee,
            b.tour,
        ))
    });
    data.candidatures_circonscriptions.sort_by(|a, b| {
        (
            &a.circonscription_code,
            &a.type_election,
            a.annee,
            a.tour,
            a.rang,
        )
            .cmp(&(
                &b.circonscription_code,
                &b.type_election,
                b.annee,
                b.tour,
                b.rang,
            ))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_ids_become_canonical_codes() {
        assert_eq!(canonique("33004").as_deref(), Some("3304"));
        assert_eq!(canonique("2A001").as_deref(), Some("2A01"));
        assert_eq!(canonique("ZD007").as_deref(), Some("ZD07"));
        assert_eq!(canonique("59021").as_deref(), Some("5921"));
        assert_eq!(canonique("33"), None);
    }

    #[test]
    fn the_reference_holds_577_constituencies_11_abroad() {
        let r = Reference::embedded().unwrap();
        assert_eq!(r.circonscriptions.len(), SIEGES);
        assert_eq!(
            r.circonscriptions
                .iter()
                .filter(|c| c.code.starts_with(HORS_DE_FRANCE))
                .count(),
            11
        );
        let paris = r
            .circonscriptions
            .iter()
            .filter(|c| c.departement_code == "75")
            .count();
        assert_eq!(paris, 18);
    }
}
