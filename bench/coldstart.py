#!/usr/bin/env python3
"""Cold start of a release Lambda binary, measured with a Lambda Runtime API stub.

For each run: exec the binary with AWS_LAMBDA_RUNTIME_API pointing at the stub,
hand it one API Gateway event, and time exec -> response posted. The binary's AWS
calls go through a timing proxy in front of the emulator, so the emulator's own
time is measured and subtracted. Peak RSS is the process's VmHWM, read before it is stopped.

    bench/coldstart.py BINARY EVENT_FILE RUNS   (env: AWS_ENDPOINT_URL, ROSTER_*)

Run by bench/coldstart.sh, which seeds the table and builds the binary.
"""
import http.client
import http.server
import json
import os
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

BINARY, EVENT_FILE, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
UPSTREAM = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL"])
EVENT = open(EVENT_FILE, "rb").read()

state = {"served": False, "response": None, "done": threading.Event(), "aws": 0.0, "calls": 0}


class Runtime(http.server.BaseHTTPRequestHandler):
    """The two Runtime API calls a Lambda makes for one invocation."""

    protocol_version = "HTTP/1.1"
    # Headers and body go in separate writes: without this, Nagle and the
    # client's delayed ACK add 40 ms to the stub, not to the Lambda.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("/invocation/next") and not state["served"]:
            state["served"] = True
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "cold-start-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                             "arn:aws:lambda:us-east-1:123456789012:function:roster-read")
            self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(EVENT)))
            self.end_headers()
            self.wfile.write(EVENT)
        else:
            time.sleep(60)  # the next invocation never comes

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if "/response" in self.path or "/error" in self.path:
            state["response"] = (time.perf_counter(), self.path, body)
            state["done"].set()
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards AWS calls to the emulator, timing the emulator."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port)
        conn.request("POST", self.path, body, headers)
        resp = conn.getresponse()
        data = resp.read()
        state["aws"] += time.perf_counter() - t0
        state["calls"] += 1
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the Lambda is killed while it waits for its next event


def serve(handler):
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


runtime, proxy = serve(Runtime), serve(Proxy)
totals, aws, rss, maxrss, calls = [], [], [], [], []
for _ in range(RUNS):
    state.update(served=False, response=None, aws=0.0, calls=0)
    state["done"].clear()
    env = dict(os.environ,
               AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{runtime.server_address[1]}",
               AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy.server_address[1]}",
               AWS_LAMBDA_FUNCTION_NAME="roster-read", AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256", AWS_LAMBDA_LOG_STREAM_NAME="bench",
               AWS_LAMBDA_LOG_GROUP_NAME="bench", RUST_LOG="warn")
    t0 = time.perf_counter()
    wrap = os.environ.get("COLDSTART_WRAP", "").split()
    p = subprocess.Popen(wrap + [BINARY], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if not state["done"].wait(30):
        p.kill()
        sys.exit("no response: " + p.stderr.read().decode(errors="replace"))
    t1, path, body = state["response"]
    # Peak RSS of the Lambda's own address space (VmHWM). Not rusage's
    # ru_maxrss: Linux carries the pre-exec high-water mark over exec, and
    # the child was forked (or vforked) from this Python process, so
    # ru_maxrss reports Python's RSS whenever that is the larger.
    status = open(f"/proc/{p.pid}/status").read()
    hwm_kb = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
    if os.environ.get("COLDSTART_SMAPS"):
        # Where the memory is, after the one invocation (file-backed vs anonymous).
        which = "smaps" if os.environ["COLDSTART_SMAPS"] == "full" else "smaps_rollup"
        print(open(f"/proc/{p.pid}/{which}").read(), file=sys.stderr)
    p.kill()
    _, status, usage = os.wait4(p.pid, 0)
    if "/error" in path or json.loads(body).get("statusCode") != 200:
        sys.exit(f"the invocation failed: {path} {body[:300]!r}")
    totals.append((t1 - t0) * 1000)
    aws.append(state["aws"] * 1000)
    calls.append(state["calls"])
    rss.append(hwm_kb / 1024)
    maxrss.append(usage.ru_maxrss / 1024)

net = [t - a for t, a in zip(totals, aws)]
med = statistics.median
print(f"runs: {RUNS}, AWS calls per invocation: {med(calls):.0f}")
print(f"exec -> response posted: median {med(totals):.1f} ms (min {min(totals):.1f}, max {max(totals):.1f})")
print(f"  of which the emulator: median {med(aws):.1f} ms")
print(f"  roster's own: median {med(net):.1f} ms (min {min(net):.1f}, max {max(net):.1f})")
print(f"peak RSS (VmHWM): median {med(rss):.1f} MB (max {max(rss):.1f})")
print(f"  (rusage ru_maxrss, which includes this Python process before exec: {med(maxrss):.1f} MB)")
