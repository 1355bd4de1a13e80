#!/usr/bin/env bash
# Runs the sample client code printed in the API documents against the real
# roster-server, and checks what each sample prints.
#
# Each sample in tests/clients/ is the document's code byte for byte (Python
# `requests`, JavaScript `fetch` as ES modules, whose top-level await works).
# Only a copy in a temporary folder is changed, and only in:
#   https://api.amove.io -> http://127.0.0.1:29123   (the hosted API; the same
#                           server serves both APIs)
#   EXAMPLE_TOKEN        -> the owner's access token (POST /user/login); in the
#                           signup sample, the invitation token from the mail
#   CHOSEN_PASSWORD      -> a valid password
# http://localhost:29123 (the local API) stays as printed: the server listens
# on 127.0.0.1:29123, the documents' port. Python tries every address
# `localhost` resolves to, and so does node >= 20 (network family
# autoselection), also where `localhost` resolves to ::1 first; older node
# would stop at ::1, so for it the JS copies call 127.0.0.1 instead.
#
# Each language runs against a fresh server and data folder, so both can insert
# "Design Team" and invite newuser@example.com as printed.
#
#   ROSTER_SERVER  the binary (default target/debug/roster-server)
#   PYTHON         a python with `requests` (default target/aws-venv/bin/python,
#                  which scripts/test.sh makes: moto depends on requests)
#   NODE           node (default node)
set -euo pipefail
cd "$(dirname "$0")/../.."

ROSTER_SERVER=${ROSTER_SERVER:-target/debug/roster-server}
PYTHON=${PYTHON:-target/aws-venv/bin/python}
NODE=${NODE:-node}
HERE=tests/clients
CHECK=$HERE/harness/check.py
LISTEN=127.0.0.1:29123
BASE=http://$LISTEN
OWNER=owner@example.com
OWNER_PASSWORD=Owner-Passphrase-42-clients
CHOSEN_PASSWORD=Correct-Horse-42-battery

# In the order they run; every sample file must be one of them.
SAMPLES=(local_list_users usergroup_get_all usergroup_insert hosted_userinfo hosted_insert_user hosted_signup)

WORK=$(mktemp -d)
SERVER_PID=
LOG=/dev/null
stop() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap 'stop; rm -rf "$WORK"' EXIT
fail() {
  echo "clients: FAILED: $*" >&2
  if [ "$LOG" != /dev/null ]; then
    echo "--- roster-server log ($LOG)" >&2
    cat "$LOG" >&2 || true
  fi
  exit 1
}

[ -x "$ROSTER_SERVER" ] || fail "no roster-server at $ROSTER_SERVER (set ROSTER_SERVER)"
"$PYTHON" -c 'import requests' || fail "$PYTHON has no requests (set PYTHON)"
NODE_MAJOR=$("$NODE" -p 'process.versions.node.split(".")[0]') || fail "no node (set NODE)"
[ "$NODE_MAJOR" -ge 18 ] || fail "node $NODE_MAJOR has no fetch; the JavaScript samples need node >= 18"
JS_SUBST=()
[ "$NODE_MAJOR" -ge 20 ] || JS_SUBST=("http://localhost:29123=$BASE")
for file in "$HERE"/*.py "$HERE"/*.mjs; do
  name=$(basename "${file%.*}")
  [[ " ${SAMPLES[*]} " == *" $name "* ]] || fail "$file is not in run.sh's SAMPLES"
done
"$PYTHON" -c 'import socket; socket.create_server(("127.0.0.1", 29123)).close()' 2>/dev/null \
  || fail "127.0.0.1:29123 is in use (the samples' port)"

start_server() { # language
  DATA=$WORK/$1/data
  LOG=$WORK/$1/server.log
  mkdir -p "$WORK/$1"
  NO_COLOR=1 "$ROSTER_SERVER" --listen "$LISTEN" --data-dir "$DATA" --backend embedded \
    --owner-email "$OWNER" --owner-password "$OWNER_PASSWORD" --account-name Clients \
    > "$LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health")" = 200 ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "roster-server exited"
    sleep 0.05
  done
  fail "roster-server did not answer GET /health with 200 in 10 s"
}

run_sample() { # language name KEY=VALUE...
  local lang=$1 name=$2
  shift 2
  local src=$HERE/$name.$lang dest=$WORK/$lang/$name.$lang out=$WORK/$lang/$name.json
  "$PYTHON" "$CHECK" prepare "$src" "$dest" "https://api.amove.io=$BASE" "$@"
  local runner=("$PYTHON" "$CHECK" capture)
  [ "$lang" = mjs ] && runner=("$NODE" "$HERE/harness/capture.mjs")
  if timeout 20 "${runner[@]}" "$dest" "$out" > "$WORK/$lang/$name.out" 2>&1 &&
    "$PYTHON" "$CHECK" check "$name" "$out" >> "$WORK/$lang/$name.out" 2>&1; then
    echo "ok $src"
  else
    echo "FAILED $src:" >&2
    sed 's/^/    /' "$WORK/$lang/$name.out" >&2
    FAILED+=("$src")
  fi
}

# A failing sample does not stop the others; the run fails at the end.
FAILED=()
for lang in py mjs; do
  failed_before=${#FAILED[@]}
  start_server "$lang"
  TOKEN=$("$PYTHON" "$CHECK" login "$BASE" "$OWNER" "$OWNER_PASSWORD") || fail "POST /user/login"
  common=()
  [ "$lang" = mjs ] && common=("${JS_SUBST[@]}")
  for name in "${SAMPLES[@]}"; do
    [ -f "$HERE/$name.$lang" ] || continue # no JavaScript sample for signup
    if [ "$name" = hosted_signup ]; then
      if invite=$("$PYTHON" "$CHECK" invite-token "$DATA/outbox" newuser@example.com); then
        run_sample "$lang" "$name" "EXAMPLE_TOKEN=$invite" "CHOSEN_PASSWORD=$CHOSEN_PASSWORD" "${common[@]}"
      else
        echo "FAILED $HERE/$name.$lang: no invitation token for it" >&2
        FAILED+=("$HERE/$name.$lang")
      fi
    else
      run_sample "$lang" "$name" "EXAMPLE_TOKEN=$TOKEN" "${common[@]}"
    fi
  done
  stop
  if [ "${#FAILED[@]}" -gt "$failed_before" ]; then
    echo "--- roster-server log ($lang run)" >&2
    cat "$LOG" >&2
  fi
done
LOG=/dev/null
[ "${#FAILED[@]}" -eq 0 ] || fail "${#FAILED[@]} samples: ${FAILED[*]}"
echo "clients: every sample ran and printed what its document says"
