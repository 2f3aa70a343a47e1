#!/usr/bin/env bash
# ML: `ml`'s full run (every model: 10 x 5 cross-validation with permutation importance, ROC,
# hold-out, final fit, then the database, dump and charts) against scikit-learn doing the same
# work on the same samples and folds (bench/ml_sklearn.py, in a virtualenv under target/).
# Three runs each; prints wall times and the ratio. One feature set (the same work on both
# sides), indicateurs_2022 unless JEU names another:   bench/ml.sh
#   JEU=socio_economique_historique bench/ml.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sklearn_venv.sh
jeu="${JEU:-indicateurs_2022}"
cargo build --release -q -p ml
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The committed dump holds the ETL's tables: a database for `ml` without the raw files.
python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(open('dump.sql').read())" "$work/e.db"
target/release/ml --database "$work/e.db" --jeux "$jeu" --export-dataset "$work/dataset.csv"
wall() { /usr/bin/time -f "%e" -o "$work/t" "$@" >"$work/out" 2>&1; cat "$work/t"; }
rust=(); python=()
for _ in 1 2 3; do
  rust+=("$(wall target/release/ml --database "$work/e.db" --jeux "$jeu" --dump "$work/dump.sql" --images "$work/images")")
  python+=("$(wall "$venv/bin/python" bench/ml_sklearn.py "$work/dataset.csv")")
done
echo "== ml (Rust, smartcore), last run:"; wall target/release/ml --database "$work/e.db" --jeux "$jeu" --dump "$work/dump.sql" --images "$work/images" >/dev/null; cat "$work/out"
echo "== scikit-learn, last run:"; wall "$venv/bin/python" bench/ml_sklearn.py "$work/dataset.csv" >/dev/null; cat "$work/out"
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
r=$(median "${rust[@]}"); p=$(median "${python[@]}")
echo "wall time, median of 3: ml ${r} s, scikit-learn ${p} s, ratio $(awk -v a="$r" -v b="$p" 'BEGIN {printf "%.3f", a / b}')"
