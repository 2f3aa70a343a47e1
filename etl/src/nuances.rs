//! Results files given by political label (the Ministry's nuance), at département or
//! constituency level, read one row at a time through [`crate::sources`]. Three layouts, named
//! in the manifest (`etl/reference/elections.csv`, column `format`):
//!
//! - `nuances`: one row per département, fixed columns then one block per label (`Code Nuance`
//!   or `Nuance candidat N`, `Voix`, percentages, maybe `Sièges`);
//! - `candidats-nuance`: one row per constituency, then one block per candidate (panel number,
//!   name, nuance, votes, percentages, elected flag);
//! - `long`: one row per candidate of a constituency (`departement,circonscription,...,nuance,voix`).
//!
//! Columns are found by their headers, so the same code reads the 2017, 2022 and 2024 files;
//! the manifest's block width is checked against the header. Each row is checked: the
//! identities of the counts, the published percentages (`69,55` or `69,55%`), and the label
//! votes against `Exprimés` (differences of at most [`ECART_PUBLIE`] votes are the Ministry's
//! own and are kept and reported; larger ones stop the run).

use std::path::{Path, PathBuf};

use crate::error::EtlError;
use crate::excel::RawSource;
use crate::sources::{Encodage, Fault, Ligne, Source};

/// The largest difference between a row's label votes and its `Exprimés` kept as published
/// (reported as a warning): the Ministry's 2024 round-1 files differ by one or two votes in
/// four départements. Anything larger is a broken file.
pub const ECART_PUBLIE: i64 = 2;
/// Published percentages are rounded to two decimals.
const TOLERANCE: f64 = 0.01;

/// The layout of a file by label, as the manifest names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Nuances,
    CandidatsNuance,
    Long,
    /// A presidential round by constituency: candidate blocks without a nuance (`Sexe`, `Nom`,
    /// `Prénom`, `Voix`, ..., with or without `N°Panneau` first); the candidate's surname
    /// stands in the nuance's place and the family comes from the candidates' reference.
    CandidatsCirconscription,
}

impl Format {
    pub fn from_code(code: &str) -> Option<Format> {
        match code {
            "nuances" => Some(Format::Nuances),
            "candidats-nuance" => Some(Format::CandidatsNuance),
            "long" => Some(Format::Long),
            "candidats-circonscription" => Some(Format::CandidatsCirconscription),
            _ => None,
        }
    }
}

/// One label's (or candidate's) votes in a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Voix {
    /// 0-based column of the nuance cell (of the row, for the long layout).
    pub column: u32,
    pub nuance: String,
    pub voix: i64,
    /// Elected in this round (the file's flag; `None` when the file has none).
    pub elu: Option<bool>,
    /// `Prénom NOM` of a candidate (empty in a file by label).
    pub candidat: String,
    /// The first name alone (presidential files by constituency, to find the candidate).
    pub prenom: String,
}

/// A département's or constituency's row, counts checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Ligne2 {
    /// 0-based row of the first line of the unit.
    pub row: u32,
    /// The département code as written (`1`, `01`, `ZA`, `971`).
    pub departement: String,
    /// The constituency number within its département (constituency files only).
    pub circonscription: Option<u32>,
    pub inscrits: i64,
    pub abstentions: i64,
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
    pub voix: Vec<Voix>,
}

/// A file by label, read and checked.
#[derive(Debug, Clone)]
pub struct FichierNuances {
    pub file: PathBuf,
    pub format: Format,
    pub rows: Vec<Ligne2>,
    /// Rows whose label votes differ from `Exprimés` by at most [`ECART_PUBLIE`]: kept as
    /// published, reported by `etl`.
    pub ecarts: Vec<String>,
    /// 0-based column of the département code (for error messages).
    pub code_column: u32,
    /// 0-based column of the constituency code, where the file has one.
    pub circonscription_column: Option<u32>,
}

fn normal(header: &str) -> String {
    header.trim().to_lowercase()
}

/// The column whose header is one of `names` (case-insensitive).
fn colonne(headers: &[String], names: &[&str]) -> Option<u32> {
    headers
        .iter()
        .position(|h| names.iter().any(|n| normal(h) == *n))
        .and_then(|i| u32::try_from(i).ok())
}

