#!/usr/bin/env bash
# Checks the shipped binary: at most 32 MiB, no DWARF debug info, and a symbol table that still
# names j1ql's functions (so a panic's backtrace is readable). See docs/releasing.md.
#
#   scripts/check-release-binary.sh [target/release/j1ql]
set -euo pipefail
bin="${1:-target/release/j1ql}"
limit=$((32 * 1024 * 1024))
size="$(stat -c %s "$bin")"
printf 'size   %s: %d bytes (%.1f MB), limit %d\n' "$bin" "$size" "$(echo "$size / 1048576" | bc -l)" "$limit"
if [ "$size" -gt "$limit" ]; then
  echo "FAIL the release binary is larger than 32 MiB" >&2
  exit 1
fi
if readelf -S "$bin" | grep -q '\.debug_info'; then
  echo "FAIL the release binary carries DWARF debug info (.debug_info)" >&2
  exit 1
fi
echo "ok     no .debug_info section"
symbols="$(nm -C "$bin" 2>/dev/null | grep -c 'j1ql_syntax::' || true)"
if [ "$symbols" -lt 100 ]; then
  echo "FAIL only $symbols j1ql_syntax:: symbols: backtraces would not name functions" >&2
  exit 1
fi
echo "ok     $symbols j1ql_syntax:: symbols (backtraces name functions)"
