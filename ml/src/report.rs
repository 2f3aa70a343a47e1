//! The ML charts (through the `charts` crate) from a set of evaluations.

use charts::{Bar, Curve, Look, Panel};

use crate::evaluate::Evaluation;

/// A family's label (`Extrême droite`), its code when it has none.
fn famille(code: &str) -> String {
    db::domaine::famille(code).map_or_else(|| code.to_owned(), |f| f.libelle.to_owned())
}

/// The model with the best cross-validated accuracy (ties to the first).
pub fn best(evaluations: &[Evaluation]) -> Option<&Evaluation> {
    db::snapshot::first_max_by_key(evaluations, |e| e.accuracy_moyenne)
}

/// Cross-validated accuracy of every model, best first, with error bars and the baseline
/// marked (its label on a row of its own, above the bars).
pub fn accuracy_chart(
    look: &Look,
    evaluations: &[Evaluation],
) -> Result<String, charts::ChartError> {
    let n = evaluations.first().map_or(0, |e| e.n_echantillons);
    let protocol = evaluations
        .first()
        .map(|e| {
            format!(
                "{} x {} plis stratifiés",
                e.protocole.repeats, e.protocole.folds
            )
        })
        .unwrap_or_default();
    // Several feature sets: each label says which (the algorithm alone would repeat).
    let several = evaluations
        .iter()
        .any(|e| e.jeu_features != evaluations[0].jeu_features);
    let label = |e: &Evaluation| {
        let algorithm = e.algorithme.libelle();
        match crate::features::jeu(&e.jeu_features) {
            Some(jeu) if several => format!("{algorithm} [{}]", jeu.court),
            _ => algorithm.to_owned(),
        }
    };
    // Best first; equal scores keep the evaluation order.
    let mut sorted: Vec<&Evaluation> = evaluations.iter().collect();
    sorted.sort_by(|a, b| b.accuracy_moyenne.total_cmp(&a.accuracy_moyenne));
    let bars: Vec<Bar> = sorted
        .iter()
        .map(|e| Bar {
            label: label(e),
            value: e.accuracy_moyenne,
            famille: String::new(),
            annotation: format!(
                "{} ± {}",
                charts::fr(e.accuracy_moyenne, 3),
                charts::fr(e.accuracy_ecart_type, 3)
            ),
            error: Some(e.accuracy_ecart_type),
        })
        .collect();
    let baseline = evaluations
        .iter()
        .find(|e| e.algorithme == crate::models::Algorithm::Majorite)
        .map(|e| {
            (
                e.accuracy_moyenne,
                "Référence : classe majoritaire".to_owned(),
            )
        });
    charts::bars_with_reference(
        &look.options(
            &format!("Exactitude en validation croisée ({protocol}, n = {n})"),
            "Exactitude moyenne de chaque modèle, avec l'écart type sur les plis, à côté de la classe majoritaire.",
        ),
        "Exactitude (part des départements bien classés)",
        &bars,
        baseline,
    )
}

/// Confusion matrices of the given models, one panel each.
pub fn confusion_chart(
    look: &Look,
    evaluations: &[Evaluation],
) -> Result<String, charts::ChartError> {
    let classes: Vec<String> = evaluations
        .first()
        .map(|e| e.classes.iter().map(|c| famille(c)).collect())
        .unwrap_or_default();
    let matrices: Vec<Panel<Vec<Vec<usize>>>> = evaluations
        .iter()
        .map(|e| Panel {
            title: e.algorithme.libelle().to_owned(),
            data: e.matrice_confusion.clone(),
        })
        .collect();
    charts::confusion_matrices(
        &look.options(
            "Matrices de confusion (prédictions hors pli, toutes répétitions)",
            "Pour chaque modèle, nombre de départements par famille réelle (lignes) et prédite (colonnes).",
        ),
        &classes,
        &matrices,
    )
}

/// Permutation importance of one model's features.
pub fn importance_chart(
    look: &Look,
    evaluation: &Evaluation,
) -> Result<String, charts::ChartError> {
    let bars: Vec<Bar> = evaluation
        .importance_permutation
        .iter()
        .map(|i| Bar {
            label: crate::features::libelle(&i.feature)
                .map_or_else(|| i.feature.clone(), str::to_owned),
            value: i.baisse_accuracy,
            famille: String::new(),
            annotation: format!(
                "{} ± {}",
                charts::fr(i.baisse_accuracy, 3),
                charts::fr(i.ecart_type, 3)
            ),
            error: Some(i.ecart_type),
        })
        .collect();
    // A negative importance (shuffling the feature helped) is drawn left of 0, with its
    // whole error bar: the axis fits the values, not 0..1.
    charts::signed_bars_with_errors(
        &look.options(
            &format!("Importance des variables par permutation : {}", evaluation.algorithme.libelle()),
            "Baisse moyenne de l'exactitude sur les plis de test quand les valeurs d'une variable sont mélangées ; négative, le mélange a aidé le modèle.",
        ),
        "Baisse de l'exactitude (± écart type)",
        &bars,
        2,
    )
}

/// One-vs-rest ROC curves of the given models, one panel each.
pub fn roc_chart(look: &Look, evaluations: &[Evaluation]) -> Result<String, charts::ChartError> {
    let panels: Vec<Panel<Vec<Curve>>> = evaluations
        .iter()
        .map(|e| Panel {
            title: format!(
                "{} (AUC macro {})",
                e.algorithme.libelle(),
                charts::fr(e.auc_macro, 2)
            ),
            data: e
                .roc
                .iter()
                .map(|r| Curve {
                    famille: r.classe.clone(),
                    legend: format!("{} : AUC {}", famille(&r.classe), charts::fr(r.auc, 2)),
                    points: r.points.iter().map(|p| (p.fpr, p.tpr)).collect(),
                })
                .collect(),
        })
        .collect();
    charts::roc_curves(
        &look.options(
            "Courbes ROC un contre tous (probabilités hors pli)",
            "Pour chaque modèle, une courbe ROC par famille politique ; la diagonale est un classement au hasard.",
        ),
        &panels,
    )
}

/// `images/` file name and SVG of each ML chart.
pub fn charts(evaluations: &[Evaluation]) -> Result<Vec<(String, String)>, charts::ChartError> {
    let look = Look::default();
    let best = best(evaluations).ok_or_else(|| charts::ChartError::NoData("no model".into()))?;
    Ok(vec![
        (
            "ml_accuracy_comparison.svg".to_owned(),
            accuracy_chart(&look, evaluations)?,
        ),
        (
            "ml_confusion_matrices.svg".to_owned(),
            confusion_chart(&look, evaluations)?,
        ),
        (
            "ml_feature_importance.svg".to_owned(),
            importance_chart(&look, best)?,
        ),
        (
            "ml_roc_curves.svg".to_owned(),
            roc_chart(&look, evaluations)?,
        ),
    ])
}
