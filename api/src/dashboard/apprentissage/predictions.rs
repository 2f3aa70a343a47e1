//! The table of every département's predictions on the Machine Learning page: out of fold
//! first, right and wrong marked, sortable by links, each row linked to its département.

use db::Snapshot;
use maud::{Markup, html};

use super::super::{Page, pct};
use super::famille;
use super::formulaire::TRIS;
use crate::views::prediction::Probabilite;
use crate::views::predictions::{LignePrediction, Predictions};

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

pub(super) fn tableau(snapshot: &Snapshot, p: &Predictions, tri: &str) -> Markup {
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
    let proba = |list: &[Probabilite], famille: Option<&String>| {
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
