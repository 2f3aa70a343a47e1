//! Départements: the list with headline indicators, one département's detail, its
//! unemployment series, and the 2017 -> 2022 evolution.

use db::models::Departement;
use db::{Quarter, Scrutin, Snapshot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::r4;
use super::resultats::{ResultatTour, national_result, resultat_departement};
use super::scope::DEFAULT_QUARTER;
use crate::error::ApiError;

/// A département with its headline indicators (2022 round 1, unemployment of 2022-T3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementResume {
    /// INSEE code (`59`, `2A`, `971`); election-file code where INSEE has none (`ZX`, `ZZ`).
    #[schema(example = "59")]
    pub code: String,
    /// Code used by the Ministry's election files (`ZA` for Guadeloupe).
    #[schema(example = "59")]
    pub code_election: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = "32")]
    pub region_code: String,
    #[schema(example = "Hauts-de-France")]
    pub region_nom: String,
    /// False for overseas collectivities and French people abroad.
    pub est_departement: bool,
    /// Unemployment rate in 2022-T3 (%), null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// Round-1 participation (% of registered voters).
    #[schema(example = 72.5)]
    pub taux_participation_t1: f64,
    /// Round-1 abstention (% of registered voters).
    #[schema(example = 27.5)]
    pub taux_abstention_t1: f64,
    /// Political family with the most round-1 votes.
    #[schema(example = "extreme_droite")]
    pub famille_gagnante_t1: String,
}

/// A name for forgiving searches: lowercase, without French accents, hyphens, apostrophes
/// (straight or curly) and repeated spaces: `Côte-d'Or` and `COTE D OR` both give `cote d or`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'à' | 'â' | 'ä' | 'á' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' => "c",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            '-' | '\'' | '’' | '‘' | '`' | '´' | '_' | '.' | ',' => " ",
            c if c.is_whitespace() => " ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn resume(snapshot: &Snapshot, d: &Departement) -> Option<DepartementResume> {
    let t1 = snapshot.indicateurs(
        &d.code,
        Scrutin::new(DEFAULT_QUARTER.annee, 1),
        DEFAULT_QUARTER,
    )?;
    Some(DepartementResume {
        code: d.code.clone(),
        code_election: d.code_election.clone(),
        nom: d.nom.clone(),
        region_code: d.region_code.clone(),
        region_nom: snapshot
            .region(&d.region_code)
            .map(|r| r.nom.clone())
            .unwrap_or_default(),
        est_departement: d.est_departement,
        taux_chomage: t1
            .taux_chomage
            .map(|t| db::Variable::TauxChomage.arrondi(t)),
        taux_participation_t1: r4(t1.taux_participation),
        taux_abstention_t1: r4(t1.taux_abstention),
        famille_gagnante_t1: t1.famille_gagnante,
    })
}

/// Every département (and other constituency) of a region, or of all, whose name or code
/// matches `q` (ignoring case, accents, hyphens, apostrophes and extra spaces), in code order.
pub fn liste(snapshot: &Snapshot, region: Option<&str>, q: Option<&str>) -> Vec<DepartementResume> {
    let needle = q.map(fold).filter(|q| !q.is_empty());
    snapshot
        .departements
        .iter()
        .filter(|d| region.is_none_or(|r| r == d.region_code))
        .filter(|d| {
            needle.as_ref().is_none_or(|q| {
                fold(&d.nom).contains(q.as_str())
                    || fold(&d.code) == *q
                    || fold(&d.code_election) == *q
            })
        })
        .filter_map(|d| resume(snapshot, d))
        .collect()
}

/// A département, as listed in its region or among its neighbours.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementRef {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
}

/// A region, as embedded in other responses.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    #[schema(example = "32")]
    pub code: String,
    #[schema(example = "Hauts-de-France")]
    pub nom: String,
}

