#!/usr/bin/env bash
# API load on loopback with wrk (installed from Debian's packages when missing): starts the
# release server on 127.0.0.1, runs each endpoint at 64 connections for a bounded time and
# request count, prints requests/s, p50, p99, errors, the ratio to /health, and the server's RSS
# before and after.
#   bench/load.sh [seconds per endpoint, default 10]
#   ONLY='carte|geojson' bench/load.sh 5   # /health (the baseline) and the rows matching ONLY
# The ceiling row: a bare actix-web server (api/examples/bare.rs: the same /health JSON, no
# middleware) on the next port, run right after /health; "ours / bare" is /health's share of it.
# BARE=path/to/bare runs another build of it.
# "cached" rows are repeated URLs served by the server's response cache; "uncached" rows send
# `Cache-Control: no-cache`, so every request recomputes its response.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
port="${PORT:-18080}"
export MAX_REQUESTS="${MAX_REQUESTS:-1000000}"   # per wrk thread
# Requests are counted as sent, so that wrk hands no body to its Lua script (copying each
# body cost a tenth of the throughput of the large answers on these two shared cores; see
# bench/wrk.lua). Refusals still show as wrk's "Non-2xx or 3xx responses".
# COUNT=responses counts the answers and tells 5xx apart, as before 2026-12-06.
export COUNT="${COUNT:-requests}"
source bench/server.sh
rss() { awk -v k="$(rss_kib)" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
echo "server RSS before: $(rss)"
etag=$(curl -fsI "$url/departements" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
nocache=(-H 'Cache-Control: no-cache')
printf '%-44s %11s %9s %9s %7s  %s\n' endpoint 'requests/s' p50 p99 ratio errors
base=""
run() {  # label, then wrk arguments; the URL is requested once first (warm cache)
  curl -s -o /dev/null -H 'Accept:' "${@: -1}" || true
  local label=$1; shift
  if [[ "$label" != /health* ]] && [ -n "${ONLY:-}" ] && ! [[ "$label" =~ $ONLY ]]; then return 0; fi
  local out rps p50 p99 errors ratio
  out=$(wrk -t2 -c64 -d"${duration}s" --timeout 10s --latency -s bench/wrk.lua "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0} /^5xx responses: [1-9]/ {printf "%s; ", $0}' <<<"$out")
  [ -z "$base" ] && base=$rps
  ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
  printf '%-44s %11s %9s %9s %7s  %s\n' "$label" "$rps" "$p50" "$p99" "$ratio" "${errors:-0}"
  last=$rps
}
run "/health" "$url/health"
bare_bin="${BARE:-target/release/examples/bare}"
[ -n "${BARE:-}" ] || cargo build --release -q -p api --example bare
"$bare_bin" "127.0.0.1:$((port + 1))" >/dev/null 2>&1 &
bare=$!
trap 'kill "$server" "$bare" 2>/dev/null; wait "$server" "$bare" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((port + 1))/health" >/dev/null 2>&1 && break; sleep 0.1; done
health=$base
run "/health (bare actix-web: the ceiling)" "http://127.0.0.1:$((port + 1))/health"
kill "$bare"; wait "$bare" 2>/dev/null || true
awk -v a="$health" -v b="$last" 'BEGIN {printf "%-44s %11.2f\n", "/health: ours / bare", a / b}'
run "/departements" "$url/departements"
run "/departements (uncached)" "${nocache[@]}" "$url/departements"
run "/departements/59" "$url/departements/59"
run "/departements/59 (uncached)" "${nocache[@]}" "$url/departements/59"
run "/indicateurs" "$url/indicateurs"
run "/indicateurs (uncached)" "${nocache[@]}" "$url/indicateurs"
run "/correlations" "$url/correlations"
run "/correlations (uncached)" "${nocache[@]}" "$url/correlations"
run "/charts/nuage.svg" "$url/charts/nuage.svg"
run "/charts/nuage.svg (uncached)" "${nocache[@]}" "$url/charts/nuage.svg"
run "/charts/nuage.png" "$url/charts/nuage.png"
run "/charts/nuage.png (uncached)" "${nocache[@]}" "$url/charts/nuage.png"
run "/indicateurs?annee=2017 (uncached)" "${nocache[@]}" "$url/indicateurs?annee=2017"
run "/departements/59/evolution (uncached)" "${nocache[@]}" "$url/departements/59/evolution"
run "/charts/evolution.svg (uncached)" "${nocache[@]}" "$url/charts/evolution.svg?departement=59"
run "/charts/carte/part_extreme_droite.svg" "$url/charts/carte/part_extreme_droite.svg"
run "/charts/carte/part_extreme_droite.svg (uncached)" "${nocache[@]}" "$url/charts/carte/part_extreme_droite.svg"
run "/charts/carte/part_extreme_droite.png (uncached)" "${nocache[@]}" "$url/charts/carte/part_extreme_droite.png"
run "/charts/carte/...?classes=jenks (uncached)" "${nocache[@]}" "$url/charts/carte/part_extreme_droite.svg?classes=jenks"
run "/circonscriptions (577 rows)" "$url/circonscriptions"
run "/circonscriptions (uncached)" "${nocache[@]}" "$url/circonscriptions"
run "/charts/circonscriptions/carte/part_extreme_droite.svg" "$url/charts/circonscriptions/carte/part_extreme_droite.svg"
run "/charts/circonscriptions/carte/... (uncached)" "${nocache[@]}" "$url/charts/circonscriptions/carte/part_extreme_droite.svg"
run "/charts/circonscriptions/sieges.svg (uncached)" "${nocache[@]}" "$url/charts/circonscriptions/sieges.svg?par=nuance"
run "/circonscriptions.geojson?simplifie=true" "$url/circonscriptions.geojson?simplifie=true"
run "/circonscriptions.geojson?simplifie=true (uncached)" "${nocache[@]}" "$url/circonscriptions.geojson?simplifie=true"
run "/departements.geojson (3.8 MB)" "$url/departements.geojson"
run "/departements.geojson (uncached)" "${nocache[@]}" "$url/departements.geojson"
run "/departements.geojson?simplifie=true" "$url/departements.geojson?simplifie=true"
run "/departements.geojson?simplifie=true (uncached)" "${nocache[@]}" "$url/departements.geojson?simplifie=true"
run "/departements 304 (If-None-Match)" -H "If-None-Match: $etag" "$url/departements"
BODY='{"departement":"59","overrides":{"taux_chomage":11.5}}' run "POST /predict" "$url/predict"
echo "server RSS after: $(rss)"
