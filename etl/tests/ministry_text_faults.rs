//! Bad input in the Ministry's polling-station text files: each is an error naming the file,
//! the line and the column, the run exits 1, and every previous output stays byte-identical.
//! The files are written by the tests (see `common::ministry_grid`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    Project, burvot_texts, fails_untouched, ministry_grid, ministry_name, ministry_text,
    project_after_good_run_on,
};
use etl::error::column_letter;

/// Column indexes of the 2022 polling-station layout: 21 fixed columns, then blocks of 7
/// (`N°Panneau`, `Sexe`, `Nom`, `Prénom`, `Voix`, `% Voix/Ins`, `% Voix/Exp`).
const BUREAU: usize = 6;
const ABSTENTIONS: usize = 8;
const FIRST_VOIX: usize = 21 + 4;
const FIELDS_T1: usize = 21 + 12 * 7;

fn t1_name() -> String {
    ministry_name("burvot", 1, "txt")
}

/// A project that ran once on polling-station text files.
fn project() -> Project {
    project_after_good_run_on(&burvot_texts())
}

/// Rewrites the round-1 file (Latin-1, CRLF) line by line, fields split on `;`. Index 0 is
/// line 1, the header.
fn edit_t1(project: &Project, edit: impl FnOnce(&mut Vec<Vec<String>>)) {
    let path = project.raw().join(t1_name());
    let bytes = std::fs::read(&path).unwrap();
    let text: String = bytes.iter().map(|b| char::from(*b)).collect();
    let mut lines: Vec<Vec<String>> = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect();
    edit(&mut lines);
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    let latin1: Vec<u8> = out
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(path, latin1).unwrap();
}

fn at(line: usize, column: usize) -> String {
    format!("line {line}, column {}", column_letter(column as u32))
}

#[test]
fn a_line_with_an_extra_field_is_named() {
    let project = project();
    edit_t1(&project, |lines| lines[4].insert(2, "x".into()));
    let stderr = fails_untouched(
        &project,
        &[],
        &[
            &t1_name(),
            &at(5, FIELDS_T1),
            "wrong number of fields: 106, where line 2 and the header's layout have 105",
        ],
    );
    assert!(!stderr.contains("truncated"), "{stderr}");
}

#[test]
fn a_candidate_block_cut_short_is_named() {
    let project = project();
    edit_t1(&project, |lines| {
        let n = lines[5].len();
        lines[5].truncate(n - 3);
    });
    fails_untouched(
        &project,
        &[],
        &[
            &t1_name(),
            &at(6, 21 + 11 * 7),
            "candidate block cut short: the block starting here has 4 of its 7 fields",
        ],
    );
}

#[test]
fn a_vote_that_is_not_a_number_is_named() {
    let project = project();
    edit_t1(&project, |lines| lines[6][FIRST_VOIX] = "abc".into());
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Voix')", at(7, FIRST_VOIX)),
            "expected a non-negative whole number, found 'abc'",
        ],
    );
}

#[test]
fn a_negative_count_is_named() {
    let project = project();
    edit_t1(&project, |lines| lines[7][ABSTENTIONS] = "-5".into());
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Abstentions')", at(8, ABSTENTIONS)),
            "expected a non-negative whole number, found '-5'",
        ],
    );
}

#[test]
fn a_polling_station_listed_twice_is_named() {
    let project = project();
    // Line 3 is station 0002 of commune 001 in Ain; it becomes 0001 again.
    edit_t1(&project, |lines| {
        assert_eq!(lines[2][BUREAU], "0002");
        lines[2][BUREAU] = "0001".into();
    });
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Code du b.vote')", at(3, BUREAU)),
            "duplicate polling station in '01', commune '001' (already on line 2)",
        ],
    );
}

#[test]
fn a_commune_whose_stations_are_apart_is_named() {
    let project = project();
    // Line 5 (Aisne, commune 001) moved after line 7 (Aisne, commune 002).
    edit_t1(&project, |lines| {
        let moved = lines.remove(4);
        lines.insert(6, moved);
    });
    fails_untouched(
        &project,
        &[],
        &[
            &at(7, 4),
            "the rows of commune '001' in '02' are not together: it already appeared on line 5",
        ],
    );
}

#[test]
fn a_round_2_line_in_the_round_1_file_is_named() {
    let project = project();
    let t2 = ministry_text(&ministry_grid(2, true), true, true);
    let t2: String = t2.iter().map(|b| char::from(*b)).collect();
    let second: Vec<String> = t2
        .split("\r\n")
        .nth(1)
        .unwrap()
        .split(';')
        .map(str::to_owned)
        .collect();
    edit_t1(&project, |lines| lines.insert(9, second));
    fails_untouched(
        &project,
        &[],
        &[
            &at(10, 21 + 2 * 7),
            "2 candidate blocks on this line, not the 12 of line 2 (a block missing, or a file \
             mixing rounds)",
        ],
    );
}

