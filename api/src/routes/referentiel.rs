//! `/familles`, `/regions`, `/elections` and `/indicateurs/socio-economiques`: the reference
//! tables.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::routes::table::{self, Cellule, Table, Tabulaire, joindre};
use crate::state::AppState;
use crate::views::departements::DepartementRef;

/// A candidate of the 2022 or 2017 presidential election (one person, one family).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Candidat {
    pub id: i32,
    #[schema(example = "MÉLENCHON")]
    pub nom: String,
    #[schema(example = "Jean-Luc")]
    pub prenom: String,
    #[schema(example = "M")]
    pub sexe: String,
    /// Election years the candidate stood in.
    #[schema(example = json!([2017, 2022]))]
    pub annees: Vec<i32>,
}

fn candidat(snapshot: &db::Snapshot, c: &db::models::Candidat) -> Candidat {
    Candidat {
        id: c.id,
        nom: c.nom.clone(),
        prenom: c.prenom.clone(),
        sexe: c.sexe.clone(),
        annees: snapshot
            .annees()
            .into_iter()
            .filter(|a| {
                snapshot
                    .candidats_de(db::Scrutin::new(*a, 1))
                    .contains(&c.id)
            })
            .collect(),
    }
}

/// A political family and its candidates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Famille {
    #[schema(example = "gauche")]
    pub code: String,
    #[schema(example = "Gauche")]
    pub libelle: String,
    /// Display order, left to right.
    pub ordre: i32,
    pub candidats: Vec<Candidat>,
}

