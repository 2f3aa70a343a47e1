#!/usr/bin/env bash
# Parity with scikit-learn: every model of `ml` on every feature set against its
# scikit-learn counterpart (bench/ml_sklearn.py --parity), on the same samples and the same
# folds (`ml --export-dataset`). Our accuracies are those stored in the committed dump.sql
# (ml/tests/real_data.rs checks that `ml` reproduces it byte for byte). Prints the table and
# fails when one model differs by more than 0.03. Runs in CI (about a minute).
#   bench/ml_parity.sh                  (builds the release `ml`)
#   ML=target/debug/ml bench/ml_parity.sh   (any `ml` binary, e.g. the one the tests built)
# Then the constituency forecast: every model with the hyper-parameters our inner
# cross-validation chose, fitted by scikit-learn on the same training cycles and scored on the
# same test election (`ml --export-previsions`), against our test accuracy, same tolerance.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sklearn_venv.sh
ml="${ML:-}"
if [ -z "$ml" ]; then
  cargo build --release -q -p ml
  ml=target/release/ml
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(open('dump.sql').read())" "$work/e.db"
sets=()
for jeu in indicateurs_2022 socio_economique socio_economique_historique; do
  "$ml" --database "$work/e.db" --jeux "$jeu" --export-dataset "$work/$jeu.csv" >/dev/null
  sets+=("$jeu=$work/$jeu.csv")
done
status=0
"$venv/bin/python" bench/ml_sklearn.py --parity "$work/e.db" --tolerance 0.03 "${sets[@]}" || status=1
mkdir "$work/previsions"
"$ml" --database "$work/e.db" --export-previsions "$work/previsions" >/dev/null
"$venv/bin/python" bench/ml_sklearn.py --parity-previsions "$work/e.db" "$work/previsions" --tolerance 0.03 || status=1
exit "$status"
