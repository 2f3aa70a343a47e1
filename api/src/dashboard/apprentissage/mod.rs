//! Machine Learning: the models beside the majority-class baseline, the charts of the chosen
//! model, and a what-if prediction for a département, answered on the server.
//!
//! One page in three files: this one (the page, the comparison and score tables, the
//! prediction's result), `formulaire` (the what-if form and its French validation) and
//! `predictions` (the table of every département's predictions).

mod formulaire;
mod predictions;
mod previsions;

use formulaire::{formulaire, valider};

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use db::Snapshot;
use maud::{Markup, html};

use super::{Chart, Page, ok, pct, refused};
use crate::state::{AppState, LoadedModel};
use crate::views::models;
use crate::views::prediction::{Prediction, PredictionRequest, predict_with};
use crate::views::predictions as toutes_les_predictions;

const TITRE: &str = "Machine Learning : prédire la famille en tête";

/// French label of a model feature, with its unit: the registry's, but for the round-1
/// turnout features, which the models take from round 1 only.
pub fn libelle_feature(feature: &str) -> String {
    match feature {
        "taux_chomage" => "Taux de chômage du trimestre (%)".into(),
        "taux_abstention" => "Abstention au 1er tour (% des inscrits)".into(),
        "taux_blancs" => "Blancs au 1er tour (% des votants)".into(),
        "taux_nuls" => "Nuls au 1er tour (% des votants)".into(),
        other => ml::features::libelle(other).unwrap_or(other).to_owned(),
    }
}

/// The feature set's French label (`ml::features::jeux`).
pub(super) fn libelle_jeu(jeu: &str) -> String {
    ml::features::jeu(jeu).map_or(jeu.to_owned(), |j| j.libelle.to_owned())
}

/// A model for people: its algorithm and its feature set.
pub(super) fn libelle_modele(e: &ml::evaluate::Evaluation) -> String {
    format!(
        "{} — {}",
        e.algorithme.libelle(),
        libelle_jeu(&e.jeu_features)
    )
}

pub(super) fn famille(snapshot: &Snapshot, code: &str) -> String {
    snapshot
        .famille(code)
        .map_or(code.to_owned(), |f| f.libelle.clone())
}

fn comparaison(state: &AppState) -> Markup {
    let reference = state
        .models
        .iter()
        .find(|m| m.evaluation.algorithme == ml::models::Algorithm::Majorite)
        .map(|m| m.evaluation.accuracy_moyenne);
    let defaut = state.best_model().map(|m| m.evaluation.id.as_str());
    let trois = |v: f64| charts::fr(v, 3);
    // The baseline first, then the best to the worst.
    let mut ordre: Vec<&LoadedModel> = state.models.iter().collect();
    ordre.sort_by(|a, b| {
        let base = |m: &LoadedModel| m.evaluation.algorithme != ml::models::Algorithm::Majorite;
        base(a).cmp(&base(b)).then(
            b.evaluation
                .accuracy_moyenne
                .total_cmp(&a.evaluation.accuracy_moyenne),
        )
    });
    html! {
        div.tableau {
            table {
                caption { "Comparaison des modèles (validation croisée stratifiée 5 plis × 10 répétitions)" }
                thead { tr {
                    th scope="col" { "Modèle" }
                    th scope="col" { "Variables" }
                    th.nombre scope="col" { "Exactitude ± écart-type" }
                    th.nombre scope="col" { "Exactitude hors pli (1re répétition)" }
                    th.nombre scope="col" { "Écart à la référence" }
                    th.nombre scope="col" { "F1 macro" }
                    th.nombre scope="col" { "AUC macro" }
                    th.nombre scope="col" { "Exactitude hold-out 80/20" }
                } }
                tbody {
                    @for m in &ordre {
                        @let e = &m.evaluation;
                        tr {
                            th scope="row" {
                                (e.algorithme.libelle())
                                @if Some(e.id.as_str()) == defaut { " (par défaut)" }
                            }
                            td { (libelle_jeu(&e.jeu_features)) }
                            td.nombre { (trois(e.accuracy_moyenne)) " ± " (trois(e.accuracy_ecart_type)) }
                            td.nombre { (models::accuracy_hors_pli(&state.snapshot, e).map_or("—".to_owned(), trois)) }
                            td.nombre {
                                @match reference {
                                    Some(r) if e.algorithme != ml::models::Algorithm::Majorite => {
                                        (if e.accuracy_moyenne >= r { "+" } else { "" }) (charts::fr((e.accuracy_moyenne - r) * 100.0, 1)) " pt"
                                    }
                                    _ => "—",
                                }
                            }
                            td.nombre { (trois(e.macro_f1)) }
                            td.nombre { (trois(e.auc_macro)) }
                            td.nombre { (trois(e.holdout.accuracy_test)) }
                        }
                    }
                }
            }
        }
    }
}

