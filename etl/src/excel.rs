//! Reading raw workbooks (xlsx and legacy xls alike) with calamine, `;`-separated text
//! files (CSV, possibly inside a zip archive) into the same grid, and typed access to
//! their cells with errors that point at the cell.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};

use crate::error::{CellRef, EtlError};

/// Which sheet of a workbook to read.
#[derive(Debug, Clone, Copy)]
pub enum SheetChoice<'a> {
    /// The first sheet, whatever its name (the election files carry a timestamp in it).
    First,
    Named(&'a str),
}

/// Where a raw file comes from, for the message shown when it is missing.
/// The texts are borrowed for the built-in sources and owned for the manifest's rows.
#[derive(Debug, Clone)]
pub struct RawSource {
    pub what: std::borrow::Cow<'static, str>,
    pub origin: std::borrow::Cow<'static, str>,
}

/// One worksheet held in memory, with the path and name used in error messages.
pub struct Sheet {
    pub file: PathBuf,
    pub name: String,
    range: Range<Data>,
    /// When only some columns of a text file are kept: the file's column of each grid
    /// column, so that errors name the column as the file has it. Empty: the same.
    file_columns: Vec<u32>,
}

static EMPTY: Data = Data::Empty;

impl Sheet {
    /// Reads the whole file first, so the format is detected from its bytes, not its extension.
    pub fn open(
        path: &Path,
        choice: SheetChoice<'_>,
        source: RawSource,
    ) -> Result<Sheet, EtlError> {
        let mut sheets = Sheet::open_all(path, &[choice], source)?;
        sheets.pop().ok_or_else(|| EtlError::Unreadable {
            path: path.to_path_buf(),
            detail: "no sheet".into(),
        })
    }

