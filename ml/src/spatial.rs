//! Spatial autocorrelation on the départements' contiguity: row-standardised weights,
//! spatial lags, global Moran's I with its moments under normality and randomisation, and
//! local Moran (LISA) with conditional permutations. The formulas are PySAL esda's
//! (`esda.Moran`, `esda.Moran_Local`, Rey & Anselin), so that the same weights give the same
//! numbers; see `docs/spatial.md`. No Rust crate computes these; parity with esda is tested by
//! `bench/spatial_parity.sh`.

use crate::folds::Rng;

/// Row-standardised weights: each observation's neighbours (indices), each weighing
/// 1 / (number of neighbours). Every observation has at least one neighbour.
#[derive(Debug, Clone, PartialEq)]
pub struct Poids {
    voisins: Vec<Vec<usize>>,
}

impl Poids {
    /// Weights from neighbour lists (indices into the same observations). `None` when an
    /// observation has no neighbour, names itself or an index out of range: leave the islands
    /// out before.
    pub fn nouveaux(voisins: Vec<Vec<usize>>) -> Option<Poids> {
        let n = voisins.len();
        let ok = voisins
            .iter()
            .enumerate()
            .all(|(i, v)| !v.is_empty() && v.iter().all(|&j| j < n && j != i));
        ok.then_some(Poids { voisins })
    }

    pub fn n(&self) -> usize {
        self.voisins.len()
    }

    pub fn voisins(&self, i: usize) -> &[usize] {
        &self.voisins[i]
    }

    /// w_ij (0 when j is not a neighbour of i).
    fn poids(&self, i: usize, j: usize) -> f64 {
        let v = &self.voisins[i];
        if v.contains(&j) {
            1.0 / v.len() as f64
        } else {
            0.0
        }
    }

    /// The spatial lag: each observation's neighbours' mean.
    pub fn lag(&self, y: &[f64]) -> Vec<f64> {
        self.voisins
            .iter()
            .map(|v| v.iter().map(|&j| y[j]).sum::<f64>() / v.len() as f64)
            .collect()
    }

    /// S0 (sum of the weights), S1 and S2, as esda defines them.
    fn s012(&self) -> (f64, f64, f64) {
        let n = self.n();
        let s0 = n as f64; // row-standardised: each row sums to 1
        let mut s1 = 0.0;
        let mut colonnes = vec![0.0; n];
        for (i, v) in self.voisins.iter().enumerate() {
            let w = 1.0 / v.len() as f64;
            for &j in v {
                colonnes[j] += w;
                let sym = w + self.poids(j, i);
                // Each unordered pair counted from both sides: half of (w_ij + w_ji)^2 each.
                s1 += sym * sym / 2.0;
            }
        }
        // Pairs where j lists i but i does not list j (asymmetric lists) still count.
        for (i, v) in self.voisins.iter().enumerate() {
            for (j, vj) in self.voisins.iter().enumerate() {
                if vj.contains(&i) && !v.contains(&j) {
                    let w = 1.0 / vj.len() as f64;
                    s1 += w * w / 2.0;
                }
            }
        }
        let s2 = (0..n).map(|i| (1.0 + colonnes[i]).powi(2)).sum();
        (s0, s1, s2)
    }
}

/// Global Moran's I and its inference.
#[derive(Debug, Clone, PartialEq)]
pub struct Moran {
    pub n: usize,
    pub i: f64,
    /// E[I] = -1 / (n - 1).
    pub esperance: f64,
    /// Var[I] under normality.
    pub variance_normalite: f64,
    /// Var[I] under randomisation.
    pub variance_randomisation: f64,
    pub z_normalite: f64,
    pub z_randomisation: f64,
    /// Two-sided p-value of z under normality.
    pub p_normalite: f64,
    /// Two-sided p-value of z under randomisation.
    pub p_randomisation: f64,
    /// Pseudo p-value from the permutations (one-sided, folded as esda's `p_sim`).
    pub p_permutations: f64,
    pub permutations: usize,
}

