# Sourced by the test scripts that drive the real roster-server from outside
# (tests/fuzz/run.sh, tests/generated-client/run.sh):
#   start_server DIR [flags…]
# starts $ROSTER_SERVER on a free loopback port with its data in DIR/data and
# its log in DIR/server.log, waits for /health, sets BASE, and stops it when
# the script exits.
start_server() {
  local dir=$1
  shift
  local port
  port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$port"
  "$ROSTER_SERVER" --listen "127.0.0.1:$port" --data-dir "$dir/data" --public-url "$BASE" \
    --log warn "$@" > "$dir/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    curl -sf "$BASE/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "roster-server did not start" >&2
  cat "$dir/server.log" >&2
  return 1
}
