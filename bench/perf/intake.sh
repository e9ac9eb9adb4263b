#!/bin/sh
# Intake benchmark: fetch + parse + store a 100-message thread holding a
# 30-patch series from a local public-inbox, pwb against `b4 am` (the peer)
# on the same server in the same run.  Prints the median of N runs each
# and the ratio b4/pwb (target: pwb at least 5x faster).
#   N=5 (default) runs per tool, alternated.
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
N=${N:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench.XXXXXX")
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$W"' EXIT
export HOME="$W/home" PI_CONFIG="$W/pi/config" XDG_CONFIG_HOME="$W/config" \
	XDG_DATA_HOME="$W/data" XDG_CACHE_HOME="$W/cache"
mkdir -p "$HOME" "$W/pi"

MSGID=$(python3 "$SRCDIR/bench/perf/make-big-thread.py" "$W/big.mbox")
. "$SRCDIR/ci/lib-pi.sh"
PORT=$(pi_free_port)
pi_inbox "$W/pi" bench bench@example.com "$PORT" "$W/big.mbox"
pi_serve "$PORT" "$W/httpd.log"
PID=$PI_PID
URL="http://127.0.0.1:$PORT/bench/"

git init -q "$W/repo"
git -C "$W/repo" config b4.midmask "${URL}%s"
git -C "$W/repo" config b4.linkmask "${URL}%s"
# no network here: no DKIM lookups; b4 wants an identity
git -C "$W/repo" config b4.attestation-policy off
git -C "$W/repo" config user.name "Bench"
git -C "$W/repo" config user.email "bench@example.com"

pwb_t=""
b4_t=""
for r in $(seq 1 "$N"); do
	rm -f "$W/db.sqlite"
	s=$(now)
	"$PWB" -q --db "$W/db.sqlite" fetch --lore "$URL" "$MSGID" >/dev/null
	e=$(now)
	pwb_t="$pwb_t $(elapsed "$s" "$e")"
	rm -rf "$W/b4out" && mkdir "$W/b4out"
	s=$(now)
	(cd "$W/repo" && b4 -q am -C -t -o "$W/b4out" "$MSGID" >/dev/null 2>&1)
	e=$(now)
	b4_t="$b4_t $(elapsed "$s" "$e")"
done
[ "$(ls "$W"/b4out/*.mbx | wc -l)" -ge 1 ] || { echo "b4 am produced nothing" >&2; exit 1; }
test "$(sqlite3 "$W/db.sqlite" "SELECT count(*) FROM patches")" = 30 ||
	{ echo "pwb stored the wrong number of patches" >&2; exit 1; }

mp=$(median $pwb_t)
mb=$(median $b4_t)
printf "intake: 100 messages, 30 patches, %s runs each (median)\n" "$N"
printf "  pwb fetch  %.3f s\n" "$mp"
printf "  b4 am      %.3f s\n" "$mb"
printf "  ratio b4/pwb = %.1fx (target >= 5x)\n" "$(ratio "$mb" "$mp")"
