//! The maps of the constituencies ([`super::charts::Dessin`] with a [`Forme::Carte`]): a
//! measure in classes, the seat map (the winner's nuance or family), the leading family of a
//! round, and the shift of a family between two rounds. Insets: each overseas département or
//! collectivity on its own, and Paris with its inner ring (54 constituencies, a few pixels each
//! on the national map). The 11 constituencies of the French abroad are counted in the legend
//! as « sans territoire ».

use charts::carte::{Carte, Coloriage, Encart, Niveau, Palette, Valeur, Zone};
use db::circonscriptions::Circonscriptions;
use db::models::{Circonscription, Famille};
use db::{Scrutin, Snapshot, TypeElection};

use super::Scope;
use super::cartes::{Classement, PETITE_COURONNE};
use super::charts::{Dessin, Forme, election_label};
use super::circonscriptions::{Mesure, dans};
use crate::error::ApiError;

/// Île-de-France: its own map needs no zoom on Paris.
const ILE_DE_FRANCE: &str = "11";

/// How the seat map colours a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Par {
    Famille,
    Nuance,
}

impl Par {
    pub fn parse(text: Option<&str>) -> Result<Par, ApiError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None | Some("famille") => Ok(Par::Famille),
            Some("nuance") => Ok(Par::Nuance),
            Some(other) => Err(ApiError::parameter(
                "par",
                format!("parameter 'par' must be famille or nuance, not '{other}'"),
                Some(vec!["famille".into(), "nuance".into()]),
            )),
        }
    }
}

/// The constituencies of the scope: those with an outline, and the names of those without.
fn du_perimetre<'a>(
    snapshot: &'a Snapshot,
    scope: &Scope,
) -> (Vec<&'a Circonscription>, Vec<String>) {
    let cs = &snapshot.circonscriptions;
    let mut avec = Vec::new();
    let mut sans = Vec::new();
    for c in cs.liste.iter().filter(|c| dans(snapshot, scope, c)) {
        if cs.contour(&c.code).is_some() {
            avec.push(c);
        } else {
            sans.push(c.nom.clone());
        }
    }
    (avec, sans)
}

fn zone(
    cs: &Circonscriptions,
    c: &Circonscription,
    valeur: Valeur,
    detail: Option<String>,
) -> Zone {
    Zone {
        code: c.code.clone(),
        nom: c.nom.clone(),
        geometrie: cs
            .contour(&c.code)
            .map(|t| t.carte.clone())
            .unwrap_or_default(),
        valeur,
        detail,
        surligne: false,
    }
}

/// The seat winner of an election in a constituency, for a hover text.
fn elu_texte(cs: &Circonscriptions, code: &str, scrutin: Scrutin) -> Option<String> {
    if scrutin.type_election != TypeElection::Legislatives {
        return None;
    }
    cs.elu_de_l_election(code, scrutin.type_election, scrutin.annee)
        .map(|(s, c)| {
            format!(
                "élu·e au {} tour : {}{}",
                if s.tour == 1 { "1er" } else { "2d" },
                c.candidat,
                c.nuance
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )
        })
}

