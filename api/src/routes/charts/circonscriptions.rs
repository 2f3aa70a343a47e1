//! `/charts/circonscriptions/...`: maps of the legislative constituencies (see
//! [`crate::views::cartes_circonscriptions`]), SVG or PNG, rendered on the rendering pool like
//! every chart. Each constituency is one `<path id="circ-{code}">` titled with its name, its
//! value and its winner. The round is `election` (default `legislatives-2024-t1`).

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{respond_with, respond_with_cost};
use crate::error::ApiError;
use crate::params::cartes::{ClassesQuery, EcartsQuery};
use crate::params::charts::ChartQuery;
use crate::params::scope::{EntreQuery, Filtres};
use crate::params::spatial::{AlphaQuery, PermutationsQuery};
use crate::routes::circonscriptions::Choix;
use crate::state::AppState;
use crate::views::cartes_circonscriptions::{self as cartes, Par};
use crate::views::circonscriptions::{self, Mesure};
use crate::views::{Scope, cartes as cartes_departements};

/// Choropleth map of a measure by constituency (`taux_participation`, `taux_abstention`,
/// `part_{famille}`), with insets for the overseas constituencies and for Paris with its inner
/// ring; the 11 constituencies of the French abroad counted as « sans territoire ».
#[utoipa::path(
    operation_id = "chart_map_circonscriptions",
    tag = "charts",
    params(
        ("mesure" = String, Path, description = "`taux_participation`, `taux_abstention` or `part_{famille}`", example = "part_extreme_droite"),
        ClassesQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/carte/{mesure}")]
pub async fn carte(
    request: HttpRequest,
    state: web::Data<AppState>,
    mesure: web::Path<String>,
    classes: web::Query<ClassesQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let mesure = Mesure::parse(&state.snapshot, "mesure", &mesure)?;
    let classement = classes.classement()?;
    let scrutin = circonscriptions::scrutin(&state.snapshot, &scope, choix.choisi())?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::choroplethe(
            &s.snapshot,
            &mesure,
            &scope,
            scrutin,
            classement,
        ))
    })
    .await
}

/// The two rounds of a shift: `de` and `a`, both held by constituency; without them, the
/// two latest legislative rounds 1.
fn rounds(
    snapshot: &db::Snapshot,
    entre: &EntreQuery,
) -> Result<(db::Scrutin, db::Scrutin), ApiError> {
    let cs = &snapshot.circonscriptions;
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let known = || cs.scrutins.iter().map(db::Scrutin::id).collect::<Vec<_>>();
    let tenu = |parametre: &str, text: &str| -> Result<db::Scrutin, ApiError> {
        let s = crate::params::scope::election(snapshot, parametre, text)?;
        if cs.scrutins.contains(&s) {
            Ok(s)
        } else {
            Err(ApiError::parameter(
                parametre,
                format!(
                    "{} is not held by constituency in the data; rounds by constituency: {}",
                    s.id(),
                    known().join(", ")
                ),
                Some(known()),
            ))
        }
    };
    match (present(&entre.de), present(&entre.a)) {
        (Some(de), Some(a)) => Ok((tenu("de", &de)?, tenu("a", &a)?)),
        (None, None) => {
            let premiers: Vec<db::Scrutin> = cs
                .scrutins
                .iter()
                .copied()
                .filter(|s| s.type_election == db::TypeElection::Legislatives && s.tour == 1)
                .collect();
            match premiers.as_slice() {
                [.., de, a] => Ok((*de, *a)),
                _ => Err(ApiError::NotFound(
                    "fewer than two legislative rounds by constituency in the data".into(),
                )),
            }
        }
        _ => Err(ApiError::parameter(
            "de",
            "give both 'de' and 'a' (two rounds held by constituency), or neither",
            None,
        )),
    }
}

/// How the seat map colours a seat.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiegesQuery {
    /// `famille` (default): the winner's political family; `nuance`: the Ministry's nuance.
    #[param(value_type = Option<String>, pattern = "^(famille|nuance)$", example = "nuance")]
    pub par: Option<String>,
}

/// The seat map of a legislative election: each constituency in the colour of its winner's
/// family or nuance (`par`), whichever round elected them.
#[utoipa::path(
    operation_id = "chart_map_seats",
    tag = "charts",
    params(SiegesQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/sieges")]
pub async fn sieges(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SiegesQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let par = Par::parse(query.par.as_deref())?;
    let scrutin = circonscriptions::scrutin(&state.snapshot, &scope, choix.choisi())?;
    // Checked here, so that a presidential round is a 400 before any rendering.
    cartes::verifier_sieges(scrutin)?;
    respond_with(&request, &state, look, move |s| {
        cartes::sieges(&s.snapshot, &scope, scrutin, par)
    })
    .await
}

/// Map of the family of the most voted candidate of a round in each constituency.
#[utoipa::path(
    operation_id = "chart_map_circonscriptions_leading_family",
    tag = "charts",
    params(Filtres, ChartQuery),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/famille-gagnante")]
pub async fn famille_gagnante(
    request: HttpRequest,
    state: web::Data<AppState>,
    choix: web::Query<Choix>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let scrutin = circonscriptions::scrutin(&state.snapshot, &scope, choix.choisi())?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::famille_en_tete(&s.snapshot, &scope, scrutin))
    })
    .await
}

