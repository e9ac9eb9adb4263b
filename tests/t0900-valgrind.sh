#!/bin/sh
# valgrind memcheck over one end-to-end fetch (a local public-inbox over
# HTTP: libcurl, zlib, GMime, sqlite) and apply (libgit2): no errors.
# Leaks are LeakSanitizer's job in the sanitizer pass (make check).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-lore.sh"

if ! command -v valgrind >/dev/null; then
	test_skip "valgrind" "not installed (make deps)"
	test_done
fi
if [ -n "${PWB_BIN:-}" ]; then
	test_skip "valgrind" "the plain build only (valgrind and ASan do not mix)"
	test_done
fi
F="$SRCDIR/tests/fixtures/threads"
MID=20190815073000.2000-0-mhocko@example.com
VG="valgrind -q --error-exitcode=99 --leak-check=no --track-origins=yes"

test_expect_success 'setup: a local public-inbox and the fixture tree' '
	pi_start test "$F/mmn-pairing.mbox" &&
	mkdir fix && cp -R "$SRCDIR/tests/fixtures/base/." fix/ &&
	(cd fix && git init -q -b base && git add -A &&
	 GIT_AUTHOR_NAME="Michal Hocko" GIT_AUTHOR_EMAIL=mhocko@example.com \
	 GIT_COMMITTER_NAME="Michal Hocko" GIT_COMMITTER_EMAIL=mhocko@example.com \
	 GIT_AUTHOR_DATE="2019-08-14 10:00:00 +0200" \
	 GIT_COMMITTER_DATE="2019-08-14 10:00:00 +0200" git commit -qm base) &&
	"$PWB" tree add fixture fix
'

test_expect_success 'pwb fetch over HTTP under memcheck: no errors' '
	$VG "$PWB" fetch --lore "$PI_URL" "$MID" >out 2>vg.err ||
	{ cat vg.err; false; } &&
	grep -q "12 messages" out
'

test_expect_success 'pwb apply under memcheck: no errors' '
	$VG "$PWB" apply 1 --tree fixture >out 2>vg.err ||
	{ cat vg.err; false; } &&
	grep -q "branch: pwb/20190815073000.2000-0-mhocko_example.com-v2" out
'

test_done
