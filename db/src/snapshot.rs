//! The whole database loaded once into memory, with the indicators every
//! consumer derives from it (rates, political-family shares, winners).
//!
//! The data only changes when the ETL runs again, and it is small (a few
//! thousand rows), so readers load it at start-up and never query again.

use std::collections::BTreeMap;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use sha2::{Digest, Sha256};

use crate::DbError;
use crate::circonscriptions::Circonscriptions;
use crate::domaine::{self, TypeElection};
use crate::models::{
    Candidat, Chomage, Contour, Departement, Election, Famille, IndicateurSocio, Modele, Nuance,
    Participation, Prevision, Region, Resultat, ResultatNuance, Scrutin, Siege, SocioEconomie,
    Voisin,
};
use crate::quarter::Quarter;
use crate::schema;

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// First 16 hex digits of the SHA-256 of the database dump: changes whenever any row does.
    pub version: String,
    pub regions: Vec<Region>,
    /// Sorted by code.
    pub departements: Vec<Departement>,
    /// Sorted by `ordre`.
    pub familles: Vec<Famille>,
    /// Sorted by type (presidential first), year, round.
    pub elections: Vec<Election>,
    /// The key of each of [`Snapshot::elections`], in the same order.
    pub scrutins: Vec<Scrutin>,
    /// The nuance grids of the elections by label, sorted by type, year, code.
    pub nuances: Vec<Nuance>,
    /// Seats won, per département, round and nuance, in primary-key order.
    pub sieges: Vec<Siege>,
    /// Socio-economic indicators, sorted by `ordre`.
    pub indicateurs_socio: Vec<IndicateurSocio>,
    /// Sorted by id.
    pub candidats: Vec<Candidat>,
    /// Models written by `ml`, by id (empty before `ml` has run).
    pub modeles: Vec<Modele>,
    /// The constituency forecast's rows, by id.
    pub previsions: Vec<Prevision>,
    /// The legislative constituencies: their rounds, outlines and neighbours.
    pub circonscriptions: Circonscriptions,
    /// Per département, one per election round. Keyed by code alone so lookups borrow a `&str`.
    participations: BTreeMap<String, Vec<Participation>>,
    /// Per département, (round, results in candidate order).
    resultats: BTreeMap<String, Vec<(Scrutin, Vec<Resultat>)>>,
    /// Per département, (round, results in nuance-code order), for elections by label.
    resultats_nuances: BTreeMap<String, Vec<(Scrutin, Vec<ResultatNuance>)>>,
    /// Per département, (round, indicators without unemployment): computed once at load,
    /// since every list endpoint and chart needs them.
    indicateurs: BTreeMap<String, Vec<(Scrutin, Indicateurs)>>,
    /// Per département, its socio-economic values in indicator order.
    socio: BTreeMap<String, Vec<SocioEconomie>>,
    /// Per election round, the ids of its candidates (ascending).
    candidatures: BTreeMap<Scrutin, Vec<i32>>,
    /// Per département, in time order.
    chomage: BTreeMap<String, Vec<Chomage>>,
    /// Per département, its neighbours' codes in code order (none for islands and overseas).
    voisins: BTreeMap<String, Vec<String>>,
    /// Per département, its outline (none for the constituencies that are not départements).
    contours: BTreeMap<String, Trace>,
    row_counts: Vec<(&'static str, usize)>,
}

/// A polygon of a map: exterior ring then holes, projected coordinates in metres.
pub type Polygone = Vec<Vec<[f64; 2]>>;

/// A département's outline, loaded from the `contours` table.
#[derive(Debug, Clone)]
pub struct Trace {
    /// EPSG label of the map's projection.
    pub projection: String,
    /// Simplified and projected, in metres: shared by every map drawn.
    pub carte: Arc<Vec<Polygone>>,
    /// RFC 7946 GeoJSON geometry (WGS84) as read.
    pub wgs84: String,
    /// The same, simplified.
    pub wgs84_simplifie: String,
}

/// Rates and shares of one département for one round (percentages).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicateurs {
    pub taux_chomage: Option<f64>,
    pub taux_abstention: f64,
    pub taux_participation: f64,
    pub taux_blancs: f64,
    pub taux_nuls: f64,
    /// Share of exprimés per family, in family order.
    pub parts_familles: Vec<(String, f64)>,
    pub famille_gagnante: String,
}

