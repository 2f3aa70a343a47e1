//! What a question is asked about: an election round, an unemployment quarter and, or not,
//! a region. Parsed once from the query (by the params layer), then passed typed.

use db::models::{Departement, Region};
use db::{Quarter, Scrutin};

/// The quarter used when none is asked for: the one of the 2022 election study.
pub const DEFAULT_QUARTER: Quarter = Quarter {
    annee: 2022,
    trimestre: 3,
};

/// The election year used when none is asked for.
pub const DEFAULT_ANNEE: i32 = DEFAULT_QUARTER.annee;

/// The quarter used for an election year when none is asked for: its third (2022-T3).
pub fn default_quarter(annee: i32) -> Quarter {
    Quarter {
        annee,
        trimestre: DEFAULT_QUARTER.trimestre,
    }
}

/// The round's id (`legislatives-2024-t1`) for the bodies that carry `annee` and `tour`:
/// `None` for a presidential round, whose bodies keep the fields they had before other
/// elections were loaded.
pub fn election_id(scrutin: Scrutin) -> Option<String> {
    (scrutin.type_election != db::TypeElection::Presidentielle).then(|| scrutin.id())
}

pub use db::Perimetre;

/// The round, quarter, region and perimeter of a request, already validated against the data.
#[derive(Debug, Clone)]
pub struct Scope {
    pub scrutin: Scrutin,
    pub trimestre: Quarter,
    pub region: Option<Region>,
    pub perimetre: Perimetre,
}

impl Scope {
    /// France, round 1 of 2022, unemployment of 2022-T3: the default scope.
    pub fn defaut() -> Scope {
        Scope {
            scrutin: Scrutin::new(DEFAULT_ANNEE, 1),
            trimestre: DEFAULT_QUARTER,
            region: None,
            perimetre: Perimetre::France,
        }
    }

    /// Whether a département (or constituency) is in the scope: its region and perimeter.
    pub fn inclut(&self, d: &Departement) -> bool {
        self.region_code().is_none_or(|r| r == d.region_code)
            && self.perimetre.contient_region(&d.region_code)
    }

    pub fn region_code(&self) -> Option<&str> {
        self.region.as_ref().map(|r| r.code.as_str())
    }

    /// `départements`, `départements de métropole` or `départements, <region>`, for chart
    /// titles.
    pub fn place(&self) -> String {
        match (&self.region, self.perimetre) {
            (Some(r), _) => format!("départements, {}", r.nom),
            (None, Perimetre::France) => "départements".to_owned(),
            (None, Perimetre::Metropole) => "départements de métropole".to_owned(),
            (None, Perimetre::OutreMer) => "départements d'outre-mer".to_owned(),
        }
    }
}
