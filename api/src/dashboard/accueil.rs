//! Accueil: what the project is, its sources, the national key figures of both rounds and
//! where to go next.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{Chart, Page, entier, ok, pct};
use crate::state::AppState;
use crate::views::resultats::{ResultatTour, national_result};

const TITRE: &str = "Élections, chômage et participation par département";

fn chiffres_tour(snapshot: &db::Snapshot, r: &ResultatTour) -> Markup {
    let famille = snapshot
        .famille(&r.famille_gagnante)
        .map_or(r.famille_gagnante.as_str(), |f| f.libelle.as_str());
    let tour = if r.tour == 1 { "1er tour" } else { "2d tour" };
    html! {
        section aria-labelledby=(format!("tour{}", r.tour)) {
            h2 #(format!("tour{}", r.tour)) { (tour) " (" (super::date_fr(&r.date_scrutin)) ")" }
            ul.chiffres {
                li { "Inscrits" strong { (entier(r.inscrits)) } }
                li { "Participation" strong { (pct(r.taux_participation)) } }
                li { "Abstention" strong { (pct(r.taux_abstention)) } }
                li { "Blancs (des votants)" strong { (pct(r.taux_blancs)) } }
                li { "Nuls (des votants)" strong { (pct(r.taux_nuls)) } }
                @if let Some(g) = &r.gagnant {
                    li {
                        "En tête"
                        strong { (g.prenom) " " (g.nom) }
                        (pct(g.pct_voix_exprimes)) " des exprimés"
                    }
                }
                @if let Some(n) = r.nuances.iter().find(|n| Some(&n.nuance) == r.nuance_gagnante.as_ref()) {
                    li {
                        "Nuance en tête"
                        strong { (n.libelle) " (" (n.nuance) ")" }
                        (pct(n.pct_voix_exprimes)) " des exprimés"
                    }
                }
                li { "Famille en tête" strong { (famille) } }
            }
            div.tableau {
                table {
                    caption { "Voix par famille politique, " (tour) }
                    thead { tr { th scope="col" { "Famille" } th.nombre scope="col" { "Voix" } th.nombre scope="col" { "Part des exprimés" } } }
                    tbody {
                        @for f in &r.familles {
                            tr { th scope="row" { (f.libelle) } td.nombre { (entier(f.voix)) } td.nombre { (pct(f.part_exprimes)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The home page's one field: the election whose map and key figures it shows.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Formulaire {
    election: Option<String>,
}

fn formulaire(snapshot: &db::Snapshot, choisie: &str) -> Markup {
    let elections = super::elections_du_selecteur(snapshot);
    html! {
        form.filtres method="get" action=(Page::Accueil.path()) {
            div.champ { (super::select("election", "Élection", &elections, choisie)) }
            div.champ { button type="submit" { "Afficher" } }
        }
    }
}

/// The elections in the data, each with its rounds, and its seats where it fills some.
fn elections_chargees(snapshot: &db::Snapshot) -> Markup {
    let elections = super::elections_du_selecteur(snapshot);
    html! {
        ul {
            @for (id, libelle) in &elections {
                @let tours: Vec<db::Scrutin> = snapshot.scrutins.iter().filter(|s| s.election() == *id).copied().collect();
                li {
                    a href=(format!("{}?election={id}", Page::Accueil.path())) { (libelle) }
                    " : "
                    @for (i, s) in tours.iter().enumerate() {
                        @if i > 0 { ", " }
                        (if s.tour == 1 { "1er tour" } else { "2d tour" })
                        @if let Some(e) = snapshot.election(*s) { " le " (super::date_fr(&e.date_scrutin)) }
                    }
                    @if let Some(sieges) = tours.first().and_then(|s| crate::views::elections::sieges(snapshot, *s)) {
                        " ; " (sieges.total) " sièges : "
                        @for (i, f) in sieges.familles.iter().enumerate() {
                            @if i > 0 { ", " }
                            (f.libelle) " " (f.sieges)
                        }
                        " (" a href=(format!("/sieges?election={id}")) { code { "/sieges" } } ")"
                    }
                    "."
                }
            }
        }
    }
}

pub async fn page(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let snapshot = &state.snapshot;
    let defaut = db::Scrutin::new(crate::views::scope::DEFAULT_ANNEE, 1);
    let form: Formulaire = match super::form_or_refused(&request, Page::Accueil, TITRE, |_| {
        formulaire(snapshot, &defaut.election())
    }) {
        Ok(form) => form,
        Err(page) => return *page,
    };
    let choisie = match form
        .election
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => defaut,
        Some(text) => match crate::params::scope::election(snapshot, "election", text) {
            Ok(s) => db::Scrutin::de(s.type_election, s.annee, 1),
            Err(error) => {
                return super::refused(
                    Page::Accueil,
                    TITRE,
                    &error,
                    formulaire(snapshot, &defaut.election()),
                );
            }
        },
    };
    let base = super::base_url(&request);
    let tours: Vec<ResultatTour> = snapshot
        .tours_de(choisie.type_election, choisie.annee)
        .filter_map(|e| national_result(snapshot, e.scrutin()?))
        .collect();
    let (premier, dernier) = snapshot
        .quarter_range()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap_or_default();
    let n_departements = snapshot
        .departements
        .iter()
        .filter(|d| d.est_departement)
        .count();
    let nom = super::nom_du_tour(choisie);
    let scope = crate::views::Scope {
        scrutin: choisie,
        ..crate::views::Scope::defaut()
    };
    let carte = super::parametres_du_scrutin(
        Chart::new(
            "/charts/carte/famille-gagnante",
            format!("Carte de la famille politique arrivée en tête dans chaque département, {nom}"),
            format!("La famille en tête au {nom} ; l'outre-mer et Paris avec sa petite couronne en encarts."),
        ),
        choisie,
    )
    .verifie(crate::views::cartes::famille_gagnante(snapshot, &scope, None).dessinable());
    // For a legislative election, the seat map of its 577 constituencies.
    let sieges = (choisie.type_election == db::TypeElection::Legislatives).then(|| {
        Chart::new(
            "/charts/circonscriptions/sieges",
            format!("Carte des sièges par famille politique, législatives {}", choisie.annee),
            "Chaque circonscription dans la couleur de la famille de son élu·e (1er ou 2d tour) ; Paris et sa couronne, l'outre-mer en encarts ; les 11 circonscriptions des Français de l'étranger n'ont pas de territoire. Contours : data.gouv.fr, ODbL.",
        )
        .param("election", choisie.election())
        .verifie(
            crate::views::cartes_circonscriptions::sieges(
                snapshot,
                &crate::views::Scope::defaut(),
                choisie,
                crate::views::cartes_circonscriptions::Par::Famille,
            )
            .map(|_| ()),
        )
    });
    let body = html! {
        p {
            "Elexxion étudie comment le chômage, l'abstention et les résultats de l'élection présidentielle de 2022 "
            "se répondent d'un département français à l'autre : "
            (n_departements) " départements, plus les collectivités d'outre-mer et les Français de l'étranger "
            "(" (snapshot.departements.len()) " circonscriptions en tout). "
            "Tout ce que montre ce tableau de bord vient de l'API ; chaque graphique a une adresse SVG et PNG à coller dans une présentation. "
            "La présidentielle de 2017 et des indicateurs socio-économiques de l'INSEE (revenu, pauvreté, âge, immigration, densité) "
            "permettent de comparer et d'expliquer."
        }
        h2 { "Élections chargées" }
        (elections_chargees(snapshot))
        (formulaire(snapshot, &choisie.election()))
        @if let Some(sieges) = &sieges {
            h2 { "Les 577 sièges, circonscription par circonscription" }
            (sieges.figure(&base))
            p { a href=(format!("{}?election={}", Page::Circonscriptions.path(), choisie.election())) { "Chercher une circonscription" } " : ses résultats à chaque tour, son élu·e, ses voisines." }
        }
        h2 { "La famille en tête, département par département" }
        (carte.figure(&base))
        h2 { "Chiffres clés, France entière" }
        p.note { "Toutes circonscriptions, Français de l'étranger compris : les totaux égalent les résultats proclamés." }
        @for r in &tours { (chiffres_tour(snapshot, r)) }
        h2 { "Pages" }
        ul {
            li { a href=(Page::Visualisations.path()) { "Visualisations" } " : distributions, corrélations, nuages de points et boîtes à moustaches, par tour, trimestre et région." }
            li { a href=(Page::Circonscriptions.path()) { "Circonscriptions" } " : les 577 circonscriptions législatives, chacune avec ses résultats, son élu·e et ses voisines ; la carte des sièges." }
            li { a href=(Page::Exploration.path()) { "Exploration" } " : un département, ses indicateurs comparés au pays, ses votes par famille et par candidat, sa série de chômage, son profil socio-économique et son évolution depuis 2017." }
            li { a href=(Page::Apprentissage.path()) { "Machine Learning" } " : les modèles qui prédisent la famille en tête, leurs scores honnêtes, et une prédiction pour un département." }
        }
        h2 { "Sources et licences" }
        ul {
            li {
                "Ministère de l'Intérieur, « Élection présidentielle des 10 et 24 avril 2022 — Résultats définitifs » "
                "des 1er et 2d tours, par département (data.gouv.fr), Licence Ouverte 2.0."
            }
            li {
                "INSEE, « Taux de chômage localisés » : taux de chômage au sens du BIT, trimestriels, corrigés des variations saisonnières, "
                "par département, de " (premier) " à " (dernier) " (insee.fr), Licence Ouverte 2.0. Mayotte n'a pas de série."
            }
            li {
                "Ministère de l'Intérieur, « Élection présidentielle des 23 avril et 7 mai 2017 — Résultats définitifs », "
                "1er et 2d tours, par département (data.gouv.fr), Licence Ouverte."
            }
            li {
                "INSEE : Filosofi 2019 (revenu médian, taux de pauvreté, part des pensions), estimations de population au 1er janvier 2022 "
                "par âge, part des immigrés (recensement 2021 ; Mayotte 2017), Comparateur de territoires (superficie des communes), "
                "Licence Ouverte. Les valeurs expérimentales ou absentes (Mayotte pour Filosofi et la superficie) restent vides."
            }
        }
        h2 { "API" }
        ul {
            li { a href="/swagger-ui/" { "Swagger UI" } " : chaque point d'accès documenté et essayable." }
            li { a href="/api-docs/openapi.json" { "Spécification OpenAPI" } " (JSON)." }
            li {
                "Chaque liste en CSV : ajoutez " code { ".csv" } " au chemin ("
                a href="/departements.csv" { code { "/departements.csv" } } ", "
                a href="/indicateurs.csv" { code { "/indicateurs.csv" } } "), ou "
                code { "?format=csv-excel" } " pour Excel en français ("
                a href="/indicateurs?format=csv-excel" { code { "/indicateurs?format=csv-excel" } } ")."
            }
            li {
                "Toute la base SQLite : " a href="/donnees/elexxion.db" { code { "/donnees/elexxion.db" } }
                ", à ouvrir avec sqlite3, DB Browser for SQLite ou pandas.read_sql."
            }
            li { "Exemples : " a href="/departements" { code { "/departements" } } ", " a href="/departements/59" { code { "/departements/59" } } ", " a href="/indicateurs?tour=1" { code { "/indicateurs?tour=1" } } ", " a href="/correlations" { code { "/correlations" } } ", " a href="/elections" { code { "/elections" } } ", " a href="/departements/59/evolution" { code { "/departements/59/evolution" } } ", " a href="/models" { code { "/models" } } "." }
        }
        h2 { "Catalogue des graphiques" }
        p { "Chaque adresse donne une image SVG. Remplacez " code { ".svg" } " par " code { ".png" } " à la fin du chemin pour une image PNG, et ajoutez " code { "width" } ", " code { "height" } ", " code { "theme=dark" } " ou " code { "title" } " pour l'adapter à une diapositive." }
        div.tableau {
            table {
                thead { tr { th scope="col" { "Graphique" } th scope="col" { "Adresse" } } }
                tbody {
                    @for (libelle, chemin) in CATALOGUE {
                        tr { td { (libelle) } td { a href=(chemin) { code { (base) (chemin) } } } }
                    }
                }
            }
        }
    };
    ok(Page::Accueil, TITRE, body)
}

const CATALOGUE: [(&str, &str); 20] = [
    (
        "Carte des sièges des législatives 2024, par nuance",
        "/charts/circonscriptions/sieges.svg?election=legislatives-2024&par=nuance",
    ),
    (
        "Circonscriptions : part de l'extrême droite, législatives 2024 (1er tour)",
        "/charts/circonscriptions/carte/part_extreme_droite.svg?election=legislatives-2024-t1",
    ),
    (
        "Circonscriptions : évolution 2022 - 2024 de l'extrême droite (1ers tours)",
        "/charts/circonscriptions/evolution/extreme_droite.svg",
    ),
    (
        "Carte : famille en tête au 1er tour 2022",
        "/charts/carte/famille-gagnante.svg",
    ),
    (
        "Carte : part de l'extrême droite (seuils de Jenks)",
        "/charts/carte/part_extreme_droite.svg?classes=jenks",
    ),
    (
        "Carte : évolution 2017 - 2022 de l'extrême droite",
        "/charts/carte/evolution/extreme_droite.svg",
    ),
    (
        "Carte : prédictions hors pli du meilleur modèle",
        "/charts/carte/prediction.svg",
    ),
    (
        "Histogramme de l'abstention",
        "/charts/histogramme/taux_abstention.svg",
    ),
    (
        "Histogramme du chômage",
        "/charts/histogramme/taux_chomage.svg",
    ),
    ("Matrice des corrélations", "/charts/correlations.svg"),
    (
        "Chômage et extrême droite",
        "/charts/nuage.svg?x=taux_chomage&y=part_extreme_droite",
    ),
    (
        "Chômage par famille en tête",
        "/charts/boites/taux_chomage.svg",
    ),
    (
        "Nord : voix par famille",
        "/charts/departements/59/familles.svg",
    ),
    (
        "Nord : candidats, 2d tour",
        "/charts/departements/59/candidats.svg?tour=2",
    ),
    (
        "Nord : chômage depuis 1982",
        "/charts/departements/59/chomage.svg",
    ),
    (
        "France : évolution 2017 - 2022 par famille",
        "/charts/evolution.svg",
    ),
    (
        "Nord : évolution 2017 - 2022 par famille",
        "/charts/evolution.svg?departement=59",
    ),
    (
        "Revenu médian et extrême droite",
        "/charts/nuage.svg?x=revenu_median&y=part_extreme_droite",
    ),
    ("Comparaison des modèles", "/charts/models/accuracy.svg"),
    (
        "Courbes ROC de la régression logistique",
        "/charts/models/regression_logistique/roc.svg",
    ),
];
