//! The data behind each map ([`super::charts::Dessin`] with a [`Forme::Carte`]): the
//! départements of a scope with their outline and what they show (an indicator, the leading
//! family, a shift since 2017, a right or wrong prediction), and the insets: each overseas
//! département, and Paris with its inner ring when the map shows more than Île-de-France.

use std::collections::BTreeMap;

use charts::carte::{Carte, Coloriage, Encart, Palette, Valeur, Zone};
use charts::classes::Methode;
use db::models::{Departement, Famille};
use db::{Scrutin, Snapshot, TypeElection, Variable};

use super::Scope;
use super::charts::{Dessin, Forme, tour_label};
use super::indicateurs::{Ligne, lignes};
use super::predictions::Predictions;
use super::resultats::resultat_departement;
use super::spatial::Lisa;
use crate::error::ApiError;

/// Paris and its inner ring, drawn again in an inset.
pub use db::domaine::PETITE_COURONNE;
/// Île-de-France's region code: its own map needs no zoom on Paris.
const ILE_DE_FRANCE: &str = "11";

/// How a choropleth is classed and coloured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classement {
    pub methode: Methode,
    pub n: usize,
    pub palette: Palette,
}

impl Default for Classement {
    fn default() -> Classement {
        Classement {
            methode: Methode::Quantiles,
            n: 5,
            palette: Palette::Viridis,
        }
    }
}

/// The départements of a scope that have an outline, in code order.
fn departements<'a>(snapshot: &'a Snapshot, scope: &Scope) -> Vec<&'a Departement> {
    snapshot
        .departements
        .iter()
        .filter(|d| d.est_departement && scope.inclut(d))
        .filter(|d| snapshot.contour(&d.code).is_some())
        .collect()
}

/// Refuses a region with no département on the map (the overseas collectivities, French
/// people abroad): a 400 naming the regions that have one.
pub fn verifier_region(snapshot: &Snapshot, scope: &Scope) -> Result<(), ApiError> {
    let Some(region) = &scope.region else {
        return Ok(());
    };
    if !departements(snapshot, scope).is_empty() {
        return Ok(());
    }
    let avec_carte: Vec<String> = snapshot
        .regions
        .iter()
        .filter(|r| {
            snapshot
                .departements
                .iter()
                .any(|d| d.region_code == r.code && snapshot.contour(&d.code).is_some())
        })
        .map(|r| r.code.clone())
        .collect();
    Err(ApiError::parameter(
        "region",
        format!(
            "region '{}' ({}) has no département on the map; regions with one: {}",
            region.code,
            region.nom,
            avec_carte.join(", ")
        ),
        Some(avec_carte),
    ))
}

/// A zone of the map, showing `valeur`.
fn zone(snapshot: &Snapshot, d: &Departement, valeur: Valeur, surligne: Option<&str>) -> Zone {
    Zone {
        code: d.code.clone(),
        nom: d.nom.clone(),
        geometrie: snapshot
            .contour(&d.code)
            .map(|c| c.carte.clone())
            .unwrap_or_default(),
        valeur,
        detail: None,
        surligne: surligne == Some(d.code.as_str()),
    }
}

/// The zones of the scope's départements, each showing what `valeur` reads in its row of
/// indicators (missing without a row).
fn zones_des_lignes(
    snapshot: &Snapshot,
    scope: &Scope,
    surligne: Option<&str>,
    valeur: impl Fn(&Ligne) -> Valeur,
) -> Vec<Zone> {
    // Borrowed rows: building the full ones was a sixth of an uncached map.
    let lignes: BTreeMap<&str, Ligne> = lignes(snapshot, scope)
        .into_iter()
        .map(|l| (l.code(), l))
        .collect();
    departements(snapshot, scope)
        .into_iter()
        .map(|d| {
            let v = lignes
                .get(d.code.as_str())
                .map_or(Valeur::Manquante, &valeur);
            zone(snapshot, d, v, surligne)
        })
        .collect()
}

