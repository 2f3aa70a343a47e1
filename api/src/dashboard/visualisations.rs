//! Visualisations: the exploratory charts of the original study, filtered by a GET form.

use actix_web::{HttpRequest, HttpResponse, web};
use db::{Snapshot, Variable};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Chart, Page, ok, refused, select};
use crate::error::ApiError;
use crate::params::cartes::ClassesQuery;
use crate::params::scope::Filtres;
use crate::params::variable;
use crate::state::AppState;
use crate::stats;
use crate::views::cartes::{self, Classement};
use crate::views::correlations::{DEFAULT_VARIABLES, Methode};
use crate::views::scope::Perimetre;
use crate::views::scope::{DEFAULT_QUARTER, default_quarter};
use crate::views::{Scope, charts as vues, indicateurs, spatial};
use charts::classes::Methode as Classes;

const TITRE: &str = "Visualisations";

/// The form's fields, as typed (validated by the API's own parameter checks).
#[derive(Debug, Default, Deserialize)]
pub struct Formulaire {
    election: Option<String>,
    annee: Option<String>,
    tour: Option<String>,
    trimestre: Option<String>,
    region: Option<String>,
    perimetre: Option<String>,
    x: Option<String>,
    y: Option<String>,
    carte: Option<String>,
    classes: Option<String>,
}

struct Choix {
    scope: Scope,
    x: Variable,
    y: Variable,
    carte: Variable,
    classement: Classement,
}

fn known_variable(
    parameter: &str,
    value: Option<&str>,
    default: Variable,
) -> Result<Variable, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(name) => variable(parameter, name),
    }
}

fn valider(snapshot: &Snapshot, f: &Formulaire) -> Result<Choix, ApiError> {
    let filtres = Filtres {
        election: f.election.clone(),
        annee: f.annee.clone(),
        tour: f.tour.clone(),
        trimestre: f.trimestre.clone(),
        region: f.region.clone(),
        perimetre: f.perimetre.clone(),
    };
    Ok(Choix {
        scope: filtres.resolve(snapshot)?,
        x: known_variable("x", f.x.as_deref(), Variable::TauxChomage)?,
        y: known_variable("y", f.y.as_deref(), Variable::PartExtremeDroite)?,
        carte: known_variable("carte", f.carte.as_deref(), Variable::PartExtremeDroite)?,
        classement: ClassesQuery {
            classes: f.classes.clone(),
            ..ClassesQuery::default()
        }
        .classement()?,
    })
}

fn formulaire(snapshot: &Snapshot, f: &Formulaire) -> Markup {
    let tours = vec![
        ("1".to_owned(), "1er tour".to_owned()),
        ("2".to_owned(), "2d tour".to_owned()),
    ];
    let elections = super::elections_du_selecteur(snapshot);
    // The election shown: the one the form names, else that of `annee`, else the default.
    let election_choisie = f
        .election
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.trim_end_matches("-t1").trim_end_matches("-t2").to_owned())
        .or_else(|| {
            f.annee
                .as_deref()
                .map(|a| format!("presidentielle-{}", a.trim()))
        })
        .unwrap_or_else(|| db::Scrutin::new(crate::views::scope::DEFAULT_ANNEE, 1).election());
    let mut trimestres: Vec<(String, String)> = Vec::new();
    if let Some((first, last)) = snapshot.quarter_range() {
        let mut q = last;
        while q >= first {
            trimestres.push((q.to_string(), q.to_string()));
            q = q.shifted(-1);
        }
    }
    let mut regions = vec![(String::new(), "France entière".to_owned())];
    regions.extend(
        snapshot
            .regions
            .iter()
            .map(|r| (r.code.clone(), r.nom.clone())),
    );
    let variables: Vec<(String, String)> = Variable::ALL
        .iter()
        .map(|v| (v.code().to_owned(), v.libelle().to_owned()))
        .collect();
    let perimetres = vec![
        ("france".to_owned(), "France entière".to_owned()),
        ("metropole".to_owned(), "Métropole".to_owned()),
        ("outre-mer".to_owned(), "Outre-mer".to_owned()),
    ];
    let methodes: Vec<(String, String)> = Classes::ALL
        .iter()
        .map(|m| (m.code().to_owned(), format!("5 classes : {}", m.libelle())))
        .collect();
    let valeur = |v: &Option<String>, default: &str| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(default)
            .to_owned()
    };
    // As the API: without a quarter, the third of the election year.
    let trimestre_defaut = election_choisie
        .rsplit('-')
        .next()
        .and_then(|a| a.trim().parse::<i32>().ok())
        .map_or(DEFAULT_QUARTER, default_quarter)
        .to_string();
    html! {
        form.filtres method="get" action=(Page::Visualisations.path()) {
            div.champ { (select("election", "Élection", &elections, &election_choisie)) }
            div.champ { (select("tour", "Tour", &tours, &valeur(&f.tour, "1"))) }
            div.champ { (select("trimestre", "Trimestre du chômage", &trimestres, &valeur(&f.trimestre, &trimestre_defaut))) }
            div.champ { (select("region", "Région", &regions, &valeur(&f.region, ""))) }
            div.champ { (select("perimetre", "Périmètre", &perimetres, &valeur(&f.perimetre, "france"))) }
            div.champ { (select("x", "Nuage : variable horizontale", &variables, &valeur(&f.x, "taux_chomage"))) }
            div.champ { (select("y", "Nuage : variable verticale", &variables, &valeur(&f.y, "part_extreme_droite"))) }
            div.champ { (select("carte", "Carte : variable", &variables, &valeur(&f.carte, "part_extreme_droite"))) }
            div.champ { (select("classes", "Carte : classes", &methodes, &valeur(&f.classes, "quantiles"))) }
            div.champ { button type="submit" { "Afficher" } }
        }
    }
}

