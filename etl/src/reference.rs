//! Reference tables the project authors itself (regions, départements, political
//! families, rounds, candidates). They are committed CSVs under `etl/reference/`,
//! compiled into the binary, overridable with `--reference-dir`, and validated like raw data.

use std::collections::HashSet;
use std::path::Path;

use db::models::{Departement, Famille, Region, Tour};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::EtlError;

pub const REGIONS_CSV: &str = "regions.csv";
pub const DEPARTEMENTS_CSV: &str = "departements.csv";
pub const FAMILLES_CSV: &str = "familles.csv";
pub const TOURS_CSV: &str = "tours.csv";
pub const CANDIDATS_CSV: &str = "candidats.csv";

const EMBEDDED: [(&str, &str); 5] = [
    (REGIONS_CSV, include_str!("../reference/regions.csv")),
    (
        DEPARTEMENTS_CSV,
        include_str!("../reference/departements.csv"),
    ),
    (FAMILLES_CSV, include_str!("../reference/familles.csv")),
    (TOURS_CSV, include_str!("../reference/tours.csv")),
    (CANDIDATS_CSV, include_str!("../reference/candidats.csv")),
];

/// A candidate and their political family; the id is the 1-based line order of `candidats.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatRef {
    pub id: i32,
    pub nom: String,
    pub prenom: String,
    pub famille_code: String,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub regions: Vec<Region>,
    pub departements: Vec<Departement>,
    pub familles: Vec<Famille>,
    pub tours: Vec<Tour>,
    pub candidats: Vec<CandidatRef>,
}

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct DepartementRow {
    code: String,
    code_election: String,
    nom: String,
    region_code: String,
    est_departement: bool,
}

#[derive(Deserialize)]
struct FamilleRow {
    code: String,
    libelle: String,
    ordre: i32,
}

#[derive(Deserialize)]
struct TourRow {
    numero: i32,
    date_scrutin: String,
}

#[derive(Deserialize)]
struct CandidatRow {
    nom: String,
    prenom: String,
    famille_code: String,
}

/// Rows of one CSV, each with its 1-based line number (the header is line 1).
fn parse<T: DeserializeOwned>(path: &str, text: &str) -> Result<Vec<(u64, T)>, EtlError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<T>().enumerate() {
        let line = index as u64 + 2;
        let row = record.map_err(|e| EtlError::Reference {
            path: path.to_owned(),
            line: e.position().map_or(line, |p| p.line()),
            message: e.to_string(),
        })?;
        rows.push((line, row));
    }
    Ok(rows)
}

fn unique(path: &str, keys: impl Iterator<Item = (u64, String)>) -> Result<(), EtlError> {
    let mut seen = HashSet::new();
    for (line, key) in keys {
        if key.trim().is_empty() || key.trim() != key {
            return Err(EtlError::Reference {
                path: path.to_owned(),
                line,
                message: format!("key '{key}' is empty or has surrounding spaces"),
            });
        }
        if !seen.insert(key.clone()) {
            return Err(EtlError::Reference {
                path: path.to_owned(),
                line,
                message: format!("duplicate key '{key}'"),
            });
        }
    }
    Ok(())
}

impl Reference {
    /// The reference tables compiled into the binary.
    pub fn embedded() -> Result<Reference, EtlError> {
        let [regions, departements, familles, tours, candidats] = EMBEDDED;
        Self::from_texts(
            (format!("etl/reference/{}", regions.0), regions.1.to_owned()),
            (
                format!("etl/reference/{}", departements.0),
                departements.1.to_owned(),
            ),
            (
                format!("etl/reference/{}", familles.0),
                familles.1.to_owned(),
            ),
            (format!("etl/reference/{}", tours.0), tours.1.to_owned()),
            (
                format!("etl/reference/{}", candidats.0),
                candidats.1.to_owned(),
            ),
        )
    }