/// Map of the shift of a family's share of the valid votes between two rounds held by
/// constituency (`de`, `a`; default the 2022 and 2024 legislative rounds 1), in points, on a
/// diverging palette centred on 0.
#[utoipa::path(
    operation_id = "chart_map_circonscriptions_evolution",
    tag = "charts",
    params(
        ("famille" = String, Path, description = "Political family (see /familles)", example = "extreme_droite"),
        EcartsQuery, EntreQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/evolution/{famille}")]
pub async fn evolution(
    request: HttpRequest,
    state: web::Data<AppState>,
    famille: web::Path<String>,
    ecarts: web::Query<EcartsQuery>,
    entre: web::Query<EntreQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let rounds = rounds(&state.snapshot, &entre)?;
    let famille = state
        .snapshot
        .famille(famille.trim())
        .cloned()
        .ok_or_else(|| {
            let known: Vec<&str> = state
                .snapshot
                .familles
                .iter()
                .map(|f| f.code.as_str())
                .collect();
            ApiError::NotFound(format!(
                "no political family '{famille}'; families: {}",
                known.join(", ")
            ))
        })?;
    let (n, palette) = ecarts.classes()?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::evolution(
            &s.snapshot,
            &famille,
            &scope,
            rounds,
            n,
            palette,
        ))
    })
    .await
}

/// LISA cluster map of a measure over the constituencies: hot spots (HH), cold spots (LL)
/// and spatial outliers (HL, LH) significant at `alpha`, the others grey, the islands without a
/// neighbour hatched.
#[utoipa::path(
    operation_id = "chart_map_circonscriptions_lisa",
    tag = "charts",
    params(
        ("mesure" = String, Path, description = "`taux_participation`, `taux_abstention` or `part_{famille}`", example = "part_extreme_droite"),
        AlphaQuery, PermutationsQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 422, description = "Too few constituencies with a value and a neighbour", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/lisa/{mesure}")]
#[allow(clippy::too_many_arguments)]
pub async fn lisa(
    request: HttpRequest,
    state: web::Data<AppState>,
    mesure: web::Path<String>,
    alpha: web::Query<AlphaQuery>,
    permutations: web::Query<PermutationsQuery>,
    choix: web::Query<Choix>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let mesure = Mesure::parse(&state.snapshot, "mesure", &mesure)?;
    let alpha = alpha.alpha()?;
    let permutations = crate::params::spatial::permutations(permutations.permutations.as_deref())?;
    let scrutin = circonscriptions::scrutin(&state.snapshot, &scope, choix.choisi())?;
    // Counted by the permutations it will draw: the FDR raises them (up to n / alpha).
    let drawn = alpha.permutations(permutations, state.snapshot.circonscriptions.liste.len());
    let cost = crate::render::spatial_cost(drawn);
    respond_with_cost(&request, &state, look, cost, move |s| {
        let l = crate::views::spatial::lisa_circonscriptions(
            &s.snapshot,
            &mesure,
            &scope,
            scrutin,
            permutations,
            alpha,
        )?;
        Ok(cartes::lisa(&s.snapshot, &l, &mesure, &scope, scrutin))
    })
    .await
}

/// Map of a constituency forecast on its test election: each constituency right (green) or
/// wrong (orange), the forecast and the actual family in its hover text (`tache`, `cible`,
/// `modele` as in `/previsions/circonscriptions`; default the model the cross-validation
/// inside the training cycles prefers). Constituencies left out of the forecast are drawn as
/// missing, with the reason.
#[utoipa::path(
    operation_id = "chart_map_circonscriptions_previsions",
    tag = "charts",
    params(crate::params::previsions::PrevisionQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The map", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/charts/circonscriptions/previsions")]
pub async fn previsions(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<crate::params::previsions::PrevisionQuery>,
    scope: Scope,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    cartes_departements::verifier_region(&state.snapshot, &scope)?;
    let choix = crate::views::previsions::choix(
        &state.snapshot,
        query.tache.as_deref(),
        query.cible.as_deref(),
        query.modele.as_deref(),
    )?;
    let resultat = crate::views::previsions::resultat(&state.snapshot, &choix)?;
    respond_with(&request, &state, look, move |s| {
        Ok(cartes::previsions(&s.snapshot, &scope, &resultat))
    })
    .await
}
