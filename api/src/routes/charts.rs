//! `/charts/...`: every chart of the original dashboard, rendered on the fly as SVG, or PNG
//! (`format=png` or a `.png` suffix). The `*_chart` functions are also used offline to
//! write `images/`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use charts::{Bar, BoxGroup, ChartOptions, ScatterPoint, Theme};
use db::snapshot::percentage;
use db::{Snapshot, Variable};
use serde::Deserialize;
use utoipa::IntoParams;

use super::correlations::{self, CorrelationsQuery};
use super::departements;
use super::indicateurs::{self, Indicateur, rows};
use super::params::{Filtres, fr_pct};
use crate::error::ApiError;
use crate::state::AppState;
use crate::stats;

/// Charts never change until the data does; the ETag carries the data version.
pub const CHART_CACHE_CONTROL: &str = "public, max-age=86400";
/// Charts are images: no script may run in them, even opened directly.
pub const CHART_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";
const MAX_TITLE_CHARS: usize = 200;

/// Size, theme, title and format of any chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    /// Width in pixels, 200..=4000. Default 1280 (16:9 slide).
    #[param(value_type = Option<u32>, minimum = 200, maximum = 4000, example = 1280)]
    pub width: Option<String>,
    /// Height in pixels, 200..=4000. Default 720.
    #[param(value_type = Option<u32>, minimum = 200, maximum = 4000, example = 720)]
    pub height: Option<String>,
    /// `light` (default) or `dark`.
    #[param(value_type = Option<String>, pattern = "^(light|dark)$", example = "light")]
    pub theme: Option<String>,
    /// Title shown above the chart (default: one describing it), at most 200 characters.
    #[param(max_length = 200, example = "Chômage et vote d'extrême droite")]
    pub title: Option<String>,
    /// `svg` (default) or `png`; a `.svg` or `.png` suffix on the path does the same.
    #[param(value_type = Option<String>, pattern = "^(svg|png)$", example = "png")]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// Validated chart parameters: the look of the chart and its format.
#[derive(Debug, Clone)]
pub struct Look {
    pub chart: charts::Look,
    pub format: Format,
}

fn size(name: &str, value: Option<&str>, default: u32) -> Result<u32, ApiError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    text.parse::<u32>()
        .ok()
        .filter(|v| (charts::MIN_SIZE..=charts::MAX_SIZE).contains(v))
        .ok_or_else(|| {
            ApiError::parameter(
                name,
                format!(
                    "parameter '{name}' must be a whole number of pixels in {}..={}, not '{text}'",
                    charts::MIN_SIZE,
                    charts::MAX_SIZE
                ),
                None,
            )
        })
}

impl ChartQuery {
    pub fn look(&self) -> Result<Look, ApiError> {
        let theme = match self.theme.as_deref().map(str::trim) {
            None | Some("") | Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => {
                return Err(ApiError::parameter(
                    "theme",
                    format!("parameter 'theme' must be light or dark, not '{other}'"),
                    Some(vec!["light".into(), "dark".into()]),
                ));
            }
        };
        let format = match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("svg") => Format::Svg,
            Some("png") => Format::Png,
            Some(other) => {
                return Err(ApiError::parameter(
                    "format",
                    format!("parameter 'format' must be svg or png, not '{other}'"),
                    Some(vec!["svg".into(), "png".into()]),
                ));
            }
        };
        if let Some(title) = &self.title
            && title
                .chars()
                .any(|c| c.is_control() || !charts::is_xml_char(c))
        {
            return Err(ApiError::parameter(
                "title",
                "parameter 'title' contains control characters",
                None,
            ));
        }
        if let Some(title) = &self.title
            && title.chars().count() > MAX_TITLE_CHARS
        {
            return Err(ApiError::parameter(
                "title",
                format!("parameter 'title' is longer than {MAX_TITLE_CHARS} characters"),
                None,
            ));
        }
        Ok(Look {
            chart: charts::Look {
                width: size("width", self.width.as_deref(), charts::DEFAULT_WIDTH)?,
                height: size("height", self.height.as_deref(), charts::DEFAULT_HEIGHT)?,
                theme,
                title: self.title.clone().filter(|t| !t.trim().is_empty()),
            },
            format,
        })
    }
}

impl Look {
    /// Default look of the offline copies in `images/`.
    pub fn svg_default() -> Look {
        Look {
            chart: charts::Look::default(),
            format: Format::Svg,
        }
    }

