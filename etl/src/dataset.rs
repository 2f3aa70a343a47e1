//! Joins the parsed raw files with the reference tables into the rows of the
//! database, checking that every code and candidate is known and that no
//! département is missing.

use std::collections::{BTreeMap, HashSet};

use db::models::{
    Candidat, Chomage, Contour, Departement, Election, Famille, IndicateurSocio, Nuance,
    Participation, Region, Resultat, ResultatNuance, Siege, SocioEconomie, Voisin,
};

use crate::chomage::{ChomageFile, Quarter};
use crate::elections::{self, ElectionFile};
use crate::error::EtlError;
use crate::reference::Reference;
use crate::socio::SocioFiles;

/// Everything the database holds, in primary-key order.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub regions: Vec<Region>,
    pub departements: Vec<Departement>,
    pub familles: Vec<Famille>,
    pub elections: Vec<Election>,
    pub candidats: Vec<Candidat>,
    pub participations: Vec<Participation>,
    pub resultats: Vec<Resultat>,
    pub chomage: Vec<Chomage>,
    pub indicateurs_socio: Vec<IndicateurSocio>,
    /// One row per (département, indicator), missing values as `None`.
    pub socio_economie: Vec<SocioEconomie>,
    /// Neighbouring départements, both ways, sorted (see [`crate::geo`]).
    pub voisins: Vec<Voisin>,
    /// The outline of each département, for maps and GIS tools (see [`crate::carte`]).
    pub contours: Vec<Contour>,
    /// The nuance grids of the elections by label (see [`crate::legislatives`]).
    pub nuances: Vec<Nuance>,
    pub resultats_nuances: Vec<ResultatNuance>,
    pub sieges: Vec<Siege>,
    /// The legislative constituencies (see [`crate::circonscriptions`]).
    pub circonscriptions: Vec<db::models::Circonscription>,
    pub participations_circonscriptions: Vec<db::models::ParticipationCirconscription>,
    pub candidatures_circonscriptions: Vec<db::models::CandidatureCirconscription>,
    pub contours_circonscriptions: Vec<db::models::ContourCirconscription>,
    pub voisins_circonscriptions: Vec<db::models::VoisinCirconscription>,
    /// Differences between label votes and `Exprimés` kept as published (not in the database).
    pub ecarts: Vec<String>,
}

impl Dataset {
    /// Départements (and other constituencies) with no unemployment rate for `quarter`.
    pub fn sans_chomage(&self, quarter: Quarter) -> Vec<&Departement> {
        let with: HashSet<&str> = self
            .chomage
            .iter()
            .filter(|c| c.annee == quarter.annee && c.trimestre == i32::from(quarter.trimestre))
            .map(|c| c.departement_code.as_str())
            .collect();
        self.departements
            .iter()
            .filter(|d| !with.contains(d.code.as_str()))
            .collect()
    }

    /// First and last quarter of the unemployment series.
    pub fn quarter_range(&self) -> Option<(Quarter, Quarter)> {
        let quarter = |c: &Chomage| Quarter {
            annee: c.annee,
            trimestre: u8::try_from(c.trimestre).unwrap_or(0),
        };
        let min = self.chomage.iter().map(quarter).min()?;
        let max = self.chomage.iter().map(quarter).max()?;
        Some((min, max))
    }
}

