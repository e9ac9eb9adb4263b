#!/bin/sh
# pwb check / report / bisect without a kernel: argument errors before any
# work, a series that does not apply (exit 2, recorded, reported), report
# formats.  The kernel tier (t9200) runs them on the 6.1 tree.
. "$(dirname "$0")/lib.sh"

F="$SRCDIR/tests/fixtures/threads"

test_expect_success 'setup: a tree the fixture series does not apply to' '
	git init -q t && (cd t && echo hello >README &&
		git add README && git -c user.name=t -c user.email=t@t commit -qm one) &&
	"$PWB" tree add t t &&
	"$PWB" -q fetch "$F/mmn-pairing.mbox" >/dev/null
'

test_expect_success 'usage errors and bad suites: before any work, nothing recorded' '
	test_expect_code 129 "$PWB" check 1 2>/dev/null &&
	test_expect_code 129 "$PWB" check --tree t 2>/dev/null &&
	test_fails_with "suite nope: .*suite.conf" "$PWB" check 1 --tree t --suite nope &&
	test_fails_with "--tree nowhere: no registered tree" \
		"$PWB" check 1 --tree nowhere --suite mmn-pairing &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks")" = 0 &&
	test_expect_code 3 "$PWB" check 1 --tree t --suite nope 2>/dev/null &&
	test_fails_with "cannot read /no/such.mbox\|not a message-id" \
		"$PWB" check /no/such.mbox --tree t --suite mmn-pairing &&
	test_expect_code 3 "$PWB" check /no/such.mbox --tree t --suite mmn-pairing 2>/dev/null &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks")" = 0 &&
	test_expect_code 129 "$PWB" bisect 1 --tree t 2>/dev/null &&
	test_expect_code 129 "$PWB" bisect 1 --tree t --suite mmn-pairing --good a --bad b 2>/dev/null &&
	test_expect_code 129 "$PWB" bisect 1 --tree t --suite mmn-pairing --case a --metric b 2>/dev/null &&
	test_expect_code 129 "$PWB" bisect --tree t --suite mmn-pairing --good HEAD --bad HEAD --base HEAD 2>/dev/null &&
	test_expect_code 3 "$PWB" bisect 1 --tree t --suite nope 2>/dev/null &&
	test_fails_with "no checks yet" "$PWB" report &&
	test_expect_code 129 "$PWB" report --format xml 2>/dev/null
'

test_expect_success 'a --base that does not resolve, a SOURCE that does not parse: exit 3, no check' '
	"$PWB" check 1 --tree t --base NOSUCHREV --suite mmn-pairing >out 2>err;
	test $? = 3 &&
	test "$(wc -l <err)" = 1 &&
	grep -q "^pwb: error: --base NOSUCHREV: not a commit in" err &&
	"$PWB" check 999 --tree t --suite mmn-pairing >out 2>err;
	test $? = 3 &&
	grep -q "no series 999\|999" err &&
	"$PWB" matrix 1 --tree t --base NOSUCHREV --suite mmn-pairing >out 2>err;
	test $? = 3 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks")" = 0
'

test_expect_success 'a base pwb cannot find: exit 3 "no base", never a verdict about the series' '
	"$PWB" check 1 --tree t --suite mmn-pairing --json >nb.json 2>nb.err;
	test $? = 3 &&
	grep -q "^pwb: error: no base: the series does not apply on [0-9a-f]*, the base pwb tried: HEAD (its base-commit febe02bd792f is not in the tree, and no commit of the tree has any of its pre-image blobs); patch 1/3: .*(give --base)" nb.err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status || \" \" || verdict || \" \" || (apply_id IS NULL) FROM checks")" = "error infra-error 1" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM applies")" = 0 &&
	"$PWB" report 1 >nb.txt &&
	grep -q "^  could not check: no base: " nb.txt &&
	grep -q "exit 3)" nb.txt &&
	"$PWB" report 1 --format json >nbr.json &&
	python3 -c "
