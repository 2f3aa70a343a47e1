//! Lists as tables: every list endpoint answers JSON, CSV or CSV for Excel from one
//! [`Table`] built from its typed rows ([`Tabulaire`]). How a client asks for CSV
//! ([`crate::params::Sortie`]) and how the CSV is written are the same everywhere.
//!
//! - `csv`: `,` separator, `.` decimals, UTF-8 without BOM, LF line ends (pandas, R, Python's
//!   `csv`).
//! - `csv-excel`: `;` separator, decimal comma, UTF-8 with a BOM, CRLF line ends: what French
//!   Excel and LibreOffice open into the right columns with accents intact.
//!
//! Numbers are written as the JSON gives them (already rounded to the registry's decimals by
//! the views); counts are integers; lists inside a cell are joined by a space.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::error::ApiError;
use crate::params::Sortie;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cellule {
    Texte(String),
    Entier(i64),
    Nombre(f64),
    Booleen(bool),
    Vide,
}

impl From<&str> for Cellule {
    fn from(value: &str) -> Cellule {
        Cellule::Texte(value.to_owned())
    }
}

impl From<&String> for Cellule {
    fn from(value: &String) -> Cellule {
        Cellule::Texte(value.clone())
    }
}

impl From<String> for Cellule {
    fn from(value: String) -> Cellule {
        Cellule::Texte(value)
    }
}

impl From<f64> for Cellule {
    fn from(value: f64) -> Cellule {
        Cellule::Nombre(value)
    }
}

impl From<i32> for Cellule {
    fn from(value: i32) -> Cellule {
        Cellule::Entier(i64::from(value))
    }
}

impl From<i64> for Cellule {
    fn from(value: i64) -> Cellule {
        Cellule::Entier(value)
    }
}

impl From<usize> for Cellule {
    fn from(value: usize) -> Cellule {
        Cellule::Entier(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Cellule {
    fn from(value: bool) -> Cellule {
        Cellule::Booleen(value)
    }
}

impl<T: Into<Cellule>> From<Option<T>> for Cellule {
    fn from(value: Option<T>) -> Cellule {
        value.map_or(Cellule::Vide, Into::into)
    }
}

/// Values of a list in one cell, space-separated.
pub fn joindre<T: ToString>(values: &[T]) -> Cellule {
    Cellule::Texte(
        values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A table: its columns and its rows, each as long as the columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub colonnes: Vec<String>,
    pub lignes: Vec<Vec<Cellule>>,
}

impl Table {
    pub fn new(colonnes: &[&str]) -> Table {
        Table {
            colonnes: colonnes.iter().map(|c| (*c).to_owned()).collect(),
            lignes: Vec::new(),
        }
    }

    pub fn push(&mut self, ligne: Vec<Cellule>) {
        self.lignes.push(ligne);
    }
}

/// What a list endpoint's rows look like as a table.
pub trait Tabulaire {
    fn table(&self) -> Table;
}

fn texte(cellule: &Cellule, excel: bool) -> String {
    match cellule {
        Cellule::Texte(t) => db::tableur::cellule(t).into_owned(),
        Cellule::Entier(i) => i.to_string(),
        Cellule::Nombre(n) if excel => n.to_string().replace('.', ","),
        Cellule::Nombre(n) => n.to_string(),
        Cellule::Booleen(b) => b.to_string(),
        Cellule::Vide => String::new(),
    }
}

/// The table as CSV bytes, plain or for Excel.
pub fn csv(table: &Table, excel: bool) -> Result<Vec<u8>, ApiError> {
    let mut builder = csv::WriterBuilder::new();
    if excel {
        builder.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let mut out = Vec::new();
    if excel {
        out.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut writer = builder.from_writer(out);
    let failed = |e: csv::Error| ApiError::Internal(format!("CSV: {e}"));
    writer.write_record(&table.colonnes).map_err(failed)?;
    for ligne in &table.lignes {
        writer
            .write_record(ligne.iter().map(|c| texte(c, excel)))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("CSV: {e}")))
}

/// The answer of a list endpoint: `rows` as JSON, or their table as CSV sent as an attachment
/// named `<fichier>.csv`. `Vary: Accept` either way.
pub fn reponse<T: serde::Serialize + Tabulaire>(
    sortie: Sortie,
    fichier: &str,
    rows: &T,
) -> Result<HttpResponse, ApiError> {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::VARY, "Accept"));
    let excel = match sortie {
        Sortie::Json => return Ok(response.json(rows)),
        Sortie::Csv => false,
        Sortie::CsvExcel => true,
    };
    let suffix = if excel { "-excel" } else { "" };
    Ok(response
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{fichier}{suffix}.csv\""),
        ))
        .body(csv(&rows.table(), excel)?))
}