/// Local Moran of one observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Local {
    /// Ii, esda's scaling: (n - 1) z_i lag(z)_i / Σ z².
    pub i: f64,
    /// Standardised value (population standard deviation).
    pub z: f64,
    /// Spatial lag of the standardised values.
    pub lag: f64,
    /// Pseudo p-value from the conditional permutations (folded as esda's `p_sim`).
    pub p: f64,
    /// 1 HH, 2 LH, 3 LL, 4 HL (esda's `q`).
    pub quadrant: u8,
}

/// Why a statistic cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpatialError {
    #[error("{n} observation(s): Moran's I needs at least {min}")]
    TropPeu { n: usize, min: usize },
    #[error("the values are constant: Moran's I is undefined")]
    Constante,
    #[error("{values} values for {weights} weighted observations")]
    Longueur { values: usize, weights: usize },
}

/// Fewest observations for the randomisation variance (its denominator has n - 3).
pub const MIN_N: usize = 4;

fn check(w: &Poids, y: &[f64]) -> Result<Vec<f64>, SpatialError> {
    if y.len() != w.n() {
        return Err(SpatialError::Longueur {
            values: y.len(),
            weights: w.n(),
        });
    }
    if y.len() < MIN_N {
        return Err(SpatialError::TropPeu {
            n: y.len(),
            min: MIN_N,
        });
    }
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    if z.iter().all(|v| v.abs() < 1e-12 * mean.abs().max(1.0)) {
        return Err(SpatialError::Constante);
    }
    Ok(z)
}

/// I of deviations `z` (z'Wz / z'z times n / S0; n / S0 = 1 for row-standardised weights).
fn moran_i(w: &Poids, z: &[f64]) -> f64 {
    let lag = w.lag(z);
    let num: f64 = z.iter().zip(&lag).map(|(a, b)| a * b).sum();
    let den: f64 = z.iter().map(|a| a * a).sum();
    num / den
}

/// Standard normal survival function, by `libm`'s erfc (musl's, accurate to double
/// precision).
fn normal_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

/// esda's folding of a permutation count: the smaller tail, (larger + 1) / (permutations + 1).
fn p_sim(larger: usize, permutations: usize) -> f64 {
    let larger = larger.min(permutations - larger);
    (larger as f64 + 1.0) / (permutations as f64 + 1.0)
}

