#!/usr/bin/env bash
# The differential test of `j1ql translate --to cypher` / `j1ql export --to cypher`
# (tests/cypher_differential.rs, docs/cypher.md): the conformance suite on FalkorDBLite
# (embedded FalkorDB from PyPI) against the evaluator. Every case agrees or is refused.
#
# Needs: Python >= 3.12 (pyenv's 3.12 or python3.12), network to PyPI the first time. The
# virtualenv is kept in the user's cache folder, keyed by the requirements file.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

PYTHON=""
if command -v pyenv >/dev/null 2>&1; then
    PYTHON="$(ls -d "$(pyenv root)"/versions/3.12.*/bin/python 2>/dev/null | sort -V | tail -1 || true)"
fi
[[ -n "$PYTHON" ]] || PYTHON="$(command -v python3.12 || true)"
if [[ -z "$PYTHON" ]]; then
    echo "error: Python 3.12 not found (pyenv install 3.12, or python3.12 on PATH)" >&2
    exit 1
fi

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/j1ql"
KEY="$(sha256sum "$HERE/requirements.txt" | cut -c1-12)"
VENV="$CACHE/falkordb-venv-$KEY"
if ! "$VENV/bin/python" -c 'import redislite.falkordb_client' >/dev/null 2>&1; then
    rm -rf "$VENV"
    mkdir -p "$CACHE"
    "$PYTHON" -m venv "$VENV"
    # falkordblite may build from source (a Redis server with the FalkorDB module): minutes
    # the first time, then pip's wheel cache.
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
fi

cd "$ROOT"
J1QL_CYPHER_PYTHON="$VENV/bin/python" cargo test --test cypher_differential -- --ignored --nocapture
