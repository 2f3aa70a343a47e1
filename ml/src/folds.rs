//! Repeated stratified k-fold splits (smartcore has plain k-fold only), seeded.

/// SplitMix64: a tiny, well-known generator; enough to shuffle deterministically.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// One split: indices of the training and of the test samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// `k` stratified folds: each class's samples, shuffled, are dealt round-robin to the folds,
/// so every fold holds each class in (nearly) the overall proportion.
pub fn stratified_k_fold(labels: &[usize], k: usize, rng: &mut Rng) -> Vec<Split> {
    let k = k.max(2);
    let classes = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut fold_of = vec![0usize; labels.len()];
    let mut next = 0usize;
    for class in 0..classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|i| labels[*i] == class).collect();
        rng.shuffle(&mut members);
        for i in members {
            fold_of[i] = next % k;
            next += 1;
        }
    }
    (0..k)
        .map(|fold| Split {
            train: (0..labels.len()).filter(|i| fold_of[*i] != fold).collect(),
            test: (0..labels.len()).filter(|i| fold_of[*i] == fold).collect(),
        })
        .collect()
}

/// `repeats` rounds of stratified `k`-fold, each reshuffled from one seeded generator.
pub fn repeated_stratified_k_fold(
    labels: &[usize],
    k: usize,
    repeats: usize,
    seed: u64,
) -> Vec<Vec<Split>> {
    let mut rng = Rng::new(seed);
    (0..repeats)
        .map(|_| stratified_k_fold(labels, k, &mut rng))
        .collect()
}

/// One stratified hold-out split with `test_fraction` of each class in the test set.
pub fn stratified_holdout(labels: &[usize], test_fraction: f64, seed: u64) -> Split {
    let mut rng = Rng::new(seed);
    let classes = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut test = Vec::new();
    for class in 0..classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|i| labels[*i] == class).collect();
        rng.shuffle(&mut members);
        let n_test = (members.len() as f64 * test_fraction).round() as usize;
        test.extend(members.into_iter().take(n_test));
    }
    test.sort_unstable();
    let train = (0..labels.len())
        .filter(|i| test.binary_search(i).is_err())
        .collect();
    Split { train, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_partition_the_samples_and_keep_proportions() {
        // 30 of class 0, 10 of class 1, 5 of class 2.
        let labels: Vec<usize> = (0..45)
            .map(|i| {
                if i < 30 {
                    0
                } else if i < 40 {
                    1
                } else {
                    2
                }
            })
            .collect();
        let splits = stratified_k_fold(&labels, 5, &mut Rng::new(7));
        assert_eq!(splits.len(), 5);
        let mut seen = [0; 45];
        for s in &splits {
            assert_eq!(s.train.len() + s.test.len(), 45);
            for i in &s.test {
                seen[*i] += 1;
            }
            let count = |c| s.test.iter().filter(|i| labels[**i] == c).count();
            assert_eq!((count(0), count(1), count(2)), (6, 2, 1));
        }
        assert!(
            seen.iter().all(|n| *n == 1),
            "each sample is tested exactly once"
        );
    }

    #[test]
    fn same_seed_same_folds_other_seed_other_folds() {
        let labels: Vec<usize> = (0..40).map(|i| i % 3).collect();
        assert_eq!(
            repeated_stratified_k_fold(&labels, 5, 3, 42),
            repeated_stratified_k_fold(&labels, 5, 3, 42)
        );
        assert_ne!(
            repeated_stratified_k_fold(&labels, 5, 1, 42),
            repeated_stratified_k_fold(&labels, 5, 1, 43)
        );
    }

    #[test]
    fn holdout_takes_a_fifth_of_each_class() {
        let labels: Vec<usize> = (0..50).map(|i| if i < 40 { 0 } else { 1 }).collect();
        let s = stratified_holdout(&labels, 0.2, 1);
        assert_eq!(s.test.len(), 10);
        assert_eq!(s.test.iter().filter(|i| labels[**i] == 1).count(), 2);
        assert_eq!(s.train.len(), 40);
    }
}
