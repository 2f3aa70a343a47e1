//! The data behind each chart: what to draw, with its default title and description, as a
//! typed [`Dessin`]. Nothing is drawn here: the render layer (`render::draw`) turns a `Dessin` and a
//! look into SVG, for the routes, the dashboard and `images/` alike.
//!
//! About 420 lines: one function per chart of the catalogue, each short, side by side so
//! that their titles and descriptions stay consistent.

use charts::{Bar, BoxGroup, ScatterPoint};
use db::models::Departement;
use db::snapshot::percentage;
use db::{Scrutin, Snapshot, Variable};

use super::correlations::{self, Methode};
use super::departements;
use super::indicateurs::{Ligne, departements as rows, lignes};
use super::resultats::{ResultatTour, resultat_departement};
use super::{Scope, fr_pct};
use crate::error::ApiError;
use crate::stats;

/// What a chart shows, ready to draw.
#[derive(Debug, Clone)]
pub struct Dessin {
    /// Used when the request gives no title.
    pub titre: String,
    /// The chart's `<desc>`.
    pub description: String,
    pub forme: Forme,
}

/// The kind of chart and its data.
#[derive(Debug, Clone)]
pub enum Forme {
    Histogramme {
        axe: &'static str,
        valeurs: Vec<f64>,
        classes: usize,
    },
    Matrice {
        libelles: Vec<String>,
        matrice: Vec<Vec<Option<f64>>>,
    },
    Nuage {
        axe_x: &'static str,
        axe_y: &'static str,
        points: Vec<ScatterPoint>,
        familles: Vec<(String, String)>,
        droite: Option<(f64, f64, String)>,
    },
    Boites {
        axe: &'static str,
        groupes: Vec<BoxGroup>,
    },
    Barres {
        axe: &'static str,
        barres: Vec<Bar>,
    },
    Ecarts {
        axe: &'static str,
        barres: Vec<Bar>,
    },
    Serie {
        axe: &'static str,
        points: Vec<(f64, f64)>,
        repere: Option<(f64, String)>,
    },
    /// A map of the départements (see [`super::cartes`]).
    Carte(charts::carte::Carte),
}

impl Dessin {
    /// Whether there is anything to draw, checked on the data (nothing is rendered): the
    /// dashboard says so in a sentence rather than showing a broken image.
    pub fn dessinable(&self) -> Result<(), ApiError> {
        let vide = |detail: &str| Err(ApiError::NotFound(format!("no data to draw: {detail}")));
        let fini = |v: &f64| v.is_finite();
        match &self.forme {
            Forme::Histogramme { valeurs, .. } if !valeurs.iter().any(fini) => vide("no value"),
            Forme::Nuage { points, .. } if points.is_empty() => vide("no point"),
            Forme::Boites { groupes, .. } if !groupes.iter().any(|g| g.values.iter().any(fini)) => {
                vide("no value in any group")
            }
            Forme::Barres { barres, .. } | Forme::Ecarts { barres, .. } if barres.is_empty() => {
                vide("no bar")
            }
            Forme::Serie { points, .. } if points.is_empty() => vide("no point"),
            Forme::Carte(carte) => super::cartes::vide(carte),
            _ => Ok(()),
        }
    }
}

pub(super) fn tour_label(tour: i32) -> &'static str {
    if tour == 2 { "2d tour" } else { "1er tour" }
}

/// `1er tour 2022` for a presidential round; `1er tour des législatives 2024` otherwise.
pub(super) fn scrutin_label(scrutin: Scrutin) -> String {
    match scrutin.type_election {
        db::TypeElection::Presidentielle => {
            format!("{} {}", tour_label(scrutin.tour), scrutin.annee)
        }
        t => format!(
            "{} des {} {}",
            tour_label(scrutin.tour),
            t.libelle(),
            scrutin.annee
        ),
    }
}

/// `présidentielle 2022, 1er tour`: the election, then the round.
pub(super) fn election_label(scrutin: Scrutin) -> String {
    format!(
        "{} {}, {}",
        scrutin.type_election.libelle(),
        scrutin.annee,
        tour_label(scrutin.tour)
    )
}

/// Distribution of an indicator over the départements of the scope.
pub fn histogramme(
    snapshot: &Snapshot,
    variable: Variable,
    scope: &Scope,
    classes: usize,
) -> Dessin {
    let place = scope.place();
    let valeurs: Vec<f64> = rows(snapshot, scope)
        .iter()
        .filter_map(|r| r.variable(variable))
        .collect();
    let (axe, court) = (variable.libelle(), variable.court());
    let when = if variable == Variable::TauxChomage {
        scope.trimestre.to_string()
    } else {
        election_label(scope.scrutin)
    };
    Dessin {
        titre: format!("Distribution : {} ({place}, {when})", court.to_lowercase()),
        description: format!(
            "Histogramme en {classes} classes de « {axe} » sur {} {place}.",
            valeurs.len()
        ),
        forme: Forme::Histogramme {
            axe,
            valeurs,
            classes,
        },
    }
}

