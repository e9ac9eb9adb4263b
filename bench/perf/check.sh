#!/bin/sh
# pwb check of patches/mmn-3-series with the base already built and tested
# (target: under 3 minutes on 2 cores under TCG), time per stage, and the
# build/boot cycles of `pwb bisect` on it afterwards (target: <= 2, that is
# ceil(log2 3)).  SUITES="mmn-pairing oom-reaper" checks with both suites
# (default: mmn-pairing, the suite this series is about).
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
SUITES=${SUITES:-mmn-pairing}
REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench-check.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export PWB_DB="$W/db.sqlite" XDG_CACHE_HOME="$W/cache" XDG_CONFIG_HOME="$W/config" \
	CCACHE_BASEDIR="$W"
git clone -q --shared --no-checkout "$REF" "$W/linux"
# the fixtures' base-commit is that of the Debian source they were written
# on; with another linux-source-6.1 they apply on the reference tag
mkdir -p "$XDG_CONFIG_HOME/pwb"
git config -f "$XDG_CONFIG_HOME/pwb/config" apply.fallbackbase v6.1-debian
"$PWB" tree add linux "$W/linux" >/dev/null
sargs=""
for s in $SUITES; do sargs="$sargs --suite $s"; done

echo "setup: the base built and tested with $SUITES (not timed)..." >&2
for s in $SUITES; do
	"$PWB" run --tree linux --rev v6.1-debian --suite "$s" >/dev/null
done

echo "pwb check patches/mmn-3-series.mbox --tree linux$sargs" >&2
start=$(now)
# shellcheck disable=SC2086
PWB_PROGRESS=1 "$PWB" check "$SRCDIR/patches/mmn-3-series.mbox" --tree linux \
	$sargs --json 2>"$W/progress" >"$W/check.json" || true
end=$(now)
total=$(elapsed "$start" "$end")
grep "^pwb check [0-9]* \[" "$W/progress" | sed 's/^pwb check [0-9]* //' >&2

s=$(now)
"$PWB" bisect "<20190820093000.777-0-tidy@example.org>" --tree linux \
	--suite mmn-pairing --json >"$W/bisect.json"
e=$(now)
python3 - "$W/check.json" "$W/bisect.json" "$total" "$(elapsed "$s" "$e")" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
total, bis = float(sys.argv[3]), float(sys.argv[4])
print("check: verdict %s, %d builds (%s s), total %.0f s (target < 180 s): %s" % (
    c["verdict"], len(c["builds"]),
    " + ".join("%.0f" % x["seconds"] for x in c["builds"]), total,
    "ok" if total < 180 else "MISSED"))
print("bisect: culprit %s; %d build/boot cycles (target <= %d): %s; %.0f s" % (
    b["culprit"]["label"] if b["culprit"] else None, b["cycles"],
    b["log2_bound"], "ok" if b["cycles"] <= b["log2_bound"] else "MISSED", bis))
PY
