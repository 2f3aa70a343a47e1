//! The Ministry's results files (one per round): the columns' names, the election
//! files' sources, the published national totals, and [`read`], which hands the file to
//! the streaming reader of [`crate::resultats`].

use std::path::{Path, PathBuf};

use crate::error::{CellRef, EtlError};
use crate::excel::{RawSource, Sheet, SheetChoice};
use crate::resultats::{self, CommuneRow, Niveau};
use crate::sources::{Encodage, Source};

pub const CODE: &str = "Code du département";
pub const LIBELLE: &str = "Libellé du département";
/// Present, with [`BUREAU`], in files by polling station (and alone in files by commune):
/// each row is checked, then added to its département and commune as it is read.
pub const COMMUNE: &str = "Code de la commune";
pub const BUREAU: &str = "Code du b.vote";
pub const INSCRITS: &str = "Inscrits";
pub const ABSTENTIONS: &str = "Abstentions";
pub const VOTANTS: &str = "Votants";
pub const BLANCS: &str = "Blancs";
pub const NULS: &str = "Nuls";
pub const EXPRIMES: &str = "Exprimés";
/// The published percentages: header, numerator, denominator.
pub const RATES: [(&str, &str, &str); 8] = [
    ("% Abs/Ins", ABSTENTIONS, INSCRITS),
    ("% Vot/Ins", VOTANTS, INSCRITS),
    ("% Blancs/Ins", BLANCS, INSCRITS),
    ("% Blancs/Vot", BLANCS, VOTANTS),
    ("% Nuls/Ins", NULS, INSCRITS),
    ("% Nuls/Vot", NULS, VOTANTS),
    ("% Exp/Ins", EXPRIMES, INSCRITS),
    ("% Exp/Vot", EXPRIMES, VOTANTS),
];
pub const COUNTS: [&str; 6] = [INSCRITS, ABSTENTIONS, VOTANTS, BLANCS, NULS, EXPRIMES];
/// Headers of a candidate block, in order.
pub const BLOCK: [&str; 6] = ["Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp"];
/// Published percentages are rounded to two decimals: allow that rounding.
pub const RATE_TOLERANCE: f64 = 0.01;

/// Where to get the workbooks when they are missing.
pub const SOURCE_T1: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("the 2022 presidential round-1 results by département (xlsx)"),
    origin: std::borrow::Cow::Borrowed(
        "data.gouv.fr, 'Élection présidentielle des 10 et 24 avril 2022 - Résultats définitifs du 1er tour'",
    ),
};
pub const SOURCE_T2: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("the 2022 presidential round-2 results by département (xlsx)"),
    origin: std::borrow::Cow::Borrowed(
        "data.gouv.fr, 'Élection présidentielle des 10 et 24 avril 2022 - Résultats définitifs du 2nd tour'",
    ),
};

pub const SOURCE_2017_T1: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed(
        "the 2017 presidential round-1 results (xls, sheet 'Départements Tour 1')",
    ),
    origin: std::borrow::Cow::Borrowed(
        "data.gouv.fr, 'Élection présidentielle des 23 avril et 7 mai 2017 - Résultats définitifs du 1er tour'",
    ),
};
pub const SOURCE_2017_T2: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("the 2017 presidential round-2 results by département (csv)"),
    origin: std::borrow::Cow::Borrowed(
        "data.gouv.fr, 'Élection présidentielle des 23 avril et 7 mai 2017 - Résultats définitifs du 2nd tour'",
    ),
};

/// A count cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub column: u32,
    pub header: &'static str,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandidateResult {
    /// Column of the block's first cell (`Sexe`).
    pub column: u32,
    pub sexe: String,
    pub nom: String,
    pub prenom: String,
    pub voix: i64,
}

/// One département's row.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectionRow {
    /// 0-based row index in the sheet.
    pub row: u32,
    pub code: String,
    pub libelle: String,
    /// In [`COUNTS`] order.
    pub counts: Vec<Count>,
    pub candidats: Vec<CandidateResult>,
}

impl ElectionRow {
    pub fn count(&self, header: &str) -> i64 {
        self.counts
            .iter()
            .find(|c| c.header == header)
            .map_or(0, |c| c.value)
    }
}

/// `numerator / denominator x 100`, 0 when the denominator is 0.
pub fn percentage(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64 * 100.0
    }
}

#[derive(Debug, Clone)]
pub struct ElectionFile {
    pub file: PathBuf,
    /// Empty for a text file (errors then name lines).
    pub sheet: String,
    pub annee: i32,
    pub tour: i32,
    pub niveau: Niveau,
    pub code_column: u32,
    pub libelle_column: u32,
    /// One row per département (summed when the file is by commune or polling station).
    pub rows: Vec<ElectionRow>,
    /// `(sexe, nom, prénom)` in the file's order.
    pub candidats: Vec<(String, String, String)>,
    /// One row per commune when the file is by commune or polling station.
    pub communes: Vec<CommuneRow>,
}

impl ElectionFile {
    pub fn at(&self, row: u32, column: u32, header: Option<&str>) -> CellRef {
        CellRef {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: row + 1,
            column,
            header: header.map(str::to_owned),
        }
    }
}

