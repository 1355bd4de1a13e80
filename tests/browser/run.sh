#!/usr/bin/env bash
# The browser test (tests/browser/story.py): roster's pages in Debian's
# headless Chromium, driven by Playwright for Python, with axe-core injected
# for the accessibility check. Installs what it needs when missing:
#   - Playwright for Python (PyPI, pinned) into the test virtualenv;
#   - Debian's chromium (apt-get; Playwright's own browser download is not
#     used: the test launches /usr/bin/chromium with executable_path);
#   - axe-core (npm, pinned) under target/browser-tools.
# Screenshots go to target/browser/.
#
#   ROSTER_SERVER  the binary (default target/debug/roster-server)
#   PYTHON         the virtualenv's python (default target/aws-venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."

PLAYWRIGHT_VERSION=1.65.2
AXE_VERSION=4.11.0
ROSTER_SERVER=${ROSTER_SERVER:-target/debug/roster-server}
PYTHON=${PYTHON:-target/aws-venv/bin/python}
TOOLS=target/browser-tools

if ! "$PYTHON" -c "import playwright, importlib.metadata as m; assert m.version('playwright') == '$PLAYWRIGHT_VERSION'" 2>/dev/null; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi

CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$CHROMIUM" ]; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  CHROMIUM=$(command -v chromium)
fi

AXE=$TOOLS/node_modules/axe-core/axe.min.js
if ! grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json" 2>/dev/null; then
  mkdir -p "$TOOLS"
  npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS" "axe-core@$AXE_VERSION"
fi

ROSTER_SERVER="$ROSTER_SERVER" CHROMIUM="$CHROMIUM" AXE="$AXE" OUT=target/browser \
  "$PYTHON" tests/browser/story.py