/// Moran scatter plot: each département's standardised value against its spatial lag (its
/// neighbours' mean), coloured by LISA cluster; the least-squares line's slope is Moran's I.
pub fn moran(
    variable: Variable,
    scope: &Scope,
    m: &super::spatial::MoranGlobal,
    l: &super::spatial::Lisa,
) -> Dessin {
    let points: Vec<ScatterPoint> = l
        .lignes
        .iter()
        .map(|x| ScatterPoint {
            x: x.z,
            y: x.decalage,
            famille: x.quadrant.clone(),
        })
        .collect();
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let droite = stats::linear_fit(&xs, &ys)
        .map(|(a, b)| (a, b, format!("Pente = I de Moran = {}", charts::fr(m.i, 3))));
    let place = scope.place();
    Dessin {
        titre: format!(
            "Diagramme de Moran : {} ({place}, n = {}, I = {}, p = {})",
            variable.court().to_lowercase(),
            m.n,
            charts::fr(m.i, 2),
            charts::fr(m.p_permutations, 3)
        ),
        description: format!(
            "Chaque département : valeur standardisée de « {} » en abscisse, moyenne standardisée de ses voisins en ordonnée ; la pente de la droite des moindres carrés est l'I de Moran ({} permutations).",
            variable.libelle(),
            m.permutations
        ),
        forme: Forme::Nuage {
            axe_x: "Valeur standardisée (écarts-types)",
            axe_y: "Moyenne des voisins (décalage spatial)",
            points,
            familles: charts::palette::categories_lisa(),
            droite,
        },
    }
}

/// Correlation matrix of indicators, values in the cells.
pub fn matrice(
    snapshot: &Snapshot,
    scope: &Scope,
    variables: &[Variable],
    methode: Methode,
) -> Result<Dessin, ApiError> {
    let c = correlations::compute(snapshot, scope, variables, methode)?;
    let libelles: Vec<String> = variables.iter().map(|v| v.court().to_owned()).collect();
    let nom = match methode {
        Methode::Spearman => "Spearman",
        Methode::Pearson => "Pearson",
    };
    Ok(Dessin {
        titre: format!(
            "Corrélations ({nom}, n = {}, {} , {})",
            c.n,
            scrutin_label(Scrutin::new(c.annee, c.tour)),
            c.trimestre
        )
        .replace(" ,", ","),
        description: format!(
            "Matrice des corrélations de {nom} entre {} sur {} départements ; valeurs dans les cases.",
            libelles.join(", "),
            c.n
        ),
        forme: Forme::Matrice {
            libelles,
            matrice: c.matrice,
        },
    })
}

/// Scatter plot of two indicators, one point per département coloured by its leading family,
/// with the least-squares line and r when `regression`.
pub fn nuage(
    snapshot: &Snapshot,
    scope: &Scope,
    x: Variable,
    y: Variable,
    regression: bool,
) -> Dessin {
    let place = scope.place();
    // Borrowed rows, two values read from each: building the full rows was a quarter of an
    // uncached scatter.
    let lignes: Vec<(Ligne, Option<f64>, Option<f64>)> = lignes(snapshot, scope)
        .into_iter()
        .filter(Ligne::est_departement)
        .map(|l| (l, l.variable(x), l.variable(y)))
        .collect();
    let points: Vec<ScatterPoint> = lignes
        .iter()
        .filter_map(|(l, x, y)| {
            Some(ScatterPoint {
                x: (*x)?,
                y: (*y)?,
                famille: l.famille_gagnante().to_owned(),
            })
        })
        .collect();
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let droite = if regression {
        match (stats::linear_fit(&xs, &ys), stats::pearson(&xs, &ys)) {
            (Some((a, b)), Some(r)) => {
                Some((a, b, format!("Moindres carrés : r = {}", charts::fr(r, 2))))
            }
            _ => None,
        }
    } else {
        None
    };
    let familles: Vec<(String, String)> = snapshot
        .familles_de(scope.scrutin)
        .into_iter()
        .map(|f| (f.code.clone(), format!("{} en tête", f.libelle)))
        .collect();
    let ((axe_x, x_court), (axe_y, y_court)) = ((x.libelle(), x.court()), (y.libelle(), y.court()));
    // The départements of the scope left out for a missing value, said in the title.
    let hors: Vec<&str> = lignes
        .iter()
        .filter(|(_, x, y)| x.is_none() || y.is_none())
        .map(|(l, _, _)| l.code())
        .collect();
    let hors_titre = if hors.is_empty() {
        String::new()
    } else {
        format!(" ; sans valeur : {}", hors.join(", "))
    };
    Dessin {
        titre: format!(
            "{y_court} selon {} ({place}, n = {}, {}{hors_titre})",
            x_court.to_lowercase(),
            points.len(),
            scrutin_label(scope.scrutin)
        ),
        description: format!(
            "Nuage de points : « {axe_y} » en fonction de « {axe_x} », un point par département coloré par la famille politique arrivée en tête ; n = {}{hors_titre}.",
            points.len()
        ),
        forme: Forme::Nuage {
            axe_x,
            axe_y,
            points,
            familles,
            droite,
        },
    }
}

