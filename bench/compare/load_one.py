#!/usr/bin/env python3
"""Times loading ONE big bulk-upload file: `j1ql load` against DuckDB's `read_json` of the same
file, alternating the two, each in its own process under `/usr/bin/time -v` (wall time, CPU %,
peak RSS). Prints a Markdown table of every run and the medians.

    python3 load_one.py --j1ql target/release/j1ql --file /tmp/one.json [--rounds 3]

DuckDB reads the file as what it is, one JSON document (`maximum_object_size` raised to the
file's size), into an in-memory table: `CREATE TABLE t AS SELECT * FROM read_json(...)`.
Run it with a Python that has `duckdb` installed (pip install duckdb).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

DUCKDB = """
import duckdb, sys
path, size = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"CREATE TABLE t AS SELECT * FROM read_json('{path}', maximum_object_size={size})")
n = con.execute("SELECT len(entities), len(relationships) FROM t").fetchone()
print(n)
"""


def timed(cmd):
    out = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {out.stderr[-2000:]}")
    err = out.stderr

    def field(name):
        return re.search(re.escape(name) + r": (.*)", err).group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {
        "s": seconds,
        "cpu": field("Percent of CPU this job got"),
        "rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024,
        "out": out.stdout.strip()[:80],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--j1ql", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    size = os.path.getsize(args.file) + 1
    runs = {"j1ql": [], "duckdb": []}
    print("| round | engine | wall s | CPU | peak RSS MB |")
    print("|---|---|---|---|---|")
    for r in range(args.rounds):
        for engine in ("j1ql", "duckdb"):
            if engine == "j1ql":
                cmd = [args.j1ql, "load", "--data", args.file]
            else:
                cmd = [sys.executable, "-c", DUCKDB, args.file, str(size)]
            t = timed(cmd)
            runs[engine].append(t)
            print(f"| {r + 1} | {engine} | {t['s']:.2f} | {t['cpu']} | {t['rss_mb']:.0f} |", flush=True)
    j = statistics.median(t["s"] for t in runs["j1ql"])
    d = statistics.median(t["s"] for t in runs["duckdb"])
    print(f"\nmedian: j1ql {j:.2f} s, DuckDB {d:.2f} s, ratio {j / d:.2f}")
    with open("/proc/loadavg") as f:
        print(f"load average at the end: {f.read().split()[:3]}")


if __name__ == "__main__":
    main()
