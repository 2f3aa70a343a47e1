//! Spatial autocorrelation of an indicator over the départements of a scope: the queen
//! contiguity weights from the neighbours table (row-standardised), restricted to the
//! départements of the scope that have a value and a neighbour among them; global Moran's I
//! and local Moran (LISA), computed by [`ml::spatial`] with esda's formulas.

use db::{Scrutin, Snapshot, Variable};
use ml::spatial::{self, Local, Moran, Poids, SpatialError};
use serde::Serialize;
use utoipa::ToSchema;

use super::Scope;
use super::circonscriptions::{Mesure, dans};
use super::indicateurs::departements;
use crate::error::ApiError;

/// Permutations by default, and their bounds.
pub const PERMUTATIONS: usize = 999;
pub const MIN_PERMUTATIONS: usize = 99;
pub const MAX_PERMUTATIONS: usize = 9999;
/// Significance level of the LISA clusters by default.
pub const ALPHA: f64 = 0.05;
/// The permutations' seed: the same URL always gives the same p-values.
pub const SEED: u64 = 20_220_410;

/// The LISA clusters' significance: the level, and whether it bounds the false discovery
/// rate (Benjamini-Hochberg) rather than each test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seuil {
    pub alpha: f64,
    pub fdr: bool,
}

impl Seuil {
    /// Each unit at 5 %, uncorrected: the default.
    pub const DEFAUT: Seuil = Seuil {
        alpha: ALPHA,
        fdr: false,
    };

    /// The permutations to draw for `n` tests: with the FDR, at least ⌈n / alpha⌉ so that the
    /// smallest pseudo p-value, 1 / (permutations + 1), can pass Benjamini-Hochberg's first
    /// threshold alpha / n (at most [`MAX_PERMUTATIONS_FDR`]).
    pub fn permutations(self, asked: usize, n: usize) -> usize {
        if self.fdr {
            let needed = (n as f64 / self.alpha).ceil() as usize;
            asked.max(needed.min(MAX_PERMUTATIONS_FDR))
        } else {
            asked
        }
    }
}

/// Most permutations drawn for the false discovery rate (577 constituencies at 0.05 need
/// 11,540).
pub const MAX_PERMUTATIONS_FDR: usize = 20_000;

/// A département left out of the weights, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Exclu {
    #[schema(example = "976")]
    pub code: String,
    #[schema(example = "Mayotte")]
    pub nom: String,
    /// `sans valeur` (the indicator is missing) or `sans voisin` (no neighbour in the scope:
    /// an island, an overseas département).
    #[schema(example = "sans voisin")]
    pub raison: String,
}

/// The observations of a statistic: codes, names, values and weights, and who is left out.
pub struct Echantillon {
    pub codes: Vec<String>,
    pub noms: Vec<String>,
    pub valeurs: Vec<f64>,
    pub poids: Poids,
    pub exclus: Vec<Exclu>,
}

/// The départements of the scope with a value of `variable` and at least one neighbour with
/// one too (dropping an isolated one may isolate another: repeated until none is).
pub fn echantillon(
    snapshot: &Snapshot,
    variable: Variable,
    scope: &Scope,
) -> Result<Echantillon, ApiError> {
    let observations = departements(snapshot, scope)
        .into_iter()
        .map(|r| {
            let v = r.variable(variable);
            (r.code, r.nom, v)
        })
        .collect();
    echantillon_de(
        observations,
        |code| snapshot.voisins(code),
        "département(s)",
        variable.code(),
    )
}