struct Colonnes {
    departement: u32,
    circonscription: Option<u32>,
    inscrits: u32,
    abstentions: Option<u32>,
    votants: u32,
    blancs: u32,
    nuls: Option<u32>,
    exprimes: u32,
    /// (column, numerator, denominator) of the published rates.
    taux: Vec<(u32, &'static str, &'static str)>,
    /// First block: start and width; offsets of nuance, votes, % of exprimés, elected flag.
    debut: u32,
    largeur: u32,
    nuance: u32,
    voix: u32,
    pct_exprimes: Option<u32>,
    elu: Option<u32>,
    /// The candidate's surname and first name: offsets in a block, columns in the long layout.
    nom: Option<u32>,
    prenom: Option<u32>,
}

/// Rate headers of the Ministry's files (2022 and 2024 spellings) and what they divide.
const TAUX: [(&str, &str, &str); 16] = [
    ("% abs/ins", "abstentions", "inscrits"),
    ("% vot/ins", "votants", "inscrits"),
    ("% blancs/ins", "blancs", "inscrits"),
    ("% blancs/vot", "blancs", "votants"),
    ("% nuls/ins", "nuls", "inscrits"),
    ("% nuls/vot", "nuls", "votants"),
    ("% exp/ins", "exprimes", "inscrits"),
    ("% exp/vot", "exprimes", "votants"),
    ("% votants", "votants", "inscrits"),
    ("% abstentions", "abstentions", "inscrits"),
    ("% exprimés/inscrits", "exprimes", "inscrits"),
    ("% exprimés/votants", "exprimes", "votants"),
    ("% blancs/inscrits", "blancs", "inscrits"),
    ("% blancs/votants", "blancs", "votants"),
    ("% nuls/inscrits", "nuls", "inscrits"),
    ("% nuls/votants", "nuls", "votants"),
];

fn entete_erreur(file: &Path, message: String) -> EtlError {
    EtlError::Header {
        path: file.to_path_buf(),
        sheet: String::new(),
        row: 1,
        message,
    }
}

fn colonnes(
    file: &Path,
    headers: &[String],
    format: Format,
    largeur: u32,
) -> Result<Colonnes, EtlError> {
    let requise = |names: &[&str]| {
        colonne(headers, names).ok_or_else(|| EtlError::MissingColumn {
            path: file.to_path_buf(),
            sheet: String::new(),
            row: 1,
            column: names[0].to_owned(),
        })
    };
    let departement = requise(&["code du département", "code département", "departement"])?;
    let circonscription = colonne(
        headers,
        &[
            "code de la circonscription",
            "code circonscription législative",
            "circonscription",
        ],
    );
    match (format, circonscription) {
        (Format::Nuances, Some(c)) => {
            return Err(entete_erreur(
                file,
                format!(
                    "the manifest says this file is by département, but column {} is '{}': a constituency file",
                    crate::error::column_letter(c),
                    headers[c as usize]
                ),
            ));
        }
        (Format::CandidatsNuance | Format::Long | Format::CandidatsCirconscription, None) => {
            return Err(entete_erreur(
                file,
                "the manifest says this file is by constituency, but no column names the constituency ('Code de la circonscription', 'Code circonscription législative' or 'circonscription')".into(),
            ));
        }
        _ => {}
    }
    let taux = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let h = normal(h);
            TAUX.iter()
                .find(|(name, _, _)| *name == h)
                .and_then(|(_, n, d)| Some((u32::try_from(i).ok()?, *n, *d)))
        })
        .collect();
    let mut c = Colonnes {
        departement,
        circonscription,
        inscrits: requise(&["inscrits"])?,
        abstentions: colonne(headers, &["abstentions"]),
        votants: requise(&["votants"])?,
        blancs: requise(&["blancs"])?,
        nuls: colonne(headers, &["nuls"]),
        exprimes: requise(&["exprimés", "exprimes"])?,
        taux,
        debut: 0,
        largeur,
        nuance: 0,
        voix: 0,
        pct_exprimes: None,
        elu: None,
        nom: None,
        prenom: None,
    };
    if format == Format::Long {
        c.nuance = requise(&["nuance"])?;
        c.voix = requise(&["voix"])?;
        c.nom = colonne(headers, &["nom"]);
        c.prenom = colonne(headers, &["prenom", "prénom"]);
        return Ok(c);
    }
    // The first block starts at its first header; every header of it is named.
    let debut_noms: &[&str] = match format {
        Format::Nuances => &["code nuance", "nuance candidat 1"],
        Format::CandidatsCirconscription => &["n°panneau", "sexe"],
        _ => &["n°panneau", "numéro de panneau 1"],
    };
    let debut = colonne(headers, debut_noms).ok_or_else(|| {
        entete_erreur(
            file,
            format!(
                "no first block: expected a column named {} for format '{}'",
                debut_noms.join(" or "),
                match format {
                    Format::Nuances => "nuances",
                    _ => "candidats-nuance",
                }
            ),
        )
    })?;
    let bloc: Vec<String> = (debut..debut + largeur)
        .map(|i| {
            headers
                .get(i as usize)
                .map(|h| normal(h))
                .unwrap_or_default()
        })
        .collect();
    let dans_bloc = |pred: &dyn Fn(&str) -> bool| {
        bloc.iter()
            .position(|h| pred(h))
            .and_then(|i| u32::try_from(i).ok())
    };
    c.debut = debut;
    let nuance: &dyn Fn(&str) -> bool = if format == Format::CandidatsCirconscription {
        // No nuance: the surname marks a candidate's block.
        &|h: &str| h == "nom"
    } else {
        &|h: &str| h.contains("nuance")
    };
    c.nuance = dans_bloc(nuance).ok_or_else(|| {
        entete_erreur(file, format!("the first block ({largeur} columns from the manifest) has no nuance column: {bloc:?}"))
    })?;
    c.voix = dans_bloc(&|h: &str| h.starts_with("voix")).ok_or_else(|| {
        entete_erreur(file, format!("the first block ({largeur} columns from the manifest) has no 'Voix' column: {bloc:?}"))
    })?;
    c.pct_exprimes = dans_bloc(&|h: &str| h.starts_with("% voix/exp"));
    c.elu = dans_bloc(&|h: &str| h.starts_with("sièges") || h.starts_with("elu"));
    c.nom = dans_bloc(&|h: &str| h == "nom" || h.starts_with("nom candidat"));
    c.prenom = dans_bloc(&|h: &str| h == "prénom" || h.starts_with("prénom candidat"));
    // The next block must start right after: named like the first (2024) or unnamed (2022).
    if let Some(suivant) = headers.get((debut + largeur) as usize) {
        let suivant = normal(suivant);
        let attendu = bloc.first().cloned().unwrap_or_default();
        let meme = suivant
            .trim_end_matches(|ch: char| ch.is_ascii_digit())
            .trim_end()
            == attendu
                .trim_end_matches(|ch: char| ch.is_ascii_digit())
                .trim_end();
        if !suivant.is_empty() && !meme {
            return Err(entete_erreur(
                file,
                format!(
                    "the manifest's block width {largeur} does not fit this file: column {} is '{suivant}' where the second block should start like '{attendu}'",
                    crate::error::column_letter(debut + largeur)
                ),
            ));
        }
    }
    Ok(c)
}