    fn options(&self, default_title: String, description: String) -> ChartOptions {
        self.chart.options(&default_title, &description)
    }
}

fn chart_error(error: charts::ChartError) -> ApiError {
    match error {
        charts::ChartError::Size { .. } => ApiError::bad(error.to_string()),
        charts::ChartError::NoData(detail) => {
            ApiError::NotFound(format!("no data to draw: {detail}"))
        }
        other => ApiError::Internal(other.to_string()),
    }
}

fn tour_label(tour: i32) -> &'static str {
    if tour == 2 { "2d tour" } else { "1er tour" }
}

/// `1er tour 2022`.
fn scrutin_label(scrutin: db::Scrutin) -> String {
    format!("{} {}", tour_label(scrutin.tour), scrutin.annee)
}

fn scope(
    filtres: &Filtres,
    snapshot: &Snapshot,
) -> Result<(db::Scrutin, db::Quarter, Option<String>, String), ApiError> {
    let (tour, quarter, region) = filtres.resolve(snapshot)?;
    let place = region.map_or_else(
        || "départements".to_owned(),
        |r| format!("départements, {}", r.nom),
    );
    Ok((tour, quarter, region.map(|r| r.code.clone()), place))
}

fn departement_rows(
    snapshot: &Snapshot,
    tour: db::Scrutin,
    quarter: db::Quarter,
    region: Option<&str>,
) -> Vec<Indicateur> {
    rows(snapshot, tour, quarter, region)
        .into_iter()
        .filter(|r| r.est_departement)
        .collect()
}

/// Number of bars of a histogram.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BinsQuery {
    /// Number of bars, 1..=100. Default 20.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub bins: Option<String>,
}

pub fn histogram_chart(
    snapshot: &Snapshot,
    variable: &str,
    filtres: &Filtres,
    bins: Option<&str>,
    look: &Look,
) -> Result<String, ApiError> {
    let variable = indicateurs::variable("variable", variable)?;
    let bins = match bins.map(str::trim).filter(|b| !b.is_empty()) {
        None => 20,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|b| (1..=100).contains(b))
            .ok_or_else(|| {
                ApiError::parameter(
                    "bins",
                    format!("parameter 'bins' must be in 1..=100, not '{text}'"),
                    None,
                )
            })?,
    };
    let (tour, quarter, region, place) = scope(filtres, snapshot)?;
    let values: Vec<f64> = departement_rows(snapshot, tour, quarter, region.as_deref())
        .iter()
        .filter_map(|r| r.variable(variable))
        .collect();
    let (axis, short) = (variable.libelle(), variable.court());
    let when = if variable == Variable::TauxChomage {
        quarter.to_string()
    } else {
        format!("présidentielle {}, {}", tour.annee, tour_label(tour.tour))
    };
    let options = look.options(
        format!("Distribution : {} ({place}, {when})", short.to_lowercase()),
        format!(
            "Histogramme en {bins} classes de « {axis} » sur {} {place}.",
            values.len()
        ),
    );
    charts::histogram(&options, axis, &values, bins).map_err(chart_error)
}

