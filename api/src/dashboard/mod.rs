//! The HTML dashboard: the four pages of the original Streamlit app, rendered on the server
//! with compile-time checked templates (maud escapes every interpolated value), no
//! JavaScript, and the same chart URLs as the API.

mod accueil;
mod apprentissage;
mod circonscriptions;
mod exploration;
mod visualisations;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, Markup, html};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Pages may load images, the stylesheet and submit forms to this server; nothing else, and
/// no script at all.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'none'; img-src 'self'; \
     style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("style.css");
pub const STYLE_PATH: &str = "/static/style.css";

/// The dashboard's pages, for the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Accueil,
    Visualisations,
    Exploration,
    Circonscriptions,
    Apprentissage,
}

impl Page {
    const ALL: [Page; 5] = [
        Page::Accueil,
        Page::Visualisations,
        Page::Exploration,
        Page::Circonscriptions,
        Page::Apprentissage,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Accueil => "/",
            Page::Visualisations => "/visualisations",
            Page::Exploration => "/exploration",
            Page::Circonscriptions => "/exploration/circonscriptions",
            Page::Apprentissage => "/apprentissage",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Page::Accueil => "Accueil",
            Page::Visualisations => "Visualisations",
            Page::Exploration => "Exploration",
            Page::Circonscriptions => "Circonscriptions",
            Page::Apprentissage => "Machine Learning",
        }
    }
}

/// Paths the dashboard answers (GET and HEAD), for the 405-or-404 fallback.
pub fn paths() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = Page::ALL.iter().map(|p| p.path()).collect();
    paths.push(STYLE_PATH);
    paths
}

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route(Page::Accueil.path(), web::get().to(accueil::page))
        .route(
            Page::Visualisations.path(),
            web::get().to(visualisations::page),
        )
        .route(Page::Exploration.path(), web::get().to(exploration::page))
        .route(
            Page::Circonscriptions.path(),
            web::get().to(circonscriptions::page),
        )
        .route(
            Page::Apprentissage.path(),
            web::get().to(apprentissage::page),
        )
        .route(STYLE_PATH, web::get().to(style));
}

async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(STYLE)
}

/// The page around a body: navigation, main content, sources.
fn layout(current: Page, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Elexxion" }
                link rel="stylesheet" href=(STYLE_PATH);
            }
            body {
                a.evitement href="#contenu" { "Aller au contenu" }
                header.bandeau {
                    p.marque { a href="/" { "Elexxion" } }
                    nav aria-label="Pages du tableau de bord" {
                        ul {
                            @for page in Page::ALL {
                                li {
                                    @if page == current {
                                        a href=(page.path()) aria-current="page" { (page.label()) }
                                    } @else {
                                        a href=(page.path()) { (page.label()) }
                                    }
                                }
                            }
                            li { a href="/swagger-ui/" { "API (Swagger UI)" } }
                        }
                    }
                }
                main #contenu {
                    h1 { (title) }
                    (body)
                }
                footer {
                    p {
                        "Données : Ministère de l'Intérieur (présidentielle 2022, résultats définitifs par département) "
                        "et INSEE (taux de chômage localisés), Licence Ouverte 2.0. "
                        "Toutes les données de cette page viennent de l'API : "
                        a href="/swagger-ui/" { "documentation" } "."
                    }
                }
            }
        }
    }
}

/// An HTML response with the page headers.
fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(markup.into_string())
}

fn ok(current: Page, title: &str, body: Markup) -> HttpResponse {
    html_response(StatusCode::OK, layout(current, title, body))
}

