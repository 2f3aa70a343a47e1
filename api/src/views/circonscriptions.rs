//! The legislative constituencies as a level of their own (read model): the list of the 577
//! with one round's turnout, family shares, leader and seat winner; one constituency with
//! every round held at that level; the measures a map or a spatial statistic reads.
//!
//! The 11 constituencies of the French abroad (`ZZ01`..`ZZ11`) have no territory: they are in
//! every list, never on a map (counted there as « sans territoire »), never in a spatial
//! statistic.

use std::collections::BTreeMap;

use db::circonscriptions::Circonscriptions;
use db::models::{CandidatureCirconscription, Circonscription};
use db::{Scrutin, Snapshot, TypeElection};
use serde::Serialize;
use utoipa::ToSchema;

use super::departements::fold;
use super::{Scope, r4};
use crate::error::ApiError;

/// The round shown when none is asked for: the latest legislative round 1.
pub const DEFAUT: Scrutin = Scrutin::de(TypeElection::Legislatives, 2024, 1);

/// Why a constituency has no outline.
pub const SANS_TERRITOIRE: &str = "circonscription des Français établis hors de France : sans territoire, absente des cartes et des statistiques spatiales";

/// What a constituency map or statistic shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mesure {
    TauxParticipation,
    TauxAbstention,
    /// A family's share of the valid votes (`part_{famille}`).
    Part(String),
}

impl Mesure {
    /// From its code: `taux_participation`, `taux_abstention` or `part_{famille}` with a
    /// family of the vocabulary; a 400 listing them otherwise.
    pub fn parse(snapshot: &Snapshot, parametre: &str, text: &str) -> Result<Mesure, ApiError> {
        let text = text.trim();
        let mesure = match text {
            "taux_participation" => Some(Mesure::TauxParticipation),
            "taux_abstention" => Some(Mesure::TauxAbstention),
            _ => text
                .strip_prefix("part_")
                .filter(|f| snapshot.famille(f).is_some())
                .map(|f| Mesure::Part(f.to_owned())),
        };
        mesure.ok_or_else(|| {
            let known = Mesure::codes(snapshot);
            ApiError::parameter(
                parametre,
                format!(
                    "'{text}' is not a measure of the constituencies; measures: {}",
                    known.join(", ")
                ),
                Some(known),
            )
        })
    }

    /// Every measure's code.
    pub fn codes(snapshot: &Snapshot) -> Vec<String> {
        let mut codes = vec![
            "taux_participation".to_owned(),
            "taux_abstention".to_owned(),
        ];
        codes.extend(snapshot.familles.iter().map(|f| format!("part_{}", f.code)));
        codes
    }

    pub fn code(&self) -> String {
        match self {
            Mesure::TauxParticipation => "taux_participation".to_owned(),
            Mesure::TauxAbstention => "taux_abstention".to_owned(),
            Mesure::Part(f) => format!("part_{f}"),
        }
    }

    pub fn libelle(&self, snapshot: &Snapshot) -> String {
        match self {
            Mesure::TauxParticipation => "Taux de participation (% des inscrits)".to_owned(),
            Mesure::TauxAbstention => "Taux d'abstention (% des inscrits)".to_owned(),
            Mesure::Part(f) => format!(
                "Part des exprimés, {}",
                snapshot
                    .famille(f)
                    .map_or_else(|| f.clone(), |x| x.libelle.to_lowercase())
            ),
        }
    }

    /// Its value in a constituency for a round, if the round was held there.
    pub fn valeur(&self, cs: &Circonscriptions, code: &str, scrutin: Scrutin) -> Option<f64> {
        let p = cs.participation(code, scrutin)?;
        let pct = |n: i64, d: i64| (d > 0).then(|| r4(n as f64 / d as f64 * 100.0));
        match self {
            Mesure::TauxParticipation => pct(p.votants, p.inscrits),
            Mesure::TauxAbstention => pct(p.abstentions, p.inscrits),
            Mesure::Part(f) => {
                let voix: i64 = cs
                    .candidats(code, scrutin)
                    .iter()
                    .filter(|c| &c.famille_code == f)
                    .map(|c| c.voix)
                    .sum();
                pct(voix, p.exprimes)
            }
        }
    }
}