/// Everything known about one département.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartementDetail {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "59")]
    pub code_election: String,
    #[schema(example = "Nord")]
    pub nom: String,
    pub region: RegionRef,
    pub est_departement: bool,
    /// The quarter of `taux_chomage`.
    #[schema(example = "2022-T3")]
    pub trimestre: String,
    /// Unemployment rate for the quarter (%), null where INSEE publishes none.
    #[schema(example = 9.1)]
    pub taux_chomage: Option<f64>,
    /// The election year of `tours`.
    #[schema(example = 2022)]
    pub annee: i32,
    /// Both rounds of the year.
    pub tours: Vec<ResultatTour>,
    /// Every round of every election in the data (presidential first, then by year and
    /// round), `election` naming those that are not presidential.
    pub elections: Vec<ResultatTour>,
    /// INSEE socio-economic indicators, each with its year and source (empty outside the
    /// 101 départements; `valeur` null where INSEE publishes none).
    pub socio_economie: Vec<ValeurSocio>,
    /// The départements sharing at least one boundary point with this one (queen
    /// contiguity), in code order; empty for Corsica's outside neighbours, the overseas
    /// départements and the constituencies that are not départements.
    pub voisins: Vec<DepartementRef>,
}

/// One socio-economic indicator of a département.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ValeurSocio {
    #[schema(example = "revenu_median")]
    pub indicateur: String,
    #[schema(example = "Revenu disponible médian par unité de consommation")]
    pub libelle: String,
    #[schema(example = "EUR")]
    pub unite: String,
    /// Null where the source has no value (e.g. Mayotte in Filosofi). Rounded to the
    /// indicator's decimals; whole values (counts, euros) are integers.
    #[schema(example = 20290)]
    #[serde(serialize_with = "super::entier_si_rond")]
    pub valeur: Option<f64>,
    /// Year the value refers to.
    #[schema(example = 2019)]
    pub annee: i32,
    #[schema(example = "INSEE, Filosofi 2019")]
    pub source: String,
}

/// A département's socio-economic indicators, in reference order.
pub fn socio_of(snapshot: &Snapshot, code: &str) -> Vec<ValeurSocio> {
    snapshot
        .socio(code)
        .iter()
        .map(|v| {
            let meta = snapshot
                .indicateurs_socio
                .iter()
                .find(|i| i.code == v.indicateur);
            ValeurSocio {
                indicateur: v.indicateur.clone(),
                libelle: meta.map(|m| m.libelle.clone()).unwrap_or_default(),
                unite: meta.map(|m| m.unite.clone()).unwrap_or_default(),
                valeur: v.valeur.map(|x| {
                    db::Variable::from_code(&v.indicateur).map_or(x, |variable| variable.arrondi(x))
                }),
                annee: v.annee,
                source: v.source.clone(),
            }
        })
        .collect()
}

pub fn find<'a>(snapshot: &'a Snapshot, code: &str) -> Result<&'a Departement, ApiError> {
    snapshot.departement(code).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no département with code '{code}' (use an INSEE code like 59, 2A, 971 or an election code like ZA; see /departements)"
        ))
    })
}

/// An optional département parameter: `None` when absent or empty, an error when unknown.
pub fn find_optional<'a>(
    snapshot: &'a Snapshot,
    code: Option<&str>,
) -> Result<Option<&'a Departement>, ApiError> {
    code.map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| find(snapshot, c))
        .transpose()
}

