#!/usr/bin/env python3
"""Times j1ql, Kuzu and DuckDB on the same generated data, in the same run, and prints the
table with ratios. See README.md.

    python3 bench.py --data /tmp/j1g --tables /tmp/j1g-tables [--repeat 7] [--j1ql PATH]
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb
import kuzu

from queries import QUERIES

KUZU_TYPES = {"string": "STRING", "bool": "BOOLEAN", "int64": "INT64", "double": "DOUBLE", "null": "STRING"}


def load_kuzu(tables, manifest, path):
    shutil.rmtree(path, ignore_errors=True)
    if os.path.exists(path):
        os.remove(path)
    started = time.perf_counter()
    db = kuzu.Database(path)
    conn = kuzu.Connection(db)
    for ty, info in manifest["nodes"].items():
        cols = ", ".join(
            f"`{name}` {KUZU_TYPES.get(t, 'STRING')}" + (" PRIMARY KEY" if name == "id" else "")
            for name, t in info["columns"]
        )
        conn.execute(f"CREATE NODE TABLE {ty}({cols})")
        conn.execute(f"COPY {ty} FROM '{os.path.join(tables, f'node_{ty}.parquet')}'")
    verbs = {}
    for e in manifest["edges"]:
        verbs.setdefault(e["verb"], []).append(e)
    for verb, pairs in verbs.items():
        spec = ", ".join(f"FROM {e['from']} TO {e['to']}" for e in pairs)
        conn.execute(f"CREATE REL TABLE `{verb}`({spec})")
        for e in pairs:
            f = os.path.join(tables, e["file"])
            if len(pairs) > 1:
                conn.execute(f"COPY `{verb}` FROM '{f}' (from='{e['from']}', to='{e['to']}')")
            else:
                conn.execute(f"COPY `{verb}` FROM '{f}'")
    return conn, (time.perf_counter() - started) * 1000


def load_duckdb(tables, manifest):
    started = time.perf_counter()
    con = duckdb.connect()
    for ty in manifest["nodes"]:
        con.execute(
            f"CREATE TABLE {ty} AS SELECT * FROM read_parquet('{os.path.join(tables, f'node_{ty}.parquet')}')"
        )
    verbs = {}
    for e in manifest["edges"]:
        verbs.setdefault(e["verb"], []).append(os.path.join(tables, e["file"]))
    for verb, files in verbs.items():
        con.execute(f"CREATE TABLE \"{verb}\" AS SELECT * FROM read_parquet({files!r})")
    return con, (time.perf_counter() - started) * 1000


def timed(fn, repeat):
    fn()  # warm-up
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def normalise(rows):
    """Rows of (group..., count) as a sorted list of tuples with int counts."""
    out = []
    for r in rows:
        r = list(r)
        r[-1] = int(r[-1])
        out.append(tuple(r))
    return sorted(out, key=repr)


def j1ql_results(j1ql, data, query):
    out = subprocess.run(
        [j1ql, "run", "--data", data, "--format", "json", query], check=True, capture_output=True, text=True
    ).stdout
    doc = json.loads(out)
    return normalise([tuple(row.values()) for row in doc["data"]])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--tables", required=True)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--j1ql", default=os.path.join(os.path.dirname(__file__), "../../target/release/j1ql"))
    ap.add_argument("--no-check", action="store_true", help="skip the per-query j1ql result check")
    args = ap.parse_args()
    with open(os.path.join(args.tables, "manifest.json")) as f:
        manifest = json.load(f)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"kuzu {kuzu.__version__}, duckdb {duckdb.__version__}", flush=True)

    # j1ql: loads once, times every query warm.
    with tempfile.NamedTemporaryFile("w", suffix=".j1ql", delete=False) as f:
        f.write("\n\n".join(q["j1ql"] for q in QUERIES) + "\n")
        qfile = f.name
    started = time.perf_counter()
    out = subprocess.run(
        [args.j1ql, "run", "--data", args.data, "--timings", qfile, "--repeat", str(args.repeat), "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    j1 = json.loads(out)
    print(f"j1ql --timings done in {time.perf_counter() - started:.1f} s", flush=True)

    kdir = os.path.join(tempfile.gettempdir(), "j1ql-bench-kuzu")
    kconn, kload = load_kuzu(args.tables, manifest, kdir)
    dcon, dload = load_duckdb(args.tables, manifest)

    rows = []
    ok = True
    for q, jq in zip(QUERIES, j1["queries"]):
        kms, kres = timed(lambda: kconn.execute(q["cypher"]).get_all(), args.repeat)
        dms, dres = timed(lambda: dcon.execute(q["sql"]).fetchall(), args.repeat)
        kres, dres = normalise(kres), normalise(dres)
        same = kres == dres
        if not args.no_check:
            jres = j1ql_results(args.j1ql, args.data, q["j1ql"])
            same = same and jres == kres
        ok &= same
        rows.append((q["name"], jq["median_ms"], kms, dms, kres, same))

    print()
    print(f"| query | j1ql ms | Kùzu ms | DuckDB ms | j1ql / faster | result | same |")
    print(f"|---|---:|---:|---:|---:|---|---|")
    for name, j, k, d, res, same in rows:
        best = min(k, d)
        shown = ", ".join(str(r if len(r) > 1 else r[0]) for r in res)
        # Small figures keep three significant digits, so sub-millisecond medians (counts
        # answered from the value groups) and their ratios do not print as 0.0.
        ms = lambda x: f"{x:.1f}" if x >= 10 else f"{x:.3g}"
        ratio = j / best
        ratio = f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}"
        print(f"| {name} | {ms(j)} | {ms(k)} | {ms(d)} | {ratio} | {shown} | {'yes' if same else 'NO'} |")
    print()
    print(f"| load | ms |")
    print(f"|---|---:|")
    print(f"| j1ql (JSON payloads) | {j1['load_ms']:.0f} |")
    print(f"| Kùzu (Parquet, COPY) | {kload:.0f} |")
    print(f"| DuckDB (Parquet, in memory) | {dload:.0f} |")
    if not ok:
        print("\nRESULTS DIFFER between engines", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