pub async fn page(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let snapshot = &state.snapshot;
    let form: Formulaire =
        match super::form_or_refused(&request, Page::Visualisations, TITRE, |empty| {
            formulaire(snapshot, empty)
        }) {
            Ok(form) => form,
            Err(page) => return *page,
        };
    let choix = match valider(snapshot, &form) {
        Ok(choix) => choix,
        Err(error) => {
            return refused(
                Page::Visualisations,
                TITRE,
                &error,
                formulaire(snapshot, &form),
            );
        }
    };
    let base = super::base_url(&request);
    let scope = &choix.scope;
    let region_code = scope.region_code().unwrap_or_default().to_owned();
    let region_nom = match (&scope.region, scope.perimetre) {
        (Some(r), _) => r.nom.clone(),
        (None, Perimetre::France) => "France entière".to_owned(),
        (None, Perimetre::Metropole) => "Métropole".to_owned(),
        (None, Perimetre::OutreMer) => "Outre-mer".to_owned(),
    };
    let tour_nom = super::nom_du_tour(scope.scrutin);
    let filtres = |chart: Chart| {
        super::parametres_du_scrutin(chart, scope.scrutin)
            .param("trimestre", scope.trimestre.to_string())
            .param("region", region_code.clone())
            .param(
                "perimetre",
                if scope.perimetre == Perimetre::France {
                    String::new()
                } else {
                    scope.perimetre.code().to_owned()
                },
            )
    };
    let data = indicateurs::departements(snapshot, scope);
    let pairs: Vec<(f64, f64)> = data
        .iter()
        .filter_map(|r| Some((r.variable(choix.x)?, r.variable(choix.y)?)))
        .collect();
    let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let (x_axe, x_court) = (choix.x.libelle(), choix.x.court());
    let (y_axe, y_court) = (choix.y.libelle(), choix.y.court());
    let r = |v: Option<f64>| v.map_or("non calculable".to_owned(), |v| charts::fr(v, 2));
    // The same pair over France and over metropolitan France (no region chosen): the
    // overseas départements, with far higher unemployment and different votes, can make or
    // break a national correlation.
    let comparaison: Vec<(&str, usize, Option<f64>, Option<f64>)> = if scope.region.is_none() {
        [
            (Perimetre::France, "France entière"),
            (Perimetre::Metropole, "Métropole"),
        ]
        .into_iter()
        .map(|(perimetre, nom)| {
            let s = Scope {
                perimetre,
                ..scope.clone()
            };
            let (xs, ys): (Vec<f64>, Vec<f64>) = indicateurs::departements(snapshot, &s)
                .iter()
                .filter_map(|r| Some((r.variable(choix.x)?, r.variable(choix.y)?)))
                .unzip();
            (
                nom,
                xs.len(),
                stats::pearson(&xs, &ys),
                stats::spearman(&xs, &ys),
            )
        })
        .collect()
    } else {
        Vec::new()
    };

    // Each chart's data is checked here, without drawing it: a selection too small to draw
    // it gets a sentence instead of a broken image.
    const HISTOGRAMMES: [Variable; 3] = [
        Variable::TauxAbstention,
        Variable::TauxParticipation,
        Variable::TauxChomage,
    ];
    const BOITES: [Variable; 2] = [Variable::TauxChomage, Variable::TauxAbstention];
    let dessinable = |d: Result<vues::Dessin, ApiError>| d.and_then(|d| d.dessinable());
    let distributions = HISTOGRAMMES.map(|v| {
        filtres(Chart::new(
            format!("/charts/histogramme/{}", v.code()),
            format!("Histogramme : {} ({region_nom})", v.libelle()),
            format!("Répartition des départements selon « {} ».", v.libelle()),
        ))
        .verifie(dessinable(Ok(vues::histogramme(snapshot, v, scope, 20))))
    });
    let boites = BOITES.map(|v| {
        filtres(Chart::new(
            format!("/charts/boites/{}", v.code()),
            format!(
                "Boîtes à moustaches : {} par famille arrivée en tête",
                v.libelle()
            ),
            format!(
                "« {} » selon la famille politique arrivée en tête ({tour_nom}).",
                v.libelle()
            ),
        ))
        .verifie(dessinable(Ok(vues::boites(snapshot, v, scope))))
    });
    let correlations = filtres(Chart::new(
        "/charts/correlations",
        format!("Matrice des corrélations de Pearson entre les indicateurs ({region_nom}, {tour_nom})"),
        "Corrélations de Pearson entre chômage, participation, votes blancs et nuls et parts des familles.",
    ))
    .verifie(dessinable(vues::matrice(
        snapshot,
        scope,
        &DEFAULT_VARIABLES,
        Methode::Pearson,
    )));
    let nuage = filtres(Chart::new(
        "/charts/nuage",
        format!("Nuage de points : {y_axe} selon {x_axe}, un point par département"),
        "Un point par département, coloré par la famille arrivée en tête ; droite des moindres carrés.",
    ))
    .param("x", choix.x.code())
    .param("y", choix.y.code())
    .verifie(dessinable(Ok(vues::nuage(
        snapshot, scope, choix.x, choix.y, true,
    ))));

    let carte = filtres(Chart::new(
        format!("/charts/carte/{}", choix.carte.code()),
        format!(
            "Carte : {} par département ({region_nom}), {} classes ({})",
            choix.carte.libelle(),
            choix.classement.n,
            choix.classement.methode.libelle()
        ),
        "Chaque département coloré selon sa classe ; l'outre-mer et Paris avec sa petite couronne en encarts ; survoler un département donne sa valeur.",
    ))
    .param("classes", choix.classement.methode.code())
    .verifie(dessinable(Ok(cartes::choroplethe(
        snapshot,
        choix.carte,
        scope,
        choix.classement,
        None,
    ))));

    // Géographie: Moran's I of the map's variable, its LISA map and Moran scatter plot.
    // 999 permutations: on the rendering pool, like the /spatial endpoints, not on this worker.
    let moran = {
        let (owned, variable, portee) = (state.clone(), choix.carte, scope.clone());
        state
            .renderer
            .run(
                crate::render::spatial_cost(spatial::PERMUTATIONS),
                crate::limits::deadline(&request),
                Box::new(move || {
                    spatial::moran(&owned.snapshot, variable, &portee, spatial::PERMUTATIONS)
                }),
            )
            .await
    };
    // Why there is no spatial statistic, in the page's language.
    let sans_moran: Result<(), String> = match &moran {
        Ok(_) => Ok(()),
        Err(_) if scope.perimetre == db::Perimetre::OutreMer => Err(
            "les départements d'outre-mer n'ont aucun voisin entre eux (contiguïté), l'autocorrélation spatiale n'y a pas de sens".to_owned(),
        ),
        Err(_) => Err(format!(
            "trop peu de départements de ce périmètre ont une valeur et un voisin (il en faut {})",
            ml::spatial::MIN_N
        )),
    };
    let lisa_carte = filtres(Chart::new(
        format!("/charts/carte/lisa/{}", choix.carte.code()),
        format!(
            "Carte des agrégats locaux (LISA) : {} ({region_nom})",
            choix.carte.libelle()
        ),
        "Points chauds (haut entouré de haut) en rouge, points froids en bleu, valeurs atypiques en clair, non significatif en gris (seuil 5 %, 999 permutations).",
    ))
    .indisponible_si(sans_moran.clone());
    let moran_nuage = filtres(Chart::new(
        format!("/charts/moran/{}", choix.carte.code()),
        format!(
            "Diagramme de Moran : {} et moyenne des départements voisins",
            choix.carte.libelle()
        ),
        "Valeur standardisée de chaque département et moyenne de ses voisins ; la pente de la droite est l'I de Moran.",
    ))
    .indisponible_si(sans_moran.clone());

    let body = html! {
        p {
            "Les " (data.len()) " départements retenus (" (region_nom) ", " (tour_nom) ", chômage du " (scope.trimestre) "). "
            "Les collectivités d'outre-mer et les Français de l'étranger n'ont pas de taux de chômage et ne figurent pas ici."
        }
        (formulaire(snapshot, &form))
        h2 { "Carte" }
        (carte.figure(&base))
        h2 { "Géographie" }
        @match &moran {
            Ok(m) => {
                p {
                    "Autocorrélation spatiale de « " (choix.carte.libelle()) " » : I de Moran = " (charts::fr(m.i, 2))
                    " (attendu sans autocorrélation : " (charts::fr(m.esperance, 3)) "), "
                    (spatial::en_mots(m.p_permutations, m.permutations)) ", p = " (charts::fr(m.p_permutations, 3)) " d'après " (m.permutations) " permutations, sur "
                    (m.n) " départements. "
                    @if m.i > 0.0 && m.p_permutations < 0.05 {
                        "Les départements voisins se ressemblent plus que ne le voudrait le hasard."
                    } @else if m.i < 0.0 && m.p_permutations < 0.05 {
                        "Les départements voisins diffèrent plus que ne le voudrait le hasard."
                    } @else {
                        "Rien n'indique que les voisins se ressemblent plus que ne le voudrait le hasard."
                    }
                }
                @if !m.exclus.is_empty() {
                    p.note {
                        "Hors calcul : "
                        @for (k, e) in m.exclus.iter().enumerate() {
                            @if k > 0 { ", " }
                            (e.nom) " (" (e.raison) ")"
                        }
                        "."
                        @if let Some(a) = &m.avertissement {
                            " " (a)
                        }
                    }
                }
            }
            Err(_) => {
                @if let Err(raison) = &sans_moran {
                    p.note { "Autocorrélation spatiale non calculée : " (raison) "." }
                }
            }
        }
        (lisa_carte.figure(&base))
        (moran_nuage.figure(&base))
        h2 { "Nuage de points" }
        p {
            (y_court) " selon " (x_court.to_lowercase()) " : r de Pearson = " (r(stats::pearson(&xs, &ys)))
            ", ρ de Spearman = " (r(stats::spearman(&xs, &ys))) ", n = " (pairs.len()) ". "
            "Une corrélation n'est pas une cause : les départements diffèrent par bien d'autres traits."
        }
        @if !comparaison.is_empty() {
            div.tableau {
                table {
                    caption { (y_court) " selon " (x_court.to_lowercase()) " : France entière et métropole" }
                    thead { tr { th scope="col" { "Périmètre" } th scope="col" { "n" } th scope="col" { "r de Pearson" } th scope="col" { "ρ de Spearman" } } }
                    tbody {
                        @for (nom, n, pearson, spearman) in &comparaison {
                            tr { th scope="row" { (nom) } td { (n) } td { (r(*pearson)) } td { (r(*spearman)) } }
                        }
                    }
                }
            }
            p.note {
                "Les deux périmètres diffèrent par les départements d'outre-mer : leur chômage est bien plus élevé et leur vote différent, "
                "si bien que quelques points éloignés peuvent à eux seuls créer ou effacer une corrélation nationale."
            }
        }
        (nuage.figure(&base))
        h2 { "Corrélations" }
        (correlations.figure(&base))
        h2 { "Distributions" }
        div { @for c in &distributions { (c.figure(&base)) } }
        h2 { "Par famille politique arrivée en tête" }
        div { @for c in &boites { (c.figure(&base)) } }
    };
    ok(Page::Visualisations, TITRE, body)
}