import json; r = json.load(open(\"nbr.json\"))
assert r[\"error\"].startswith(\"no base: \") and r[\"exit_code\"] == 3 and r[\"apply_failure\"] is None, r" &&
	"$PWB" report 1 --format email --force >nbm.txt &&
	grep -q "^pwb could not check this series: no base: " nbm.txt &&
	grep -q "^This says nothing about the series" nbm.txt &&
	! grep -q "does not apply;\|could not apply" nbm.txt &&
	"$PWB" report 1 --format patchwork >nbp.json &&
	grep -q "\"state\": \"warning\"" nbp.json && ! grep -q "\"state\": \"fail\"" nbp.json &&
	"$PWB" series export 1 -o nb.mbox && mkdir nbsplit && git mailsplit -onbsplit nb.mbox >/dev/null &&
	"$PWB" b4-check <nbsplit/0001 >nbb.json &&
	grep -q "not checked: no base" nbb.json && ! grep -q "\"fail\"" nbb.json &&
	sqlite3 "$PWB_DB" "DELETE FROM checks"
'

test_expect_success 'a series that does not apply: exit 2, verdict recorded and reported' '
	"$PWB" check 1 --tree t --base HEAD --suite mmn-pairing --json >c.json 2>c.err;
	test $? = 2 &&
	grep -q "^pwb: error: patch 1/3 does not apply" c.err &&
	python3 -c "
import json; r = json.load(open(\"c.json\"))
assert r[\"verdict\"] == \"does-not-apply\" and r[\"exit_code\"] == 2, r
assert r[\"series\"][\"patches\"] == 3 and r[\"builds\"] == [] and r[\"suites\"] == []" &&
	test "$(sqlite3 "$PWB_DB" "SELECT status || \" \" || verdict FROM checks")" = "done does-not-apply" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds")" = 0 &&
	"$PWB" report 1 >r.txt &&
	grep -q "^verdict: does-not-apply (status done, exit 2)" r.txt &&
	"$PWB" report "<$(sqlite3 "$PWB_DB" "SELECT msgid FROM series WHERE id = 1")>" \
		--format json >r.json &&
	python3 -c "import json; assert json.load(open(\"r.json\"))[\"check\"] == 1" &&
	"$PWB" report --format email >mail.txt &&
	grep -q "^Subject: Re: \[PATCH v2 0/3\]" mail.txt &&
	grep -q "^In-Reply-To: <" mail.txt &&
	grep -q "^Verdict: does-not-apply" mail.txt &&
	grep -q "^pwb could not apply patch 1/3 to [0-9a-f]\{12\}:$" mail.txt &&
	grep -q "^The base: --base HEAD\.$" mail.txt &&
	grep -q "^  mm/mmu_notifier.c: not in the tree$" mail.txt &&
	grep -q "^Nothing was built or booted" mail.txt &&
	grep -q -- "--base [0-9a-f]\{40\}" mail.txt &&
	"$PWB" report 1 >rt.txt &&
	grep -q "^  base [0-9a-f]\{12\}: --base HEAD$" rt.txt &&
	test -z "$(awk "length(\$0) > 80" rt.txt)" &&
	grep -A1 "^  1/3    does not apply$" rt.txt | grep -q "^         mm, notifier: call invalidate_range_end" &&
	grep -q "^         mm/mmu_notifier.c" rt.txt &&
	"$PWB" report 1 --format json >rj.json &&
	python3 -c "
import json; r = json.load(open(\"rj.json\"))
a = r[\"apply_failure\"]
assert a[\"patch\"] == 1 and a[\"error\"].startswith(\"mm/mmu_notifier.c\"), a
assert r[\"base_rule\"] == \"option\" and r[\"base_why\"] == \"--base HEAD\" and r[\"error\"] is None, r" &&
	"$PWB" report 1 --format patchwork >pw.json &&
	python3 -c "
import json; p = json.load(open(\"pw.json\"))
d = [c[\"description\"] for x in p for c in x[\"checks\"] if c[\"context\"] == \"pwb-build\"]
assert d[0].startswith(\"does not apply: mm/mmu_notifier.c\") and d[1] == \"not applied: patch 1 does not apply\", d" &&
	! grep -q "built and booted\|ran the suites\|^Per patch" mail.txt &&
	! grep -q "?" mail.txt &&
	test_fails_with "no check 7" "$PWB" report 7
'

test_expect_success 'bisect takes --base; a series that does not apply is an error (3), not "no culprit" (1)' '
	"$PWB" bisect 1 --tree t --suite mmn-pairing --base HEAD >out 2>err;
	test $? = 3 &&
	grep -q "series 1 does not apply; nothing to bisect" err &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds")" = 0 &&
	# without --base: the base the check of the series used (HEAD), not
	# its base-commit (not in this tree)
	"$PWB" bisect 1 --tree t --suite mmn-pairing >out 2>err;
	test $? = 3 &&
	grep -q "series 1 does not apply; nothing to bisect" err &&
	"$PWB" -q apply 1 --tree t >/dev/null 2>err;
	grep -qi "base" err
'

test_expect_success 'a check left running by a pwb that is gone is marked interrupted' '
	sqlite3 "$PWB_DB" "INSERT INTO checks (source, repo_path, config_name, repeat,
		status, pid, started_at) VALUES (\"x\", \"t\", \"c\", 0, \"running\", 999999, 0)" &&
	"$PWB" check 1 --tree t --base HEAD --suite mmn-pairing >/dev/null 2>err;
	test $? = 2 &&
	grep -q "check 2 was left running by a pwb that is gone" err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM checks WHERE id = 2")" = interrupted
'

test_expect_success 'colours only on a terminal, never with NO_COLOR or TERM=dumb; --color and color.ui' '
	"$PWB" report 1 >plain.txt &&
	! grep -q "$(printf "\033")" plain.txt &&
	TERM=xterm script -qec "\"$PWB\" report 1" /dev/null >tty.txt &&
	grep -q "$(printf "\033")\[" tty.txt &&
	NO_COLOR=1 TERM=xterm script -qec "\"$PWB\" report 1" /dev/null >nc.txt &&
	grep -q "^verdict: does-not-apply" nc.txt &&
	! grep -q "$(printf "\033")\[3" nc.txt &&
	TERM=dumb script -qec "\"$PWB\" report 1" /dev/null >dumb.txt &&
	grep -q "^verdict: does-not-apply" dumb.txt &&
	! grep -q "$(printf "\033")\[3" dumb.txt &&
	TERM=xterm script -qec "\"$PWB\" report 1 --color=never" /dev/null >never.txt &&
	! grep -q "$(printf "\033")\[3" never.txt &&
	TERM=xterm script -qec "\"$PWB\" -c color.ui=never report 1" /dev/null >never.txt &&
	! grep -q "$(printf "\033")\[3" never.txt &&
	"$PWB" report 1 --color=always >always.txt &&
	grep -q "$(printf "\033")\[" always.txt &&
	"$PWB" -c color.ui=always report 1 >always.txt &&
	grep -q "$(printf "\033")\[" always.txt &&
	"$PWB" -c color.ui=always report 1 --no-color >plain2.txt &&
	test_cmp plain.txt plain2.txt
'

test_expect_success 'a check with no result gets no reply unless --force' '
	id=$(sqlite3 "$PWB_DB" "SELECT max(id) FROM checks WHERE status = \"interrupted\"") &&
	test -n "$id" &&
	"$PWB" report $id --format email >mail.txt 2>err;
	test $? = 1 &&
	test ! -s mail.txt &&
	grep -q "^pwb: error: check $id has no result (status interrupted)" err &&
	"$PWB" report $id --format email --force >mail.txt &&
	grep -q "^Verdict: none" mail.txt &&
	grep -q "^Nothing was built or booted" mail.txt
'

test_expect_success 'a killed pwb that stays a zombie (PID 1 does not reap) counts as gone' '
	zpid=$(sh -c "sleep 300 >/dev/null 2>&1 & echo \$!") &&
	kill -9 "$zpid" && sleep 0.5 &&
	sqlite3 "$PWB_DB" "INSERT INTO checks (source, repo_path, config_name, repeat,
		status, pid, started_at) VALUES (\"z\", \"t\", \"c\", 0, \"running\", $zpid, 0)" &&
	id=$(sqlite3 "$PWB_DB" "SELECT max(id) FROM checks") &&
	"$PWB" check nope.mbox --tree t >/dev/null 2>err;
	grep -q "check $id was left running by a pwb that is gone" err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM checks WHERE id = $id")" = interrupted
'

test_expect_success 'matrix: a check per series and config, the worst exit wins' '
	test_expect_code 129 "$PWB" matrix --tree t 2>/dev/null &&
	test_fails_with "--on elsewhere: local, slurm or recorded" \
		"$PWB" matrix 1 --tree t --on elsewhere &&
	test_expect_code 3 "$PWB" -c run.backend=elsewhere matrix 1 --tree t 2>err &&
	grep -q "run.backend = elsewhere: local, slurm or recorded" err &&
	test_fails_with "suite nope: .*suite.conf" "$PWB" matrix 1 --tree t --suite nope &&
	n=$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks") &&
	"$PWB" matrix 1 "$SRCDIR/patches/mmn-doc-fix.mbox" /no/such.mbox --tree t \
		--base HEAD --suite mmn-pairing --config a --config b --json >m.json 2>m.err;
	test $? = 2 &&
	python3 -c "
import json; m = json.load(open(\"m.json\"))
assert m[\"exit\"] == 2 and m[\"backend\"] == \"local\", m
got = [(c[\"source\"].split(\"/\")[-1], c[\"config\"], c[\"verdict\"], c[\"exit\"]) for c in m[\"cells\"]]
assert got == [(\"1\", \"a\", \"does-not-apply\", 2), (\"1\", \"b\", \"does-not-apply\", 2),
               (\"mmn-doc-fix.mbox\", \"a\", \"does-not-apply\", 2), (\"mmn-doc-fix.mbox\", \"b\", \"does-not-apply\", 2),
               (\"such.mbox\", \"a\", \"infra-error\", 3), (\"such.mbox\", \"b\", \"infra-error\", 3)], got
assert all(c[\"report\"][\"check\"] == c[\"check\"] for c in m[\"cells\"][:4])
# a source that cannot be read started no work: no checks row, no report
assert all(c[\"check\"] is None and \"report\" not in c for c in m[\"cells\"][4:]), m[\"cells\"][4:]" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks")" = $((n + 4)) &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM checks WHERE status = \"running\"")" = 0 &&
	"$PWB" matrix 1 --tree t --base HEAD --suite mmn-pairing >m.txt 2>/dev/null;
	test $? = 2 &&
	grep -q "^1 series x 1 base x 1 arch x 1 toolchain x 1 config x 1 suite, on this machine" m.txt &&
	grep -q " HEAD  *x86_64  gcc   qemu-x86_64  *does-not-apply$" m.txt &&
	grep -q "^series 1: mm, notifier: pair invalidate_range_start and _end$" m.txt &&
	test -z "$(awk "length(\$0) > 80" m.txt)"
'

test_done
