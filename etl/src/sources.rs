//! Row sources for the results files, read one row at a time so that memory does not grow
//! with the file: `;`-separated text (the Ministry's `.txt` and `.csv`, Latin-1 or UTF-8)
//! through the `csv` crate, xlsx workbooks through calamine's streaming cell reader, and a
//! sheet already in memory (legacy `.xls`, whose format has no streaming reader).
//!
//! Each row is handed to a callback as a [`Ligne`]; its accessors report a [`Fault`] (a
//! column and a message) that the caller turns into an error naming file, line and column.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use encoding_rs::{UTF_8, WINDOWS_1252};

use crate::error::{CellRef, EtlError};
use crate::excel::{RawSource, Sheet, parse_number};

/// The text encoding of a results file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encodage {
    /// UTF-8 when the header line is valid UTF-8 (or the file starts with a UTF-8 byte order
    /// mark), Latin-1 otherwise: the header always holds accented names.
    #[default]
    Auto,
    Utf8,
    /// ISO-8859-1 as published, read as its superset Windows-1252 (WHATWG's "latin1").
    Latin1,
}

impl std::str::FromStr for Encodage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Encodage::Auto),
            "utf-8" | "utf8" => Ok(Encodage::Utf8),
            "latin1" | "latin-1" | "iso-8859-1" | "windows-1252" | "cp1252" => Ok(Encodage::Latin1),
            other => Err(format!(
                "unknown encoding '{other}': expected auto, utf-8 or latin1"
            )),
        }
    }
}

/// What is wrong in one row: the 0-based column and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub column: u32,
    pub header: Option<String>,
    pub message: String,
}

