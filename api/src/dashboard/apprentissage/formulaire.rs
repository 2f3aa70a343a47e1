//! The what-if form of the Machine Learning page and its validation, with French messages.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::super::{Page, select};
use super::{libelle_feature, libelle_modele};
use crate::error::ApiError;
use crate::state::{AppState, LoadedModel};

/// The validated form: a model, maybe a département, and what-if values.
pub(super) struct Choix<'a> {
    pub modele: &'a LoadedModel,
    pub departement: Option<String>,
    pub overrides: BTreeMap<String, f64>,
    pub tri: &'static str,
}

/// Orders of the predictions table: (value of `tri`, column heading).
pub(super) const TRIS: [(&str, &str); 6] = [
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

pub(super) fn champ<'a>(form: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

pub(super) fn valider<'a>(
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

pub(super) fn formulaire(
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