/// The observations (code, name, value) with a value and at least one neighbour with one
/// too, `voisins` giving each code's neighbours; `unites` names them in errors.
pub fn echantillon_de<'a>(
    observations: Vec<(String, String, Option<f64>)>,
    voisins: impl Fn(&str) -> &'a [String],
    unites: &str,
    variable: &str,
) -> Result<Echantillon, ApiError> {
    let mut exclus = Vec::new();
    let mut gardes: Vec<(String, String, f64)> = Vec::new();
    for (code, nom, v) in observations {
        match v {
            Some(v) if v.is_finite() => gardes.push((code, nom, v)),
            _ => exclus.push(Exclu {
                code,
                nom,
                raison: "sans valeur".into(),
            }),
        }
    }
    loop {
        let isoles: Vec<usize> = (0..gardes.len())
            .filter(|&i| {
                !voisins(&gardes[i].0)
                    .iter()
                    .any(|v| gardes.iter().any(|g| &g.0 == v))
            })
            .collect();
        if isoles.is_empty() {
            break;
        }
        for &i in isoles.iter().rev() {
            let (code, nom, _) = gardes.remove(i);
            exclus.push(Exclu {
                code,
                nom,
                raison: "sans voisin".into(),
            });
        }
    }
    exclus.sort_by(|a, b| a.code.cmp(&b.code));
    let index: std::collections::HashMap<&str, usize> = gardes
        .iter()
        .enumerate()
        .map(|(i, g)| (g.0.as_str(), i))
        .collect();
    let liens: Vec<Vec<usize>> = gardes
        .iter()
        .map(|g| {
            voisins(&g.0)
                .iter()
                .filter_map(|v| index.get(v.as_str()).copied())
                .collect()
        })
        .collect();
    drop(index);
    let n = gardes.len();
    let poids = Poids::nouveaux(liens)
        .ok_or_else(|| ApiError::Internal("the contiguity weights have an isolated unit".into()))?;
    if n < spatial::MIN_N {
        return Err(ApiError::Unprocessable {
            detail: format!(
                "only {n} {unites} of this scope have a value of '{variable}' and a neighbour with one; Moran's I needs at least {}",
                spatial::MIN_N
            ),
            parametre: Some("variable".into()),
        });
    }
    let (codes, (noms, valeurs)) = gardes.into_iter().map(|(c, n, v)| (c, (n, v))).unzip();
    Ok(Echantillon {
        codes,
        noms,
        valeurs,
        poids,
        exclus,
    })
}

fn unprocessable(variable: &str, error: SpatialError) -> ApiError {
    ApiError::Unprocessable {
        detail: format!("'{variable}': {error}"),
        parametre: Some("variable".into()),
    }
}

/// What a spatial statistic is about: the indicator and the scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Portee {
    #[schema(example = "part_extreme_droite")]
    pub variable: String,
    /// The round's id where it is not presidential; absent for a presidential round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub election: Option<String>,
    pub annee: i32,
    pub tour: i32,
    pub trimestre: String,
    pub region: Option<String>,
    #[schema(example = "metropole")]
    pub perimetre: String,
    /// `circonscription` for the statistics of the constituencies (absent for départements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub niveau: Option<String>,
}

impl Portee {
    fn de(variable: Variable, scope: &Scope) -> Portee {
        Portee {
            variable: variable.code().to_owned(),
            election: super::scope::election_id(scope.scrutin),
            annee: scope.scrutin.annee,
            tour: scope.scrutin.tour,
            trimestre: scope.trimestre.to_string(),
            region: scope.region_code().map(str::to_owned),
            perimetre: scope.perimetre.code().to_owned(),
            niveau: None,
        }
    }

    fn des_circonscriptions(mesure: &Mesure, scope: &Scope, scrutin: Scrutin) -> Portee {
        Portee {
            variable: mesure.code(),
            election: Some(scrutin.id()),
            annee: scrutin.annee,
            tour: scrutin.tour,
            trimestre: super::scope::default_quarter(scrutin.annee).to_string(),
            region: scope.region_code().map(str::to_owned),
            perimetre: scope.perimetre.code().to_owned(),
            niveau: Some("circonscription".to_owned()),
        }
    }
}

/// Global Moran's I of an indicator.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoranGlobal {
    #[serde(flatten)]
    pub portee: Portee,
    /// Départements in the weights.
    #[schema(example = 94)]
    pub n: usize,
    /// Moran's I.
    pub i: f64,
    /// Its expectation under no autocorrelation, -1 / (n - 1).
    pub esperance: f64,
    /// Its variance under normality and under randomisation.
    pub variance_normalite: f64,
    pub variance_randomisation: f64,
    pub z_normalite: f64,
    pub z_randomisation: f64,
    /// Two-sided p-values of the z-scores.
    pub p_normalite: f64,
    pub p_randomisation: f64,
    /// Pseudo p-value from the random permutations: (k + 1) / (permutations + 1), k the
    /// permutations as extreme as the data, in the smaller tail.
    pub p_permutations: f64,
    pub permutations: usize,
    /// Seed of the permutations (fixed: the same URL gives the same answer).
    pub graine: u64,
    /// How the weights are built.
    #[schema(
        example = "contiguïté reine (voisins partageant au moins un point), standardisée par ligne"
    )]
    pub poids: String,
    /// The départements left out.
    pub exclus: Vec<Exclu>,
    /// What the statistic covers when units without a neighbour were left out (the
    /// overseas départements of `perimetre=france`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avertissement: Option<String>,
}

