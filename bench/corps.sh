#!/usr/bin/env bash
# Compares the body of every URL of api/tests/api/snapshots/corps_avant_elections.tsv (the
# README's, docs', images' and dashboard's URLs, captured before the elections change) with
# what the built server answers now, PNG included (the API test skips PNG: its binary links
# resvg with other features). Prints the URLs whose body changed.
#   bash bench/corps.sh [path/to/api]     (default target/release/api)
set -euo pipefail
cd "$(dirname "$0")/.."
API=${1:-target/release/api}
PORT=${PORT:-18093}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
DATABASE_URL="$dir/elexxion.db" PORT=$PORT PUBLIC_URL=http://localhost:8080 RUST_LOG=off "$API" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
changed=0
while IFS=$'\t' read -r url status digest; do
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -H 'Accept-Encoding: identity' "http://127.0.0.1:$PORT$url")
  now=$(sha256sum "$dir/body" | cut -c1-64)
  if [ "$code" != "$status" ] || [ "$now" != "$digest" ]; then
    echo "changed: $url"
    changed=$((changed + 1))
  fi
done < api/tests/api/snapshots/corps_avant_elections.tsv
echo "$changed URL(s) changed"