/// `numerator / denominator x 100`, 0 when the denominator is 0.
pub fn percentage(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64 * 100.0
    }
}

/// The item with the largest key; ties go to the first, everywhere in the project.
pub fn first_max_by_key<T, K: PartialOrd>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> Option<T> {
    items.into_iter().fold(None, |best, item| match best {
        Some(b) if key(&b) >= key(&item) => Some(b),
        _ => Some(item),
    })
}

fn quarter_of(c: &Chomage) -> Quarter {
    Quarter::new(c.annee, u8::try_from(c.trimestre).unwrap_or(0))
}

impl Snapshot {
    pub fn load(conn: &mut SqliteConnection) -> Result<Snapshot, DbError> {
        let dump = crate::dump_sql(conn)?;
        let digest = Sha256::digest(dump.as_bytes());
        let version: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();

        let regions: Vec<Region> = schema::regions::table
            .order(schema::regions::code)
            .select(Region::as_select())
            .load(conn)?;
        let departements: Vec<Departement> = schema::departements::table
            .order(schema::departements::code)
            .select(Departement::as_select())
            .load(conn)?;
        let familles: Vec<Famille> = schema::familles::table
            .order(schema::familles::ordre)
            .select(Famille::as_select())
            .load(conn)?;
        let mut elections: Vec<Election> = schema::elections::table
            .select(Election::as_select())
            .load(conn)?;
        let corrupt = |detail: String| DbError::Corrupt {
            path: "elections".to_owned(),
            detail,
        };
        domaine::verifier_familles(
            familles
                .iter()
                .map(|f| (f.code.as_str(), f.libelle.as_str(), f.ordre)),
        )
        .map_err(corrupt)?;
        let mut keyed = Vec::with_capacity(elections.len());
        for e in elections.drain(..) {
            let scrutin = e.scrutin().ok_or_else(|| {
                corrupt(format!(
                    "election type '{}' is not one of {}",
                    e.type_election,
                    TypeElection::ALL.map(TypeElection::code).join(", ")
                ))
            })?;
            keyed.push((scrutin, e));
        }
        keyed.sort_by_key(|(s, _)| *s);
        let scrutins: Vec<Scrutin> = keyed.iter().map(|(s, _)| *s).collect();
        let elections: Vec<Election> = keyed.into_iter().map(|(_, e)| e).collect();
        let nuances: Vec<Nuance> = schema::nuances::table
            .order((
                schema::nuances::type_election,
                schema::nuances::annee,
                schema::nuances::code,
            ))
            .select(Nuance::as_select())
            .load(conn)?;
        let resultat_nuance_rows: Vec<ResultatNuance> = schema::resultats_nuances::table
            .order((
                schema::resultats_nuances::departement_code,
                schema::resultats_nuances::type_election,
                schema::resultats_nuances::annee,
                schema::resultats_nuances::tour,
                schema::resultats_nuances::nuance,
            ))
            .select(ResultatNuance::as_select())
            .load(conn)?;
        let sieges: Vec<Siege> = schema::sieges::table
            .order((
                schema::sieges::departement_code,
                schema::sieges::type_election,
                schema::sieges::annee,
                schema::sieges::tour,
                schema::sieges::nuance,
            ))
            .select(Siege::as_select())
            .load(conn)?;
        let indicateurs_socio: Vec<IndicateurSocio> = schema::indicateurs_socio::table
            .order(schema::indicateurs_socio::ordre)
            .select(IndicateurSocio::as_select())
            .load(conn)?;
        let socio_rows: Vec<SocioEconomie> = schema::socio_economie::table
            .select(SocioEconomie::as_select())
            .load(conn)?;
        let candidats: Vec<Candidat> = schema::candidats::table
            .order(schema::candidats::id)
            .select(Candidat::as_select())
            .load(conn)?;
        let participation_rows: Vec<Participation> = schema::participations::table
            .select(Participation::as_select())
            .load(conn)?;
        let resultat_rows: Vec<Resultat> = schema::resultats::table
            .order((
                schema::resultats::departement_code,
                schema::resultats::type_election,
                schema::resultats::annee,
                schema::resultats::tour,
                schema::resultats::candidat_id,
            ))
            .select(Resultat::as_select())
            .load(conn)?;
        let chomage_rows: Vec<Chomage> = schema::chomage::table
            .order((
                schema::chomage::departement_code,
                schema::chomage::annee,
                schema::chomage::trimestre,
            ))
            .select(Chomage::as_select())
            .load(conn)?;

        let voisin_rows: Vec<Voisin> = schema::voisins::table
            .order((
                schema::voisins::departement_code,
                schema::voisins::voisin_code,
            ))
            .select(Voisin::as_select())
            .load(conn)?;
        let contour_rows: Vec<Contour> = schema::contours::table
            .order(schema::contours::departement_code)
            .select(Contour::as_select())
            .load(conn)?;
        let modeles: Vec<Modele> = schema::modeles::table
            .order(schema::modeles::id)
            .select(Modele::as_select())
            .load(conn)?;
        let previsions: Vec<Prevision> = schema::previsions::table
            .order(schema::previsions::id)
            .select(Prevision::as_select())
            .load(conn)?;

        let circonscriptions = Circonscriptions::load(conn)?;
        let mut row_counts = vec![
            ("regions", regions.len()),
            ("departements", departements.len()),
            ("familles", familles.len()),
            ("elections", elections.len()),
            ("candidats", candidats.len()),
            ("participations", participation_rows.len()),
            ("resultats", resultat_rows.len()),
            ("chomage", chomage_rows.len()),
            ("modeles", modeles.len()),
            ("previsions", previsions.len()),
            ("indicateurs_socio", indicateurs_socio.len()),
            ("socio_economie", socio_rows.len()),
            ("voisins", voisin_rows.len()),
            ("contours", contour_rows.len()),
            ("nuances", nuances.len()),
            ("resultats_nuances", resultat_nuance_rows.len()),
            ("sieges", sieges.len()),
        ];
        row_counts.extend(circonscriptions.row_counts.iter().copied());
        let mut contours: BTreeMap<String, Trace> = BTreeMap::new();
        for c in contour_rows {
            let carte: Vec<Polygone> =
                serde_json::from_str(&c.carte).map_err(|e| DbError::Corrupt {
                    path: "contours".to_owned(),
                    detail: format!("the map outline of {} is not JSON: {e}", c.departement_code),
                })?;
            contours.insert(
                c.departement_code,
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
                .entry(v.departement_code)
                .or_default()
                .push(v.voisin_code);
        }
        let ordre = |code: &str| {
            indicateurs_socio
                .iter()
                .position(|i| i.code == code)
                .unwrap_or(usize::MAX)
        };
        let mut socio: BTreeMap<String, Vec<SocioEconomie>> = BTreeMap::new();
        for v in socio_rows {
            socio.entry(v.departement_code.clone()).or_default().push(v);
        }
        for values in socio.values_mut() {
            values.sort_by_key(|v| ordre(&v.indicateur));
        }
        let mut participations: BTreeMap<String, Vec<Participation>> = BTreeMap::new();
        for p in participation_rows {
            participations
                .entry(p.departement_code.clone())
                .or_default()
                .push(p);
        }
        let cle = |type_election: &str, annee: i32, tour: i32| {
            TypeElection::from_code(type_election)
                .map(|t| Scrutin::de(t, annee, tour))
                .ok_or_else(|| DbError::Corrupt {
                    path: "resultats".to_owned(),
                    detail: format!("election type '{type_election}' is unknown"),
                })
        };
        let mut candidatures: BTreeMap<Scrutin, Vec<i32>> = BTreeMap::new();
        for r in &resultat_rows {
            let ids = candidatures
                .entry(cle(&r.type_election, r.annee, r.tour)?)
                .or_default();
            if let Err(at) = ids.binary_search(&r.candidat_id) {
                ids.insert(at, r.candidat_id);
            }
        }
        let mut resultats: BTreeMap<String, Vec<(Scrutin, Vec<Resultat>)>> = BTreeMap::new();
        for r in resultat_rows {
            let rounds = resultats.entry(r.departement_code.clone()).or_default();
            let scrutin = cle(&r.type_election, r.annee, r.tour)?;
            match rounds.iter_mut().find(|(s, _)| *s == scrutin) {
                Some((_, rows)) => rows.push(r),
                None => rounds.push((scrutin, vec![r])),
            }
        }
        let mut resultats_nuances: BTreeMap<String, Vec<(Scrutin, Vec<ResultatNuance>)>> =
            BTreeMap::new();
        for r in resultat_nuance_rows {
            let rounds = resultats_nuances
                .entry(r.departement_code.clone())
                .or_default();
            let scrutin = cle(&r.type_election, r.annee, r.tour)?;
            match rounds.iter_mut().find(|(s, _)| *s == scrutin) {
                Some((_, rows)) => rows.push(r),
                None => rounds.push((scrutin, vec![r])),
            }
        }
        let mut chomage: BTreeMap<String, Vec<Chomage>> = BTreeMap::new();
        for c in chomage_rows {
            chomage
                .entry(c.departement_code.clone())
                .or_default()
                .push(c);
        }
        let mut snapshot = Snapshot {
            version,
            regions,
            departements,
            familles,
            elections,
            scrutins,
            nuances,
            sieges,
            indicateurs_socio,
            candidats,
            modeles,
            previsions,
            circonscriptions,
            participations,
            resultats,
            resultats_nuances,
            indicateurs: BTreeMap::new(),
            socio,
            candidatures,
            chomage,
            voisins,
            contours,
            row_counts,
        };
        let mut indicateurs: BTreeMap<String, Vec<(Scrutin, Indicateurs)>> = BTreeMap::new();
        for d in &snapshot.departements {
            for &scrutin in &snapshot.scrutins {
                if let Some(i) = snapshot.compute_indicateurs(&d.code, scrutin) {
                    indicateurs
                        .entry(d.code.clone())
                        .or_default()
                        .push((scrutin, i));
                }
            }
        }
        snapshot.indicateurs = indicateurs;
        Ok(snapshot)
    }

    pub fn row_counts(&self) -> &[(&'static str, usize)] {
        &self.row_counts
    }

    /// A département by INSEE code (`971`) or election-file code (`ZA`), case-insensitive.
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        let code = code.trim().to_uppercase();
        let code = if code.len() == 1 && code.chars().all(|c| c.is_ascii_digit()) {
            format!("0{code}")
        } else {
            code
        };
        self.departements
            .iter()
            .find(|d| d.code == code)
            .or_else(|| self.departements.iter().find(|d| d.code_election == code))
    }

    /// The codes of a département's neighbours (queen contiguity), in code order; empty for
    /// islands, overseas départements and the constituencies that are not départements.
    pub fn voisins(&self, code: &str) -> &[String] {
        self.voisins.get(code).map_or(&[], Vec::as_slice)
    }

    /// A département's outline (by its exact code).
    pub fn contour(&self, code: &str) -> Option<&Trace> {
        self.contours.get(code)
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }

    pub fn famille(&self, code: &str) -> Option<&Famille> {
        self.familles.iter().find(|f| f.code == code)
    }

    pub fn candidat(&self, id: i32) -> Option<&Candidat> {
        self.candidats.iter().find(|c| c.id == id)
    }

    /// The rounds of one presidential election year, in order (empty for an unknown year).
    pub fn tours(&self, annee: i32) -> impl Iterator<Item = &Election> {
        self.tours_de(TypeElection::Presidentielle, annee)
    }

    /// The rounds of one election, in order (empty for an unknown one).
    pub fn tours_de(
        &self,
        type_election: TypeElection,
        annee: i32,
    ) -> impl Iterator<Item = &Election> {
        self.scrutins
            .iter()
            .zip(&self.elections)
            .filter(move |(s, _)| s.type_election == type_election && s.annee == annee)
            .map(|(_, e)| e)
    }

    /// The presidential election years present, in order (what `annee` accepts).
    pub fn annees(&self) -> Vec<i32> {
        let mut annees: Vec<i32> = self
            .scrutins
            .iter()
            .filter(|s| s.type_election == TypeElection::Presidentielle)
            .map(|s| s.annee)
            .collect();
        annees.dedup();
        annees
    }

    /// The election row of a round.
    pub fn election(&self, scrutin: Scrutin) -> Option<&Election> {
        self.scrutins
            .iter()
            .position(|s| *s == scrutin)
            .and_then(|i| self.elections.get(i))
    }

    /// The nuance grid of an election (both rounds), in code order.
    pub fn nuances_de(&self, scrutin: Scrutin) -> impl Iterator<Item = &Nuance> {
        let type_code = scrutin.type_election.code();
        self.nuances
            .iter()
            .filter(move |n| n.type_election == type_code && n.annee == scrutin.annee)
    }

    /// One nuance of an election.
    pub fn nuance(&self, scrutin: Scrutin, code: &str) -> Option<&Nuance> {
        self.nuances_de(scrutin).find(|n| n.code == code)
    }

    /// The families that stood in the election of a round (a candidate or a nuance of theirs
    /// in either round), in family order: the presidential elections have the study's four.
    pub fn familles_de(&self, scrutin: Scrutin) -> Vec<&Famille> {
        let presentes: Vec<&str> = if scrutin.type_election.par_nuance() {
            self.nuances_de(scrutin)
                .map(|n| n.famille_code.as_str())
                .collect()
        } else {
            self.candidatures
                .iter()
                .filter(|(s, _)| {
                    s.type_election == scrutin.type_election && s.annee == scrutin.annee
                })
                .flat_map(|(_, ids)| ids)
                .filter_map(|id| self.candidat(*id))
                .map(|c| c.famille_code.as_str())
                .collect()
        };
        self.familles
            .iter()
            .filter(|f| presentes.contains(&f.code.as_str()))
            .collect()
    }

    /// The votes per nuance of a département in a round, in nuance-code order.
    pub fn resultats_nuances(&self, code: &str, scrutin: Scrutin) -> &[ResultatNuance] {
        self.resultats_nuances
            .get(code)
            .and_then(|rounds| rounds.iter().find(|(s, _)| *s == scrutin))
            .map_or(&[], |(_, rows)| rows.as_slice())
    }

    /// Seats won in a round, per département and nuance.
    pub fn sieges_de(&self, scrutin: Scrutin) -> impl Iterator<Item = &Siege> {
        let type_code = scrutin.type_election.code();
        self.sieges.iter().filter(move |s| {
            s.type_election == type_code && s.annee == scrutin.annee && s.tour == scrutin.tour
        })
    }

    pub fn participation(&self, code: &str, scrutin: Scrutin) -> Option<&Participation> {
        let type_code = scrutin.type_election.code();
        self.participations.get(code)?.iter().find(|p| {
            p.type_election == type_code && p.annee == scrutin.annee && p.tour == scrutin.tour
        })
    }

    /// The candidates' results, in candidate order.
    pub fn resultats(&self, code: &str, scrutin: Scrutin) -> &[Resultat] {
        self.resultats
            .get(code)
            .and_then(|rounds| rounds.iter().find(|(s, _)| *s == scrutin))
            .map_or(&[], |(_, rows)| rows.as_slice())
    }

    /// The candidates of an election round, by id (empty for an unknown round).
    pub fn candidats_de(&self, scrutin: Scrutin) -> &[i32] {
        self.candidatures.get(&scrutin).map_or(&[], Vec::as_slice)
    }

    /// The socio-economic values of a département, in indicator order (empty when none).
    pub fn socio(&self, code: &str) -> &[SocioEconomie] {
        self.socio.get(code).map_or(&[], Vec::as_slice)
    }

    /// One socio-economic value; `None` when the département or the value is missing.
    pub fn valeur_socio(&self, code: &str, indicateur: &str) -> Option<f64> {
        self.socio(code)
            .iter()
            .find(|v| v.indicateur == indicateur)
            .and_then(|v| v.valeur)
    }

    /// The full unemployment series of a département, in time order (empty when INSEE has none).
    pub fn chomage(&self, code: &str) -> &[Chomage] {
        self.chomage.get(code).map_or(&[], Vec::as_slice)
    }

    pub fn taux_chomage(&self, code: &str, quarter: Quarter) -> Option<f64> {
        let series = self.chomage(code);
        // A series without a gap has the quarter at its distance from the first one: one
        // read, where a binary search over the 48-byte rows of a long series missed the cache
        // at each step (most of a map's unemployment lookups).
        let rang = |q: Quarter| i64::from(q.annee) * 4 + i64::from(q.trimestre);
        let direct = series.first().and_then(|first| {
            let i = usize::try_from(rang(quarter) - rang(quarter_of(first))).ok()?;
            series.get(i).filter(|c| quarter_of(c) == quarter)
        });
        if let Some(c) = direct {
            return Some(c.taux);
        }
        series
            .binary_search_by(|c| quarter_of(c).cmp(&quarter))
            .ok()
            .and_then(|i| series.get(i))
            .map(|c| c.taux)
    }

    /// First and last quarter of the unemployment data.
    pub fn quarter_range(&self) -> Option<(Quarter, Quarter)> {
        let all = self.chomage.values().flatten().map(quarter_of);
        let min = all.clone().min()?;
        let max = all.max()?;
        Some((min, max))
    }

    /// Votes per political family, in family order, for the families of the round (see
    /// [`Snapshot::familles_de`]).
    pub fn voix_par_famille(&self, code: &str, scrutin: Scrutin) -> Vec<(String, i64)> {
        let mut totals: Vec<(String, i64)> = self
            .familles_de(scrutin)
            .into_iter()
            .map(|f| (f.code.clone(), 0))
            .collect();
        let mut ajoute = |famille: &str, voix: i64| {
            if let Some(entry) = totals.iter_mut().find(|(f, _)| f == famille) {
                entry.1 += voix;
            }
        };
        if scrutin.type_election.par_nuance() {
            for r in self.resultats_nuances(code, scrutin) {
                if let Some(n) = self.nuance(scrutin, &r.nuance) {
                    ajoute(&n.famille_code, r.voix);
                }
            }
        } else {
            for r in self.resultats(code, scrutin) {
                if let Some(c) = self.candidat(r.candidat_id) {
                    ajoute(&c.famille_code, r.voix);
                }
            }
        }
        totals
    }

    /// The indicators of one département for one round; `None` when it has no results for it.
    pub fn indicateurs(
        &self,
        code: &str,
        scrutin: Scrutin,
        quarter: Quarter,
    ) -> Option<Indicateurs> {
        let mut i = self.indicateurs_du_scrutin(code, scrutin)?.clone();
        i.taux_chomage = self.taux_chomage(code, quarter);
        Some(i)
    }

    /// The indicators of a round computed at load, without unemployment (`taux_chomage` is
    /// `None`: see [`Snapshot::taux_chomage`]); borrowed, for the lists that read many.
    pub fn indicateurs_du_scrutin(&self, code: &str, scrutin: Scrutin) -> Option<&Indicateurs> {
        self.indicateurs
            .get(code)?
            .iter()
            .find(|(s, _)| *s == scrutin)
            .map(|(_, i)| i)
    }

    fn compute_indicateurs(&self, code: &str, scrutin: Scrutin) -> Option<Indicateurs> {
        let p = self.participation(code, scrutin)?;
        let voix = self.voix_par_famille(code, scrutin);
        let famille_gagnante = first_max_by_key(&voix, |(_, v)| *v).map(|(f, _)| f.clone())?;
        Some(Indicateurs {
            taux_chomage: None,
            taux_abstention: percentage(p.abstentions, p.inscrits),
            taux_participation: percentage(p.votants, p.inscrits),
            taux_blancs: percentage(p.blancs, p.votants),
            taux_nuls: percentage(p.nuls, p.votants),
            parts_familles: voix
                .into_iter()
                .map(|(f, v)| (f, percentage(v, p.exprimes)))
                .collect(),
            famille_gagnante,
        })
    }

    /// The candidate with the most votes in a round, with their votes.
    pub fn gagnant(&self, code: &str, scrutin: Scrutin) -> Option<(&Candidat, i64)> {
        first_max_by_key(self.resultats(code, scrutin), |r| r.voix)
            .and_then(|r| self.candidat(r.candidat_id).map(|c| (c, r.voix)))
    }
}
