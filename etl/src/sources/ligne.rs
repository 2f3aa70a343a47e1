//! One row of a results file and typed access to its fields, without copying: raw bytes of a
//! text line (decoded field by field, Latin-1 or UTF-8) or workbook cells.

use std::borrow::Cow;

use calamine::Data;
use encoding_rs::WINDOWS_1252;

use crate::excel::parse_number;

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
    /// A line of a text file.
    pub(super) fn octets(
        index: u32,
        sans_fin: bool,
        record: &'a csv::ByteRecord,
        encodage: Encodage,
    ) -> Ligne<'a> {
        Ligne {
            index,
            sans_fin,
            champs: Champs::Octets(record, encodage),
        }
    }

    /// A row of a workbook.
    pub(super) fn cellules(index: u32, cells: &'a [Data]) -> Ligne<'a> {
        Ligne {
            index,
            sans_fin: false,
            champs: Champs::Cellules(cells),
        }
    }

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
                    Ok(text) => crate::error::montre(&text),
                    Err(message) => message,
                },
            },
            Champs::Cellules(cells) => match cells.get(column as usize) {
                None | Some(Data::Empty) => "an empty cell".to_owned(),
                Some(Data::String(s)) if s.trim().is_empty() => "an empty cell".to_owned(),
                Some(Data::String(s)) => format!("text {}", crate::error::montre(s)),
                Some(other) => crate::error::montre(&other.to_string()),
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
        // UTF-8 pasted into a Latin-1 file would become `Ã‰vry`: multibyte sequences are
        // refused (no French name in Latin-1 holds one: `Ã` then a byte of 0x80..0xBF).
        Encodage::Latin1 if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() => {
            Err(format!(
                "the field is UTF-8 ({}) in a file read as Latin-1: save the whole file in one                  encoding",
                crate::error::montre(&String::from_utf8_lossy(bytes))
            ))
        }
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
    fn utf8_in_a_latin1_file_is_refused() {
        let err = decode("Évry".as_bytes(), Encodage::Latin1).unwrap_err();
        assert!(err.contains("UTF-8") && err.contains("Évry"), "{err}");
        assert_eq!(decode(b"\xc9vry", Encodage::Latin1).unwrap(), "Évry");
        assert_eq!(decode(b"Lille", Encodage::Latin1).unwrap(), "Lille");
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
