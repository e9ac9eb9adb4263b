#!/bin/sh
# Build and boot benchmark on the reference tree (BENCH_REV, default
# v6.1-debian; v6.12-debian is the other tree) for one cell: BENCH_ARCH
# (x86_64; arm64 is cross-built), BENCH_TOOLCHAIN (gcc; clang builds with
# LLVM=1), BENCH_CONFIG (the arch's qemu-ARCH.config):
#   cold build (ccache off) against plain `make` with the same .config in a
#   fresh build directory, one after the other (target: within 1.1x), no-op
#   rebuild against plain `make` on the same build directory (target:
#   within 1.2x), rebuild after a one-file change, and QEMU start to /init's
#   first line under TCG (target: under 3 s).
# ccache is off throughout (CCACHE_DISABLE).  Medians of N runs where a run
# is cheap (N=3 by default).  BENCH_ORDER=peer-first times plain make's
# cold build before pwb's (default pwb-first); the two must end with the
# same .config.
set -eu
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRCDIR/bench/perf/lib.sh"
PWB="${PWB_BIN:-$SRCDIR/bin/pwb}"
N=${N:-3}
REV=${BENCH_REV:-v6.1-debian}
ARCH=${BENCH_ARCH:-x86_64}
TC=${BENCH_TOOLCHAIN:-gcc}
CFG=${BENCH_CONFIG:-qemu-$ARCH}
# the peer: the make line a kernel developer types for this cell
case $ARCH in
x86_64) IMAGE=bzImage; set -- ARCH=x86_64 ;;
arm64) IMAGE=Image; set -- ARCH=arm64 ;;
*) echo "build-boot.sh: BENCH_ARCH=$ARCH: x86_64 or arm64" >&2; exit 2 ;;
esac
case $TC-$ARCH in
gcc-x86_64) ;;
gcc-arm64) set -- "$@" CROSS_COMPILE=aarch64-linux-gnu- ;;
clang-*) set -- "$@" LLVM=1 ;;
*) echo "build-boot.sh: BENCH_TOOLCHAIN=$TC: gcc or clang" >&2; exit 2 ;;
esac
case ${BENCH_ORDER:=pwb-first} in
pwb-first|peer-first) ;;
*) echo "build-boot.sh: BENCH_ORDER=$BENCH_ORDER: pwb-first or peer-first" >&2; exit 2 ;;
esac
CELL="--arch $ARCH --toolchain $TC --config $CFG"
REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-bench-build.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export PWB_DB="$W/db.sqlite" XDG_CACHE_HOME="$W/cache" XDG_CONFIG_HOME="$W/config"
uncache() { sqlite3 "$PWB_DB" "PRAGMA foreign_keys = ON; DELETE FROM builds"; }

git clone -q --shared --no-checkout "$REF" "$W/linux"
git -C "$W/linux" read-tree "$REV"
git -C "$W/linux" show "$REV:mm/mmu_notifier.c" |
	sed "0,/^#include/s//\\/* bench *\\/\\n&/" >"$W/mn.c"
blob=$(git -C "$W/linux" hash-object -w "$W/mn.c")
git -C "$W/linux" update-index --cacheinfo "100644,$blob,mm/mmu_notifier.c"
c=$(git -C "$W/linux" -c user.name=b -c user.email=b@b commit-tree "$(git -C "$W/linux" write-tree)" -p "$REV" -m bench)
git -C "$W/linux" branch onefile "$c"
"$PWB" tree add linux "$W/linux" >/dev/null

# the source tree first: plain make is given one too (checkouts/linux/0,
# the slot pwb build uses), so the cold builds compare builds alone
"$PWB" checkout "$REV" --tree linux >/dev/null
SRC="$XDG_CACHE_HOME/pwb/checkouts/linux/0"
BLD="$XDG_CACHE_HOME/pwb/build/linux/$ARCH-$TC/$CFG"
# ccache stays off for every build (pwb leaves it out under
# CCACHE_DISABLE: a build with it would change CC and rebuild everything)
export CCACHE_DISABLE=1
# pwb's builds run in a sandbox where /root, /home, /tmp, /var/tmp and /run
# are empty, so tools there (rustup's rustc under /root) are not seen and
# Kconfig's probes of them give 0; plain make gets the PATH without them,
# to make the same .config
PEERPATH=$(printf '%s\n' "$PATH" | tr : '\n' |
	grep -Ev '^/(root|home|tmp|var/tmp|run)(/|$)' | paste -sd: -)
