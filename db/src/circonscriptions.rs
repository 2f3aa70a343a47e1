//! The 577 legislative constituencies, loaded with the [`Snapshot`](crate::Snapshot): the
//! reference table, turnout and candidates of every round held at that level, outlines and
//! neighbours. The 11 constituencies of the French abroad (`ZZ01`..`ZZ11`) have no territory:
//! they are in every table, with no outline and no neighbour.

use std::collections::BTreeMap;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use crate::DbError;
use crate::domaine::{Scrutin, TypeElection};
use crate::models::{
    CandidatureCirconscription, Circonscription, ContourCirconscription,
    ParticipationCirconscription, VoisinCirconscription,
};
use crate::schema;
use crate::snapshot::{Polygone, Trace};

/// The code prefix of the constituencies of the French abroad.
pub const HORS_DE_FRANCE: &str = "ZZ";

/// The constituency level of the database.
#[derive(Debug, Clone, Default)]
pub struct Circonscriptions {
    /// Sorted by code.
    pub liste: Vec<Circonscription>,
    /// The rounds held at this level, in [`Scrutin`] order.
    pub scrutins: Vec<Scrutin>,
    /// Per constituency, per round (keyed by code first, so lookups borrow a `&str`).
    participations: BTreeMap<String, BTreeMap<Scrutin, ParticipationCirconscription>>,
    /// Per constituency and round, the candidates in file order.
    candidatures: BTreeMap<String, BTreeMap<Scrutin, Vec<CandidatureCirconscription>>>,
    voisins: BTreeMap<String, Vec<String>>,
    contours: BTreeMap<String, Trace>,
    /// Rows per table, for `/health`.
    pub(crate) row_counts: Vec<(&'static str, usize)>,
}

fn scrutin(type_election: &str, annee: i32, tour: i32) -> Result<Scrutin, DbError> {
    TypeElection::from_code(type_election)
        .map(|t| Scrutin::de(t, annee, tour))
        .ok_or_else(|| DbError::Corrupt {
            path: "participations_circonscriptions".to_owned(),
            detail: format!("unknown election type '{type_election}'"),
        })
}

impl Circonscriptions {
    pub(crate) fn load(conn: &mut SqliteConnection) -> Result<Circonscriptions, DbError> {
        let liste: Vec<Circonscription> = schema::circonscriptions::table
            .order(schema::circonscriptions::code)
            .select(Circonscription::as_select())
            .load(conn)?;
        let participation_rows: Vec<ParticipationCirconscription> =
            schema::participations_circonscriptions::table
                .select(ParticipationCirconscription::as_select())
                .load(conn)?;
        let candidature_rows: Vec<CandidatureCirconscription> =
            schema::candidatures_circonscriptions::table
                .order((
                    schema::candidatures_circonscriptions::circonscription_code,
                    schema::candidatures_circonscriptions::type_election,
                    schema::candidatures_circonscriptions::annee,
                    schema::candidatures_circonscriptions::tour,
                    schema::candidatures_circonscriptions::rang,
                ))
                .select(CandidatureCirconscription::as_select())
                .load(conn)?;
        let contour_rows: Vec<ContourCirconscription> = schema::contours_circonscriptions::table
            .order(schema::contours_circonscriptions::circonscription_code)
            .select(ContourCirconscription::as_select())
            .load(conn)?;
        let voisin_rows: Vec<VoisinCirconscription> = schema::voisins_circonscriptions::table
            .order((
                schema::voisins_circonscriptions::circonscription_code,
                schema::voisins_circonscriptions::voisin_code,
            ))
            .select(VoisinCirconscription::as_select())
            .load(conn)?;
        let row_counts = vec![
            ("circonscriptions", liste.len()),
            ("participations_circonscriptions", participation_rows.len()),
            ("candidatures_circonscriptions", candidature_rows.len()),
            ("contours_circonscriptions", contour_rows.len()),
            ("voisins_circonscriptions", voisin_rows.len()),
        ];
        let mut participations: BTreeMap<String, BTreeMap<Scrutin, ParticipationCirconscription>> =
            BTreeMap::new();
        let mut scrutins: Vec<Scrutin> = Vec::new();
        for p in participation_rows {
            let s = scrutin(&p.type_election, p.annee, p.tour)?;
            if !scrutins.contains(&s) {
                scrutins.push(s);
            }
            participations
                .entry(p.circonscription_code.clone())
                .or_default()
                .insert(s, p);
        }
        scrutins.sort();
        let mut candidatures: BTreeMap<String, BTreeMap<Scrutin, Vec<CandidatureCirconscription>>> =
            BTreeMap::new();
        for c in candidature_rows {
            let s = scrutin(&c.type_election, c.annee, c.tour)?;
            candidatures
                .entry(c.circonscription_code.clone())
                .or_default()
                .entry(s)
                .or_default()
                .push(c);
        }
        let mut contours = BTreeMap::new();
        for c in contour_rows {
            let carte: Vec<Polygone> =
                serde_json::from_str(&c.carte).map_err(|e| DbError::Corrupt {
                    path: "contours_circonscriptions".to_owned(),
                    detail: format!(
                        "the map outline of {} is not JSON: {e}",
                        c.circonscription_code
                    ),
                })?;
            contours.insert(
                c.circonscription_code,
                Trace {
                    projection: c.projection,
                    carte: Arc::new(carte),
                    wgs84: c.wgs84,
                    wgs84_simplifie: c.wgs84_simplifie,
                },
            );
        }
        let mut voisins: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for v in voisin_rows {
            voisins
                .entry(v.circonscription_code)
                .or_default()
                .push(v.voisin_code);
        }
        Ok(Circonscriptions {
            liste,
            scrutins,
            participations,
            candidatures,
            voisins,
            contours,
            row_counts,
        })
    }

