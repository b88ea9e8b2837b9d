#!/usr/bin/env bash
# CI for grammars/: the TextMate grammar tests and the tree-sitter grammar checks, from a clean
# clone. Exits non-zero on the first failure.
#
#   1. npm ci (vscode-tmgrammar-test and the Markdown/YAML host grammars, pinned by the lock)
#   2. j1ql.tmLanguage.json is up to date with src/j1ql.tmLanguage.js
#   3. vscode-tmgrammar-test over tests/ (J1QL, Markdown fences, YAML query: fields)
#   3b. every shipped corpus query embedded in question YAML and in Markdown fences is J1QL
#   4. tree-sitter-cli $TS_VERSION (installed from crates.io when missing or another version)
#   5. `tree-sitter generate` leaves the committed src/ unchanged
#   6. `tree-sitter test` (test/corpus/*.txt)
#   7. every shipped real query of the corpus parses without an ERROR or MISSING node
#   8. on those queries, the TextMate grammar scopes exactly the class, type, verb, alias and
#      smart-class names that the tree-sitter parser finds
#
# Environment: J1QL_CORPUS names the corpus folder or file (default: ../shared/corpus/queries.jsonl
# beside the repository); CARGO_TARGET_DIR is honoured by the cargo install (default
# /tmp/ts-build so it does not touch the workspace's target/).
set -euo pipefail

TS_VERSION=0.27.1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

section() { printf '\n==> %s\n' "$*"; }

section "npm ci"
npm ci --no-audit --no-fund

section "TextMate grammar is generated from src/"
npm run --silent check

section "TextMate grammar tests (vscode-tmgrammar-test)"
# The Markdown host grammar names ~100 embedded languages we do not ship; drop those notices.
npx --no-install vscode-tmgrammar-test "tests/**/*.test.*" 2> >(grep -v '^grammar not found for' >&2)

section "injections: every shipped real query highlighted inside YAML query: fields and Markdown fences"
node scripts/check-injections.js

section "tree-sitter-cli $TS_VERSION"
if ! command -v tree-sitter >/dev/null || [[ "$(tree-sitter --version)" != *" $TS_VERSION"* ]]; then
    CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/ts-build}" \
        cargo install --locked "tree-sitter-cli@$TS_VERSION"
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
tree-sitter --version

cd "$HERE/tree-sitter-j1ql"

section "tree-sitter generate: the committed parser is up to date"
tree-sitter generate
if ! git diff --exit-code -- src/ || [[ -n "$(git status --porcelain -- src/)" ]]; then
    echo "error: src/ differs from what grammar.js generates: run \`tree-sitter generate\` in grammars/tree-sitter-j1ql and commit" >&2
    git status --short -- src/ >&2
    exit 1
fi

section "tree-sitter test"
tree-sitter test

section "corpus: every shipped real query parses without ERROR/MISSING"
python3 scripts/parse-corpus.py

section "corpus: TextMate and tree-sitter agree on classes, types, verbs, aliases, smart classes"
node "$HERE/scripts/crosscheck-textmate.js"

section "grammars: all checks passed"
