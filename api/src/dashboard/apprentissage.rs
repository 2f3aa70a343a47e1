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
use crate::views::departements;
use crate::views::models;
use crate::views::prediction::{Prediction, PredictionRequest, predict_with};

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
}

fn champ<'a>(form: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn valider<'a>(
    state: &'a AppState,
    form: &BTreeMap<String, String>,
) -> Result<Choix<'a>, ApiError> {
    let allowed = |key: &str| {
        key == "modele" || key == "departement" || ml::features::FEATURES.contains(&key)
    };
    if let Some(unknown) = form.keys().find(|k| !allowed(k)) {
        let mut accepted = vec!["modele".to_owned(), "departement".to_owned()];
        accepted.extend(ml::features::FEATURES.iter().map(|f| (*f).to_owned()));
        return Err(ApiError::parameter(
            unknown,
            format!("unknown form field '{unknown}'"),
            Some(accepted),
        ));
    }
    let modele = match champ(form, "modele") {
        Some(id) => models::find(state, id)?,
        None => state.best_model().ok_or_else(|| {
            ApiError::NotFound("no model in the database: run `cargo run --release -p ml`".into())
        })?,
    };
    let departement = champ(form, "departement")
        .map(|code| departements::find(&state.snapshot, code).map(|d| d.code.clone()))
        .transpose()?;
    let mut overrides = BTreeMap::new();
    for feature in ml::features::FEATURES {
        if let Some(text) = champ(form, feature) {
            let value = text
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    ApiError::parameter(
                        feature,
                        format!("field '{feature}': '{text}' is not a number"),
                        None,
                    )
                })?;
            overrides.insert(feature.to_owned(), value);
        }
    }
    if !overrides.is_empty() && departement.is_none() {
        return Err(ApiError::parameter(
            "departement",
            "the what-if values change a département's own: choose a département",
            None,
        ));
    }
    Ok(Choix {
        modele,
        departement,
        overrides,
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
            match predict_with(&state, snapshot, &request) {
                Ok(p) => Some(p),
                Err(error) => {
                    return refused(
                        Page::Apprentissage,
                        TITRE,
                        &error,
                        formulaire(&state, &form, &e.features, &propres),
                    );
                }
            }
        }
        None => None,
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
        div {
            (confusion.figure(&base))
            (importance.figure(&base))
        }
        (roc.figure(&base))
    };
    ok(Page::Apprentissage, TITRE, body)
}