impl Fault {
    pub fn new(column: u32, header: Option<&str>, message: impl Into<String>) -> Fault {
        Fault {
            column,
            header: header.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// A row's fields: raw bytes of a text line, or workbook cells.
#[derive(Clone, Copy)]
enum Champs<'a> {
    Octets(&'a csv::ByteRecord, Encodage),
    Cellules(&'a [Data]),
}

/// One row of a results file.
#[derive(Clone, Copy)]
pub struct Ligne<'a> {
    /// 0-based row (the line number minus one in a text file).
    pub index: u32,
    /// The last line of a text file that does not end with a line end.
    pub sans_fin: bool,
    champs: Champs<'a>,
}

impl<'a> Ligne<'a> {
    /// Number of fields, trailing empty ones left out.
    pub fn len(&self) -> u32 {
        let n = match self.champs {
            Champs::Octets(record, _) => {
                let mut n = record.len();
                while n > 0 && record.get(n - 1).is_some_and(|f| f.trim_ascii().is_empty()) {
                    n -= 1;
                }
                n
            }
            Champs::Cellules(cells) => {
                let mut n = cells.len();
                while n > 0 && is_blank(&cells[n - 1]) {
                    n -= 1;
                }
                n
            }
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The field as trimmed text, `None` when empty; numbers in a workbook are written as
    /// text, without a fractional part when whole.
    pub fn texte(&self, column: u32, header: Option<&str>) -> Result<Option<Cow<'a, str>>, Fault> {
        match self.champs {
            Champs::Octets(record, encodage) => {
                let Some(bytes) = record.get(column as usize) else {
                    return Ok(None);
                };
                let bytes = bytes.trim_ascii();
                if bytes.is_empty() {
                    return Ok(None);
                }
                decode(bytes, encodage)
                    .map(Some)
                    .map_err(|message| Fault::new(column, header, message))
            }
            Champs::Cellules(cells) => Ok(match cells.get(column as usize) {
                Some(Data::String(s)) => {
                    let t = s.trim();
                    (!t.is_empty()).then(|| Cow::Owned(t.to_owned()))
                }
                Some(Data::Int(i)) => Some(Cow::Owned(i.to_string())),
                Some(Data::Float(f)) if f.fract() == 0.0 => Some(Cow::Owned(format!("{f:.0}"))),
                Some(Data::Float(f)) => Some(Cow::Owned(f.to_string())),
                _ => None,
            }),
        }
    }

    /// Whether the field's text is `expected`, without decoding or copying it: the hot path
    /// for names that repeat on every row. `false` sends the caller to [`Ligne::texte`].
    pub fn vaut(&self, column: u32, expected: &str) -> bool {
        match self.champs {
            Champs::Octets(record, encodage) => {
                let Some(bytes) = record.get(column as usize).map(<[u8]>::trim_ascii) else {
                    return false;
                };
                match encodage {
                    Encodage::Latin1 => {
                        // Latin-1 bytes outside 0x80..0xA0 are their own code points.
                        let mut chars = expected.chars();
                        bytes.iter().all(|b| {
                            !(0x80..0xA0).contains(b) && chars.next() == Some(char::from(*b))
                        }) && chars.next().is_none()
                    }
                    Encodage::Utf8 | Encodage::Auto => bytes == expected.as_bytes(),
                }
            }
            Champs::Cellules(cells) => {
                matches!(cells.get(column as usize), Some(Data::String(s)) if s.trim() == expected)
            }
        }
    }

    pub fn texte_requis(&self, column: u32, header: Option<&str>) -> Result<Cow<'a, str>, Fault> {
        self.texte(column, header)?
            .ok_or_else(|| self.attendu(column, header, "text"))
    }

    /// A non-negative whole number, as digits or as a workbook number.
    pub fn entier(&self, column: u32, header: Option<&str>) -> Result<i64, Fault> {
        let digits_only = match self.champs {
            Champs::Octets(record, _) => record
                .get(column as usize)
                .and_then(|b| digits(b.trim_ascii())),
            Champs::Cellules(cells) => match cells.get(column as usize) {
                Some(Data::Int(i)) => Some(*i),
                _ => None,
            },
        };
        digits_only
            .or_else(|| {
                self.valeur(column)
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .filter(|v| *v >= 0)
            .ok_or_else(|| self.attendu(column, header, "a non-negative whole number"))
    }

    /// A number: `12,5` or `12.5` in text, or a workbook number.
    pub fn nombre(&self, column: u32, header: Option<&str>) -> Result<f64, Fault> {
        self.valeur(column)
            .ok_or_else(|| self.attendu(column, header, "a number"))
    }

    /// The field as a finite number, if it is one.
    fn valeur(&self, column: u32) -> Option<f64> {
        match self.champs {
            Champs::Octets(record, _) => record
                .get(column as usize)
                .and_then(|b| decimal(b.trim_ascii()))
                .or_else(|| {
                    self.texte(column, None)
                        .ok()
                        .flatten()
                        .and_then(|t| parse_number(&t))
                }),
            Champs::Cellules(cells) => match cells.get(column as usize) {
                Some(Data::Int(i)) => Some(*i as f64),
                Some(Data::Float(f)) if f.is_finite() => Some(*f),
                Some(Data::String(s)) => parse_number(s),
                _ => None,
            },
        }
    }

    fn attendu(&self, column: u32, header: Option<&str>, expected: &str) -> Fault {
        let found = match self.champs {
            Champs::Octets(record, encodage) => match record.get(column as usize) {
                None => "nothing (the line has fewer fields)".to_owned(),
                Some(b) if b.trim_ascii().is_empty() => "an empty field".to_owned(),
                Some(b) => match decode(b, encodage) {
                    Ok(text) => format!("'{text}'"),
                    Err(message) => message,
                },
            },
            Champs::Cellules(cells) => match cells.get(column as usize) {
                None | Some(Data::Empty) => "an empty cell".to_owned(),
                Some(Data::String(s)) if s.trim().is_empty() => "an empty cell".to_owned(),
                Some(Data::String(s)) => format!("text '{s}'"),
                Some(other) => format!("'{other}'"),
            },
        };
        Fault::new(
            column,
            header,
            format!("expected {expected}, found {found}"),
        )
    }
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn decode(bytes: &[u8], encodage: Encodage) -> Result<Cow<'_, str>, String> {
    match encodage {
        Encodage::Latin1 => Ok(WINDOWS_1252.decode_without_bom_handling(bytes).0),
        Encodage::Utf8 | Encodage::Auto => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(e) => Err(format!(
                "invalid UTF-8 bytes (byte {} of the field is 0x{:02X}); the file is read as \
                 UTF-8: if it is Latin-1, pass --encoding latin1",
                e.valid_up_to() + 1,
                bytes.get(e.valid_up_to()).copied().unwrap_or(0)
            )),
        },
    }
}

/// ASCII digits only: the fast path for counts in text files.
fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 15 {
        return None;
    }
    bytes.iter().try_fold(0i64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// `12,34` or `12.34` (optionally signed): the fast path for published percentages.
fn decimal(bytes: &[u8]) -> Option<f64> {
    let mut buffer = [0u8; 32];
    let out = buffer.get_mut(..bytes.len())?;
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = match b {
            b',' => b'.',
            b'0'..=b'9' | b'.' | b'-' | b'+' => *b,
            _ => return None,
        };
    }
    std::str::from_utf8(out)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// Where a results file is, for error messages.
#[derive(Debug, Clone)]
pub struct Position {
    pub file: PathBuf,
    /// Empty for a text file: errors then read "line N".
    pub sheet: String,
}

impl Position {
    pub fn at(&self, index: u32, fault: Fault) -> EtlError {
        EtlError::Cell {
            at: CellRef {
                file: self.file.clone(),
                sheet: self.sheet.clone(),
                row: index + 1,
                column: fault.column,
                header: fault.header,
            },
            message: fault.message,
        }
    }
}

/// A results file, opened, ready to hand its rows over one at a time.
pub enum Source {
    Texte {
        position: Position,
        encodage: Encodage,
    },
    Xlsx {
        position: Position,
    },
    Feuille {
        position: Position,
        sheet: Sheet,
    },
}

impl Source {
    /// Text for `.txt` and `.csv`; otherwise the format is read from the first bytes: a zip
    /// (xlsx) is streamed, anything else (legacy xls) read whole by calamine.
    pub fn open(path: &Path, encodage: Encodage, source: RawSource) -> Result<Source, EtlError> {
        let text = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
        let mut magic = [0u8; 4];
        let read = File::open(path)
            .and_then(|mut f| f.read(&mut magic))
            .map_err(|e| missing(path, e, source))?;
        let file = path.to_path_buf();
        if text {
            Ok(Source::Texte {
                position: Position {
                    file,
                    sheet: String::new(),
                },
                encodage,
            })
        } else if read == 4 && magic == *b"PK\x03\x04" {
            let sheet = first_sheet_name(path)?;
            Ok(Source::Xlsx {
                position: Position { file, sheet },
            })
        } else {
            let sheet = Sheet::open(path, crate::excel::SheetChoice::First, source)?;
            Ok(Source::from_sheet(sheet))
        }
    }

    pub fn from_sheet(sheet: Sheet) -> Source {
        Source::Feuille {
            position: Position {
                file: sheet.file.clone(),
                sheet: sheet.name.clone(),
            },
            sheet,
        }
    }

    pub fn position(&self) -> &Position {
        match self {
            Source::Texte { position, .. }
            | Source::Xlsx { position }
            | Source::Feuille { position, .. } => position,
        }
    }

    /// Hands every non-empty row to `visit`, in order, stopping at its first error.
    pub fn each(
        &self,
        visit: &mut dyn FnMut(Ligne<'_>) -> Result<(), EtlError>,
    ) -> Result<(), EtlError> {
        match self {
            Source::Texte { position, encodage } => each_text_line(position, *encodage, visit),
            Source::Xlsx { position } => each_xlsx_row(position, visit),
            Source::Feuille { sheet, .. } => {
                let mut cells = Vec::with_capacity(sheet.columns() as usize);
                for r in 0..sheet.rows() {
                    cells.clear();
                    cells.extend((0..sheet.columns()).map(|c| sheet.cell(r, c).clone()));
                    let ligne = Ligne {
                        index: r,
                        sans_fin: false,
                        champs: Champs::Cellules(&cells),
                    };
                    if !ligne.is_empty() {
                        visit(ligne)?;
                    }
                }
                Ok(())
            }
        }
    }
}

fn missing(path: &Path, e: std::io::Error, source: RawSource) -> EtlError {
    match e.kind() {
        std::io::ErrorKind::NotFound => EtlError::MissingFile {
            path: path.to_path_buf(),
            what: source.what,
            origin: source.origin,
        },
        _ => EtlError::io(path, e),
    }
}

fn first_sheet_name(path: &Path) -> Result<String, EtlError> {
    let unreadable = |detail: String| EtlError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let workbook: Xlsx<_> = calamine::open_workbook(path)
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable("no sheet".into()))
}

/// The cells of the first sheet, row by row, from calamine's streaming reader: only one row
/// is held at a time (plus the workbook's shared strings).
fn each_xlsx_row(
    position: &Position,
    visit: &mut dyn FnMut(Ligne<'_>) -> Result<(), EtlError>,
) -> Result<(), EtlError> {
    let path = &position.file;
    let unreadable = |detail: String| EtlError::Unreadable {
        path: path.clone(),
        detail,
    };
    let mut workbook: Xlsx<BufReader<File>> = calamine::open_workbook(path)
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let mut reader = workbook
        .worksheet_cells_reader(&position.sheet)
        .map_err(|e| unreadable(format!("sheet '{}': {e}", position.sheet)))?;
    // A worksheet has at most 16,384 columns: a larger index is a damaged file.
    const MAX_COLUMNS: usize = 16_384;
    let mut cells: Vec<Data> = Vec::new();
    let mut current: Option<u32> = None;
    let mut emit = |index: u32, cells: &[Data]| {
        let ligne = Ligne {
            index,
            sans_fin: false,
            champs: Champs::Cellules(cells),
        };
        if ligne.is_empty() {
            Ok(())
        } else {
            visit(ligne)
        }
    };
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| unreadable(format!("sheet '{}': {e}", position.sheet)))?
    {
        let (row, column) = cell.get_position();
        if current != Some(row) {
            if let Some(previous) = current {
                emit(previous, &cells)?;
            }
            cells.clear();
            current = Some(row);
        }
        let column = column as usize;
        if column >= MAX_COLUMNS {
            return Err(unreadable(format!("a cell in column {}", column + 1)));
        }
        if cells.len() <= column {
            cells.resize(column + 1, Data::Empty);
        }
        cells[column] = Data::from(cell.get_value().clone());
    }
    if let Some(previous) = current {
        emit(previous, &cells)?;
    }
    Ok(())
}

/// The byte order marks a text file may start with.
const BOM_UTF8: &[u8] = b"\xEF\xBB\xBF";

fn each_text_line(
    position: &Position,
    declared: Encodage,
    visit: &mut dyn FnMut(Ligne<'_>) -> Result<(), EtlError>,
) -> Result<(), EtlError> {
    let path = &position.file;
    let io = |e| EtlError::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let length = file.metadata().map_err(io)?.len();
    // Whether the last line has its line end, to name a truncated file as such.
    let mut last = [0u8; 1];
    if length > 0 {
        file.seek(SeekFrom::End(-1)).map_err(io)?;
        file.read_exact(&mut last).map_err(io)?;
    }
    let ends_with_newline = length == 0 || matches!(last[0], b'\n' | b'\r');
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut start = [0u8; 3];
    let read = file.read(&mut start).map_err(io)?;
    let first_line = |message: String| position.at(0, Fault::new(0, None, message));
    let start = &start[..read];
    let bom = start.starts_with(BOM_UTF8);
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        return Err(first_line(
            "the file starts with a UTF-16 byte order mark: save it as UTF-8 or Latin-1 \
             (ISO-8859-1), the encodings the Ministry publishes"
                .into(),
        ));
    }
    if bom && declared == Encodage::Latin1 {
        return Err(first_line(
            "the file starts with a UTF-8 byte order mark but --encoding latin1 was given".into(),
        ));
    }
    let skipped = if bom { BOM_UTF8.len() as u64 } else { 0 };
    file.seek(SeekFrom::Start(skipped)).map_err(io)?;
    // Lines end at `\n`: a `\r` before it is trimmed with the last field. (With its CRLF
    // terminator the csv crate counts lines one short after the first.)
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(BufReader::with_capacity(1 << 16, file));
    let mut record = csv::ByteRecord::new();
    let mut encodage = if bom { Encodage::Utf8 } else { declared };
    let mut first = true;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            position.at(
                u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX),
                Fault::new(0, None, format!("unreadable line: {e}")),
            )
        })?;
        if !more {
            return Ok(());
        }
        let line = record.position().map_or(0, |p| p.line());
        let index = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
        if first {
            first = false;
            if encodage == Encodage::Auto {
                let utf8 = record.iter().all(|f| std::str::from_utf8(f).is_ok());
                encodage = if utf8 {
                    Encodage::Utf8
                } else {
                    Encodage::Latin1
                };
                log::debug!(
                    "{}: read as {}",
                    path.display(),
                    if utf8 { UTF_8.name() } else { "ISO-8859-1" }
                );
            }
        }
        let sans_fin = !ends_with_newline && reader.position().byte() + skipped >= length;
        let ligne = Ligne {
            index,
            sans_fin,
            champs: Champs::Octets(&record, encodage),
        };
        if !ligne.is_empty() {
            visit(ligne)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_parse_counts_and_decimal_commas() {
        assert_eq!(digits(b"438109"), Some(438_109));
        assert_eq!(digits(b"-3"), None);
        assert_eq!(digits(b""), None);
        assert_eq!(digits(b"12a"), None);
        assert_eq!(decimal(b"12,34"), Some(12.34));
        assert_eq!(decimal(b"0.5"), Some(0.5));
        assert_eq!(decimal(b"1 234"), None);
        assert_eq!(decimal(b"inf"), None);
    }

    #[test]
    fn encodings_are_named_as_people_write_them() {
        assert_eq!("UTF-8".parse(), Ok(Encodage::Utf8));
        assert_eq!("latin1".parse(), Ok(Encodage::Latin1));
        assert_eq!("ISO-8859-1".parse(), Ok(Encodage::Latin1));
        assert_eq!("auto".parse(), Ok(Encodage::Auto));
        assert!("utf-16".parse::<Encodage>().is_err());
    }

    #[test]
    fn fields_are_compared_without_decoding() {
        let mut record = csv::ByteRecord::new();
        record.push_field(b" M\xc9LENCHON ");
        record.push_field(b"\x80");
        let latin1 = Ligne {
            index: 0,
            sans_fin: false,
            champs: Champs::Octets(&record, Encodage::Latin1),
        };
        assert!(latin1.vaut(0, "MÉLENCHON"));
        assert!(!latin1.vaut(0, "MÉLENCHO"));
        assert!(!latin1.vaut(0, "MÉLENCHONS"));
        // Windows-1252's euro sign: left to the decoding path.
        assert!(!latin1.vaut(1, "€"));
        assert_eq!(latin1.texte(1, None).unwrap().as_deref(), Some("€"));
        assert!(!latin1.vaut(2, ""));
        let mut utf8 = csv::ByteRecord::new();
        utf8.push_field("MÉLENCHON".as_bytes());
        let ligne = Ligne {
            index: 0,
            sans_fin: false,
            champs: Champs::Octets(&utf8, Encodage::Utf8),
        };
        assert!(ligne.vaut(0, "MÉLENCHON"));
    }

    #[test]
    fn latin1_and_utf8_fields_decode_alike() {
        assert_eq!(decode(b"Pr\xe9nom", Encodage::Latin1).unwrap(), "Prénom");
        assert_eq!(
            decode("Prénom".as_bytes(), Encodage::Utf8).unwrap(),
            "Prénom"
        );
        let err = decode(b"Pr\xe9nom", Encodage::Utf8).unwrap_err();
        assert!(
            err.contains("invalid UTF-8") && err.contains("0xE9"),
            "{err}"
        );
    }
}
