#!/usr/bin/env bash
# The CDK deploy path, checked without an AWS account (scripts/test.sh runs it):
#   1. npm ci of infra/cdk's lockfile into target/cdk-node (kept while the
#      lockfile is unchanged, like the emulator's virtualenv), linked as
#      infra/cdk/node_modules;
#   2. tsc (types), and the construct's props by CDK assertions (node --test);
#   3. cdk synth of the example app, on empty placeholder artifacts (the
#      functions' code is not part of the template; release builds stay out
#      of the test command);
#   4. cfn-lint on the synthesized template;
#   5. test/compare.py: the synthesized template against infra/template.yaml
#      as the AWS::Serverless transform makes it, resource by resource.
# Needs node and npm, and PYTHON with cfn-lint (and so PyYAML) and
# aws-sam-translator installed (scripts/test.sh's virtualenv has them).
set -euo pipefail
cd "$(dirname "$0")/../../.."
PYTHON=${PYTHON:-target/aws-venv/bin/python}
NODE_DIR=target/cdk-node

# The marker is the lockfile an install finished from: written last, so a
# broken or interrupted install is redone.
MARKER="$NODE_DIR/installed-from.package-lock.json"
if ! cmp -s infra/cdk/package-lock.json "$MARKER"; then
  echo "-- npm ci (infra/cdk/package-lock.json, into $NODE_DIR)"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  cp infra/cdk/package.json infra/cdk/package-lock.json "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  cp infra/cdk/package-lock.json "$MARKER"
fi
# infra/cdk/node_modules is a link to it. A folder there (`npm ci` run in
# infra/cdk) is replaced: it is the same lockfile's packages, and a link
# cannot be made inside it.
if [ -e infra/cdk/node_modules ] && [ ! -L infra/cdk/node_modules ]; then
  echo "-- infra/cdk/node_modules is a folder: replaced by a link to $NODE_DIR/node_modules"
  rm -rf infra/cdk/node_modules
fi
ln -sfn "../../$NODE_DIR/node_modules" infra/cdk/node_modules
BIN="$PWD/$NODE_DIR/node_modules/.bin"

echo "-- tsc, and the construct's tests (node --test)"
(cd infra/cdk && "$BIN/tsc" && node --test test/roster.test.js > ../../target/cdk-tests.log 2>&1) || {
  cat target/cdk-tests.log >&2
  exit 1
}
grep -E '^# (tests|pass|fail)' target/cdk-tests.log

echo "-- cdk synth (example app)"
ARTIFACTS="$PWD/target/cdk-artifacts"
"$PYTHON" - "$ARTIFACTS" infra/routes.json <<'PY'
import json, os, sys, zipfile
for f in json.load(open(sys.argv[2]))["functions"]:
    folder = os.path.join(sys.argv[1], f["binary"])
    os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(os.path.join(folder, "bootstrap.zip"), "w") as z:
        z.writestr("bootstrap", "")
PY
rm -rf target/cdk.out
(cd infra/cdk && CDK_DISABLE_CLI_TELEMETRY=true ROSTER_ARTIFACTS="$ARTIFACTS" \
  "$BIN/cdk" synth --quiet --no-notices --no-version-reporting > /dev/null)
TEMPLATE=target/cdk.out/RosterExample.template.json

# W3005: CDK makes each function depend on its role and the role's policy,
# so the policy exists before the first call; the role half is redundant
# with the GetAtt, which is all the warning says.
echo "-- cfn-lint $TEMPLATE"
"$PYTHON" -c 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())' \
  --ignore-checks W3005 -- "$TEMPLATE"

echo "-- SAM and CDK, resource by resource (infra/cdk/test/compare.py)"
"$PYTHON" infra/cdk/test/compare.py infra/template.yaml "$TEMPLATE"
