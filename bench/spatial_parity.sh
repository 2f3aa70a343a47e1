#!/usr/bin/env bash
# Parity of /spatial/moran and /spatial/lisa with PySAL (esda, libpysal, geopandas, pinned, in a
# virtualenv under target/): the weights rebuilt by PySAL from our GeoJSON, the statistics to
# 1e-9, the permutation p-values within Monte-Carlo error (bench/spatial_parity.py), for the
# départements and for the legislative constituencies (`circ/` rows). Starts the
# API on 127.0.0.1. Runs in CI (about 30 s once the virtualenv exists).
#   bench/spatial_parity.sh                     (builds the release `api`)
#   API=target/debug/api bench/spatial_parity.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv="target/pysal-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import esda, libpysal, geopandas" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "esda==2.9.0" "libpysal==4.14.1" "geopandas==1.2.0" "shapely==2.2.0" "pyogrio==0.13.0" \
    "pyproj==3.7.2" "pandas==3.1.1" "numpy==2.4.6" "scipy==1.17.1" "scikit-learn==1.9.1"
fi
api="${API:-}"
if [ -z "$api" ]; then
  cargo build --release -q -p api
  api=target/release/api
fi
work="$(mktemp -d)"
port="${PORT:-18181}"
"$api" --host 127.0.0.1 --port "$port" --database-url "$work/e.db" > "$work/api.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
"$venv/bin/python" bench/spatial_parity.py "http://127.0.0.1:$port" \
  part_extreme_droite:metropole taux_chomage:metropole taux_abstention:france revenu_median:metropole \
  circ/part_extreme_droite:france:legislatives-2024-t1 circ/taux_participation:france:legislatives-2024-t1 \
  circ/part_gauche:metropole:legislatives-2022-t1