const POIDS: &str =
    "contiguïté reine (voisins partageant au moins un point), standardisée par ligne";

/// Global Moran's I of `variable` over the scope.
pub fn moran(
    snapshot: &Snapshot,
    variable: Variable,
    scope: &Scope,
    permutations: usize,
) -> Result<MoranGlobal, ApiError> {
    let e = echantillon(snapshot, variable, scope)?;
    moran_de(e, Portee::de(variable, scope), permutations)
}

/// The observations of a measure over the constituencies of a scope that have a territory.
fn echantillon_circonscriptions(
    snapshot: &Snapshot,
    mesure: &Mesure,
    scope: &Scope,
    scrutin: Scrutin,
) -> Result<Echantillon, ApiError> {
    let cs = &snapshot.circonscriptions;
    let observations = cs
        .liste
        .iter()
        .filter(|c| cs.contour(&c.code).is_some() && dans(snapshot, scope, c))
        .map(|c| {
            (
                c.code.clone(),
                c.nom.clone(),
                mesure.valeur(cs, &c.code, scrutin),
            )
        })
        .collect();
    echantillon_de(
        observations,
        |code| cs.voisins(code),
        "constituencies",
        &mesure.code(),
    )
}

/// Global Moran's I of a measure over the constituencies of a scope (those with a territory
/// and a neighbour).
pub fn moran_circonscriptions(
    snapshot: &Snapshot,
    mesure: &Mesure,
    scope: &Scope,
    scrutin: Scrutin,
    permutations: usize,
) -> Result<MoranGlobal, ApiError> {
    let e = echantillon_circonscriptions(snapshot, mesure, scope, scrutin)?;
    moran_de(
        e,
        Portee::des_circonscriptions(mesure, scope, scrutin),
        permutations,
    )
}

fn moran_de(e: Echantillon, portee: Portee, permutations: usize) -> Result<MoranGlobal, ApiError> {
    let m: Moran = spatial::moran(&e.poids, &e.valeurs, permutations, SEED)
        .map_err(|error| unprocessable(&portee.variable, error))?;
    let avertissement = avertissement(&e, &portee);
    Ok(MoranGlobal {
        portee,
        n: m.n,
        i: m.i,
        esperance: m.esperance,
        variance_normalite: m.variance_normalite,
        variance_randomisation: m.variance_randomisation,
        z_normalite: m.z_normalite,
        z_randomisation: m.z_randomisation,
        p_normalite: m.p_normalite,
        p_randomisation: m.p_randomisation,
        p_permutations: m.p_permutations,
        permutations: m.permutations,
        graine: SEED,
        poids: POIDS.to_owned(),
        avertissement,
        exclus: e.exclus,
    })
}

/// One département's local Moran.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LigneLisa {
    #[schema(example = "59")]
    pub code: String,
    pub nom: String,
    pub valeur: f64,
    /// Standardised value and its spatial lag (the neighbours' mean).
    pub z: f64,
    pub decalage: f64,
    /// Local Moran Ii (esda's scaling).
    pub i: f64,
    /// Pseudo p-value from the conditional permutations.
    pub p: f64,
    /// With `correction=fdr`: the Benjamini-Hochberg adjusted p-value, compared with alpha.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_fdr: Option<f64>,
    /// `HH`, `LL`, `HL` or `LH` when p ≤ alpha (or the adjusted p-value, with the FDR):
    /// high among high, low among low, high among low, low among high; `ns` otherwise.
    #[schema(example = "HH")]
    pub quadrant: String,
}

/// Local Moran of every département of the scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lisa {
    #[serde(flatten)]
    pub portee: Portee,
    pub n: usize,
    pub alpha: f64,
    /// `aucune` (each unit's p-value against alpha: with n tests, about alpha × n false
    /// clusters expected) or `fdr` (Benjamini-Hochberg).
    #[schema(example = "fdr")]
    pub correction: String,
    /// Permutations drawn (raised to ⌈n / alpha⌉ with the FDR).
    pub permutations: usize,
    pub graine: u64,
    pub poids: String,
    pub lignes: Vec<LigneLisa>,
    pub exclus: Vec<Exclu>,
    /// What the statistic covers when units without a neighbour were left out (the
    /// overseas départements of `perimetre=france`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avertissement: Option<String>,
}

