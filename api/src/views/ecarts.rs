//! The shift between any two rounds of any elections (`de`, then `a`): each family's share
//! and participation, for the country or a département.

use db::models::Departement;
use db::{Scrutin, Snapshot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::r4;
use super::resultats::{ResultatTour, national_result, resultat_departement};

/// A political family between any two rounds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EcartFamille {
    #[schema(example = "extreme_droite")]
    pub famille: String,
    #[schema(example = "Extrême droite")]
    pub libelle: String,
    /// Share of valid votes in round `de` (%); 0 where the family did not stand.
    pub part_de: f64,
    /// Share of valid votes in round `a` (%).
    pub part_a: f64,
    /// `part_a - part_de`, in percentage points.
    pub ecart_points: f64,
}

/// How a département (or the country) moved between any two rounds (`de` then `a`), e.g.
/// from the 2022 presidential round 1 to the 2024 legislative round 1.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Ecart {
    /// Département code, or `FR` for the whole country.
    #[schema(example = "59")]
    pub code: String,
    #[schema(example = "Nord")]
    pub nom: String,
    #[schema(example = "presidentielle-2022-t1")]
    pub de: String,
    #[schema(example = "legislatives-2024-t1")]
    pub a: String,
    /// Participation in round `de` (% of registered voters).
    pub participation_de: f64,
    pub participation_a: f64,
    /// In percentage points.
    pub ecart_participation_points: f64,
    /// Every family that stood in either round, in reference order.
    pub familles: Vec<EcartFamille>,
}

/// A family's share in a round's result; 0 where it did not stand.
pub fn part_famille(r: &ResultatTour, famille: &str) -> f64 {
    r.familles
        .iter()
        .find(|f| f.famille == famille)
        .map_or(0.0, |f| f.part_exprimes)
}

/// The shift between two rounds, for a département or (`None`) the country.
pub fn ecart(
    snapshot: &Snapshot,
    departement: Option<&Departement>,
    de: Scrutin,
    a: Scrutin,
) -> Option<Ecart> {
    let result = |s| match departement {
        Some(d) => resultat_departement(snapshot, &d.code, s),
        None => national_result(snapshot, s),
    };
    let (avant, apres) = (result(de)?, result(a)?);
    let familles = snapshot
        .familles
        .iter()
        .filter(|f| {
            [&avant, &apres]
                .iter()
                .any(|r| r.familles.iter().any(|g| g.famille == f.code))
        })
        .map(|f| {
            let (part_de, part_a) = (part_famille(&avant, &f.code), part_famille(&apres, &f.code));
            EcartFamille {
                famille: f.code.clone(),
                libelle: f.libelle.clone(),
                part_de,
                part_a,
                ecart_points: r4(part_a - part_de),
            }
        })
        .collect();
    let (code, nom) = match departement {
        Some(d) => (d.code.clone(), d.nom.clone()),
        None => ("FR".to_owned(), "France entière".to_owned()),
    };
    Some(Ecart {
        code,
        nom,
        de: de.id(),
        a: a.id(),
        participation_de: avant.taux_participation,
        participation_a: apres.taux_participation,
        ecart_participation_points: r4(apres.taux_participation - avant.taux_participation),
        familles,
    })
}
