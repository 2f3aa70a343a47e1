#!/usr/bin/env bash
# Soak: 30 s (or $1 s) of mixed traffic at 64 connections on loopback (JSON, dashboard pages,
# SVG and PNG charts, 404s), sampling the server's RSS every 5 s. Fails on any socket error or
# 5xx, or when RSS grows by more than 10 % between the first sample under load and the last.
#   bench/soak.sh [seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
port="${PORT:-18081}"
export MAX_REQUESTS="${MAX_REQUESTS:-5000000}"   # per wrk thread
source bench/server.sh
echo "RSS at rest: $(( $(rss_kib) / 1024 )) MiB"
# A different chart title per region keeps the response cache churning through new entries.
urls="/health /departements /departements/59 /indicateurs /indicateurs?tour=2&format=csv
/correlations?methode=spearman /models /departements/13/prediction /charts/nuage.svg
/charts/boites/taux_chomage.svg?region=32 /charts/departements/59/chomage.svg
/charts/histogramme/taux_abstention.svg?bins=30 / /exploration?departement=75
/visualisations?region=84 /apprentissage?departement=59&taux_chomage=12 /nope /departements/999"
URLS="$urls" wrk -t2 -c64 -d"${duration}s" --latency -s bench/wrk.lua "$url" \
  >"$dir/wrk.txt" &
load=$!
samples=()
for _ in $(seq $(( duration / 5 ))); do
  sleep 5
  samples+=("$(rss_kib)")
done
wait "$load"
cat "$dir/wrk.txt"
printf 'RSS every 5 s (MiB):'; for s in "${samples[@]}"; do printf ' %s' $(( s / 1024 )); done; echo
# 404s are expected (two of the URLs are unknown); socket errors and 5xx are not.
curl -fs "$url/health" >/dev/null
if grep -q "Socket errors" "$dir/wrk.txt"; then echo "FAIL: socket errors"; exit 1; fi
grep -q "^5xx responses: 0$" "$dir/wrk.txt" || { echo "FAIL: server errors"; exit 1; }
first=${samples[0]}; last=${samples[-1]}
growth=$(awk -v a="$first" -v b="$last" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "RSS growth under load: $growth %"
awk -v g="$growth" 'BEGIN {exit !(g <= 10)}' || { echo "FAIL: memory grew"; exit 1; }
echo "OK: no socket error, flat memory"