pub fn heatmap_chart(
    snapshot: &Snapshot,
    filtres: &Filtres,
    query: &CorrelationsQuery,
    look: &Look,
) -> Result<String, ApiError> {
    let c = correlations::compute(snapshot, filtres, query)?;
    let labels: Vec<String> = c
        .variables
        .iter()
        .map(|v| {
            indicateurs::variable("variables", v)
                .map(|v| v.court())
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let methode = if c.methode == "spearman" {
        "Spearman"
    } else {
        "Pearson"
    };
    let options = look.options(
        format!("Corrélations ({methode}, n = {}, {} , {})", c.n, scrutin_label(db::Scrutin::new(c.annee, c.tour)), c.trimestre).replace(" ,", ","),
        format!(
            "Matrice des corrélations de {methode} entre {} sur {} départements ; valeurs dans les cases.",
            labels.join(", "),
            c.n
        ),
    );
    charts::heatmap(&options, &labels, &c.matrice).map_err(chart_error)
}

/// The two variables of a scatter plot.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScatterQuery {
    /// Horizontal variable. Default taux_chomage.
    #[param(value_type = Option<Variable>, example = "taux_chomage")]
    pub x: Option<String>,
    /// Vertical variable. Default part_extreme_droite.
    #[param(value_type = Option<Variable>, example = "part_extreme_droite")]
    pub y: Option<String>,
    /// Draw the least-squares line and r: `true` (default) or `false`.
    #[param(value_type = Option<bool>, example = true)]
    pub regression: Option<String>,
}

pub fn scatter_chart(
    snapshot: &Snapshot,
    filtres: &Filtres,
    query: &ScatterQuery,
    look: &Look,
) -> Result<String, ApiError> {
    let x = indicateurs::variable("x", query.x.as_deref().unwrap_or("taux_chomage"))?;
    let y = indicateurs::variable("y", query.y.as_deref().unwrap_or("part_extreme_droite"))?;
    let regression = match query.regression.as_deref().map(str::trim) {
        None | Some("") | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(other) => {
            return Err(ApiError::parameter(
                "regression",
                format!("parameter 'regression' must be true or false, not '{other}'"),
                Some(vec!["true".into(), "false".into()]),
            ));
        }
    };
    let (tour, quarter, region, place) = scope(filtres, snapshot)?;
    let points: Vec<ScatterPoint> = departement_rows(snapshot, tour, quarter, region.as_deref())
        .iter()
        .filter_map(|r| {
            Some(ScatterPoint {
                x: r.variable(x)?,
                y: r.variable(y)?,
                famille: r.famille_gagnante.clone(),
            })
        })
        .collect();
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let fit = if regression {
        match (stats::linear_fit(&xs, &ys), stats::pearson(&xs, &ys)) {
            (Some((a, b)), Some(r)) => {
                Some((a, b, format!("Moindres carrés : r = {}", charts::fr(r, 2))))
            }
            _ => None,
        }
    } else {
        None
    };
    let familles: Vec<(String, String)> = snapshot
        .familles
        .iter()
        .map(|f| (f.code.clone(), format!("{} en tête", f.libelle)))
        .collect();
    let ((x_axis, x_short), (y_axis, y_short)) =
        ((x.libelle(), x.court()), (y.libelle(), y.court()));
    let options = look.options(
        format!("{y_short} selon {} ({place}, n = {}, {})", x_short.to_lowercase(), points.len(), scrutin_label(tour)),
        format!(
            "Nuage de points : « {y_axis} » en fonction de « {x_axis} », un point par département coloré par la famille politique arrivée en tête."
        ),
    );
    charts::scatter(&options, x_axis, y_axis, &points, &familles, fit).map_err(chart_error)
}

pub fn boxplot_chart(
    snapshot: &Snapshot,
    variable: &str,
    filtres: &Filtres,
    look: &Look,
) -> Result<String, ApiError> {
    let variable = indicateurs::variable("variable", variable)?;
    let (tour, quarter, region, place) = scope(filtres, snapshot)?;
    let data = departement_rows(snapshot, tour, quarter, region.as_deref());
    let groups: Vec<BoxGroup> = snapshot
        .familles
        .iter()
        .map(|f| BoxGroup {
            famille: f.code.clone(),
            libelle: format!("{} en tête", f.libelle),
            values: data
                .iter()
                .filter(|r| r.famille_gagnante == f.code)
                .filter_map(|r| r.variable(variable))
                .collect(),
        })
        .collect();
    let (axis, short) = (variable.libelle(), variable.court());
    let options = look.options(
        format!("{short} selon la famille arrivée en tête ({place}, {})", scrutin_label(tour)),
        format!("Boîtes à moustaches de « {axis} » par famille politique arrivée en tête : quartiles, moustaches à 1,5 écart interquartile, points au-delà."),
    );
    charts::boxplot(&options, axis, &groups).map_err(chart_error)
}

/// Election and round of a département chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TourQuery {
    /// Presidential election year: 2017 or 2022. Default 2022.
    #[param(value_type = Option<i32>, minimum = 2017, maximum = 2022, example = 2022)]
    pub annee: Option<String>,
    /// Election round: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

fn round_of(
    snapshot: &Snapshot,
    code: &str,
    query: &TourQuery,
) -> Result<(String, departements::ResultatTour), ApiError> {
    let d = departements::find(snapshot, code)?;
    let scrutin = super::params::scrutin(snapshot, query.annee.as_deref(), query.tour.as_deref())?;
    let round = departements::resultat_departement(snapshot, &d.code, scrutin)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {} in {scrutin}", d.nom)))?;
    Ok((d.nom.clone(), round))
}

pub fn familles_chart(
    snapshot: &Snapshot,
    code: &str,
    tour: &TourQuery,
    look: &Look,
) -> Result<String, ApiError> {
    let (nom, round) = round_of(snapshot, code, tour)?;
    let bars: Vec<Bar> = round
        .familles
        .iter()
        .map(|f| Bar {
            label: f.libelle.clone(),
            value: f.voix as f64,
            famille: f.famille.clone(),
            annotation: fr_pct(f.part_exprimes),
            error: None,
        })
        .collect();
    let options = look.options(
        format!(
            "{nom} : voix par famille politique ({})",
            scrutin_label(db::Scrutin::new(round.annee, round.tour))
        ),
        format!("Voix de chaque famille politique dans le département {nom} et part des exprimés."),
    );
    charts::bars(&options, "Voix", &bars).map_err(chart_error)
}

pub fn candidats_chart(
    snapshot: &Snapshot,
    code: &str,
    tour: &TourQuery,
    look: &Look,
) -> Result<String, ApiError> {
    let (nom, round) = round_of(snapshot, code, tour)?;
    let mut candidats = round.candidats.clone();
    candidats.sort_by(|a, b| b.voix.cmp(&a.voix).then(a.candidat_id.cmp(&b.candidat_id)));
    let bars: Vec<Bar> = candidats
        .iter()
        .map(|c| Bar {
            label: format!("{} {}", c.prenom, c.nom),
            value: c.voix as f64,
            famille: c.famille.clone(),
            annotation: fr_pct(percentage(c.voix, round.exprimes)),
            error: None,
        })
        .collect();
    let options = look.options(
        format!("{nom} : résultats des candidats ({})", scrutin_label(db::Scrutin::new(round.annee, round.tour))),
        format!("Voix de chaque candidat dans le département {nom}, du premier au dernier, avec la part des exprimés."),
    );
    charts::bars(&options, "Voix", &bars).map_err(chart_error)
}

pub fn chomage_chart(snapshot: &Snapshot, code: &str, look: &Look) -> Result<String, ApiError> {
    let d = departements::find(snapshot, code)?;
    let points: Vec<(f64, f64)> = snapshot
        .chomage(&d.code)
        .iter()
        .map(|c| {
            (
                f64::from(c.annee) + f64::from(c.trimestre - 1) / 4.0,
                c.taux,
            )
        })
        .collect();
    if points.is_empty() {
        return Err(ApiError::NotFound(format!(
            "INSEE publishes no unemployment series for {} ({})",
            d.nom, d.code
        )));
    }
    let first = snapshot
        .chomage(&d.code)
        .first()
        .map(|c| c.annee)
        .unwrap_or_default();
    let last = snapshot
        .chomage(&d.code)
        .last()
        .map(|c| c.annee)
        .unwrap_or_default();
    let options = look.options(
        format!("{} : taux de chômage trimestriel, {first}-{last}", d.nom),
        format!("Taux de chômage localisé (BIT, CVS) du département {} par trimestre ; la ligne verticale marque la présidentielle d'avril 2022.", d.nom),
    );
    charts::time_series(
        &options,
        "Taux de chômage (%)",
        &points,
        Some((2022.25, "Présidentielle 2022".to_owned())),
    )
    .map_err(chart_error)
}

/// Small, stable hash of the parameters for the ETag (FNV-1a, 64 bits).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The HTTP response of a chart: SVG or PNG with the image headers. The chart is built and
/// rendered on the rendering pool, within the request's deadline (see [`crate::render`]).
async fn respond<F>(
    request: &actix_web::HttpRequest,
    state: &AppState,
    look: Look,
    build: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&AppState, &Look) -> Result<String, ApiError> + Send + 'static,
{
    let png = look.format == Format::Png;
    let cost = crate::render::cost(look.chart.width, look.chart.height, png);
    let owned = state.clone();
    let body = crate::render::run(
        cost,
        crate::limits::deadline(request),
        Box::new(move || {
            let svg = build(&owned, &look)?;
            if png {
                crate::render::png(&svg)
            } else {
                Ok(svg.into_bytes())
            }
        }),
    )
    .await?;
    let content_type = if png { "image/png" } else { "image/svg+xml" };
    let key = format!("{}?{}", request.path(), request.query_string());
    let etag = format!("\"{}-{:016x}\"", state.snapshot.version, fnv1a(&key));
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, CHART_CACHE_CONTROL))
        .insert_header((header::CONTENT_SECURITY_POLICY, CHART_CSP))
        .body(body))
}