/// The round of a constituency request: `election` (or `annee` with `tour`) as everywhere,
/// [`DEFAUT`] when neither is given; a 400 for a round not held by constituency.
pub fn scrutin(snapshot: &Snapshot, scope: &Scope, choisi: bool) -> Result<Scrutin, ApiError> {
    let cs = &snapshot.circonscriptions;
    if !choisi {
        let s = Scrutin {
            tour: scope.scrutin.tour,
            ..DEFAUT
        };
        return Ok(if cs.scrutins.contains(&s) { s } else { DEFAUT });
    }
    if cs.scrutins.contains(&scope.scrutin) {
        return Ok(scope.scrutin);
    }
    let known: Vec<String> = cs.scrutins.iter().map(Scrutin::id).collect();
    Err(ApiError::parameter(
        "election",
        format!(
            "{} is not held by constituency in the data; rounds by constituency: {}",
            scope.scrutin.id(),
            known.join(", ")
        ),
        Some(known),
    ))
}

/// Whether a constituency is in a scope: its département's region and perimeter.
pub fn dans(snapshot: &Snapshot, scope: &Scope, c: &Circonscription) -> bool {
    departement_de(snapshot, c).is_some_and(|d| scope.inclut(d))
}

/// A constituency's département: its exact INSEE code, found by bisection (the snapshot's
/// départements are sorted by code; every list row asks).
fn departement_de<'a>(
    snapshot: &'a Snapshot,
    c: &Circonscription,
) -> Option<&'a db::models::Departement> {
    snapshot
        .departements
        .binary_search_by(|d| d.code.as_str().cmp(c.departement_code.as_str()))
        .ok()
        .and_then(|i| snapshot.departements.get(i))
        .or_else(|| snapshot.departement(&c.departement_code))
}

/// A candidate of a round.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidature {
    pub rang: i32,
    #[schema(example = "Marine LE PEN")]
    pub candidat: String,
    /// The Ministry's nuance (legislative rounds).
    #[schema(example = "RN")]
    pub nuance: Option<String>,
    #[schema(example = "Rassemblement national")]
    pub nuance_libelle: Option<String>,
    #[schema(example = "extreme_droite")]
    pub famille: String,
    pub voix: i64,
    /// Share of the valid votes (%).
    pub part_exprimes: f64,
    /// Share of the registered voters (%).
    pub part_inscrits: f64,
    pub elu: bool,
}

fn candidature(
    snapshot: &Snapshot,
    scrutin: Scrutin,
    c: &CandidatureCirconscription,
    exprimes: i64,
    inscrits: i64,
) -> Candidature {
    let pct = |d: i64| {
        if d > 0 {
            r4(c.voix as f64 / d as f64 * 100.0)
        } else {
            0.0
        }
    };
    Candidature {
        rang: c.rang,
        candidat: c.candidat.clone(),
        nuance: c.nuance.clone().filter(|n| !n.is_empty()),
        nuance_libelle: c
            .nuance
            .as_deref()
            .and_then(|n| snapshot.nuance(scrutin, n))
            .map(|n| n.libelle.clone()),
        famille: c.famille_code.clone(),
        voix: c.voix,
        part_exprimes: pct(exprimes),
        part_inscrits: pct(inscrits),
        elu: c.elu,
    }
}

/// The candidates of a round, most voted first (ties in file order).
fn classes<'a>(
    cs: &'a Circonscriptions,
    code: &str,
    scrutin: Scrutin,
) -> Vec<&'a CandidatureCirconscription> {
    let mut v: Vec<&CandidatureCirconscription> = cs.candidats(code, scrutin).iter().collect();
    v.sort_by(|a, b| b.voix.cmp(&a.voix).then(a.rang.cmp(&b.rang)));
    v
}

