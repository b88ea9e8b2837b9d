#!/bin/sh
# Writes every query of the real-world corpus into fuzz/corpus/parse/, one file each, as the
# fuzzer's seed corpus. Usage: fuzz/seed-corpus.sh [queries.jsonl]
set -eu
src="${1:-$(cd "$(dirname "$0")/.." && pwd)/../shared/corpus/queries.jsonl}"
dir="$(cd "$(dirname "$0")" && pwd)/corpus/parse"
[ -f "$src" ] || { echo "seed-corpus.sh: $src not found" >&2; exit 1; }
mkdir -p "$dir"
python3 - "$src" "$dir" <<'PY'
import hashlib, json, os, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
with open(src, encoding="utf-8") as f:
    for line in f:
        query = json.loads(line)["query"].encode("utf-8")
        name = hashlib.sha1(query).hexdigest()
        with open(os.path.join(out, name), "wb") as q:
            q.write(query)
        n += 1
print(f"wrote {n} seeds to {out}")
PY
