#!/bin/sh
# `make demo-intake`: the intake pipeline end to end on the fixture threads, served
# by a real public-inbox on 127.0.0.1 (started and stopped here): fetch the
# thread by message-id, show the series and the thread, export it and apply
# it with git am on the base tree.  Leaves nothing behind.
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
PWB="$SRCDIR/bin/pwb"
F="$SRCDIR/tests/fixtures/threads"
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-demo.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT INT TERM
export HOME="$W/home" PI_CONFIG="$W/pi/config" PWB_DB="$W/pwb.sqlite" \
	XDG_CONFIG_HOME="$W/config" XDG_DATA_HOME="$W/data" XDG_CACHE_HOME="$W/cache"
mkdir -p "$HOME" "$W/pi"

if [ -t 1 ]; then
	step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
	step() { printf '\n$ %s\n' "$*"; }
fi

. "$SRCDIR/ci/lib-pi.sh"
PORT=$(pi_free_port)
pi_inbox "$W/pi" linux-mm linux-mm@kvack.org "$PORT" "$F/mmn-pairing.mbox"
pi_serve "$PORT" "$W/httpd.log"
PID=$PI_PID
LORE="http://127.0.0.1:$PORT/linux-mm/"
echo "local lore: $LORE"

step pwb fetch --lore "$LORE" 20190815073000.2000-0-mhocko@example.com
"$PWB" fetch --lore "$LORE" 20190815073000.2000-0-mhocko@example.com
step pwb series list
"$PWB" series list
step pwb thread 20190815073000.2000-0-mhocko@example.com
"$PWB" thread 20190815073000.2000-0-mhocko@example.com
step pwb series export 1 -o series.mbox "&&" git am series.mbox
mkdir "$W/tree" && cp -R "$SRCDIR/tests/fixtures/base/." "$W/tree/"
cd "$W/tree"
git init -q && git add -A
git -c user.name=demo -c user.email=demo@localhost commit -qm base
"$PWB" series export 1 -o "$W/series.mbox"
git -c user.name=demo -c user.email=demo@localhost am -q "$W/series.mbox"
git log --format='%h %s%n        %(trailers:key=Acked-by,key=Reviewed-by,key=Tested-by,separator=%x2c )' HEAD~3..HEAD
echo
echo "demo done: fetched, assembled, stored, exported and applied."