/// The insets: each overseas département or collectivity on its own; Paris and its inner
/// ring again, enlarged, unless the map is Île-de-France's.
fn encarts(snapshot: &Snapshot, zones: &[Zone], scope: &Scope) -> Vec<Encart> {
    let cs = &snapshot.circonscriptions;
    let departement_de = |code: &str| {
        cs.get(code)
            .map(|c| c.departement_code.clone())
            .unwrap_or_default()
    };
    let mut groupes: Vec<(String, Vec<String>)> = Vec::new();
    for z in zones {
        let d = departement_de(&z.code);
        let outre_mer = snapshot
            .departement(&d)
            .is_some_and(|x| !db::Perimetre::Metropole.contient_region(&x.region_code));
        if !outre_mer {
            continue;
        }
        match groupes.iter_mut().find(|(g, _)| *g == d) {
            Some((_, codes)) => codes.push(z.code.clone()),
            None => groupes.push((d, vec![z.code.clone()])),
        }
    }
    if groupes.len() == 1 && groupes[0].1.len() == zones.len() {
        return Vec::new();
    }
    let mut encarts: Vec<Encart> = groupes
        .into_iter()
        .map(|(d, codes)| Encart {
            libelle: snapshot
                .departement(&d)
                .map_or_else(|| d.clone(), |x| x.nom.clone()),
            codes,
            copie: false,
        })
        .collect();
    let paris: Vec<String> = zones
        .iter()
        .filter(|z| PETITE_COURONNE.contains(&departement_de(&z.code).as_str()))
        .map(|z| z.code.clone())
        .collect();
    if paris.iter().any(|c| c.starts_with("75")) && scope.region_code() != Some(ILE_DE_FRANCE) {
        encarts.insert(
            0,
            Encart {
                libelle: "Paris et couronne".to_owned(),
                codes: paris,
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
    sans_territoire: Vec<String>,
    coloriage: Coloriage,
    legende: String,
) -> Carte {
    let encarts = encarts(snapshot, &zones, scope);
    Carte {
        zones,
        encarts,
        coloriage,
        legende,
        niveau: Niveau::Circonscription,
        sans_territoire,
    }
}

/// `circonscriptions`, `circonscriptions de métropole`… for titles.
fn place(scope: &Scope) -> String {
    scope.place().replace("départements", "circonscriptions")
}

/// What the description adds about the constituencies without a territory.
fn note_sans_territoire(sans: &[String]) -> String {
    if sans.is_empty() {
        String::new()
    } else {
        format!(
            " ; {} circonscriptions sans territoire (Français établis hors de France) ne sont pas dessinées",
            sans.len()
        )
    }
}

/// A measure by constituency, in classes.
pub fn choroplethe(
    snapshot: &Snapshot,
    mesure: &Mesure,
    scope: &Scope,
    scrutin: Scrutin,
    classement: Classement,
) -> Dessin {
    let cs = &snapshot.circonscriptions;
    let (avec, sans) = du_perimetre(snapshot, scope);
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(|c| {
            let v = mesure.valeur(cs, &c.code, scrutin);
            let detail = v.map(|v| {
                let texte = super::fr_pct(v);
                match elu_texte(cs, &c.code, scrutin) {
                    Some(e) => format!("{texte} ; {e}"),
                    None => texte,
                }
            });
            zone(cs, c, v.map_or(Valeur::Manquante, Valeur::Nombre), detail)
        })
        .collect();
    let place = place(scope);
    let libelle = mesure.libelle(snapshot);
    Dessin {
        titre: format!("{libelle} ({place}, {})", election_label(scrutin)),
        description: format!(
            "Carte de « {libelle} » sur {} {place} en {} classes ({}){}.",
            zones.len(),
            classement.n,
            classement.methode.libelle(),
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Classes {
                methode: classement.methode,
                n: classement.n,
                palette: classement.palette,
                unite: "%".to_owned(),
                decimales: 1,
            },
            libelle,
        )),
    }
}

/// The seat map of a legislative election: each constituency in the colour of its winner's
/// nuance or family.
pub fn sieges(
    snapshot: &Snapshot,
    scope: &Scope,
    scrutin: Scrutin,
    par: Par,
) -> Result<Dessin, ApiError> {
    verifier_sieges(scrutin)?;
    let cs = &snapshot.circonscriptions;
    let (avec, sans) = du_perimetre(snapshot, scope);
    let categorie = |c: &db::models::CandidatureCirconscription| match par {
        Par::Famille => c.famille_code.clone(),
        Par::Nuance => c.nuance.clone().unwrap_or_default(),
    };
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(
            |c| match cs.elu_de_l_election(&c.code, scrutin.type_election, scrutin.annee) {
                Some((_, e)) => zone(
                    cs,
                    c,
                    Valeur::Categorie(categorie(e)),
                    elu_texte(cs, &c.code, scrutin),
                ),
                None => zone(cs, c, Valeur::Manquante, Some("pas d'élu".to_owned())),
            },
        )
        .collect();
    let categories: Vec<(String, String)> = match par {
        Par::Famille => snapshot
            .familles
            .iter()
            .map(|f| (f.code.clone(), f.libelle.clone()))
            .collect(),
        Par::Nuance => {
            let mut nuances: Vec<(String, String, usize)> = snapshot
                .nuances_de(scrutin)
                .map(|n| {
                    let sieges = zones
                        .iter()
                        .filter(|z| z.valeur == Valeur::Categorie(n.code.clone()))
                        .count();
                    (
                        n.code.clone(),
                        format!("{} ({})", n.libelle, n.code),
                        sieges,
                    )
                })
                .collect();
            // Most seats first in the legend.
            nuances.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            nuances.into_iter().map(|(c, l, _)| (c, l)).collect()
        }
    };
    let place = place(scope);
    let election = format!("{} {}", scrutin.type_election.libelle(), scrutin.annee);
    let sur = match par {
        Par::Famille => "famille politique",
        Par::Nuance => "nuance",
    };
    Ok(Dessin {
        titre: format!("Sièges par {sur} ({place}, {election})"),
        description: format!(
            "Carte des sièges : chacune des {} {place} dans la couleur de la {sur} de son élu·e ({election}, 1er ou 2d tour){}.",
            zones.len(),
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Categories(categories),
            format!("Sièges par {sur}"),
        )),
    })
}

/// Seats are won in a legislative election only: a 400 for another.
pub fn verifier_sieges(scrutin: Scrutin) -> Result<(), ApiError> {
    if scrutin.type_election == TypeElection::Legislatives {
        Ok(())
    } else {
        Err(ApiError::parameter(
            "election",
            format!(
                "the seat map is of a legislative election, not {}",
                scrutin.election()
            ),
            None,
        ))
    }
}

/// The family of the most voted candidate of a round in each constituency.
pub fn famille_en_tete(snapshot: &Snapshot, scope: &Scope, scrutin: Scrutin) -> Dessin {
    let cs = &snapshot.circonscriptions;
    let (avec, sans) = du_perimetre(snapshot, scope);
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(|c| {
            let premier = cs
                .candidats(&c.code, scrutin)
                .iter()
                .max_by(|a, b| a.voix.cmp(&b.voix).then(b.rang.cmp(&a.rang)));
            match premier {
                Some(p) => {
                    let famille = snapshot
                        .famille(&p.famille_code)
                        .map_or_else(|| p.famille_code.clone(), |f| f.libelle.clone());
                    zone(
                        cs,
                        c,
                        Valeur::Categorie(p.famille_code.clone()),
                        Some(format!("{famille} ; en tête : {}", p.candidat)),
                    )
                }
                None => zone(cs, c, Valeur::Manquante, None),
            }
        })
        .collect();
    let categories = snapshot
        .familles
        .iter()
        .map(|f| (f.code.clone(), f.libelle.clone()))
        .collect();
    let place = place(scope);
    Dessin {
        titre: format!("Famille en tête ({place}, {})", election_label(scrutin)),
        description: format!(
            "Carte de la famille politique du candidat arrivé en tête dans chacune des {} {place}{}.",
            zones.len(),
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Categories(categories),
            "Famille en tête".to_owned(),
        )),
    }
}

