#!/usr/bin/env bash
# Runs J1QL's pre-commit hooks with the real `pre-commit` on a sample repository
# (tests/precommit/sample) in a temporary folder, the way users configure them
# (`.pre-commit-config.yaml` naming a repository and a rev), twice:
#
#   wheel  the prebuilt-wheel hooks (editors/pre-commit, the `j1ql-pre-commit` template,
#          `language: python`) with the j1ql wheel built by maturin standing in for PyPI
#          (PIP_FIND_LINKS) and NO cargo or rustc on PATH;
#   rust   this repository's `j1ql-fmt-rust` / `j1ql-lint-rust` (`language: rust`).
#
# For each: j1ql-fmt fixes a badly formatted file (the hook fails because it changed a file)
# and leaves formatted files alone; j1ql-lint fails on a file with a lint error and passes on a
# clean one; the hooks match every host format (a YAML question's query is formatted in place).
#
#   tests/precommit/run.sh [wheel|rust]...      # default: both
#   J1QL_WHEEL_DIR=target/wheels tests/precommit/run.sh wheel   # else the wheel is built here
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SAMPLE="$ROOT/tests/precommit/sample"
MODES=("$@")
[ "${#MODES[@]}" -gt 0 ] || MODES=(wheel rust)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TARGET="$(realpath -m "${CARGO_TARGET_DIR:-$ROOT/target}")"

fail() { echo "FAIL: $*" >&2; exit 1; }

# pre-commit and maturin in a virtualenv of their own.
python3 -m venv "$WORK/tools"
"$WORK/tools/bin/pip" install --quiet pre-commit
PRE_COMMIT="$WORK/tools/bin/pre-commit"
"$PRE_COMMIT" --version

version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
# The template must name the version being released (docs/releasing.md).
grep -q "^version = \"$version\"" "$ROOT/editors/pre-commit/pyproject.toml" \
    || fail "editors/pre-commit/pyproject.toml's version is not $version"
grep -q "\"j1ql==$version\"" "$ROOT/editors/pre-commit/pyproject.toml" \
    || fail "editors/pre-commit/pyproject.toml does not depend on j1ql==$version"

# A git repository holding a copy of `dir`, committed; prints its HEAD.
as_repo() {
    local dir="$1"
    (cd "$dir" && git init -q && git config user.email ci@example.invalid \
        && git config user.name ci && git add -A && git commit -q -m "snapshot" \
        && git rev-parse HEAD)
}

