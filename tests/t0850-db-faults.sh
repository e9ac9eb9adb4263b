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
		test "$("$PWB" --db small/db series list | grep -c "^ *[0-9]")" = 3
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
	"$PWB" --db many.db fetch "$F/mmn-pairing.mbox" >/dev/null &&
	for f in "$F/mmn-pairing.mbox" "$P"/*.mbox; do
		"$PWB" --db many.db fetch "$f" >/dev/null 2>>writers.err &
	done &&
	for i in $(seq 20); do
		"$PWB" --db many.db series list >/dev/null 2>>readers.err || echo fail >>readers.err
	done &&
	wait &&
	! grep -i "locked\|busy\|fail" writers.err readers.err &&
	# the mmn-pairing thread holds two versions
	test "$("$PWB" --db many.db series list | grep -c "^ *[0-9]")" = $(($(ls "$P"/*.mbox | wc -l) + 2))
'

# Before the migrations ran in one transaction, 13 to 20 of 20 tries failed
# with "migration 0001-intake failed: table threads already exists" (or a
# "database is locked" from the journal_mode pragma).
test_expect_success 'two processes creating one new database at once: both succeed' '
	n=$(ls "$SRCDIR"/db/*.sql | wc -l) &&
	fails=0 &&
	for i in $(seq 20); do
		"$PWB" --db race$i/db fetch "$F/mmn-pairing.mbox" \
			>/dev/null 2>race$i.err1 &
		p1=$!
		"$PWB" --db race$i/db fetch "$F/mmn-pairing.mbox" \
			>/dev/null 2>race$i.err2 &
		p2=$!
		ok=1
		wait $p1 || ok=0
		wait $p2 || ok=0
		test "$(sqlite3 race$i/db "PRAGMA user_version")" = "$n" || ok=0
		test "$("$PWB" --db race$i/db series list | grep -c "^ *[0-9]")" = 2 || ok=0
		test $ok = 1 || fails=$((fails + 1))
	done &&
	echo "$fails of 20 tries failed" &&
	cat race*.err* &&
	test $fails = 0 &&
	test -z "$(cat race*.err*)"
'

test_expect_success 'a migration that fails leaves none of the others applied' '
	"$PWB" --db part.db fetch "$F/mmn-pairing.mbox" >/dev/null &&
	sqlite3 part.db "DROP TABLE check_suites; DROP TABLE check_builds;
		DROP TABLE checks; PRAGMA user_version = 6" &&
	test_fails_with "part.db: migration 0008-jobs failed: table jobs already exists" \
		"$PWB" --db part.db fetch "$F/mmn-pairing.mbox" &&
	test "$(sqlite3 part.db "PRAGMA user_version")" = 6 &&
	test -z "$(sqlite3 part.db "SELECT name FROM sqlite_master WHERE name = \"checks\"")" &&
	test "$(sqlite3 part.db "PRAGMA integrity_check")" = ok
'

test_expect_success 'a command that only reads refuses a database that does not exist' '
	for c in "series list" "series show 1" "series export 1" "thread x@y" \
		 "history 1" "report" "tree list"; do
		"$PWB" --db "$TRASH/nonexistent/dir/x.sqlite" $c >out 2>err
		test $? = 1 || return 1
		test "$(cat err)" = "pwb: error: no database at $TRASH/nonexistent/dir/x.sqlite; pwb fetch creates one" ||
			{ cat err; return 1; }
		test ! -s out || return 1
	done &&
	test ! -e nonexistent &&
	PWB_DB="$TRASH/nonexistent/y.sqlite" "$PWB" series list >out 2>err
	test $? = 1 &&
	test "$(cat err)" = "pwb: error: no database at $TRASH/nonexistent/y.sqlite; pwb fetch creates one" &&
	test ! -e nonexistent &&
	(unset PWB_DB; XDG_DATA_HOME="$TRASH/xdg" "$PWB" series list >out 2>err)
	test $? = 1 &&
	test "$(cat err)" = "pwb: error: no database at $TRASH/xdg/pwb/pwb.sqlite; pwb fetch creates one" &&
	test ! -e xdg
'

test_expect_success 'a command that writes still creates the database and its directory' '
	"$PWB" --db "$TRASH/new/dir/x.sqlite" fetch "$F/mmn-pairing.mbox" >/dev/null &&
	test -f new/dir/x.sqlite &&
	test "$("$PWB" --db "$TRASH/new/dir/x.sqlite" series list | grep -c "^ *[0-9]")" = 2 &&
	"$PWB" --db "$TRASH/new/dir/x.sqlite" tree list >out &&
	test ! -s out
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
