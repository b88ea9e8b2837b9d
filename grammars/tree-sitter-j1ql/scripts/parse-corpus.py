#!/usr/bin/env python3
"""Parses every shipped real J1QL query with the tree-sitter grammar; fails on any error.

The queries are the rows of `queries.jsonl` (the shared corpus, see its README) whose
`source_kind` is question-yaml, json or dashboard-json: what JupiterOne ships in managed
questions, alert rule packs and dashboards. Each is written to its own file and the whole set is
parsed with one `tree-sitter parse` run. A query fails when its tree holds an ERROR or MISSING
node; the failing queries are printed and the exit status is 1.

Usage: scripts/parse-corpus.py [CORPUS]   (default: $J1QL_CORPUS, else
       ../shared/corpus/queries.jsonl beside the repository)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

KINDS = {"question-yaml", "json", "dashboard-json"}
HERE = os.path.dirname(os.path.abspath(__file__))
GRAMMAR_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(GRAMMAR_DIR))


def corpus_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    # J1QL_CORPUS names the corpus folder (as in CI and the Rust tests); a file path works too.
    folder = os.environ.get("J1QL_CORPUS") or os.path.join(REPO, "..", "shared", "corpus")
    return os.path.join(folder, "queries.jsonl") if os.path.isdir(folder) else folder


def load(path):
    if not os.path.isfile(path):
        sys.exit(
            f"error: the corpus is missing: expected {path} "
            "(the shared/ folder beside the repository, or set J1QL_CORPUS)"
        )
    queries = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"error: {path}:{n}: not JSON: {e}")
            if row.get("source_kind") in KINDS:
                queries.append(row)
    if not queries:
        sys.exit(f"error: {path} holds no query of the kinds {sorted(KINDS)}")
    return queries


def main():
    path = corpus_path()
    queries = load(path)
    with tempfile.TemporaryDirectory(prefix="j1ql-ts-corpus-") as tmp:
        files = []
        for i, row in enumerate(queries):
            name = os.path.join(tmp, f"q{i:05d}.j1ql")
            with open(name, "w", encoding="utf-8") as f:
                f.write(row["query"])
            files.append(name)
        list_file = os.path.join(tmp, "paths.txt")
        with open(list_file, "w", encoding="utf-8") as f:
            f.write("\n".join(files) + "\n")
        proc = subprocess.run(
            ["tree-sitter", "parse", "--quiet", "--stat", "--paths", list_file],
            cwd=GRAMMAR_DIR,
            capture_output=True,
            text=True,
        )
        output = proc.stdout + proc.stderr
        failed = sorted(set(re.findall(r"(q\d{5})\.j1ql[^\n]*(?:ERROR|MISSING)", output)))
        stat = re.search(r"Total parses: (\d+); successful parses: (\d+); failed parses: (\d+)", output)
        if (
            stat is None
            or int(stat.group(1)) != len(queries)
            or int(stat.group(3)) != len(failed)
            or (proc.returncode != 0) != bool(failed)
        ):
            # The run itself broke (grammar did not compile, CLI error...), or its summary
            # disagrees with the failures found: do not trust it.
            sys.stderr.write(output)
            sys.exit(
                f"error: tree-sitter parse exited with {proc.returncode} and its summary "
                f"does not match the {len(queries)} queries / {len(failed)} failures found"
            )
    for name in failed:
        row = queries[int(name[1:])]
        print(f"--- FAILED: {row.get('repo', '?')} {row.get('path', '?')} ({row['source_kind']})")
        print(row["query"].rstrip("\n"))
    print(
        f"{len(queries) - len(failed)} of {len(queries)} shipped corpus queries parse "
        f"without ERROR/MISSING ({len(failed)} failed)"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