/// The page of a refused request: a bad form value is a 400, an unknown département or
/// model a 404. The form comes back so the reader can correct it.
fn refused(current: Page, title: &str, error: &ApiError, form: Markup) -> HttpResponse {
    let status = match error {
        ApiError::NotFound(_) => StatusCode::NOT_FOUND,
        ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let heading = match status {
        StatusCode::NOT_FOUND => "Introuvable",
        StatusCode::INTERNAL_SERVER_ERROR => "Erreur du serveur",
        _ => "Valeur refusée",
    };
    let body = html! {
        div.erreur role="alert" {
            h2 { (heading) " (" (status.as_u16()) ")" }
            p { (error.to_string()) }
            p { "Corrigez le formulaire ci-dessous, ou " a href=(current.path()) { "revenez à la page par défaut" } "." }
        }
        (form)
    };
    html_response(status, layout(current, title, body))
}

/// A page's form from its query string; a malformed one is the page's 400 with the empty
/// form drawn by `empty_form`.
fn form_or_refused<T: DeserializeOwned + Default>(
    request: &HttpRequest,
    page: Page,
    title: &str,
    empty_form: impl FnOnce(&T) -> Markup,
) -> Result<T, Box<HttpResponse>> {
    serde_urlencoded::from_str(request.query_string()).map_err(|e| {
        let error = ApiError::bad(format!("malformed query string: {e}"));
        Box::new(refused(page, title, &error, empty_form(&T::default())))
    })
}

/// `scheme://host` of the request, to print absolute chart URLs people can paste.
fn base_url(request: &HttpRequest) -> String {
    crate::origin::for_request(request)
}

/// A chart of the API shown on a page, with its URLs for slides.
struct Chart {
    /// Route without a suffix, e.g. `/charts/nuage`.
    path: String,
    /// Query parameters; empty values are left out.
    query: Vec<(&'static str, String)>,
    alt: String,
    legende: String,
    /// Why the chart cannot be drawn for this selection (too few départements, no data).
    indisponible: Option<String>,
}

impl Chart {
    fn new(path: impl Into<String>, alt: impl Into<String>, legende: impl Into<String>) -> Chart {
        Chart {
            path: path.into(),
            query: Vec::new(),
            alt: alt.into(),
            legende: legende.into(),
            indisponible: None,
        }
    }

    /// Keeps the error of a trial rendering, so the page says why instead of a broken image.
    fn verifie<T>(mut self, rendu: Result<T, ApiError>) -> Chart {
        self.indisponible = rendu.err().map(|e| e.to_string());
        self
    }

    /// Marks the chart unavailable for a reason already said in French on the page.
    fn indisponible_si(mut self, raison: Result<(), String>) -> Chart {
        self.indisponible = raison.err();
        self
    }

    fn param(mut self, name: &'static str, value: impl Into<String>) -> Chart {
        let value = value.into();
        if !value.is_empty() {
            self.query.push((name, value));
        }
        self
    }

    fn url(&self, suffix: &str) -> String {
        let query = serde_urlencoded::to_string(&self.query).unwrap_or_default();
        if query.is_empty() {
            format!("{}.{suffix}", self.path)
        } else {
            format!("{}.{suffix}?{query}", self.path)
        }
    }

    fn figure(&self, base: &str) -> Markup {
        let svg = self.url("svg");
        let png = self.url("png");
        if let Some(raison) = &self.indisponible {
            return html! {
                p.note.indisponible { "Graphique indisponible pour cette sélection (" (self.alt) ") : " (raison) }
            };
        }
        html! {
            figure.graphique {
                img src=(svg) alt=(self.alt) width=(charts::DEFAULT_WIDTH) height=(charts::DEFAULT_HEIGHT);
                figcaption {
                    p { (self.legende) }
                    dl.liens {
                        dt { "SVG" }
                        dd { a href=(svg) { code { (base) (svg) } } }
                        dt { "PNG" }
                        dd { a href=(png) { code { (base) (png) } } }
                    }
                }
            }
        }
    }
}

/// A number the French way: `1 234 567`.
fn entier(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// An ISO date (`2022-04-10`) as French readers write it (`10 avril 2022`); anything else
/// unchanged.
fn date_fr(iso: &str) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    if let [annee, mois, jour] = parts[..]
        && let (Ok(a), Ok(m), Ok(j)) = (
            annee.parse::<i32>(),
            mois.parse::<usize>(),
            jour.parse::<u32>(),
        )
        && (1..=12).contains(&m)
        && (1..=31).contains(&j)
    {
        let jour = if j == 1 {
            "1er".to_owned()
        } else {
            j.to_string()
        };
        return format!("{jour} {} {a}", MOIS[m - 1]);
    }
    iso.to_owned()
}

fn pct(value: f64) -> String {
    crate::views::fr_pct(value)
}

/// An HTML `<select>` with its label; `choix` is (value, text).
fn select(name: &str, label: &str, choix: &[(String, String)], selected: &str) -> Markup {
    html! {
        label for=(name) { (label) }
        select #(name) name=(name) {
            @for (value, text) in choix {
                option value=(value) selected[value == selected] { (text) }
            }
        }
    }
}

/// The elections of the selector on the pages: one entry per election (both rounds), the
/// newest first within each type, presidential first; value `legislatives-2024`.
fn elections_du_selecteur(snapshot: &db::Snapshot) -> Vec<(String, String)> {
    let mut choix: Vec<(db::Scrutin, String, String)> = Vec::new();
    for s in &snapshot.scrutins {
        if !choix
            .iter()
            .any(|(c, _, _)| c.type_election == s.type_election && c.annee == s.annee)
        {
            let libelle = s.type_election.libelle();
            let mut chars = libelle.chars();
            let majuscule: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            choix.push((*s, s.election(), format!("{majuscule} {}", s.annee)));
        }
    }
    choix.sort_by_key(|c| (c.0.type_election, std::cmp::Reverse(c.0.annee)));
    choix.into_iter().map(|(_, v, l)| (v, l)).collect()
}

/// `1er tour 2022` for a presidential round (as the pages always said), `1er tour des
/// législatives 2024` otherwise.
fn nom_du_tour(scrutin: db::Scrutin) -> String {
    let tour = if scrutin.tour == 1 {
        "1er tour"
    } else {
        "2d tour"
    };
    match scrutin.type_election {
        db::TypeElection::Presidentielle => format!("{tour} {}", scrutin.annee),
        t => format!("{tour} des {} {}", t.libelle(), scrutin.annee),
    }
}

/// A chart's round parameters: `annee` and `tour` for a presidential round (today's URLs),
/// `election` otherwise.
fn parametres_du_scrutin(chart: Chart, scrutin: db::Scrutin) -> Chart {
    match scrutin.type_election {
        db::TypeElection::Presidentielle => chart
            .param("annee", scrutin.annee.to_string())
            .param("tour", scrutin.tour.to_string()),
        _ => chart.param("election", scrutin.id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_french() {
        assert_eq!(date_fr("2022-04-10"), "10 avril 2022");
        assert_eq!(date_fr("2017-05-07"), "7 mai 2017");
        assert_eq!(date_fr("2022-08-01"), "1er août 2022");
        assert_eq!(date_fr("bientôt"), "bientôt");
    }

    #[test]
    fn thousands_are_grouped_with_narrow_spaces() {
        assert_eq!(entier(0), "0");
        assert_eq!(entier(999), "999");
        assert_eq!(entier(1_000), "1\u{202F}000");
        assert_eq!(entier(48_752_339), "48\u{202F}752\u{202F}339");
        assert_eq!(entier(-12_345), "-12\u{202F}345");
    }

    #[test]
    fn chart_urls_escape_and_skip_empty_values() {
        let chart = Chart::new("/charts/nuage", "a", "b")
            .param("x", "taux_chomage")
            .param("region", "")
            .param("title", "a&b c");
        assert_eq!(
            chart.url("svg"),
            "/charts/nuage.svg?x=taux_chomage&title=a%26b+c"
        );
        assert_eq!(
            Chart::new("/charts/correlations", "", "").url("png"),
            "/charts/correlations.png"
        );
    }
}
