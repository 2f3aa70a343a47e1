//! Correlation coefficients (Pearson, and Spearman as Pearson on average ranks), with their
//! p-value and confidence interval.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Pearson's r; `None` when fewer than two points or a variable is constant.
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 2 || n != ys.len() {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// What a correlation over n independent points says beyond its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inference {
    /// Two-sided p-value of no correlation: Student's t with n − 2 degrees of freedom (what
    /// scipy's `pearsonr` and `spearmanr` give).
    pub p: f64,
    /// 95 % confidence interval by Fisher's z: standard error 1 / √(n − 3) for Pearson's r,
    /// Fieller's √(1.06 / (n − 3)) for Spearman's ρ.
    pub ic95: [f64; 2],
}

/// The p-value and 95 % interval of a correlation `r` over `n` points; `None` below 4 points.
/// Both assume independent points: départements are not (neighbours resemble each other), so
/// they overstate the evidence.
pub fn inference(r: f64, n: usize, spearman: bool) -> Option<Inference> {
    if n < 4 || !r.is_finite() {
        return None;
    }
    let df = (n - 2) as f64;
    let p = if r.abs() >= 1.0 {
        0.0
    } else {
        let t = r * (df / (1.0 - r * r)).sqrt();
        2.0 * StudentsT::new(0.0, 1.0, df).ok()?.sf(t.abs())
    };
    let z = r.clamp(-0.999_999_999, 0.999_999_999).atanh();
    let se = if spearman { 1.06_f64 } else { 1.0 }.sqrt() / ((n - 3) as f64).sqrt();
    let q = Normal::new(0.0, 1.0).ok()?.inverse_cdf(0.975);
    Some(Inference {
        p: p.min(1.0),
        ic95: [(z - q * se).tanh(), (z + q * se).tanh()],
    })
}

/// Least-squares line `y = intercept + slope x`; `None` when x is constant or there are fewer
/// than two points.
pub fn linear_fit(xs: &[f64], ys: &[f64]) -> Option<(f64, f64)> {
    let n = xs.len();
    if n < 2 || n != ys.len() {
        return None;
    }
    let mx = xs.iter().sum::<f64>() / n as f64;
    let my = ys.iter().sum::<f64>() / n as f64;
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some((my - slope * mx, slope))
}

/// 1-based ranks, ties sharing the mean of their ranks.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && values[order[end + 1]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end) as f64 / 2.0 + 1.0;
        for &i in &order[start..=end] {
            ranks[i] = rank;
        }
        start = end + 1;
    }
    ranks
}

pub fn spearman(xs: &[f64], ys: &[f64]) -> Option<f64> {
    pearson(&ranks(xs), &ranks(ys))
}

#[cfg(test)]
mod tests {

    /// r = 0.5 over 20 points: scipy.stats.pearsonr gives p = 0.02479 and the interval
    /// [0.0738, 0.7718] (its `confidence_interval()`, Fisher's z).
    #[test]
    fn inference_matches_scipy() {
        let i = super::inference(0.5, 20, false).unwrap();
        assert!((i.p - 0.024_79).abs() < 5e-5, "{i:?}");
        assert!(
            (i.ic95[0] - 0.0738).abs() < 2e-4 && (i.ic95[1] - 0.7718).abs() < 2e-4,
            "{i:?}"
        );
        let s = super::inference(0.5, 20, true).unwrap();
        assert!(s.ic95[1] - s.ic95[0] > i.ic95[1] - i.ic95[0]);
        assert_eq!(super::inference(1.0, 20, false).unwrap().p, 0.0);
        assert!(super::inference(0.5, 3, false).is_none());
    }
    use super::*;

    #[test]
    fn pearson_of_hand_computed_cases() {
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        // x = 1..4, y = 1, 3, 2, 4: sxy = 4, sxx = syy = 5 -> r = 0.8
        let r = pearson(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!((r - 0.8).abs() < 1e-12, "{r}");
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
    }

    #[test]
    fn least_squares_of_hand_computed_cases() {
        assert_eq!(
            linear_fit(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0]),
            Some((1.0, 2.0))
        );
        // x = 1..4, y = 1, 3, 2, 4: slope = sxy / sxx = 4 / 5, intercept = 2.5 - 0.8 x 2.5 = 0.5
        let (a, b) = linear_fit(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!((a - 0.5).abs() < 1e-12 && (b - 0.8).abs() < 1e-12);
        assert_eq!(linear_fit(&[2.0, 2.0], &[1.0, 3.0]), None);
    }

    #[test]
    fn ties_share_their_mean_rank() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0, 5.0]), [2.0, 3.5, 3.5, 1.0]);
    }

    #[test]
    fn spearman_sees_monotone_relations() {
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 8.0, 27.0, 64.0]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        // ranks 1..4 vs 1,3,2,4 -> 0.8
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 300.0, 20.0, 4000.0]).unwrap();
        assert!((r - 0.8).abs() < 1e-12, "{r}");
    }
}
