#!/usr/bin/env bash
# Server RSS after PNG renders: at rest, after 30 uncached 1280 x 720 PNGs, after 30 uncached
# 4000 x 4000 PNG heatmaps (sequential), and 10 s later. Release server on 127.0.0.1.
#   bench/png_memory.sh
# Run with GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072
# to compare glibc's fixed thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-18082}"
source bench/server.sh
rss() { echo $(( $(rss_kib) / 1024 )); }
rest=$(rss)
for i in $(seq 30); do
  curl -fs -o /dev/null -H 'Cache-Control: no-cache' "$url/charts/nuage.png?title=m$i"
done
slides=$(rss)
for i in $(seq 30); do
  curl -fs -o /dev/null -H 'Cache-Control: no-cache' \
    "$url/charts/correlations.png?width=4000&height=4000&title=m$i"
done
large=$(rss)
sleep 10
echo "RSS (MiB): at rest $rest, after 30 slide PNGs $slides, after 30 4000-px PNGs $large, 10 s later $(rss)"
