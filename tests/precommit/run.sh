#!/usr/bin/env bash
# Runs this repository's pre-commit hooks (`.pre-commit-hooks.yaml`) with the real `pre-commit`
# on a sample repository (tests/precommit/sample) in a temporary folder:
#   - j1ql-fmt fixes a badly formatted file (the hook fails because it changed a file, and
#     passes when run again);
#   - j1ql-lint fails on a file with a lint error and passes on a clean one.
# Installs pre-commit from PyPI when it is missing. Usage: bash tests/precommit/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SAMPLE="$ROOT/tests/precommit/sample"

if ! command -v pre-commit >/dev/null 2>&1; then
    python3 -m pip install --quiet pre-commit
fi
pre-commit --version

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# pre-commit builds the hook with `cargo install`; keep its build products between runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/precommit"
export PRE_COMMIT_HOME="$WORK/pre-commit-home"

cp -R "$SAMPLE" "$WORK/repo"
cd "$WORK/repo"
git init -q
git config user.email "ci@example.invalid"
git config user.name "ci"
git add -A
git commit -q -m "sample"

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== j1ql-fmt on a badly formatted file: must fix it (and report a change)"
if pre-commit try-repo "$ROOT" j1ql-fmt --files queries/unformatted.j1ql; then
    fail "j1ql-fmt passed on a badly formatted file"
fi
expected="FIND User WITH active = true THAT HAS Device"
actual="$(cat queries/unformatted.j1ql)"
[[ "$actual" == "$expected" ]] || fail "j1ql-fmt wrote: $actual"
pre-commit try-repo "$ROOT" j1ql-fmt --files queries/unformatted.j1ql ||
    fail "j1ql-fmt failed on a file it had formatted"

echo "== j1ql-fmt and j1ql-lint on a clean file: must pass"
pre-commit try-repo "$ROOT" j1ql-fmt --files queries/formatted.j1ql queries/lint_error.j1ql ||
    fail "j1ql-fmt failed on formatted files"
pre-commit try-repo "$ROOT" j1ql-lint --files queries/formatted.j1ql ||
    fail "j1ql-lint failed on a clean file"

echo "== j1ql-lint on a file with a lint error: must fail"
if pre-commit try-repo "$ROOT" j1ql-lint --files queries/lint_error.j1ql > "$WORK/lint.out" 2>&1; then
    cat "$WORK/lint.out"
    fail "j1ql-lint passed on a file with an error"
fi
cat "$WORK/lint.out"
grep -q "S001" "$WORK/lint.out" || fail "j1ql-lint did not report S001"

echo "pre-commit hooks: OK"
