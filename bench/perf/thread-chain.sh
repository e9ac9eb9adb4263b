#!/bin/sh
# Thread assembly: `pwb fetch` of a local mbox holding one patch and a
# reply chain of N-1 messages (each in reply to the one before), at 10,000
# and at 50,000 messages.  Prints the median of N runs each and the ratio
# 50,000/10,000: linear assembly gives about 5 (target: the 50,000 chain
# in under 2 s; an earlier version took 91 s, and 2.5 s with a linear scan).
#   N=3 (default) runs per size; SIZES="10000 50000" (default).
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
N=${N:-3}
SIZES=${SIZES:-"10000 50000"}
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export HOME="$W/home" XDG_CONFIG_HOME="$W/config" XDG_DATA_HOME="$W/data" \
	XDG_CACHE_HOME="$W/cache"
mkdir -p "$HOME"

printf "thread assembly: a reply chain, %s runs per size (median)\n" "$N"
first=""
for size in $SIZES; do
	python3 "$SRCDIR/bench/perf/make-chain.py" "$size" "$W/chain.mbox" >/dev/null
	ts=""
	for r in $(seq 1 "$N"); do
		rm -f "$W/db.sqlite"
		s=$(now)
		"$PWB" -q --db "$W/db.sqlite" fetch "$W/chain.mbox" >/dev/null
		e=$(now)
		ts="$ts $(elapsed "$s" "$e")"
	done
	n=$(sqlite3 "$W/db.sqlite" "SELECT count(*) FROM messages")
	test "$n" = "$size" ||
		{ echo "pwb stored $n messages of $size" >&2; exit 1; }
	m=$(median $ts)
	printf "  %6d messages  %.3f s\n" "$size" "$m"
	if [ -z "$first" ]; then first=$m; fsize=$size; else last=$m; lsize=$size; fi
done
if [ -n "${last:-}" ]; then
	printf "  ratio %d/%d = %.1f (sizes x%.1f: linear when about the same)\n" \
		"$lsize" "$fsize" "$(ratio "$last" "$first")" "$(ratio "$lsize" "$fsize")"
fi
