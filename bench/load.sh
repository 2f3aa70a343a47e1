#!/usr/bin/env bash
# API load on loopback with wrk (installed from Debian's packages when missing): starts the
# release server on 127.0.0.1, runs each endpoint at 64 connections for a bounded time and
# request count, prints requests/s, p50, p99, errors, the ratio to /health, and the server's RSS
# before and after.
#   bench/load.sh [seconds per endpoint, default 10]
# "cached" rows are repeated URLs served by the server's response cache; "uncached" rows send
# `Cache-Control: no-cache`, so every request recomputes its response.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
port="${PORT:-18080}"
export MAX_REQUESTS="${MAX_REQUESTS:-1000000}"   # per wrk thread
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" != 0 ] && sudo_cmd="sudo"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q -p api
dir="$(mktemp -d)"
target/release/api --host 127.0.0.1 --port "$port" --database-url "$dir/bench.db" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
url="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$server/status"; }
echo "server RSS before: $(rss)"
etag=$(curl -fsI "$url/departements" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
nocache=(-H 'Cache-Control: no-cache')
printf '%-44s %11s %9s %9s %7s  %s\n' endpoint 'requests/s' p50 p99 ratio errors
base=""
run() {  # label, then wrk arguments; the URL is requested once first (warm cache)
  curl -s -o /dev/null -H 'Accept:' "${@: -1}" || true
  local label=$1; shift
  local out rps p50 p99 errors ratio
  out=$(wrk -t2 -c64 -d"${duration}s" --timeout 10s --latency -s bench/wrk.lua "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0} /^5xx responses: [1-9]/ {printf "%s; ", $0}' <<<"$out")
  [ -z "$base" ] && base=$rps
  ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
  printf '%-44s %11s %9s %9s %7s  %s\n' "$label" "$rps" "$p50" "$p99" "$ratio" "${errors:-0}"
}
run "/health" "$url/health"
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
run "/departements 304 (If-None-Match)" -H "If-None-Match: $etag" "$url/departements"
BODY='{"departement":"59","overrides":{"taux_chomage":11.5}}' run "POST /predict" "$url/predict"
echo "server RSS after: $(rss)"
