//! Calendar quarters, as INSEE publishes its series and the API takes them (`2022-T3`).

use std::fmt;
use std::str::FromStr;

/// A calendar quarter, written `2022-T3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub annee: i32,
    pub trimestre: u8,
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-T{}", self.annee, self.trimestre)
    }
}

impl FromStr for Quarter {
    type Err = String;

    /// Parses `YYYY-Tn`, n in 1..=4.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a quarter of the form YYYY-Tn (e.g. 2022-T3)");
        let (year, q) = s.split_once("-T").ok_or_else(bad)?;
        if year.len() != 4 {
            return Err(bad());
        }
        let annee: i32 = year.parse().map_err(|_| bad())?;
        let trimestre: u8 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&trimestre) {
            return Err(bad());
        }
        Ok(Quarter { annee, trimestre })
    }
}

impl Quarter {
    pub fn new(annee: i32, trimestre: u8) -> Quarter {
        Quarter { annee, trimestre }
    }

    /// The quarter `quarters` later (earlier when negative).
    pub fn shifted(self, quarters: i32) -> Quarter {
        let index = self.annee * 4 + i32::from(self.trimestre) - 1 + quarters;
        Quarter {
            annee: index.div_euclid(4),
            trimestre: (index.rem_euclid(4) + 1) as u8,
        }
    }

    /// INSEE's column header: `T3_2022`.
    pub fn from_insee_header(header: &str) -> Option<Quarter> {
        let (q, year) = header.strip_prefix('T')?.split_once('_')?;
        format!("{year}-T{q}").parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_print() {
        let q: Quarter = "2022-T3".parse().unwrap();
        assert_eq!(
            q,
            Quarter {
                annee: 2022,
                trimestre: 3
            }
        );
        assert_eq!(q.to_string(), "2022-T3");
        assert_eq!(Quarter::from_insee_header("T3_2022"), Some(q));
        assert!("2022-T5".parse::<Quarter>().is_err());
        assert!("22-T3".parse::<Quarter>().is_err());
        assert!("2022T3".parse::<Quarter>().is_err());
        assert_eq!(Quarter::from_insee_header("Libellé"), None);
        assert_eq!(q.shifted(-20), Quarter::new(2017, 3));
        assert_eq!(q.shifted(2), Quarter::new(2023, 1));
        assert_eq!(q.shifted(-3), Quarter::new(2021, 4));
        assert!(
            Quarter {
                annee: 2021,
                trimestre: 4
            } < q
        );
    }
}