    /// The reference tables read from a directory holding the five CSVs.
    pub fn from_dir(dir: &Path) -> Result<Reference, EtlError> {
        let load = |name: &str| -> Result<(String, String), EtlError> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| EtlError::io(&path, e))?;
            Ok((path.display().to_string(), text))
        };
        Self::from_texts(
            load(REGIONS_CSV)?,
            load(DEPARTEMENTS_CSV)?,
            load(FAMILLES_CSV)?,
            load(TOURS_CSV)?,
            load(CANDIDATS_CSV)?,
        )
    }

    fn from_texts(
        regions: (String, String),
        departements: (String, String),
        familles: (String, String),
        tours: (String, String),
        candidats: (String, String),
    ) -> Result<Reference, EtlError> {
        let region_rows: Vec<(u64, RegionRow)> = parse(&regions.0, &regions.1)?;
        unique(
            &regions.0,
            region_rows.iter().map(|(l, r)| (*l, r.code.clone())),
        )?;
        let region_codes: HashSet<&str> =
            region_rows.iter().map(|(_, r)| r.code.as_str()).collect();

        let dep_rows: Vec<(u64, DepartementRow)> = parse(&departements.0, &departements.1)?;
        unique(
            &departements.0,
            dep_rows.iter().map(|(l, d)| (*l, d.code.clone())),
        )?;
        unique(
            &departements.0,
            dep_rows.iter().map(|(l, d)| (*l, d.code_election.clone())),
        )?;
        if let Some((line, d)) = dep_rows
            .iter()
            .find(|(_, d)| !region_codes.contains(d.region_code.as_str()))
        {
            return Err(EtlError::Reference {
                path: departements.0.clone(),
                line: *line,
                message: format!("region_code '{}' is not in {}", d.region_code, regions.0),
            });
        }

        let famille_rows: Vec<(u64, FamilleRow)> = parse(&familles.0, &familles.1)?;
        unique(
            &familles.0,
            famille_rows.iter().map(|(l, f)| (*l, f.code.clone())),
        )?;
        unique(
            &familles.0,
            famille_rows.iter().map(|(l, f)| (*l, f.ordre.to_string())),
        )?;
        let famille_codes: HashSet<&str> =
            famille_rows.iter().map(|(_, f)| f.code.as_str()).collect();

        let tour_rows: Vec<(u64, TourRow)> = parse(&tours.0, &tours.1)?;
        unique(
            &tours.0,
            tour_rows.iter().map(|(l, t)| (*l, t.numero.to_string())),
        )?;

        let candidat_rows: Vec<(u64, CandidatRow)> = parse(&candidats.0, &candidats.1)?;
        unique(
            &candidats.0,
            candidat_rows
                .iter()
                .map(|(l, c)| (*l, format!("{} {}", c.prenom, c.nom))),
        )?;
        if let Some((line, c)) = candidat_rows
            .iter()
            .find(|(_, c)| !famille_codes.contains(c.famille_code.as_str()))
        {
            return Err(EtlError::Reference {
                path: candidats.0.clone(),
                line: *line,
                message: format!("famille_code '{}' is not in {}", c.famille_code, familles.0),
            });
        }

        Ok(Reference {
            regions: region_rows
                .into_iter()
                .map(|(_, r)| Region {
                    code: r.code,
                    nom: r.nom,
                })
                .collect(),
            departements: dep_rows
                .into_iter()
                .map(|(_, d)| Departement {
                    code: d.code,
                    code_election: d.code_election,
                    nom: d.nom,
                    region_code: d.region_code,
                    est_departement: d.est_departement,
                })
                .collect(),
            familles: famille_rows
                .into_iter()
                .map(|(_, f)| Famille {
                    code: f.code,
                    libelle: f.libelle,
                    ordre: f.ordre,
                })
                .collect(),
            tours: tour_rows
                .into_iter()
                .map(|(_, t)| Tour {
                    numero: t.numero,
                    date_scrutin: t.date_scrutin,
                })
                .collect(),
            candidats: candidat_rows
                .into_iter()
                .enumerate()
                .map(|(i, (_, c))| CandidatRef {
                    id: i as i32 + 1,
                    nom: c.nom,
                    prenom: c.prenom,
                    famille_code: c.famille_code,
                })
                .collect(),
        })
    }

    pub fn departement_by_election_code(&self, code: &str) -> Option<&Departement> {
        self.departements.iter().find(|d| d.code_election == code)
    }

    pub fn candidat(&self, nom: &str, prenom: &str) -> Option<&CandidatRef> {
        self.candidats
            .iter()
            .find(|c| c.nom == nom && c.prenom == prenom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_is_valid_and_complete() {
        let r = Reference::embedded().unwrap();
        assert_eq!(r.departements.len(), 107);
        assert_eq!(
            r.departements.iter().filter(|d| d.est_departement).count(),
            101
        );
        assert_eq!(r.candidats.len(), 12);
        assert_eq!(r.familles.len(), 4);
        let hdf: Vec<&str> = r
            .departements
            .iter()
            .filter(|d| d.region_code == "32")
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(hdf, ["02", "59", "60", "62", "80"]);
        assert_eq!(r.departement_by_election_code("ZA").unwrap().code, "971");
        assert_eq!(
            r.candidat("LE PEN", "Marine").unwrap().famille_code,
            "extreme_droite"
        );
        let gauche: Vec<&str> = r
            .candidats
            .iter()
            .filter(|c| c.famille_code == "gauche")
            .map(|c| c.nom.as_str())
            .collect();
        assert_eq!(
            gauche,
            [
                "ARTHAUD",
                "ROUSSEL",
                "MÉLENCHON",
                "HIDALGO",
                "JADOT",
                "POUTOU"
            ]
        );
    }

    fn texts(candidats: &str) -> Result<Reference, EtlError> {
        let [r, d, f, t, _] = EMBEDDED;
        Reference::from_texts(
            ("regions.csv".into(), r.1.into()),
            ("departements.csv".into(), d.1.into()),
            ("familles.csv".into(), f.1.into()),
            ("tours.csv".into(), t.1.into()),
            ("candidats.csv".into(), candidats.into()),
        )
    }

    #[test]
    fn unknown_family_names_file_and_line() {
        let err = texts("nom,prenom,famille_code\nA,B,gauche\nC,D,ecolo\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "candidats.csv, line 3: famille_code 'ecolo' is not in familles.csv"
        );
    }

    #[test]
    fn duplicate_candidate_is_rejected() {
        let err = texts("nom,prenom,famille_code\nA,B,gauche\nA,B,centre\n").unwrap_err();
        assert!(
            err.to_string().contains("line 3: duplicate key 'B A'"),
            "{err}"
        );
    }
}
