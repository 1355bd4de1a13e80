#!/usr/bin/env bash
# Runs every test of roster, on both backends:
#   1. formatting and lints;
#   2. installs the AWS emulator (moto[server], and cfn-lint) in a virtualenv
#      under target/, starts it on a free loopback port;
#   3. cfn-lint on the SAM template, the CDK construct's tests, synth and
#      comparison with the SAM template (infra/cdk/test/run.sh: npm ci into
#      target/), then the whole suite (Table conformance on redb and on DynamoDB, the API
#      rules and the real server on the embedded backend), then the API
#      documents' sample clients (tests/clients/run.sh; needs node), then
#      the browser test (tests/browser/run.sh: Playwright for Python, Debian's
#      chromium, axe-core from npm, each installed when missing);
#   4. a client generated from the document calls every operation
#      (tests/generated-client/run.sh), the SCIM compliance checker scim2-cli
#      against the real server (tests/scim/run.sh), and Schemathesis against the real server (tests/fuzz/run.sh: from the
#      OpenAPI document it serves, every check, a fixed seed, as an admin and
#      with no credentials);
#   5. the same API suite and server tests again on the AWS backend (in the
#      background, from before the clients on: it waits on the emulator);
#   6. stops the emulator, also on failure.
# With ROSTER_REQUIRE_AWS=1 (set here, and by CI) a missing emulator fails the
# AWS tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
CFN_LINT_VERSION=1.58.0
SAM_TRANSLATOR_VERSION=1.115.0 # infra/cdk/test/compare.py transforms the SAM template
OPENAPI_VALIDATOR_VERSION=0.7.2
SCHEMATHESIS_VERSION=4.32.5 # also in tests/fuzz/run.sh
VENV=target/aws-venv

echo "== cargo fmt --check"
cargo fmt --all -- --check

# One package selection and one feature set for every cargo call below, so
# cargo resolves features once and compiles the dependency graph once: the
# second test phase only runs tests. (roster-server's AWS backend is built in
# for the server suite on the emulator.)
CARGO_SET=(--workspace --locked --features roster-server/aws)

echo "== cargo clippy"
cargo clippy "${CARGO_SET[@]}" --all-targets -- -D warnings

echo "== AWS emulator (moto $MOTO_VERSION)"
if ! "$VENV/bin/python" -c "import moto, cfnlint, samtranslator, openapi_spec_validator, schemathesis" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "moto[server]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION" \
    "aws-sam-translator==$SAM_TRANSLATOR_VERSION" \
    "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION" "schemathesis==$SCHEMATHESIS_VERSION"
fi
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true \
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" > target/moto.log 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/moto-api/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/moto-api/" >/dev/null || { echo "moto did not start" >&2; cat target/moto.log >&2; exit 1; }

export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export ROSTER_REQUIRE_AWS=1
export PATH="$PWD/$VENV/bin:$PATH"

echo "== cfn-lint infra/template.yaml"
cfn-lint infra/template.yaml

# The CDK construct (infra/cdk): npm ci (node_modules kept under target/),
# its tests, cdk synth of the example app, cfn-lint on what it made, and the
# comparison with the SAM template, resource by resource. Needs node.
echo "== the CDK construct (infra/cdk/test/run.sh)"
PYTHON="$VENV/bin/python" infra/cdk/test/run.sh

echo "== cargo test (embedded backend; DynamoDB conformance on the emulator)"
cargo test "${CARGO_SET[@]}"

# The Python and JavaScript samples of the API documents, unchanged but for
# base URL and tokens, against the binary cargo test just built for the
# server tests (target/debug/roster-server, same features). Needs node.
# The OpenAPI document (what GET /openapi.json serves) against the OpenAPI
# 3.1 specification, by an independent validator.
echo "== openapi-spec-validator (roster-server --print-openapi)"
target/debug/roster-server --print-openapi > target/openapi.json
openapi-spec-validator target/openapi.json

# The AWS-backend phase waits on the emulator (one Python process, one core)
# and builds nothing: it runs in the background while the clients, the
# browser and the fuzzer, which need the other core, run in the foreground.
# Its output is printed when it ends.
#
# Not `races`: moto undoes a failed TransactWriteItems by putting back a copy of
# the whole table taken before the call, which also undoes every transaction
# that succeeded meanwhile. Under a burst of conflicting writes it loses
# writes (a 4th invite into 3 seats), which DynamoDB never does. The races run
# against the real binary on the embedded store, whose transactions are
# serialisable like DynamoDB's; the same conditions go to DynamoDB unchanged.
echo "== cargo test (AWS backend on the emulator), in the background"
ROSTER_TEST_BACKEND=aws cargo test "${CARGO_SET[@]}" --test api --test server --test credentials \
  > target/aws-suite.log 2>&1 &
AWS_SUITE_PID=$!
trap 'kill "$AWS_SUITE_PID" 2>/dev/null || true; kill "$MOTO_PID" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

echo "== sample clients of the API documents (tests/clients)"
ROSTER_SERVER=target/debug/roster-server PYTHON="$VENV/bin/python" tests/clients/run.sh

# A client generated from /openapi.json by a standard generator
# (openapi-python-client, pinned) calls every operation.
echo "== a generated client (tests/generated-client)"
ROSTER_SERVER=target/debug/roster-server PYTHON="$VENV/bin/python" tests/generated-client/run.sh

# SCIM: the independent compliance checker scim2-cli (pinned) against the
# real server with a fresh account's SCIM token; every check SUCCESS.
echo "== SCIM compliance (tests/scim: scim2-cli)"
ROSTER_SERVER=target/debug/roster-server PYTHON="$VENV/bin/python" tests/scim/run.sh

# The pages in a real browser: the whole story from invite to removal, the
# link states, headers, console, screenshots (target/browser/) and axe-core.
# Installs Playwright for Python, Debian's chromium and axe-core when missing.
echo "== browser test (tests/browser)"
ROSTER_SERVER=target/debug/roster-server PYTHON="$VENV/bin/python" tests/browser/run.sh

# The fuzzer: Schemathesis (pinned) against the real server on the embedded
# store, at least 3,000 requests in two passes; zero failures.
echo "== Schemathesis (tests/fuzz)"
ROSTER_SERVER=target/debug/roster-server PYTHON="$VENV/bin/python" tests/fuzz/run.sh

echo "== cargo test (AWS backend on the emulator): its output"
status=0
wait "$AWS_SUITE_PID" || status=$?
cat target/aws-suite.log
[ "$status" -eq 0 ] || { echo "the AWS-backend suite failed ($status)" >&2; exit "$status"; }

echo "== the emulator saw: $(grep -cE '"POST / HTTP' target/moto.log) AWS calls"
