//! `/circonscriptions`: the 577 legislative constituencies as a level of their own (see
//! [`crate::views::circonscriptions`]): the list (CSV like every list, searchable, sortable),
//! one constituency with every round held at that level, the GeoJSON of their outlines, and
//! their spatial statistics. The round is `election` (or `annee` and `tour`) as everywhere;
//! without one, the latest legislative round 1 (`legislatives-2024-t1`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::cartes::GeoJsonQuery;
use crate::params::scope::Filtres;
use crate::params::spatial::AlphaQuery;
use crate::render;
use crate::routes::table::{self, Table, Tabulaire};
use crate::state::AppState;
use crate::views::circonscriptions::{
    self, CirconscriptionDetail, CirconscriptionResume, Mesure, Recherche,
};
use crate::views::{Scope, spatial};

/// Whether the request names a round (`election` or `annee`); the constituency level has its
/// own default.
#[derive(Debug, Default, Deserialize)]
pub struct Choix {
    pub election: Option<String>,
    pub annee: Option<String>,
}

impl Choix {
    pub fn choisi(&self) -> bool {
        [&self.election, &self.annee]
            .iter()
            .any(|v| v.as_deref().is_some_and(|t| !t.trim().is_empty()))
    }
}

/// Search and order of the constituency list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListeQuery {
    /// Text to look for in the name (`nord 1re`, `paris`), ignoring case and accents, or a
    /// code (`5901`).
    #[param(example = "gironde")]
    pub q: Option<String>,
    /// A département's INSEE code: its constituencies.
    #[param(example = "59")]
    pub departement: Option<String>,
    /// A constituency number (1 to 21).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 21, example = 1)]
    pub numero: Option<String>,
    /// Sort by any column of the list (its CSV columns, e.g. `part_extreme_droite`,
    /// `taux_participation`, `ecart_points`); `-` before it for descending. Rows without a
    /// value come last. Default: by code.
    #[param(example = "-part_extreme_droite")]
    pub tri: Option<String>,
}

impl Tabulaire for Vec<CirconscriptionResume> {
    fn table(&self) -> Table {
        let familles: std::collections::BTreeSet<&String> =
            self.iter().flat_map(|r| r.parts.keys()).collect();
        let mut colonnes: Vec<String> = [
            "code",
            "numero",
            "nom",
            "departement_code",
            "departement_nom",
            "contour",
            "election",
            "inscrits",
            "votants",
            "exprimes",
            "taux_participation",
            "taux_abstention",
        ]
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
        colonnes.extend(familles.iter().map(|f| format!("part_{f}")));
        colonnes.extend(
            [
                "en_tete",
                "nuance_en_tete",
                "famille_en_tete",
                "part_en_tete",
                "ecart_points",
                "elu",
                "nuance_elu",
                "famille_elu",
                "tour_elu",
            ]
            .iter()
            .map(|c| (*c).to_owned()),
        );
        let mut t = Table {
            colonnes,
            lignes: Vec::new(),
        };
        for r in self {
            let mut ligne = vec![
                (&r.code).into(),
                r.numero.into(),
                (&r.nom).into(),
                (&r.departement_code).into(),
                (&r.departement_nom).into(),
                r.contour.into(),
                (&r.election).into(),
                r.inscrits.into(),
                r.votants.into(),
                r.exprimes.into(),
                r.taux_participation.into(),
                r.taux_abstention.into(),
            ];
            ligne.extend(familles.iter().map(|f| r.parts.get(*f).copied().into()));
            ligne.extend([
                r.en_tete.as_ref().into(),
                r.nuance_en_tete.as_ref().into(),
                r.famille_en_tete.as_ref().into(),
                r.part_en_tete.into(),
                r.ecart_points.into(),
                r.elu.as_ref().into(),
                r.nuance_elu.as_ref().into(),
                r.famille_elu.as_ref().into(),
                r.tour_elu.into(),
            ]);
            t.push(ligne);
        }
        t
    }
}

