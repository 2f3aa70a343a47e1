//! Row sources for the results files, read one row at a time so that memory does not grow
//! with the file: `;`-separated text (the Ministry's `.txt` and `.csv`, Latin-1 or UTF-8)
//! through the `csv` crate, xlsx workbooks through calamine's streaming cell reader, and a
//! sheet already in memory (legacy `.xls`, whose format has no streaming reader).
//!
//! Each row is handed to a callback as a [`Ligne`]; its accessors report a [`Fault`] (a
//! column and a message) that the caller turns into an error naming file, line and column.

mod ligne;
pub mod xlsx;

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use encoding_rs::UTF_8;

use crate::error::{CellRef, EtlError};
use crate::excel::{RawSource, Sheet, raw_error};
pub use ligne::{Encodage, Fault, Ligne};

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
    /// The workbook is opened (its shared strings read) once, when the source is.
    Xlsx {
        position: Position,
        workbook: Box<Xlsx<BufReader<File>>>,
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
            .map_err(|e| raw_error(path, e, source.clone()))?;
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
            let (workbook, sheet) = open_xlsx(path)?;
            Ok(Source::Xlsx {
                position: Position { file, sheet },
                workbook: Box::new(workbook),
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
            | Source::Xlsx { position, .. }
            | Source::Feuille { position, .. } => position,
        }
    }

    /// Hands every non-empty row to `visit`, in order, stopping at its first error.
    pub fn each(
        &mut self,
        visit: &mut dyn FnMut(Ligne<'_>) -> Result<(), EtlError>,
    ) -> Result<(), EtlError> {
        match self {
            Source::Texte { position, encodage } => each_text_line(position, *encodage, visit),
            Source::Xlsx { position, workbook } => each_xlsx_row(position, workbook, visit),
            Source::Feuille { sheet, .. } => {
                let mut cells = Vec::with_capacity(sheet.columns() as usize);
                for r in 0..sheet.rows() {
                    cells.clear();
                    cells.extend((0..sheet.columns()).map(|c| sheet.cell(r, c).clone()));
                    let ligne = Ligne::cellules(r, &cells);
                    if !ligne.is_empty() {
                        visit(ligne)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The workbook and the name of its first sheet.
fn open_xlsx(path: &Path) -> Result<(Xlsx<BufReader<File>>, String), EtlError> {
    let unreadable = |detail: String| EtlError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    xlsx::check(path)?;
    let workbook: Xlsx<BufReader<File>> = calamine::open_workbook(path)
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable("no sheet".into()))?;
    Ok((workbook, sheet))
}

/// The cells of the first sheet, row by row, from calamine's streaming reader: only one row
/// is held at a time (plus the workbook's shared strings).
fn each_xlsx_row(
    position: &Position,
    workbook: &mut Xlsx<BufReader<File>>,
    visit: &mut dyn FnMut(Ligne<'_>) -> Result<(), EtlError>,
) -> Result<(), EtlError> {
    let unreadable = |detail: String| EtlError::Unreadable {
        path: position.file.clone(),
        detail,
    };
    let mut reader = workbook
        .worksheet_cells_reader(&position.sheet)
        .map_err(|e| unreadable(format!("sheet '{}': {e}", position.sheet)))?;
    // A worksheet has at most 16,384 columns: a larger index is a damaged file.
    const MAX_COLUMNS: usize = 16_384;
    let mut cells: Vec<Data> = Vec::new();
    let mut current: Option<u32> = None;
    let mut emit = |index: u32, cells: &[Data]| {
        let ligne = Ligne::cellules(index, cells);
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

/// Longest line read from a text file. The Ministry's longest, a polling station with 12
/// candidates, is under 2 KiB: a mega-byte is no results file (one 100 MB line took 469 MiB).
pub const MAX_LINE_BYTES: u64 = 1 << 20;
/// Most fields on one line (the widest real layout has about 200).
pub const MAX_FIELDS: usize = 4096;
/// Longest field (commune and candidate names are under 100 bytes).
pub const MAX_FIELD_BYTES: usize = 4096;

/// A reader that fails once more than [`MAX_LINE_BYTES`] were read since the counter was
/// last reset (after each line), so that a line without end, or an unclosed quote, cannot
/// grow the csv crate's record without bound.
struct Plafond<R> {
    inner: R,
    lus: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Plafond<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.lus.get() > MAX_LINE_BYTES {
            return Err(std::io::Error::other(TooLong));
        }
        let n = self.inner.read(buf)?;
        self.lus.set(self.lus.get() + n as u64);
        Ok(n)
    }
}

#[derive(Debug)]
struct TooLong;

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line over {MAX_LINE_BYTES} bytes")
    }
}

impl std::error::Error for TooLong {}

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
    // The Ministry separates fields with `;`; a re-shaped copy may use `,`: the first line's
    // first 4 KiB tell which (a header with no `;` and a `,`).
    let mut entete = [0u8; 4096];
    let lu = file.read(&mut entete).map_err(io)?;
    let entete = &entete[..lu];
    let premiere = entete.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if !premiere.contains(&b';') && premiere.contains(&b',') {
        b','
    } else {
        b';'
    };
    file.seek(SeekFrom::Start(skipped)).map_err(io)?;
    // Lines end at `\n`: a `\r` before it is trimmed with the last field. (With its CRLF
    // terminator the csv crate counts lines one short after the first.)
    let lus = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(Plafond {
            inner: BufReader::with_capacity(1 << 16, file),
            lus: std::rc::Rc::clone(&lus),
        });
    let mut record = csv::ByteRecord::new();
    let mut encodage = if bom { Encodage::Utf8 } else { declared };
    let mut first = true;
    // The line after the last one read: where a read that fails stopped.
    let mut next_index: u32 = 0;
    loop {
        lus.set(0);
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            let index = e
                .position()
                .map(|p| u32::try_from(p.line().saturating_sub(1)).unwrap_or(u32::MAX))
                .unwrap_or(next_index);
            let message = match e.kind() {
                csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<TooLong>()) => {
                    format!(
                        "the line is over {MAX_LINE_BYTES} bytes (or a quote is never closed):                          no results file has such lines"
                    )
                }
                _ => format!("unreadable line: {e}"),
            };
            position.at(index, Fault::new(0, None, message))
        })?;
        if !more {
            return Ok(());
        }
        let line = record.position().map_or(0, |p| p.line());
        let index = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
        next_index = index.saturating_add(1);
        if record.len() > MAX_FIELDS {
            return Err(position.at(
                index,
                Fault::new(
                    0,
                    None,
                    format!(
                        "the line has {} fields; no results file has more than {MAX_FIELDS}",
                        record.len()
                    ),
                ),
            ));
        }
        if let Some((column, field)) = record
            .iter()
            .enumerate()
            .find(|(_, f)| f.len() > MAX_FIELD_BYTES)
        {
            return Err(position.at(
                index,
                Fault::new(
                    u32::try_from(column).unwrap_or(u32::MAX),
                    None,
                    format!(
                        "the field is {} bytes long; no results field is over {MAX_FIELD_BYTES}",
                        field.len()
                    ),
                ),
            ));
        }
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
        let ligne = Ligne::octets(index, sans_fin, &record, encodage);
        if !ligne.is_empty() {
            visit(ligne)?;
        }
    }
}