/// Box plots of an indicator by the family leading in each département.
pub fn boites(snapshot: &Snapshot, variable: Variable, scope: &Scope) -> Dessin {
    let place = scope.place();
    let data = rows(snapshot, scope);
    let groupes: Vec<BoxGroup> = snapshot
        .familles_de(scope.scrutin)
        .into_iter()
        .map(|f| BoxGroup {
            famille: f.code.clone(),
            libelle: format!("{} en tête", f.libelle),
            values: data
                .iter()
                .filter(|r| r.famille_gagnante == f.code)
                .filter_map(|r| r.variable(variable))
                .collect(),
        })
        .collect();
    let (axe, court) = (variable.libelle(), variable.court());
    Dessin {
        titre: format!(
            "{court} selon la famille arrivée en tête ({place}, {})",
            scrutin_label(scope.scrutin)
        ),
        description: format!(
            "Boîtes à moustaches de « {axe} » par famille politique arrivée en tête : quartiles, moustaches à 1,5 écart interquartile, points au-delà."
        ),
        forme: Forme::Boites { axe, groupes },
    }
}

fn round_of(
    snapshot: &Snapshot,
    d: &Departement,
    scrutin: Scrutin,
) -> Result<(String, ResultatTour), ApiError> {
    resultat_departement(snapshot, &d.code, scrutin)
        .map(|round| (d.nom.clone(), round))
        .ok_or_else(|| ApiError::NotFound(format!("no results for {} in {scrutin}", d.nom)))
}

/// A family's votes as a bar, annotated with its share of valid votes.
fn barre_famille(f: &super::resultats::ResultatFamille) -> Bar {
    Bar {
        label: f.libelle.clone(),
        value: f.voix as f64,
        famille: f.famille.clone(),
        annotation: fr_pct(f.part_exprimes),
        error: None,
    }
}

/// A département's votes by political family.
pub fn familles(
    snapshot: &Snapshot,
    d: &Departement,
    scrutin: Scrutin,
) -> Result<Dessin, ApiError> {
    let (nom, round) = round_of(snapshot, d, scrutin)?;
    let barres: Vec<Bar> = round.familles.iter().map(barre_famille).collect();
    Ok(Dessin {
        titre: format!(
            "{nom} : voix par famille politique ({})",
            scrutin_label(Scrutin::new(round.annee, round.tour))
        ),
        description: format!(
            "Voix de chaque famille politique dans le département {nom} et part des exprimés."
        ),
        forme: Forme::Barres {
            axe: "Voix",
            barres,
        },
    })
}

/// A département's candidate results, best first.
pub fn candidats(
    snapshot: &Snapshot,
    d: &Departement,
    scrutin: Scrutin,
) -> Result<Dessin, ApiError> {
    let (nom, round) = round_of(snapshot, d, scrutin)?;
    let mut candidats = round.candidats.clone();
    candidats.sort_by(|a, b| b.voix.cmp(&a.voix).then(a.candidat_id.cmp(&b.candidat_id)));
    let barres: Vec<Bar> = candidats
        .iter()
        .map(|c| Bar {
            label: format!("{} {}", c.prenom, c.nom),
            value: c.voix as f64,
            famille: c.famille.clone(),
            annotation: fr_pct(percentage(c.voix, round.exprimes)),
            error: None,
        })
        .collect();
    Ok(Dessin {
        titre: format!(
            "{nom} : résultats des candidats ({})",
            scrutin_label(Scrutin::new(round.annee, round.tour))
        ),
        description: format!(
            "Voix de chaque candidat dans le département {nom}, du premier au dernier, avec la part des exprimés."
        ),
        forme: Forme::Barres {
            axe: "Voix",
            barres,
        },
    })
}

