//! What a question is asked about: an election round, an unemployment quarter and, or not,
//! a region. Parsed once from the query (by the params layer), then passed typed.

use db::models::Region;
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

/// The round, quarter and region of a request, already validated against the data.
#[derive(Debug, Clone)]
pub struct Scope {
    pub scrutin: Scrutin,
    pub trimestre: Quarter,
    pub region: Option<Region>,
}

impl Scope {
    pub fn region_code(&self) -> Option<&str> {
        self.region.as_ref().map(|r| r.code.as_str())
    }

    /// `départements` or `départements, <region>`, for chart titles.
    pub fn place(&self) -> String {
        self.region.as_ref().map_or_else(
            || "départements".to_owned(),
            |r| format!("départements, {}", r.nom),
        )
    }
}