check_hooks() {
    local mode="$1" repo="$2" rev="$3" fmt_id="$4" lint_id="$5"
    local repo_dir="$WORK/$mode-sample"
    cp -R "$SAMPLE" "$repo_dir"
    cat > "$repo_dir/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: $fmt_id
      - id: $lint_id
YAML
    as_repo "$repo_dir" >/dev/null
    cd "$repo_dir"

    echo "== $mode run 1: a badly formatted file and a file with a lint error: both hooks must fail"
    local t0=$SECONDS
    if "$PRE_COMMIT" run --all-files > "$WORK/$mode-run1.out" 2>&1; then
        cat "$WORK/$mode-run1.out"
        fail "$mode: the hooks passed on a badly formatted file and a lint error"
    fi
    cat "$WORK/$mode-run1.out"
    echo "($mode: installing the hooks and the first run took $((SECONDS - t0)) s)"
    grep -q "An unexpected error has occurred\|CalledProcessError" "$WORK/$mode-run1.out" \
        && fail "$mode: pre-commit could not install the hooks"
    grep -Eq "^j1ql fmt\.+Failed" "$WORK/$mode-run1.out" || fail "$mode: j1ql-fmt did not fail"
    grep -q "files were modified by this hook" "$WORK/$mode-run1.out" || fail "$mode: j1ql-fmt did not modify a file"
    grep -Eq "^j1ql lint\.+Failed" "$WORK/$mode-run1.out" || fail "$mode: j1ql-lint did not fail"
    grep -q "S001" "$WORK/$mode-run1.out" || fail "$mode: j1ql-lint did not report S001"
    local expected="FIND User WITH active = true THAT HAS Device"
    local actual
    actual="$(cat queries/unformatted.j1ql)"
    [[ "$actual" == "$expected" ]] || fail "$mode: j1ql-fmt wrote: $actual"
    cmp -s queries/formatted.j1ql "$SAMPLE/queries/formatted.j1ql" || fail "$mode: j1ql-fmt changed a formatted file"
    grep -q "FIND User WITH mfaEnabled != true" questions/mfa.yaml || fail "$mode: j1ql-fmt did not format the YAML question: $(cat questions/mfa.yaml)"
    cmp -s terraform/rules.tf "$SAMPLE/terraform/rules.tf" || fail "$mode: j1ql-fmt changed a formatted Terraform file"
    cmp -s package.json "$SAMPLE/package.json" || fail "$mode: j1ql-fmt changed a JSON file without queries"

    echo "== $mode run 2: the lint error removed: both hooks must pass"
    git rm -q queries/lint_error.j1ql
    git add -A
    git commit -q -m "fixed"
    "$PRE_COMMIT" run --all-files > "$WORK/$mode-run2.out" 2>&1 || {
        cat "$WORK/$mode-run2.out"
        fail "$mode: the hooks failed on formatted, clean files"
    }
    cat "$WORK/$mode-run2.out"
    grep -Eq "^j1ql fmt\.+Passed" "$WORK/$mode-run2.out" || fail "$mode: j1ql-fmt did not pass"
    grep -Eq "^j1ql lint\.+Passed" "$WORK/$mode-run2.out" || fail "$mode: j1ql-lint did not pass"
    cd "$ROOT"
    echo "pre-commit hooks ($mode): OK"
}

for mode in "${MODES[@]}"; do
    export PRE_COMMIT_HOME="$WORK/pre-commit-home-$mode"
    case "$mode" in
    wheel)
        wheels="${J1QL_WHEEL_DIR:-}"
        if [ -z "$wheels" ]; then
            "$WORK/tools/bin/pip" install --quiet "maturin>=1.7,<2"
            wheels="$WORK/wheels"
            (cd "$ROOT" && "$WORK/tools/bin/maturin" build --release --locked --out "$wheels")
        fi
        ls "$wheels"/j1ql-"$version"-*.whl >/dev/null || fail "no j1ql-$version wheel in $wheels"
        mirror="$WORK/j1ql-pre-commit"
        cp -R "$ROOT/editors/pre-commit" "$mirror"
        rev="$(as_repo "$mirror")"
        # No Rust toolchain: PATH keeps only the system folders and the tools' venv, and the
        # wheel comes from the folder (PyPI for everything else, e.g. setuptools).
        (
            export PATH="$WORK/tools/bin:/usr/local/bin:/usr/bin:/bin"
            export PIP_FIND_LINKS="$wheels"
            unset CARGO_HOME RUSTUP_HOME CARGO_TARGET_DIR
            if command -v cargo >/dev/null || command -v rustc >/dev/null; then
                fail "cargo or rustc is still on PATH: $(command -v cargo rustc)"
            fi
            check_hooks wheel "$mirror" "$rev" j1ql-fmt j1ql-lint
        )
        ;;
    rust)
        # pre-commit builds the hook with `cargo install`; keep its build products between runs.
        export CARGO_TARGET_DIR="$TARGET/precommit"
        snapshot="$WORK/j1ql-repo"
        git clone -q "$ROOT" "$snapshot"
        # The working tree's hook definitions, whatever is committed.
        cp "$ROOT/.pre-commit-hooks.yaml" "$snapshot/"
        rev="$(cd "$snapshot" && git add -A && git -c user.email=ci@example.invalid -c user.name=ci commit -q -m hooks --allow-empty && git rev-parse HEAD)"
        check_hooks rust "$snapshot" "$rev" j1ql-fmt-rust j1ql-lint-rust
        ;;
    *) fail "unknown mode $mode (wheel or rust)" ;;
    esac
done
