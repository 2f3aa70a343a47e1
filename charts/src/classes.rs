//! Classes of a choropleth map: the bounds splitting values into `n` classes by quantiles,
//! equal intervals or Jenks' natural breaks (Fisher's exact optimisation), and the class of a
//! value. Bounds are `n + 1` ascending numbers from the minimum to the maximum; class `i`
//! holds the values in `(bounds[i], bounds[i + 1]]`, the first one its lower bound too.

/// How classes are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    /// As many values in each class (linear interpolation between order statistics, like
    /// numpy's default percentiles).
    Quantiles,
    /// Intervals of equal width.
    Egales,
    /// Jenks' natural breaks: the split minimising the sum of squared deviations from each
    /// class's mean (Fisher's 1958 dynamic programme, exact).
    Jenks,
}

impl Methode {
    pub const ALL: [Methode; 3] = [Methode::Quantiles, Methode::Egales, Methode::Jenks];

    pub fn code(self) -> &'static str {
        match self {
            Methode::Quantiles => "quantiles",
            Methode::Egales => "egales",
            Methode::Jenks => "jenks",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Methode::Quantiles => "quantiles",
            Methode::Egales => "intervalles égaux",
            Methode::Jenks => "seuils naturels de Jenks",
        }
    }

    pub fn from_code(code: &str) -> Option<Methode> {
        Methode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// Fewest and most classes.
pub const MIN_CLASSES: usize = 3;
pub const MAX_CLASSES: usize = 9;

/// The bounds of `n` classes of the finite `values` (sorted or not). Bounds that coincide
/// (many equal values) are merged, so there may be fewer classes than asked; one value
/// gives one class; no value gives no bound.
pub fn bornes(values: &[f64], methode: Methode, n: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let n = n.max(1);
    let mut bounds: Vec<f64> = match methode {
        Methode::Quantiles => (0..=n)
            .map(|k| quantile(&sorted, k as f64 / n as f64))
            .collect(),
        Methode::Egales => (0..=n)
            .map(|k| min + (max - min) * k as f64 / n as f64)
            .collect(),
        Methode::Jenks => jenks(&sorted, n),
    };
    if let Some(first) = bounds.first_mut() {
        *first = min;
    }
    if let Some(last) = bounds.last_mut() {
        *last = max;
    }
    bounds.dedup_by(|b, a| b <= a);
    if bounds.len() == 1 {
        bounds.push(max);
    }
    bounds
}

/// Bounds of signed values (shifts): `n` quantile classes, with 0 as one more bound when
/// the values take both signs, so that no class mixes gains and losses. Equal classes over
/// `[-m, m]` would leave a skewed distribution (one family gaining almost everywhere) in one
/// or two classes with others empty; quantiles fill each class, and the colours, not the
/// bounds, stay centred on 0 ([`crate::carte::Palette::couleur_centree`]).
pub fn bornes_divergentes(values: &[f64], n: usize) -> Vec<f64> {
    let mut bounds = bornes(values, Methode::Quantiles, n);
    if let (Some(&lo), Some(&hi)) = (bounds.first(), bounds.last())
        && lo < 0.0
        && hi > 0.0
        && !bounds.contains(&0.0)
    {
        let at = bounds.partition_point(|&b| b < 0.0);
        bounds.insert(at, 0.0);
    }
    bounds
}

/// The class of `value` among `bounds` (0-based), the last class for values beyond.
pub fn classe(bounds: &[f64], value: f64) -> usize {
    let classes = bounds.len().saturating_sub(1).max(1);
    bounds[1..]
        .iter()
        .position(|&upper| value <= upper)
        .unwrap_or(classes - 1)
        .min(classes - 1)
}

/// Linear interpolation between order statistics of sorted values (numpy's "linear").
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

/// Fisher–Jenks: the exact split of sorted values into `k` contiguous classes minimising the
/// within-class sum of squared deviations, in O(k n²).
fn jenks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    let k = k.min(n).max(1);
    // Prefix sums for the cost of any run sorted[i..j].
    let mut sum = vec![0.0; n + 1];
    let mut squares = vec![0.0; n + 1];
    for (i, v) in sorted.iter().enumerate() {
        sum[i + 1] = sum[i] + v;
        squares[i + 1] = squares[i] + v * v;
    }
    let cost = |i: usize, j: usize| {
        let count = (j - i) as f64;
        let s = sum[j] - sum[i];
        (squares[j] - squares[i]) - s * s / count
    };
    // best[c][j]: least cost of the first j values in c + 1 classes; start[c][j]: where the
    // last class begins.
    let mut best = vec![vec![f64::INFINITY; n + 1]; k];
    let mut start = vec![vec![0_usize; n + 1]; k];
    for (j, slot) in best[0].iter_mut().enumerate().skip(1) {
        *slot = cost(0, j);
    }
    for c in 1..k {
        for j in c + 1..=n {
            for i in c..j {
                let total = best[c - 1][i] + cost(i, j);
                if total < best[c][j] {
                    best[c][j] = total;
                    start[c][j] = i;
                }
            }
        }
    }
    let mut uppers = Vec::with_capacity(k);
    let mut j = n;
    for c in (0..k).rev() {
        uppers.push(sorted[j - 1]);
        if c > 0 {
            j = start[c][j];
        }
    }
    uppers.reverse();
    std::iter::once(sorted[0]).chain(uppers).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_put_as_many_values_in_each_class() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let b = bornes(&values, Methode::Quantiles, 4);
        assert_eq!(b, vec![1.0, 25.75, 50.5, 75.25, 100.0]);
        let counts = (0..4)
            .map(|c| values.iter().filter(|&&v| classe(&b, v) == c).count())
            .collect::<Vec<_>>();
        assert_eq!(counts, [25, 25, 25, 25]);
    }

    #[test]
    fn equal_intervals_and_symmetric_bounds() {
        assert_eq!(
            bornes(&[0.0, 3.0, 10.0], Methode::Egales, 5),
            [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        // A skewed shift (gains almost everywhere, one far outlier): every class holds values
        // and 0 is a bound, so no class mixes a loss with gains.
        let shifts = [-1.5, 2.0, 3.0, 3.5, 4.0, 5.0, 5.5, 6.0, 7.0, 25.0];
        let b = bornes_divergentes(&shifts, 4);
        assert!(b.contains(&0.0), "{b:?}");
        assert_eq!(b.len(), 6, "4 quantile classes and the split at 0: {b:?}");
        for c in 0..b.len() - 1 {
            assert!(
                shifts.iter().any(|&v| classe(&b, v) == c),
                "class {c} empty: {b:?}"
            );
        }
        assert_eq!(bornes_divergentes(&[1.0, 2.0, 3.0], 2), [1.0, 2.0, 3.0]);
        assert_eq!(classe(&[0.0, 2.0, 4.0], 0.0), 0);
        assert_eq!(classe(&[0.0, 2.0, 4.0], 2.0), 0);
        assert_eq!(classe(&[0.0, 2.0, 4.0], 2.1), 1);
        assert_eq!(classe(&[0.0, 2.0, 4.0], 9.0), 1);
    }

    /// Three obvious clusters: Jenks finds them, where quantiles and equal intervals do not.
    #[test]
    fn jenks_finds_natural_clusters() {
        let values = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0, 30.0, 31.0];
        assert_eq!(bornes(&values, Methode::Jenks, 3), [1.0, 3.0, 13.0, 31.0]);
        // The optimum by brute force over every pair of cut points.
        let cost = |run: &[f64]| {
            let mean = run.iter().sum::<f64>() / run.len() as f64;
            run.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
        };
        let mut best = f64::INFINITY;
        for a in 1..values.len() - 1 {
            for b in a + 1..values.len() {
                best = best.min(cost(&values[..a]) + cost(&values[a..b]) + cost(&values[b..]));
            }
        }
        let ours = cost(&values[..3]) + cost(&values[3..7]) + cost(&values[7..]);
        assert!((ours - best).abs() < 1e-12);
    }

    #[test]
    fn ties_merge_classes_and_degenerate_inputs_do_not_panic() {
        let b = bornes(&[5.0, 5.0, 5.0, 5.0, 6.0], Methode::Quantiles, 5);
        assert_eq!(b.len(), 3, "{b:?}");
        assert!((b[1] - 5.2).abs() < 1e-12 && b[0] == 5.0 && b[2] == 6.0);
        assert_eq!(bornes(&[7.0], Methode::Jenks, 5), [7.0, 7.0]);
        assert!(bornes(&[], Methode::Egales, 5).is_empty());
        assert_eq!(bornes(&[f64::NAN, 2.0], Methode::Egales, 2), [2.0, 2.0]);
    }
}
