//! Machine Learning: the models beside the majority-class baseline, the charts of the chosen
//! model, and a what-if prediction for a département, answered on the server.
//!
//! About 430 lines, kept in one file: it is one page (the comparison, the model's charts and
//! the prediction form), and its parts are only read together.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use db::Snapshot;
use maud::{Markup, html};

use super::{Chart, Page, ok, pct, refused, select};
use crate::error::ApiError;
use crate::state::{AppState, LoadedModel};
use crate::views::models;
use crate::views::prediction::{Prediction, PredictionRequest, predict_with};
use crate::views::predictions::{self, LignePrediction, Predictions};

const TITRE: &str = "Machine Learning : prédire la famille en tête";

/// French label of a model feature, with its unit: the registry's, but for the round-1
/// turnout features, which the models take from round 1 only.
pub fn libelle_feature(feature: &str) -> String {
    match feature {
        "taux_chomage" => "Taux de chômage du trimestre (%)".into(),
        "taux_abstention" => "Abstention au 1er tour (% des inscrits)".into(),
        "taux_blancs" => "Blancs au 1er tour (% des votants)".into(),
        "taux_nuls" => "Nuls au 1er tour (% des votants)".into(),
        other => db::Variable::from_code(other)
            .map(|v| v.libelle())
            .or_else(|| {
                ml::features::DERIVEES
                    .iter()
                    .find(|(name, _, _)| *name == other)
                    .map(|(_, libelle, _)| *libelle)
            })
            .unwrap_or(other)
            .to_owned(),
    }
}

/// The feature set's French label (`ml::features::jeux`).
fn libelle_jeu(jeu: &str) -> String {
    ml::features::jeu(jeu).map_or(jeu.to_owned(), |j| j.libelle.to_owned())
}

/// A model for people: its algorithm and its feature set.
fn libelle_modele(e: &ml::evaluate::Evaluation) -> String {
    format!(
        "{} — {}",
        e.algorithme.libelle(),
        libelle_jeu(&e.jeu_features)
    )
}

fn famille(snapshot: &Snapshot, code: &str) -> String {
    snapshot
        .famille(code)
        .map_or(code.to_owned(), |f| f.libelle.clone())
}

/// The validated form: a model, maybe a département, and what-if values.
struct Choix<'a> {
    modele: &'a LoadedModel,
    departement: Option<String>,
    overrides: BTreeMap<String, f64>,
    tri: &'static str,
}

/// Orders of the predictions table: (value of `tri`, column heading).
const TRIS: [(&str, &str); 6] = [
    ("code", "Code"),
    ("nom", "Département"),
    ("reelle", "Famille réelle"),
    ("hors_pli", "Prédite hors pli"),
    ("confiance", "Probabilité hors pli"),
    ("erreurs", "Erreurs hors pli d'abord"),
];

/// A refusal of the form, in French, naming the field.
fn refus(champ: &str, detail: String) -> ApiError {
    ApiError::parameter(champ, detail, None)
}

fn champ<'a>(form: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn valider<'a>(
    state: &'a AppState,
    form: &BTreeMap<String, String>,
) -> Result<Choix<'a>, ApiError> {
    let fixed = ["modele", "departement", "tri"];
    let allowed = |key: &str| fixed.contains(&key) || ml::features::FEATURES.contains(&key);
    if let Some(unknown) = form.keys().find(|k| !allowed(k)) {
        let mut accepted: Vec<String> = fixed.iter().map(|f| (*f).to_owned()).collect();
        accepted.extend(ml::features::FEATURES.iter().map(|f| (*f).to_owned()));
        return Err(ApiError::parameter(
            unknown,
            format!("Champ inconnu « {unknown} »."),
            Some(accepted),
        ));
    }
    let modele = match champ(form, "modele") {
        Some(id) => state.model(id).ok_or_else(|| {
            ApiError::NotFound(format!(
                "Aucun modèle « {id} » : choisissez-en un dans la liste."
            ))
        })?,
        None => state.best_model().ok_or_else(|| {
            ApiError::NotFound(
                "Aucun modèle dans la base : lancez `cargo run --release -p ml`.".into(),
            )
        })?,
    };
    let departement = champ(form, "departement")
        .map(|code| {
            state
                .snapshot
                .departement(code)
                .map(|d| d.code.clone())
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "Aucun département de code « {code} » : choisissez-en un dans la liste."
                    ))
                })
        })
        .transpose()?;
    let tri_demande = champ(form, "tri").unwrap_or("code");
    let tri = TRIS
        .iter()
        .map(|(key, _)| *key)
        .find(|key| *key == tri_demande)
        .ok_or_else(|| {
            ApiError::parameter(
                "tri",
                format!("Tri inconnu « {tri_demande} »."),
                Some(TRIS.iter().map(|(k, _)| (*k).to_owned()).collect()),
            )
        })?;
    let features = &modele.evaluation.features;
    let mut overrides = BTreeMap::new();
    for feature in ml::features::FEATURES {
        if let Some(text) = champ(form, feature) {
            let label = libelle_feature(feature);
            if !features.iter().any(|f| f == feature) {
                return Err(refus(
                    feature,
                    format!("« {label} » n'est pas une variable de ce modèle."),
                ));
            }
            let value = text
                .replace(',', ".")
                .replace([' ', '\u{a0}', '\u{202f}'], "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    refus(
                        feature,
                        format!("« {label} » : « {text} » n'est pas un nombre."),
                    )
                })?;
            if let Some((lo, hi)) = ml::features::plage(feature)
                && !(lo..=hi).contains(&value)
            {
                return Err(refus(
                    feature,
                    format!(
                        "« {label} » : {} est hors de l'intervalle plausible [{} ; {}].",
                        charts::fr(value, 2),
                        charts::fr(lo, 0),
                        charts::fr(hi, 0)
                    ),
                ));
            }
            overrides.insert(feature.to_owned(), value);
        }
    }
    if !overrides.is_empty() && departement.is_none() {
        return Err(refus(
            "departement",
            "Les valeurs « et si… » remplacent celles d'un département : choisissez un département.".into(),
        ));
    }
    if let (Some(code), Ok(quarter)) = (
        &departement,
        modele.evaluation.trimestre.parse::<db::Quarter>(),
    ) {
        let manquantes: Vec<String> = features
            .iter()
            .filter(|f| {
                !overrides.contains_key(*f)
                    && ml::features::feature(&state.snapshot, code, f, quarter).is_none()
            })
            .map(|f| format!("« {} »", libelle_feature(f)))
            .collect();
        if !manquantes.is_empty() {
            return Err(refus(
                "departement",
                format!(
                    "Le département {code} n'a pas de valeur pour {} : saisissez-la dans « Et si… », ou choisissez un autre modèle.",
                    manquantes.join(", ")
                ),
            ));
        }
    }
    Ok(Choix {
        modele,
        departement,
        overrides,
        tri,
    })
}

