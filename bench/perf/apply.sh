#!/bin/sh
# Apply benchmark on the reference 6.1 tree: `pwb apply` of a 10-patch
# series against `git am -3` of the same series (the peer), and a checkout
# move between two commits that differ in one file, `pwb checkout` against
# `git checkout`; medians of N runs each, alternated, in the same run.
# Targets: pwb no slower than git in both; the checkout move under 1 s.
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
N=${N:-5}
REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench-apply.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export PWB_DB="$W/db.sqlite" XDG_CACHE_HOME="$W/cache" XDG_CONFIG_HOME="$W/config"
G="git -c user.name=bench -c user.email=bench@example.com"

echo "setting up (clone of $REF, 10 patches to mm/)..." >&2
git clone -q --shared "$REF" "$W/work"
cd "$W/work"
git checkout -q -b topic v6.1-debian
for f in oom_kill mmu_notifier page_alloc vmscan memory mmap rmap swap filemap madvise; do
	sed -i "0,/^#include/s//\\/* bench: $f *\\/\\n&/" "mm/$f.c"
	$G commit -qam "mm/$f: a comment for the benchmark"
done
git format-patch -q --thread --cover-letter --base=v6.1-debian --stdout v6.1-debian..topic >"$W/s.mbox"
git format-patch -q --stdout v6.1-debian..topic >"$W/am.mbox"
git checkout -q v6.1-debian
"$PWB" -q fetch "$W/s.mbox" >/dev/null
"$PWB" tree add linux "$W/work" >/dev/null

pa=""; ga=""; pc=""; gc=""
"$PWB" checkout v6.1-debian --tree linux >/dev/null 2>&1
for r in $(seq 1 "$N"); do
	# apply: pwb (fresh database row each time, so no reuse), git am -3
	sqlite3 "$PWB_DB" "PRAGMA foreign_keys = ON; DELETE FROM applies"
	s=$(now); "$PWB" apply 1 --tree linux >/dev/null; e=$(now)
	pa="$pa $(elapsed "$s" "$e")"
	git checkout -q --detach v6.1-debian
	s=$(now); $G am -q -3 "$W/am.mbox"; e=$(now)
	ga="$ga $(elapsed "$s" "$e")"
	# checkout move between two commits that differ in one file
	git checkout -q --detach topic~9
	"$PWB" checkout topic~9 --tree linux >/dev/null 2>&1
	s=$(now); "$PWB" checkout topic~8 --tree linux >/dev/null 2>&1; e=$(now)
	pc="$pc $(elapsed "$s" "$e")"
	s=$(now); git checkout -q --detach topic~8; e=$(now)
	gc="$gc $(elapsed "$s" "$e")"
done

mpa=$(median $pa); mga=$(median $ga); mpc=$(median $pc); mgc=$(median $gc)
printf "apply, 10 patches on v6.1-debian, %s runs each (median)\n" "$N"
printf "  pwb apply       %.3f s\n  git am -3       %.3f s\n  ratio git/pwb = %.2fx (target >= 1)\n" \
	"$mpa" "$mga" "$(ratio "$mga" "$mpa")"
printf "checkout move, commits differing in one file\n"
printf "  pwb checkout    %.3f s\n  git checkout    %.3f s\n  ratio git/pwb = %.2fx (target >= 1; pwb < 1 s)\n" \
	"$mpc" "$mgc" "$(ratio "$mgc" "$mpc")"
