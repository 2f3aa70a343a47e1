//! The checks on each row's numbers.

use super::Layout;
use crate::elections::{COUNTS, INSCRITS, RATE_TOLERANCE, percentage};
use crate::sources::Fault;

/// A published percentage: within [0, 100] and equal to the recomputed one within
/// [`RATE_TOLERANCE`] (the files round to two decimals).
pub(super) fn check_rate(value: f64, numerator: i64, denominator: i64) -> Result<(), String> {
    let recomputed = percentage(numerator, denominator);
    if (0.0..=100.0).contains(&value) && (value - recomputed).abs() <= RATE_TOLERANCE + 1e-9 {
        Ok(())
    } else {
        Err(format!(
            "published rate {value} differs from the recomputed {recomputed:.4} ({numerator} / \
             {denominator} x 100) or is outside [0, 100]"
        ))
    }
}

/// inscrits = abstentions + votants, votants = blancs + nuls + exprimés, Σ voix = exprimés.
pub(super) fn check_identities(layout: &Layout, counts: &[i64; 6], voix: i64) -> Result<(), Fault> {
    let [inscrits, abstentions, votants, blancs, nuls, exprimes] = *counts;
    let fault = |i: usize, message: String| Fault::new(layout.counts[i], Some(COUNTS[i]), message);
    if inscrits != abstentions + votants {
        return Err(fault(
            0,
            format!("inscrits ({inscrits}) != abstentions ({abstentions}) + votants ({votants})"),
        ));
    }
    if votants != blancs + nuls + exprimes {
        return Err(fault(
            2,
            format!(
                "votants ({votants}) != blancs ({blancs}) + nuls ({nuls}) + exprimés ({exprimes})"
            ),
        ));
    }
    if voix != exprimes {
        return Err(fault(
            5,
            format!("sum of the candidates' votes ({voix}) != exprimés ({exprimes})"),
        ));
    }
    debug_assert_eq!(COUNTS[0], INSCRITS);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_allow_the_published_rounding_only() {
        assert!(check_rate(20.0, 200, 1000).is_ok());
        assert!(check_rate(20.01, 200, 1000).is_ok());
        assert!(check_rate(20.02, 200, 1000).is_err());
        assert!(check_rate(0.0, 0, 0).is_ok());
        assert!(check_rate(-0.0, 0, 10).is_ok());
        assert!(check_rate(101.0, 1010, 1000).is_err());
    }
}