/// Histogram of an indicator over the départements.
#[utoipa::path(
    operation_id = "chart_histogram",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "taux_abstention"),
        BinsQuery, Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/histogramme/{variable}")]
pub async fn histogramme(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    bins: web::Query<BinsQuery>,
    filtres: web::Query<Filtres>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (variable, filtres, bins) = (
        variable.into_inner(),
        filtres.into_inner(),
        bins.into_inner(),
    );
    respond(&request, &state, look, move |s, look| {
        histogram_chart(&s.snapshot, &variable, &filtres, bins.bins.as_deref(), look)
    })
    .await
}

/// Département (or national) of the evolution chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvolutionQuery {
    /// INSEE or election-file code; the whole country when absent.
    #[param(example = "59")]
    pub departement: Option<String>,
    /// Election round compared: 1 or 2. Default 1.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2, example = 1)]
    pub tour: Option<String>,
}

/// The 2017 -> 2022 shift of each family's share (percentage points), and of participation.
pub fn evolution_chart(
    snapshot: &Snapshot,
    query: &EvolutionQuery,
    look: &Look,
) -> Result<String, ApiError> {
    let departement = departements::find_optional(snapshot, query.departement.as_deref())?;
    let tour = super::params::tour(query.tour.as_deref())?;
    let e = departements::evolution(snapshot, departement, tour)
        .ok_or_else(|| ApiError::NotFound("no 2017 and 2022 results to compare".into()))?;
    let points = |v: f64| {
        let sign = if v > 0.0 { "+" } else { "" };
        format!("{sign}{} pts", charts::fr(v, 1))
    };
    let mut bars: Vec<Bar> = e
        .familles
        .iter()
        .map(|f| Bar {
            label: f.libelle.clone(),
            value: f.ecart_points,
            famille: f.famille.clone(),
            annotation: format!(
                "{} ({} -> {})",
                points(f.ecart_points),
                fr_pct(f.part_2017),
                fr_pct(f.part_2022)
            ),
            error: None,
        })
        .collect();
    bars.push(Bar {
        label: "Participation".into(),
        value: e.ecart_participation_points,
        famille: String::new(),
        annotation: format!(
            "{} ({} -> {})",
            points(e.ecart_participation_points),
            fr_pct(e.participation_2017),
            fr_pct(e.participation_2022)
        ),
        error: None,
    });
    let options = look.options(
        format!(
            "{} : évolution 2017 -> 2022 par famille ({})",
            e.nom,
            tour_label(tour)
        ),
        format!(
            "Écart en points de la part des exprimés de chaque famille politique et de la participation entre les présidentielles 2017 et 2022, {}.",
            e.nom
        ),
    );
    charts::diverging_bars(&options, "Écart 2022 - 2017 (points de pourcentage)", &bars)
        .map_err(chart_error)
}