/// The cluster code of a local Moran whose (adjusted) p-value is `p`, at level `alpha`.
pub fn quadrant(local: &Local, p: f64, alpha: f64) -> &'static str {
    if p > alpha {
        return "ns";
    }
    match local.quadrant {
        1 => "HH",
        2 => "LH",
        3 => "LL",
        _ => "HL",
    }
}

/// Local Moran (LISA) of `variable` over the scope, clusters at `alpha`.
pub fn lisa(
    snapshot: &Snapshot,
    variable: Variable,
    scope: &Scope,
    permutations: usize,
    seuil: Seuil,
) -> Result<Lisa, ApiError> {
    let e = echantillon(snapshot, variable, scope)?;
    lisa_de(e, Portee::de(variable, scope), permutations, seuil)
}

/// Local Moran (LISA) of a measure over the constituencies of a scope.
pub fn lisa_circonscriptions(
    snapshot: &Snapshot,
    mesure: &Mesure,
    scope: &Scope,
    scrutin: Scrutin,
    permutations: usize,
    seuil: Seuil,
) -> Result<Lisa, ApiError> {
    let e = echantillon_circonscriptions(snapshot, mesure, scope, scrutin)?;
    lisa_de(
        e,
        Portee::des_circonscriptions(mesure, scope, scrutin),
        permutations,
        seuil,
    )
}

fn lisa_de(
    e: Echantillon,
    portee: Portee,
    permutations: usize,
    seuil: Seuil,
) -> Result<Lisa, ApiError> {
    let permutations = seuil.permutations(permutations, e.codes.len());
    let locaux = spatial::lisa(&e.poids, &e.valeurs, permutations, SEED)
        .map_err(|error| unprocessable(&portee.variable, error))?;
    let ajustees = seuil.fdr.then(|| {
        let p: Vec<f64> = locaux.iter().map(|l| l.p).collect();
        spatial::benjamini_hochberg(&p)
    });
    let lignes = locaux
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let p_fdr = ajustees.as_ref().map(|q| q[k]);
            LigneLisa {
                code: e.codes[k].clone(),
                nom: e.noms[k].clone(),
                valeur: e.valeurs[k],
                z: l.z,
                decalage: l.lag,
                i: l.i,
                p: l.p,
                p_fdr,
                quadrant: quadrant(l, p_fdr.unwrap_or(l.p), seuil.alpha).to_owned(),
            }
        })
        .collect();
    let avertissement = avertissement(&e, &portee);
    Ok(Lisa {
        portee,
        n: e.codes.len(),
        alpha: seuil.alpha,
        correction: if seuil.fdr { "fdr" } else { "aucune" }.to_owned(),
        permutations,
        graine: SEED,
        poids: POIDS.to_owned(),
        lignes,
        exclus: e.exclus,
        avertissement,
    })
}

/// Says what a statistic covers when units without a neighbour were left out: over
/// `perimetre=france`, the overseas départements (islands, Guyane) have none, so the figure
/// is the metropolitan one, not a "France" figure.
fn avertissement(e: &Echantillon, portee: &Portee) -> Option<String> {
    let sans_voisin: Vec<&Exclu> = e
        .exclus
        .iter()
        .filter(|x| x.raison == "sans voisin")
        .collect();
    if sans_voisin.is_empty() {
        return None;
    }
    let unites = if portee.niveau.is_some() {
        "circonscriptions"
    } else {
        "départements"
    };
    let outre_mer = sans_voisin
        .iter()
        .all(|x| db::domaine::est_outre_mer(x.code.split('-').next().unwrap_or(&x.code)));
    let metropole = if portee.perimetre == "france" && portee.region.is_none() && outre_mer {
        " : c'est celle de la métropole (perimetre=metropole), pas un chiffre de la France entière"
    } else {
        ""
    };
    Some(format!(
        "{} {unites} sans voisin dans ce périmètre sont hors calcul (îles, outre-mer) ; la statistique porte sur les {} autres{metropole}.",
        sans_voisin.len(),
        e.codes.len()
    ))
}

/// A permutation p-value in words, for people.
pub fn en_mots(p: f64, permutations: usize) -> String {
    if p <= 1.0 / (permutations as f64 + 1.0) + 1e-12 {
        format!("très significatif (aucune des {permutations} permutations n'atteint cette valeur)")
    } else if p < 0.01 {
        "significatif (p < 0,01)".to_owned()
    } else if p < 0.05 {
        "significatif au seuil de 5 %".to_owned()
    } else {
        "non significatif au seuil de 5 %".to_owned()
    }
}
