# Sourced by bench/load.sh and bench/soak.sh: installs wrk when missing, builds the release
# server and starts it on 127.0.0.1:$port over a temporary database, stopped on exit.
# Sets $server (its pid), $dir (the temporary folder) and $url. API=path/to/api runs another
# binary instead (an older build, for a before/after in one sitting).
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" != 0 ] && sudo_cmd="sudo"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
api_bin="${API:-target/release/api}"
[ -n "${API:-}" ] || cargo build --release -q -p api
dir="$(mktemp -d)"
"$api_bin" --host 127.0.0.1 --port "$port" --database-url "$dir/bench.db" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
