#!/bin/sh
# The layer rule (docs/design.md): no library object (src/*.c, src/exec/,
# src/util/) refers to a symbol that a command file (src/cli/) defines.
# Usage: ci/check-layers.sh BUILD_DIR
set -eu
b=${1:-build}
cmds=$(ls "$b"/cli/*.o)
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
# shellcheck disable=SC2086
nm --defined-only -g $cmds | awk 'NF == 3 { print $3 }' | sort -u >"$defs"
bad=0
for o in "$b"/*.o "$b"/exec/*.o "$b"/util/*.o; do
	for sym in $(nm -u "$o" | awk '{ print $2 }' | grep -xF -f "$defs" || true); do
		echo "layers: $(basename "$o" .o) (library) uses $sym, defined in a command file" >&2
		bad=1
	done
done
if [ $bad -ne 0 ]; then
	echo "layers: library code must not call into src/cli/ (see docs/design.md)" >&2
	exit 1
fi
echo "layers: ok ($(echo "$cmds" | wc -w) command objects, no library object refers to them)"
