#!/bin/sh
# What the broad build and coverage of pwb check cost (docs/checks.md),
# on the 6.1 tree, x86_64, gcc:
#
#   1. the broad build of a one-patch series cold: an empty work
#      directory (no prepared allmodconfig directory) and an empty ccache
#      (target: under 3 minutes), then warm: another one-patch series on
#      the prepared directory (target: under 1 minute); each the seconds
#      of pwb check's "broad build" stage, against a full allmodconfig
#      build estimated from the objects allmodconfig compiles and the
#      seconds a compiled object took here;
#   2. coverage's cost with warm caches: the same check of
#      patches/mmn-3-series with and without coverage (check.coverage),
#      each with a database of its own so that every boot runs, ROUNDS
#      times alternating, medians and their ratio (target: at most 1.3).
#
# SUITES (default "mmn-pairing oom-reaper"), ROUNDS (default 2).
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
SUITES=${SUITES:-mmn-pairing oom-reaper}
ROUNDS=${ROUNDS:-2}
REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench-broad.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export XDG_CACHE_HOME="$W/cache" XDG_CONFIG_HOME="$W/config" CCACHE_DIR="$W/ccache" \
	CCACHE_BASEDIR="$W"
git clone -q --shared --no-checkout "$REF" "$W/linux"
mkdir -p "$XDG_CONFIG_HOME/pwb"
git config -f "$XDG_CONFIG_HOME/pwb/config" apply.fallbackbase v6.1-debian
sargs=""
for s in $SUITES; do sargs="$sargs --suite $s"; done

# stage_seconds PROGRESS TEXT: seconds from the stage whose text starts
# with TEXT to the next stage
stage_seconds() {
	python3 - "$1" "$2" <<'PY'
import re, sys
st = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"pwb check \d+ \[\d+/\d+\] +(\d+)s (.*)", line.rstrip("\n"))
    if m:
        st.append((int(m.group(1)), m.group(2)))
for i, (t, text) in enumerate(st):
    if text.startswith(sys.argv[2]) and i + 1 < len(st):
        print(st[i + 1][0] - t)
        break
else:
    print("nan")
PY
}

# check DB OUT SERIES ARGS...: pwb check with its progress in OUT.progress
check() {
	db=$1 out=$2 series=$3
	shift 3
	# shellcheck disable=SC2086
	PWB_DB="$db" PWB_PROGRESS=1 "$PWB" "$@" check "$SRCDIR/patches/$series.mbox" \
		--tree linux $sargs --json >"$out" 2>"$out.progress" || true
}

PWB_DB="$W/setup.sqlite" "$PWB" tree add linux "$W/linux" >/dev/null
for db in cold warm; do
	PWB_DB="$W/$db.sqlite" "$PWB" tree add linux "$W/linux" >/dev/null
done
echo "1. broad build, cold (empty work directory and ccache): mmn-kasan-oob" >&2
check "$W/cold.sqlite" "$W/cold.json" mmn-kasan-oob -c check.coverage=false
cold=$(stage_seconds "$W/cold.json.progress" "broad build")
echo "   warm: mmn-big-hammer on the prepared directory" >&2
check "$W/warm.sqlite" "$W/warm.json" mmn-big-hammer -c check.coverage=false
warm=$(stage_seconds "$W/warm.json.progress" "broad build")
# a full allmodconfig build, estimated: mm/ compiled whole in the
# prepared directory without ccache (seconds per object), times the C
# files of the tree an x86_64 allmodconfig could compile (an upper bound)
bdir=$(ls -d "$XDG_CACHE_HOME"/pwb/build/*/x86_64-gcc/allmodconfig)
src=$(ls -d "$XDG_CACHE_HOME"/pwb/checkouts/*/0)
find "$bdir/mm" -name '*.o' -delete
s=$(now)
CCACHE_DISABLE=1 make -s -C "$src" O="$bdir" -j2 ARCH=x86_64 mm/ >/dev/null 2>&1 || true
e=$(now)
mm_s=$(elapsed "$s" "$e")
mm_objs=$(find "$bdir/mm" -name '*.o' ! -name 'built-in.a' | wc -l)
nobj=$(git -C "$W/linux" ls-tree -r --name-only v6.1-debian | grep '\.c$' |
	grep -v -E '^(tools|scripts|samples|Documentation|usr)/' |
	grep -v -E '^arch/' | wc -l)
nobj=$((nobj + $(git -C "$W/linux" ls-tree -r --name-only v6.1-debian arch/x86 | grep -c '\.c$')))

echo "2. coverage with warm caches: mmn-3-series,$sargs" >&2
# warm: both kernels built and in the artifact cache, ccache filled
check "$W/setup.sqlite" "$W/w1.json" mmn-3-series -c check.broadbuild=false -c check.coverage=true
off="" on=""
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for mode in false true; do
		rm -f "$W/r.sqlite"*
		PWB_DB="$W/r.sqlite" "$PWB" tree add linux "$W/linux" >/dev/null
		s=$(now)
		check "$W/r.sqlite" "$W/r-$mode-$r.json" mmn-3-series -c check.broadbuild=false \
			-c check.coverage=$mode
		e=$(now)
		t=$(elapsed "$s" "$e")
		if [ "$mode" = true ]; then on="$on $t"; else off="$off $t"; fi
		printf '   round %d, coverage %s: %.0f s\n' "$r" "$mode" "$t" >&2
	done
	r=$((r + 1))
done
mon=$(median $on)
moff=$(median $off)
python3 - "$cold" "$warm" "$mm_s" "$mm_objs" "$nobj" "$moff" "$mon" "$W/r-true-1.json" <<'PY'
import json, sys
cold, warm, mm_s, mm_objs, nobj, off, on = (float(x) for x in sys.argv[1:8])
print("broad build, one-patch series: cold %.0f s (target < 180 s): %s; warm %.0f s "
      "(target < 60 s): %s" % (cold, "ok" if cold < 180 else "MISSED", warm,
                              "ok" if warm < 60 else "MISSED"))
if mm_objs > 0:
    per = mm_s / mm_objs
    print("full allmodconfig build, estimated: mm/ compiled whole in %.0f s (%d objects, "
          "no ccache, 2 cores: %.2f s an object); the tree has %d C files outside tools, "
          "scripts, samples and other arches: "
          "about %.1f h" % (mm_s, mm_objs, per, nobj, nobj * per / 3600))
r = json.load(open(sys.argv[8]))
cov = ["%d/%s" % (c["idx"], c["summary"]) for c in r["patch_checks"] if c["check"] == "coverage"]
print("coverage: check with it %.0f s, without %.0f s (medians): %.2fx (target <= 1.3x): %s"
      % (on, off, on / off, "ok" if on / off <= 1.3 else "MISSED"))
print("  " + "; ".join(cov))
PY