pub fn assemble(
    reference: &Reference,
    rounds: &[&ElectionFile],
    chomage: &ChomageFile,
    socio: &SocioFiles,
) -> Result<Dataset, EtlError> {
    let mut sexes: BTreeMap<i32, String> = BTreeMap::new();
    let mut participations = Vec::new();
    let mut resultats = Vec::new();
    for file in rounds {
        let mut present = HashSet::new();
        let mut in_file = HashSet::new();
        for row in &file.rows {
            let departement = reference
                .departement_by_election_code(&row.code)
                .ok_or_else(|| EtlError::Cell {
                    at: file.at(row.row, file.code_column, Some(elections::CODE)),
                    message: format!(
                        "département code '{}' is not in etl/reference/departements.csv",
                        row.code
                    ),
                })?;
            if row.libelle != departement.nom {
                return Err(EtlError::Cell {
                    at: file.at(row.row, file.libelle_column, Some(elections::LIBELLE)),
                    message: format!(
                        "name '{}' does not match '{}' for code {} in etl/reference/departements.csv",
                        row.libelle, departement.nom, row.code
                    ),
                });
            }
            present.insert(departement.code.clone());
            participations.push(Participation {
                departement_code: departement.code.clone(),
                type_election: db::TypeElection::Presidentielle.code().to_owned(),
                annee: file.annee,
                tour: file.tour,
                inscrits: row.count(elections::INSCRITS),
                abstentions: row.count(elections::ABSTENTIONS),
                votants: row.count(elections::VOTANTS),
                blancs: row.count(elections::BLANCS),
                nuls: row.count(elections::NULS),
                exprimes: row.count(elections::EXPRIMES),
            });
            for cell in &row.candidats {
                let candidat = reference
                    .candidat(&cell.nom, &cell.prenom)
                    .filter(|c| c.annees.contains(&file.annee))
                    .ok_or_else(|| EtlError::Cell {
                        at: file.at(row.row, cell.column + 1, Some("Nom")),
                        message: format!(
                            "candidate '{} {}' is not a {} candidate in etl/reference/{}",
                            cell.prenom,
                            cell.nom,
                            file.annee,
                            candidats_csv(file.annee)
                        ),
                    })?;
                in_file.insert(candidat.id);
                let known = sexes
                    .entry(candidat.id)
                    .or_insert_with(|| cell.sexe.clone());
                if *known != cell.sexe {
                    return Err(EtlError::Cell {
                        at: file.at(row.row, cell.column, Some("Sexe")),
                        message: format!(
                            "sex '{}' of {} {} differs from '{known}' on another row",
                            cell.sexe, cell.prenom, cell.nom
                        ),
                    });
                }
                resultats.push(Resultat {
                    departement_code: departement.code.clone(),
                    type_election: db::TypeElection::Presidentielle.code().to_owned(),
                    annee: file.annee,
                    tour: file.tour,
                    candidat_id: candidat.id,
                    voix: cell.voix,
                });
            }
        }
        let missing: Vec<&str> = reference
            .departements
            .iter()
            .filter(|d| !present.contains(&d.code))
            .map(|d| d.code_election.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(EtlError::Coverage {
                path: file.file.clone(),
                sheet: file.sheet.clone(),
                message: format!("no row for département(s) {}", missing.join(", ")),
            });
        }
        // Round 1 lists every candidate of the year.
        if let Some(absent) = reference
            .candidats
            .iter()
            .find(|c| file.tour == 1 && c.annees.contains(&file.annee) && !in_file.contains(&c.id))
        {
            return Err(EtlError::Coverage {
                path: file.file.clone(),
                sheet: file.sheet.clone(),
                message: format!(
                    "{} {} ({} candidate in etl/reference/{}) has no results",
                    absent.prenom,
                    absent.nom,
                    file.annee,
                    candidats_csv(file.annee)
                ),
            });
        }
    }

    let mut candidats = Vec::new();
    for c in &reference.candidats {
        let sexe = sexes.get(&c.id).ok_or_else(|| EtlError::Reference {
            path: format!("etl/reference/{}", candidats_csv(c.annees[0])),
            line: c.id as u64 + 1,
            message: format!(
                "candidate {} {} appears in no results file",
                c.prenom, c.nom
            ),
        })?;
        candidats.push(Candidat {
            id: c.id,
            nom: c.nom.clone(),
            prenom: c.prenom.clone(),
            sexe: sexe.clone(),
            famille_code: c.famille_code.clone(),
        });
    }

    let known: HashSet<&str> = reference
        .departements
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    let mut chomage_rows = Vec::new();
    for series in &chomage.series {
        if !known.contains(series.code.as_str()) {
            return Err(EtlError::Cell {
                at: crate::error::CellRef {
                    file: chomage.file.clone(),
                    sheet: chomage.sheet.clone(),
                    row: series.row + 1,
                    column: chomage.code_column,
                    header: Some(crate::chomage::CODE.into()),
                },
                message: format!(
                    "département code '{}' is not in etl/reference/departements.csv",
                    series.code
                ),
            });
        }
        chomage_rows.extend(series.values.iter().map(|(q, taux)| Chomage {
            departement_code: series.code.clone(),
            annee: q.annee,
            trimestre: i32::from(q.trimestre),
            taux: *taux,
        }));
    }

    let mut dataset = Dataset {
        regions: reference.regions.clone(),
        departements: reference.departements.clone(),
        familles: reference.familles.clone(),
        elections: reference.elections.clone(),
        candidats,
        participations,
        resultats,
        chomage: chomage_rows,
        indicateurs_socio: reference.indicateurs_socio.clone(),
        socio_economie: socio_rows(reference, socio)?,
        voisins: Vec::new(),
        contours: Vec::new(),
        nuances: Vec::new(),
        resultats_nuances: Vec::new(),
        sieges: Vec::new(),
        circonscriptions: Vec::new(),
        participations_circonscriptions: Vec::new(),
        candidatures_circonscriptions: Vec::new(),
        contours_circonscriptions: Vec::new(),
        voisins_circonscriptions: Vec::new(),
        ecarts: Vec::new(),
    };
    dataset.elections.sort_by_key(|e| e.scrutin());
    dataset.indicateurs_socio.sort_by_key(|i| i.ordre);
    dataset.regions.sort_by(|a, b| a.code.cmp(&b.code));
    dataset.departements.sort_by(|a, b| a.code.cmp(&b.code));
    dataset.participations.sort_by(|a, b| {
        (&a.departement_code, a.annee, a.tour).cmp(&(&b.departement_code, b.annee, b.tour))
    });
    dataset.resultats.sort_by(|a, b| {
        (&a.departement_code, a.annee, a.tour, a.candidat_id).cmp(&(
            &b.departement_code,
            b.annee,
            b.tour,
            b.candidat_id,
        ))
    });
    dataset.socio_economie.sort_by(|a, b| {
        (&a.departement_code, &a.indicateur).cmp(&(&b.departement_code, &b.indicateur))
    });
    dataset.chomage.sort_by(|a, b| {
        (&a.departement_code, a.annee, a.trimestre).cmp(&(
            &b.departement_code,
            b.annee,
            b.trimestre,
        ))
    });
    Ok(dataset)
}

