#!/usr/bin/env bash
# Schemathesis (PyPI, pinned) against the real roster-server on the embedded
# store, from the document the server serves (/openapi.json), with every
# check (--checks all) and a fixed seed, in two passes:
#   1. as an admin of a seeded account (tests/fuzz/hooks.py logs it in and
#      puts its token where each operation's security scheme says);
#   2. with no credentials at all.
# It fails on any failure Schemathesis reports, and when the two passes sent
# fewer than 3,000 requests in all (counted from their HAR reports).
# It also fails when the admin's pass got nothing but 401 from an operation
# that needs credentials (it was never signed in there), and when the server
# logged an error. Settings and the reasons for each:
# tests/fuzz/schemathesis.toml.
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
export ROSTER_FUZZ_OWNER=owner@fuzz.test ROSTER_FUZZ_ADMINS=20
export ROSTER_FUZZ_PASSWORD='fuzzing is a long passphrase'
export ROSTER_FUZZ_SCIM_TOKEN_FILE="$PWD/$OUT/scim-token"
. tests/server.sh
start_server "$OUT" --owner-email "$ROSTER_FUZZ_OWNER" --owner-password "$ROSTER_FUZZ_PASSWORD" \
  --plan business

curl -sf "$BASE/openapi.json" > "$OUT/openapi.json"
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

# What the passes sent (each HAR entry is one request): at least 3,000 in
# all, and pass 1 was signed in: every operation that needs credentials got
# at least one answer other than 401 as the admin.
"$PYTHON" - "$OUT" "$MIN_REQUESTS" "$elapsed" <<'PY'
import glob, json, sys
out, least, elapsed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
doc = json.load(open(out + "/openapi.json"))
def entries(name):
    return [e for f in glob.glob(f"{out}/{name}/har-*.json") for e in json.load(open(f))["log"]["entries"]]
admin, anonymous = entries("admin"), entries("anonymous")
total = len(admin) + len(anonymous)
print(f"== Schemathesis sent {total} requests in {elapsed} s ({len(admin)} as an admin, {len(anonymous)} with no credentials)")
assert total >= least, f"fewer than {least} requests: raise max-examples in tests/fuzz/schemathesis.toml"
import re
# A request's path as the document names it (`/scim/v2/Users/{id}`).
templates = [(p, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$")) for p in doc["paths"]]
def documented(path):
    if path in doc["paths"]:
        return path
    return next((p for p, r in templates if "{" in p and r.match(path)), path)
answered = {}
for e in admin:
    path = documented("/" + e["request"]["url"].split("?")[0].split("/", 3)[3])
    key = (e["request"]["method"].lower(), path)
    answered.setdefault(key, set()).add(e["response"]["status"])
secured = [(m, p) for p, item in doc["paths"].items() for m, o in item.items() if o.get("security")]
never = sorted(f"{m.upper()} {p}" for m, p in secured if not answered.get((m, p), set()) - {401})
assert not never, f"as the admin, only 401 from: {never}"
PY
if grep -qE 'ERROR|panicked' "$OUT/server.log"; then
  echo "the server logged errors:" >&2
  grep -E 'ERROR|panicked' "$OUT/server.log" | head -20 >&2
  exit 1
fi
