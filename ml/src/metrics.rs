//! Classification metrics smartcore lacks (confusion matrix, per-class and macro scores,
//! one-vs-rest ROC), written once here and tested on hand-computed cases.

use serde::{Deserialize, Serialize};

/// `matrix[true][predicted]` counts.
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], classes: usize) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0; classes]; classes];
    for (t, p) in truth.iter().zip(predicted) {
        if *t < classes && *p < classes {
            matrix[*t][*p] += 1;
        }
    }
    matrix
}

pub fn accuracy(truth: &[usize], predicted: &[usize]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    truth.iter().zip(predicted).filter(|(t, p)| t == p).count() as f64 / truth.len() as f64
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// tp / (tp + fp); 0 when the class is never predicted.
    pub precision: f64,
    /// tp / (tp + fn); 0 when the class has no sample.
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

pub fn class_scores(matrix: &[Vec<usize>]) -> Vec<ClassScores> {
    (0..matrix.len())
        .map(|c| {
            let tp = matrix[c][c];
            let predicted: usize = matrix.iter().map(|row| row[c]).sum();
            let support: usize = matrix[c].iter().sum();
            let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            ClassScores {
                precision,
                recall,
                f1,
                support,
            }
        })
        .collect()
}

/// Unweighted mean of the per-class F1 over the classes that have samples.
pub fn macro_f1(matrix: &[Vec<usize>]) -> f64 {
    let scores: Vec<ClassScores> = class_scores(matrix)
        .into_iter()
        .filter(|s| s.support > 0)
        .collect();
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().map(|s| s.f1).sum::<f64>() / scores.len() as f64
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    pub fpr: f64,
    pub tpr: f64,
    /// Scores at or above it are called positive; none for the (0, 0) start.
    pub threshold: Option<f64>,
}

/// ROC curve of a scorer: one point per distinct score, from (0, 0) to (1, 1).
pub fn roc_curve(scores: &[f64], positive: &[bool]) -> Vec<RocPoint> {
    let p = positive.iter().filter(|x| **x).count();
    let n = positive.len() - p;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
    let mut points = vec![RocPoint {
        fpr: 0.0,
        tpr: 0.0,
        threshold: None,
    }];
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut i = 0;
    while i < order.len() {
        let threshold = scores[order[i]];
        while i < order.len() && scores[order[i]] == threshold {
            if positive[order[i]] {
                tp += 1
            } else {
                fp += 1
            }
            i += 1;
        }
        points.push(RocPoint {
            fpr: ratio(fp, n),
            tpr: ratio(tp, p),
            threshold: Some(threshold),
        });
    }
    points
}

/// Area under a ROC curve (trapezoids).
pub fn auc(points: &[RocPoint]) -> f64 {
    points
        .windows(2)
        .map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0)
        .sum()
}

/// The points where a ROC curve changes direction: every point strictly inside a straight run
/// (same slope before and after) is dropped. The curve, and so its AUC, is unchanged: a
/// trapezoid over a straight run has the area of the trapezoids it replaces.
pub fn roc_corners(points: &[RocPoint]) -> Vec<RocPoint> {
    let mut out: Vec<RocPoint> = Vec::with_capacity(points.len());
    for p in points {
        if out.len() >= 2 {
            let (a, b) = (&out[out.len() - 2], &out[out.len() - 1]);
            let cross = (b.fpr - a.fpr) * (p.tpr - a.tpr) - (b.tpr - a.tpr) * (p.fpr - a.fpr);
            // Same direction (not a turn back) and no turn: b lies on the segment a-p.
            let forward = (b.fpr - a.fpr) * (p.fpr - b.fpr) + (b.tpr - a.tpr) * (p.tpr - b.tpr);
            if cross.abs() <= 1e-12 && forward >= 0.0 {
                out.pop();
            }
        }
        out.push(p.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_and_scores_by_hand() {
        // truth 0 0 0 1 1 2, predicted 0 0 1 1 2 2
        let cm = confusion_matrix(&[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2], 3);
        assert_eq!(cm, vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]);
        assert!((accuracy(&[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2]) - 4.0 / 6.0).abs() < 1e-12);
        let s = class_scores(&cm);
        // class 0: P = 2/2, R = 2/3, F1 = 0.8; class 1: P = 1/2, R = 1/2, F1 = 0.5; class 2: P = 1/2, R = 1, F1 = 2/3
        assert!((s[0].precision - 1.0).abs() < 1e-12 && (s[0].recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((s[0].f1 - 0.8).abs() < 1e-12);
        assert!((s[1].f1 - 0.5).abs() < 1e-12);
        assert!((s[2].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((macro_f1(&cm) - (0.8 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn class_never_predicted_scores_zero_precision() {
        let cm = confusion_matrix(&[0, 1], &[0, 0], 2);
        let s = class_scores(&cm);
        assert_eq!(s[1].precision, 0.0);
        assert_eq!(s[1].f1, 0.0);
    }

    #[test]
    fn auc_of_perfect_inverted_and_uninformative_scorers() {
        let positive = [true, true, false, false];
        assert_eq!(auc(&roc_curve(&[0.9, 0.8, 0.2, 0.1], &positive)), 1.0);
        assert_eq!(auc(&roc_curve(&[0.1, 0.2, 0.8, 0.9], &positive)), 0.0);
        // A constant score ranks nothing: one step from (0, 0) to (1, 1).
        assert_eq!(auc(&roc_curve(&[0.5; 4], &positive)), 0.5);
        // By hand: scores 0.9(+) 0.7(-) 0.6(+) 0.2(-) -> AUC 0.75
        assert_eq!(
            auc(&roc_curve(
                &[0.9, 0.7, 0.6, 0.2],
                &[true, false, true, false]
            )),
            0.75
        );
    }

    #[test]
    fn roc_points_run_from_origin_to_one_one() {
        let points = roc_curve(&[0.3, 0.3, 0.9], &[true, false, true]);
        assert_eq!(points.first().map(|p| (p.fpr, p.tpr)), Some((0.0, 0.0)));
        assert_eq!(points.last().map(|p| (p.fpr, p.tpr)), Some((1.0, 1.0)));
        assert_eq!(points.len(), 3, "tied scores make one point");
    }

    #[test]
    fn roc_corners_keep_the_curve_and_its_auc() {
        let p = |fpr: f64, tpr: f64| RocPoint {
            fpr,
            tpr,
            threshold: None,
        };
        // A staircase with straight runs: up 3 steps, right 2, diagonal 2, up, right.
        let curve = vec![
            p(0.0, 0.0),
            p(0.0, 0.25),
            p(0.0, 0.5),
            p(0.0, 0.75),
            p(0.25, 0.75),
            p(0.5, 0.75),
            p(0.625, 0.875),
            p(0.75, 1.0),
            p(1.0, 1.0),
        ];
        let corners = roc_corners(&curve);
        assert_eq!(
            corners,
            vec![
                p(0.0, 0.0),
                p(0.0, 0.75),
                p(0.5, 0.75),
                p(0.75, 1.0),
                p(1.0, 1.0)
            ]
        );
        assert_eq!(auc(&corners), auc(&curve));
        // A random scorer's curve keeps its AUC too.
        let scores: Vec<f64> = (0..200)
            .map(|i| f64::from((i * 37) % 101) / 100.0)
            .collect();
        let positive: Vec<bool> = (0..200).map(|i| (i * 13) % 7 < 3).collect();
        let full = roc_curve(&scores, &positive);
        let kept = roc_corners(&full);
        assert!(kept.len() < full.len());
        assert!((auc(&kept) - auc(&full)).abs() < 1e-12);
    }
}