/// The insets of a map of these départements: every overseas one on its own, and Paris
/// with its inner ring when the map is wider than Île-de-France. A map of one overseas
/// département has none.
fn encarts(snapshot: &Snapshot, zones: &[Zone], scope: &Scope) -> Vec<Encart> {
    let outre_mer: Vec<&Zone> = zones
        .iter()
        .filter(|z| db::domaine::est_outre_mer(&z.code))
        .collect();
    if outre_mer.len() == zones.len() && outre_mer.len() <= 1 {
        return Vec::new();
    }
    let mut encarts: Vec<Encart> = outre_mer
        .iter()
        .map(|z| Encart {
            libelle: z.nom.clone(),
            codes: vec![z.code.clone()],
            copie: false,
        })
        .collect();
    let paris = zones.iter().any(|z| z.code == "75");
    if paris && scope.region_code() != Some(ILE_DE_FRANCE) {
        let nom = |code: &str| {
            snapshot
                .departement(code)
                .map_or_else(|| code.to_owned(), |d| d.nom.clone())
        };
        encarts.insert(
            0,
            Encart {
                libelle: format!("{} et petite couronne", nom("75")),
                codes: PETITE_COURONNE.iter().map(|c| (*c).to_owned()).collect(),
                copie: true,
            },
        );
    }
    encarts
}

fn carte(
    snapshot: &Snapshot,
    scope: &Scope,
    zones: Vec<Zone>,
    coloriage: Coloriage,
    legende: String,
) -> Carte {
    let encarts = encarts(snapshot, &zones, scope);
    Carte {
        zones,
        encarts,
        coloriage,
        legende,
        niveau: charts::carte::Niveau::Departement,
        sans_territoire: Vec::new(),
    }
}

/// An indicator by département, in classes.
pub fn choroplethe(
    snapshot: &Snapshot,
    variable: Variable,
    scope: &Scope,
    classement: Classement,
    surligne: Option<&str>,
) -> Dessin {
    let zones = zones_des_lignes(snapshot, scope, surligne, |r| {
        r.variable(variable)
            .map_or(Valeur::Manquante, Valeur::Nombre)
    });
    let when = if variable == Variable::TauxChomage {
        scope.trimestre.to_string()
    } else if matches!(
        variable,
        Variable::TauxAbstention
            | Variable::TauxParticipation
            | Variable::TauxBlancs
            | Variable::TauxNuls
            | Variable::PartGauche
            | Variable::PartCentre
            | Variable::PartDroite
            | Variable::PartExtremeDroite
    ) {
        super::charts::election_label(scope.scrutin)
    } else {
        variable.source().to_owned()
    };
    let place = scope.place();
    let manquantes = zones
        .iter()
        .filter(|z| z.valeur == Valeur::Manquante)
        .count();
    Dessin {
        titre: format!("{} ({place}, {when})", variable.court()),
        description: format!(
            "Carte de « {} » sur {} {place} en {} classes ({}){}.",
            variable.libelle(),
            zones.len(),
            classement.n,
            classement.methode.libelle(),
            if manquantes > 0 {
                format!(", {manquantes} sans valeur (hachurés)")
            } else {
                String::new()
            }
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            Coloriage::Classes {
                methode: classement.methode,
                n: classement.n,
                palette: classement.palette,
                unite: variable.unite().to_owned(),
                // Legends read better with one decimal at most (shares have four).
                decimales: usize::from(variable.decimales()).min(1),
            },
            variable.libelle().to_owned(),
        )),
    }
}

