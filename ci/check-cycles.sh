#!/bin/sh
# The library's modules form no cycle (docs/design.md): a module is an
# object of src/*.c or src/exec/*.c; it depends on another when it uses a
# symbol the other defines (nm).  src/util/ sits below everything and is
# left out; src/cli/ is above the library (ci/check-layers.sh).
# Usage: ci/check-cycles.sh BUILD_DIR
set -eu
b=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objs=$(ls "$b"/*.o "$b"/exec/*.o | grep -v '/migrations\.gen\.o$')
for o in $objs; do
	m=${o#"$b"/}
	m=${m%.o}
	nm --defined-only -g "$o" | awk -v m="$m" 'NF == 3 { print $3, m }'
done | sort -k1,1 >"$tmp/defs"
for o in $objs; do
	m=${o#"$b"/}
	m=${m%.o}
	nm -u "$o" | awk '{ print $2 }' | sort -u |
		join - "$tmp/defs" | awk -v m="$m" '$2 != m { print m, $2 }'
done | sort -u >"$tmp/edges"
# every module a node, so that one with no edges is counted
for o in $objs; do m=${o#"$b"/}; m=${m%.o}; echo "$m $m"; done >>"$tmp/edges"
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loops"; then
	sed -n 's/^tsort: //p' "$tmp/loops" | grep -v 'input contains a loop' |
		tr '\n' ' ' | sed 's/ $//' >"$tmp/names"
	echo "cycles: the library's modules depend on each other in a loop; tsort names the modules of each:" >&2
	sed -n 's/^tsort: //p' "$tmp/loops" | sed 's/^.*input contains a loop:$/  loop:/' | tr '\n' ' ' |
		sed 's/  loop: /\n  loop:/g; s/^ *//' | sed '/^$/d' >&2
	echo >&2
	echo "cycles: a module calls down, never back up (see docs/design.md)" >&2
	exit 1
fi
echo "cycles: ok ($(echo "$objs" | wc -w) library modules, no cycle)"