/// The rows sorted by one column of their table (`tri=part_extreme_droite`, `-` before it
/// for descending): numbers as numbers, text as text, rows without a value last either way,
/// ties in their previous order. A column the table does not have is a 400 listing them.
pub fn trier<T>(rows: Vec<T>, tri: Option<&str>) -> Result<Vec<T>, ApiError>
where
    Vec<T>: Tabulaire,
{
    let Some(tri) = tri.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(rows);
    };
    let (colonne, descendant) = match tri.strip_prefix('-') {
        Some(c) => (c.trim(), true),
        None => (tri.strip_prefix('+').unwrap_or(tri).trim(), false),
    };
    let table = rows.table();
    let Some(k) = table.colonnes.iter().position(|c| c == colonne) else {
        return Err(ApiError::parameter(
            "tri",
            format!(
                "parameter 'tri' must be a column of the list, '-' before it for descending; columns: {}",
                table.colonnes.join(", ")
            ),
            Some(table.colonnes.clone()),
        ));
    };
    let cle = |ligne: &[Cellule]| -> Option<Cellule> {
        ligne.get(k).filter(|c| **c != Cellule::Vide).cloned()
    };
    let mut ordre: Vec<usize> = (0..table.lignes.len()).collect();
    ordre.sort_by(
        |&a, &b| match (cle(&table.lignes[a]), cle(&table.lignes[b])) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => {
                let o = comparer(&x, &y);
                if descendant { o.reverse() } else { o }
            }
        },
    );
    let mut cases: Vec<Option<T>> = rows.into_iter().map(Some).collect();
    Ok(ordre.into_iter().filter_map(|i| cases[i].take()).collect())
}

fn comparer(a: &Cellule, b: &Cellule) -> std::cmp::Ordering {
    let nombre = |c: &Cellule| match c {
        Cellule::Entier(i) => Some(*i as f64),
        Cellule::Nombre(n) => Some(*n),
        Cellule::Booleen(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (nombre(a), nombre(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => texte(a, false).cmp(&texte(b, false)),
    }
}

/// A file name part from free text (codes, model ids): ASCII letters, digits, `-` and `_`.
pub fn nom_de_fichier(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Table {
        let mut t = Table::new(&["code", "nom", "taux", "population", "ok", "vide"]);
        t.push(vec![
            "2A".into(),
            "Corse-du-Sud; \"île\"".into(),
            12.5.into(),
            158_507_i64.into(),
            true.into(),
            Cellule::Vide,
        ]);
        t
    }

    struct Ligne(&'static str, Option<f64>);

    impl Tabulaire for Vec<Ligne> {
        fn table(&self) -> Table {
            let mut t = Table::new(&["code", "part"]);
            for l in self {
                t.push(vec![l.0.into(), l.1.into()]);
            }
            t
        }
    }

    #[test]
    fn rows_sort_by_any_column_missing_values_last() {
        let rows = || {
            vec![
                Ligne("b", Some(2.0)),
                Ligne("a", None),
                Ligne("c", Some(10.0)),
            ]
        };
        let codes = |v: Vec<Ligne>| v.iter().map(|l| l.0).collect::<Vec<_>>();
        assert_eq!(codes(trier(rows(), Some("part")).unwrap()), ["b", "c", "a"]);
        assert_eq!(
            codes(trier(rows(), Some("-part")).unwrap()),
            ["c", "b", "a"]
        );
        assert_eq!(
            codes(trier(rows(), Some("-code")).unwrap()),
            ["c", "b", "a"]
        );
        assert_eq!(codes(trier(rows(), None).unwrap()), ["b", "a", "c"]);
        let err = trier(rows(), Some("nope")).err().unwrap();
        assert!(err.to_string().contains("columns: code, part"), "{err}");
    }

    #[test]
    fn plain_csv_is_what_pandas_reads() {
        let text = String::from_utf8(csv(&exemple(), false).unwrap()).unwrap();
        assert_eq!(
            text,
            "code,nom,taux,population,ok,vide\n2A,\"Corse-du-Sud; \"\"île\"\"\",12.5,158507,true,\n"
        );
    }

    #[test]
    fn excel_csv_has_a_bom_semicolons_decimal_commas_and_crlf() {
        let bytes = csv(&exemple(), true).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "code;nom;taux;population;ok;vide\r\n2A;\"Corse-du-Sud; \"\"île\"\"\";12,5;158507;true;\r\n"
        );
    }
}