/// The shift of a family's share of the valid votes between two rounds held by constituency,
/// in points, on a diverging palette centred on 0.
pub fn evolution(
    snapshot: &Snapshot,
    famille: &Famille,
    scope: &Scope,
    (de, a): (Scrutin, Scrutin),
    n: usize,
    palette: Palette,
) -> Dessin {
    let cs = &snapshot.circonscriptions;
    let mesure = Mesure::Part(famille.code.clone());
    let (avec, sans) = du_perimetre(snapshot, scope);
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(|c| {
            match (
                mesure.valeur(cs, &c.code, de),
                mesure.valeur(cs, &c.code, a),
            ) {
                (Some(avant), Some(apres)) => {
                    let ecart = super::r4(apres - avant);
                    zone(
                        cs,
                        c,
                        Valeur::Nombre(ecart),
                        Some(format!(
                            "{}{} pts ({} → {})",
                            if ecart > 0.0 { "+" } else { "" },
                            charts::fr(ecart, 1),
                            super::fr_pct(avant),
                            super::fr_pct(apres)
                        )),
                    )
                }
                _ => zone(cs, c, Valeur::Manquante, None),
            }
        })
        .collect();
    let place = place(scope);
    let (lde, la) = (election_label(de), election_label(a));
    Dessin {
        titre: format!("{} : évolution {lde} → {la} ({place})", famille.libelle),
        description: format!(
            "Carte de l'écart, en points, de la part des exprimés de la famille « {} » entre la {lde} et la {la} dans les {} {place}{}.",
            famille.libelle,
            zones.len(),
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Ecarts {
                n,
                palette,
                unite: "pts".to_owned(),
                decimales: 1,
            },
            format!("Écart en points, {}", famille.libelle),
        )),
    }
}

