//! The Exploration page's tables of the elections by label: every round of every election
//! for the département, and the labels of the chosen round.

use db::Snapshot;
use db::models::Departement;
use maud::{Markup, html};

use crate::dashboard::{entier, pct};
use crate::views::resultats::ResultatTour;

/// Every round of every election in the data for the département: participation, each
/// family's share and who led (the candidate, or the label of an election by label).
pub(super) fn toutes_les_elections(snapshot: &db::Snapshot, elections: &[ResultatTour]) -> Markup {
    let familles = &snapshot.familles;
    html! {
        div.tableau {
            table {
                caption { "Participation et parts des exprimés par famille, à chaque tour de chaque élection chargée" }
                thead {
                    tr {
                        th scope="col" { "Élection" }
                        th.nombre scope="col" { "Participation" }
                        @for f in familles { th.nombre scope="col" { (f.libelle) } }
                        th scope="col" { "En tête" }
                    }
                }
                tbody {
                    @for r in elections {
                        @let scrutin = r.election.as_deref().and_then(|e| e.parse::<db::Scrutin>().ok()).unwrap_or(db::Scrutin::new(r.annee, r.tour));
                        tr {
                            th scope="row" { (crate::dashboard::nom_du_tour(scrutin)) }
                            td.nombre { (pct(r.taux_participation)) }
                            @for f in familles {
                                td.nombre {
                                    @match r.familles.iter().find(|g| g.famille == f.code) {
                                        Some(g) => (pct(g.part_exprimes)),
                                        None => "–",
                                    }
                                }
                            }
                            td {
                                @if let Some(g) = &r.gagnant { (g.prenom) " " (g.nom) }
                                @if let Some(n) = &r.nuance_gagnante { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The labels of an election by label in the département: votes, shares, seats of the round.
pub(super) fn nuances(snapshot: &Snapshot, d: &Departement, r: &ResultatTour) -> Markup {
    let famille = |code: &str| {
        snapshot
            .famille(code)
            .map_or_else(|| code.to_owned(), |f| f.libelle.clone())
    };
    let mut liste = r.nuances.clone();
    liste.sort_by(|a, b| b.voix.cmp(&a.voix).then_with(|| a.nuance.cmp(&b.nuance)));
    html! {
        div.tableau {
            table {
                caption { "Voix par nuance politique dans le département " (db::domaine::de_departement(&d.code, &d.nom)) ", de la plus à la moins votée" }
                thead { tr {
                    th scope="col" { "Nuance" }
                    th scope="col" { "Famille" }
                    th.nombre scope="col" { "Voix" }
                    th.nombre scope="col" { "Part des exprimés" }
                    th.nombre scope="col" { "Sièges du tour" }
                } }
                tbody {
                    @for n in &liste {
                        tr {
                            th scope="row" { (n.libelle) " (" (n.nuance) ")" }
                            td { (famille(&n.famille)) }
                            td.nombre { (entier(n.voix)) }
                            td.nombre { (pct(n.pct_voix_exprimes)) }
                            td.nombre { (n.sieges.unwrap_or(0)) }
                        }
                    }
                }
            }
        }
    }
}