/// A département's quarterly unemployment rate, with the 2022 election marked.
pub fn chomage(snapshot: &Snapshot, d: &Departement) -> Result<Dessin, ApiError> {
    let serie = snapshot.chomage(&d.code);
    let points: Vec<(f64, f64)> = serie
        .iter()
        .map(|c| {
            (
                f64::from(c.annee) + f64::from(c.trimestre - 1) / 4.0,
                c.taux,
            )
        })
        .collect();
    let (Some(first), Some(last)) = (serie.first(), serie.last()) else {
        return Err(ApiError::NotFound(format!(
            "INSEE publishes no unemployment series for {} ({})",
            d.nom, d.code
        )));
    };
    let (first, last) = (first.annee, last.annee);
    Ok(Dessin {
        titre: format!("{} : taux de chômage trimestriel, {first}-{last}", d.nom),
        description: format!(
            "Taux de chômage localisé (BIT, CVS) du département {} par trimestre ; la ligne verticale marque la présidentielle d'avril 2022.",
            d.nom
        ),
        forme: Forme::Serie {
            axe: "Taux de chômage (%)",
            points,
            repere: Some((2022.25, "Présidentielle 2022".to_owned())),
        },
    })
}

/// The 2017 -> 2022 shift of each family's share (percentage points) and of participation,
/// for a département or the whole country.
pub fn evolution(
    snapshot: &Snapshot,
    departement: Option<&Departement>,
    tour: i32,
) -> Result<Dessin, ApiError> {
    let e = departements::evolution(snapshot, departement, tour)
        .ok_or_else(|| ApiError::NotFound("no 2017 and 2022 results to compare".into()))?;
    let points = |v: f64| {
        let sign = if v > 0.0 { "+" } else { "" };
        format!("{sign}{} pts", charts::fr(v, 1))
    };
    let mut barres: Vec<Bar> = e
        .familles
        .iter()
        .map(|f| Bar {
            label: f.libelle.clone(),
            value: f.ecart_points,
            famille: f.famille.clone(),
            annotation: format!(
                "{} ({} → {})",
                points(f.ecart_points),
                fr_pct(f.part_2017),
                fr_pct(f.part_2022)
            ),
            error: None,
        })
        .collect();
    barres.push(Bar {
        label: "Participation".into(),
        value: e.ecart_participation_points,
        famille: String::new(),
        annotation: format!(
            "{} ({} → {})",
            points(e.ecart_participation_points),
            fr_pct(e.participation_2017),
            fr_pct(e.participation_2022)
        ),
        error: None,
    });
    Ok(Dessin {
        titre: format!(
            "{} : évolution 2017 → 2022 par famille ({})",
            e.nom,
            tour_label(tour)
        ),
        description: format!(
            "Écart en points de la part des exprimés de chaque famille politique et de la participation entre les présidentielles 2017 et 2022, {}.",
            e.nom
        ),
        forme: Forme::Ecarts {
            axe: "Écart 2022 - 2017 (points de pourcentage)",
            barres,
        },
    })
}

/// How the national results chart groups the votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regroupement {
    Famille,
    /// By the Ministry's political label (elections by label), or by candidate (presidential).
    Nuance,
}

/// The national result of a round: votes by family, or by label (by candidate for a
/// presidential round), most voted first, each bar in its family's colour.
pub fn resultats_nationaux(
    snapshot: &Snapshot,
    scrutin: Scrutin,
    par: Regroupement,
) -> Result<Dessin, ApiError> {
    let round = super::resultats::national_result(snapshot, scrutin)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {scrutin}")))?;
    let mut barres: Vec<Bar> = match par {
        Regroupement::Famille => round.familles.iter().map(barre_famille).collect(),
        Regroupement::Nuance => round
            .nuances
            .iter()
            .map(|n| Bar {
                label: format!("{} ({})", n.libelle, n.nuance),
                value: n.voix as f64,
                famille: n.famille.clone(),
                annotation: fr_pct(n.pct_voix_exprimes),
                error: None,
            })
            .chain(round.candidats.iter().map(|c| Bar {
                label: format!("{} {}", c.prenom, c.nom),
                value: c.voix as f64,
                famille: c.famille.clone(),
                annotation: fr_pct(c.pct_voix_exprimes),
                error: None,
            }))
            .collect(),
    };
    if par == Regroupement::Nuance {
        barres.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.label.cmp(&b.label))
        });
    }
    let (quoi, description) = match (par, scrutin.type_election.par_nuance()) {
        (Regroupement::Famille, _) => (
            "voix par famille politique",
            "Voix de chaque famille politique en France entière (tous les départements, l'outre-mer et l'étranger) et part des exprimés.",
        ),
        (Regroupement::Nuance, true) => (
            "voix par nuance",
            "Voix de chaque nuance politique du ministère de l'Intérieur en France entière, de la plus à la moins votée, colorée selon sa famille, avec la part des exprimés.",
        ),
        (Regroupement::Nuance, false) => (
            "voix par candidat",
            "Voix de chaque candidat en France entière, du premier au dernier, coloré selon sa famille, avec la part des exprimés.",
        ),
    };
    Ok(Dessin {
        titre: format!("France entière : {quoi} ({})", election_label(scrutin)),
        description: description.to_owned(),
        forme: Forme::Barres {
            axe: "Voix",
            barres,
        },
    })
}
