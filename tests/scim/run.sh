#!/usr/bin/env bash
# The independent SCIM compliance checker scim2-cli (PyPI, pinned: `scim2
# test`, which runs scim2-tester) against the real roster-server on the
# embedded store, with a fresh account's SCIM token. Every check must be
# SUCCESS: scim2 exits 1 on anything else, SKIPPED included. Its report and
# the server's log go to target/scim/.
#
#   ROSTER_SERVER  the binary (default target/debug/roster-server)
#   PYTHON         the virtualenv's python (default target/aws-venv/bin/python)
#
# scim2-cli needs Python 3.11 or later; it goes in its own virtualenv
# (target/scim-venv), as its pins (pydantic, httpx) are its own.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCIM2_CLI_VERSION=0.6.0
SCIM2_TESTER_VERSION=0.5.2
SCIM2_CLIENT_VERSION=0.13.2
SCIM2_MODELS_VERSION=0.12.3
ROSTER_SERVER=${ROSTER_SERVER:-target/debug/roster-server}
PYTHON=${PYTHON:-target/aws-venv/bin/python}
SCIM_VENV=target/scim-venv
OUT=target/scim

if ! "$SCIM_VENV/bin/python" -c "import importlib.metadata as m; assert m.version('scim2-cli') == '$SCIM2_CLI_VERSION' and m.version('scim2-tester') == '$SCIM2_TESTER_VERSION'" 2>/dev/null; then
  echo "scim: installing scim2-cli $SCIM2_CLI_VERSION (PyPI)"
  python3 -m venv "$SCIM_VENV"
  "$SCIM_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "scim2-cli==$SCIM2_CLI_VERSION" "scim2-tester==$SCIM2_TESTER_VERSION" \
    "scim2-client==$SCIM2_CLIENT_VERSION" "scim2-models==$SCIM2_MODELS_VERSION"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OWNER=owner@scim.test
PASSWORD='provisioning is a long passphrase'
. tests/server.sh
# A business plan: the checker makes some fifty users and gives them any role.
start_server "$OUT" --owner-email "$OWNER" --owner-password "$PASSWORD" --plan business

TOKEN=$("$PYTHON" - "$BASE" "$OWNER" "$PASSWORD" <<'PY'
import json, sys, urllib.request
base, email, password = sys.argv[1:]
def call(path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{base}/{path}", json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=10) as answer:
        return json.loads(answer.read())
owner = call("user/login", {"email": email, "password": password})["accessToken"]
print(call("account/scimTokenCreate", {"name": "scim2-cli"}, owner)["secret"])
PY
)

status=0
"$SCIM_VENV/bin/scim2" --url "$BASE/scim/v2" --header "Authorization: Bearer $TOKEN" test \
  > "$OUT/report.txt" 2>&1 || status=$?
checks=$(grep -cE '^(SUCCESS|SKIPPED|ERROR|CRITICAL|DEVIATION|COMPLIANT|ACCEPTABLE) ' "$OUT/report.txt" || true)
passed=$(grep -cE '^SUCCESS ' "$OUT/report.txt" || true)
if [ "$status" -ne 0 ] || [ "$checks" -eq 0 ] || [ "$passed" -ne "$checks" ]; then
  grep -vE '^SUCCESS ' "$OUT/report.txt" | head -80 >&2
  echo "scim2-cli: $passed of $checks checks SUCCESS (exit $status); the report is $OUT/report.txt" >&2
  exit 1
fi
if grep -qE '"level":"ERROR"| ERROR ' "$OUT/server.log"; then
  echo "roster-server logged an error during the SCIM checks:" >&2
  grep -E '"level":"ERROR"| ERROR ' "$OUT/server.log" | head -20 >&2
  exit 1
fi
echo "scim2-cli: all $checks checks SUCCESS"
