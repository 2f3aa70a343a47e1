//! The constituency forecast on the Machine Learning page, shown first: for each task
//! (training cycles → test legislative election), the baselines and every model on both
//! targets, the honest verdict against the presidential baseline, and the right/wrong map of
//! the model the cross-validation inside the training cycles prefers.

use db::Snapshot;
use maud::{Markup, html};

use super::super::Chart;
use crate::views::previsions::{self, LigneTableau};

fn trois(v: f64) -> String {
    charts::fr(v, 3)
}

fn points(v: f64) -> String {
    let p = v * 100.0;
    format!("{}{} pt", if p >= 0.0 { "+" } else { "" }, charts::fr(p, 1))
}

fn intervalle(bas: f64, haut: f64) -> String {
    format!("[{} ; {}]", trois(bas), trois(haut))
}

/// What the chosen model does against the presidential baseline, in one sentence.
fn verdict(l: &LigneTableau) -> String {
    let ecart = format!(
        "{} (IC 95 % {} à {})",
        points(l.ecart_presidentielle),
        points(l.ecart_presidentielle_ic_bas),
        points(l.ecart_presidentielle_ic_haut)
    );
    if l.ecart_presidentielle_ic_bas > 0.0 {
        format!("bat la référence présidentielle de {ecart}")
    } else if l.ecart_presidentielle_ic_haut < 0.0 {
        format!("fait moins bien que la référence présidentielle : {ecart}")
    } else {
        format!("ne se distingue pas de la référence présidentielle : {ecart}")
    }
}

fn table(lignes: &[LigneTableau], cible: &str) -> Markup {
    html! {
        div.tableau {
            table {
                caption {
                    @if cible == "tete_t1" { "Famille en tête du 1er tour" } @else { "Famille du siège" }
                }
                thead { tr {
                    th scope="col" { "Modèle ou référence" }
                    th.nombre scope="col" { "Exactitude [IC 95 %]" }
                    th.nombre scope="col" { "Écart à la présidentielle" }
                    th.nombre scope="col" { "F1 macro" }
                    th.nombre scope="col" { "Log-loss" }
                } }
                tbody {
                    @for l in lignes.iter().filter(|l| l.cible == cible) {
                        tr {
                            th scope="row" {
                                (l.libelle)
                                @if !l.hyperparametres.is_empty() { " " small { "(" (l.hyperparametres) ")" } }
                                @if l.retenu { " — retenu" }
                            }
                            td.nombre { (trois(l.accuracy)) " " small { (intervalle(l.accuracy_ic_bas, l.accuracy_ic_haut)) } }
                            td.nombre {
                                @if l.modele == "reference_presidentielle" { "—" }
                                @else { (points(l.ecart_presidentielle)) " " small { "[" (points(l.ecart_presidentielle_ic_bas)) " ; " (points(l.ecart_presidentielle_ic_haut)) "]" } }
                            }
                            td.nombre { (trois(l.macro_f1)) }
                            td.nombre { (l.log_loss.map_or("—".to_owned(), trois)) }
                        }
                    }
                }
            }
        }
    }
}

/// The section; empty when `ml` stored no forecast.
pub(super) fn section(snapshot: &Snapshot, base: &str) -> Markup {
    let Ok(lignes) = previsions::tableau(snapshot, None, None) else {
        return html! {};
    };
    if lignes.is_empty() {
        return html! {};
    }
    let taches = ml::prevision::taches();
    let carte = Chart::new(
        "/charts/circonscriptions/previsions",
        "Carte des circonscriptions : prévision juste ou fausse de la famille en tête du 1er tour des législatives 2024, par le modèle retenu appris sur 2017 et 2022",
        "Prévision de la famille en tête du 1er tour 2024 par le modèle retenu (appris sur 2017 et 2022) : vert juste, orange fausse ; hachuré, sans prévision.",
    );
    html! {
        h2 #prevision { "Prévoir une élection qu'aucun modèle n'a vue" }
        p {
            "Pour chaque circonscription, la famille du candidat en tête du 1er tour des législatives, et celle du député élu, "
            "à partir de ce qu'on savait avant : les parts des familles et la participation au 1er tour de la présidentielle du même cycle "
            "dans la circonscription, le chômage du département au 4e trimestre de l'année précédente et quatre indicateurs INSEE du département. "
            "Les modèles apprennent sur des cycles entiers et sont testés sur l'élection suivante ; leurs hyper-paramètres et le modèle retenu "
            "sont choisis par validation croisée à l'intérieur des cycles d'apprentissage seulement. "
            "Les références sont celles d'un politiste : la famille en tête de la présidentielle dans la circonscription, celle du député sortant, la classe majoritaire. "
            "Intervalles : bootstrap sur les circonscriptions testées (2 000 tirages ; écart apparié pour la différence)."
        }
        @for t in &taches {
            @let de_la_tache: Vec<LigneTableau> = lignes.iter().filter(|l| l.tache == t.id).cloned().collect();
            @if let Some(premiere) = de_la_tache.first() {
                h3 { (t.libelle) " (" (premiere.n_test) " circonscriptions testées)" }
                @for cible in ["tete_t1", "siege"] {
                    @if let Some(retenu) = de_la_tache.iter().find(|l| l.cible == cible && l.retenu) {
                        p {
                            @if cible == "tete_t1" { "Famille en tête : " } @else { "Siège : " }
                            "le modèle retenu (" (retenu.libelle) ", " (trois(retenu.accuracy)) ") " (verdict(retenu)) "."
                        }
                    }
                }
                div { (table(&de_la_tache, "tete_t1")) (table(&de_la_tache, "siege")) }
            }
        }
        p.note {
            "Le tableau complet (rappel par famille, matrices de confusion) : "
            a href="/previsions" { code { "/previsions" } } " (" a href="/previsions?format=csv" { "CSV" } ") ; "
            "chaque circonscription : " a href="/previsions/circonscriptions" { code { "/previsions/circonscriptions" } }
            " (" a href="/previsions/circonscriptions?format=csv" { "CSV" } ")."
        }
        (carte.figure(base))
    }
}
