"""The `ml` protocol in scikit-learn, on the same samples and the same folds.

Reads the CSV written by `ml --export-dataset`, then for each model does what `ml` does:
10 x 5 stratified cross-validation (fit, class probabilities, accuracy, one permutation of
each feature on the test fold), pooled confusion matrix, one-vs-rest ROC curves and AUC,
the 80/20 hold-out, and a final fit on every sample. Prints each model's accuracy and time,
and the total.  Usage: python bench/ml_sklearn.py dataset.csv
"""

import csv
import sys
import time

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import auc, confusion_matrix, roc_curve
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

SEED = 42


def models():
    # Same hyper-parameters as ml/src/models.rs.
    return {
        "baseline_majorite": lambda s: DummyClassifier(strategy="most_frequent"),
        "regression_logistique": lambda s: make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)
        ),
        "arbre_decision": lambda s: DecisionTreeClassifier(
            max_depth=4, min_samples_leaf=3, random_state=s
        ),
        "foret_aleatoire": lambda s: RandomForestClassifier(
            n_estimators=100, max_features="sqrt", bootstrap=True, random_state=s, n_jobs=1
        ),
        "knn": lambda s: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7)),
        "bayes_naif_gaussien": lambda s: GaussianNB(),
    }


def main(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0].keys())
    features = header[1 : header.index("classe")]
    repeats = [h for h in header if h.startswith("pli_r")]
    x = np.array([[float(r[c]) for c in features] for r in rows])
    classes = sorted({r["classe"] for r in rows})
    y = np.array([classes.index(r["classe"]) for r in rows])
    folds = np.array([[int(r[c]) for c in repeats] for r in rows])
    holdout_test = np.array([r["holdout"] == "test" for r in rows])
    rng = np.random.default_rng(SEED)
    total = 0.0
    print(f"{len(y)} samples, {len(features)} features, {len(repeats)} x {folds.max() + 1} folds")
    for name, make in models().items():
        start = time.perf_counter()
        accuracies, truth, predicted, probabilities = [], [], [], []
        for r in range(len(repeats)):
            for k in range(folds[:, r].max() + 1):
                test = folds[:, r] == k
                model = make(SEED + r * 5 + k).fit(x[~test], y[~test])
                p = model.predict_proba(x[test])
                labels = p.argmax(axis=1)
                accuracy = (labels == y[test]).mean()
                accuracies.append(accuracy)
                for j in range(len(features)):
                    shuffled = x[test].copy()
                    shuffled[:, j] = rng.permutation(shuffled[:, j])
                    _ = accuracy - (model.predict(shuffled) == y[test]).mean()
                truth.extend(y[test])
                predicted.extend(labels)
                probabilities.extend(p)
        probabilities = np.array(probabilities)
        truth = np.array(truth)
        confusion_matrix(truth, predicted, labels=range(len(classes)))
        aucs = []
        for c in range(len(classes)):
            fpr, tpr, _ = roc_curve(truth == c, probabilities[:, c])
            aucs.append(auc(fpr, tpr))
        held = make(SEED).fit(x[~holdout_test], y[~holdout_test])
        held.score(x[holdout_test], y[holdout_test])
        make(SEED).fit(x, y)
        elapsed = time.perf_counter() - start
        total += elapsed
        print(
            f"{name:<24} accuracy {np.mean(accuracies):.3f} ± {np.std(accuracies):.3f}"
            f"  AUC {np.mean(aucs):.3f}  {elapsed:6.2f} s"
        )
    print(f"total training and evaluation: {total:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1])