/// The political family leading in each département, in the families' colours.
pub fn famille_gagnante(snapshot: &Snapshot, scope: &Scope, surligne: Option<&str>) -> Dessin {
    let zones = zones_des_lignes(snapshot, scope, surligne, |r| {
        Valeur::Categorie(r.famille_gagnante().to_owned())
    });
    let categories = snapshot
        .familles_de(scope.scrutin)
        .into_iter()
        .map(|f| (f.code.clone(), f.libelle.clone()))
        .collect();
    let place = scope.place();
    let scrutin = scope.scrutin;
    Dessin {
        titre: format!(
            "Famille politique en tête ({place}, {})",
            super::charts::election_label(scrutin)
        ),
        description: format!(
            "Carte de la famille politique arrivée en tête dans chacun des {} {place}.",
            zones.len()
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            Coloriage::Categories(categories),
            "Famille en tête".to_owned(),
        )),
    }
}

/// The shift of a family's share of valid votes between two rounds (`de` then `a`), in
/// points, on a diverging palette centred on 0. Between two presidential rounds of the same
/// number (today's default, 2017 -> 2022), the titles name the years and the round.
pub fn evolution(
    snapshot: &Snapshot,
    famille: &Famille,
    scope: &Scope,
    (de, a): (Scrutin, Scrutin),
    n: usize,
    palette: Palette,
) -> Dessin {
    let part = |code: &str, scrutin: Scrutin| {
        resultat_departement(snapshot, code, scrutin)
            .map(|r| super::ecarts::part_famille(&r, &famille.code))
    };
    let zones: Vec<Zone> = departements(snapshot, scope)
        .into_iter()
        .map(|d| {
            let valeur = match (part(&d.code, de), part(&d.code, a)) {
                (Some(avant), Some(apres)) => Valeur::Nombre(super::r4(apres - avant)),
                _ => Valeur::Manquante,
            };
            zone(snapshot, d, valeur, None)
        })
        .collect();
    let place = scope.place();
    let presidentielles = de.type_election == TypeElection::Presidentielle
        && a.type_election == TypeElection::Presidentielle
        && de.tour == a.tour;
    let (titre, description, legende) = if presidentielles {
        let tour = tour_label(a.tour);
        (
            format!(
                "{} : évolution {} → {} ({place}, {tour})",
                famille.libelle, de.annee, a.annee
            ),
            format!(
                "Carte de l'écart, en points, de la part des exprimés de la famille « {} » entre {} et {} ({tour}) dans les {} {place}.",
                famille.libelle,
                de.annee,
                a.annee,
                zones.len()
            ),
            format!(
                "Écart {} → {}, {} (points)",
                de.annee, a.annee, famille.libelle
            ),
        )
    } else {
        let (lde, la) = (
            super::charts::election_label(de),
            super::charts::election_label(a),
        );
        (
            format!("{} : évolution {lde} → {la} ({place})", famille.libelle),
            format!(
                "Carte de l'écart, en points, de la part des exprimés de la famille « {} » entre la {lde} et la {la} dans les {} {place}.",
                famille.libelle,
                zones.len()
            ),
            format!("Écart en points, {}", famille.libelle),
        )
    };
    Dessin {
        titre,
        description,
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            Coloriage::Ecarts {
                n,
                palette,
                unite: "pts".to_owned(),
                decimales: 1,
            },
            legende,
        )),
    }
}