/// One constituency in one round, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CirconscriptionResume {
    #[schema(example = "5901")]
    pub code: String,
    pub numero: i32,
    #[schema(example = "Nord (1re circonscription)")]
    pub nom: String,
    #[schema(example = "59")]
    pub departement_code: String,
    #[schema(example = "Nord")]
    pub departement_nom: String,
    /// Whether it has an outline (all but the 11 of the French abroad).
    pub contour: bool,
    #[schema(example = "legislatives-2024-t1")]
    pub election: String,
    pub inscrits: Option<i64>,
    pub votants: Option<i64>,
    pub exprimes: Option<i64>,
    pub taux_participation: Option<f64>,
    pub taux_abstention: Option<f64>,
    /// Each family's share of the valid votes (%), by family code.
    pub parts: BTreeMap<String, f64>,
    /// The most voted candidate of the round.
    pub en_tete: Option<String>,
    pub nuance_en_tete: Option<String>,
    pub famille_en_tete: Option<String>,
    pub part_en_tete: Option<f64>,
    /// The lead over the second, in points of the valid votes.
    pub ecart_points: Option<f64>,
    /// Who won the seat in this election (round 1 or 2), if the election is legislative.
    pub elu: Option<String>,
    pub nuance_elu: Option<String>,
    pub famille_elu: Option<String>,
    pub tour_elu: Option<i32>,
}

/// One constituency's row for a round.
pub fn resume(snapshot: &Snapshot, c: &Circonscription, scrutin: Scrutin) -> CirconscriptionResume {
    let cs = &snapshot.circonscriptions;
    let p = cs.participation(&c.code, scrutin);
    let classes = classes(cs, &c.code, scrutin);
    let exprimes = p.map_or(0, |p| p.exprimes);
    let part = |v: i64| (exprimes > 0).then(|| r4(v as f64 / exprimes as f64 * 100.0));
    // Each family's share in one pass over the candidates (as `Mesure::Part` computes it).
    let mut parts = BTreeMap::new();
    if p.is_some() && exprimes > 0 {
        for f in &snapshot.familles {
            let voix: i64 = classes
                .iter()
                .filter(|x| x.famille_code == f.code)
                .map(|x| x.voix)
                .sum();
            parts.insert(f.code.clone(), r4(voix as f64 / exprimes as f64 * 100.0));
        }
    }
    let premier = classes.first();
    let ecart = match (classes.first(), classes.get(1)) {
        (Some(a), Some(b)) => part(a.voix - b.voix),
        (Some(a), None) => part(a.voix),
        _ => None,
    };
    let elu = cs.elu_de_l_election(&c.code, scrutin.type_election, scrutin.annee);
    CirconscriptionResume {
        code: c.code.clone(),
        numero: c.numero,
        nom: c.nom.clone(),
        departement_code: c.departement_code.clone(),
        departement_nom: departement_de(snapshot, c)
            .map(|d| d.nom.clone())
            .unwrap_or_default(),
        contour: cs.contour(&c.code).is_some(),
        election: scrutin.id(),
        inscrits: p.map(|p| p.inscrits),
        votants: p.map(|p| p.votants),
        exprimes: p.map(|p| p.exprimes),
        taux_participation: p
            .filter(|p| p.inscrits > 0)
            .map(|p| r4(p.votants as f64 / p.inscrits as f64 * 100.0)),
        taux_abstention: p
            .filter(|p| p.inscrits > 0)
            .map(|p| r4(p.abstentions as f64 / p.inscrits as f64 * 100.0)),
        parts,
        en_tete: premier.map(|x| x.candidat.clone()),
        nuance_en_tete: premier.and_then(|x| x.nuance.clone()),
        famille_en_tete: premier.map(|x| x.famille_code.clone()),
        part_en_tete: premier.and_then(|x| part(x.voix)),
        ecart_points: ecart,
        elu: elu.map(|(_, x)| x.candidat.clone()),
        nuance_elu: elu.and_then(|(_, x)| x.nuance.clone()),
        famille_elu: elu.map(|(_, x)| x.famille_code.clone()),
        tour_elu: elu.map(|(s, _)| s.tour),
    }
}

/// Search of the list.
#[derive(Debug, Clone, Default)]
pub struct Recherche<'a> {
    /// Words that must all be in the name (folded like the départements' search), or a code.
    pub q: Option<&'a str>,
    /// A département's INSEE code.
    pub departement: Option<&'a str>,
    pub numero: Option<i32>,
}

