#!/usr/bin/env bash
# The committed OpenAPI document through real third-party tools (pinned, in a virtualenv under
# target/): openapi-spec-validator must accept it, and openapi-python-client must generate a
# client whose calls to /health, /departements/59, POST /predict (and an error) work against
# the real server on 127.0.0.1 (debug build, temporary database).
#   openapi/clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-18091}"
venv="target/openapi-venv"
if [ ! -x "$venv/bin/openapi-python-client" ] || [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "openapi-spec-validator==0.7.1" "openapi-python-client==0.26.2"
fi

echo "== openapi-spec-validator"
"$venv/bin/openapi-spec-validator" openapi/openapi.json

echo "== openapi-python-client: generate"
out="target/openapi_client"
rm -rf "$out"
"$venv/bin/openapi-python-client" generate --path openapi/openapi.json --output-path "$out" \
  --meta none >"target/openapi-client.log" 2>&1 || { cat "target/openapi-client.log"; exit 1; }
# Every operation becomes one function of its own: no two share a name.
functions=$(find "$out/api" -name '*.py' ! -name '__init__.py' | wc -l)
operations=$(python3 -c "import json; d = json.load(open('openapi/openapi.json')); print(sum(len(i) for i in d['paths'].values()))")
echo "$functions generated modules for $operations operations"
[ "$functions" = "$operations" ]

echo "== the generated client against the real server"
# API= reuses a binary already built (CI passes the one its test build made).
[ -n "${API:-}" ] || cargo build -q -p api --bin api
dir="$(mktemp -d)"
RUST_LOG=warn "${API:-target/debug/api}" --host 127.0.0.1 --port "$port" --database-url "$dir/client.db" \
  >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
PYTHONPATH=target BASE_URL="http://127.0.0.1:$port" "$venv/bin/python" openapi/client_test.py
