#!/usr/bin/env bash
# ETL benchmarks.
# 1. The real files (data_raw/): wall time and peak RSS, median of 10 runs.
# 2. Synthetic polling-station results written by etl/examples/gen_scale.rs in the Ministry's
#    own layout and names (2022 polling-station header, N°Panneau blocks, stations grouped by
#    commune): 70,000 stations x 12 candidates per round (1x), 4x and 16x (1,120,000 stations,
#    past the 1,048,575 rows an xlsx sheet holds). For each format (txt: Latin-1 `;` text as
#    published; xlsx: the same rows in a workbook, up to 15x) it prints wall time, rows read
#    per second, µs per row and peak RSS of the whole run, and the time spent reading and
#    checking the two results files (from etl's debug log).
# 3. At 1x, checks that text, xlsx and the département workbook the stations sum to give
#    byte-identical data_clean/ and dump.sql, and prints the commune table's size and rows.
# 4. With BEFORE=dir holding an older etl and its gen_scale (built from an earlier commit),
#    the same scales through that binary's xlsx path, for a before/after table.
#   bench/etl.sh                       (SCALES="1 4" FORMATS=txt bench/etl.sh for a shorter run)
set -euo pipefail
cd "$(dirname "$0")/.."
scales="${SCALES-1 4 16}"
formats="${FORMATS-txt xlsx}"
cargo build --release -q -p etl --bin etl --example gen_scale
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
measure() {  # etl binary, raw dir -> "seconds KiB read_ms"
  rm -rf "$work/out"; mkdir -p "$work/out"
  RUST_LOG=etl=debug /usr/bin/time -f "%e %M" -o "$work/time" "$1" --raw-dir "$2" \
    --out-dir "$work/out/clean" --database "$work/out/e.db" --dump "$work/out/dump.sql" \
    >/dev/null 2>"$work/log"
  # The slower of the two rounds' read (they run side by side), in ms.
  read_ms=$(grep -E 'read and checked .*resultats-par-niveau-[a-z]+-t[12]-france-entiere' "$work/log" |
    sed -E 's/.* in ([0-9.]+)(ms|s|µs)$/\1 \2/' |
    awk '{v = $2 == "s" ? $1 * 1000 : ($2 == "µs" ? $1 / 1000 : $1); m = v > m ? v : m} END {printf "%.0f", m}')
  echo "$(cat "$work/time") ${read_ms:-0}"
}
if [ -f data_raw/resultats-par-niveau-dpt-t1-france-entiere.xlsx ]; then
  for _ in $(seq 10); do measure target/release/etl data_raw; done | sort -n >"$work/real"
  median=$(awk 'NR == 5 || NR == 6 {s += $1; m = $2 > m ? $2 : m} END {printf "%.3f s, %.0f MiB", s / 2, m / 1024}' "$work/real")
  echo "real files (107 constituencies, median of 10): $median"
fi
link_enrichment() {  # The enrichment inputs (2017, INSEE) and outlines are the real ones.
  for d in enrichment geo; do
    if [ -d "data_raw/$d" ] && [ ! -e "$1/$d" ]; then ln -s "$PWD/data_raw/$d" "$1/$d"; fi
  done
}
generate() {  # gen_scale binary, stations, format, dir
  if [ ! -f "$4/done" ]; then
    rm -rf "$4"
    if [ -n "$3" ]; then "$1" --stations "$2" --format "$3" --out "$4" >/dev/null
    else "$1" --stations "$2" --out "$4" >/dev/null; fi
    touch "$4/done"
  fi
  link_enrichment "$4"
}
row() {  # label scale stations "seconds KiB read_ms"
  read -r seconds kib read_ms <<<"$4"
  rows=$(( 2 * $3 ))
  awk -v l="$1" -v s="$2" -v st="$3" -v r="$rows" -v t="$seconds" -v k="$kib" -v rd="$read_ms" \
    'BEGIN {printf "%-7s %-5s %10d %10d %8.2f %11.0f %9.1f %9.0f %9.2f\n", l, s "x", st, r, t, r / t, t * 1e6 / r, k / 1024, rd / 1000}'
}
printf '%-7s %-5s %10s %10s %8s %11s %9s %9s %9s\n' format scale stations 'rows read' seconds 'rows/s' 'µs/row' 'peak MiB' 'read s'
for f in $formats; do
  for s in $scales; do
    stations=$(( 70000 * s ))
    if [ "$f" = xlsx ] && [ "$stations" -gt 1048575 ]; then
      stations=1048575; s=15
    fi
    dir="target/scale/$f-$stations"
    generate target/release/examples/gen_scale "$stations" "$f" "$dir"
    row "$f" "$s" "$stations" "$(measure target/release/etl "$dir")"
  done
done
if [ -n "${BEFORE-}" ]; then
  for s in $scales; do
    stations=$(( 70000 * s )); [ "$stations" -gt 1048575 ] && { stations=1048575; s=15; }
    dir="target/scale/before-$stations"
    generate "$BEFORE/gen_scale" "$stations" "" "$dir"
    row "before" "$s" "$stations" "$(measure "$BEFORE/etl" "$dir")"
  done
fi

# Same results, three inputs: the outputs must not differ by a byte.
dpt="target/scale/dpt-70000"
generate target/release/examples/gen_scale 70000 dpt "$dpt"
for f in txt xlsx dpt; do
  dir="target/scale/$f-70000"
  generate target/release/examples/gen_scale 70000 "$f" "$dir"
  measure target/release/etl "$dir" >/dev/null
  rm -f "$work/out/e.db"
  rm -rf "$work/$f"; mv "$work/out" "$work/$f"
done
for f in xlsx dpt; do
  if [ "$f" = dpt ]; then
    diff -r -x 'resultats_communes_*' "$work/txt" "$work/$f" >/dev/null
  else
    diff -r "$work/txt" "$work/$f" >/dev/null
  fi || { echo "1x: txt and $f outputs differ" >&2; exit 1; }
done
echo "1x: txt, xlsx and the département workbook give byte-identical data_clean/ and dump.sql"
for t in 1 2; do
  table="$work/txt/clean/resultats_communes_2022_t$t.csv"
  printf 'resultats_communes_2022_t%s.csv at 1x: %s bytes, %s rows\n' "$t" \
    "$(wc -c <"$table")" "$(( $(wc -l <"$table") - 1 ))"
done