/// The constituencies of the scope matching the search, in code order.
pub fn liste(
    snapshot: &Snapshot,
    scope: &Scope,
    scrutin: Scrutin,
    recherche: &Recherche,
) -> Vec<CirconscriptionResume> {
    let needle = recherche.q.map(fold).filter(|q| !q.is_empty());
    snapshot
        .circonscriptions
        .liste
        .iter()
        .filter(|c| dans(snapshot, scope, c))
        .filter(|c| {
            recherche
                .departement
                .is_none_or(|d| c.departement_code == d)
        })
        .filter(|c| recherche.numero.is_none_or(|n| c.numero == n))
        .filter(|c| {
            needle.as_ref().is_none_or(|q| {
                let nom = fold(&c.nom);
                fold(&c.code) == *q || q.split_whitespace().all(|mot| nom.contains(mot))
            })
        })
        .map(|c| resume(snapshot, c, scrutin))
        .collect()
}

/// A constituency by code, or a 404 saying how codes are written.
pub fn find<'a>(snapshot: &'a Snapshot, code: &str) -> Result<&'a Circonscription, ApiError> {
    snapshot.circonscriptions.get(code).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no constituency with code '{code}' (the département's election code and the number on two digits: 5901, 2A01, ZA01, ZZ11; see /circonscriptions)"
        ))
    })
}

/// A constituency as named beside another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CirconscriptionRef {
    #[schema(example = "5902")]
    pub code: String,
    pub nom: String,
}

/// The département of a constituency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartementDeCirconscription {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
}

/// One round in one constituency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TourCirconscription {
    #[schema(example = "legislatives-2024-t1")]
    pub election: String,
    pub libelle: String,
    pub inscrits: i64,
    pub abstentions: i64,
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
    pub taux_participation: f64,
    /// Candidates in the file's order.
    pub candidats: Vec<Candidature>,
    /// The candidate elected in this round, if one was.
    pub elu: Option<Candidature>,
    /// The most voted candidate's lead over the second, in points of the valid votes.
    pub ecart_points: Option<f64>,
}

/// One constituency: every round held at this level, its neighbours and its département.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CirconscriptionDetail {
    #[schema(example = "5901")]
    pub code: String,
    pub numero: i32,
    pub nom: String,
    pub departement: DepartementDeCirconscription,
    pub contour: bool,
    /// Why it has no outline, for the 11 of the French abroad.
    pub sans_territoire: Option<String>,
    /// Queen neighbours (sharing at least one boundary point), in code order.
    pub voisins: Vec<CirconscriptionRef>,
    pub tours: Vec<TourCirconscription>,
}

pub fn detail(snapshot: &Snapshot, c: &Circonscription) -> CirconscriptionDetail {
    let cs = &snapshot.circonscriptions;
    let tours = cs
        .scrutins_de(&c.code)
        .filter_map(|s| {
            let p = cs.participation(&c.code, s)?;
            let candidats: Vec<Candidature> = cs
                .candidats(&c.code, s)
                .iter()
                .map(|x| candidature(snapshot, s, x, p.exprimes, p.inscrits))
                .collect();
            let classes = classes(cs, &c.code, s);
            let ecart = match (classes.first(), classes.get(1)) {
                (Some(a), Some(b)) if p.exprimes > 0 => {
                    Some(r4((a.voix - b.voix) as f64 / p.exprimes as f64 * 100.0))
                }
                _ => None,
            };
            Some(TourCirconscription {
                election: s.id(),
                libelle: super::charts::election_label(s),
                inscrits: p.inscrits,
                abstentions: p.abstentions,
                votants: p.votants,
                blancs: p.blancs,
                nuls: p.nuls,
                exprimes: p.exprimes,
                taux_participation: if p.inscrits > 0 {
                    r4(p.votants as f64 / p.inscrits as f64 * 100.0)
                } else {
                    0.0
                },
                elu: candidats.iter().find(|x| x.elu).cloned(),
                candidats,
                ecart_points: ecart,
            })
        })
        .collect();
    let nom_de = |code: &str| {
        cs.get(code)
            .map_or_else(|| code.to_owned(), |x| x.nom.clone())
    };
    CirconscriptionDetail {
        code: c.code.clone(),
        numero: c.numero,
        nom: c.nom.clone(),
        departement: DepartementDeCirconscription {
            code: c.departement_code.clone(),
            nom: snapshot
                .departement(&c.departement_code)
                .map(|d| d.nom.clone())
                .unwrap_or_default(),
        },
        contour: cs.contour(&c.code).is_some(),
        sans_territoire: (!Circonscriptions::a_un_territoire(&c.code))
            .then(|| SANS_TERRITOIRE.to_owned()),
        voisins: cs
            .voisins(&c.code)
            .iter()
            .map(|v| CirconscriptionRef {
                code: v.clone(),
                nom: nom_de(v),
            })
            .collect(),
        tours,
    }
}