#[test]
fn a_stray_candidate_is_named() {
    let project = project();
    edit_t1(&project, |lines| lines[10][21 + 2] = "MACRONN".into());
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Nom')", at(11, 21 + 2)),
            "candidate 'Nathalie MACRONN' is not among the candidates of line 2 (does the file \
             mix rounds?)",
        ],
    );
}

#[test]
fn invalid_utf8_bytes_are_named() {
    let project = project();
    // A UTF-8 file (so detected from its header) with one Latin-1 byte on line 9.
    let text = ministry_text(&ministry_grid(1, true), false, false);
    let mut lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    let fields: Vec<&[u8]> = lines[8].split(|b| *b == b';').collect();
    let mut edited: Vec<Vec<u8>> = fields.iter().map(|f| f.to_vec()).collect();
    edited[5].extend_from_slice(b" \xe9");
    lines[8] = edited.join(&b';');
    std::fs::write(project.raw().join(t1_name()), lines.join(&b'\n')).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Libellé de la commune')", at(9, 5)),
            "invalid UTF-8 bytes",
            "0xE9",
            "--encoding latin1",
        ],
    );
}

#[test]
fn a_latin1_file_declared_utf8_fails_on_its_header() {
    let project = project();
    fails_untouched(
        &project,
        &["--encoding", "utf-8"],
        &[&t1_name(), &at(1, 0), "invalid UTF-8 bytes"],
    );
}

#[test]
fn byte_order_marks_that_contradict_the_encoding_are_named() {
    let project = project();
    let path = project.raw().join(t1_name());
    let latin1 = std::fs::read(&path).unwrap();
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(&latin1);
    std::fs::write(&path, utf16).unwrap();
    fails_untouched(
        &project,
        &[],
        &[&t1_name(), &at(1, 0), "UTF-16 byte order mark"],
    );
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend(ministry_text(&ministry_grid(1, true), false, true));
    std::fs::write(&path, utf8).unwrap();
    fails_untouched(
        &project,
        &["--encoding", "latin1"],
        &[
            &at(1, 0),
            "UTF-8 byte order mark but --encoding latin1 was given",
        ],
    );
}

#[test]
fn a_truncated_last_line_is_named_and_a_complete_one_without_line_end_is_read() {
    let project = project();
    let path = project.raw().join(t1_name());
    let bytes = std::fs::read(&path).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    // Without its final CRLF the file is complete: same outputs.
    std::fs::write(&path, &bytes[..bytes.len() - 2]).unwrap();
    let before = project.outputs();
    let out = project.run_etl(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(before == project.outputs());
    // Cut inside the last line's last candidate block.
    std::fs::write(&path, &bytes[..bytes.len() - 14]).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            &format!("line {lines}, column"),
            "candidate block cut short",
            "this is the last line and the file ends inside it: truncated file?",
        ],
    );
}

#[test]
fn a_file_named_for_another_level_is_rejected() {
    let project = project();
    let from = project.raw().join(t1_name());
    std::fs::rename(&from, project.raw().join(ministry_name("subcom", 1, "txt"))).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            "resultats-par-niveau-subcom-t1-france-entiere.txt",
            "the name says results by commune ('subcom') but the header's columns are those of \
             results by polling station ('burvot')",
        ],
    );
}

#[test]
fn a_station_naming_its_commune_otherwise_is_named() {
    let project = project();
    edit_t1(&project, |lines| lines[2][5] = "Autre nom".into());
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Libellé de la commune')", at(3, 5)),
            "'Autre nom' for commune '001' in '01', named 'Commune 001 de Ain' on line 2",
        ],
    );
}

#[test]
fn a_sex_other_than_f_or_m_is_named_on_the_first_row_too() {
    let project = project();
    edit_t1(&project, |lines| lines[1][22] = "X".into());
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Sexe')", at(2, 22)),
            "expected 'F' or 'M', found 'X'",
        ],
    );
}