fn formulaire(
    state: &AppState,
    form: &BTreeMap<String, String>,
    features: &[String],
    propres: &BTreeMap<String, f64>,
) -> Markup {
    let snapshot = &state.snapshot;
    let modeles: Vec<(String, String)> = state
        .models
        .iter()
        .map(|m| (m.evaluation.id.clone(), libelle_modele(&m.evaluation)))
        .collect();
    let defaut = state
        .best_model()
        .map(|m| m.evaluation.id.clone())
        .unwrap_or_default();
    let mut choix = vec![(String::new(), "— aucun —".to_owned())];
    choix.extend(
        snapshot
            .departements
            .iter()
            .filter(|d| d.est_departement)
            .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))),
    );
    let code = champ(form, "departement")
        .and_then(|c| snapshot.departement(c))
        .map(|d| d.code.clone())
        .unwrap_or_default();
    html! {
        form.filtres method="get" action=(Page::Apprentissage.path()) {
            div.champ { (select("modele", "Modèle", &modeles, champ(form, "modele").unwrap_or(&defaut))) }
            div.champ { (select("departement", "Département à prédire", &choix, &code)) }
            fieldset {
                legend { "Et si… (laisser vide pour garder la valeur du département)" }
                @for f in features {
                    div.champ {
                        label for=(f) { (libelle_feature(f)) }
                        input #(f) name=(f) type="text" inputmode="decimal"
                            value=(champ(form, f).unwrap_or(""))
                            placeholder=(propres.get(f).map_or(String::new(), |v| charts::fr(*v, 2)));
                    }
                }
            }
            div.champ { button type="submit" { "Prédire" } }
        }
    }
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

fn trier(snapshot: &Snapshot, lignes: &mut [&LignePrediction], tri: &str) {
    let rang = |famille: Option<&String>| {
        famille
            .and_then(|f| snapshot.familles.iter().position(|x| x.code == *f))
            .unwrap_or(usize::MAX)
    };
    let confiance = |l: &LignePrediction| {
        l.probabilites_hors_pli
            .iter()
            .map(|p| p.probabilite)
            .fold(0.0, f64::max)
    };
    match tri {
        "nom" => lignes.sort_by(|a, b| a.nom.cmp(&b.nom)),
        "reelle" => lignes.sort_by_key(|l| rang(l.famille_reelle.as_ref())),
        "hors_pli" => lignes.sort_by_key(|l| rang(l.famille_predite_hors_pli.as_ref())),
        "confiance" => lignes.sort_by(|a, b| confiance(b).total_cmp(&confiance(a))),
        "erreurs" => lignes.sort_by_key(|l| l.juste_hors_pli != Some(false)),
        _ => {}
    }
}

/// A prediction with its probability and whether it is right.
fn verdict(
    snapshot: &Snapshot,
    famille_predite: Option<&String>,
    p: f64,
    juste: Option<bool>,
) -> Markup {
    html! {
        @if let Some(f) = famille_predite {
            (famille(snapshot, f)) " (" (pct(p * 100.0)) ") "
            @match juste {
                Some(true) => span.juste { "✓ juste" },
                Some(false) => span.faux { "✗ faux" },
                None => "",
            }
        } @else { "—" }
    }
}

