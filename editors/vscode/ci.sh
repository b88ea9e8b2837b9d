#!/usr/bin/env bash
# CI of the VS Code extension: npm ci, compile (copies ../../grammars into syntaxes/), lint,
# unit tests, the end-to-end tests against the real `j1ql lsp`, `vsce package`, and a check
# of the .vsix contents. Exits non-zero on any failure.
#
#   editors/vscode/ci.sh      # builds the j1ql binary (debug) unless $J1QL_BIN is given
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

step() { printf '\n---- vscode: %s ----\n' "$*"; }

step "node $(node --version), npm $(npm --version)"
major="$(node --version | sed -E 's/^v([0-9]+).*/\1/')"
if [ "$major" -lt 20 ]; then
  echo "error: Node >= 20 is needed (vsce 3.x), found $(node --version)" >&2
  exit 1
fi

step "npm ci"
npm ci --no-audit --no-fund

step "compile"
npm run compile

step "lint"
npm run lint

step "unit tests"
node --test out/test/*.test.js

step "end-to-end tests with j1ql lsp"
if [ -z "${J1QL_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet --bin j1ql)
  J1QL_BIN="$(cd "$root" && realpath -m "${CARGO_TARGET_DIR:-target}")/debug/j1ql"
fi
J1QL_BIN="$J1QL_BIN" node --test out/e2e/server.e2e.js

step "vsce package"
rm -f ./*.vsix
npm run package
vsix="$(ls ./*.vsix)"

step "contents of $vsix"
python3 - "$vsix" "$root/grammars" <<'PY'
import sys, zipfile
vsix, grammars = sys.argv[1], sys.argv[2]
names = set(zipfile.ZipFile(vsix).namelist())
z = zipfile.ZipFile(vsix)
required = [
    "extension/package.json",
    "extension/readme.md",  # vsce lower-cases it
    "extension/language-configuration.json",
    "extension/out/extension.js",
    "extension/out/commands.js",
    "extension/out/render.js",
    "extension/out/serverPath.js",
    "extension/out/settings.js",
    "extension/node_modules/vscode-languageclient/package.json",
    "extension/syntaxes/j1ql.tmLanguage.json",
    "extension/syntaxes/j1ql.markdown.injection.tmLanguage.json",
    "extension/syntaxes/j1ql.yaml.injection.tmLanguage.json",
]
forbidden = ["extension/src/", "extension/e2e-real/", "extension/out/test/", "extension/out/e2e/", "extension/scripts/",
             "extension/node_modules/typescript/", "extension/node_modules/@vscode/vsce/",
             "extension/node_modules/eslint/"]
problems = [f"missing {n}" for n in required if n not in names]
problems += [f"should not be packed: {n}" for n in sorted(names) if any(n.startswith(f) for f in forbidden)]
problems += [f"source map packed: {n}" for n in sorted(names) if n.endswith(".map")]
for g in ["j1ql.tmLanguage.json", "j1ql.markdown.injection.tmLanguage.json", "j1ql.yaml.injection.tmLanguage.json"]:
    packed = f"extension/syntaxes/{g}"
    if packed in names and z.read(packed) != open(f"{grammars}/{g}", "rb").read():
        problems.append(f"{packed} differs from grammars/{g}")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"ok   {len(names)} files; grammars, compiled extension and runtime dependencies packed")
PY

step "platform .vsix with the server bundled (vsce package --target linux-x64)"
rm -f ./j1ql-linux-x64-*.vsix
npm run package:target -- linux-x64 "$J1QL_BIN"
python3 - "$(ls ./j1ql-linux-x64-*.vsix)" "$J1QL_BIN" "$vsix" <<'PY'
import stat, sys, zipfile
target_vsix, binary, universal = sys.argv[1], sys.argv[2], sys.argv[3]
z = zipfile.ZipFile(target_vsix)
problems = []
try:
    info = z.getinfo("extension/server/j1ql")
    if z.read(info) != open(binary, "rb").read():
        problems.append("extension/server/j1ql differs from the binary packed")
    mode = info.external_attr >> 16
    if not mode & stat.S_IXUSR:
        problems.append(f"extension/server/j1ql is not executable (mode {oct(mode)})")
except KeyError:
    problems.append("extension/server/j1ql is missing")
manifest = z.read("extension.vsixmanifest").decode()
if 'TargetPlatform="linux-x64"' not in manifest:
    problems.append("extension.vsixmanifest does not name TargetPlatform linux-x64")
if any(n.startswith("extension/server/") for n in zipfile.ZipFile(universal).namelist()):
    problems.append(f"the universal {universal} carries a server")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"ok   {target_vsix}: server/j1ql bundled (executable, byte-equal), TargetPlatform linux-x64")
PY
