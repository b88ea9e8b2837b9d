#!/usr/bin/env python3
"""Combines `j1ql gen` payload files into ONE bulk-upload file, the shape of a user's single
export: `{"source": ..., "scope": ..., "entities": [...], "relationships": [...]}`, one item
per line. With `--jsonl` it writes JSON-lines instead: one entity or relationship per line
(entities first), items carrying their own `_source` and `_scope`.

    python3 bulk.py DATA_DIR OUT_FILE [--jsonl]

The generator keeps `_key`s unique across files, so one scope for every item keeps every
relationship's endpoints resolvable. The data is never committed: write it to /tmp.
"""
import json
import os
import sys

SOURCE = "integration-managed"
SCOPE = "account"


def payloads(data):
    for name in sorted(os.listdir(data)):
        if name.endswith(".json"):
            with open(os.path.join(data, name)) as f:
                yield json.load(f)


def dump(item):
    return json.dumps(item, ensure_ascii=False, separators=(", ", ": "))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    jsonl = "--jsonl" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    data, out = args
    with open(out, "w", encoding="utf-8") as f:
        if jsonl:
            for key in ("entities", "relationships"):
                for payload in payloads(data):
                    for item in payload.get(key) or []:
                        item = {"_source": SOURCE, "_scope": SCOPE, **item}
                        f.write(dump(item) + "\n")
            return
        f.write('{\n  "source": %s,\n  "scope": %s,\n' % (dump(SOURCE), dump(SCOPE)))
        for n, key in enumerate(("entities", "relationships")):
            f.write('  "%s": [' % key)
            first = True
            for payload in payloads(data):
                for item in payload.get(key) or []:
                    f.write(("\n    " if first else ",\n    ") + dump(item))
                    first = False
            f.write("\n  ]" + (",\n" if n == 0 else "\n"))
        f.write("}\n")


if __name__ == "__main__":
    main()
