//! Reference tables the project authors itself (regions, départements, political
//! families, election rounds, candidates of each election and their family,
//! socio-economic indicators). They are committed CSVs under `etl/reference/`,
//! compiled into the binary, overridable with `--reference-dir`, and validated like raw data.

use std::collections::HashSet;
use std::path::Path;

use db::models::{
    Circonscription, Departement, Election, Famille, IndicateurSocio, Nuance, Region,
};
use db::{Scrutin, TypeElection};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::EtlError;

pub const REGIONS_CSV: &str = "regions.csv";
pub const DEPARTEMENTS_CSV: &str = "departements.csv";
pub const FAMILLES_CSV: &str = "familles.csv";
pub const ELECTIONS_CSV: &str = "elections.csv";
/// The 2022 candidates and their family.
pub const CANDIDATS_CSV: &str = "candidats.csv";
/// The 2017 candidates and their family.
pub const CANDIDATS_2017_CSV: &str = "candidats_2017.csv";
pub const INDICATEURS_SOCIO_CSV: &str = "indicateurs_socio.csv";
/// The nuance grid of each election by label, with the study's family of each nuance.
pub const NUANCES_CSV: &str = "nuances.csv";
/// The 577 legislative constituencies: canonical code, département, number, name.
pub const CIRCONSCRIPTIONS_CSV: &str = "circonscriptions.csv";

const EMBEDDED: [(&str, &str); 9] = [
    (REGIONS_CSV, include_str!("../reference/regions.csv")),
    (
        DEPARTEMENTS_CSV,
        include_str!("../reference/departements.csv"),
    ),
    (FAMILLES_CSV, include_str!("../reference/familles.csv")),
    (ELECTIONS_CSV, include_str!("../reference/elections.csv")),
    (CANDIDATS_CSV, include_str!("../reference/candidats.csv")),
    (
        CANDIDATS_2017_CSV,
        include_str!("../reference/candidats_2017.csv"),
    ),
    (
        INDICATEURS_SOCIO_CSV,
        include_str!("../reference/indicateurs_socio.csv"),
    ),
    (NUANCES_CSV, include_str!("../reference/nuances.csv")),
    (
        CIRCONSCRIPTIONS_CSV,
        include_str!("../reference/circonscriptions.csv"),
    ),
];

/// One row of the manifest (`elections.csv`): one round of one election at one level, with
/// its raw file and the file's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Entree {
    /// 1-based line in the manifest.
    pub line: u64,
    pub scrutin: Scrutin,
    /// `departement` or `circonscription`.
    pub niveau: String,
    /// `candidats` (the Ministry's candidate blocks, presidential), `nuances`,
    /// `candidats-nuance` or `long` (see [`crate::nuances`]).
    pub format: String,
    /// Columns per block (0 for the long layout).
    pub bloc: u32,
    /// Path under the raw folder.
    pub fichier: String,
    /// The sheet of a workbook; empty for the first.
    pub feuille: String,
    /// A sheet of the same workbook with the published national totals, checked; or empty.
    pub feuille_nationale: String,
    /// `ministere`: the round may be read from any of the Ministry's names of it
    /// (département, commune or polling-station level) in the raw folder, or the file the
    /// `--resultats-tN` flag names.
    pub variantes: String,
    pub source: String,
}

/// A candidate and their political family. Ids follow the lines of `candidats.csv` (2022),
/// then those of `candidats_2017.csv` for people who did not run in 2022: a person
/// standing in both elections is one candidate, with one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatRef {
    pub id: i32,
    pub nom: String,
    pub prenom: String,
    pub famille_code: String,
    /// Election years the candidate stood in, ascending.
    pub annees: Vec<i32>,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub regions: Vec<Region>,
    pub departements: Vec<Departement>,
    pub familles: Vec<Famille>,
    pub elections: Vec<Election>,
    /// The manifest, in file order.
    pub manifeste: Vec<Entree>,
    pub candidats: Vec<CandidatRef>,
    pub indicateurs_socio: Vec<IndicateurSocio>,
    /// Sorted by type, year, code.
    pub nuances: Vec<Nuance>,
    /// The legislative constituencies, sorted by code.
    pub circonscriptions: Vec<Circonscription>,
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
struct ElectionRow {
    type_election: String,
    annee: i32,
    tour: i32,
    date_scrutin: String,
    statut: String,
    source: String,
    niveau: String,
    format: String,
    bloc: u32,
    fichier: String,
    feuille: String,
    feuille_nationale: String,
    variantes: String,
}

