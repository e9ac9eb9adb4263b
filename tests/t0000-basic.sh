#!/bin/sh
# The binary itself: help, version, usage errors, the database location,
# migrations and config.
. "$(dirname "$0")/lib.sh"

test_expect_success 'pwb --version and pwb version' '
	"$PWB" --version >v && grep -q "^pwb [0-9]" v &&
	"$PWB" version >v2 && test_cmp v v2
'

test_expect_success 'pwb help lists the commands; pwb CMD --help works for each' '
	"$PWB" help >h &&
	for c in fetch series thread mailinfo mailsplit patch-id; do
		grep -q "^  $c " h || return 1
		"$PWB" $c --help >ch && grep -q "^usage: pwb $c" ch || return 1
		"$PWB" help $c >ch2 && test_cmp ch ch2 || return 1
	done
'

test_expect_success '-h and --help on every command and sub-command, exit 0, usage on stdout' '
	cmds=$(sed -n "s/^  \([a-z-]*\) .*/\1/p" h) &&
	test "$(echo $cmds | wc -w)" -ge 20 &&
	for c in $cmds; do
		for h in -h --help; do
			"$PWB" $c $h >ch 2>che || { echo "$c $h: exit $?"; return 1; }
			grep -q "^usage: pwb" ch || { echo "$c $h: no usage"; return 1; }
		done
	done &&
	"$PWB" tree add --help >ch && grep -q "^usage: pwb tree add" ch &&
	"$PWB" tree list -h >ch && grep -q "^usage: pwb tree" ch &&
	"$PWB" job import --help >ch && grep -q "^usage: pwb job import" ch &&
	"$PWB" help --help >ch && grep -q "^commands:" ch &&
	"$PWB" help config >ch && grep -q "^  sandbox.enabled  *true" ch
'

test_expect_success 'options may follow operands; read errors are not findings' '
	printf "[ 1.0] BUG: kernel NULL pointer dereference, address: 0\n" >oops.log &&
	"$PWB" triage oops.log --json >t.json; test $? = 1 &&
	python3 -c "import json; assert json.load(open(\"t.json\"))[\"failure\"]" &&
	printf "KTAP version 1\n1..1\nok 1 fine\n" >ok.tap &&
	"$PWB" ktap ok.tap --json >k.json &&
	python3 -c "import json; assert json.load(open(\"k.json\"))[0][\"status\"] == \"pass\"" &&
	"$PWB" triage /no/such.log 2>err; test $? = 3 &&
	grep -q "cannot read /no/such.log" err &&
	"$PWB" ktap /no/such.tap 2>err; test $? = 3 &&
	test_expect_code 129 "$PWB" triage oops.log --bogus 2>/dev/null &&
	test_expect_code 129 "$PWB" triage 2>/dev/null
'

test_expect_success 'an unknown config key is warned about, with the nearest known key' '
	"$PWB" -c sandbox.enable=0 triage ok.tap >/dev/null 2>err;
	grep -q "^pwb: warning: unknown config key sandbox.enable (-c); did you mean sandbox.enabled?" err &&
	"$PWB" -c bogus.key=1 triage ok.tap >/dev/null 2>err;
	grep -q "^pwb: warning: unknown config key bogus.key" err &&
	"$PWB" -c lore.timeout=5 triage ok.tap >/dev/null 2>err;
	test ! -s err
'

test_expect_success 'usage errors exit 129 with one error line' '
	test_fails_with "not a pwb command" "$PWB" frobnicate &&
	{ "$PWB" frobnicate 2>/dev/null; test $? = 129; } &&
	test_fails_with "unknown option" "$PWB" --frob &&
	test_fails_with "-c expects section.key=value" "$PWB" -c nonsense version &&
	"$PWB" --db u.sqlite fetch "$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox" >/dev/null &&
	test_fails_with "unknown series subcommand" "$PWB" --db u.sqlite series frob
'

test_expect_success 'the database goes to $XDG_DATA_HOME without $PWB_DB' '
	(unset PWB_DB; "$PWB" fetch "$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox" >/dev/null) &&
	test -f "$XDG_DATA_HOME/pwb/pwb.sqlite" &&
	(unset PWB_DB; "$PWB" series list >/dev/null)
'

test_expect_success '--db overrides $PWB_DB, before or after the command' '
	rm -f "$PWB_DB" &&
	"$PWB" --db "$TRASH/a.sqlite" fetch "$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox" >/dev/null &&
	"$PWB" fetch "$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox" --db "$TRASH/b.sqlite" >/dev/null &&
	"$PWB" series list --db "$TRASH/b.sqlite" >/dev/null &&
	test -f a.sqlite && test -f b.sqlite && test ! -f "$PWB_DB"
'

test_expect_success 'a new database is migrated: WAL, schema version, tables' '
	"$PWB" fetch "$SRCDIR/tests/fixtures/threads/mmn-pairing.mbox" >/dev/null &&
	test "$(sqlite3 "$PWB_DB" "PRAGMA journal_mode")" = wal &&
	n=$(ls "$SRCDIR"/db/*.sql | wc -l) &&
	test "$(sqlite3 "$PWB_DB" "PRAGMA user_version")" = "$n" &&
	sqlite3 "$PWB_DB" ".tables" | grep -q trailers
'

test_expect_success 'a database from a newer pwb is refused' '
	sqlite3 new.sqlite "PRAGMA user_version = 999" &&
	test_fails_with "has schema version 999, newer than this pwb knows" \
		"$PWB" --db new.sqlite series list
'

test_expect_success 'a file that is not a database is a clear error' '
	echo "not sqlite" >junk.sqlite &&
	test_fails_with "cannot use database .*junk.sqlite: file is not a database" \
		"$PWB" --db junk.sqlite series list
'

test_expect_success 'config: file values and -c overrides reach commands' '
	printf "[lore]\n\turl = http://lore.example.com/all/\n" >"$XDG_CONFIG_HOME/pwb/config" &&
	test_fails_with "https is required" "$PWB" fetch x@example.com &&
	test_fails_with "lore.timeout: .abc. is not a number" \
		"$PWB" -c lore.timeout=abc -c lore.url=https://127.0.0.1:1/x/ fetch x@example.com
'

test_expect_success 'a write error on stdout is an error' '
	if [ -w /dev/full ]; then
		"$PWB" help >/dev/full 2>err; test $? = 1 && grep -q "write error" err
	fi
'

test_done
