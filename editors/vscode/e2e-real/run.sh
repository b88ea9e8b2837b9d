#!/usr/bin/env bash
# The J1QL extension in real VS Code: code-server (from npm, on Node 24 from the npm package
# `node@24`) in headless Chromium (Debian's `chromium`) driven by Playwright (from PyPI, no
# browser download). Packages the .vsix exactly as editors/vscode/README.md says, installs it
# with `code-server --install-extension` into fresh folders, and runs test_vscode.py.
#
#   editors/vscode/e2e-real/run.sh      # J1QL_BIN=… to use a built j1ql (else builds release)
#
# Downloads are cached in $J1QL_VSCODE_E2E_CACHE (default ~/.cache/j1ql-vscode-e2e).
# Screenshots of every check: $ARTIFACTS (default target/vscode-e2e). Exits non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ext="$(cd "$here/.." && pwd)"
root="$(cd "$ext/../.." && pwd)"

CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE=node@24
PLAYWRIGHT_VERSION=1.65.3
cache="${J1QL_VSCODE_E2E_CACHE:-$HOME/.cache/j1ql-vscode-e2e}"
artifacts="${ARTIFACTS:-$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")/vscode-e2e}"

step() { printf '\n---- vscode in code-server: %s ----\n' "$*"; }
t0=$SECONDS

step "system packages: chromium, krb5 headers (code-server's kerberos module builds against them)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "error: install ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
/usr/bin/chromium --version

step "Node 24 and code-server $CODE_SERVER_VERSION from npm (cache: $cache)"
cs="$cache/code-server"
mkdir -p "$cs"
if [ ! -x "$cs/node_modules/node/bin/node" ]; then
  npm install --prefix "$cs" --no-audit --no-fund --loglevel=error "$NODE_PACKAGE"
fi
node24="$cs/node_modules/node/bin"
echo "node $("$node24/node" --version)"
if [ "$("$cs/node_modules/.bin/code-server" --version 2>/dev/null | head -1 | cut -d' ' -f1)" != "$CODE_SERVER_VERSION" ]; then
  # npm runs under Node 24 so that code-server's native modules are built for it.
  PATH="$node24:$PATH" npm install --prefix "$cs" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION"
fi
code_server="$cs/node_modules/.bin/code-server"
PATH="$node24:$PATH" "$code_server" --version | head -1

step "Playwright $PLAYWRIGHT_VERSION from PyPI"
venv="$cache/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "playwright==$PLAYWRIGHT_VERSION"

step "the j1ql binary"
if [ -z "${J1QL_BIN:-}" ]; then
  (cd "$root" && cargo build --release --quiet --bin j1ql)
  J1QL_BIN="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")/release/j1ql"
fi
"$J1QL_BIN" --version

step "package the .vsix as the README says (npm ci, npm run package)"
(cd "$ext" && npm ci --no-audit --no-fund --loglevel=error && rm -f ./*.vsix && npm run package)
vsix="$(ls "$ext"/j1ql-*.vsix)"

step "install it into fresh folders"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PATH="$node24:$PATH" "$code_server" --user-data-dir "$work/data" --extensions-dir "$work/extensions" \
  --install-extension "$vsix"

step "the checks (screenshots: $artifacts)"
rm -rf "$artifacts"
CODE_SERVER="$code_server" NODE_BIN_DIR="$node24" J1QL_BIN="$J1QL_BIN" \
  USER_DATA_DIR="$work/data" EXTENSIONS_DIR="$work/extensions" ARTIFACTS="$artifacts" \
  "$venv/bin/python" "$here/test_vscode.py"
echo "vscode in code-server: $((SECONDS - t0)) s"
