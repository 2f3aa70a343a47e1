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

/// Metropolitan France, overseas, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perimetre {
    /// Every département and constituency (default).
    #[default]
    France,
    /// The 96 metropolitan départements.
    Metropole,
    /// The five overseas départements and the overseas collectivities.
    OutreMer,
}

/// The region codes overseas: the five overseas départements' regions and the collectivities.
const REGIONS_OUTRE_MER: [&str; 6] = ["01", "02", "03", "04", "06", "COM"];
/// The constituency of French people abroad, in neither metropolitan France nor overseas.
const REGION_ETRANGER: &str = "FE";

impl Perimetre {
    pub const ALL: [Perimetre; 3] = [Perimetre::France, Perimetre::Metropole, Perimetre::OutreMer];

    pub fn code(self) -> &'static str {
        match self {
            Perimetre::France => "france",
            Perimetre::Metropole => "metropole",
            Perimetre::OutreMer => "outre-mer",
        }
    }

    pub fn from_code(code: &str) -> Option<Perimetre> {
        Perimetre::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether a region is in this perimeter.
    pub fn contient_region(self, region_code: &str) -> bool {
        let outre_mer = REGIONS_OUTRE_MER.contains(&region_code);
        match self {
            Perimetre::France => true,
            Perimetre::Metropole => !outre_mer && region_code != REGION_ETRANGER,
            Perimetre::OutreMer => outre_mer,
        }
    }
}

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
