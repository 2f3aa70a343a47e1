//! Errors of the ETL. Each one names where the problem is: file, sheet, row and
//! column for a raw workbook, file and line for a reference CSV.

use std::fmt;
use std::path::PathBuf;

/// A cell of a raw workbook, as a person opening it in a spreadsheet would find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    pub file: PathBuf,
    pub sheet: String,
    /// 1-based row number, as shown by spreadsheet software.
    pub row: u32,
    /// 0-based column index, shown as a letter.
    pub column: u32,
    /// The column's header, when it has one.
    pub header: Option<String>,
}

/// Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA.
pub fn column_letter(index: u32) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `sheet 'Feuil1', row 12` in a workbook; `line 12` in a text file (no sheet).
pub fn sheet_row(sheet: &str, row: u32) -> String {
    if sheet.is_empty() {
        format!("line {row}")
    } else {
        format!("sheet '{sheet}', row {row}")
    }
}

fn sheet_only(sheet: &str) -> String {
    if sheet.is_empty() {
        String::new()
    } else {
        format!(", sheet '{sheet}'")
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, column {}",
            self.file.display(),
            sheet_row(&self.sheet, self.row),
            column_letter(self.column)
        )?;
        if let Some(header) = &self.header {
            write!(f, " ('{header}')")?;
        }
        Ok(())
    }
}

/// `, feature 12 (code 59)` for a GeoJSON error, empty for a file-level one.
fn feature_location(feature: Option<usize>, code: Option<&str>) -> String {
    match (feature, code) {
        (Some(i), Some(code)) => format!(", feature {i} (code '{code}')"),
        (Some(i), None) => format!(", feature {i}"),
        _ => String::new(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EtlError {
    #[error("{path}: file not found. Expected {what}; {origin} (see data_raw/README.md)")]
    MissingFile {
        path: PathBuf,
        what: std::borrow::Cow<'static, str>,
        origin: std::borrow::Cow<'static, str>,
    },
    #[error(
        "{path}: cannot read the file (truncated, or not the expected workbook or archive): {detail}"
    )]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path}: sheet '{sheet}' not found; sheets present: {available}")]
    MissingSheet {
        path: PathBuf,
        sheet: String,
        available: String,
    },
    #[error("{path}, {}: column '{column}' not found in the header", sheet_row(.sheet, *.row))]
    MissingColumn {
        path: PathBuf,
        sheet: String,
        row: u32,
        column: String,
    },
    #[error("{path}, {}: {message}", sheet_row(.sheet, *.row))]
    Header {
        path: PathBuf,
        sheet: String,
        row: u32,
        message: String,
    },
    #[error("{path}{}: {message}", sheet_only(.sheet))]
    Coverage {
        path: PathBuf,
        sheet: String,
        message: String,
    },
    #[error("{at}: {message}")]
    Cell { at: CellRef, message: String },
    #[error("{path}, line {line}: {message}")]
    Reference {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}{}: {message}", feature_location(*.feature, .code.as_deref()))]
    Geometry {
        path: PathBuf,
        /// 0-based index of the feature in the collection.
        feature: Option<usize>,
        code: Option<String>,
        message: String,
    },
    /// Finding each round's results file in the raw folder.
    #[error("{dir}: {message}")]
    RoundFiles { dir: PathBuf, message: String },
    #[error("quarter {quarter}: {message}")]
    Quarter { quarter: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Output(#[from] db::outputs::OutputError),
    #[error("database write failed: {0}")]
    Diesel(#[from] diesel::result::Error),
    #[error("table transformation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
}

impl EtlError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EtlError::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_convention() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn cell_reference_names_file_sheet_row_column_and_header() {
        let at = CellRef {
            file: PathBuf::from("data_raw/t1.xlsx"),
            sheet: "Feuil1".into(),
            row: 12,
            column: 4,
            header: Some("Abstentions".into()),
        };
        assert_eq!(
            at.to_string(),
            "data_raw/t1.xlsx, sheet 'Feuil1', row 12, column E ('Abstentions')"
        );
        let text = CellRef {
            sheet: String::new(),
            ..at
        };
        assert_eq!(
            text.to_string(),
            "data_raw/t1.xlsx, line 12, column E ('Abstentions')"
        );
    }
}

/// Longest excerpt of a raw field quoted in a message.
pub const MONTRE_MAX: usize = 80;

/// A raw field as quoted in a message: in quotes, control characters escaped (`\u{0}`, `\r`),
/// cut after [`MONTRE_MAX`] characters with the length it had (a 50 MB name printed 50 MB).
pub fn montre(text: &str) -> String {
    let mut shown = String::from("'");
    for (count, c) in text.chars().enumerate() {
        if count == MONTRE_MAX {
            shown.push_str(&format!("…' ({} characters)", text.chars().count()));
            return shown;
        }
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown.push('\'');
    shown
}

/// A message as printed: control characters escaped, at most [`MESSAGE_MAX`] characters.
pub fn imprimable(message: &str) -> String {
    let mut out = String::new();
    for (count, c) in message.chars().enumerate() {
        if count == MESSAGE_MAX {
            out.push_str(&format!(
                " … ({} characters cut)",
                message.chars().count() - count
            ));
            break;
        }
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Longest message printed.
pub const MESSAGE_MAX: usize = 4096;

#[cfg(test)]
mod montre_tests {
    use super::*;

    #[test]
    fn raw_fields_are_cut_and_escaped() {
        assert_eq!(montre("Lille"), "'Lille'");
        assert_eq!(montre("a\0b\rc"), "'a\\u{0}b\\rc'");
        let long = "x".repeat(50_000);
        let shown = montre(&long);
        assert!(
            shown.len() < 200 && shown.contains("50000 characters"),
            "{shown}"
        );
        let message = format!("line 2: {}\0", "y".repeat(10_000));
        let printed = imprimable(&message);
        assert!(printed.chars().count() < MESSAGE_MAX + 50);
        assert!(!printed.contains('\0'));
    }
}
