#!/usr/bin/env python3
"""Converts `j1ql gen` payloads into Parquet node and edge tables for Kuzu and DuckDB.

One node table per `_type` (column `id`: a global integer id, `_key`, `_class`, then every
scalar property the type has, dots in names turned into `_`), one edge table per verb and
(from type, to type) pair (`src`, `dst`). Endpoints are resolved by `_key` (unique in the
generated data; the script checks it).

    python3 convert.py DATA_DIR OUT_DIR
"""
import json
import os
import sys
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq


def flatten(obj, prefix=""):
    for k, v in obj.items():
        name = prefix + k
        if isinstance(v, dict):
            yield from flatten(v, name + ".")
        else:
            yield name, v


def col_name(key):
    return key.replace(".", "_")


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    by_key = {}
    types = []  # type of each entity id
    nodes = defaultdict(lambda: defaultdict(list))  # type -> column -> values
    node_rows = defaultdict(int)
    edges = defaultdict(lambda: ([], []))  # (verb, from_type, to_type) -> (src, dst)
    pending = []
    for name in sorted(os.listdir(data)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(data, name)) as f:
            payload = json.load(f)
        for e in payload.get("entities", []):
            eid = len(types)
            if e["_key"] in by_key:
                sys.exit(f"duplicate _key {e['_key']}: this converter resolves by key")
            by_key[e["_key"]] = eid
            ty = e["_type"]
            types.append(ty)
            cls = e["_class"]
            row = {"id": eid, "_key": e["_key"], "_class": cls if isinstance(cls, str) else cls[0]}
            for k, v in flatten(e):
                if k.startswith("_") or isinstance(v, (list, dict)) or v is None:
                    continue
                row[col_name(k)] = v
            cols = nodes[ty]
            n = node_rows[ty]
            for k in row:
                if k not in cols:
                    cols[k] = [None] * n
            for k, values in cols.items():
                values.append(row.get(k))
            node_rows[ty] = n + 1
        for r in payload.get("relationships", []):
            pending.append((r["_class"].upper(), r["_fromEntityKey"], r["_toEntityKey"]))
    unresolved = 0
    for verb, fk, tk in pending:
        s, d = by_key.get(fk), by_key.get(tk)
        if s is None or d is None:
            unresolved += 1
            continue
        src, dst = edges[(verb, types[s], types[d])]
        src.append(s)
        dst.append(d)
    manifest = {"nodes": {}, "edges": []}
    for ty, cols in nodes.items():
        table = pa.table({k: v for k, v in cols.items()})
        pq.write_table(table, os.path.join(out, f"node_{ty}.parquet"))
        manifest["nodes"][ty] = {
            "rows": node_rows[ty],
            "columns": [[k, str(t)] for k, t in zip(table.column_names, table.schema.types)],
        }
    for (verb, ft, tt), (src, dst) in edges.items():
        fname = f"edge_{verb}_{ft}_{tt}.parquet"
        pq.write_table(
            pa.table({"src": pa.array(src, pa.int64()), "dst": pa.array(dst, pa.int64())}),
            os.path.join(out, fname),
        )
        manifest["edges"].append({"verb": verb, "from": ft, "to": tt, "file": fname, "rows": len(src)})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(
        f"{len(types)} entities in {len(nodes)} node tables, "
        f"{len(pending) - unresolved} relationships in {len(edges)} edge tables "
        f"({unresolved} unresolved) -> {out}"
    )


if __name__ == "__main__":
    main()
