#!/bin/sh
# `make demo-kernel`: the fixture series patches/mmn-undo-removal (the 2019
# mmu-notifier bug) fetched, applied to the reference 6.1 tree, built and
# run against the mmn-pairing suite next to its base.  The first run builds
# the kernel (about 5 minutes on 2 cores); later runs reuse ccache.
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
PWB="$SRCDIR/bin/pwb"
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-demo-kernel.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export PWB_DB="$W/pwb.sqlite" XDG_CONFIG_HOME="$W/config" XDG_CACHE_HOME="$W/cache"
export CCACHE_BASEDIR="$W"
step() { printf '\n$ %s\n' "$*"; }

REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
git clone -q --shared --no-checkout "$REF" "$W/linux"
step pwb tree add linux "$W/linux"
"$PWB" tree add linux "$W/linux"
step pwb fetch patches/mmn-undo-removal.mbox
"$PWB" fetch "$SRCDIR/patches/mmn-undo-removal.mbox"
step pwb apply 1 --tree linux
"$PWB" apply 1 --tree linux
step pwb run --tree linux --rev v6.1-debian --suite mmn-pairing
"$PWB" run --tree linux --rev v6.1-debian --suite mmn-pairing
step pwb run --tree linux --rev pwb/1-v1 --suite mmn-pairing
"$PWB" run --tree linux --rev pwb/1-v1 --suite mmn-pairing || true
echo
echo "demo done: the base passes every case; the series leaves subscriptions"
echo "with starts and no ends on the OOM reaper's path."