/// Political families (as in the original study) and their candidates of both elections.
#[utoipa::path(
    operation_id = "list_familles",
    tag = "referentiel",
    params(FormatQuery),
    responses(
        (status = 200, description = "Families in display order",
            content(
                (Vec<Famille> = "application/json"),
                (String = "text/csv", example = "famille_code,famille_libelle,ordre,candidat_id,nom,prenom,sexe,annees")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/familles")]
pub async fn familles(
    request: HttpRequest,
    state: web::Data<AppState>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let rows: Vec<Famille> = snapshot
        .familles
        .iter()
        .map(|f| Famille {
            code: f.code.clone(),
            libelle: f.libelle.clone(),
            ordre: f.ordre,
            candidats: snapshot
                .candidats
                .iter()
                .filter(|c| c.famille_code == f.code)
                .map(|c| candidat(snapshot, c))
                .collect(),
        })
        .collect();
    table::reponse(sortie, "familles", &rows)
}

/// A region and its départements.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Region {
    /// INSEE region code; `COM` groups the overseas collectivities, `FE` French people abroad.
    #[schema(example = "32")]
    pub code: String,
    #[schema(example = "Hauts-de-France")]
    pub nom: String,
    pub departements: Vec<DepartementRef>,
}

/// Regions and their départements.
#[utoipa::path(
    operation_id = "list_regions",
    tag = "referentiel",
    params(FormatQuery),
    responses(
        (status = 200, description = "Regions by code",
            content(
                (Vec<Region> = "application/json"),
                (String = "text/csv", example = "region_code,region_nom,departement_code,departement_nom")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/regions")]
pub async fn regions(
    request: HttpRequest,
    state: web::Data<AppState>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let rows: Vec<Region> = snapshot
        .regions
        .iter()
        .map(|r| Region {
            code: r.code.clone(),
            nom: r.nom.clone(),
            departements: snapshot
                .departements
                .iter()
                .filter(|d| d.region_code == r.code)
                .map(|d| DepartementRef {
                    code: d.code.clone(),
                    nom: d.nom.clone(),
                })
                .collect(),
        })
        .collect();
    table::reponse(sortie, "regions", &rows)
}

/// One round of an election: its id, type, date, status, levels and source, and its
/// candidates (presidential) or its political labels (elections by label).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Election {
    /// The id that `election=` takes everywhere.
    #[schema(example = "legislatives-2024-t1")]
    pub id: String,
    #[schema(example = "legislatives")]
    pub type_election: String,
    #[schema(example = 2024)]
    pub annee: i32,
    #[schema(example = 1)]
    pub tour: i32,
    #[schema(example = "2024-06-30")]
    pub date_scrutin: String,
    /// `definitif` for the Ministry's final results.
    #[schema(example = "definitif")]
    pub statut: String,
    /// The levels of the raw files (`departement`, `circonscription`).
    pub niveaux: Vec<String>,
    /// Publisher and dataset of the raw files.
    pub source: String,
    /// Candidates in ballot-file order, with their family (presidential rounds).
    pub candidats: Vec<CandidatElection>,
    /// The labels of the election (its nuance grid) with their family (elections by label).
    pub nuances: Vec<NuanceElection>,
}

/// A political label (the Ministry's nuance) of an election and the study's family of it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NuanceElection {
    #[schema(example = "UG")]
    pub code: String,
    #[schema(example = "Union de la gauche")]
    pub libelle: String,
    #[schema(example = "gauche")]
    pub famille: String,
}

/// A candidate of one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CandidatElection {
    pub id: i32,
    #[schema(example = "MACRON")]
    pub nom: String,
    #[schema(example = "Emmanuel")]
    pub prenom: String,
    #[schema(example = "centre")]
    pub famille: String,
}

/// The election rounds in the database (the values `annee` and `tour` accept elsewhere).
#[utoipa::path(
    operation_id = "list_elections",
    tag = "referentiel",
    params(FormatQuery),
    responses(
        (status = 200, description = "Rounds by type (presidential first), year, then round",
            content(
                (Vec<Election> = "application/json"),
                (String = "text/csv", example = "election,type_election,annee,tour,date_scrutin,statut,niveaux,candidat_id,nom,prenom,nuance,famille")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/elections")]
pub async fn elections(
    request: HttpRequest,
    state: web::Data<AppState>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let rows: Vec<Election> = snapshot
        .scrutins
        .iter()
        .zip(&snapshot.elections)
        .map(|(s, e)| Election {
            id: s.id(),
            type_election: e.type_election.clone(),
            annee: e.annee,
            tour: e.tour,
            date_scrutin: e.date_scrutin.clone(),
            statut: e.statut.clone(),
            niveaux: e.niveaux.split(',').map(str::to_owned).collect(),
            source: e.source.clone(),
            nuances: snapshot
                .nuances_de(*s)
                .map(|n| NuanceElection {
                    code: n.code.clone(),
                    libelle: n.libelle.clone(),
                    famille: n.famille_code.clone(),
                })
                .collect(),
            candidats: snapshot
                .candidats_de(*s)
                .iter()
                .filter_map(|id| snapshot.candidat(*id))
                .map(|c| CandidatElection {
                    id: c.id,
                    nom: c.nom.clone(),
                    prenom: c.prenom.clone(),
                    famille: c.famille_code.clone(),
                })
                .collect(),
        })
        .collect();
    table::reponse(sortie, "elections", &rows)
}

/// A socio-economic indicator: what `/indicateurs` and `/departements/{code}` carry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IndicateurSocio {
    #[schema(example = "revenu_median")]
    pub code: String,
    #[schema(example = "Revenu disponible médian par unité de consommation")]
    pub libelle: String,
    #[schema(example = "EUR")]
    pub unite: String,
    /// Years of the values (several when a département's value is older, e.g. Mayotte's
    /// immigrant share from the 2017 census).
    #[schema(example = json!([2019]))]
    pub annees: Vec<i32>,
    /// Sources of the values.
    pub sources: Vec<String>,
    /// Départements (of the 101) without a value.
    #[schema(example = json!(["976"]))]
    pub departements_sans_valeur: Vec<String>,
}

/// The INSEE socio-economic indicators: label, unit, years, sources and the départements
/// without a value.
#[utoipa::path(
    operation_id = "list_socio_economic_indicators",
    tag = "referentiel",
    params(FormatQuery),
    responses(
        (status = 200, description = "Indicators in display order",
            content(
                (Vec<IndicateurSocio> = "application/json"),
                (String = "text/csv", example = "code,libelle,unite,annees,sources,departements_sans_valeur")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/indicateurs/socio-economiques")]
pub async fn indicateurs_socio(
    request: HttpRequest,
    state: web::Data<AppState>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let rows: Vec<IndicateurSocio> = snapshot
        .indicateurs_socio
        .iter()
        .map(|i| {
            let values: Vec<&db::models::SocioEconomie> = snapshot
                .departements
                .iter()
                .flat_map(|d| snapshot.socio(&d.code))
                .filter(|v| v.indicateur == i.code)
                .collect();
            let mut annees: Vec<i32> = values.iter().map(|v| v.annee).collect();
            annees.sort_unstable();
            annees.dedup();
            let mut sources: Vec<String> = values.iter().map(|v| v.source.clone()).collect();
            sources.sort();
            sources.dedup();
            IndicateurSocio {
                code: i.code.clone(),
                libelle: i.libelle.clone(),
                unite: i.unite.clone(),
                annees,
                sources,
                departements_sans_valeur: values
                    .iter()
                    .filter(|v| v.valeur.is_none())
                    .map(|v| v.departement_code.clone())
                    .collect(),
            }
        })
        .collect();
    table::reponse(sortie, "indicateurs-socio-economiques", &rows)
}

impl Tabulaire for Vec<Famille> {
    /// One row per candidate, with the family's columns repeated.
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "famille_code",
            "famille_libelle",
            "ordre",
            "candidat_id",
            "nom",
            "prenom",
            "sexe",
            "annees",
        ]);
        for f in self {
            for c in &f.candidats {
                t.push(vec![
                    (&f.code).into(),
                    (&f.libelle).into(),
                    f.ordre.into(),
                    c.id.into(),
                    (&c.nom).into(),
                    (&c.prenom).into(),
                    (&c.sexe).into(),
                    joindre(&c.annees),
                ]);
            }
        }
        t
    }
}

impl Tabulaire for Vec<Region> {
    /// One row per département, with its region.
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "region_code",
            "region_nom",
            "departement_code",
            "departement_nom",
        ]);
        for r in self {
            for d in &r.departements {
                t.push(vec![
                    (&r.code).into(),
                    (&r.nom).into(),
                    (&d.code).into(),
                    (&d.nom).into(),
                ]);
            }
        }
        t
    }
}

impl Tabulaire for Vec<Election> {
    /// One row per candidate (presidential) or label of each round.
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "election",
            "type_election",
            "annee",
            "tour",
            "date_scrutin",
            "statut",
            "niveaux",
            "candidat_id",
            "nom",
            "prenom",
            "nuance",
            "famille",
        ]);
        for e in self {
            let debut = || -> Vec<Cellule> {
                vec![
                    (&e.id).into(),
                    (&e.type_election).into(),
                    e.annee.into(),
                    e.tour.into(),
                    (&e.date_scrutin).into(),
                    (&e.statut).into(),
                    e.niveaux.join(",").into(),
                ]
            };
            for c in &e.candidats {
                let mut ligne = debut();
                ligne.extend([
                    c.id.into(),
                    (&c.nom).into(),
                    (&c.prenom).into(),
                    Cellule::Vide,
                    (&c.famille).into(),
                ]);
                t.push(ligne);
            }
            for n in &e.nuances {
                let mut ligne = debut();
                ligne.extend([
                    Cellule::Vide,
                    Cellule::Vide,
                    Cellule::Vide,
                    (&n.code).into(),
                    (&n.famille).into(),
                ]);
                t.push(ligne);
            }
        }
        t
    }
}

