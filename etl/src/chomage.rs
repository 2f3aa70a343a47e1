//! INSEE's localised unemployment rates: a legacy `.xls` workbook, sheet
//! "Département", title rows above a header (`Code`, `Libellé`, `T1_1982` ..),
//! one row per département, notes under the data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use db::Quarter;

use crate::elections::normalize_code;
use crate::error::EtlError;
use crate::excel::{RawSource, Sheet, SheetChoice};

pub const SHEET: &str = "Département";
pub const CODE: &str = "Code";
pub const LIBELLE: &str = "Libellé";
/// The header is expected on the 4th row; it is searched for in the first rows.
const HEADER_SEARCH_ROWS: u32 = 20;

pub const SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed(
        "INSEE's quarterly localised unemployment rates by département (sl_etc_*.xls)",
    ),
    origin: std::borrow::Cow::Borrowed(
        "insee.fr, 'Taux de chômage localisés', file sl_etc_2025T3.xls",
    ),
};

/// One département's series, in quarter order; quarters without a value are absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub code: String,
    pub libelle: String,
    /// 0-based row index in the sheet.
    pub row: u32,
    pub values: Vec<(Quarter, f64)>,
}

#[derive(Debug, Clone)]
pub struct ChomageFile {
    pub file: PathBuf,
    pub sheet: String,
    pub code_column: u32,
    pub quarters: Vec<Quarter>,
    pub series: Vec<Series>,
}

pub fn read(path: &Path) -> Result<ChomageFile, EtlError> {
    let sheet = Sheet::open(path, SheetChoice::Named(SHEET), SOURCE)?;
    let header_row = (0..HEADER_SEARCH_ROWS.min(sheet.rows()))
        .find(|r| sheet.text(*r, 0).as_deref() == Some(CODE))
        .ok_or_else(|| EtlError::MissingColumn {
            path: path.to_path_buf(),
            sheet: sheet.name.clone(),
            row: 4,
            column: CODE.into(),
        })?;
    if sheet.text(header_row, 1).as_deref() != Some(LIBELLE) {
        return Err(EtlError::MissingColumn {
            path: path.to_path_buf(),
            sheet: sheet.name.clone(),
            row: header_row + 1,
            column: LIBELLE.into(),
        });
    }
    let mut quarters: Vec<(u32, Quarter)> = Vec::new();
    for column in 2..sheet.columns() {
        let Some(header) = sheet.text(header_row, column) else {
            break;
        };
        let quarter = Quarter::from_insee_header(&header).ok_or_else(|| EtlError::Cell {
            at: sheet.at(header_row, column, None),
            message: format!("expected a quarter header like T3_2022, found '{header}'"),
        })?;
        if let Some((_, previous)) = quarters.last()
            && *previous >= quarter
        {
            return Err(EtlError::Cell {
                at: sheet.at(header_row, column, Some(&header)),
                message: format!(
                    "quarter {quarter} comes after {previous}: columns must be in time order"
                ),
            });
        }
        quarters.push((column, quarter));
    }
    if quarters.is_empty() {
        return Err(EtlError::MissingColumn {
            path: path.to_path_buf(),
            sheet: sheet.name.clone(),
            row: header_row + 1,
            column: "T1_1982 .. (quarter columns)".into(),
        });
    }

    let mut series = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for r in header_row + 1..sheet.rows() {
        let Some(code) = sheet.text(r, 0).map(|c| normalize_code(&c)) else {
            break;
        };
        if let Some(first) = seen.insert(code.clone(), r) {
            return Err(EtlError::Cell {
                at: sheet.at(r, 0, Some(CODE)),
                message: format!(
                    "duplicate département code '{code}' (already on row {})",
                    first + 1
                ),
            });
        }
        let libelle = sheet.required_text(r, 1, Some(LIBELLE))?;
        let mut values = Vec::new();
        for (column, quarter) in &quarters {
            let header = format!("T{}_{}", quarter.trimestre, quarter.annee);
            if let Some(rate) = sheet.optional_number(r, *column, Some(&header))? {
                if !(0.0..=100.0).contains(&rate) {
                    return Err(EtlError::Cell {
                        at: sheet.at(r, *column, Some(&header)),
                        message: format!("unemployment rate {rate} is outside [0, 100]"),
                    });
                }
                values.push((*quarter, rate));
            }
        }
        series.push(Series {
            code,
            libelle,
            row: r,
            values,
        });
    }
    Ok(ChomageFile {
        file: path.to_path_buf(),
        sheet: sheet.name.clone(),
        code_column: 0,
        quarters: quarters.into_iter().map(|(_, q)| q).collect(),
        series,
    })
}