#[test]
fn a_commune_listed_twice_in_a_commune_file_is_named() {
    let grid = ministry_grid(1, false);
    let mut files = burvot_texts();
    files[0] = (
        ministry_name("subcom", 1, "txt"),
        ministry_text(&grid, true, true),
    );
    let project = project_after_good_run_on(&files);
    let path = project.raw().join(ministry_name("subcom", 1, "txt"));
    let text: Vec<u8> = std::fs::read(&path).unwrap();
    let mut lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    // Line 3 (Ain, commune 002) repeats line 2 (Ain, commune 001), right after it.
    lines[2] = lines[1];
    std::fs::write(&path, lines.concat()).unwrap();
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Code de la commune')", at(3, 2)),
            "duplicate commune '001' in '01' (already on line 2)",
        ],
    );
}

#[test]
fn a_header_mixing_fixed_columns_into_the_first_block_is_refused() {
    let project = project();
    // `N°Panneau` moved to the 8th column: the first block would swallow the counts.
    edit_t1(&project, |lines| lines[0].swap(7, 21));
    fails_untouched(
        &project,
        &[],
        &[
            &t1_name(),
            "line 1: the first candidate block starts at column H, before the fixed column V: \
             the fixed columns come first",
        ],
    );
}

/// Appends raw bytes as the last line of the round-1 file; returns that line's number.
fn append_raw_t1(project: &Project, line: &[u8]) -> usize {
    let path = project.raw().join(t1_name());
    let mut bytes = std::fs::read(&path).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    bytes.extend_from_slice(line);
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(path, bytes).unwrap();
    lines + 1
}

#[test]
fn a_line_over_a_megabyte_is_refused_by_line() {
    let project = project();
    let line = append_raw_t1(&project, &vec![b'a'; 3 << 20]);
    fails_untouched(
        &project,
        &[],
        &[&t1_name(), &format!("line {line}"), "over 1048576 bytes"],
    );
}

#[test]
fn an_unclosed_quote_is_refused_before_it_swallows_the_file() {
    let project = project();
    let mut tail = b"\"never closed".to_vec();
    for _ in 0..100_000 {
        tail.extend_from_slice(b"\r\n01;Ain;0101;x;001;y;0001");
    }
    let line = append_raw_t1(&project, &tail);
    fails_untouched(
        &project,
        &[],
        &[&format!("line {line}"), "a quote is never closed"],
    );
}

#[test]
fn a_line_of_fifty_thousand_fields_is_refused() {
    let project = project();
    let line = append_raw_t1(&project, &b"a;".repeat(50_000));
    fails_untouched(
        &project,
        &[],
        &[&format!("line {line}"), "50001 fields", "more than 4096"],
    );
}

#[test]
fn a_field_over_4_kib_is_refused_by_line_and_column() {
    let project = project();
    edit_t1(&project, |lines| lines[3][5] = "L".repeat(5000));
    fails_untouched(&project, &[], &[&at(4, 5), "5000 bytes long"]);
}

/// A commune name saved as UTF-8 in the Latin-1 file would read `Ã‰vry`.
#[test]
fn a_utf8_name_in_a_latin1_file_is_refused() {
    let project = project();
    edit_t1(&project, |lines| {
        let commune = lines[1][4].clone();
        for line in lines.iter_mut().skip(1).filter(|l| l[4] == commune) {
            // The UTF-8 bytes of "Évry" (C3 89), written as Latin-1 characters.
            line[5] = "\u{C3}\u{89}vry".into();
        }
    });
    fails_untouched(
        &project,
        &[],
        &[
            &format!("{} ('Libellé de la commune')", at(2, 5)),
            "UTF-8",
            "Évry",
        ],
    );
}

/// Raw fields quoted in messages are cut and escaped: no NUL or CR reaches the terminal.
#[test]
fn raw_fields_in_messages_are_cut_and_escaped() {
    let project = project();
    edit_t1(&project, |lines| {
        lines[1][22] = format!("\u{0}X\u{D}{}", "Z".repeat(3000));
    });
    let stderr = fails_untouched(
        &project,
        &[],
        &[&at(2, 22), "found '\\u{0}X\\rZZZ", "characters)"],
    );
    assert!(
        !stderr.contains('\0') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    assert!(stderr.len() < 1000, "{} bytes", stderr.len());
}

/// A commune named like a spreadsheet formula lands as text in the commune table.
#[test]
fn a_formula_in_a_commune_name_is_neutralised_in_the_commune_table() {
    let project = project();
    edit_t1(&project, |lines| {
        let commune = lines[1][4].clone();
        for line in lines.iter_mut().skip(1).filter(|l| l[4] == commune) {
            line[5] = "=HYPERLINK(\"http://x\")".into();
        }
    });
    let out = project.run_etl(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table =
        std::fs::read_to_string(project.out().join("resultats_communes_2022_t1.csv")).unwrap();
    assert!(
        table.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{}",
        &table[..400]
    );
    assert!(!table.contains(",=HYPERLINK"));
}