/// The round of a constituency request.
fn scrutin(state: &AppState, scope: &Scope, choix: &Choix) -> Result<db::Scrutin, ApiError> {
    circonscriptions::scrutin(&state.snapshot, scope, choix.choisi())
}

/// The 577 legislative constituencies (the 11 of the French abroad included, without an
/// outline), each with one round: turnout, each family's share, the leader and its lead, and
/// the seat's winner. Searchable by name, département or number; sortable by any column
/// (`tri=-part_extreme_droite`). The round is `election` (default `legislatives-2024-t1`).
/// CSV with `format=csv`, `Accept: text/csv` or `/circonscriptions.csv` (each family's share
/// as a `part_{famille}` column).
#[utoipa::path(
    operation_id = "list_circonscriptions",
    tag = "circonscriptions",
    params(ListeQuery, FormatQuery, Filtres),
    responses(
        (status = 200, description = "Constituencies, by code or as sorted",
            content(
                (Vec<CirconscriptionResume> = "application/json"),
                (String = "text/csv", example = "code,numero,nom,departement_code,departement_nom,contour,election,...")
            )
        ),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/circonscriptions")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ListeQuery>,
    format: web::Query<FormatQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let scrutin = scrutin(&state, &scope, &choix)?;
    let departement =
        crate::views::departements::find_optional(snapshot, query.departement.as_deref())?;
    let numero = match query
        .numero
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(t) => Some(
            t.parse::<i32>()
                .ok()
                .filter(|n| (1..=21).contains(n))
                .ok_or_else(|| {
                    ApiError::parameter(
                        "numero",
                        format!(
                            "parameter 'numero' must be a constituency number (1 to 21), not '{t}'"
                        ),
                        None,
                    )
                })?,
        ),
    };
    let recherche = Recherche {
        q: query.q.as_deref(),
        departement: departement.map(|d| d.code.as_str()),
        numero,
    };
    let rows = circonscriptions::liste(snapshot, &scope, scrutin, &recherche);
    let rows = table::trier(rows, query.tri.as_deref())?;
    table::reponse(sortie, &format!("circonscriptions-{}", scrutin.id()), &rows)
}

/// One constituency: its département, its neighbours (queen contiguity), and every round held
/// at that level (turnout, candidates with nuance, family, votes and shares, the winner, the
/// lead). Codes are the département's election code and the number on two digits (`5901`,
/// `2A01`, `ZA01`, `ZZ11`); the Ministry's `59001` and `101` are understood too.
#[utoipa::path(
    operation_id = "get_circonscription",
    tag = "circonscriptions",
    params(("code" = String, Path, description = "Constituency code", example = "5901")),
    responses(
        (status = 200, description = "The constituency", body = CirconscriptionDetail),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/circonscriptions/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<CirconscriptionDetail>, ApiError> {
    let c = circonscriptions::find(&state.snapshot, &code)?;
    Ok(web::Json(circonscriptions::detail(&state.snapshot, c)))
}

// The shape of the GeoJSON, for the OpenAPI document only: the body is written by
// `circonscriptions::feature_collection`, which splices the stored geometries.
/// An RFC 7946 FeatureCollection: one Feature per constituency with a territory.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CollectionCirconscriptions {
    /// Always `FeatureCollection`.
    #[schema(rename = "type", example = "FeatureCollection")]
    kind: String,
    features: Vec<FeatureCirconscription>,
}

/// One constituency.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FeatureCirconscription {
    /// Always `Feature`.
    #[schema(rename = "type", example = "Feature")]
    kind: String,
    /// The constituency's code.
    #[schema(example = "5901")]
    id: String,
    /// The row of `/circonscriptions` for the round, each family's share flattened as
    /// `part_{famille}`.
    properties: std::collections::HashMap<String, serde_json::Value>,
    geometry: crate::routes::geo::MultiPolygon,
}

