#!/usr/bin/env bash
# A client generated from roster's OpenAPI document by a standard generator
# (openapi-python-client, PyPI, pinned) calls every operation correctly:
# the document is read from the real server (/openapi.json), the client is
# generated into target/generated-client/, and exercise.py calls every
# generated operation against that server and parses every answer.
#
#   ROSTER_SERVER  the binary (default target/debug/roster-server)
#   PYTHON         the virtualenv's python (default target/aws-venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."

GENERATOR_VERSION=0.29.1
ROSTER_SERVER=${ROSTER_SERVER:-target/debug/roster-server}
PYTHON=${PYTHON:-target/aws-venv/bin/python}
OUT=target/generated-client
OWNER=owner@gen.test
PASSWORD='generated clients are fine'

if ! "$PYTHON" -c "import importlib.metadata as m; assert m.version('openapi-python-client') == '$GENERATOR_VERSION'" 2>/dev/null; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "openapi-python-client==$GENERATOR_VERSION"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
. tests/server.sh
start_server "$OUT" --owner-email "$OWNER" --owner-password "$PASSWORD" --plan business
curl -sf "$BASE/openapi.json" > "$OUT/openapi.json"

# The generator warns of every part of the document it can't turn into code:
# any warning fails the test.
"$(dirname "$PYTHON")/openapi-python-client" generate --path "$OUT/openapi.json" \
  --meta none --config tests/generated-client/config.yaml --output-path "$OUT/roster_client" > "$OUT/generate.log" 2>&1 || { cat "$OUT/generate.log" >&2; exit 1; }
if grep -qE "^(WARNING|Unable|Cannot)|Warning\(s\)" "$OUT/generate.log"; then
  echo "the generator could not read all of the document:" >&2
  cat "$OUT/generate.log" >&2
  exit 1
fi
PYTHONPATH="$OUT" "$PYTHON" tests/generated-client/exercise.py "$BASE" "$OUT/data" "$OWNER" "$PASSWORD" \
  || { echo "--- server log" >&2; tail -40 "$OUT/server.log" >&2; exit 1; }