#[derive(Deserialize)]
struct CirconscriptionRow {
    code: String,
    departement_code: String,
    numero: i32,
    nom: String,
}

#[derive(Deserialize)]
struct NuanceRow {
    type_election: String,
    annee: i32,
    code: String,
    libelle: String,
    famille_code: String,
}

/// The layouts the readers know, with the levels they give.
const FORMATS: [(&str, &str); 5] = [
    ("candidats", "departement"),
    ("nuances", "departement"),
    ("candidats-nuance", "circonscription"),
    ("long", "circonscription"),
    ("candidats-circonscription", "circonscription"),
];

#[derive(Deserialize)]
struct IndicateurRow {
    code: String,
    libelle: String,
    unite: String,
    ordre: i32,
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

/// One reference CSV: the path shown in errors, and its text.
type Text = (String, String);

impl Reference {
    /// The reference tables compiled into the binary.
    pub fn embedded() -> Result<Reference, EtlError> {
        Self::from_texts(
            EMBEDDED.map(|(name, text)| (format!("etl/reference/{name}"), text.to_owned())),
        )
    }

    /// The reference tables read from a directory holding the seven CSVs.
    pub fn from_dir(dir: &Path) -> Result<Reference, EtlError> {
        let mut texts = Vec::with_capacity(EMBEDDED.len());
        for (name, _) in EMBEDDED {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| EtlError::io(&path, e))?;
            texts.push((path.display().to_string(), text));
        }
        let texts: [Text; 9] = texts
            .try_into()
            .map_err(|_| EtlError::io(dir, std::io::Error::other("reference files")))?;
        Self::from_texts(texts)
    }

