//! Circonscriptions: find a legislative constituency by name, département or number, then
//! read every round held there (turnout, candidates, winner, lead), its neighbours, and the
//! maps of its région; without a choice, the seat map of the chosen legislative election.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{Chart, Page, entier, ok, pct};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::circonscriptions::{self, CirconscriptionDetail, Recherche};
use crate::views::{Scope, cartes_circonscriptions};

const TITRE: &str = "Circonscriptions législatives";

/// The page's fields: what to look for, and the legislative election of the seat map.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Formulaire {
    q: Option<String>,
    election: Option<String>,
}

/// The legislative elections held by constituency, newest first: (`legislatives-2024`, label).
fn legislatives(snapshot: &db::Snapshot) -> Vec<(String, String)> {
    let mut choix: Vec<(String, String)> = Vec::new();
    for s in snapshot.circonscriptions.scrutins.iter().rev() {
        if s.type_election == db::TypeElection::Legislatives
            && !choix.iter().any(|(v, _)| *v == s.election())
        {
            choix.push((s.election(), format!("Législatives {}", s.annee)));
        }
    }
    choix
}

fn formulaire(snapshot: &db::Snapshot, q: &str, election: &str) -> Markup {
    html! {
        form.filtres method="get" action=(Page::Circonscriptions.path()) role="search" {
            div.champ {
                label for="q" { "Circonscription (nom, département, numéro ou code)" }
                input #q type="search" name="q" value=(q) placeholder="Nord 1re, Paris 5e, 3304" maxlength="80";
            }
            div.champ { (super::select("election", "Élection", &legislatives(snapshot), election)) }
            div.champ { button type="submit" { "Chercher" } }
        }
    }
}