impl Tabulaire for Vec<IndicateurSocio> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "code",
            "libelle",
            "unite",
            "annees",
            "sources",
            "departements_sans_valeur",
        ]);
        for i in self {
            t.push(vec![
                (&i.code).into(),
                (&i.libelle).into(),
                (&i.unite).into(),
                joindre(&i.annees),
                i.sources.join(" ; ").into(),
                joindre(&i.departements_sans_valeur),
            ]);
        }
        t
    }
}

/// An indicator of the registry: what every `variable`, `x`, `y` and `variables` parameter
/// accepts, with its unit and the decimals its values are given with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FicheVariable {
    #[schema(example = "taux_chomage")]
    pub code: String,
    #[schema(example = "Taux de chômage (%)")]
    pub libelle: String,
    #[schema(example = "Chômage")]
    pub court: String,
    #[schema(example = "%")]
    pub unite: String,
    /// Decimals of its values in JSON, CSV, charts and maps.
    #[schema(example = 1)]
    pub decimales: u8,
    #[schema(example = "INSEE, taux de chômage localisés")]
    pub source: String,
}

impl Tabulaire for Vec<FicheVariable> {
    fn table(&self) -> Table {
        let mut t = Table::new(&["code", "libelle", "court", "unite", "decimales", "source"]);
        for v in self {
            t.push(vec![
                (&v.code).into(),
                (&v.libelle).into(),
                (&v.court).into(),
                (&v.unite).into(),
                i64::from(v.decimales).into(),
                (&v.source).into(),
            ]);
        }
        t
    }
}

/// The indicator registry: every variable the indicator, correlation and chart endpoints take.
#[utoipa::path(
    operation_id = "list_variables",
    tag = "referentiel",
    params(FormatQuery),
    responses(
        (status = 200, description = "Variables in registry order",
            content(
                (Vec<FicheVariable> = "application/json"),
                (String = "text/csv", example = "code,libelle,court,unite,decimales,source")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/variables")]
pub async fn variables(
    request: HttpRequest,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let rows: Vec<FicheVariable> = db::Variable::ALL
        .iter()
        .map(|v| FicheVariable {
            code: v.code().to_owned(),
            libelle: v.libelle().to_owned(),
            court: v.court().to_owned(),
            unite: v.unite().to_owned(),
            decimales: v.decimales(),
            source: v.source().to_owned(),
        })
        .collect();
    table::reponse(sortie, "variables", &rows)
}
