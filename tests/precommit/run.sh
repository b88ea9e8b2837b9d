#!/usr/bin/env bash
# Runs this repository's pre-commit hooks (`.pre-commit-hooks.yaml`) with the real `pre-commit`
# on a sample repository (tests/precommit/sample) in a temporary folder:
#   - j1ql-fmt fixes a badly formatted file (the hook fails because it changed a file) and
#     leaves formatted files alone;
#   - j1ql-lint fails on a file with a lint error and passes on a clean one;
#   - the hooks match every host format: a YAML question's query is formatted in place.
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

# Each `pre-commit try-repo` builds the hooks afresh (a temporary store), so the checks are
# grouped into two runs of both hooks over every file.

echo "== run 1: a badly formatted file and a file with a lint error: both hooks must fail"
if pre-commit try-repo "$ROOT" --all-files > "$WORK/run1.out" 2>&1; then
    cat "$WORK/run1.out"
    fail "the hooks passed on a badly formatted file and a lint error"
fi
cat "$WORK/run1.out"
grep -Eq "^j1ql fmt\.+Failed" "$WORK/run1.out" || fail "j1ql-fmt did not fail"
grep -q "files were modified by this hook" "$WORK/run1.out" || fail "j1ql-fmt did not modify a file"
grep -Eq "^j1ql lint\.+Failed" "$WORK/run1.out" || fail "j1ql-lint did not fail"
grep -q "S001" "$WORK/run1.out" || fail "j1ql-lint did not report S001"
expected="FIND User WITH active = true THAT HAS Device"
actual="$(cat queries/unformatted.j1ql)"
[[ "$actual" == "$expected" ]] || fail "j1ql-fmt wrote: $actual"
cmp -s queries/formatted.j1ql "$SAMPLE/queries/formatted.j1ql" || fail "j1ql-fmt changed a formatted file"
grep -q "FIND User WITH mfaEnabled != true" questions/mfa.yaml || fail "j1ql-fmt did not format the YAML question: $(cat questions/mfa.yaml)"
cmp -s terraform/rules.tf "$SAMPLE/terraform/rules.tf" || fail "j1ql-fmt changed a formatted Terraform file"
cmp -s package.json "$SAMPLE/package.json" || fail "j1ql-fmt changed a JSON file without queries"

echo "== run 2: the lint error removed: both hooks must pass"
git rm -q queries/lint_error.j1ql
git add -A
git commit -q -m "fixed"
pre-commit try-repo "$ROOT" --all-files > "$WORK/run2.out" 2>&1 || {
    cat "$WORK/run2.out"
    fail "the hooks failed on formatted, clean files"
}
cat "$WORK/run2.out"
grep -Eq "^j1ql fmt\.+Passed" "$WORK/run2.out" || fail "j1ql-fmt did not pass"
grep -Eq "^j1ql lint\.+Passed" "$WORK/run2.out" || fail "j1ql-lint did not pass"

echo "pre-commit hooks: OK"
