//! The Ministry's results-by-département workbooks (one per round): 17 fixed
//! columns, then one block of 6 columns per candidate, only the first of which
//! has headers. Parsing keeps every cell's position so that a failed check can
//! name it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{CellRef, EtlError};
use crate::excel::{RawSource, Sheet, SheetChoice};

pub const CODE: &str = "Code du département";
pub const LIBELLE: &str = "Libellé du département";
/// Present, with [`BUREAU`], in files by polling station: one row per station, summed into
/// one row per département after every row has been checked.
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
    what: "the 2022 presidential round-1 results by département (xlsx)",
    origin: "data.gouv.fr, 'Élection présidentielle des 10 et 24 avril 2022 - Résultats définitifs du 1er tour'",
};
pub const SOURCE_T2: RawSource = RawSource {
    what: "the 2022 presidential round-2 results by département (xlsx)",
    origin: "data.gouv.fr, 'Élection présidentielle des 10 et 24 avril 2022 - Résultats définitifs du 2nd tour'",
};

pub const SOURCE_2017_T1: RawSource = RawSource {
    what: "the 2017 presidential round-1 results (xls, sheet 'Départements Tour 1')",
    origin: "data.gouv.fr, 'Élection présidentielle des 23 avril et 7 mai 2017 - Résultats définitifs du 1er tour'",
};
pub const SOURCE_2017_T2: RawSource = RawSource {
    what: "the 2017 presidential round-2 results by département (csv)",
    origin: "data.gouv.fr, 'Élection présidentielle des 23 avril et 7 mai 2017 - Résultats définitifs du 2nd tour'",
};

/// A count cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub column: u32,
    pub header: &'static str,
    pub value: i64,
}

/// A published percentage and the counts it is the ratio of.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub column: u32,
    pub header: String,
    pub value: f64,
    pub numerator: i64,
    pub denominator: i64,
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
    pub rates: Vec<Rate>,
    pub candidats: Vec<CandidateResult>,
}

impl ElectionRow {
    pub fn count(&self, header: &str) -> i64 {
        self.counts
            .iter()
            .find(|c| c.header == header)
            .map_or(0, |c| c.value)
    }

    fn count_column(&self, header: &str) -> u32 {
        self.counts
            .iter()
            .find(|c| c.header == header)
            .map_or(0, |c| c.column)
    }
}

/// A failed check inside one row: which column, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub column: u32,
    pub header: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ElectionFile {
    pub file: PathBuf,
    pub sheet: String,
    pub annee: i32,
    pub tour: i32,
    pub code_column: u32,
    pub libelle_column: u32,
    pub rows: Vec<ElectionRow>,
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

/// Checks the identities of one row: inscrits = abstentions + votants,
/// votants = blancs + nuls + exprimés, Σ voix = exprimés, and every published
/// percentage within [0, 100] and equal to the recomputed one within 0.01.
pub fn validate_row(row: &ElectionRow) -> Result<(), Violation> {
    let (inscrits, abstentions, votants) = (
        row.count(INSCRITS),
        row.count(ABSTENTIONS),
        row.count(VOTANTS),
    );
    let (blancs, nuls, exprimes) = (row.count(BLANCS), row.count(NULS), row.count(EXPRIMES));
    if inscrits != abstentions + votants {
        return Err(Violation {
            column: row.count_column(INSCRITS),
            header: INSCRITS.into(),
            message: format!(
                "inscrits ({inscrits}) != abstentions ({abstentions}) + votants ({votants})"
            ),
        });
    }
    if votants != blancs + nuls + exprimes {
        return Err(Violation {
            column: row.count_column(VOTANTS),
            header: VOTANTS.into(),
            message: format!(
                "votants ({votants}) != blancs ({blancs}) + nuls ({nuls}) + exprimés ({exprimes})"
            ),
        });
    }
    let voix: i64 = row.candidats.iter().map(|c| c.voix).sum();
    if voix != exprimes {
        return Err(Violation {
            column: row.count_column(EXPRIMES),
            header: EXPRIMES.into(),
            message: format!("sum of the candidates' votes ({voix}) != exprimés ({exprimes})"),
        });
    }
    for rate in &row.rates {
        let recomputed = percentage(rate.numerator, rate.denominator);
        if !(0.0..=100.0).contains(&rate.value)
            || (rate.value - recomputed).abs() > RATE_TOLERANCE + 1e-9
        {
            return Err(Violation {
                column: rate.column,
                header: rate.header.clone(),
                message: format!(
                    "published rate {} differs from the recomputed {:.4} ({} / {} x 100) or is outside [0, 100]",
                    rate.value, recomputed, rate.numerator, rate.denominator
                ),
            });
        }
    }
    Ok(())
}

/// `numerator / denominator x 100`, 0 when the denominator is 0.
pub fn percentage(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64 * 100.0
    }
}