/// The reference file listing a year's candidates.
fn candidats_csv(annee: i32) -> &'static str {
    if annee == 2017 {
        crate::reference::CANDIDATS_2017_CSV
    } else {
        crate::reference::CANDIDATS_CSV
    }
}

/// Every (département, indicator) pair, for the 101 départements: each source must have a
/// row for each of them (a value may still be missing), and no code unknown to the reference.
fn socio_rows(reference: &Reference, socio: &SocioFiles) -> Result<Vec<SocioEconomie>, EtlError> {
    let departements: Vec<&Departement> = reference
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .collect();
    for source in &socio.sources {
        if let Some((code, (row, column))) = source
            .rows
            .iter()
            .find(|(code, _)| !departements.iter().any(|d| &d.code == *code))
        {
            return Err(EtlError::Cell {
                at: crate::error::CellRef {
                    file: source.file.clone(),
                    sheet: source.sheet.clone(),
                    row: row + 1,
                    column: *column,
                    header: None,
                },
                message: format!(
                    "département code '{code}' is not a département of etl/reference/departements.csv"
                ),
            });
        }
        let missing: Vec<&str> = departements
            .iter()
            .filter(|d| !source.rows.contains_key(&d.code))
            .map(|d| d.code.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(EtlError::Coverage {
                path: source.file.clone(),
                sheet: source.sheet.clone(),
                message: format!("no row for département(s) {}", missing.join(", ")),
            });
        }
    }
    let known: HashSet<&str> = reference
        .indicateurs_socio
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    let mut rows = Vec::new();
    for v in &socio.valeurs {
        if !known.contains(v.indicateur) {
            return Err(EtlError::Reference {
                path: format!("etl/reference/{}", crate::reference::INDICATEURS_SOCIO_CSV),
                line: 1,
                message: format!("indicator '{}' is not listed", v.indicateur),
            });
        }
        rows.push(SocioEconomie {
            departement_code: v.code.clone(),
            indicateur: v.indicateur.to_owned(),
            annee: v.annee,
            source: v.source.to_owned(),
            valeur: v.valeur,
        });
    }
    Ok(rows)
}
