//! Finding each round's results file in the raw folder under the Ministry's own names:
//! `resultats-par-niveau-{dpt|subcom|burvot}-t{1|2}-france-entiere.{xlsx|txt|csv}`, at
//! département, commune or polling-station level, workbook or text.

use std::path::{Path, PathBuf};

use crate::error::EtlError;
use crate::resultats::Niveau;

pub const NIVEAUX: [Niveau; 3] = [Niveau::Departement, Niveau::Commune, Niveau::Bureau];
pub const EXTENSIONS: [&str; 3] = ["xlsx", "txt", "csv"];

/// The Ministry's name for one round's file at one level.
pub fn nom(niveau: Niveau, tour: i32, extension: &str) -> String {
    format!(
        "resultats-par-niveau-{}-t{tour}-france-entiere.{extension}",
        niveau.mot()
    )
}

/// The level a file name announces, when it is one of the Ministry's names for `tour`.
pub fn niveau_du_nom(name: &str, tour: i32) -> Option<Niveau> {
    NIVEAUX.into_iter().find(|n| {
        EXTENSIONS.iter().any(|e| {
            name.len() == nom(*n, tour, e).len() && name.eq_ignore_ascii_case(&nom(*n, tour, e))
        })
    })
}

/// The results file of round `tour`: the one given (`--resultats-t1`, `--resultats-t2`: a
/// path, or a name in the raw folder), else the single file of the raw folder with one of
/// the Ministry's names. None, or more than one, is an error naming what was expected.
pub fn round_file(raw_dir: &Path, tour: i32, chosen: Option<&Path>) -> Result<PathBuf, EtlError> {
    let error = |message: String| EtlError::RoundFiles {
        dir: raw_dir.to_path_buf(),
        message,
    };
    if let Some(chosen) = chosen {
        for candidate in [chosen.to_path_buf(), raw_dir.join(chosen)] {
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
        return Err(error(format!(
            "--resultats-t{tour} names '{}', which is neither a file nor a file of this folder",
            chosen.display()
        )));
    }
    let entries = std::fs::read_dir(raw_dir).map_err(|e| EtlError::io(raw_dir, e))?;
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| EtlError::io(raw_dir, e))?;
        let name = entry.file_name();
        let is_file = entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink());
        if is_file && niveau_du_nom(&name.to_string_lossy(), tour).is_some() {
            found.push(entry.path());
        }
    }
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(error(format!(
            "no results file for round {tour}. Expected one of the Ministry's names, \
             resultats-par-niveau-{{dpt|subcom|burvot}}-t{tour}-france-entiere.{{xlsx|txt|csv}} \
             (by département, commune or polling station; data.gouv.fr, 'Élection présidentielle \
             des 10 et 24 avril 2022 - Résultats définitifs du {}'; see data_raw/README.md)",
            if tour == 1 { "1er tour" } else { "2nd tour" }
        ))),
        several => Err(error(format!(
            "{} results files for round {tour}: {}. Keep one, or name the one to use with \
             --resultats-t{tour}",
            several.len(),
            several
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ministry_names_give_their_level() {
        let name = "resultats-par-niveau-burvot-t1-france-entiere.txt";
        assert_eq!(niveau_du_nom(name, 1), Some(Niveau::Bureau));
        assert_eq!(niveau_du_nom(name, 2), None);
        assert_eq!(
            niveau_du_nom("resultats-par-niveau-subcom-t2-france-entiere.CSV", 2),
            Some(Niveau::Commune)
        );
        assert_eq!(
            niveau_du_nom("resultats-par-niveau-dpt-t1-france-entiere.xlsx", 1),
            Some(Niveau::Departement)
        );
        assert_eq!(
            niveau_du_nom("resultats-par-niveau-dpt-t1-france-entiere.xls", 1),
            None
        );
        assert_eq!(
            niveau_du_nom("x-resultats-par-niveau-dpt-t1-france-entiere.txt", 1),
            None
        );
    }

    #[test]
    fn one_file_per_round_or_a_named_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str| std::fs::write(dir.path().join(name), b"x").ok();
        let err = round_file(dir.path(), 1, None)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no results file for round 1"), "{err}");
        assert!(
            err.contains("{dpt|subcom|burvot}-t1-france-entiere.{xlsx|txt|csv}"),
            "{err}"
        );
        write("resultats-par-niveau-burvot-t1-france-entiere.txt");
        write("resultats-par-niveau-dpt-t2-france-entiere.xlsx");
        let found = round_file(dir.path(), 1, None).ok();
        assert_eq!(
            found.as_deref(),
            Some(
                dir.path()
                    .join("resultats-par-niveau-burvot-t1-france-entiere.txt")
                    .as_path()
            )
        );
        write("resultats-par-niveau-dpt-t1-france-entiere.xlsx");
        let err = round_file(dir.path(), 1, None)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 results files for round 1"), "{err}");
        assert!(err.contains("--resultats-t1"), "{err}");
        let named = "resultats-par-niveau-dpt-t1-france-entiere.xlsx";
        let chosen = round_file(dir.path(), 1, Some(Path::new(named))).ok();
        assert_eq!(chosen, Some(dir.path().join(named)));
        let err = round_file(dir.path(), 1, Some(Path::new("nope.txt")))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("--resultats-t1 names 'nope.txt'"), "{err}");
    }
}
