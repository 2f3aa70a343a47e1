//! Bounds on an xlsx results workbook, checked before calamine opens it. calamine reads the
//! shared strings whole (a 1.35 MB workbook whose 600 MB of shared strings took 688 MiB)
//! and a cell's text whole (one 300 MB inline cell took 995 MiB): the XML parts are first
//! streamed through [`check`], which holds 64 KiB at a time, and refused past sizes no
//! Ministry workbook reaches.

use std::io::Read;
use std::path::Path;

use crate::error::{CellRef, EtlError};

/// Most bytes of shared strings (a polling-station workbook's are a few megabytes).
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;
/// Longest text of one cell or string, and longest XML tag (names are under 100 bytes).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Streams the shared strings and the worksheets of the workbook at `path`.
pub fn check(path: &Path) -> Result<(), EtlError> {
    let unreadable = |detail: String| EtlError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let file = std::fs::File::open(path).map_err(|e| EtlError::io(path, e))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| unreadable(e.to_string()))?;
    let parts: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .filter(|n| n == "xl/sharedStrings.xml" || n.starts_with("xl/worksheets/"))
        .filter(|n| n.ends_with(".xml"))
        .collect();
    for part in parts {
        let entry = archive
            .by_name(&part)
            .map_err(|e| unreadable(format!("member '{part}': {e}")))?;
        let shared = part == "xl/sharedStrings.xml";
        let limit = shared.then_some(MAX_SHARED_STRINGS_BYTES);
        let sheet = part
            .rsplit('/')
            .next()
            .unwrap_or(&part)
            .trim_end_matches(".xml")
            .to_owned();
        scan(entry, limit).map_err(|fault| match fault {
            Fault::Read(e) => unreadable(format!("member '{part}': {e}")),
            Fault::Total(n) => unreadable(format!(
                "its shared strings are over {n} bytes; no results workbook has more than {MAX_SHARED_STRINGS_BYTES}"
            )),
            Fault::Long { length, cell } => match cell.and_then(|c| position(&c)) {
                Some((row, column)) if !shared => EtlError::Cell {
                    at: CellRef {
                        file: path.to_path_buf(),
                        sheet: sheet.clone(),
                        row,
                        column,
                        header: None,
                    },
                    message: format!(
                        "a text of over {length} bytes; no results cell is over {MAX_TEXT_BYTES}"
                    ),
                },
                _ => unreadable(format!(
                    "member '{part}' holds a text or tag of over {length} bytes; no results workbook has one over {MAX_TEXT_BYTES}"
                )),
            },
        })?;
    }
    Ok(())
}

enum Fault {
    Read(std::io::Error),
    Total(u64),
    /// A text or tag too long, after the cell reference last seen (`<c r="B7">`).
    Long {
        length: usize,
        cell: Option<String>,
    },
}

/// Reads an XML part 64 KiB at a time: every run of text between tags, and every tag, must
/// be at most [`MAX_TEXT_BYTES`]; the whole part at most `limit`.
fn scan(mut part: impl Read, limit: Option<u64>) -> Result<(), Fault> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    let mut in_tag = false;
    let mut run = 0usize;
    // The start of the current tag, enough to read a cell's reference.
    let mut tag: Vec<u8> = Vec::with_capacity(64);
    let mut cell: Option<String> = None;
    loop {
        let n = part.read(&mut buffer).map_err(Fault::Read)?;
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if let Some(limit) = limit
            && total > limit
        {
            return Err(Fault::Total(limit));
        }
        for &byte in &buffer[..n] {
            match byte {
                b'<' => {
                    in_tag = true;
                    run = 0;
                    tag.clear();
                }
                b'>' if in_tag => {
                    in_tag = false;
                    run = 0;
                    if let Some(reference) = cell_reference(&tag) {
                        cell = Some(reference);
                    }
                }
                _ => {
                    run += 1;
                    if run > MAX_TEXT_BYTES {
                        return Err(Fault::Long {
                            length: MAX_TEXT_BYTES,
                            cell,
                        });
                    }
                    if in_tag && tag.len() < 64 {
                        tag.push(byte);
                    }
                }
            }
        }
    }
}

/// The `r` attribute of a `<c ...>` tag's start.
fn cell_reference(tag: &[u8]) -> Option<String> {
    let rest = tag.strip_prefix(b"c ")?;
    let text = std::str::from_utf8(rest).ok()?;
    let start = text.find("r=\"")? + 3;
    let end = text[start..].find('"')? + start;
    Some(text[start..end].to_owned())
}

/// `B7` as (row 7, column 1).
fn position(reference: &str) -> Option<(u32, u32)> {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_uppercase)
        .collect();
    let row: u32 = reference[letters.len()..].parse().ok()?;
    let mut column: u32 = 0;
    for c in letters.bytes() {
        column = column
            .checked_mul(26)?
            .checked_add(u32::from(c - b'A') + 1)?;
    }
    Some((row, column.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_found_after_their_cell() {
        let ok = b"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Lille</t></is></c></row>";
        assert!(scan(&ok[..], None).is_ok());
        let long = format!(
            "<row r=\"7\"><c r=\"B7\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
            "x".repeat(MAX_TEXT_BYTES + 1)
        );
        match scan(long.as_bytes(), None) {
            Err(Fault::Long { cell, .. }) => assert_eq!(cell.as_deref(), Some("B7")),
            _ => panic!("not refused"),
        }
        assert!(matches!(scan(&ok[..], Some(10)), Err(Fault::Total(10))));
        assert_eq!(position("B7"), Some((7, 1)));
        assert_eq!(position("AA10"), Some((10, 26)));
    }
}