fn header_columns(sheet: &Sheet, header: u32) -> HashMap<String, u32> {
    let mut map = HashMap::new();
    for column in 0..sheet.columns() {
        if let Some(text) = sheet.text(header, column) {
            map.entry(text).or_insert(column);
        }
    }
    map
}

/// One round's raw file: where it is, which sheet, and which election it holds.
#[derive(Debug, Clone, Copy)]
pub struct RoundFile<'a> {
    pub path: &'a Path,
    /// Ignored for text files (`.csv`, `.txt`: `;`-separated).
    pub sheet: SheetChoice<'a>,
    pub annee: i32,
    pub tour: i32,
    pub source: RawSource,
    /// A sheet of the same workbook with the published national totals, checked against
    /// the sums over the département rows (see [`check_national`]).
    pub national: Option<&'a str>,
}

/// Text files are read as `;`-separated values, anything else as a workbook.
fn is_text(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"))
}

/// Reads and validates one round's file. The header is the first of the first 20 rows
/// holding [`CODE`] (title lines above it are skipped).
pub fn read(input: RoundFile<'_>) -> Result<ElectionFile, EtlError> {
    let RoundFile {
        path,
        annee,
        tour,
        source,
        ..
    } = input;
    let (sheet, national) = if is_text(path) {
        (Sheet::open_csv(path, source)?, None)
    } else if let Some(national) = input.national {
        let mut sheets =
            Sheet::open_all(path, &[input.sheet, SheetChoice::Named(national)], source)?;
        let national = sheets.pop();
        let sheet = sheets.pop().ok_or_else(|| EtlError::Unreadable {
            path: path.to_path_buf(),
            detail: "no sheet".into(),
        })?;
        (sheet, national)
    } else {
        (Sheet::open(path, input.sheet, source)?, None)
    };
    let header = (0..sheet.rows().min(20))
        .find(|r| (0..sheet.columns()).any(|c| sheet.text(*r, c).as_deref() == Some(CODE)))
        .unwrap_or(0);
    let headers = header_columns(&sheet, header);
    let find = |name: &str| -> Result<u32, EtlError> {
        headers
            .get(name)
            .copied()
            .ok_or_else(|| EtlError::MissingColumn {
                path: path.to_path_buf(),
                sheet: sheet.name.clone(),
                row: header + 1,
                column: name.to_owned(),
            })
    };
    let code_column = find(CODE)?;
    let libelle_column = find(LIBELLE)?;
    let count_columns: Vec<(&'static str, u32)> = COUNTS
        .iter()
        .map(|h| find(h).map(|c| (*h, c)))
        .collect::<Result<_, _>>()?;
    let rate_columns: Vec<(&str, u32, &str, &str)> = RATES
        .iter()
        .map(|(h, n, d)| find(h).map(|c| (*h, c, *n, *d)))
        .collect::<Result<_, _>>()?;
    let first_block = find(BLOCK[0])?;
    for (offset, name) in BLOCK.iter().enumerate() {
        let column = first_block + offset as u32;
        if sheet.text(header, column).as_deref() != Some(*name) {
            return Err(EtlError::MissingColumn {
                path: path.to_path_buf(),
                sheet: sheet.name.clone(),
                row: header + 1,
                column: format!(
                    "{name} (expected at column {})",
                    crate::error::column_letter(column)
                ),
            });
        }
    }

    let stations = match (headers.get(COMMUNE), headers.get(BUREAU)) {
        (Some(commune), Some(bureau)) => Some((*commune, *bureau)),
        _ => None,
    };

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for r in header + 1..sheet.rows() {
        let Some(code) = sheet.text(r, code_column).map(|c| normalize_code(&c)) else {
            break;
        };
        let key = match stations {
            None => code.clone(),
            Some((commune, bureau)) => format!(
                "{code}/{}/{}",
                sheet.required_text(r, commune, Some(COMMUNE))?,
                sheet.required_text(r, bureau, Some(BUREAU))?
            ),
        };
        if let Some(first) = seen.insert(key, r) {
            let (column, header, what) = match stations {
                None => (code_column, CODE, format!("département code '{code}'")),
                Some((_, bureau)) => (bureau, BUREAU, format!("polling station in '{code}'")),
            };
            return Err(EtlError::Cell {
                at: sheet.at(r, column, Some(header)),
                message: format!("duplicate {what} (already on row {})", first + 1),
            });
        }
        let libelle = sheet.required_text(r, libelle_column, Some(LIBELLE))?;
        let counts: Vec<Count> = count_columns
            .iter()
            .map(|(h, c)| {
                sheet.count(r, *c, Some(h)).map(|value| Count {
                    column: *c,
                    header: h,
                    value,
                })
            })
            .collect::<Result<_, _>>()?;
        let count_of = |h: &str| counts.iter().find(|c| c.header == h).map_or(0, |c| c.value);
        let mut rates = Vec::new();
        for (header, column, num, den) in &rate_columns {
            rates.push(Rate {
                column: *column,
                header: (*header).to_owned(),
                value: sheet.number(r, *column, Some(header))?,
                numerator: count_of(num),
                denominator: count_of(den),
            });
        }
        let mut candidats = Vec::new();
        let mut column = first_block;
        while sheet.text(r, column).is_some() {
            let h = |i: usize| Some(BLOCK[i]);
            let sexe = sheet.required_text(r, column, h(0))?;
            if sexe != "F" && sexe != "M" {
                return Err(EtlError::Cell {
                    at: sheet.at(r, column, h(0)),
                    message: format!("expected 'F' or 'M', found '{sexe}'"),
                });
            }
            let nom = sheet.required_text(r, column + 1, h(1))?;
            let prenom = sheet.required_text(r, column + 2, h(2))?;
            let voix = sheet.count(r, column + 3, h(3))?;
            for (offset, denominator) in [(4, INSCRITS), (5, EXPRIMES)] {
                rates.push(Rate {
                    column: column + offset,
                    header: format!("{} ({prenom} {nom})", BLOCK[offset as usize]),
                    value: sheet.number(r, column + offset, h(offset as usize))?,
                    numerator: voix,
                    denominator: count_of(denominator),
                });
            }
            candidats.push(CandidateResult {
                column,
                sexe,
                nom,
                prenom,
                voix,
            });
            column += BLOCK.len() as u32;
        }
        let row = ElectionRow {
            row: r,
            code,
            libelle,
            counts,
            rates,
            candidats,
        };
        validate_row(&row).map_err(|v| EtlError::Cell {
            at: sheet.at(r, v.column, Some(&v.header)),
            message: v.message,
        })?;
        rows.push(row);
    }
    check_same_candidates(&sheet, header + 1, &rows)?;
    if stations.is_some() {
        rows = by_departement(rows);
    }
    let file = ElectionFile {
        file: path.to_path_buf(),
        sheet: sheet.name.clone(),
        annee,
        tour,
        code_column,
        libelle_column,
        rows,
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

/// Sums checked polling-station rows into one row per département, in order of first
/// appearance (each keeps the sheet row of its first station, for error messages). The
/// published percentages were checked per station; a sum has none.
fn by_departement(rows: Vec<ElectionRow>) -> Vec<ElectionRow> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<ElectionRow> = Vec::new();
    for row in rows {
        match index.get(&row.code) {
            None => {
                index.insert(row.code.clone(), out.len());
                out.push(ElectionRow {
                    rates: Vec::new(),
                    ..row
                });
            }
            Some(&i) => {
                let total = &mut out[i];
                for (sum, count) in total.counts.iter_mut().zip(&row.counts) {
                    sum.value += count.value;
                }
                for candidate in row.candidats {
                    if let Some(sum) = total
                        .candidats
                        .iter_mut()
                        .find(|c| c.nom == candidate.nom && c.prenom == candidate.prenom)
                    {
                        sum.voix += candidate.voix;
                    }
                }
            }
        }
    }
    out
}

/// Every row must list the same candidates (in any order: they are matched by name).
fn check_same_candidates(
    sheet: &Sheet,
    first_row: u32,
    rows: &[ElectionRow],
) -> Result<(), EtlError> {
    let names = |row: &ElectionRow| {
        let mut n: Vec<(String, String)> = row
            .candidats
            .iter()
            .map(|c| (c.nom.clone(), c.prenom.clone()))
            .collect();
        n.sort();
        n
    };
    let Some(first) = rows.first() else {
        return Err(EtlError::Cell {
            at: sheet.at(first_row, 0, Some(CODE)),
            message: "no data row under the header".into(),
        });
    };
    let expected = names(first);
    if expected.is_empty() {
        return Err(EtlError::Cell {
            at: sheet.at(first.row, 17, Some(BLOCK[0])),
            message: "no candidate block on the row".into(),
        });
    }
    for row in rows {
        if let Some(stray) = row.candidats.iter().find(|c| {
            expected
                .binary_search(&(c.nom.clone(), c.prenom.clone()))
                .is_err()
        }) {
            return Err(EtlError::Cell {
                at: sheet.at(row.row, stray.column + 1, Some(BLOCK[1])),
                message: format!(
                    "candidate '{} {}' is not among the candidates of row {}",
                    stray.prenom,
                    stray.nom,
                    first.row + 1
                ),
            });
        }
        if row.candidats.len() != expected.len() {
            let column = row.candidats.last().map_or(0, |c| c.column);
            return Err(EtlError::Cell {
                at: sheet.at(row.row, column, None),
                message: format!(
                    "{} candidates on this row, not the {} of row {}",
                    row.candidats.len(),
                    expected.len(),
                    first.row + 1
                ),
            });
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

    fn row(inscrits: i64, abstentions: i64, blancs: i64, nuls: i64, voix: &[i64]) -> ElectionRow {
        let exprimes: i64 = voix.iter().sum();
        let votants = blancs + nuls + exprimes;
        let values = [inscrits, abstentions, votants, blancs, nuls, exprimes];
        let counts = COUNTS
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (h, value))| Count {
                column: 3 + i as u32,
                header: h,
                value,
            })
            .collect();
        let mut r = ElectionRow {
            row: 1,
            code: "01".into(),
            libelle: "Ain".into(),
            counts,
            rates: Vec::new(),
            candidats: voix
                .iter()
                .enumerate()
                .map(|(i, v)| CandidateResult {
                    column: 17 + 6 * i as u32,
                    sexe: "F".into(),
                    nom: format!("C{i}"),
                    prenom: "P".into(),
                    voix: *v,
                })
                .collect(),
        };
        r.rates.push(Rate {
            column: 5,
            header: "% Abs/Ins".into(),
            value: (percentage(abstentions, inscrits) * 100.0).round() / 100.0,
            numerator: abstentions,
            denominator: inscrits,
        });
        r
    }

    #[test]
    fn polling_stations_sum_to_their_departement() {
        let mut a = row(1000, 200, 10, 5, &[500, 285]);
        let mut b = row(800, 100, 5, 5, &[300, 390]);
        b.row = 2;
        // Candidates are matched by name, whatever their order on the row.
        b.candidats.reverse();
        let mut c = row(500, 50, 0, 0, &[400, 50]);
        c.row = 3;
        c.code = "02".into();
        a.row = 1;
        let rows = by_departement(vec![a, b, c]);
        assert_eq!(rows.len(), 2);
        let ain = &rows[0];
        assert_eq!((ain.code.as_str(), ain.row), ("01", 1));
        assert_eq!(ain.count(INSCRITS), 1800);
        assert_eq!(ain.count(ABSTENTIONS), 300);
        assert_eq!(ain.count(EXPRIMES), 785 + 690);
        let voix: Vec<i64> = ain.candidats.iter().map(|c| c.voix).collect();
        assert_eq!(voix, [800, 675]);
        assert!(ain.rates.is_empty());
        assert_eq!(rows[1].count(INSCRITS), 500);
    }

    #[test]
    fn consistent_row_passes() {
        assert_eq!(validate_row(&row(1000, 200, 10, 5, &[500, 285])), Ok(()));
    }

    #[test]
    fn inscrits_identity_is_checked() {
        let v = validate_row(&row(1001, 200, 10, 5, &[500, 285])).unwrap_err();
        assert_eq!(v.header, "Inscrits");
        assert_eq!(v.column, 3);
        assert!(
            v.message
                .contains("inscrits (1001) != abstentions (200) + votants (800)"),
            "{}",
            v.message
        );
    }

    #[test]
    fn votes_must_sum_to_exprimes() {
        let mut r = row(1000, 200, 10, 5, &[500, 285]);
        r.candidats[0].voix = 499;
        let v = validate_row(&r).unwrap_err();
        assert_eq!(v.header, "Exprimés");
        assert!(
            v.message.contains("(784) != exprimés (785)"),
            "{}",
            v.message
        );
    }

    #[test]
    fn published_rate_must_match_recomputed() {
        let mut r = row(1000, 200, 10, 5, &[500, 285]);
        r.rates[0].value = 20.02;
        let v = validate_row(&r).unwrap_err();
        assert_eq!(v.header, "% Abs/Ins");
        assert!(v.message.contains("20.02"), "{}", v.message);
        r.rates[0].value = 20.01;
        assert_eq!(validate_row(&r), Ok(()));
    }

    #[test]
    fn codes_are_normalized() {
        assert_eq!(normalize_code("1"), "01");
        assert_eq!(normalize_code(" 2A "), "2A");
        assert_eq!(normalize_code("971"), "971");
        assert_eq!(normalize_code("ZZ"), "ZZ");
    }
}
