#!/usr/bin/env bash
# Cold start of roster-read answering user/info against the AWS emulator, and
# the release binary size of each function.
#
#   bench/coldstart.sh            # RUNS=20 by default
#
# Seeds a table on moto (with a debug roster-server --backend aws), builds the
# release Lambdas, then runs bench/coldstart.py: exec -> response posted, the
# emulator's own time subtracted, peak RSS. Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
# COLDSTART_WRAP="perf record -g -o FILE" profiles the runs.
VENV=target/aws-venv
WORK=target/bench-cold
OWNER=owner@example.com
PASSWORD='correct horse battery'

if ! "$VENV/bin/python" -c "import moto" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MOTO_PORT=$(free_port)
rm -rf "$WORK" && mkdir -p "$WORK"
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" > "$WORK/moto.log" 2>&1 &
PIDS=$!
trap 'kill $PIDS 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION=us-east-1 \
       AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
until curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null; do sleep 0.1; done

cargo build --release -q -p roster-read -p roster-public -p roster-write
cargo build -q -p roster-server --features aws

KEY=$(target/debug/roster-server --print-signing-key)
PORT=$(free_port)
target/debug/roster-server --backend aws --provision --table roster-cold \
  --signing-key "$KEY" --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" \
  --owner-email "$OWNER" --owner-password "$PASSWORD" --log warn &
SERVER=$!
PIDS="$PIDS $SERVER"
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.1; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/user/login" \
  -d "{\"email\":\"$OWNER\",\"password\":\"$PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

python3 - "$TOKEN" > "$WORK/user-info.json" <<'PY'
import json, sys
e = json.load(open("events/user-info.json"))
e["headers"]["authorization"] = "Bearer " + sys.argv[1]
print(json.dumps(e))
PY

echo "roster-read (release), $(uname -m), $(nproc) cores, user/info against moto"
ROSTER_TABLE=roster-cold ROSTER_USER_POOL_ID=unused ROSTER_CLIENT_ID=unused \
ROSTER_MAIL_FROM=noreply@example.com ROSTER_PUBLIC_URL=http://localhost \
ROSTER_SIGNING_KEY="$KEY" \
  python3 bench/coldstart.py target/release/roster-read "$WORK/user-info.json" "$RUNS"

echo
echo "release binaries (stripped):"
for f in public read write; do
  printf '  roster-%-7s %5.1f MB\n' "$f" "$(awk -v b="$(stat -c %s target/release/roster-$f)" 'BEGIN {print b/1048576}')"
done
