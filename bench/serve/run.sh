#!/usr/bin/env bash
# Benchmark of `j1ql serve` over loopback: queryV1 latency with one client (p50/p99), and 1,000
# concurrent clients (errors, throughput, percentiles). Builds the release binary and the load
# client (crates/j1ql-server/examples/load.rs). Figures go in docs/performance.md.
#
#   bash bench/serve/run.sh [REQUESTS_ONE_CLIENT] [REQUESTS_1000_CLIENTS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ONE="${1:-5000}"
MANY="${2:-50000}"
cargo build --release -p j1ql --bin j1ql
cargo build --release -p j1ql-server --example load
TARGET="${CARGO_TARGET_DIR:-target}/release"
PORT="${PORT:-18931}"
ulimit -n 8192 2>/dev/null || true
J1QL_LOG="${J1QL_LOG:-warn}" "$TARGET/j1ql" serve --listen "127.0.0.1:$PORT" 2>/tmp/j1ql-serve-bench.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
URL="http://127.0.0.1:$PORT"
echo "host: $(nproc) CPUs, $(uname -srm); log filter: ${J1QL_LOG:-warn}"
for query in "FIND User THAT IS Person" "FIND aws_account AS a THAT HAS aws_s3_bucket AS b RETURN a.displayName AS account, count(b) AS buckets"; do
    echo "query: $query"
    "$TARGET/examples/load" "$URL" 1 100 "$query" >/dev/null   # warm-up
    echo -n "  1 client:     "; "$TARGET/examples/load" "$URL" 1 "$ONE" "$query"
done
echo -n "1,000 clients (FIND User THAT IS Person): "
"$TARGET/examples/load" "$URL" 1000 "$MANY" "FIND User THAT IS Person"