    /// Several sheets of one workbook, parsed once, in the order asked.
    pub fn open_all(
        path: &Path,
        choices: &[SheetChoice<'_>],
        source: RawSource,
    ) -> Result<Vec<Sheet>, EtlError> {
        let bytes = read_raw(path, source)?;
        let unreadable = |detail: String| EtlError::Unreadable {
            path: path.to_path_buf(),
            detail,
        };
        let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| unreadable(e.to_string()))?;
        let names = workbook.sheet_names();
        let mut sheets = Vec::with_capacity(choices.len());
        for choice in choices {
            let name = match *choice {
                SheetChoice::First => names
                    .first()
                    .cloned()
                    .ok_or_else(|| unreadable("no sheet".into()))?,
                SheetChoice::Named(wanted) => names
                    .iter()
                    .find(|n| n.as_str() == wanted)
                    .cloned()
                    .ok_or_else(|| EtlError::MissingSheet {
                        path: path.to_path_buf(),
                        sheet: wanted.to_owned(),
                        available: names
                            .iter()
                            .map(|n| format!("'{n}'"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?,
            };
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| unreadable(format!("sheet '{name}': {e}")))?;
            sheets.push(Sheet {
                file: path.to_path_buf(),
                name,
                range,
                file_columns: Vec::new(),
            });
        }
        Ok(sheets)
    }

    /// A `;`-separated text file (UTF-8, or Latin-1 when it is not valid UTF-8): one row
    /// per line, every cell as text. The sheet is named after the file, so that errors
    /// read `file.csv, sheet 'file.csv', row 12, column D`.
    pub fn open_csv(path: &Path, source: RawSource) -> Result<Sheet, EtlError> {
        let bytes = read_raw(path, source)?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Ok(Sheet::from_text(path, name, &bytes, None))
    }

    /// A `;`-separated text file stored as `member` inside the zip archive at `path`, keeping
    /// only the columns whose header (first line) is in `keep`: a wide file then costs the
    /// columns it is read for. Errors still name the file's own column letters.
    pub fn open_csv_in_zip(
        path: &Path,
        member: &str,
        keep: &[&str],
        source: RawSource,
    ) -> Result<Sheet, EtlError> {
        let bytes = read_raw(path, source)?;
        let unreadable = |detail: String| EtlError::Unreadable {
            path: path.to_path_buf(),
            detail,
        };
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
        let mut text = Vec::new();
        archive
            .by_name(member)
            .map_err(|e| unreadable(format!("member '{member}': {e}")))?
            .read_to_end(&mut text)
            .map_err(|e| unreadable(format!("member '{member}': {e}")))?;
        Ok(Sheet::from_text(path, member.to_owned(), &text, Some(keep)))
    }

    fn from_text(path: &Path, name: String, bytes: &[u8], keep: Option<&[&str]>) -> Sheet {
        let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
            Ok(text) => text.into(),
            // Latin-1, read as Windows-1252 like the results files (crate::sources).
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let cells = csv_cells;
        let file_columns: Vec<u32> = match keep {
            None => Vec::new(),
            Some(names) => text
                .lines()
                .next()
                .map(|header| {
                    cells(header)
                        .enumerate()
                        .filter(|(_, h)| names.contains(h))
                        .filter_map(|(c, _)| u32::try_from(c).ok())
                        .collect()
                })
                .unwrap_or_default(),
        };
        let height = text.lines().count();
        let width = match keep {
            Some(_) => file_columns.len(),
            None => text.lines().map(|l| cells(l).count()).max().unwrap_or(0),
        };
        let (Ok(last_row), Ok(last_column)) = (
            u32::try_from(height.saturating_sub(1)),
            u32::try_from(width.saturating_sub(1)),
        ) else {
            return Sheet {
                file: path.to_path_buf(),
                name,
                range: Range::new((0, 0), (0, 0)),
                file_columns,
            };
        };
        let mut range = Range::new((0, 0), (0, 0));
        if height > 0 && width > 0 {
            range = Range::new((0, 0), (last_row, last_column));
            for (r, line) in (0..=last_row).zip(text.lines()) {
                // The grid column of each kept cell: its rank among the kept file columns.
                let mut kept = file_columns.iter().peekable();
                let mut c = 0u32;
                for (file_column, cell) in (0u32..).zip(cells(line)) {
                    if keep.is_some() {
                        if kept.peek() != Some(&&file_column) {
                            continue;
                        }
                        kept.next();
                    }
                    if !cell.is_empty() {
                        range.set_value((r, c), Data::String(cell.to_owned()));
                    }
                    c += 1;
                }
            }
        }
        Sheet {
            file: path.to_path_buf(),
            name,
            range,
            file_columns,
        }
    }

    /// Number of rows, counting from the sheet's first row (0) to its last used one.
    pub fn rows(&self) -> u32 {
        self.range.end().map_or(0, |(r, _)| r + 1)
    }

    /// Number of columns, counting from column A to the last used one.
    pub fn columns(&self) -> u32 {
        self.range.end().map_or(0, |(_, c)| c + 1)
    }

    /// The cell at 0-based absolute coordinates; empty outside the used range.
    pub fn cell(&self, row: u32, column: u32) -> &Data {
        self.range.get_value((row, column)).unwrap_or(&EMPTY)
    }

    pub fn at(&self, row: u32, column: u32, header: Option<&str>) -> CellRef {
        CellRef {
            file: self.file.clone(),
            sheet: self.name.clone(),
            row: row + 1,
            column: self
                .file_columns
                .get(column as usize)
                .copied()
                .unwrap_or(column),
            header: header.map(str::to_owned),
        }
    }

    fn bad(&self, row: u32, column: u32, header: Option<&str>, expected: &str) -> EtlError {
        EtlError::Cell {
            at: self.at(row, column, header),
            message: format!(
                "expected {expected}, found {}",
                describe(self.cell(row, column))
            ),
        }
    }

    /// A text cell, trimmed and borrowed (`None` for numbers and empty cells): for hot loops
    /// over text files, where every cell is text.
    pub fn str(&self, row: u32, column: u32) -> Option<&str> {
        match self.cell(row, column) {
            Data::String(s) => Some(s.trim()).filter(|t| !t.is_empty()),
            _ => None,
        }
    }

    /// The cell as trimmed text; numbers are rendered without a fractional part when integral.
    pub fn text(&self, row: u32, column: u32) -> Option<String> {
        match self.cell(row, column) {
            Data::String(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_owned())
            }
            Data::Int(i) => Some(i.to_string()),
            Data::Float(f) if f.fract() == 0.0 => Some(format!("{f:.0}")),
            Data::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    pub fn required_text(
        &self,
        row: u32,
        column: u32,
        header: Option<&str>,
    ) -> Result<String, EtlError> {
        self.text(row, column)
            .ok_or_else(|| self.bad(row, column, header, "text"))
    }

    /// A non-negative whole number, stored as a number or as digits in text.
    pub fn count(&self, row: u32, column: u32, header: Option<&str>) -> Result<i64, EtlError> {
        let value = match self.cell(row, column) {
            Data::Int(i) => Some(*i),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            Data::String(s) => parse_number(s)
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64),
            _ => None,
        };
        value
            .filter(|v| *v >= 0)
            .ok_or_else(|| self.bad(row, column, header, "a non-negative whole number"))
    }

    /// A number, or `None` for an empty cell.
    pub fn optional_number(
        &self,
        row: u32,
        column: u32,
        header: Option<&str>,
    ) -> Result<Option<f64>, EtlError> {
        match self.cell(row, column) {
            Data::Empty => Ok(None),
            Data::Int(i) => Ok(Some(*i as f64)),
            Data::Float(f) if f.is_finite() => Ok(Some(*f)),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => parse_number(s)
                .map(Some)
                .ok_or_else(|| self.bad(row, column, header, "a number")),
            _ => Err(self.bad(row, column, header, "a number")),
        }
    }

    pub fn number(&self, row: u32, column: u32, header: Option<&str>) -> Result<f64, EtlError> {
        self.optional_number(row, column, header)?
            .ok_or_else(|| self.bad(row, column, header, "a number"))
    }
}

/// The cells of one `;`-separated line, quotes removed.
fn csv_cells(line: &str) -> impl Iterator<Item = &str> {
    line.split(';').map(|c| c.trim_matches('"'))
}

/// The bytes of a raw file; a missing file says what it is and where to get it.
fn read_raw(path: &Path, source: RawSource) -> Result<Vec<u8>, EtlError> {
    std::fs::read(path).map_err(|e| raw_error(path, e, source))
}

/// A raw file that cannot be opened: when missing, what it is and where to get it.
pub(crate) fn raw_error(path: &Path, e: std::io::Error, source: RawSource) -> EtlError {
    match e.kind() {
        std::io::ErrorKind::NotFound => EtlError::MissingFile {
            path: path.to_path_buf(),
            what: source.what,
            origin: source.origin,
        },
        _ => EtlError::io(path, e),
    }
}

/// Parses French or English number text: `12,5`, `12.5`, `1 234` (thin or no-break spaces).
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|f| f.is_finite())
}

fn describe(cell: &Data) -> String {
    match cell {
        Data::Empty => "an empty cell".to_owned(),
        Data::String(s) => format!("text {}", crate::error::montre(s)),
        Data::Int(i) => format!("the number {i}"),
        Data::Float(f) => format!("the number {f}"),
        Data::Bool(b) => format!("the boolean {b}"),
        Data::Error(e) => format!("the error {e}"),
        other => crate::error::montre(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_french_and_english_numbers() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("1\u{a0}234"), Some(1234.0));
        assert_eq!(parse_number("438109"), Some(438_109.0));
        assert_eq!(parse_number("n/a"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn csv_text_becomes_a_grid_of_text_cells() {
        let latin1 = b"Code;Libell\xe9\r\n01;Ain\r\n\r\n2A;\"Corse-du-Sud\";12,5\r\n";
        let sheet = Sheet::from_text(Path::new("f.csv"), "f.csv".into(), latin1, None);
        assert_eq!(sheet.rows(), 4);
        assert_eq!(sheet.columns(), 3);
        assert_eq!(sheet.text(0, 1).as_deref(), Some("Libellé"));
        assert_eq!(sheet.text(2, 0), None);
        assert_eq!(sheet.text(3, 1).as_deref(), Some("Corse-du-Sud"));
        assert_eq!(sheet.number(3, 2, None).unwrap(), 12.5);
        assert_eq!(
            sheet.at(3, 2, None).to_string(),
            "f.csv, sheet 'f.csv', row 4, column C"
        );
    }

    #[test]
    fn kept_columns_keep_their_letters_in_errors() {
        let text = b"A;B;CODE;D;VALUE;F\n1;2;01;4;x;6\n7;8;02\n";
        let keep = ["VALUE", "CODE"];
        let sheet = Sheet::from_text(Path::new("z.csv"), "z.csv".into(), text, Some(&keep));
        assert_eq!((sheet.rows(), sheet.columns()), (3, 2));
        assert_eq!(sheet.text(0, 0).as_deref(), Some("CODE"));
        assert_eq!(sheet.text(1, 1).as_deref(), Some("x"));
        assert_eq!(sheet.text(2, 0).as_deref(), Some("02"));
        assert_eq!(sheet.text(2, 1), None);
        let err = sheet.number(1, 1, Some("VALUE")).unwrap_err().to_string();
        assert_eq!(
            err,
            "z.csv, sheet 'z.csv', row 2, column E ('VALUE'): expected a number, found text 'x'"
        );
    }
}
