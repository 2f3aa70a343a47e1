//! Exploration: one département against the country, its votes by family and candidate
//! (sortable by links), its unemployment since 1982.
//!
//! About 440 lines, kept in one file: it is one page (its form, its tables and its charts),
//! and its parts are only read together.

use actix_web::{HttpRequest, HttpResponse, web};
use db::Snapshot;
use db::models::Departement;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Chart, Page, entier, ok, pct, refused, select};
use crate::error::ApiError;
use crate::params::scope as params;
use crate::state::AppState;
use crate::views::departements::{self, detail_of};
use crate::views::resultats::{ResultatCandidat, ResultatTour, national_result};
use crate::views::scope::{DEFAULT_ANNEE, DEFAULT_QUARTER};

mod elections;

const TITRE: &str = "Exploration d'un département";

#[derive(Debug, Default, Deserialize)]
pub struct Formulaire {
    departement: Option<String>,
    election: Option<String>,
    tour: Option<String>,
    tri: Option<String>,
}

/// Orders of the candidate table.
const TRIS: [(&str, &str); 4] = [
    ("voix", "Voix"),
    ("nom", "Candidat"),
    ("famille", "Famille"),
    ("ordre", "Ordre du bulletin"),
];

fn tri(value: Option<&str>) -> Result<&'static str, ApiError> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or("voix");
    TRIS.iter()
        .map(|(key, _)| *key)
        .find(|key| *key == value)
        .ok_or_else(|| {
            ApiError::parameter(
                "tri",
                format!("parameter 'tri' must be voix, nom, famille or ordre, not '{value}'"),
                Some(TRIS.iter().map(|(k, _)| (*k).to_owned()).collect()),
            )
        })
}

fn trier(snapshot: &Snapshot, candidats: &mut [ResultatCandidat], tri: &str) {
    let rang = |famille: &str| {
        snapshot
            .familles
            .iter()
            .position(|f| f.code == famille)
            .unwrap_or(usize::MAX)
    };
    match tri {
        "nom" => candidats.sort_by(|a, b| (&a.nom, &a.prenom).cmp(&(&b.nom, &b.prenom))),
        "famille" => candidats.sort_by(|a, b| {
            rang(&a.famille)
                .cmp(&rang(&b.famille))
                .then(b.voix.cmp(&a.voix))
        }),
        "ordre" => candidats.sort_by_key(|c| c.candidat_id),
        _ => candidats.sort_by(|a, b| b.voix.cmp(&a.voix).then(a.candidat_id.cmp(&b.candidat_id))),
    }
}

fn formulaire(snapshot: &Snapshot, f: &Formulaire) -> Markup {
    let mut choix = vec![(String::new(), "— choisir —".to_owned())];
    choix.extend(
        snapshot
            .departements
            .iter()
            .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))),
    );
    let elections = super::elections_du_selecteur(snapshot);
    let defaut = db::Scrutin::new(DEFAULT_ANNEE, 1);
    // The election the form names when it is one of the data's, else the default.
    let election = f
        .election
        .as_deref()
        .map(str::trim)
        .and_then(|e| elections.iter().find(|(id, _)| id == e))
        .map_or_else(|| defaut.election(), |(id, _)| id.clone());
    let date = |tour: i32| {
        db::Scrutin::parse_election(&election, tour)
            .and_then(|s| snapshot.election(s))
            .map(|e| super::date_fr(&e.date_scrutin))
            .map(|d| {
                d.rsplit_once(' ')
                    .map_or(d.clone(), |(jour_mois, _)| jour_mois.to_owned())
            })
            .unwrap_or_default()
    };
    let tours = vec![
        ("1".to_owned(), format!("1er tour ({})", date(1))),
        ("2".to_owned(), format!("2d tour ({})", date(2))),
    ];
    let code = f
        .departement
        .as_deref()
        .map(str::trim)
        .and_then(|c| snapshot.departement(c))
        .map(|d| d.code.clone())
        .unwrap_or_default();
    let tour = f
        .tour
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("1");
    html! {
        form.filtres method="get" action=(Page::Exploration.path()) {
            div.champ { (select("departement", "Département", &choix, &code)) }
            div.champ { (select("election", "Élection", &elections, &election)) }
            div.champ { (select("tour", "Tour", &tours, tour)) }
            @if let Some(t) = f.tri.as_deref().filter(|t| !t.trim().is_empty()) {
                input type="hidden" name="tri" value=(t);
            }
            div.champ { button type="submit" { "Afficher" } }
        }
    }
}

