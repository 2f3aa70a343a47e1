//! `data_clean/resultats_communes_{annee}_t{tour}.csv`: one row per commune and candidate,
//! written when a round's file is by commune or polling station (the département files
//! cannot give it). Sorted by INSEE commune code, then candidate id.

use crate::elections::ElectionFile;
use crate::error::EtlError;
use crate::reference::Reference;

pub const HEADER: [&str; 15] = [
    "code_commune",
    "commune",
    "departement_code",
    "annee",
    "tour",
    "inscrits",
    "abstentions",
    "votants",
    "blancs",
    "nuls",
    "exprimes",
    "candidat_id",
    "nom",
    "prenom",
    "voix",
];

/// The start of the commune tables' names.
pub const PREFIX: &str = "resultats_communes_";

/// The file name for a round.
pub fn file_name(annee: i32, tour: i32) -> String {
    format!("{PREFIX}{annee}_t{tour}.csv")
}

/// The INSEE code of a commune: a two-character département code (`01`, `2A`) and the
/// commune's three digits; a three-digit one (`971`, overseas) and the commune's last two
/// digits, the Ministry writing Les Abymes `101` in `ZA` for INSEE's `97101`.
/// Constituencies without INSEE communes (French people abroad, `ZZ`;
/// Saint-Martin/Saint-Barthélemy, `ZX`) keep the Ministry's code in front. A
/// five-character commune code is already an INSEE code.
pub fn code_insee(departement_insee: &str, departement_election: &str, commune: &str) -> String {
    if commune.len() == 5 {
        return commune.to_owned();
    }
    let commune = if commune.len() < 3 && commune.bytes().all(|b| b.is_ascii_digit()) {
        format!("{commune:0>3}")
    } else {
        commune.to_owned()
    };
    match departement_insee.len() {
        2 => format!("{departement_insee}{commune}"),
        3 if departement_insee.bytes().all(|b| b.is_ascii_digit()) => {
            let last_two = commune
                .get(commune.len().saturating_sub(2)..)
                .unwrap_or(&commune);
            format!("{departement_insee}{last_two}")
        }
        _ => format!("{departement_election}{commune}"),
    }
}

/// The commune table of one round, or `None` for a département-level file.
pub fn table(file: &ElectionFile, reference: &Reference) -> Result<Option<Vec<u8>>, EtlError> {
    if file.communes.is_empty() {
        return Ok(None);
    }
    let coverage = |message: String| EtlError::Coverage {
        path: file.file.clone(),
        sheet: file.sheet.clone(),
        message,
    };
    let ids = file
        .candidats
        .iter()
        .map(|(_, nom, prenom)| {
            reference
                .candidat(nom, prenom)
                .map(|c| c.id)
                .ok_or_else(|| {
                    coverage(format!(
                        "candidate '{prenom} {nom}' is not in the reference"
                    ))
                })
        })
        .collect::<Result<Vec<i32>, _>>()?;
    let mut order: Vec<usize> = (0..file.candidats.len()).collect();
    order.sort_by_key(|i| ids[*i]);
    let mut rows = Vec::with_capacity(file.communes.len());
    for commune in &file.communes {
        let departement = reference
            .departement_by_election_code(&commune.departement)
            .ok_or_else(|| {
                coverage(format!(
                    "département code '{}' is not in etl/reference/departements.csv",
                    commune.departement
                ))
            })?;
        let code = code_insee(
            &departement.code,
            &departement.code_election,
            &commune.commune,
        );
        rows.push((code, departement.code.as_str(), commune));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(pair) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(coverage(format!(
            "two communes give the INSEE code {} ('{}' and '{}')",
            pair[0].0, pair[0].2.libelle, pair[1].2.libelle
        )));
    }
    let (annee, tour) = (file.annee.to_string(), file.tour.to_string());
    // Each commune's fields (and each candidate's) are rendered once, CSV-quoted by the csv
    // crate, then repeated on the commune's rows: one row per candidate.
    let candidates: Vec<Vec<u8>> = order
        .iter()
        .map(|&i| {
            let (_, nom, prenom) = &file.candidats[i];
            csv_fields(&[&ids[i].to_string(), nom, prenom])
        })
        .collect();
    let mut out = csv_fields(&HEADER);
    out.reserve(rows.len() * candidates.len() * 90);
    out.push(b'\n');
    for (code, departement, commune) in &rows {
        let counts = commune.counts.map(|c| c.to_string());
        let mut fields: Vec<&str> = vec![code, &commune.libelle, departement, &annee, &tour];
        fields.extend(counts.iter().map(String::as_str));
        let head = csv_fields(&fields);
        for (&i, candidate) in order.iter().zip(&candidates) {
            out.extend_from_slice(&head);
            out.push(b',');
            out.extend_from_slice(candidate);
            out.push(b',');
            out.extend_from_slice(commune.voix[i].to_string().as_bytes());
            out.push(b'\n');
        }
    }
    Ok(Some(out))
}

/// Fields joined by commas, quoted where CSV needs it (by the csv crate), no line end; a
/// field that would start a formula in a spreadsheet is neutralised ([`db::tableur::cellule`]).
fn csv_fields(fields: &[&str]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a field the crate refused would only be left out.
    let _ = writer.write_record(fields.iter().map(|f| db::tableur::cellule(f).into_owned()));
    let mut bytes = writer.into_inner().unwrap_or_default();
    bytes.pop();
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insee_codes_join_departement_and_commune() {
        assert_eq!(code_insee("01", "01", "001"), "01001");
        assert_eq!(code_insee("2A", "2A", "004"), "2A004");
        assert_eq!(code_insee("971", "ZA", "101"), "97101");
        assert_eq!(code_insee("971", "ZA", "001"), "97101");
        assert_eq!(code_insee("976", "ZM", "611"), "97611");
        assert_eq!(code_insee("59", "59", "350"), "59350");
        assert_eq!(code_insee("59", "59", "7"), "59007");
        assert_eq!(code_insee("ZZ", "ZZ", "001"), "ZZ001");
        assert_eq!(code_insee("75", "75", "75056"), "75056");
    }

    #[test]
    fn fields_are_quoted_where_csv_needs_it() {
        assert_eq!(csv_fields(&["59350", "Lille", "59"]), b"59350,Lille,59");
        assert_eq!(
            csv_fields(&["x", "Saint-Denis, La", "a\"b"]),
            b"x,\"Saint-Denis, La\",\"a\"\"b\""
        );
        assert_eq!(
            csv_fields(&["59350", "=HYPERLINK(\"http://x\")"]),
            b"59350,\"'=HYPERLINK(\"\"http://x\"\")\""
        );
    }
}
