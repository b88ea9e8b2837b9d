#!/usr/bin/env bash
# JupiterOne's own clients against `j1ql serve`: the Python client from PyPI and the Node client
# from npm query, page, poll deferred answers, upload through synchronization jobs and manage
# questions; every answer is compared with `j1ql run --format json` on the same data.
#
# Needs: the release binary (J1QL_BIN, default target/release/j1ql; built if missing), Python
# >= 3.12 (pyenv's 3.12 or python3.12), Node 20 + npm, network to PyPI and npm.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
J1QL_BIN="${J1QL_BIN:-$ROOT/${CARGO_TARGET_DIR:-target}/release/j1ql}"
if [[ ! -x "$J1QL_BIN" ]]; then
    (cd "$ROOT" && cargo build --release --bin j1ql)
fi
export J1QL_BIN

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Python >= 3.12: pyenv's, else one on PATH.
PYTHON=""
if command -v pyenv >/dev/null 2>&1; then
    PYTHON="$(ls -d "$(pyenv root)"/versions/3.12.*/bin/python 2>/dev/null | sort -V | tail -1 || true)"
fi
[[ -n "$PYTHON" ]] || PYTHON="$(command -v python3.12 || true)"
if [[ -z "$PYTHON" ]]; then
    echo "error: Python 3.12 not found (pyenv install 3.12, or python3.12 on PATH)" >&2
    exit 1
fi
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
(cd "$HERE" && npm ci --silent --no-audit --no-fund --ignore-scripts)

# The data: 620 devices (more than two pages) with fixed timestamps, so that `j1ql run` and the
# server print the same metadata.
"$WORK/venv/bin/python" "$HERE/make_data.py" "$WORK/data"

free_port() { "$WORK/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME ARGS...: starts a server, waits until /health answers, exports NAME_URL.
start() {
    local name="$1"; shift
    local port; port="$(free_port)"
    "$J1QL_BIN" serve --listen "127.0.0.1:$port" --account ci-account --token ci-token-0123456789 "$@" \
        2>"$WORK/$name.log" &
    PIDS+=("$!")
    for _ in $(seq 1 100); do
        if "$WORK/venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
            "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
            export "${name}_URL=http://127.0.0.1:$port"
            return 0
        fi
        sleep 0.1
    done
    echo "error: j1ql serve ($name) did not start:" >&2
    cat "$WORK/$name.log" >&2
    exit 1
}

# DEMO: the built-in demo account. DATA: the devices, uploads kept in a state folder.
start DEMO
# Both the server and `j1ql run` use this clock: items without timestamps get it as `_createdOn`.
export J1_NOW=2025-11-21T00:00:00Z
start DATA --data "$WORK/data" --state "$WORK/state" --now "$J1_NOW"
export DATA_DIR="$WORK/data" STATE_DIR="$WORK/state"
export J1_ACCOUNT=ci-account J1_TOKEN=ci-token-0123456789

status=0
echo "-- Python client (jupiterone $("$WORK/venv/bin/pip" show jupiterone | sed -n 's/^Version: //p'))"
"$WORK/venv/bin/python" "$HERE/python_client.py" || status=1
echo "-- Node client (@jupiterone/jupiterone-client-nodejs $(node -p "require('$HERE/node_modules/@jupiterone/jupiterone-client-nodejs/package.json').version"))"
node "$HERE/node_client.js" || status=1
# Apollo's BatchHttpLink really sent batches (JSON arrays) to the server.
if ! grep -q "batched graphql operations=[2-9]" "$WORK/DEMO.log"; then
    echo "FAIL the Node client sent no batched GraphQL request" >&2
    status=1
fi
if [[ $status -ne 0 ]]; then
    echo "-- server logs (last lines)" >&2
    tail -n 20 "$WORK/DEMO.log" "$WORK/DATA.log" >&2
fi
exit $status