/// Unweighted mean of the départements' unemployment rates for the study quarter: INSEE
/// publishes no national rate in this series, and the files carry no labour-force counts.
fn chomage_moyen(snapshot: &Snapshot) -> Option<f64> {
    let values: Vec<f64> = snapshot
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .filter_map(|d| snapshot.taux_chomage(&d.code, DEFAULT_QUARTER))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn ecart(value: f64, reference: f64) -> String {
    let d = value - reference;
    let signe = if d > 0.0 { "+" } else { "" };
    format!("{signe}{} pt", charts::fr(d, 1))
}

fn indicateurs(
    snapshot: &Snapshot,
    d: &Departement,
    r: &ResultatTour,
    national: Option<&ResultatTour>,
) -> Markup {
    let chomage = snapshot.taux_chomage(&d.code, DEFAULT_QUARTER);
    let chomage_ref = chomage_moyen(snapshot);
    let ligne = |nom: &str, valeur: Option<f64>, reference: Option<f64>| {
        html! {
            tr {
                th scope="row" { (nom) }
                td.nombre { (valeur.map_or("non publié".to_owned(), pct)) }
                td.nombre { (reference.map_or("—".to_owned(), pct)) }
                td.nombre { @if let (Some(v), Some(r)) = (valeur, reference) { (ecart(v, r)) } @else { "—" } }
            }
        }
    };
    html! {
        div.tableau {
            table {
                caption { "Indicateurs clés " (db::domaine::de_departement(&d.code, &d.nom)) " et de la France" }
                thead { tr {
                    th scope="col" { "Indicateur" }
                    th.nombre scope="col" { (d.nom) }
                    th.nombre scope="col" { "France" }
                    th.nombre scope="col" { "Écart" }
                } }
                tbody {
                    (ligne(&format!("Chômage, {DEFAULT_QUARTER} (France : moyenne des départements)"), chomage, chomage_ref))
                    (ligne("Participation (des inscrits)", Some(r.taux_participation), national.map(|n| n.taux_participation)))
                    (ligne("Abstention (des inscrits)", Some(r.taux_abstention), national.map(|n| n.taux_abstention)))
                    (ligne("Blancs (des votants)", Some(r.taux_blancs), national.map(|n| n.taux_blancs)))
                    (ligne("Nuls (des votants)", Some(r.taux_nuls), national.map(|n| n.taux_nuls)))
                }
            }
        }
    }
}

/// A socio-economic value for people: `20 290 EUR`, `18,9 %`, `454 hab/km²`.
fn valeur_socio(v: &departements::ValeurSocio) -> String {
    match v.valeur {
        None => "non publié".to_owned(),
        Some(x) if v.unite == "%" => pct(x),
        Some(x) => format!("{} {}", entier(x.round() as i64), v.unite),
    }
}

fn profil(valeurs: &[departements::ValeurSocio]) -> Markup {
    html! {
        div.tableau {
            table {
                caption { "Indicateurs socio-économiques (INSEE)" }
                thead { tr {
                    th scope="col" { "Indicateur" }
                    th.nombre scope="col" { "Valeur" }
                    th.nombre scope="col" { "Année" }
                    th scope="col" { "Source" }
                } }
                tbody {
                    @for v in valeurs {
                        tr {
                            th scope="row" { (v.libelle) }
                            td.nombre { (valeur_socio(v)) }
                            td.nombre { (v.annee) }
                            td { (v.source) }
                        }
                    }
                }
            }
        }
    }
}

fn evolution(e: &departements::Evolution) -> Markup {
    let ligne = |nom: &str, avant: f64, apres: f64| {
        html! {
            tr {
                th scope="row" { (nom) }
                td.nombre { (pct(avant)) }
                td.nombre { (pct(apres)) }
                td.nombre { (ecart(apres, avant)) }
            }
        }
    };
    html! {
        div.tableau {
            table {
                caption { "Parts des exprimés et participation, présidentielles 2017 et 2022" }
                thead { tr {
                    th scope="col" { "Famille" }
                    th.nombre scope="col" { "2017" }
                    th.nombre scope="col" { "2022" }
                    th.nombre scope="col" { "Écart" }
                } }
                tbody {
                    @for f in &e.familles { (ligne(&f.libelle, f.part_2017, f.part_2022)) }
                    (ligne("Participation (des inscrits)", e.participation_2017, e.participation_2022))
                }
            }
        }
    }
}

fn familles(r: &ResultatTour, national: Option<&ResultatTour>) -> Markup {
    html! {
        div.tableau {
            table {
                caption { "Votes par famille politique" }
                thead { tr {
                    th scope="col" { "Famille" }
                    th.nombre scope="col" { "Voix" }
                    th.nombre scope="col" { "Part des exprimés" }
                    th.nombre scope="col" { "France" }
                } }
                tbody {
                    @for f in &r.familles {
                        @let france = national.and_then(|n| n.familles.iter().find(|g| g.famille == f.famille));
                        tr {
                            th scope="row" { (f.libelle) }
                            td.nombre { (entier(f.voix)) }
                            td.nombre { (pct(f.part_exprimes)) }
                            td.nombre { (france.map_or("—".to_owned(), |g| pct(g.part_exprimes))) }
                        }
                    }
                }
            }
        }
    }
}

fn candidats(snapshot: &Snapshot, d: &Departement, r: &ResultatTour, tri: &str) -> Markup {
    let mut liste = r.candidats.clone();
    trier(snapshot, &mut liste, tri);
    let lien = |cle: &str| {
        format!(
            "{}?{}",
            Page::Exploration.path(),
            serde_urlencoded::to_string([
                ("departement", d.code.as_str()),
                ("tour", &r.tour.to_string()),
                ("tri", cle)
            ])
            .unwrap_or_default()
        )
    };
    let famille = |code: &str| {
        snapshot
            .famille(code)
            .map_or(code.to_owned(), |f| f.libelle.clone())
    };
    html! {
        p.note {
            "Trier par : "
            @for (i, (cle, nom)) in TRIS.iter().enumerate() {
                @if i > 0 { " · " }
                @if *cle == tri { strong aria-current="true" { (nom) } } @else { a href=(lien(cle)) { (nom) } }
            }
        }
        div.tableau {
            table {
                caption { "Résultats des candidats (tri : " (TRIS.iter().find(|(k, _)| *k == tri).map_or(tri, |(_, n)| n)) ")" }
                thead { tr {
                    th scope="col" { a href=(lien("nom")) { "Candidat" } }
                    th scope="col" { a href=(lien("famille")) { "Famille" } }
                    th.nombre scope="col" { a href=(lien("voix")) { "Voix" } }
                    th.nombre scope="col" { "% des exprimés" }
                    th.nombre scope="col" { "% des inscrits" }
                } }
                tbody {
                    @for c in &liste {
                        tr {
                            th scope="row" { (c.prenom) " " (c.nom) }
                            td { (famille(&c.famille)) }
                            td.nombre { (entier(c.voix)) }
                            td.nombre { (pct(c.pct_voix_exprimes)) }
                            td.nombre { (pct(c.pct_voix_inscrits)) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn page(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let snapshot = &state.snapshot;
    let form: Formulaire =
        match super::form_or_refused(&request, Page::Exploration, TITRE, |empty| {
            formulaire(snapshot, empty)
        }) {
            Ok(form) => form,
            Err(page) => return *page,
        };
    let choix = (|| {
        let scrutin = match form
            .election
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(e) => params::scrutin_choisi(snapshot, Some(e), None, form.tour.as_deref())?,
            None => db::Scrutin::new(DEFAULT_ANNEE, params::tour(form.tour.as_deref())?),
        };
        let tri = tri(form.tri.as_deref())?;
        let departement = departements::find_optional(snapshot, form.departement.as_deref())?;
        Ok::<_, ApiError>((scrutin, tri, departement))
    })();
    let (scrutin, tri, departement) = match choix {
        Ok(choix) => choix,
        Err(error) => {
            return refused(
                Page::Exploration,
                TITRE,
                &error,
                formulaire(snapshot, &form),
            );
        }
    };
    let Some(d) = departement else {
        let body = html! {
            p { "Choisissez un département (ou une circonscription d'outre-mer, ou les Français de l'étranger) pour voir ses indicateurs, ses votes et son chômage." }
            (formulaire(snapshot, &form))
        };
        return ok(Page::Exploration, TITRE, body);
    };
    let tour = scrutin.tour;
    let detail = detail_of(snapshot, d, DEFAULT_QUARTER, DEFAULT_ANNEE);
    let Some(resultat) = crate::views::resultats::resultat_departement(snapshot, &d.code, scrutin)
    else {
        let error = ApiError::NotFound(format!("no results for {} in {scrutin}", d.nom));
        return refused(
            Page::Exploration,
            TITRE,
            &error,
            formulaire(snapshot, &form),
        );
    };
    let national = national_result(snapshot, scrutin);
    let resultat = &resultat;
    let base = super::base_url(&request);
    let presidentielle = scrutin.type_election == db::TypeElection::Presidentielle;
    let tour_nom = if presidentielle {
        (if tour == 1 { "1er tour" } else { "2d tour" }).to_owned()
    } else {
        super::nom_du_tour(scrutin)
    };
    let annee_carte = if presidentielle {
        format!("{tour_nom} {}", scrutin.annee)
    } else {
        tour_nom.clone()
    };
    let region = detail.region.nom.clone();
    let famille_gagnante = snapshot
        .famille(&resultat.famille_gagnante)
        .map_or(resultat.famille_gagnante.clone(), |f| f.libelle.clone());
    let code = d.code.clone();
    let graphique = |kind: &str, alt: String, legende: String| {
        Chart::new(format!("/charts/departements/{code}/{kind}"), alt, legende)
    };
    let familles_chart = graphique(
        "familles",
        format!(
            "Voix par famille politique dans le département {} ({tour_nom})",
            d.nom
        ),
        format!("Voix et part des exprimés de chaque famille, {tour_nom}."),
    );
    // The default round keeps the charts' URLs of before (`tour` alone); others name theirs.
    let du_tour = |chart: Chart| {
        if scrutin == db::Scrutin::new(DEFAULT_ANNEE, tour) {
            chart.param("tour", tour.to_string())
        } else {
            super::parametres_du_scrutin(chart, scrutin)
        }
    };
    let familles_chart = du_tour(familles_chart);
    let candidats_chart = graphique(
        "candidats",
        format!(
            "Voix de chaque candidat dans le département {} ({tour_nom})",
            d.nom
        ),
        format!("Candidats du premier au dernier, {tour_nom}."),
    );
    let candidats_chart = du_tour(candidats_chart);
    let a_une_serie = !snapshot.chomage(&d.code).is_empty();
    let chomage_chart = graphique(
        "chomage",
        format!("Taux de chômage trimestriel du département {}", d.nom),
        "Taux de chômage localisé (BIT, CVS), par trimestre ; la ligne marque la présidentielle."
            .to_owned(),
    );
    let evolution_data = departements::evolution(snapshot, Some(d), tour);
    let evolution_chart = Chart::new(
        "/charts/evolution".to_owned(),
        format!(
            "Évolution 2017 - 2022 des parts des familles politiques et de la participation, {} ({tour_nom})",
            d.nom
        ),
        format!("Écart en points entre 2017 et 2022, {tour_nom}."),
    )
    .param("departement", code.clone())
    .param("tour", tour.to_string());
    // The département on the map of its region (the leading family), outlined.
    let carte_chart = Chart::new(
        "/charts/carte/famille-gagnante".to_owned(),
        format!(
            "Carte de la région {region} : famille en tête par département ({annee_carte}), {} entouré",
            d.nom
        ),
        format!("{} et les autres départements de sa région, colorés par la famille en tête.", d.nom),
    )
    .param("region", d.region_code.clone());
    let carte_chart = du_tour(carte_chart).param("surligne", code.clone());
    let a_une_carte = snapshot.contour(&d.code).is_some();
    let titre = format!("Exploration : {} ({})", d.nom, d.code);
    let body = html! {
        (formulaire(snapshot, &form))
        p {
            @if d.est_departement { "Département de la région " (region) ". " } @else { "Circonscription électorale hors départements (" (region) "). " }
            @if let Some(g) = &resultat.gagnant {
                "Au " (tour_nom) ", " strong { (g.prenom) " " (g.nom) } " arrive en tête avec "
                (pct(g.pct_voix_exprimes)) " des exprimés ; "
            }
            "famille en tête : " strong { (famille_gagnante) } "."
        }
        p.note { "Données JSON : " a href=(format!("/departements/{}", d.code)) { code { "/departements/" (d.code) } } "." }
        @if a_une_carte {
            (carte_chart.figure(&base))
        }
        h2 { "Indicateurs clés" }
        (indicateurs(snapshot, d, resultat, national.as_ref()))
        h2 { "Votes par famille politique" }
        (familles(resultat, national.as_ref()))
        (familles_chart.figure(&base))
        @if resultat.nuances.is_empty() {
            h2 { "Candidats" }
            (candidats(snapshot, d, resultat, tri))
            (candidats_chart.figure(&base))
        } @else {
            h2 { "Nuances" }
            (elections::nuances(snapshot, d, resultat))
        }
        h2 { "Chômage" }
        @if a_une_serie {
            (chomage_chart.figure(&base))
        } @else {
            p { "L'INSEE ne publie pas de série de chômage localisé pour " (db::domaine::avec_article(&d.code, &d.nom)) "." }
        }
        h2 { "Profil socio-économique" }
        @if detail.socio_economie.is_empty() {
            p { "L'INSEE ne publie ces indicateurs que pour les 101 départements." }
        } @else {
            (profil(&detail.socio_economie))
        }
        h2 { "Évolution depuis 2017" }
        @if let Some(e) = &evolution_data {
            (evolution(e))
            (evolution_chart.figure(&base))
        } @else {
            p { "Pas de résultats 2017 et 2022 à comparer pour " (db::domaine::avec_article(&d.code, &d.nom)) "." }
        }
        h2 { "Toutes les élections" }
        (elections::toutes_les_elections(snapshot, &detail.elections))
    };
    ok(Page::Exploration, &titre, body)
}
