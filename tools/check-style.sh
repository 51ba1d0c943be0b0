#!/usr/bin/env bash
# Checks (or with --fix, applies) the house formatting (.clang-format) on every
# tracked C source and header. Exits non-zero and lists the files that differ.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-style: clang-format missing (Debian package clang-format)" >&2; exit 1; }
# Headers named *.S.h hold assembler macros and are not C.
mapfile -t files < <( (git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*') | grep -v '\.S\.h$')
if [ "${1:-}" = "--fix" ]; then
	clang-format -i "${files[@]}"
	exit 0
fi
bad=0
for f in "${files[@]}"; do
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "check-style: $f is not formatted (run: make format)"
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "check-style: ${#files[@]} files formatted"
exit $bad
