//! Cross-validated accuracy of the gradient boosting model (`ml::boosting`) on the samples
//! and folds written by `ml --export-dataset` (the same splits scikit-learn gets in
//! `bench/ml_sklearn.py`): mean and standard deviation over every fold of every repeat.
//!
//! `cargo run --release -p ml --example boosting_cv -- dataset.csv`

use ml::boosting::{GradientBoosting, Parametres};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: boosting_cv dataset.csv")?;
    let mut reader = csv::Reader::from_path(&path)?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let classe = header
        .iter()
        .position(|h| h == "classe")
        .ok_or("no classe column")?;
    let plis: Vec<usize> = (0..header.len())
        .filter(|i| header[*i].starts_with("pli_r"))
        .collect();
    let (mut x, mut labels, mut folds) = (Vec::new(), Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row?;
        x.push(
            (1..classe)
                .map(|i| row[i].parse::<f64>())
                .collect::<Result<Vec<f64>, _>>()?,
        );
        labels.push(row[classe].to_owned());
        folds.push(
            plis.iter()
                .map(|i| row[*i].parse::<usize>())
                .collect::<Result<Vec<usize>, _>>()?,
        );
    }
    let mut classes = labels.clone();
    classes.sort();
    classes.dedup();
    let y: Vec<usize> = labels
        .iter()
        .map(|l| classes.iter().position(|c| c == l).unwrap_or(0))
        .collect();
    let k = folds.iter().flatten().max().map_or(0, |m| m + 1);
    let started = std::time::Instant::now();
    let mut accuracies = Vec::new();
    for (r, _) in plis.iter().enumerate() {
        for f in 0..k {
            let train: Vec<usize> = (0..y.len()).filter(|i| folds[*i][r] != f).collect();
            let test: Vec<usize> = (0..y.len()).filter(|i| folds[*i][r] == f).collect();
            let pick = |idx: &[usize]| idx.iter().map(|i| x[*i].clone()).collect::<Vec<_>>();
            let model = GradientBoosting::fit(
                &pick(&train),
                &train.iter().map(|i| y[*i]).collect::<Vec<_>>(),
                classes.len(),
                Parametres::default(),
                42 + (r * k + f) as u64,
            )?;
            let p = model.predict_proba(&pick(&test))?;
            let right = test
                .iter()
                .zip(&p)
                .filter(|(i, row)| ml::models::argmax(row) == y[**i])
                .count();
            accuracies.push(right as f64 / test.len() as f64);
        }
    }
    let n = accuracies.len() as f64;
    let mean = accuracies.iter().sum::<f64>() / n;
    let sd = (accuracies.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n).sqrt();
    println!(
        "gradient boosting: accuracy {mean:.3} ± {sd:.3} over {} folds ({} samples, {} features), {:.2} s",
        accuracies.len(),
        y.len(),
        x.first().map_or(0, Vec::len),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
