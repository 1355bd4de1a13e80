#!/usr/bin/env bash
# Schemathesis (PyPI, pinned) against the real roster-server on the embedded
# store, from the document the server serves (/openapi.json), with every
# check (--checks all) and a fixed seed, in two passes:
#   1. as an admin of a seeded account (tests/fuzz/hooks.py logs it in and
#      puts its token where each operation's security scheme says);
#   2. with no credentials at all.
# It fails on any failure Schemathesis reports, and when the two passes sent
# fewer than 3,000 requests in all (counted from their HAR reports).
# Settings and the reasons for each: tests/fuzz/schemathesis.toml.
# Reports (JUnit, HAR) and the server's log go to target/fuzz/.
#
#   ROSTER_SERVER  the binary (default target/debug/roster-server)
#   PYTHON         the virtualenv's python (default target/aws-venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
SEED=20261203
ROSTER_SERVER=${ROSTER_SERVER:-target/debug/roster-server}
PYTHON=${PYTHON:-target/aws-venv/bin/python}
OUT=target/fuzz
MIN_REQUESTS=3000

if ! "$PYTHON" -c "import importlib.metadata as m; assert m.version('schemathesis') == '$SCHEMATHESIS_VERSION'" 2>/dev/null; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
ST="$PWD/$(dirname "$PYTHON")/st"

rm -rf "$OUT"
mkdir -p "$OUT"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export ROSTER_FUZZ_OWNER=owner@fuzz.test ROSTER_FUZZ_ADMINS=20
export ROSTER_FUZZ_PASSWORD='fuzzing is a long passphrase'
"$ROSTER_SERVER" --listen "127.0.0.1:$PORT" --data-dir "$OUT/data" --public-url "$BASE" \
  --owner-email "$ROSTER_FUZZ_OWNER" --owner-password "$ROSTER_FUZZ_PASSWORD" \
  --plan business --log warn > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$BASE/health" >/dev/null || { echo "roster-server did not start" >&2; cat "$OUT/server.log" >&2; exit 1; }

# An account with admins (whom pass 1 acts as), a member and a group.
"$PYTHON" tests/fuzz/seed.py "$BASE"

started=$(date +%s)
run() {
  local name=$1
  shift
  # The working directory holds Schemathesis's own files (.hypothesis).
  (cd "$OUT" && "$ST" --config-file ../../tests/fuzz/schemathesis.toml run "$BASE/openapi.json" \
    --url "$BASE" --checks all --seed "$SEED" --no-color \
    --report junit,har --report-dir "$name" "$@")
}
export PYTHONPATH="$PWD/tests/fuzz"
echo "-- pass 1: as an admin"
SCHEMATHESIS_HOOKS=fuzz_hooks ROSTER_FUZZ_URL="$BASE" run admin
echo "-- pass 2: with no credentials"
SCHEMATHESIS_HOOKS=fuzz_threads run anonymous
elapsed=$(( $(date +%s) - started ))

requests=$("$PYTHON" - "$OUT" <<'PY'
import glob, json, sys
print(sum(len(json.load(open(f))["log"]["entries"]) for f in glob.glob(sys.argv[1] + "/*/har-*.json")))
PY
)
echo "== Schemathesis sent $requests requests in ${elapsed} s (two passes)"
if grep -qE ' ERROR |panicked' "$OUT/server.log"; then
  echo "the server logged errors:" >&2
  grep -E ' ERROR |panicked' "$OUT/server.log" | head -20 >&2
  exit 1
fi
if [ "$requests" -lt "$MIN_REQUESTS" ]; then
  echo "fewer than $MIN_REQUESTS requests: raise max-examples in tests/fuzz/schemathesis.toml" >&2
  exit 1
fi