pub fn detail_of(
    snapshot: &Snapshot,
    d: &Departement,
    quarter: Quarter,
    annee: i32,
) -> DepartementDetail {
    let tours = snapshot
        .tours(annee)
        .filter_map(|e| resultat_departement(snapshot, &d.code, e.scrutin()?))
        .collect();
    DepartementDetail {
        code: d.code.clone(),
        code_election: d.code_election.clone(),
        nom: d.nom.clone(),
        region: RegionRef {
            code: d.region_code.clone(),
            nom: snapshot
                .region(&d.region_code)
                .map(|r| r.nom.clone())
                .unwrap_or_default(),
        },
        est_departement: d.est_departement,
        trimestre: quarter.to_string(),
        taux_chomage: snapshot
            .taux_chomage(&d.code, quarter)
            .map(|t| db::Variable::TauxChomage.arrondi(t)),
        annee,
        tours,
        elections: snapshot
            .scrutins
            .iter()
            .filter_map(|s| resultat_departement(snapshot, &d.code, *s))
            .collect(),
        socio_economie: socio_of(snapshot, &d.code),
        voisins: snapshot
            .voisins(&d.code)
            .iter()
            .map(|code| DepartementRef {
                code: code.clone(),
                nom: snapshot
                    .departement(code)
                    .map(|v| v.nom.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// A political family between two elections.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EvolutionFamille {
    #[schema(example = "extreme_droite")]
    pub famille: String,
    #[schema(example = "Extrême droite")]
    pub libelle: String,
    /// Share of valid votes in 2017 (%).
    pub part_2017: f64,
    /// Share of valid votes in 2022 (%).
    pub part_2022: f64,
    /// `part_2022 - part_2017`, in percentage points.
    pub ecart_points: f64,
}

/// How a département (or the country) voted in 2017 and in 2022, in the same round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evolution {
    /// Département code, or `FR` for the whole country.
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = 1)]
    pub tour: i32,
    /// Participation in 2017 (% of registered voters).
    pub participation_2017: f64,
    /// Participation in 2022 (% of registered voters).
    pub participation_2022: f64,
    /// In percentage points.
    pub ecart_participation_points: f64,
    /// Every family, in reference order.
    pub familles: Vec<EvolutionFamille>,
}

/// The 2017 -> 2022 shift between two results of the same round.
pub fn evolution_of(
    code: &str,
    nom: &str,
    avant: &ResultatTour,
    apres: &ResultatTour,
) -> Evolution {
    let familles = apres
        .familles
        .iter()
        .map(|f| {
            let part_2017 = avant
                .familles
                .iter()
                .find(|a| a.famille == f.famille)
                .map_or(0.0, |a| a.part_exprimes);
            EvolutionFamille {
                famille: f.famille.clone(),
                libelle: f.libelle.clone(),
                part_2017,
                part_2022: f.part_exprimes,
                ecart_points: r4(f.part_exprimes - part_2017),
            }
        })
        .collect();
    Evolution {
        code: code.to_owned(),
        nom: nom.to_owned(),
        tour: apres.tour,
        participation_2017: avant.taux_participation,
        participation_2022: apres.taux_participation,
        ecart_participation_points: r4(apres.taux_participation - avant.taux_participation),
        familles,
    }
}

/// A département's evolution, or the country's when `departement` is `None`.
pub fn evolution(
    snapshot: &Snapshot,
    departement: Option<&Departement>,
    tour: i32,
) -> Option<Evolution> {
    let result = |annee| match departement {
        Some(d) => resultat_departement(snapshot, &d.code, Scrutin::new(annee, tour)),
        None => national_result(snapshot, Scrutin::new(annee, tour)),
    };
    let (de, a) = presidentielles_comparees(snapshot)?;
    let (avant, apres) = (result(de)?, result(a)?);
    Some(match departement {
        Some(d) => evolution_of(&d.code, &d.nom, &avant, &apres),
        None => evolution_of("FR", "France entière", &avant, &apres),
    })
}

/// One quarter of the unemployment series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointChomage {
    #[schema(example = 2022)]
    pub annee: i32,
    #[schema(example = 3)]
    pub trimestre: i32,
    #[schema(example = "2022-T3")]
    pub periode: String,
    /// Localised ILO unemployment rate, seasonally adjusted (%).
    #[schema(example = 9.1)]
    pub taux_chomage: f64,
}

/// A département's quarterly unemployment series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SerieChomage {
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    /// In time order; empty where INSEE publishes no series (Mayotte, overseas collectivities, abroad).
    pub points: Vec<PointChomage>,
}

/// A département's quarterly unemployment series.
pub fn serie_chomage(snapshot: &Snapshot, d: &Departement) -> SerieChomage {
    SerieChomage {
        code: d.code.clone(),
        nom: d.nom.clone(),
        points: snapshot
            .chomage(&d.code)
            .iter()
            .map(|c| PointChomage {
                annee: c.annee,
                trimestre: c.trimestre,
                periode: format!("{}-T{}", c.annee, c.trimestre),
                taux_chomage: c.taux,
            })
            .collect(),
    }
}

/// The two latest presidential years in the data (2017 and 2022): the pair of today's
/// `part_2017`/`part_2022` form.
pub fn presidentielles_comparees(snapshot: &Snapshot) -> Option<(i32, i32)> {
    match snapshot.annees().as_slice() {
        [.., de, a] => Some((*de, *a)),
        _ => None,
    }
}