    /// A constituency by its code, case-insensitive: `0101`, `2a01`, `ZZ11`; the Ministry's
    /// three-digit numbers are accepted too (`01001`, `101` for the Ain's first).
    pub fn get(&self, code: &str) -> Option<&Circonscription> {
        let code = code.trim().to_uppercase();
        if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let exact = self.liste.iter().find(|c| c.code == code);
        exact.or_else(|| {
            let (dep, num) = match code.len() {
                3 if code.chars().all(|c| c.is_ascii_digit()) => {
                    (format!("0{}", &code[..1]), &code[1..])
                }
                5 => (code[..2].to_owned(), &code[2..]),
                _ => return None,
            };
            let n: i32 = num.parse().ok()?;
            self.liste
                .iter()
                .find(|c| c.code.starts_with(&dep) && c.numero == n)
        })
    }

    /// The constituencies of a département (by INSEE code), in number order.
    pub fn de_departement<'a>(
        &'a self,
        departement: &'a str,
    ) -> impl Iterator<Item = &'a Circonscription> + 'a {
        self.liste
            .iter()
            .filter(move |c| c.departement_code == departement)
    }

    /// Whether a constituency has a territory (all but the French abroad).
    pub fn a_un_territoire(code: &str) -> bool {
        !code.starts_with(HORS_DE_FRANCE)
    }

    pub fn participation(
        &self,
        code: &str,
        scrutin: Scrutin,
    ) -> Option<&ParticipationCirconscription> {
        self.participations.get(code)?.get(&scrutin)
    }

    /// The candidates of a round in file order (empty if the round is not held at this level).
    pub fn candidats(&self, code: &str, scrutin: Scrutin) -> &[CandidatureCirconscription] {
        self.candidatures
            .get(code)
            .and_then(|m| m.get(&scrutin))
            .map_or(&[], Vec::as_slice)
    }

    /// The candidate elected in a round, if one was.
    pub fn elu(&self, code: &str, scrutin: Scrutin) -> Option<&CandidatureCirconscription> {
        self.candidats(code, scrutin).iter().find(|c| c.elu)
    }

    /// The winner of an election at this level: elected in round 1 or in round 2.
    pub fn elu_de_l_election(
        &self,
        code: &str,
        type_election: TypeElection,
        annee: i32,
    ) -> Option<(Scrutin, &CandidatureCirconscription)> {
        [1, 2].into_iter().find_map(|tour| {
            let s = Scrutin::de(type_election, annee, tour);
            self.elu(code, s).map(|c| (s, c))
        })
    }

    /// The rounds held at this level for a constituency, in order.
    pub fn scrutins_de<'a>(&'a self, code: &'a str) -> impl Iterator<Item = Scrutin> + 'a {
        self.scrutins.iter().copied().filter(move |s| {
            self.participations
                .get(code)
                .is_some_and(|m| m.contains_key(s))
        })
    }

    /// Neighbours (queen contiguity) in code order; none abroad and for islands.
    pub fn voisins(&self, code: &str) -> &[String] {
        self.voisins.get(code).map_or(&[], Vec::as_slice)
    }

    pub fn contour(&self, code: &str) -> Option<&Trace> {
        self.contours.get(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Circonscription;

    fn niveau() -> Circonscriptions {
        let c = |code: &str, d: &str, n: i32| Circonscription {
            code: code.to_owned(),
            departement_code: d.to_owned(),
            numero: n,
            nom: code.to_owned(),
        };
        Circonscriptions {
            liste: vec![c("0101", "01", 1), c("2A01", "2A", 1), c("5921", "59", 21)],
            ..Circonscriptions::default()
        }
    }

    #[test]
    fn codes_are_found_in_every_written_form_and_anything_else_is_none() {
        let cs = niveau();
        for (text, code) in [
            ("0101", "0101"),
            ("101", "0101"),
            ("01001", "0101"),
            ("2a01", "2A01"),
            ("2A001", "2A01"),
            (" 59021 ", "5921"),
        ] {
            assert_eq!(cs.get(text).map(|c| c.code.as_str()), Some(code), "{text}");
        }
        // Multi-byte text never reaches a byte slice.
        for text in ["0\u{10000}", "é1001", "5é", "", "ZZ99", "1"] {
            assert!(cs.get(text).is_none(), "{text}");
        }
    }
}