/// The constituencies as an RFC 7946 FeatureCollection (WGS84), served as
/// `application/geo+json`: the 566 with a territory (the 11 of the French abroad have none),
/// each with its row of `/circonscriptions` for the round as properties (shares flattened as
/// `part_{famille}`); `id` is the code. Outlines: data.gouv.fr, « Carte des circonscriptions
/// législatives 2012 et 2017 », ODbL.
#[utoipa::path(
    operation_id = "circonscriptions_geojson",
    tag = "circonscriptions",
    params(GeoJsonQuery, Filtres),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection (RFC 7946)", body = CollectionCirconscriptions, content_type = "application/geo+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/circonscriptions.geojson")]
pub async fn geojson(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<GeoJsonQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let simplifie = query.simplifie()?;
    let scrutin = scrutin(&state, &scope, &choix)?;
    let owned = state.clone();
    let body = state
        .renderer
        .run(
            render::geojson_cost(simplifie),
            crate::limits::deadline(&request),
            Box::new(move || {
                circonscriptions::feature_collection(&owned.snapshot, &scope, scrutin, simplifie)
            }),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"circonscriptions.geojson\"",
        ))
        .body(body))
}

/// A measure of the constituencies and its permutations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MesureQuery {
    /// `taux_participation`, `taux_abstention` or `part_{famille}` (see `/familles`).
    #[param(example = "part_extreme_droite")]
    pub variable: Option<String>,
    /// Random permutations for the pseudo p-values (99 to 9999). Default 999.
    #[param(value_type = Option<i32>, minimum = 99, maximum = 9999, example = 999)]
    pub permutations: Option<String>,
}

impl MesureQuery {
    fn parse(&self, state: &AppState) -> Result<(Mesure, usize), ApiError> {
        let variable = self
            .variable
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ApiError::parameter("variable", "parameter 'variable' is required", None)
            })?;
        let mesure = Mesure::parse(&state.snapshot, "variable", variable)?;
        let permutations = crate::params::spatial::permutations(self.permutations.as_deref())?;
        Ok((mesure, permutations))
    }
}

/// Global Moran's I of a measure over the constituencies (queen contiguity, row-standardised,
/// on the served neighbours): the 566 with a territory, less the islands without a neighbour,
/// listed in `exclus`.
#[utoipa::path(
    operation_id = "spatial_moran_circonscriptions",
    tag = "spatial",
    params(MesureQuery, Filtres),
    responses(
        (status = 200, description = "Global Moran's I", body = spatial::MoranGlobal),
        (status = 422, description = "Too few constituencies with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/spatial/circonscriptions/moran")]
