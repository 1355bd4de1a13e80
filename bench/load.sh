#!/usr/bin/env bash
# Drives the release roster-server over loopback with wrk.
#
#   bench/load.sh            # from the repository root
#
# Starts the release server on a fresh data folder, adds 200 users in 3 of 10
# groups each, then runs user/info, user/find?limit=50 and user/find?limit=50
# with {details: true} at 2 and 32 connections for 10 s each, and
# prints requests/s, p50/p99 latency, the server's peak RSS and how long it
# took from exec to its first answer. Stops the server it started.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
PORT=${PORT:-18088}
BASE="http://127.0.0.1:$PORT"
WORK=target/bench-load
OWNER=owner@example.com
PASSWORD='correct horse battery'

if ! command -v wrk >/dev/null; then
  echo "installing wrk…" >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 ||
    { echo "wrk is missing and could not be installed (apt-get install wrk)" >&2; exit 1; }
fi

cargo build --release -q -p roster-server
BIN=target/release/roster-server

rm -rf "$WORK" && mkdir -p "$WORK"
SERVER_PID=
# The server is the poller's child, not this shell's: kill it, no wait.
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Exec → first answer of /health, measured by a poller in one process.
start_server() {
  python3 - "$BIN" "$PORT" "$@" <<'PY'
import socket, subprocess, sys, time
bin, port, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
req = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
t0 = time.perf_counter()
p = subprocess.Popen([bin, "--listen", f"127.0.0.1:{port}", *args],
                     stdout=subprocess.DEVNULL, stderr=open("target/bench-load/server.log", "a"))
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(req)
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            break
    except OSError:
        pass
    if time.perf_counter() - t0 > 10:
        sys.exit("server did not start")
print(p.pid, round((time.perf_counter() - t0) * 1000, 1))
PY
}

post() { curl -s -X POST "$BASE/$1" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$2"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# 1. Fresh folder: creates the owner (one argon2 hash) before it listens.
read -r SERVER_PID READY_FRESH < <(start_server --data-dir "$WORK/data" \
  --owner-email "$OWNER" --owner-password "$PASSWORD" --plan business --log warn)
TOKEN=$(post user/login "{\"email\":\"$OWNER\",\"password\":\"$PASSWORD\"}" | json "['accessToken']")
# 199 invitees in 3 of 10 groups each (the owner too), in one group/import.
ROWS=$(python3 -c '
import json
rows = [{"user": {"email": f"user{i:03}@example.com", "role": "user", "first": "User", "last": f"{i:03}"},
         "groups": [f"G{(i + k) % 10}" for k in range(3)]} for i in range(1, 200)]
rows.append({"user": {"email": "'"$OWNER"'", "role": "admin"}, "groups": ["G0", "G1", "G2"]})
print(json.dumps({"rows": rows}))')
post group/import "$ROWS" "$TOKEN" | json "['results'].__len__()" >/dev/null
COUNT=$(curl -s -X POST "$BASE/user/find?limit=100" -H "authorization: Bearer $TOKEN" | json "['data'].__len__()")
[ "$COUNT" = 100 ] || { echo "seeding failed" >&2; exit 1; }
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

# 2. Restart on the seeded folder: the ready time a deploy or restart sees.
read -r SERVER_PID READY < <(start_server --data-dir "$WORK/data" --log warn)
TOKEN=$(post user/login "{\"email\":\"$OWNER\",\"password\":\"$PASSWORD\"}" | json "['accessToken']")

for body in plain details; do
  case $body in plain) json_body='{}' ;; details) json_body='{\"details\": true}' ;; esac
  cat > "$WORK/$body.lua" <<LUA
wrk.method = "POST"
wrk.body = "$json_body"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
done

printf '\nroster-server (release), %s, %s cores, %s users\n' "$(uname -m)" "$(nproc)" 200
printf 'ready: %s ms after exec (seeded folder); %s ms on a fresh folder (creates the owner)\n\n' "$READY" "$READY_FRESH"
printf '%-30s %5s %10s %9s %9s\n' operation conns 'req/s' 'p50' 'p99'
for run in "user/info plain" "user/find?limit=50 plain" "user/find?limit=50 details"; do
  read -r path body <<<"$run"
  label=$path; [ "$body" = details ] && label="$path +details"
  for conns in 2 32; do
    out=$(wrk -t 2 -c "$conns" -d "$DURATION" --latency -s "$WORK/$body.lua" "$BASE/$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    [ -z "$non2xx" ] || { echo "$label: $non2xx non-2xx answers" >&2; exit 1; }
    printf '%-30s %5s %10s %9s %9s\n' "$label" "$conns" "$rps" "$p50" "$p99"
  done
done
rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
printf '\npeak RSS: %s MB\n' "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k/1024}')"
