# The scikit-learn virtualenv of the ML benchmarks (sourced by bench/ml.sh and
# bench/ml_parity.sh): pinned versions, created once under target/.
venv="target/sklearn-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "scikit-learn==1.7.2" "numpy==2.4.6" "scipy==1.17.1" "joblib==1.6.0" "threadpoolctl==3.8.0"
fi