/// Shift of each political family's share of valid votes and of participation between the
/// 2017 and 2022 presidential elections (same round), for a département or the whole country.
#[utoipa::path(
    operation_id = "chart_evolution",
    tag = "charts",
    params(EvolutionQuery, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown département", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/evolution")]
pub async fn evolution(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<EvolutionQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let query = query.into_inner();
    respond(&request, &state, look, move |s, look| {
        evolution_chart(&s.snapshot, &query, look)
    })
    .await
}

/// Correlation heatmap of indicator variables, values printed in the cells.
#[utoipa::path(
    operation_id = "chart_correlations",
    tag = "charts",
    params(CorrelationsQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/correlations")]
pub async fn correlations_chart(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CorrelationsQuery>,
    filtres: web::Query<Filtres>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (filtres, query) = (filtres.into_inner(), query.into_inner());
    respond(&request, &state, look, move |s, look| {
        heatmap_chart(&s.snapshot, &filtres, &query, look)
    })
    .await
}

/// Scatter plot of two indicators, one point per département coloured by the leading family,
/// with the least-squares line and r.
#[utoipa::path(
    operation_id = "chart_scatter",
    tag = "charts",
    params(ScatterQuery, Filtres, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/nuage")]
pub async fn nuage(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ScatterQuery>,
    filtres: web::Query<Filtres>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (filtres, query) = (filtres.into_inner(), query.into_inner());
    respond(&request, &state, look, move |s, look| {
        scatter_chart(&s.snapshot, &filtres, &query, look)
    })
    .await
}

/// Box plots of an indicator by the political family leading in each département.
#[utoipa::path(
    operation_id = "chart_boxplot",
    tag = "charts",
    params(
        ("variable" = Variable, Path, description = "The indicator", example = "taux_chomage"),
        Filtres, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/boites/{variable}")]
pub async fn boites(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    variable: web::Path<String>,
    filtres: web::Query<Filtres>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (variable, filtres) = (variable.into_inner(), filtres.into_inner());
    respond(&request, &state, look, move |s, look| {
        boxplot_chart(&s.snapshot, &variable, &filtres, look)
    })
    .await
}

/// A département's votes by political family.
#[utoipa::path(
    operation_id = "chart_departement_families",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        TourQuery, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown département", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/departements/{code}/familles")]
pub async fn departement_familles(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    tour: web::Query<TourQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (code, tour) = (code.into_inner(), tour.into_inner());
    respond(&request, &state, look, move |s, look| {
        familles_chart(&s.snapshot, &code, &tour, look)
    })
    .await
}

/// A département's candidate results, best first.
#[utoipa::path(
    operation_id = "chart_departement_candidates",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        TourQuery, ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown département", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/departements/{code}/candidats")]
