#!/bin/sh
# The suite stage of a two-cell matrix with every build cached, booted one
# at a time (boot.parallel = 1) and side by side (boot.parallel = the
# cores), measured in one run, alternating, median of N each.  The cells:
# mmn-doc-fix and mmn-kasan-oob on v6.1-debian, suite mmn-pairing, 2 runs
# a side, so each pass boots six kernels (the base the cells share twice,
# each candidate twice; every pass starts from an empty database).
# Target: side by side <= 0.6x one at a time.
#   N=3 (default) passes per setting.
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
N=${N:-3}
REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench-par.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export XDG_CACHE_HOME="$W/cache" XDG_CONFIG_HOME="$W/config" CCACHE_BASEDIR="$W"
git clone -q --shared --no-checkout "$REF" "$W/linux"
mkdir -p "$XDG_CONFIG_HOME/pwb"
git config -f "$XDG_CONFIG_HOME/pwb/config" apply.fallbackbase v6.1-debian
S1="$SRCDIR/patches/mmn-doc-fix.mbox" S2="$SRCDIR/patches/mmn-kasan-oob.mbox"

matrix() {	# DB PARALLEL REPEAT
	PWB_DB="$1" "$PWB" -c boot.parallel="$2" matrix "$S1" "$S2" --tree "$W/linux" \
		--base v6.1-debian --suite mmn-pairing --repeat "$3" >/dev/null 2>&1 || true
}

echo "setup: every build of the two cells (not timed)..." >&2
matrix "$W/warm.db" 1 1
one="" par=""
for i in $(seq 1 "$N"); do
	for p in 1 0; do
		rm -f "$W/db.sqlite"*
		s=$(now)
		if [ $p = 1 ]; then matrix "$W/db.sqlite" 1 2; else matrix "$W/db.sqlite" "$(nproc)" 2; fi
		e=$(now)
		n=$(sqlite3 "$W/db.sqlite" "SELECT count(*) FROM suite_runs WHERE status = 'passed'")
		test "$n" = 6 || { echo "pass $i: $n passed runs of 6" >&2; exit 1; }
		if [ $p = 1 ]; then one="$one $(elapsed "$s" "$e")"; else par="$par $(elapsed "$s" "$e")"; fi
	done
done
m1=$(median $one) mp=$(median $par)
printf "suite stage of a 2-cell matrix (6 boots, builds cached), %d passes each\n" "$N"
printf "  one at a time    %6.1f s\n" "$m1"
printf "  side by side     %6.1f s  (boot.parallel = %d)\n" "$mp" "$(nproc)"
printf "  ratio            %6.2f  (target <= 0.6)\n" "$(ratio "$mp" "$m1")"