    fn from_texts(texts: [Text; 9]) -> Result<Reference, EtlError> {
        let [
            regions,
            departements,
            familles,
            elections,
            candidats,
            candidats_2017,
            indicateurs,
            nuances,
            circonscriptions,
        ] = texts;
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

        let election_rows: Vec<(u64, ElectionRow)> = parse(&elections.0, &elections.1)?;
        unique(
            &elections.0,
            election_rows.iter().map(|(l, e)| {
                (
                    *l,
                    format!("{}-{}-t{} {}", e.type_election, e.annee, e.tour, e.niveau),
                )
            }),
        )?;
        let mut manifeste = Vec::new();
        let mut rounds: Vec<Election> = Vec::new();
        for (line, e) in election_rows {
            let bad = |message: String| EtlError::Reference {
                path: elections.0.clone(),
                line,
                message,
            };
            let type_election = TypeElection::from_code(&e.type_election).ok_or_else(|| {
                bad(format!(
                    "type_election '{}' is not one of {}",
                    e.type_election,
                    TypeElection::ALL.map(TypeElection::code).join(", ")
                ))
            })?;
            if !(1..=2).contains(&e.tour) {
                return Err(bad(format!("tour {} is not 1 or 2", e.tour)));
            }
            if !FORMATS.contains(&(e.format.as_str(), e.niveau.as_str())) {
                return Err(bad(format!(
                    "format '{}' at level '{}' is not one the readers know: {}",
                    e.format,
                    e.niveau,
                    FORMATS
                        .iter()
                        .map(|(f, n)| format!("{f} ({n})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            let par_candidat = e.format == "candidats" || e.format == "candidats-circonscription";
            if par_candidat == type_election.par_nuance() {
                return Err(bad(format!(
                    "format '{}' does not fit a {} election ({})",
                    e.format,
                    type_election.code(),
                    if type_election.par_nuance() {
                        "results by nuance"
                    } else {
                        "results by candidate"
                    }
                )));
            }
            if e.fichier.trim().is_empty() || e.date_scrutin.len() != 10 {
                return Err(bad(
                    "fichier and date_scrutin (YYYY-MM-DD) are required".into()
                ));
            }
            let scrutin = Scrutin::de(type_election, e.annee, e.tour);
            match rounds.iter_mut().find(|r| r.scrutin() == Some(scrutin)) {
                Some(r) => {
                    if r.date_scrutin != e.date_scrutin
                        || r.statut != e.statut
                        || r.source != e.source
                    {
                        return Err(bad(format!(
                            "date, status and source of {scrutin} differ from its first row"
                        )));
                    }
                    r.niveaux = format!("{},{}", r.niveaux, e.niveau);
                }
                None => rounds.push(Election {
                    type_election: type_election.code().to_owned(),
                    annee: e.annee,
                    tour: e.tour,
                    date_scrutin: e.date_scrutin.clone(),
                    statut: e.statut.clone(),
                    niveaux: e.niveau.clone(),
                    source: e.source.clone(),
                }),
            }
            manifeste.push(Entree {
                line,
                scrutin,
                niveau: e.niveau,
                format: e.format,
                bloc: e.bloc,
                fichier: e.fichier,
                feuille: e.feuille,
                feuille_nationale: e.feuille_nationale,
                variantes: e.variantes,
                source: e.source,
            });
        }

        let nuance_rows: Vec<(u64, NuanceRow)> = parse(&nuances.0, &nuances.1)?;
        unique(
            &nuances.0,
            nuance_rows
                .iter()
                .map(|(l, n)| (*l, format!("{}-{} {}", n.type_election, n.annee, n.code))),
        )?;
        let mut nuances_ref = Vec::new();
        for (line, n) in nuance_rows {
            let bad = |message: String| EtlError::Reference {
                path: nuances.0.clone(),
                line,
                message,
            };
            if !famille_codes.contains(n.famille_code.as_str()) {
                return Err(bad(format!(
                    "famille_code '{}' is not in {}",
                    n.famille_code, familles.0
                )));
            }
            if !manifeste.iter().any(|m| {
                m.scrutin.type_election.code() == n.type_election && m.scrutin.annee == n.annee
            }) {
                return Err(bad(format!(
                    "no election {}-{} in {}",
                    n.type_election, n.annee, elections.0
                )));
            }
            nuances_ref.push(Nuance {
                type_election: n.type_election,
                annee: n.annee,
                code: n.code,
                libelle: n.libelle,
                famille_code: n.famille_code,
            });
        }
        nuances_ref.sort_by(|a, b| {
            (&a.type_election, a.annee, &a.code).cmp(&(&b.type_election, b.annee, &b.code))
        });

        let circonscription_rows: Vec<(u64, CirconscriptionRow)> =
            parse(&circonscriptions.0, &circonscriptions.1)?;
        unique(
            &circonscriptions.0,
            circonscription_rows
                .iter()
                .map(|(l, c)| (*l, c.code.clone())),
        )?;
        unique(
            &circonscriptions.0,
            circonscription_rows
                .iter()
                .map(|(l, c)| (*l, format!("{} {}", c.departement_code, c.numero))),
        )?;
        let mut circonscriptions_ref = Vec::new();
        for (line, c) in circonscription_rows {
            let bad = |message: String| EtlError::Reference {
                path: circonscriptions.0.clone(),
                line,
                message,
            };
            let Some(d) = dep_rows.iter().find(|(_, d)| d.code == c.departement_code) else {
                return Err(bad(format!(
                    "departement_code '{}' is not in {}",
                    c.departement_code, departements.0
                )));
            };
            let attendu = format!("{}{:02}", d.1.code_election, c.numero);
            if c.numero < 1 || c.code != attendu {
                return Err(bad(format!(
                    "code '{}' should be '{attendu}' (the département's election code and the number on two digits)",
                    c.code
                )));
            }
            circonscriptions_ref.push(Circonscription {
                code: c.code,
                departement_code: c.departement_code,
                numero: c.numero,
                nom: c.nom,
            });
        }
        circonscriptions_ref.sort_by(|a, b| a.code.cmp(&b.code));

        let mut merged: Vec<CandidatRef> = Vec::new();
        for (annee, file) in [(2022, &candidats), (2017, &candidats_2017)] {
            let rows: Vec<(u64, CandidatRow)> = parse(&file.0, &file.1)?;
            unique(
                &file.0,
                rows.iter()
                    .map(|(l, c)| (*l, format!("{} {}", c.prenom, c.nom))),
            )?;
            for (line, c) in rows {
                if !famille_codes.contains(c.famille_code.as_str()) {
                    return Err(EtlError::Reference {
                        path: file.0.clone(),
                        line,
                        message: format!(
                            "famille_code '{}' is not in {}",
                            c.famille_code, familles.0
                        ),
                    });
                }
                match merged
                    .iter_mut()
                    .find(|m| m.nom == c.nom && m.prenom == c.prenom)
                {
                    Some(m) if m.famille_code != c.famille_code => {
                        return Err(EtlError::Reference {
                            path: file.0.clone(),
                            line,
                            message: format!(
                                "{} {} is '{}' here but '{}' in {}: one candidate, one family",
                                c.prenom, c.nom, c.famille_code, m.famille_code, candidats.0
                            ),
                        });
                    }
                    Some(m) => m.annees.insert(0, annee),
                    None => merged.push(CandidatRef {
                        id: merged.len() as i32 + 1,
                        nom: c.nom,
                        prenom: c.prenom,
                        famille_code: c.famille_code,
                        annees: vec![annee],
                    }),
                }
            }
        }

        let indicateur_rows: Vec<(u64, IndicateurRow)> = parse(&indicateurs.0, &indicateurs.1)?;
        unique(
            &indicateurs.0,
            indicateur_rows.iter().map(|(l, i)| (*l, i.code.clone())),
        )?;

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
            elections: rounds,
            manifeste,
            nuances: nuances_ref,
            circonscriptions: circonscriptions_ref,
            candidats: merged,
            indicateurs_socio: indicateur_rows
                .into_iter()
                .map(|(_, i)| IndicateurSocio {
                    code: i.code,
                    libelle: i.libelle,
                    unite: i.unite,
                    ordre: i.ordre,
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
        // 12 in 2022, 11 in 2017, 7 of whom stood in both.
        assert_eq!(r.candidats.len(), 16);
        let both: Vec<&str> = r
            .candidats
            .iter()
            .filter(|c| c.annees == [2017, 2022])
            .map(|c| c.nom.as_str())
            .collect();
        assert_eq!(
            both,
            [
                "ARTHAUD",
                "MACRON",
                "LASSALLE",
                "LE PEN",
                "MÉLENCHON",
                "POUTOU",
                "DUPONT-AIGNAN"
            ]
        );
        assert_eq!(
            r.candidat("FILLON", "François").unwrap().famille_code,
            "droite"
        );
        assert_eq!(r.elections.len(), 10);
        // 10 rounds by département, 6 legislative and 3 presidential rounds by constituency.
        assert_eq!(r.manifeste.len(), 17);
        assert_eq!(r.indicateurs_socio.len(), 8);
        assert_eq!(r.familles.len(), 5);
        // The families are the vocabulary's.
        db::domaine::verifier_familles(
            r.familles
                .iter()
                .map(|f| (f.code.as_str(), f.libelle.as_str(), f.ordre)),
        )
        .unwrap();
        // Every nuance has a family of the vocabulary; the coalitions are where the study
        // puts them.
        assert!(
            r.nuances
                .iter()
                .all(|n| db::domaine::famille(&n.famille_code).is_some())
        );
        let famille = |annee: i32, code: &str| {
            r.nuances
                .iter()
                .find(|n| n.annee == annee && n.code == code)
                .map(|n| n.famille_code.as_str())
        };
        assert_eq!(famille(2022, "NUP"), Some("gauche"));
        assert_eq!(famille(2024, "UG"), Some("gauche"));
        assert_eq!(famille(2024, "UXD"), Some("extreme_droite"));
        assert_eq!(famille(2024, "REG"), Some("divers"));
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
                "POUTOU",
                "HAMON"
            ]
        );
    }

    fn texts_with(candidats: &str, candidats_2017: &str) -> Result<Reference, EtlError> {
        let mut texts = EMBEDDED.map(|(name, text)| (name.to_owned(), text.to_owned()));
        texts[4].1 = candidats.into();
        texts[5].1 = candidats_2017.into();
        Reference::from_texts(texts)
    }

    fn texts(candidats: &str) -> Result<Reference, EtlError> {
        texts_with(candidats, "nom,prenom,famille_code\n")
    }

    #[test]
    fn a_candidate_of_both_elections_keeps_one_family() {
        let err = texts_with(
            "nom,prenom,famille_code\nA,B,gauche\n",
            "nom,prenom,famille_code\nC,D,droite\nA,B,centre\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "candidats_2017.csv, line 3: B A is 'centre' here but 'gauche' in candidats.csv: \
             one candidate, one family"
        );
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
