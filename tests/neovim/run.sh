#!/usr/bin/env bash
# Headless Neovim end-to-end tests of the plugin in editors/neovim with `j1ql lsp`:
#   check.lua     diagnostics, completion after FIND and THAT, hover, formatting
#   commands.lua  :J1qlRun (table and json) and :J1qlNormalize, against the CLI's answers
#   health.lua    :J1qlInstallParser, tree-sitter captures, :checkhealth j1ql
#
#   tests/neovim/run.sh            # uses $NVIM_BIN, else `nvim` on PATH (needs >= 0.9)
#
# Builds the j1ql binary (debug) unless $J1QL_BIN is given. Exits non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
nvim="${NVIM_BIN:-nvim}"
if ! command -v "$nvim" >/dev/null; then
  echo "neovim not found (set NVIM_BIN)" >&2
  exit 2
fi
version="$("$nvim" --version | head -1 | sed -E 's/^NVIM v([0-9]+)\.([0-9]+).*/\1 \2/')"
read -r major minor <<<"$version"
if [ "$major" -eq 0 ] && [ "$minor" -lt 11 ]; then
  echo "neovim >= 0.11 needed for these tests, found $("$nvim" --version | head -1)" >&2
  exit 2
fi
if [ -z "${J1QL_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet --bin j1ql)
  J1QL_BIN="$(cd "$root" && realpath -m "${CARGO_TARGET_DIR:-target}")/debug/j1ql"
fi

# The shipped tree-sitter queries are copies of the grammar's: they must not drift.
for q in highlights folds injections; do
  if ! cmp -s "$root/grammars/tree-sitter-j1ql/queries/$q.scm" "$root/editors/neovim/queries/j1ql/$q.scm"; then
    echo "FAIL editors/neovim/queries/j1ql/$q.scm differs from grammars/tree-sitter-j1ql/queries/$q.scm" >&2
    echo "     (cp grammars/tree-sitter-j1ql/queries/$q.scm editors/neovim/queries/j1ql/)" >&2
    exit 1
  fi
done
echo "ok   queries/j1ql/{highlights,folds,injections}.scm are the grammar's"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A copy of the plugin laid out as in the repository (the parser is built into the copy).
mkdir -p "$work/repo/editors"
cp -r "$root/editors/neovim" "$work/repo/editors/neovim"
rm -rf "$work/repo/editors/neovim/parser"
ln -s "$root/grammars" "$work/repo/grammars"
plugin="$work/repo/editors/neovim"
mkdir "$work/project"
: > "$work/project/j1ql.toml"
printf 'FIND Hots WITH active = true\nFIND \nFIND User THAT \n' > "$work/project/errors.j1ql"
cp "$root/tests/neovim/commands.j1ql" "$root/tests/neovim/highlight.j1ql" "$work/project/"
cd "$work/project"

export J1QL_TESTS="$root/tests/neovim"
cmd="['$J1QL_BIN', 'lsp']"
# A manual install: the plugin folder symlinked into a package's start/ folder.
mkdir -p "$work/site/pack/j1ql/start"
ln -s "$plugin" "$work/site/pack/j1ql/start/j1ql"
packpath=(--cmd "set packpath^=$work/site" --cmd "let g:j1ql_cmd = $cmd")
# lazy.nvim's way: the subfolder added to the runtime path and setup{} called from `config`.
lazy=(--cmd "lua vim.opt.rtp:append('$plugin'); require('j1ql').setup({ cmd = $(echo "$cmd" | tr '[]' '{}') })")

status=0
run() {
  local script="$1" file="$2"
  shift 2
  echo "--- $script ($file)"
  timeout 60 "$nvim" --headless --clean "$@" "$file" \
    -c "lua local ok, e = pcall(dofile, '$root/tests/neovim/$script'); if not ok then io.stdout:write('FAIL error: ' .. tostring(e) .. '\n'); vim.cmd('cq') end" \
    || status=1
}
run check.lua errors.j1ql "${packpath[@]}"
run commands.lua commands.j1ql "${lazy[@]}"
run health.lua highlight.j1ql "${packpath[@]}"
# nvim-lspconfig's form: editors/neovim/lspconfig/j1ql.lua as lsp/j1ql.lua of a runtime folder,
# `j1ql` on PATH, no plugin of ours.
mkdir -p "$work/lspconfig/lsp"
cp "$root/editors/neovim/lspconfig/j1ql.lua" "$work/lspconfig/lsp/j1ql.lua"
mkdir -p "$work/bin"
ln -s "$J1QL_BIN" "$work/bin/j1ql"
PATH="$work/bin:$PATH" run lspconfig.lua errors.j1ql --cmd "set rtp^=$work/lspconfig" \
  --cmd "lua vim.filetype.add({ extension = { j1ql = 'j1ql' } }); vim.lsp.enable('j1ql')"
exit "$status"
