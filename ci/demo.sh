#!/bin/sh
# `make demo`: the main job on the fixture series in patches/.  The four
# threads are served by a real public-inbox on 127.0.0.1 (started and
# stopped here) standing in for lore; for each series, `pwb check` by
# message-id fetches the thread, applies it to the reference 6.1 tree,
# builds the base and every patch, runs mmn-pairing and oom-reaper on the
# base and the last patch, compares and prints the report; then one email
# reply and a bisection of mmn-3-series.
#
# The first run builds the 6.1 kernel (about 5 minutes on 2 cores); all of
# it takes about 20 minutes under TCG.  Base results are reused across the
# four checks.  Set PWB_DEMO_DIR to keep the database and builds.
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
PWB="$SRCDIR/bin/pwb"
if [ -n "${PWB_DEMO_DIR:-}" ]; then
	W=$PWB_DEMO_DIR
	mkdir -p "$W"
	KEEP=1
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-demo.XXXXXX")
	KEEP=0
fi
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; [ $KEEP = 1 ] || rm -rf "$W"' EXIT INT TERM
export HOME="${HOME:-/root}" PI_CONFIG="$W/pi/config" PWB_DB="$W/pwb.sqlite" \
	XDG_CONFIG_HOME="$W/config" XDG_CACHE_HOME="$W/cache" CCACHE_BASEDIR="$W"
mkdir -p "$W/pi"

if [ -t 1 ]; then
	step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
	step() { printf '\n$ %s\n' "$*"; }
fi
msgid() { # the first Message-ID of an mbox: the cover letter or the patch
	sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$1" | head -1
}

. "$SRCDIR/ci/lib-pi.sh"
PORT=$(pi_free_port)
rm -rf "$W/pi/linux-mm"
pi_inbox "$W/pi" linux-mm linux-mm@kvack.org "$PORT" "$SRCDIR"/patches/*.mbox
pi_serve "$PORT" "$W/httpd.log"
PID=$PI_PID
LORE="http://127.0.0.1:$PORT/linux-mm/"
echo "local lore: $LORE (patches/*.mbox)"

REF=$(sh "$SRCDIR/ci/kernel-tree.sh")
# the fixtures' base-commit is that of the Debian source they were written
# on; with another linux-source-6.1 they apply on the reference tag
mkdir -p "$XDG_CONFIG_HOME/pwb"
git config -f "$XDG_CONFIG_HOME/pwb/config" apply.fallbackbase v6.1-debian
[ -d "$W/linux" ] || git clone -q --shared --no-checkout "$REF" "$W/linux"
"$PWB" tree list | grep -q '^linux ' || "$PWB" tree add linux "$W/linux"

rc_all=""
for f in mmn-doc-fix mmn-undo-removal mmn-big-hammer mmn-3-series; do
	m=$(msgid "$SRCDIR/patches/$f.mbox")
	step "pwb check $m --tree linux    # patches/$f"
	set +e
	"$PWB" -c lore.url="$LORE" check "$m" --tree linux \
		--suite mmn-pairing --suite oom-reaper
	rc=$?
	set -e
	rc_all="$rc_all $f=$rc"
done

step "pwb report --format email    # the reply for mmn-3-series"
"$PWB" report --format email

m=$(msgid "$SRCDIR/patches/mmn-3-series.mbox")
step "pwb bisect '<$m>' --tree linux --suite mmn-pairing"
"$PWB" bisect "<$m>" --tree linux --suite mmn-pairing || true

echo
echo "exit status of each check:$rc_all"
echo "(0 no regression, 1 regression; see README.md for what each verdict means)"