fn scores(snapshot: &Snapshot, m: &LoadedModel) -> Markup {
    let e = &m.evaluation;
    html! {
        div.tableau {
            table {
                caption { "Scores par famille, " (e.algorithme.libelle()) " (prédictions hors pli)" }
                thead { tr {
                    th scope="col" { "Famille" }
                    th.nombre scope="col" { "Précision" }
                    th.nombre scope="col" { "Rappel" }
                    th.nombre scope="col" { "F1" }
                    th.nombre scope="col" { "Effectif (10 répétitions)" }
                } }
                tbody {
                    @for (classe, s) in e.classes.iter().zip(&e.scores_classes) {
                        tr {
                            th scope="row" { (famille(snapshot, classe)) }
                            td.nombre { (charts::fr(s.precision, 3)) }
                            td.nombre { (charts::fr(s.recall, 3)) }
                            td.nombre { (charts::fr(s.f1, 3)) }
                            td.nombre { (s.support) }
                        }
                    }
                }
            }
        }
    }
}

fn prediction(
    snapshot: &Snapshot,
    p: &Prediction,
    features: &[String],
    overrides: &BTreeMap<String, f64>,
) -> Markup {
    let nom = p
        .departement
        .as_deref()
        .and_then(|c| snapshot.departement(c))
        .map_or(String::new(), |d| format!("{} ({})", d.nom, d.code));
    html! {
        section.resultat aria-labelledby="prediction" {
            h2 #prediction { "Prédiction pour " (nom) }
            p {
                "Famille prédite en tête du 1er tour : " strong { (famille(snapshot, &p.famille_predite)) }
                @if let Some(reelle) = &p.famille_reelle {
                    " ; famille réellement en tête : " strong { (famille(snapshot, reelle)) } "."
                }
            }
            @if overrides.is_empty() {
                p.note {
                    "Le modèle a été ajusté sur tous les départements, celui-ci compris : cette prédiction n'est pas un test. "
                    "Les scores honnêtes sont ceux de la validation croisée ci-dessous."
                }
            }
            div.tableau {
                table {
                    caption { "Probabilités" }
                    thead { tr { th scope="col" { "Famille" } th.nombre scope="col" { "Probabilité" } } }
                    tbody {
                        @for q in &p.probabilites {
                            tr { th scope="row" { (famille(snapshot, &q.famille)) } td.nombre { (pct(q.probabilite * 100.0)) } }
                        }
                    }
                }
                table {
                    caption { "Valeurs utilisées" }
                    thead { tr { th scope="col" { "Variable" } th.nombre scope="col" { "Valeur" } th scope="col" { "Origine" } } }
                    tbody {
                        @for (f, v) in features.iter().filter_map(|f| Some((f, p.features.get(f)?))) {
                            tr {
                                th scope="row" { (libelle_feature(f)) }
                                td.nombre { (charts::fr(*v, 2)) }
                                td { @if overrides.contains_key(f) { "saisie (et si…)" } @else { "donnée du département" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn page(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let snapshot = &state.snapshot;
    let all_features: Vec<String> = ml::features::FEATURES
        .iter()
        .map(|f| (*f).to_owned())
        .collect();
    let form: BTreeMap<String, String> =
        match super::form_or_refused(&request, Page::Apprentissage, TITRE, |empty| {
            formulaire(&state, empty, &all_features, &BTreeMap::new())
        }) {
            Ok(form) => form,
            Err(page) => return *page,
        };
    let choix = match valider(&state, &form) {
        Ok(choix) => choix,
        Err(error) => {
            return refused(
                Page::Apprentissage,
                TITRE,
                &error,
                formulaire(&state, &form, &all_features, &BTreeMap::new()),
            );
        }
    };
    let e = &choix.modele.evaluation;
    let quarter: Option<db::Quarter> = e.trimestre.parse().ok();
    let propres: BTreeMap<String, f64> = match (&choix.departement, quarter) {
        (Some(code), Some(q)) => e
            .features
            .iter()
            .filter_map(|f| Some((f.clone(), ml::features::feature(snapshot, code, f, q)?)))
            .collect(),
        _ => BTreeMap::new(),
    };
    let resultat = match &choix.departement {
        Some(code) => {
            let request = PredictionRequest {
                departement: Some(code.clone()),
                modele: Some(e.id.clone()),
                overrides: (!choix.overrides.is_empty()).then(|| choix.overrides.clone()),
                features: None,
            };
            Some(predict_with(&state, snapshot, &request))
        }
        None => None,
    };
    let calcul = resultat.transpose().and_then(|p| {
        Ok((
            p,
            toutes_les_predictions::predictions(&state, choix.modele)?,
        ))
    });
    let (resultat, toutes) = match calcul {
        Ok(both) => both,
        Err(error) => {
            return refused(
                Page::Apprentissage,
                TITRE,
                &error,
                formulaire(&state, &form, &e.features, &propres),
            );
        }
    };
    let base = super::base_url(&request);
    let id = e.id.clone();
    let nom = e.algorithme.libelle();
    let graphique = |kind: &str, alt: String, legende: &str| {
        Chart::new(format!("/charts/models/{id}/{kind}"), alt, legende)
    };
    let accuracy = Chart::new(
        "/charts/models/accuracy",
        "Exactitude moyenne de chaque modèle et jeu de variables en validation croisée, avec son écart-type, à côté de la classe majoritaire",
        "Exactitude en validation croisée (moyenne ± écart-type) de chaque modèle sur chaque jeu de variables, entre crochets ; la ligne marque la référence « classe majoritaire ».",
    )
    // 18 bars: a taller image keeps them readable.
    .param("height", "1100");
    let confusion = graphique(
        "confusion",
        format!("Matrice de confusion de « {nom} »"),
        "Prédictions hors pli cumulées sur les 10 répétitions : lignes = famille réelle, colonnes = famille prédite.",
    );
    let importance = graphique(
        "importance",
        format!("Importance par permutation des variables pour « {nom} »"),
        "Baisse moyenne de l'exactitude quand on mélange une variable dans les plis de test.",
    );
    let roc = graphique(
        "roc",
        format!("Courbes ROC une famille contre les autres pour « {nom} »"),
        "Courbes ROC une famille contre les autres, prédictions hors pli ; AUC en légende.",
    );
    let body = html! {
        (previsions::section(snapshot, &base))
        h2 #departements { "Modèles par département (une seule élection)" }
        p {
            "Les modèles prédisent la famille politique arrivée en tête du 1er tour 2022 dans un département. Chacun est entraîné sur quatre jeux de variables : "
            "le chômage (trimestre " (e.trimestre) ", moyenne sur 10 ans, variation sur 5 ans), l'abstention et les votes blancs et nuls ; "
            "les mêmes plus les indicateurs socio-économiques de l'INSEE (revenu, pauvreté, pensions, âge, immigration, densité) ; "
            "les mêmes plus les parts des familles au 1er tour de 2017 ; "
            "et les mêmes plus leurs moyennes chez les départements voisins. "
            (e.n_echantillons) " départements ont toutes ces valeurs. Avec si peu d'exemples, les scores varient beaucoup d'un pli à l'autre : "
            "comparez-les toujours à la référence « classe majoritaire ». Le vote de 2017 prédit bien celui de 2022 : "
            "la géographie électorale change peu, ce qui n'explique pas les causes du vote."
        }
        p {
            "L'exactitude de ces modèles est la moyenne sur les 50 plis de la validation croisée (5 plis × 10 répétitions), avec son écart-type. "
            "Le modèle par défaut est celui qui obtient la meilleure moyenne : il est choisi sur la même validation croisée qui le note "
            "(pas d'évaluation imbriquée), son score est donc un peu optimiste ; et les plis partagent l'élection et des départements voisins. "
            "La prévision par circonscription ci-dessus, testée sur une élection entière jamais vue, est le test honnête."
        }
        (formulaire(&state, &form, &e.features, &propres))
        @if let Some(p) = &resultat { (prediction(snapshot, p, &e.features, &choix.overrides)) }
        h2 { "Comparaison des modèles" }
        (comparaison(&state))
        (accuracy.figure(&base))
        h2 { "Modèle choisi : " (nom) }
        p.note { "Fiche complète en JSON : " a href=(format!("/models/{id}")) { code { "/models/" (id) } } "." }
        (scores(snapshot, choix.modele))
        h2 #predictions { "Prédictions par département : " (nom) }
        p {
            "Exactitude en validation croisée : "
            strong { (charts::fr(e.accuracy_moyenne, 3)) " ± " (charts::fr(e.accuracy_ecart_type, 3)) }
            " (moyenne ± écart-type sur les 50 plis) ; sur la seule 1re répétition, dont viennent les prédictions hors pli ci-dessous "
            "(chaque département prédit par un modèle qui ne l'a pas vu) : "
            (toutes.accuracy_hors_pli.map_or("—".to_owned(), |a| charts::fr(a, 3)))
            " ; sur ses propres données d'apprentissage (modèle réajusté sur tous les départements, optimiste) : "
            strong { (toutes.accuracy_apprentissage.map_or("—".to_owned(), |a| charts::fr(a, 3))) }
            ". Toutes ces prédictions en "
            a href=(format!("/predictions?modele={id}&format=csv")) { "CSV" }
            " ou en "
            a href=(format!("/predictions?modele={id}")) { "JSON" }
            "."
        }
        (predictions::tableau(snapshot, &toutes, choix.tri))
        div {
            (confusion.figure(&base))
            (importance.figure(&base))
        }
        (roc.figure(&base))
    };
    ok(Page::Apprentissage, TITRE, body)
}