/// The LISA clusters of a measure over the constituencies: hot and cold spots, spatial
/// outliers, the others grey; those left out (no value, or an island without a neighbour)
/// hatched with the reason in their title.
pub fn lisa(
    snapshot: &Snapshot,
    l: &super::spatial::Lisa,
    mesure: &Mesure,
    scope: &Scope,
    scrutin: Scrutin,
) -> Dessin {
    let cs = &snapshot.circonscriptions;
    let (avec, sans) = du_perimetre(snapshot, scope);
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(|c| {
            if let Some(ligne) = l.lignes.iter().find(|x| x.code == c.code) {
                zone(
                    cs,
                    c,
                    Valeur::Categorie(ligne.quadrant.clone()),
                    Some(format!(
                        "{}, Ii = {}, p = {}",
                        super::fr_pct(ligne.valeur),
                        charts::fr(ligne.i, 2),
                        charts::fr(ligne.p, 3)
                    )),
                )
            } else {
                let valeur = l
                    .exclus
                    .iter()
                    .find(|e| e.code == c.code)
                    .map_or(Valeur::Manquante, |e| Valeur::Exclue(e.raison.clone()));
                zone(cs, c, valeur, None)
            }
        })
        .collect();
    let place = place(scope);
    let libelle = mesure.libelle(snapshot);
    Dessin {
        titre: format!(
            "Agrégats locaux (LISA) : {} ({place}, {})",
            libelle.to_lowercase(),
            election_label(scrutin)
        ),
        description: format!(
            "Carte des indicateurs locaux d'autocorrélation spatiale (Moran local, {} permutations conditionnelles) de « {libelle} » : points chauds, points froids et valeurs atypiques significatifs au seuil {}, sur {} circonscriptions ; contiguïté reine standardisée par ligne{}.",
            l.permutations,
            charts::fr(l.alpha, 3),
            l.n,
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Categories(charts::palette::categories_lisa()),
            format!("Moran local, {}", libelle.to_lowercase()),
        )),
    }
}

/// The forecast of one model on its test election: each constituency right or wrong, the
/// forecast and the actual family in its hover text; those left out of the forecast drawn
/// as missing with the reason.
pub fn previsions(
    snapshot: &Snapshot,
    scope: &Scope,
    resultat: &ml::prevision::Resultat,
) -> Dessin {
    let cs = &snapshot.circonscriptions;
    let (avec, sans) = du_perimetre(snapshot, scope);
    let famille = |code: &str| {
        snapshot
            .famille(code)
            .map_or_else(|| code.to_owned(), |f| f.libelle.clone())
    };
    let zones: Vec<Zone> = avec
        .into_iter()
        .map(
            |c| match resultat.previsions.iter().find(|p| p.code == c.code) {
                Some(p) => {
                    let juste = p.prevu == p.reel;
                    zone(
                        cs,
                        c,
                        Valeur::Categorie(if juste { "juste" } else { "faux" }.to_owned()),
                        Some(format!(
                            "prévu : {} ; réel : {}",
                            famille(&p.prevu),
                            famille(&p.reel)
                        )),
                    )
                }
                None => {
                    let raison = resultat
                        .exclus
                        .iter()
                        .find(|(code, _)| *code == c.code)
                        .map_or("pas de prévision", |(_, r)| r.as_str());
                    zone(cs, c, Valeur::Manquante, Some(raison.to_owned()))
                }
            },
        )
        .collect();
    let justes = zones
        .iter()
        .filter(|z| z.valeur == Valeur::Categorie("juste".to_owned()))
        .count();
    let faux = zones
        .iter()
        .filter(|z| z.valeur == Valeur::Categorie("faux".to_owned()))
        .count();
    let place = place(scope);
    let test = resultat.test.parse::<Scrutin>().map_or_else(
        |_| resultat.test.clone(),
        |s| format!("{} {}", s.type_election.libelle(), s.annee),
    );
    Dessin {
        titre: format!(
            "{} : prévision juste ou fausse ({test})",
            resultat
                .libelle
                .strip_prefix("Référence : ")
                .unwrap_or(&resultat.libelle)
        ),
        description: format!(
            "{} : {} ({}), appris sur {} ; {justes} justes et {faux} fausses sur les {} {place} dessinées{}.",
            resultat.cible.libelle(),
            resultat.libelle,
            resultat.modele,
            resultat
                .entrainement
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(" et "),
            justes + faux,
            note_sans_territoire(&sans)
        ),
        forme: Forme::Carte(carte(
            snapshot,
            scope,
            zones,
            sans,
            Coloriage::Categories(vec![
                ("juste".to_owned(), "Juste".to_owned()),
                ("faux".to_owned(), "Fausse".to_owned()),
            ]),
            "Prévision".to_owned(),
        )),
    }
}
