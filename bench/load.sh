#!/usr/bin/env bash
# API load on loopback with wrk: starts the release server on 127.0.0.1, runs each endpoint
# for a bounded time at 64 connections, prints requests/s, p50, p99, the ratio to /health,
# and the server's RSS before and after. Usage: bench/load.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
port="${PORT:-18080}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p api
db="$(mktemp -d)/bench.db"
target/release/api --host 127.0.0.1 --port "$port" --database-url "$db" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$server/status"; }
echo "server RSS before: $(rss)"
printf '%-40s %12s %10s %10s %8s\n' endpoint 'requests/s' p50 p99 ratio
base=""
for path in /health /departements /departements/59 /indicateurs /correlations /charts/nuage /charts/nuage.png; do
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "http://127.0.0.1:$port$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -z "$base" ] && base=$rps
  ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
  printf '%-40s %12s %10s %10s %8s %s\n' "$path" "$rps" "$p50" "$p99" "$ratio" "$errors"
done
echo "server RSS after: $(rss)"