/// Global Moran's I of `y` on `w`, with `permutations` random permutations drawn from `seed`.
pub fn moran(w: &Poids, y: &[f64], permutations: usize, seed: u64) -> Result<Moran, SpatialError> {
    let z = check(w, y)?;
    let n = y.len();
    let nf = n as f64;
    let i = moran_i(w, &z);
    let esperance = -1.0 / (nf - 1.0);
    let (s0, s1, s2) = w.s012();
    let s02 = s0 * s0;
    let variance_normalite =
        (nf * nf * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02) - esperance.powi(2);
    let m2 = z.iter().map(|v| v * v).sum::<f64>() / nf;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    let k = m4 / (m2 * m2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = k * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let variance_randomisation =
        (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - esperance.powi(2);
    let z_normalite = (i - esperance) / variance_normalite.sqrt();
    let z_randomisation = (i - esperance) / variance_randomisation.sqrt();
    let p_permutations = if permutations == 0 {
        f64::NAN
    } else {
        let mut rng = Rng::new(seed);
        let mut shuffled = z.clone();
        let mut above = 0;
        for _ in 0..permutations {
            rng.shuffle(&mut shuffled);
            if moran_i(w, &shuffled) >= i {
                above += 1;
            }
        }
        p_sim(above, permutations)
    };
    Ok(Moran {
        n,
        i,
        esperance,
        variance_normalite,
        variance_randomisation,
        z_normalite,
        z_randomisation,
        p_normalite: 2.0 * normal_sf(z_normalite.abs()),
        p_randomisation: 2.0 * normal_sf(z_randomisation.abs()),
        p_permutations,
        permutations,
    })
}

/// Local Moran of every observation, with `permutations` conditional permutations each
/// (the observation's value kept, its neighbours drawn at random among the others).
pub fn lisa(
    w: &Poids,
    y: &[f64],
    permutations: usize,
    seed: u64,
) -> Result<Vec<Local>, SpatialError> {
    let deviations = check(w, y)?;
    let n = y.len();
    let nf = n as f64;
    let sd = (deviations.iter().map(|v| v * v).sum::<f64>() / nf).sqrt();
    let z: Vec<f64> = deviations.iter().map(|v| v / sd).collect();
    let den: f64 = z.iter().map(|v| v * v).sum();
    let lag = w.lag(&z);
    let mut rng = Rng::new(seed);
    let mut others: Vec<usize> = Vec::with_capacity(n);
    Ok((0..n)
        .map(|i| {
            let ii = (nf - 1.0) * z[i] * lag[i] / den;
            let k = w.voisins(i).len();
            let p = if permutations == 0 {
                f64::NAN
            } else {
                others.clear();
                others.extend((0..n).filter(|&j| j != i));
                let mut above = 0;
                for _ in 0..permutations {
                    // A partial Fisher–Yates: the first k of a random order of the others.
                    for s in 0..k {
                        let pick = s + rng.below(others.len() - s);
                        others.swap(s, pick);
                    }
                    let lag_sim = others[..k].iter().map(|&j| z[j]).sum::<f64>() / k as f64;
                    if (nf - 1.0) * z[i] * lag_sim / den >= ii {
                        above += 1;
                    }
                }
                p_sim(above, permutations)
            };
            let quadrant = match (z[i] > 0.0, lag[i] > 0.0) {
                (true, true) => 1,
                (false, true) => 2,
                (false, false) => 3,
                (true, false) => 4,
            };
            Local {
                i: ii,
                z: z[i],
                lag: lag[i],
                p,
                quadrant,
            }
        })
        .collect())
}

/// Benjamini-Hochberg adjusted p-values (the false discovery rate's q-values), in the order
/// of `p`: `q_(i) = min_{j >= i} min(1, m p_(j) / j)` over the p-values sorted ascending.
/// A unit is significant at FDR level `alpha` when `q <= alpha`, which is the set esda's
/// `fdr(p, alpha)` threshold selects.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut ordre: Vec<usize> = (0..m).collect();
    ordre.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut q = vec![1.0; m];
    let mut plus_petit = 1.0_f64;
    for (rang, &i) in ordre.iter().enumerate().rev() {
        let ajuste = (p[i] * m as f64 / (rang + 1) as f64).min(1.0);
        plus_petit = plus_petit.min(ajuste);
        q[i] = plus_petit;
    }
    q
}

#[cfg(test)]
mod tests {

    /// Benjamini-Hochberg on a textbook example (values from R's `p.adjust(p, "BH")`).
    #[test]
    fn benjamini_hochberg_matches_p_adjust() {
        let p = [0.01, 0.04, 0.03, 0.005, 0.2];
        let q = super::benjamini_hochberg(&p);
        let expected = [0.025, 0.05, 0.05, 0.025, 0.2];
        for (a, b) in q.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        assert!(super::benjamini_hochberg(&[]).is_empty());
    }
    use super::*;

    /// A 3×3 rook lattice (cells numbered row by row).
    fn rook_3x3() -> Poids {
        let mut voisins = vec![Vec::new(); 9];
        for r in 0..3_usize {
            for c in 0..3_usize {
                let i = r * 3 + c;
                if r > 0 {
                    voisins[i].push(i - 3);
                }
                if r < 2 {
                    voisins[i].push(i + 3);
                }
                if c > 0 {
                    voisins[i].push(i - 1);
                }
                if c < 2 {
                    voisins[i].push(i + 1);
                }
            }
        }
        Poids::nouveaux(voisins).unwrap()
    }

    /// Values 1..9 on a 3×3 rook lattice, by hand: I = 5/9; a checkerboard: I = -1.
    #[test]
    fn moran_on_a_3x3_rook_lattice_by_hand() {
        let w = rook_3x3();
        // Values 1..9 row by row: deviations -4..4.
        let y: Vec<f64> = (1..=9).map(f64::from).collect();
        // Hand computation: z = y - 5; lag of each cell is the mean of its rook neighbours.
        let z: Vec<f64> = y.iter().map(|v| v - 5.0).collect();
        let lag = [
            (-3.0 + -1.0) / 2.0,             // 0: neighbours 3, 1 -> z -1, -3
            (-4.0 + -2.0 + 0.0) / 3.0,       // 1: 0, 2, 4
            (-3.0 + 1.0) / 2.0,              // 2: 1, 5
            (-4.0 + 2.0 + 0.0) / 3.0,        // 3: 0, 6, 4
            (-3.0 + 3.0 + -1.0 + 1.0) / 4.0, // 4: 1, 7, 3, 5
            (-2.0 + 4.0 + 0.0) / 3.0,        // 5: 2, 8, 4
            (-1.0 + 3.0) / 2.0,              // 6: 3, 7
            (0.0 + 2.0 + 4.0) / 3.0,         // 7: 4, 6, 8
            (1.0 + 3.0) / 2.0,               // 8: 5, 7
        ];
        let num: f64 = z.iter().zip(lag).map(|(a, b)| a * b).sum();
        let den: f64 = z.iter().map(|a| a * a).sum();
        let expected = num / den; // 33.33... / 60 = 5/9
        let m = moran(&w, &y, 99, 7).unwrap();
        assert!((m.i - expected).abs() < 1e-12, "{} vs {expected}", m.i);
        assert!((expected - 5.0 / 9.0).abs() < 1e-12, "{expected}");
        assert!((m.esperance + 0.125).abs() < 1e-15);
        // A gradient is positively autocorrelated: few permutations reach it.
        assert!(m.p_permutations < 0.05, "{}", m.p_permutations);
        // A checkerboard is negatively autocorrelated: I = -1 exactly on rook weights.
        let checker: Vec<f64> = (0..9).map(|i| f64::from(i % 2)).collect();
        let c = moran(&w, &checker, 0, 1).unwrap();
        assert!((c.i + 1.0).abs() < 1e-12, "{}", c.i);
    }

    #[test]
    fn local_morans_sum_to_the_global_one_scaled() {
        let w = rook_3x3();
        let y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0];
        let global = moran(&w, &y, 0, 1).unwrap();
        let local = lisa(&w, &y, 0, 1).unwrap();
        // Σ Ii = (n - 1) I for row-standardised weights and esda's scaling.
        let sum: f64 = local.iter().map(|l| l.i).sum();
        assert!(
            (sum - 8.0 * global.i).abs() < 1e-12,
            "{sum} vs {}",
            global.i
        );
        assert_eq!(local[5].quadrant, 1, "9 among high neighbours");
    }

    #[test]
    fn permutations_are_deterministic_and_small_inputs_refused() {
        let w = rook_3x3();
        let y: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(moran(&w, &y, 199, 42), moran(&w, &y, 199, 42));
        assert_eq!(lisa(&w, &y, 199, 42), lisa(&w, &y, 199, 42));
        let three = Poids::nouveaux(vec![vec![1], vec![0, 2], vec![1]]).unwrap();
        assert_eq!(
            moran(&three, &[1.0, 2.0, 3.0], 9, 1),
            Err(SpatialError::TropPeu { n: 3, min: 4 })
        );
        assert_eq!(moran(&w, &[2.0; 9], 9, 1), Err(SpatialError::Constante));
        assert!(Poids::nouveaux(vec![vec![], vec![0]]).is_none());
    }

    #[test]
    fn normal_tail_probabilities() {
        assert!((normal_sf(0.0) - 0.5).abs() < 1e-15);
        assert!((normal_sf(1.959_963_984_540_054) - 0.025).abs() < 1e-14);
        assert!((normal_sf(3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-16);
        assert!((normal_sf(-1.0) - 0.841_344_746_068_542_9).abs() < 1e-14);
    }
}