# peermake O=DIR MAKEVARS... TARGETS...: the plain make line, quiet
peermake() { PATH=$PEERPATH make -s -C "$SRC" -j"$(nproc)" "$@"; }
coldpwb() {
	echo "cold build, pwb build (ccache off; about 5 minutes)..." >&2
	s=$(now); "$PWB" build --tree linux --rev "$REV" $CELL >/dev/null; e=$(now)
	cold=$(elapsed "$s" "$e")
	echo "  pwb build: $cold s" >&2
}
# coldpeer DOTCONFIG MAKEVARS...: plain make from a .config in a fresh build
# directory: olddefconfig, then the image and the modules, as a developer
# given the .config types
coldpeer() {
	echo "cold build, plain make with the same .config (about 5 minutes)..." >&2
	rm -rf "$W/peer" && mkdir -p "$W/peer" && cp "$1" "$W/peer/.config"
	shift
	s=$(now)
	peermake O="$W/peer" "$@" olddefconfig >/dev/null
	peermake O="$W/peer" "$@" $IMAGE modules >/dev/null 2>&1
	e=$(now)
	coldmake=$(elapsed "$s" "$e")
	echo "  plain make: $coldmake s" >&2
}
# BENCH_ORDER=peer-first times plain make first (a page cache warmed by the
# first build favours the second); its .config made beforehand by the
# steps pwb takes (the base target, merge_config.sh, olddefconfig), untimed
frag="$SRCDIR/bench/configs/$CFG.config"
base=$(sed -n 's/^# pwb-base: \([^ ]*\).*/\1/p' "$frag" | head -n 1)
if [ "$BENCH_ORDER" = peer-first ]; then
	mkdir -p "$W/cfg"
	peermake O="$W/cfg" "$@" "${base:-tinyconfig}" >/dev/null
	PATH=$PEERPATH sh "$SRC/scripts/kconfig/merge_config.sh" -m -O "$W/cfg" "$W/cfg/.config" "$frag" >/dev/null
	peermake O="$W/cfg" "$@" olddefconfig >/dev/null
	coldpeer "$W/cfg/.config" "$@"
	coldpwb
else
	coldpwb
	coldpeer "$BLD/.config" "$@"
fi
# both built the same configuration, or the ratio means nothing
if ! cmp -s "$BLD/.config" "$W/peer/.config"; then
	echo "build-boot.sh: pwb's .config and plain make's differ:" >&2
	diff "$BLD/.config" "$W/peer/.config" | head -n 20 >&2
	exit 1
fi
rm -rf "$W/peer" "$W/cfg"
pn=""; mn=""
for r in $(seq 1 "$N"); do
	uncache
	s=$(now); "$PWB" build --tree linux --rev "$REV" $CELL >/dev/null; e=$(now)
	pn="$pn $(elapsed "$s" "$e")"
	s=$(now); peermake O="$BLD" "$@" $IMAGE modules >/dev/null; e=$(now)
	mn="$mn $(elapsed "$s" "$e")"
done
one=""
for r in $(seq 1 "$N"); do
	uncache
	"$PWB" build --tree linux --rev "$REV" $CELL >/dev/null
	uncache
	s=$(now); "$PWB" build --tree linux --rev onefile $CELL >/dev/null; e=$(now)
	one="$one $(elapsed "$s" "$e")"
done
st=""
for r in $(seq 1 "$N"); do
	"$PWB" boot --tree linux --rev onefile $CELL --json >"$W/boot.json"
	st="$st $(python3 -c "import json; print(json.load(open('$W/boot.json'))['start_seconds'])")"
done
accel=$(python3 -c "import json; print(json.load(open('$W/boot.json'))['accel'])")
mpn=$(median $pn); mmn=$(median $mn)
printf "build and boot, %s, %s %s %s.config, %s runs (median), cold builds %s\n" "$REV" "$ARCH" "$TC" "$CFG" "$N" "$BENCH_ORDER"
printf "  cold build (ccache off)      %.1f s\n" "$cold"
printf "  cold build: plain make       %.1f s\n" "$coldmake"
printf "  ratio pwb/make = %.2fx (target <= 1.1)\n" "$(ratio "$cold" "$coldmake")"
printf "  no-op rebuild: pwb build     %.2f s\n" "$mpn"
printf "  no-op rebuild: plain make    %.2f s\n" "$mmn"
printf "  ratio pwb/make = %.2fx (target <= 1.2)\n" "$(ratio "$mpn" "$mmn")"
printf "  rebuild after one file       %.1f s\n" "$(median $one)"
printf "  QEMU start to /init (%s)    %.2f s (target < 3 s)\n" "$accel" "$(median $st)"
