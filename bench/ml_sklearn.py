"""The `ml` protocol in scikit-learn, on the same samples and the same folds.

Timing: reads the CSV written by `ml --export-dataset`, then for each model does what `ml`
does: 10 x 5 stratified cross-validation (fit, class probabilities, accuracy, one permutation
of each feature on the test fold), pooled confusion matrix, one-vs-rest ROC curves and AUC,
the 80/20 hold-out, and a final fit on every sample. Prints each model's accuracy and time,
and the total.  Usage: python bench/ml_sklearn.py dataset.csv

Parity: for each feature set, the cross-validated accuracy of every scikit-learn model on the
exported folds beside ours (read from the `modeles` table of the database `ml` wrote), and
the difference; exits 1 when one differs by more than the tolerance.
Usage: python bench/ml_sklearn.py --parity models.db [--tolerance 0.03] set=dataset.csv...
"""

import csv
import sqlite3
import sys
import time

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
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
        "gradient_boosting": lambda s: GradientBoostingClassifier(
            n_estimators=100, learning_rate=0.1, max_depth=3, random_state=s
        ),
        "knn": lambda s: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7)),
        "bayes_naif_gaussien": lambda s: GaussianNB(),
    }


def read(path):
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
    return features, classes, x, y, repeats, folds, holdout_test


def main(path):
    features, classes, x, y, repeats, folds, holdout_test = read(path)
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


def cv_accuracy(make, x, y, folds):
    accuracies = []
    for r in range(folds.shape[1]):
        for k in range(folds[:, r].max() + 1):
            test = folds[:, r] == k
            model = make(SEED + r * 5 + k).fit(x[~test], y[~test])
            accuracies.append((model.predict_proba(x[test]).argmax(axis=1) == y[test]).mean())
    return float(np.mean(accuracies))


def parity(database, tolerance, sets):
    ours = dict(
        sqlite3.connect(database).execute("SELECT id, accuracy_moyenne FROM modeles").fetchall()
    )
    print(f"{'model':<24} {'feature set':<28} {'ours':>6} {'sklearn':>8} {'diff':>7}")
    worst = 0.0
    for arg in sets:
        jeu, path = arg.split("=", 1)
        _, _, x, y, _, folds, _ = read(path)
        for name, make in models().items():
            key = name if jeu == "indicateurs_2022" else f"{name}__{jeu}"
            theirs = cv_accuracy(make, x, y, folds)
            diff = ours[key] - theirs
            worst = max(worst, abs(diff))
            flag = "" if abs(diff) <= tolerance else "  over tolerance"
            print(f"{name:<24} {jeu:<28} {ours[key]:6.3f} {theirs:8.3f} {diff:+7.3f}{flag}")
    print(f"largest difference {worst:.3f} (tolerance {tolerance})")
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    if sys.argv[1] == "--parity":
        args = sys.argv[3:]
        tolerance = 0.03
        if args and args[0] == "--tolerance":
            tolerance, args = float(args[1]), args[2:]
        sys.exit(parity(sys.argv[2], tolerance, args))
    main(sys.argv[1])