/// `Prénom NOM` from the name columns of a row (empty without them).
fn candidat(ligne: &Ligne<'_>, prenom: Option<u32>, nom: Option<u32>) -> Result<String, Fault> {
    let mut parts = Vec::new();
    for col in [prenom, nom].into_iter().flatten() {
        if let Some(t) = ligne.texte(col, None)? {
            let t = t.trim();
            if !t.is_empty() {
                parts.push(t.to_owned());
            }
        }
    }
    Ok(parts.join(" "))
}

/// `69,55`, `69.55` or `69,55%` as a number.
fn pourcentage(ligne: &Ligne<'_>, column: u32, header: &str) -> Result<Option<f64>, Fault> {
    let Some(text) = ligne.texte(column, Some(header))? else {
        return Ok(None);
    };
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    t.parse::<f64>().map(Some).map_err(|_| {
        Fault::new(
            column,
            Some(header),
            format!("'{text}' is not a percentage"),
        )
    })
}

fn rate(n: i64, d: i64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64 * 100.0
    }
}

/// The text of a cell, empty when absent.
fn texte_de(ligne: &Ligne<'_>, column: Option<u32>) -> Result<String, Fault> {
    Ok(match column {
        Some(col) => ligne
            .texte(col, None)?
            .map(|t| t.trim().to_owned())
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Reads a file by label. `source` names it in a missing-file error; `feuille` names the
/// workbook's sheet (empty: the first sheet, or a text file).
pub fn read(
    path: &Path,
    format: Format,
    largeur: u32,
    feuille: &str,
    source: RawSource,
) -> Result<FichierNuances, EtlError> {
    let mut src = if feuille.is_empty() {
        Source::open(path, Encodage::Auto, source)?
    } else {
        Source::from_sheet(crate::excel::Sheet::open(
            path,
            crate::excel::SheetChoice::Named(feuille),
            source,
        )?)
    };
    let position = src.position().clone();
    let mut headers: Option<Vec<String>> = None;
    let mut cols: Option<Colonnes> = None;
    let mut rows: Vec<Ligne2> = Vec::new();
    let mut ecarts = Vec::new();
    src.each(&mut |ligne: Ligne<'_>| {
        let Some(c) = &cols else {
            // The Ministry's workbooks by constituency open with title rows of one cell.
            let remplies = (0..ligne.len())
                .filter(|&i| ligne.texte(i, None).ok().flatten().is_some_and(|t| !t.trim().is_empty()))
                .count();
            if format == Format::CandidatsCirconscription && remplies <= 1 {
                return Ok(());
            }
            let h: Vec<String> = (0..ligne.len())
                .map(|i| {
                    ligne
                        .texte(i, None)
                        .map(|t| t.map(|t| t.into_owned()).unwrap_or_default())
                })
                .collect::<Result<_, _>>()
                .map_err(|f| position.at(ligne.index, f))?;
            cols = Some(colonnes(path, &h, format, largeur)?);
            headers = Some(h);
            return Ok(());
        };
        let at = |f: Fault| position.at(ligne.index, f);
        let h = |i: u32| -> String {
            headers
                .as_ref()
                .and_then(|h| h.get(i as usize).cloned())
                .unwrap_or_default()
        };
        let entier = |i: u32| ligne.entier(i, Some(&h(i))).map_err(at);
        let departement = ligne
            .texte_requis(c.departement, Some(&h(c.departement)))
            .map_err(at)?
            .trim()
            .to_owned();
        let circonscription = match c.circonscription {
            None => None,
            Some(col) => {
                let text = ligne.texte_requis(col, Some(&h(col))).map_err(at)?;
                // `01`, `1`, `101`, `0101`, `ZZ09`: the number is the last two digits.
                let digits: String = text.chars().rev().take_while(char::is_ascii_digit).collect();
                let digits: String = digits.chars().rev().collect();
                let tail = &digits[digits.len().saturating_sub(2)..];
                Some(tail.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    at(Fault::new(col, Some(&h(col)), format!("'{text}' is not a constituency code")))
                })?)
            }
        };
        let inscrits = entier(c.inscrits)?;
        let votants = entier(c.votants)?;
        let blancs = entier(c.blancs)?;
        let exprimes = entier(c.exprimes)?;
        let abstentions = match c.abstentions {
            Some(col) => entier(col)?,
            None => inscrits - votants,
        };
        let nuls = match c.nuls {
            Some(col) => entier(col)?,
            None => votants - blancs - exprimes,
        };
        if inscrits != abstentions + votants {
            return Err(at(Fault::new(
                c.votants,
                Some(&h(c.votants)),
                format!("Inscrits {inscrits} is not Abstentions {abstentions} + Votants {votants}"),
            )));
        }
        if nuls < 0 || votants != blancs + nuls + exprimes {
            return Err(at(Fault::new(
                c.exprimes,
                Some(&h(c.exprimes)),
                format!("Votants {votants} is not Blancs {blancs} + Nuls {nuls} + Exprimés {exprimes}"),
            )));
        }
        let valeur = |nom: &str| match nom {
            "inscrits" => inscrits,
            "abstentions" => abstentions,
            "votants" => votants,
            "blancs" => blancs,
            "nuls" => nuls,
            _ => exprimes,
        };
        for (col, n, d) in &c.taux {
            if let Some(publie) = pourcentage(&ligne, *col, &h(*col)).map_err(at)? {
                let calcule = rate(valeur(n), valeur(d));
                if (publie - calcule).abs() > TOLERANCE + 1e-9 {
                    return Err(at(Fault::new(
                        *col,
                        Some(&h(*col)),
                        format!("published {publie} but the counts give {calcule:.4}"),
                    )));
                }
            }
        }
        let mut voix = Vec::new();
        if format == Format::Long {
            let nuance = ligne.texte_requis(c.nuance, Some("nuance")).map_err(at)?.into_owned();
            voix.push(Voix {
                column: c.nuance,
                nuance,
                voix: entier(c.voix)?,
                elu: None,
                candidat: candidat(&ligne, c.prenom, c.nom).map_err(at)?,
                prenom: texte_de(&ligne, c.prenom).map_err(at)?,
            });
        } else {
            let mut debut = c.debut;
            while debut < ligne.len() {
                let col = debut + c.nuance;
                if let Some(nuance) = ligne.texte(col, None).map_err(at)? {
                    let v = ligne.entier(debut + c.voix, Some("Voix")).map_err(at)?;
                    let publie = match c.pct_exprimes {
                        Some(p) => pourcentage(&ligne, debut + p, "% Voix/Exp")
                            .map_err(at)?
                            .map(|v| (p, v)),
                        None => None,
                    };
                    if let Some((p, publie)) = publie {
                        let calcule = rate(v, exprimes);
                        if (publie - calcule).abs() > TOLERANCE + 1e-9 {
                            return Err(at(Fault::new(
                                debut + p,
                                Some("% Voix/Exp"),
                                format!(
                                    "published {publie} but {v} of {exprimes} exprimés is {calcule:.4}"
                                ),
                            )));
                        }
                    }
                    let elu = match (format, c.elu) {
                        (Format::CandidatsNuance, Some(e)) => Some(
                            ligne
                                .texte(debut + e, None)
                                .map_err(at)?
                                .is_some_and(|t| !t.trim().is_empty() && t.trim() != "0" && t.trim() != "00"),
                        ),
                        _ => None,
                    };
                    voix.push(Voix {
                        column: col,
                        nuance: nuance.trim().to_owned(),
                        voix: v,
                        elu,
                        candidat: candidat(
                            &ligne,
                            c.prenom.map(|o| debut + o),
                            c.nom.map(|o| debut + o),
                        )
                        .map_err(at)?,
                        prenom: texte_de(&ligne, c.prenom.map(|o| debut + o)).map_err(at)?,
                    });
                }
                debut += c.largeur;
            }
        }
        // The long layout: a unit's rows follow each other; merge them.
        if format == Format::Long
            && let Some(last) = rows.last_mut()
            && last.departement == departement
            && last.circonscription == circonscription
        {
            if (last.inscrits, last.votants, last.blancs, last.exprimes) != (inscrits, votants, blancs, exprimes) {
                return Err(at(Fault::new(
                    c.inscrits,
                    Some(&h(c.inscrits)),
                    format!("the counts differ from the constituency's first row (line {})", last.row + 1),
                )));
            }
            last.voix.extend(voix);
            return Ok(());
        }
        if format != Format::Long {
            verifier_somme(&position.file, ligne.index, c.exprimes, exprimes, &voix, &mut ecarts)?;
        }
        rows.push(Ligne2 {
            row: ligne.index,
            departement,
            circonscription,
            inscrits,
            abstentions,
            votants,
            blancs,
            nuls,
            exprimes,
            voix,
        });
        Ok(())
    })?;
    if cols.is_none() {
        return Err(entete_erreur(path, "the file is empty: no header".into()));
    }
    if format == Format::Long {
        for r in &rows {
            verifier_somme(&position.file, r.row, 0, r.exprimes, &r.voix, &mut ecarts)?;
        }
    }
    Ok(FichierNuances {
        file: path.to_path_buf(),
        format,
        rows,
        ecarts,
        code_column: cols.as_ref().map_or(0, |c| c.departement),
        circonscription_column: cols.as_ref().and_then(|c| c.circonscription),
    })
}