/// The constituencies of a scope as a GeoJSON FeatureCollection: each outline (RFC 7946 text
/// stored by `etl`, spliced as is) with its row of the list as properties (the shares
/// flattened as `part_{famille}`). Those without a territory are not features.
pub fn feature_collection(
    snapshot: &Snapshot,
    scope: &Scope,
    scrutin: Scrutin,
    simplifie: bool,
) -> Result<String, ApiError> {
    let cs = &snapshot.circonscriptions;
    let mut out = String::with_capacity(if simplifie { 2_000_000 } else { 8_000_000 });
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for c in cs.liste.iter().filter(|c| dans(snapshot, scope, c)) {
        let Some(contour) = cs.contour(&c.code) else {
            continue;
        };
        let row = resume(snapshot, c, scrutin);
        let mut properties = serde_json::to_value(&row)
            .map_err(|e| ApiError::Internal(format!("GeoJSON properties: {e}")))?;
        if let serde_json::Value::Object(map) = &mut properties {
            map.remove("parts");
            for (f, v) in &row.parts {
                map.insert(format!("part_{f}"), serde_json::json!(v));
            }
        }
        let id = serde_json::to_string(&c.code)
            .map_err(|e| ApiError::Internal(format!("GeoJSON id: {e}")))?;
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str("\n{\"type\":\"Feature\",\"id\":");
        out.push_str(&id);
        out.push_str(",\"properties\":");
        out.push_str(&properties.to_string());
        out.push_str(",\"geometry\":");
        out.push_str(if simplifie {
            &contour.wgs84_simplifie
        } else {
            &contour.wgs84
        });
        out.push('}');
    }
    out.push_str("\n]}\n");
    Ok(out)
}

/// The correlation matrix of measures over the constituencies of a scope for one round, on
/// those where every measure is known (the 11 abroad included: a correlation needs no
/// territory).
pub fn correlations(
    snapshot: &Snapshot,
    scope: &Scope,
    scrutin: Scrutin,
    mesures: &[Mesure],
    methode: super::correlations::Methode,
) -> Result<super::correlations::Correlations, ApiError> {
    let cs = &snapshot.circonscriptions;
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); mesures.len()];
    let mut exclus = Vec::new();
    for c in cs.liste.iter().filter(|c| dans(snapshot, scope, c)) {
        let values: Option<Vec<f64>> = mesures
            .iter()
            .map(|m| m.valeur(cs, &c.code, scrutin))
            .collect();
        match values {
            Some(values) => {
                for (column, value) in columns.iter_mut().zip(values) {
                    column.push(value);
                }
            }
            None => exclus.push(c.code.clone()),
        }
    }
    let n = columns.first().map_or(0, Vec::len);
    if n < 3 {
        return Err(ApiError::bad(format!(
            "only {n} constituencies have every measure for this selection; a correlation needs at least 3"
        )));
    }
    let (matrice, p_valeurs, ic95) = super::correlations::matrices(&columns, methode);
    Ok(super::correlations::Correlations {
        election: Some(scrutin.id()),
        annee: scrutin.annee,
        tour: scrutin.tour,
        trimestre: super::scope::default_quarter(scrutin.annee).to_string(),
        region: scope.region_code().map(str::to_owned),
        perimetre: scope.perimetre.code().to_owned(),
        methode: methode.as_str().to_owned(),
        n,
        variables: mesures.iter().map(Mesure::code).collect(),
        matrice,
        exclus,
        p_valeurs,
        ic95,
        avertissement: super::correlations::AVERTISSEMENT.to_owned(),
    })
}