pub async fn moran(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<MesureQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let (mesure, permutations) = query.parse(&state)?;
    let scrutin = scrutin(&state, &scope, &choix)?;
    let owned = state.clone();
    let result = state
        .renderer
        .run(
            render::spatial_cost(permutations),
            crate::limits::deadline(&request),
            Box::new(move || {
                spatial::moran_circonscriptions(
                    &owned.snapshot,
                    &mesure,
                    &scope,
                    scrutin,
                    permutations,
                )
            }),
        )
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Local Moran (LISA) of a measure over the constituencies: per constituency Ii, its
/// conditional-permutation pseudo p-value and its cluster at `alpha`.
#[utoipa::path(
    operation_id = "spatial_lisa_circonscriptions",
    tag = "spatial",
    params(MesureQuery, AlphaQuery, Filtres),
    responses(
        (status = 200, description = "Local Moran of each constituency", body = spatial::Lisa),
        (status = 422, description = "Too few constituencies with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/spatial/circonscriptions/lisa")]
pub async fn lisa(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<MesureQuery>,
    alpha: web::Query<AlphaQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let (mesure, permutations) = query.parse(&state)?;
    let alpha = alpha.alpha()?;
    let scrutin = scrutin(&state, &scope, &choix)?;
    let owned = state.clone();
    // Counted by the permutations it will draw: the FDR raises them (up to n / alpha).
    let drawn = alpha.permutations(permutations, state.snapshot.circonscriptions.liste.len());
    let result = state
        .renderer
        .run(
            render::spatial_cost(drawn),
            crate::limits::deadline(&request),
            Box::new(move || {
                spatial::lisa_circonscriptions(
                    &owned.snapshot,
                    &mesure,
                    &scope,
                    scrutin,
                    permutations,
                    alpha,
                )
            }),
        )
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The measures and method of a constituency correlation matrix.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CorrelationsQuery {
    /// Comma-separated measures (`taux_participation`, `taux_abstention`, `part_{famille}`),
    /// at least two, at most all of them. Default: every measure.
    #[param(example = "taux_participation,part_extreme_droite,part_gauche")]
    pub variables: Option<String>,
    /// `pearson` (default) or `spearman`.
    #[param(value_type = Option<String>, pattern = "^(pearson|spearman)$", example = "spearman")]
    pub methode: Option<String>,
}

impl CorrelationsQuery {
    fn parse(
        &self,
        state: &AppState,
    ) -> Result<(Vec<Mesure>, crate::views::correlations::Methode), ApiError> {
        let snapshot = &state.snapshot;
        let known = Mesure::codes(snapshot);
        let names: Vec<String> = match self
            .variables
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => known.clone(),
            Some(list) => {
                // Bounded before anything else: the matrix grows with the square of the list.
                let count = list.split(',').count();
                if count > known.len() {
                    return Err(ApiError::parameter(
                        "variables",
                        format!(
                            "parameter 'variables' lists {count} names; there are only {} measures",
                            known.len()
                        ),
                        Some(known),
                    ));
                }
                let mut unique: Vec<String> = Vec::with_capacity(count);
                for name in list.split(',').map(str::trim) {
                    if !unique.iter().any(|u| u == name) {
                        unique.push(name.to_owned());
                    }
                }
                unique
            }
        };
        let mesures = names
            .iter()
            .map(|n| Mesure::parse(snapshot, "variables", n))
            .collect::<Result<Vec<_>, _>>()?;
        if mesures.len() < 2 {
            return Err(ApiError::parameter(
                "variables",
                "parameter 'variables': give at least two measures",
                Some(known),
            ));
        }
        let methode = match self.methode.as_deref().map(str::trim) {
            None | Some("") | Some("pearson") => crate::views::correlations::Methode::Pearson,
            Some("spearman") => crate::views::correlations::Methode::Spearman,
            Some(other) => {
                return Err(ApiError::parameter(
                    "methode",
                    format!("parameter 'methode' must be pearson or spearman, not '{other}'"),
                    Some(vec!["pearson".into(), "spearman".into()]),
                ));
            }
        };
        Ok((mesures, methode))
    }
}

/// Correlation matrix of measures over the constituencies, for one round (`election`, default
/// `legislatives-2024-t1`): 577 units instead of 96 départements. CSV (`format=csv`,
/// `csv-excel`, `Accept: text/csv` or `/correlations/circonscriptions.csv`) in long format.
/// Both variables are spatially autocorrelated, so a naive p-value would overstate the evidence.
#[utoipa::path(
    operation_id = "get_correlations_circonscriptions",
    tag = "circonscriptions",
    params(CorrelationsQuery, FormatQuery, Filtres),
    responses(
        (status = 200, description = "The matrix",
            content(
                (crate::views::correlations::Correlations = "application/json"),
                (String = "text/csv", example = "variable_a,variable_b,r,n")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/correlations/circonscriptions")]
pub async fn correlations(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CorrelationsQuery>,
    format: web::Query<FormatQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let (mesures, methode) = query.parse(&state)?;
    let scrutin = scrutin(&state, &scope, &choix)?;
    let matrix =
        circonscriptions::correlations(&state.snapshot, &scope, scrutin, &mesures, methode)?;
    table::reponse(
        sortie,
        &format!(
            "correlations-circonscriptions-{}-{}",
            matrix.methode,
            scrutin.id()
        ),
        &matrix,
    )
}
