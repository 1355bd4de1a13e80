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
  echo "browser: installing Playwright $PLAYWRIGHT_VERSION (PyPI)"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi

CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$CHROMIUM" ]; then
  echo "browser: installing Debian's chromium (apt-get)"
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq || echo "browser: apt-get update failed (exit $?)" >&2
  # apt's exit status alone is not trusted (a trigger of another package
  # can fail after chromium is in place): what counts is the binary.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "browser: apt-get install exited $?" >&2
  CHROMIUM=$(command -v chromium || true)
  if [ -z "$CHROMIUM" ]; then
    echo "browser: chromium could not be installed" >&2
    exit 1
  fi
fi

AXE=$TOOLS/node_modules/axe-core/axe.min.js
if ! grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json" 2>/dev/null; then
  mkdir -p "$TOOLS"
  echo "browser: installing axe-core $AXE_VERSION (npm)"
  npm install --loglevel=error --no-save --no-audit --no-fund --prefix "$TOOLS" "axe-core@$AXE_VERSION"
fi

ROSTER_SERVER="$ROSTER_SERVER" CHROMIUM="$CHROMIUM" AXE="$AXE" OUT=target/browser \
  "$PYTHON" tests/browser/story.py