fn tableau_predictions(snapshot: &Snapshot, p: &Predictions, tri: &str) -> Markup {
    let mut lignes: Vec<&LignePrediction> = p.lignes.iter().collect();
    trier(snapshot, &mut lignes, tri);
    let lien = |key: &str| {
        format!(
            "{}?modele={}&tri={key}#predictions",
            Page::Apprentissage.path(),
            p.modele
        )
    };
    let entete = |key: &str, titre: &str| {
        html! {
            th scope="col" aria-sort=(if key == tri { "ascending" } else { "none" }) {
                @if key == tri { (titre) " ▲" } @else { a href=(lien(key)) { (titre) } }
            }
        }
    };
    let proba = |list: &[crate::views::prediction::Probabilite], famille: Option<&String>| {
        list.iter()
            .find(|q| Some(&q.famille) == famille)
            .map_or(0.0, |q| q.probabilite)
    };
    html! {
        div.tableau {
            table #tableau-predictions {
                caption {
                    "Prédictions de chaque département, d'abord hors pli (par le modèle de la 1re répétition qui ne l'a pas vu), "
                    "puis par le modèle réajusté sur tous les départements. Trier par : "
                    @for (i, (key, titre)) in TRIS.iter().enumerate() {
                        @if i > 0 { ", " }
                        @if *key == tri { strong { (titre) } } @else { a href=(lien(key)) { (titre) } }
                    }
                    "."
                }
                thead { tr {
                    (entete("code", "Code"))
                    (entete("nom", "Département"))
                    (entete("reelle", "Famille réelle"))
                    (entete("hors_pli", "Prédite hors pli (probabilité)"))
                    th scope="col" { "Prédite par le modèle réajusté (probabilité)" }
                } }
                tbody {
                    @for l in &lignes {
                        tr {
                            td { (l.code) }
                            th scope="row" { a href=(format!("{}?departement={}", Page::Exploration.path(), l.code)) { (l.nom) } }
                            td { (l.famille_reelle.as_ref().map_or("—".to_owned(), |f| famille(snapshot, f))) }
                            td { (verdict(snapshot, l.famille_predite_hors_pli.as_ref(), proba(&l.probabilites_hors_pli, l.famille_predite_hors_pli.as_ref()), l.juste_hors_pli)) }
                            td { (verdict(snapshot, Some(&l.famille_predite), proba(&l.probabilites, Some(&l.famille_predite)), l.juste)) }
                        }
                    }
                }
            }
        }
        @if !p.non_predits.is_empty() {
            p { "Départements que ce modèle ne peut pas prédire :" }
            ul.non-predits {
                @for n in &p.non_predits {
                    li { (n.nom) " (" (n.code) ") : " (n.raison) "." }
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
    let calcul = resultat
        .transpose()
        .and_then(|p| Ok((p, predictions::predictions(&state, choix.modele)?)));
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
        p {
            "Les modèles prédisent la famille politique arrivée en tête du 1er tour 2022 dans un département. Chacun est entraîné sur trois jeux de variables : "
            "le chômage (trimestre " (e.trimestre) ", moyenne sur 10 ans, variation sur 5 ans), l'abstention et les votes blancs et nuls ; "
            "les mêmes plus les indicateurs socio-économiques de l'INSEE (revenu, pauvreté, pensions, âge, immigration, densité) ; "
            "et les mêmes plus les parts des familles au 1er tour de 2017. "
            (e.n_echantillons) " départements ont toutes ces valeurs. Avec si peu d'exemples, les scores varient beaucoup d'un pli à l'autre : "
            "comparez-les toujours à la référence « classe majoritaire ». Le vote de 2017 prédit bien celui de 2022 : "
            "la géographie électorale change peu, ce qui n'explique pas les causes du vote."
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
            "Exactitude hors pli (1re répétition de la validation croisée, chaque département prédit par un modèle qui ne l'a pas vu) : "
            strong { (toutes.accuracy_hors_pli.map_or("—".to_owned(), |a| charts::fr(a, 3))) }
            " ; sur ses propres données d'apprentissage (modèle réajusté sur tous les départements, optimiste) : "
            strong { (toutes.accuracy_apprentissage.map_or("—".to_owned(), |a| charts::fr(a, 3))) }
            ". Toutes ces prédictions en "
            a href=(format!("/predictions?modele={id}&format=csv")) { "CSV" }
            " ou en "
            a href=(format!("/predictions?modele={id}")) { "JSON" }
            "."
        }
        (tableau_predictions(snapshot, &toutes, choix.tri))
        div {
            (confusion.figure(&base))
            (importance.figure(&base))
        }
        (roc.figure(&base))
    };
    ok(Page::Apprentissage, TITRE, body)
}