fn verifier_somme(
    file: &Path,
    row: u32,
    column: u32,
    exprimes: i64,
    voix: &[Voix],
    ecarts: &mut Vec<String>,
) -> Result<(), EtlError> {
    let somme: i64 = voix.iter().map(|v| v.voix).sum();
    let ecart = somme - exprimes;
    if ecart == 0 {
        return Ok(());
    }
    let message = format!(
        "{}, line {}: the label votes sum to {somme}, Exprimés is {exprimes} ({ecart:+})",
        file.display(),
        row + 1
    );
    if ecart.abs() <= ECART_PUBLIE {
        ecarts.push(message);
        Ok(())
    } else {
        Err(EtlError::Cell {
            at: crate::error::CellRef {
                file: file.to_path_buf(),
                sheet: String::new(),
                row: row + 1,
                column,
                header: Some("Exprimés".into()),
            },
            message: format!(
                "the label votes sum to {somme}, not Exprimés {exprimes} ({ecart:+}, more than the {ECART_PUBLIE} votes kept as published)"
            ),
        })
    }
}

/// The elected candidate's index in a constituency's row, for files without a flag: in
/// round 2 the most voted; in round 1 a candidate with more than half the exprimés and at
/// least a quarter of the inscrits (electoral code, art. L126).
pub fn elu_sans_drapeau(row: &Ligne2, tour: i32) -> Option<usize> {
    let (i, best) = row
        .voix
        .iter()
        .enumerate()
        .fold(None::<(usize, &Voix)>, |acc, (i, v)| match acc {
            Some((_, b)) if b.voix >= v.voix => acc,
            _ => Some((i, v)),
        })?;
    if tour >= 2 || (best.voix * 2 > row.exprimes && best.voix * 4 >= row.inscrits) {
        Some(i)
    } else {
        None
    }
}
