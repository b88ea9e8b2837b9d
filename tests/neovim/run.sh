#!/usr/bin/env bash
# Headless Neovim end-to-end test of `j1ql lsp` with the plugin in editors/neovim.
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
if [ "$major" -eq 0 ] && [ "$minor" -lt 9 ]; then
  echo "neovim >= 0.9 needed, found $("$nvim" --version | head -1)" >&2
  exit 2
fi
if [ -z "${J1QL_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet --bin j1ql)
  J1QL_BIN="$(cd "$root" && realpath -m "${CARGO_TARGET_DIR:-target}")/debug/j1ql"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'FIND Hots WITH active = true\nFIND \nFIND User THAT \n' > "$work/errors.j1ql"
cd "$work"
timeout 60 "$nvim" --headless --clean \
  --cmd "set runtimepath^=$root/editors/neovim" \
  --cmd "let g:j1ql_cmd = ['$J1QL_BIN', 'lsp']" \
  --cmd "runtime! plugin/j1ql.lua" \
  errors.j1ql \
  -c "luafile $root/tests/neovim/check.lua"
