"""FalkorDBLite (embedded FalkorDB, `falkordblite` on PyPI) behind a JSON-lines pipe, for the
differential test `tests/cypher_differential.rs` (docs/cypher.md).

Each line on stdin is one request; each answer is one line on stdout:
  {"op": "load", "file": PATH}                  -> {"ok": true, "statements": N}
  {"op": "query", "cypher": TEXT, "params": {}} -> {"rows": [[CELL, ...], ...]} or {"error": MSG}
A node cell is {"node": PROPERTIES}, a relationship cell {"edge": PROPERTIES}; lists hold cells.
"""

import json
import os
import shutil
import sys
import tempfile

from falkordb.edge import Edge
from falkordb.node import Node
from redislite.falkordb_client import FalkorDB


def cell(value):
    if isinstance(value, Node):
        return {"node": value.properties}
    if isinstance(value, Edge):
        return {"edge": value.properties}
    if isinstance(value, list):
        return [cell(v) for v in value]
    return value


def main():
    workdir = tempfile.mkdtemp(prefix="j1ql-falkordb-")
    db = FalkorDB(os.path.join(workdir, "graph.db"))
    try:
        serve(db.select_graph("j1ql"))
    finally:
        # The embedded server is a process of its own: stop it when the test closes the pipe.
        db.close()
        shutil.rmtree(workdir, ignore_errors=True)


def serve(graph):
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "load":
                with open(request["file"], encoding="utf-8") as f:
                    text = f.read()
                statements = [s for s in text.split(";\n") if s.strip()]
                for statement in statements:
                    graph.query(statement)
                answer = {"ok": True, "statements": len(statements)}
            else:
                result = graph.ro_query(request["cypher"], request.get("params") or None)
                answer = {"rows": [[cell(v) for v in row] for row in result.result_set]}
        except Exception as error:  # the engine's message goes back to the test
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
