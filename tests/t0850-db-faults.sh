#!/bin/sh
# The database under faults: disk full (a small tmpfs), a read-only file
# system, a corrupted or truncated file, several processes writing at once,
# and the work directory deleted between runs.  Each: a clear one-line
# error (or success), no crash, earlier data intact.
. "$(dirname "$0")/lib.sh"

P="$SRCDIR/patches"
F="$SRCDIR/tests/fixtures/threads"

small_fs() {
	mkdir -p small && mount -t tmpfs -o size=1200k tmpfs small 2>/dev/null &&
	test_at_exit "umount -l $TRASH/small"
}

if small_fs; then
	test_expect_success 'disk full while writing: one error, earlier data intact' '
		"$PWB" --db small/db fetch "$F/mmn-pairing.mbox" >/dev/null &&
		before=$("$PWB" --db small/db series list) &&
		dd if=/dev/zero of=small/fill bs=16k 2>/dev/null;
		test_fails_with "database.*\(is full\|No space left on device\)" \
			"$PWB" --db small/db fetch "$P/mmn-3-series.mbox" &&
		rm small/fill &&
		test "$("$PWB" --db small/db series list)" = "$before" &&
		test "$(sqlite3 small/db "PRAGMA integrity_check")" = ok &&
		"$PWB" --db small/db fetch "$P/mmn-3-series.mbox" >/dev/null &&
		test "$("$PWB" --db small/db series list | wc -l)" = 3
	'

	test_expect_success 'a read-only file system: writing is one clear error' '
		mount -o remount,ro small &&
		test_at_exit "mount -o remount,rw $TRASH/small" &&
		"$PWB" --db small/db fetch "$P/mmn-doc-fix.mbox" >out 2>err;
		test $? = 1 &&
		test "$(grep -c "^pwb: error:" err)" = 1 &&
		grep -qi "database.*\(read-only\|readonly\)" err &&
		mount -o remount,rw small
	'
else
	test_skip "disk-full and read-only cases" "cannot mount a tmpfs here (not root?)"
fi

test_expect_success 'a corrupted or truncated database file: one clear error, no crash' '
	head -c 8192 /dev/urandom >junk.db &&
	test_fails_with "junk.db.*not a database" "$PWB" --db junk.db series list &&
	"$PWB" --db good.db fetch "$P/mmn-3-series.mbox" >/dev/null &&
	sqlite3 good.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	size=$(stat -c %s good.db) &&
	head -c $((size / 3)) good.db >cut.db &&
	"$PWB" --db cut.db series show 1 >out 2>err;
	rc=$? &&
	test $rc -lt 128 &&
	test "$(grep -c "^pwb: error:" err)" -le 1 &&
	printf "SQLite format 3\\000garbage" >head.db &&
	test_fails_with "head.db.*not a database\\|malformed" "$PWB" --db head.db series list
'

test_expect_success 'several writers at once: none sees "database is locked"' '
	"$PWB" --db many.db series list >/dev/null &&
	for f in "$F/mmn-pairing.mbox" "$P"/*.mbox; do
		"$PWB" --db many.db fetch "$f" >/dev/null 2>>writers.err &
	done &&
	for i in $(seq 20); do
		"$PWB" --db many.db series list >/dev/null 2>>readers.err || echo fail >>readers.err
	done &&
	wait &&
	! grep -i "locked\|busy\|fail" writers.err readers.err &&
	test "$("$PWB" --db many.db series list | wc -l)" = 6
'

test_expect_success 'the work directory deleted between runs: made again on demand' '
	git init -q t && (cd t && echo a >a && git add a &&
		git -c user.name=t -c user.email=t@t commit -qm a) &&
	"$PWB" tree add t t &&
	d=$("$PWB" checkout HEAD --tree t) && test "$(cat "$d/a")" = a &&
	rm -rf "$XDG_CACHE_HOME/pwb" &&
	d=$("$PWB" checkout HEAD --tree t) && test "$(cat "$d/a")" = a
'

test_done