pub async fn departement_candidats(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    tour: web::Query<TourQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (code, tour) = (code.into_inner(), tour.into_inner());
    respond(&request, &state, look, move |s, look| {
        candidats_chart(&s.snapshot, &code, &tour, look)
    })
    .await
}

/// A département's quarterly unemployment rate, 1982-2025, with the 2022 election marked.
#[utoipa::path(
    operation_id = "chart_departement_unemployment",
    tag = "charts",
    params(
        ("code" = String, Path, description = "INSEE or election-file code", example = "59"),
        ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown département, or no INSEE series for it", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/departements/{code}/chomage")]
pub async fn departement_chomage(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let code = code.into_inner();
    respond(&request, &state, look, move |s, look| {
        chomage_chart(&s.snapshot, &code, look)
    })
    .await
}

/// Feature set of the accuracy chart.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyQuery {
    /// Only the models of one feature set: `indicateurs_2022`, `socio_economique` or
    /// `socio_economique_historique`. Default: every model, labelled with its set.
    #[param(example = "socio_economique_historique")]
    pub jeu: Option<String>,
}

/// Cross-validated accuracy of every model (or of one feature set's) beside the
/// majority-class baseline.
#[utoipa::path(
    operation_id = "chart_models_accuracy",
    tag = "charts",
    params(AccuracyQuery, ChartQuery),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No model in the database", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/models/accuracy")]
pub async fn models_accuracy(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<AccuracyQuery>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let jeu = query
        .jeu
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .map(|j| {
            ml::features::jeu(j).ok_or_else(|| {
                ApiError::parameter(
                    "jeu",
                    format!("parameter 'jeu': unknown feature set '{j}'"),
                    Some(
                        ml::features::jeux()
                            .iter()
                            .map(|j| j.id.to_owned())
                            .collect(),
                    ),
                )
            })
        })
        .transpose()?;
    let jeu = jeu.map(|j| j.id);
    respond(&request, &state, look, move |s, look| {
        let evaluations: Vec<ml::evaluate::Evaluation> = s
            .models
            .iter()
            .filter(|m| jeu.is_none_or(|j| m.evaluation.jeu_features == j))
            .map(|m| m.evaluation.clone())
            .collect();
        ml::report::accuracy_chart(&look.chart, &evaluations).map_err(chart_error)
    })
    .await
}

/// A model's confusion matrix, permutation importance or ROC curves.
#[utoipa::path(
    operation_id = "chart_model",
    tag = "charts",
    params(
        ("id" = String, Path, description = "Model id (see /models)", example = "regression_logistique"),
        ("chart" = String, Path, description = "confusion, importance or roc", example = "roc"),
        ChartQuery,
    ),
    responses(
        (status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 400, description = "Bad parameter", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown model or chart", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/charts/models/{id}/{chart}")]
pub async fn model_chart(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    chart: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let look = chart.look()?;
    let (id, kind) = path.into_inner();
    super::models::find(&state, &id)?;
    if !["confusion", "importance", "roc"].contains(&kind.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no chart '{kind}' for a model; charts: confusion, importance, roc"
        )));
    }
    respond(&request, &state, look, move |s, look| {
        let model = super::models::find(s, &id)?;
        let e = std::slice::from_ref(&model.evaluation);
        let ml = &look.chart;
        match kind.as_str() {
            "confusion" => ml::report::confusion_chart(ml, e),
            "importance" => ml::report::importance_chart(ml, &model.evaluation),
            _ => ml::report::roc_chart(ml, e),
        }
        .map_err(chart_error)
    })
    .await
}