fn tour(snapshot: &db::Snapshot, t: &circonscriptions::TourCirconscription) -> Markup {
    let famille = |code: &str| {
        snapshot
            .famille(code)
            .map_or_else(|| code.to_owned(), |f| f.libelle.clone())
    };
    let mut candidats: Vec<&circonscriptions::Candidature> = t.candidats.iter().collect();
    candidats.sort_by(|a, b| b.voix.cmp(&a.voix).then(a.rang.cmp(&b.rang)));
    let mut titre = t.libelle.chars();
    let titre: String = titre
        .next()
        .map(|c| c.to_uppercase().chain(titre).collect())
        .unwrap_or_default();
    html! {
        section aria-label=(titre) {
            h3 { (titre) }
            p {
                "Inscrits " (entier(t.inscrits)) ", votants " (entier(t.votants)) " (participation " (pct(t.taux_participation)) "), exprimés " (entier(t.exprimes)) "."
                @if let Some(e) = &t.elu {
                    " Élu·e : " strong { (e.candidat) } @if let Some(n) = &e.nuance { " (" (n) ")" } "."
                }
                @if let Some(ecart) = t.ecart_points {
                    " Écart entre les deux premiers : " (charts::fr(ecart, 1)) " points."
                }
            }
            div.tableau {
                table {
                    caption { "Candidats, " (t.libelle) }
                    thead { tr {
                        th scope="col" { "Candidat" } th scope="col" { "Nuance" } th scope="col" { "Famille" }
                        th.nombre scope="col" { "Voix" } th.nombre scope="col" { "Part des exprimés" } th scope="col" { "Élu·e" }
                    } }
                    tbody {
                        @for c in &candidats {
                            tr {
                                th scope="row" { (c.candidat) }
                                td { (c.nuance_libelle.clone().or_else(|| c.nuance.clone()).unwrap_or_default()) }
                                td { (famille(&c.famille)) }
                                td.nombre { (entier(c.voix)) }
                                td.nombre { (pct(c.part_exprimes)) }
                                td { @if c.elu { "élu·e" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn fiche(snapshot: &db::Snapshot, d: &CirconscriptionDetail, base: &str) -> Markup {
    let region = snapshot
        .departement(&d.departement.code)
        .map(|x| x.region_code.clone())
        .unwrap_or_default();
    let carte = Chart::new(
        "/charts/circonscriptions/famille-gagnante",
        format!("Famille en tête par circonscription dans la région de {}", d.nom),
        "La famille du candidat arrivé en tête au 1er tour des législatives 2024, dans chaque circonscription de la région.",
    )
    .param("election", "legislatives-2024-t1")
    .param("region", region);
    html! {
        h2 #fiche { (d.nom) }
        p {
            "Département : " a href=(format!("{}?departement={}", Page::Exploration.path(), d.departement.code)) { (d.departement.nom) " (" (d.departement.code) ")" }
            ". Données : " a href=(format!("/circonscriptions/{}", d.code)) { code { "/circonscriptions/" (d.code) } } "."
        }
        @if let Some(raison) = &d.sans_territoire {
            p.note { (raison) "." }
        } @else if d.voisins.is_empty() {
            p.note { "Aucune circonscription voisine : une île sans frontière commune." }
        } @else {
            p {
                "Circonscriptions voisines : "
                @for (i, v) in d.voisins.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("{}?q={}", Page::Circonscriptions.path(), v.code)) { (v.nom) }
                }
                "."
            }
        }
        @for t in d.tours.iter().rev() { (tour(snapshot, t)) }
        @if d.contour {
            h2 { "Sa région" }
            (carte.figure(base))
        }
    }
}

pub async fn page(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let snapshot = &state.snapshot;
    let defaut = legislatives(snapshot)
        .first()
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let form: Formulaire =
        match super::form_or_refused(&request, Page::Circonscriptions, TITRE, |_| {
            formulaire(snapshot, "", &defaut)
        }) {
            Ok(form) => form,
            Err(page) => return *page,
        };
    let q = form
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if q.chars().count() > 80 {
        let error = ApiError::parameter("q", "the search text is at most 80 characters", None);
        return super::refused(
            Page::Circonscriptions,
            TITRE,
            &error,
            formulaire(snapshot, "", &defaut),
        );
    }
    let election = match form
        .election
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => defaut.clone(),
        Some(e) if legislatives(snapshot).iter().any(|(v, _)| v == e) => e.to_owned(),
        Some(e) => {
            let error = ApiError::parameter(
                "election",
                format!("'{e}' is not a legislative election held by constituency"),
                None,
            );
            return super::refused(
                Page::Circonscriptions,
                TITRE,
                &error,
                formulaire(snapshot, &q, &defaut),
            );
        }
    };
    let base = super::base_url(&request);
    let scope = Scope::defaut();
    let scrutin = db::Scrutin::parse_election(&election, 1).unwrap_or(circonscriptions::DEFAUT);
    let trouvees = if q.is_empty() {
        Vec::new()
    } else {
        circonscriptions::liste(
            snapshot,
            &scope,
            scrutin,
            &Recherche {
                q: Some(&q),
                ..Recherche::default()
            },
        )
    };
    let unique = match trouvees.as_slice() {
        [une] => snapshot.circonscriptions.get(&une.code),
        _ => None,
    };
    let sieges = Chart::new(
        "/charts/circonscriptions/sieges",
        format!("Carte des sièges par famille politique, {}", election.replace('-', " ")),
        "Chaque circonscription dans la couleur de la famille de son élu·e ; Paris et sa couronne, l'outre-mer en encarts ; les 11 circonscriptions des Français de l'étranger n'ont pas de territoire.",
    )
    .param("election", election.clone())
    .verifie(cartes_circonscriptions::sieges(snapshot, &scope, scrutin, cartes_circonscriptions::Par::Famille).map(|_| ()));
    let body = html! {
        p {
            "Les 577 circonscriptions des élections législatives : 566 sur le territoire, 11 pour les Français établis hors de France. "
            "Cherchez-en une par son nom (" em { "Nord 1re" } "), son département ou son code (" em { "5901" } ")."
        }
        (formulaire(snapshot, &q, &election))
        @match (unique, q.is_empty()) {
            (Some(c), _) => { (fiche(snapshot, &circonscriptions::detail(snapshot, c), &base)) }
            (None, true) => {
                h2 { "Les sièges" }
                (sieges.figure(&base))
            }
            (None, false) if trouvees.is_empty() => {
                p.note role="status" { "Aucune circonscription ne correspond à « " (q) " »." }
            }
            (None, false) => {
                h2 { (trouvees.len()) " circonscriptions trouvées" }
                ul.resultats {
                    @for r in &trouvees {
                        li {
                            a href=(format!("{}?q={}&election={election}", Page::Circonscriptions.path(), r.code)) { (r.nom) }
                            @if let Some(e) = &r.elu { " : " (e) @if let Some(n) = &r.nuance_elu { " (" (n) ")" } }
                        }
                    }
                }
            }
        }
        p.note {
            "Contours : data.gouv.fr, « Carte des circonscriptions législatives 2012 et 2017 », ODbL 1.0. "
            "Résultats : Ministère de l'Intérieur, Licence Ouverte 2.0."
        }
    };
    ok(Page::Circonscriptions, TITRE, body)
}