/// One round's raw file: where it is, which sheet, and which election it holds.
#[derive(Debug, Clone)]
pub struct RoundFile<'a> {
    pub path: &'a Path,
    /// Ignored for text files (`.csv`, `.txt`: `;`-separated).
    pub sheet: SheetChoice<'a>,
    /// For text files.
    pub encodage: Encodage,
    pub annee: i32,
    pub tour: i32,
    pub source: RawSource,
    /// A sheet of the same workbook with the published national totals, checked against
    /// the sums over the département rows (see [`check_national`]).
    pub national: Option<&'a str>,
}

/// Reads and checks one round's file, streaming it when it is text or xlsx (see
/// [`crate::resultats`]). The header is the first of the first 20 rows holding [`CODE`].
pub fn read(input: RoundFile<'_>) -> Result<ElectionFile, EtlError> {
    let RoundFile { path, source, .. } = input;
    let (mut source, national) = match (input.sheet, input.national) {
        (sheet, Some(national)) => {
            let mut sheets = Sheet::open_all(path, &[sheet, SheetChoice::Named(national)], source)?;
            let national = sheets.pop();
            let sheet = sheets.pop().ok_or_else(|| EtlError::Unreadable {
                path: path.to_path_buf(),
                detail: "no sheet".into(),
            })?;
            (Source::from_sheet(sheet), national)
        }
        (SheetChoice::Named(_), None) => (
            Source::from_sheet(Sheet::open(path, input.sheet, source)?),
            None,
        ),
        (SheetChoice::First, None) => (Source::open(path, input.encodage, source)?, None),
    };
    let lu = resultats::read(&mut source)?;
    let file = ElectionFile {
        file: path.to_path_buf(),
        sheet: source.position().sheet.clone(),
        annee: input.annee,
        tour: input.tour,
        niveau: lu.niveau,
        code_column: lu.code_column,
        libelle_column: lu.libelle_column,
        rows: lu.departements,
        candidats: lu.candidats,
        communes: lu.communes,
    };
    if let Some(national) = &national {
        check_national(&file, national)?;
    }
    Ok(file)
}

/// Checks the published national totals (the first block of a summary sheet: `Inscrits` ..
/// `Exprimés` in one column pair, `Candidat` / `Voix` in another, as in the Ministry's 2017
/// workbook) against the sums over the département rows of `file`.
pub fn check_national(file: &ElectionFile, sheet: &Sheet) -> Result<(), EtlError> {
    let find = |label: &str| {
        (0..sheet.rows()).find_map(|r| {
            (0..sheet.columns())
                .find(|c| sheet.text(r, *c).as_deref() == Some(label))
                .map(|c| (r, c))
        })
    };
    let missing = |what: &str| EtlError::MissingColumn {
        path: file.file.clone(),
        sheet: sheet.name.clone(),
        row: 1,
        column: what.to_owned(),
    };
    let mismatch = |r: u32, c: u32, what: String, published: i64, sum: i64| EtlError::Cell {
        at: sheet.at(r, c, None),
        message: format!(
            "national {what} ({published}) != the sum over the département rows ({sum})"
        ),
    };
    for header in COUNTS {
        let (r, c) = find(header).ok_or_else(|| missing(header))?;
        let published = sheet.count(r, c + 1, Some(header))?;
        let sum: i64 = file.rows.iter().map(|row| row.count(header)).sum();
        if published != sum {
            return Err(mismatch(r, c + 1, header.to_owned(), published, sum));
        }
    }
    let (header_row, candidat_column) = find("Candidat").ok_or_else(|| missing("Candidat"))?;
    let first = file
        .rows
        .first()
        .map_or(&[][..], |r| r.candidats.as_slice());
    for candidate in first {
        let label_ends = format!("{} {}", candidate.nom, candidate.prenom);
        let row = (header_row + 1..sheet.rows())
            .find(|r| {
                sheet
                    .text(*r, candidat_column)
                    .is_some_and(|t| t.ends_with(&label_ends))
            })
            .ok_or_else(|| missing(&format!("national votes of {label_ends}")))?;
        let published = sheet.count(row, candidat_column + 1, Some("Voix"))?;
        let sum: i64 = file
            .rows
            .iter()
            .flat_map(|r| &r.candidats)
            .filter(|c| c.nom == candidate.nom && c.prenom == candidate.prenom)
            .map(|c| c.voix)
            .sum();
        if published != sum {
            return Err(mismatch(
                row,
                candidat_column + 1,
                format!("votes of {} {}", candidate.prenom, candidate.nom),
                published,
                sum,
            ));
        }
    }
    Ok(())
}

/// Département codes as published: `1` -> `01`; other codes unchanged.
pub fn normalize_code(code: &str) -> String {
    let code = code.trim();
    if code.len() == 1 && code.chars().all(|c| c.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalized() {
        assert_eq!(normalize_code("1"), "01");
        assert_eq!(normalize_code(" 2A "), "2A");
        assert_eq!(normalize_code("971"), "971");
        assert_eq!(normalize_code("ZZ"), "ZZ");
    }
}