/// Right and wrong out-of-fold predictions of a model: each département as predicted by the
/// model that did not see it.
pub fn prediction(
    snapshot: &Snapshot,
    predictions: &Predictions,
    modele: &str,
    scope: &Scope,
) -> Dessin {
    let libelle = |code: &str| {
        snapshot
            .famille(code)
            .map_or_else(|| code.to_owned(), |f| f.libelle.clone())
    };
    let zones: Vec<Zone> = departements(snapshot, scope)
        .into_iter()
        .map(|d| {
            let ligne = predictions.lignes.iter().find(|l| l.code == d.code);
            let mut z = zone(snapshot, d, Valeur::Manquante, None);
            match ligne {
                Some(l) => match (
                    &l.famille_predite_hors_pli,
                    &l.famille_reelle,
                    l.juste_hors_pli,
                ) {
                    (Some(predite), Some(reelle), Some(juste)) => {
                        let verdict = if juste { "juste" } else { "faux" };
                        z.valeur = Valeur::Categorie(verdict.to_owned());
                        z.detail = Some(format!(
                            "prédit {}, réel {} ({verdict})",
                            libelle(predite),
                            libelle(reelle)
                        ));
                    }
                    _ => z.detail = Some("non prédit hors pli".to_owned()),
                },
                None => {
                    let raison = predictions
                        .non_predits
                        .iter()
                        .find(|n| n.code == d.code)
                        .map_or("non prédit", |n| n.raison.as_str());
                    z.detail = Some(raison.to_owned());
                }
            }
            z
        })
        .collect();
    let justes = zones
        .iter()
        .filter(|z| z.valeur == Valeur::Categorie("juste".into()))
        .count();
    let notes = zones
        .iter()
        .filter(|z| z.valeur != Valeur::Manquante)
        .count();
    let place = scope.place();
    Dessin {
        titre: format!("Prédictions hors pli : {modele}, {justes}/{notes} justes"),
        description: format!(
            "Carte des prédictions hors pli (chaque département prédit par le modèle qui ne l'a pas vu) du modèle {modele} ({}) : justes ou fausses, dans les {} {place}.",
            predictions.modele,
            zones.len()
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            Coloriage::Categories(vec![
                ("juste".into(), "Juste".into()),
                ("faux".into(), "Faux".into()),
            ]),
            "Prédiction hors pli".to_owned(),
        )),
    }
}

/// The LISA clusters of an indicator: hot and cold spots, spatial outliers, and the
/// départements left out (no value, no neighbour in the scope) hatched.
pub fn lisa(snapshot: &Snapshot, l: &Lisa, variable: Variable, scope: &Scope) -> Dessin {
    let zones: Vec<Zone> = departements(snapshot, scope)
        .into_iter()
        .map(|d| {
            let mut z = zone(snapshot, d, Valeur::Manquante, None);
            if let Some(ligne) = l.lignes.iter().find(|x| x.code == d.code) {
                z.valeur = Valeur::Categorie(ligne.quadrant.clone());
                z.detail = Some(format!(
                    "{} {}, Ii = {}, p = {}",
                    charts::fr(ligne.valeur, usize::from(variable.decimales()).min(1)),
                    variable.unite(),
                    charts::fr(ligne.i, 2),
                    charts::fr(ligne.p, 3)
                ));
            } else if let Some(e) = l.exclus.iter().find(|e| e.code == d.code) {
                // Left out for a reason (an island has no neighbour), not for want of a
                // value: the legend says which.
                z.valeur = Valeur::Exclue(e.raison.clone());
            }
            z
        })
        .collect();
    let place = scope.place();
    Dessin {
        titre: format!(
            "Agrégats locaux (LISA) : {} ({place}, seuil {})",
            variable.court().to_lowercase(),
            charts::fr(l.alpha, 3)
        ),
        description: format!(
            "Carte des indicateurs locaux d'autocorrélation spatiale (Moran local, {} permutations conditionnelles) de « {} » : points chauds, points froids et valeurs atypiques significatifs au seuil {}, sur {} départements ; contiguïté reine standardisée par ligne.",
            l.permutations,
            variable.libelle(),
            charts::fr(l.alpha, 3),
            l.n
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            Coloriage::Categories(charts::palette::categories_lisa()),
            format!("Moran local, {}", variable.court().to_lowercase()),
        )),
    }
}

/// Whether a map has something to draw.
pub fn vide(carte: &Carte) -> Result<(), ApiError> {
    if carte.zones.is_empty() {
        Err(ApiError::NotFound(
            "no data to draw: no département with an outline in this scope".into(),
        ))
    } else {
        Ok(())
    }
}
