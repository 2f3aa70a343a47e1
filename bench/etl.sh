#!/usr/bin/env bash
# ETL benchmarks.
# 1. The real files (data_raw/): wall time and peak RSS, median of 10 runs.
# 2. Synthetic inputs at polling-station size, written by etl/examples/gen_scale.rs in the same
#    workbook layout (plus commune and polling-station columns): 70,000 stations x 12
#    candidates (1x), 4x, and 15x = 1,048,575 stations, all an xlsx sheet holds under its header
#    (16x would not fit). Prints wall time, throughput and peak RSS, and the cost per row.
#   bench/etl.sh            (SCALES="1 4" bench/etl.sh for a shorter run)
set -euo pipefail
cd "$(dirname "$0")/.."
scales="${SCALES-1 4 15}"
cargo build --release -q -p etl --bin etl --example gen_scale
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
measure() {  # raw dir -> "seconds KiB"
  /usr/bin/time -f "%e %M" -o "$work/time" target/release/etl --raw-dir "$1" \
    --out-dir "$work/out" --database "$work/e.db" --dump "$work/dump.sql" >/dev/null
  cat "$work/time"
}
if [ -f data_raw/resultats-par-niveau-dpt-t1-france-entiere.xlsx ]; then
  for _ in $(seq 10); do measure data_raw; done | sort -n >"$work/real"
  median=$(awk 'NR == 5 || NR == 6 {s += $1; m = $2 > m ? $2 : m} END {printf "%.3f s, %.0f MiB", s / 2, m / 1024}' "$work/real")
  echo "real files (107 constituencies, median of 10): $median"
fi
printf '%-6s %10s %10s %9s %14s %10s %14s\n' scale stations 'rows read' seconds 'rows/s' 'peak MiB' 'µs per row'
for s in $scales; do
  stations=$(( 70000 * s )); [ "$stations" -gt 1048575 ] && stations=1048575
  dir="target/scale/${stations}"
  if [ ! -f "$dir/done" ]; then
    target/release/examples/gen_scale --stations "$stations" --out "$dir" >/dev/null
    touch "$dir/done"
  fi
  # The enrichment inputs (2017, INSEE) are the real ones at every scale.
  if [ -d data_raw/enrichment ] && [ ! -e "$dir/enrichment" ]; then
    ln -s "$PWD/data_raw/enrichment" "$dir/enrichment"
  fi
  read -r seconds kib < <(measure "$dir")
  rows=$(( 2 * stations ))
  awk -v s="$s" -v st="$stations" -v r="$rows" -v t="$seconds" -v k="$kib" \
    'BEGIN {printf "%-6s %10d %10d %9.2f %14.0f %10.0f %14.1f\n", s "x", st, r, t, r / t, k / 1024, t * 1e6 / r}'
done
