#!/bin/sh
# pwb check's verdicts through the recorded backend (tests/lib-recorded.sh):
# a new KTAP failure, metrics, a patch that does not build, configs and
# toolchains that differ, retries and flaky cases with their history, an
# oops, KASAN and warnings on the console (new or pre-existing).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'check: a new KTAP failure is a regression (exit 1) that names its case' '
	PWB_PROGRESS=1 "$PWB" check three.mbox --tree t --suite mmn-pairing \
		--on recorded --json >three.json 2>three.err;
	test $? = 1 &&
	grep -q "build the base and 3 patches, recorded" three.err &&
	grep -q "mmn-pairing candidate run 1/1" three.err &&
	python3 -c "
import json; r = json.load(open(\"three.json\"))
assert r[\"verdict\"] == \"regression\" and r[\"exit_code\"] == 1, r[\"verdict\"]
assert [(b[\"idx\"], b[\"status\"]) for b in r[\"builds\"]] == [(0, \"ok\"), (1, \"ok\"), (2, \"ok\"), (3, \"ok\")]
c = {x[\"name\"]: x[\"verdict\"] for x in r[\"suites\"][0][\"cases\"]}
assert c == {\"blockable_1\": \"pass\", \"blockable_2_fail\": \"pass\",
             \"oom_2_fail_first\": \"pass\", \"oom_4_fail_middle\": \"new-failure\"}, c
# failed on the candidate only: booted twice more (check.retries), failed again
assert r[\"suites\"][0][\"runs\"] == {\"base\": 1, \"candidate\": 3}, r[\"suites\"][0][\"runs\"]" &&
	grep -q "suite mmn-pairing: 1 case failed on the candidate only: 2 more candidate runs, recorded" three.err &&
	grep -q "mmn-pairing candidate run 3/3" three.err &&
	# the stage lines in order, a retry part of its suite'"'"'s step (the
	# count never grows); the row id once intake made it; every line on
	# stderr a progress line
	test "$(sed -n "s/^pwb check[ 0-9]* \[\([0-9]*\/[0-9]*\)\] .*/\1/p" three.err |
		tr "\n" " ")" = "1/6 2/6 3/6 4/6 5/6 5/6 6/6 " &&
	grep -q "^pwb check \[1/6\]     0s intake three.mbox$" three.err &&
	grep -q "^pwb check [0-9][0-9]* \[6/6\]  *[0-9]*s compare$" three.err &&
	grep -q "^pwb check [0-9][0-9]* \[3/6\]  *[0-9]*s per-patch checks: checkpatch, Fixes: tags, sign-offs, kernel-doc$" three.err &&
	test "$(grep -vc "^pwb check " three.err)" = 0 &&
	"$PWB" report >three.txt &&
	grep -q "new-failure *oom_4_fail_middle" three.txt &&
	grep -q "^verdict: regression" three.txt
'

test_expect_success 'check again: the runs recorded count, nothing is booted again' '
	n=$(boots) &&
	"$PWB" check three.mbox --tree t --suite mmn-pairing --on recorded >/dev/null 2>again.err;
	test $? = 1 &&
	# stderr not a terminal, no PWB_PROGRESS: no progress at all
	test ! -s again.err || { cat again.err; false; } &&
	PWB_PROGRESS=1 "$PWB" check three.mbox --tree t --suite mmn-pairing --on recorded >/dev/null 2>again.err;
	test $? = 1 &&
	grep -q "^pwb check [0-9]* \[2/6\]" again.err &&
	! grep -q " run [0-9]*/" again.err &&
	test "$(boots)" = "$n"
'

test_expect_success 'metrics: the OOM reaper stops reaping with two subscriptions: regression' '
	"$PWB" check hammer.mbox --tree t --suite oom-reaper --on recorded \
		--json >hammer.json 2>/dev/null;
	test $? = 1 &&
	python3 -c "
import json; r = json.load(open(\"hammer.json\"))
o = r[\"suites\"][0]
assert r[\"verdict\"] == \"regression\"
assert o[\"runs\"] == {\"base\": 5, \"candidate\": 5}, o[\"runs\"]
bad = sorted(m[\"name\"] for m in o[\"metrics\"] if m[\"verdict\"] == \"regression\")
assert bad == [\"anon_rss/subs=2\", \"anon_rss/subs=4\", \"oom_kills/subs=2\",
               \"oom_kills/subs=4\", \"reaped/subs=2\", \"reaped/subs=4\"], bad
assert all(m[\"verdict\"] != \"regression\" for m in o[\"metrics\"] if m[\"name\"].startswith(\"hog_ms\"))"
'

test_expect_success 'the metrics table: units on both sides, each picture with its scale and a legend' '
	"$PWB" report >hammer.txt &&
	grep -A1 "^  anon_rss/subs=2  *n/a  *0.0106  regression$" hammer.txt |
		grep -q "^      0 kB \[0, 0\] -> 180000 kB \[180000, 180000\]$" &&
	grep -q "^  oom_kills/subs=2  *+100.0%  *0.0106  regression$" hammer.txt &&
	grep -q "^  anon_rss/subs=0  *n/a  *1  no-change    0 kB \[0, 0\] -> 0 kB \[0, 0\]$" hammer.txt &&
	grep -q "^  medians \[95% CI\]: base -> candidate$" hammer.txt &&
	grep -A4 "^  anon_rss/subs=2 " hammer.txt | grep -q "^  *0 kB  *180000 kB$" &&
	test -z "$(grep -v "^  link: " hammer.txt | awk "length(\$0) > 80")" &&
	grep -q "^  pictures: each run.s value between the smallest and the largest of both$" hammer.txt &&
	grep -q "^  sides (the scale below each): .\.. one run, .:. two, .#. more$" hammer.txt
'

test_expect_success 'a patch that does not build (exit 2); a patch that changes no result (exit 0)' '
	"$PWB" check nobuild.mbox --tree t --suite mmn-pairing --on recorded \
		--json >nb.json 2>nb.err;
	test $? = 2 &&
	python3 -c "
import json; r = json.load(open(\"nb.json\"))
assert r[\"verdict\"] == \"does-not-build\", r[\"verdict\"]
assert [b[\"status\"] for b in r[\"builds\"]] == [\"ok\", \"ok\", \"failed\"], r[\"builds\"]" &&
	(cd t && git checkout -q -b harmless base) &&
	commit "mm: a comment" "echo /\* c \*/ >>mm/mmu_notifier.c" &&
	series harmless &&
	"$PWB" check harmless.mbox --tree t --suite mmn-pairing --suite oom-reaper \
		--on recorded --json >ok.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"ok.json\"))
assert r[\"verdict\"] == \"no-regression\" and r[\"exit_code\"] == 0, r[\"verdict\"]"
'

test_expect_success 'sides built with different configs are not comparable (exit 3)' '
	test_expect_code 3 "$PWB" check config.mbox --tree t --suite mmn-pairing \
		--on recorded --json >cfg.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"cfg.json\"))
assert r[\"verdict\"] == \"not-comparable\", r[\"verdict\"]"
'

test_expect_success 'retries: a case that fails once and passes when booted again is flaky, not a regression' '
	(cd t && git checkout -q -b flaky base) &&
	commit "mm/mmu_notifier: sometimes" "ktap oom_2_fail_first >.pwb-recorded/mmn-pairing/0 &&
		ktap >.pwb-recorded/mmn-pairing/1" &&
	series flaky && (cd t && git checkout -q master) &&
	n=$(boots) &&
	# without retries its one failing run is a new failure (the base has
	# its run from the checks before)
	test_expect_code 1 "$PWB" check flaky.mbox --tree t --suite mmn-pairing \
		--on recorded --retries 0 --json >flaky0.json 2>flaky0.err &&
	test ! -s flaky0.err || { cat flaky0.err; false; } &&
	test "$(boots)" = $((n + 1)) &&
	PWB_PROGRESS=1 "$PWB" check flaky.mbox --tree t --suite mmn-pairing \
		--on recorded --json >flaky.json 2>flaky.err ||
		{ cat flaky.err; false; } &&
	test "$(boots)" = $((n + 3)) &&
	python3 -c "
import json
a = json.load(open(\"flaky0.json\"))[\"suites\"][0]
c = {x[\"name\"]: x[\"verdict\"] for x in a[\"cases\"]}
assert c[\"oom_2_fail_first\"] == \"new-failure\", c
r = json.load(open(\"flaky.json\"))
assert r[\"verdict\"] == \"no-regression\", r[\"verdict\"]
s = r[\"suites\"][0]
assert s[\"runs\"] == {\"base\": 1, \"candidate\": 3}, s[\"runs\"]
assert s[\"flaky\"] == 1 and s[\"regressions\"] == 0, s
k = [x for x in s[\"cases\"] if x[\"name\"] == \"oom_2_fail_first\"][0]
assert k[\"verdict\"] == \"flaky\", k
assert (k[\"candidate\"][\"pass\"], k[\"candidate\"][\"fail\"]) == (1, 2), k" &&
	"$PWB" report >flaky.txt &&
	grep -q "flaky *oom_2_fail_first *base 1/1 pass, candidate 1/3 pass" flaky.txt &&
	grep -q "^verdict: no-regression" flaky.txt &&
	"$PWB" history --case oom_2_fail_first --suite mmn-pairing >hist.txt &&
	test -z "$(awk "length(\$0) > 80" hist.txt)" &&
	tr "\n" " " <hist.txt | tr -s " " |
		grep -q "mmn-pairing on t, x86_64, gcc, qemu-x86_64: pass [0-9]*/[0-9]* ([0-9]*%) on [0-9]* commits, flaky on 1 commit, last " &&
	"$PWB" history --case oom_2_fail_first --json >hist.json &&
	python3 -c "
import json
t = [x for x in json.load(open(\"hist.json\")) if (x[\"arch\"], x[\"compiler\"], x[\"config\"]) == (\"x86_64\", \"gcc\", \"qemu-x86_64\")]
assert len(t) == 1 and t[0][\"flaky_commits\"] == 1 and t[0][\"tree\"] == \"t\", t
f = [c for c in t[0][\"commits\"] if c[\"result\"] == \"flaky\"]
assert [(c[\"pass\"], c[\"fail\"]) for c in f] == [(1, 2)], f
assert t[0][\"runs\"] == sum(c[\"runs\"] for c in t[0][\"commits\"])
assert abs(t[0][\"pass_rate\"] - t[0][\"pass\"] / t[0][\"runs\"]) < 1e-9" &&
	# a series that breaks the case for good: a regression, marked as a
	# case known to be flaky on this target
	(cd t && git checkout -q -b breaks base) &&
	commit "mm/mmu_notifier: break" "ktap oom_2_fail_first >.pwb-recorded/mmn-pairing/0" &&
	series breaks && (cd t && git checkout -q master) &&
	test_expect_code 1 "$PWB" check breaks.mbox --tree t --suite mmn-pairing \
		--on recorded --json >breaks.json 2>/dev/null &&
	"$PWB" report >breaks.txt &&
	# within 80 columns: what follows the counts goes under them
	grep -A1 "new-failure *oom_2_fail_first *base 1/1 pass, candidate 0/3 pass;$" breaks.txt |
		tail -n 1 | grep -q "^ \{17\}known flaky here (1 commit, [0-9]*/[0-9]* pass)$" &&
	test -z "$(grep -v "^  link: " breaks.txt | awk "length(\$0) > 80")" &&
	python3 -c "
import json
k = [x for x in json.load(open(\"breaks.json\"))[\"suites\"][0][\"cases\"] if x[\"verdict\"] != \"pass\"]
assert [(x[\"name\"], x[\"known_flaky\"][\"commits\"]) for x in k] == [(\"oom_2_fail_first\", 1)], k" &&
	test_expect_code 3 "$PWB" -c check.retries=-1 check flaky.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: check.retries = -1: a number from 0 to 100" &&
	# the settings of the broad build and coverage: bad values named
	test_expect_code 3 "$PWB" -c check.newwarnings=loud check flaky.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: config check.newwarnings = '"'"'loud'"'"': warn or fail" &&
	test_expect_code 3 "$PWB" -c check.coverage=maybe check flaky.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: config check.coverage: '"'"'maybe'"'"' is not true or false"
'

test_expect_success 'an oops on the candidate: a kernel-failure run with its finding, a regression' '
	test_expect_code 1 "$PWB" check oops.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1 &&
	id=$(sqlite3 "$PWB_DB" "SELECT max(id) FROM checks") &&
	test "$(sqlite3 "$PWB_DB" "SELECT r.status FROM suite_runs r JOIN boots b ON b.id = r.boot_id
		JOIN builds u ON u.id = b.build_id JOIN checks c ON c.tip_commit = u.commit_id
		WHERE c.id = $id")" = kernel-failure &&
	sqlite3 "$PWB_DB" "SELECT title FROM findings" | grep -q "NULL pointer dereference"
'

test_expect_success 'a guest that stops mid-suite: the cases after it did not run (not gone, no "case 4")' '
	id=$(sqlite3 "$PWB_DB" "SELECT max(id) FROM checks WHERE source = \"oops.mbox\"") &&
	"$PWB" report $id >oops.txt &&
	grep -q "^  not-run  *oom_2_fail_first, oom_4_fail_middle, the guest stopped after blockable_2_fail$" oops.txt &&
	grep -q "the guest stopped (a crash or a hang): base 0 of 1 boots, candidate 1 of 1" oops.txt &&
	! grep -q "new-case\|gone  *oom\|case [34]" oops.txt &&
	"$PWB" report $id --format json >oops.json &&
	python3 -c "
import json; s = json.load(open(\"oops.json\"))[\"suites\"][0]
c = {x[\"name\"]: x[\"verdict\"] for x in s[\"cases\"]}
assert c == {\"blockable_1\": \"pass\", \"blockable_2_fail\": \"pass\",
             \"oom_2_fail_first\": \"not-run\", \"oom_4_fail_middle\": \"not-run\"}, c
assert s[\"stopped_after\"] == \"blockable_2_fail\", s[\"stopped_after\"]
assert s[\"stopped_runs\"] == {\"base\": 0, \"candidate\": 1}, s[\"stopped_runs\"]"
'

test_expect_success 'the reply to a regression: To the author, Cc its recipients, 72 columns, the tags to paste, the exact check' '
	(cd t && git format-patch -q --stdout --cover-letter --thread --base=base \
		--to "linux-mm@kvack.org" --cc "Jason Gunthorpe <jgg@ziepe.ca>" \
		--cc "A U Thor <author@example.com>" base..oops |
		sed -e "s/\.git\.committer@/.cc.git.committer@/g" >../oopscc.mbox) &&
	test_expect_code 1 "$PWB" check oopscc.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1 &&
	"$PWB" -c user.email=ci@example.org report --format email >oops.eml &&
	grep -q "^To: A U Thor <author@example.com>$" oops.eml &&
	grep -q "^Cc: linux-mm@kvack.org, Jason Gunthorpe <jgg@ziepe.ca>$" oops.eml &&
	! grep -q "^Cc:.*author@example.com" oops.eml &&
	# every line within 72 columns but the tags, pasted as they are
	test "$(awk "length > 72 && !/^\\| /" oops.eml | wc -l)" = 0 &&
	grep -q "^| Reported-by: pwb <ci@example.org>$" oops.eml &&
	mid=$(sqlite3 "$PWB_DB" "SELECT cover_msgid FROM series WHERE id = (SELECT series_id FROM checks WHERE id = (SELECT max(id) FROM checks))") &&
	grep -q "^| Closes: https://lore.kernel.org/all/$mid/$" oops.eml &&
	base=$(sqlite3 "$PWB_DB" "SELECT base_commit FROM checks WHERE id = (SELECT max(id) FROM checks)") &&
	grep -q "^  pwb check .$mid. \\\\$" oops.eml &&
	grep -q "^    --tree <linux> --base $base \\\\$" oops.eml &&
	grep -q "^    --config qemu-x86_64 --arch x86_64 --toolchain gcc \\\\$" oops.eml &&
	grep -q "^    --suite mmn-pairing$" oops.eml &&
	# what the recorded backend did: nothing was booted
	! grep -q "booted in QEMU" oops.eml &&
	grep -q "nothing was booted" oops.eml &&
	grep -q "^  not-run  *oom_2_fail_first, oom_4_fail_middle, the guest stopped" oops.eml &&
	grep -q "RIP: 0010:mn_itree_inv_start_range+0x12/0x80" oops.eml &&
	# no regression, no tags; no user.email, no Reported-by
	"$PWB" report --format email >noemail.eml &&
	! grep -q "Reported-by" noemail.eml &&
	grep -q "^| Closes: " noemail.eml &&
	"$PWB" report "$(sqlite3 "$PWB_DB" "SELECT max(id) FROM checks WHERE verdict = \"no-regression\"")" \
		--format email >ok.eml &&
	! grep -q "Closes:\|Reported-by" ok.eml
'

test_expect_success 'a KASAN report during a passing KTAP run: new-finding, a regression with its lines' '
	test_expect_code 1 "$PWB" check kasan.mbox --tree t --suite mmn-pairing \
		--on recorded --json >kasan.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"kasan.json\"))
s = r[\"suites\"][0]
assert r[\"verdict\"] == \"regression\", r[\"verdict\"]
assert all(c[\"verdict\"] == \"pass\" for c in s[\"cases\"]), s[\"cases\"]
f = [(x[\"verdict\"], x[\"kind\"], x[\"title\"]) for x in s[\"findings\"]]
assert f == [(\"new-finding\", \"kasan\", \"KASAN: slab-out-of-bounds Write in __mmu_notifier_register\")], f" &&
	"$PWB" report >kasan.txt &&
	grep -q "new-finding *KASAN: slab-out-of-bounds Write in __mmu_notifier_register (base 0 of 1 runs, candidate 1 of 1)" kasan.txt &&
	grep -q "Write of size 1 at addr" kasan.txt &&
	# its lines end at its closing rule; the guest went on to the end
	! grep -q "ok 1 blockable_1" kasan.txt &&
	! grep -q "kernel failed or timed out\|the guest stopped" kasan.txt &&
	grep -q "kernel reports, the suite ran to its end: base 0 of 1 boots, candidate 1 of 1" kasan.txt &&
	python3 -c "
import json; r = json.load(open(\"kasan.json\"))
l = r[\"suites\"][0][\"findings\"][0][\"lines\"].splitlines()
assert l[-1] == \"=\" * 66, l" &&
	"$PWB" report --format email >kasan.eml &&
	grep -q "new-finding *KASAN: slab-out-of-bounds" kasan.eml
'

test_expect_success 'a report the base shows too is pre-existing; a new one beside it still regresses' '
	(cd t && git format-patch -q --stdout --base=warnbase warnbase..warnsame >../warnsame.mbox &&
	 git format-patch -q --stdout --base=warnbase warnbase..warnkasan >../warnkasan.mbox) &&
	"$PWB" check warnsame.mbox --tree t --suite mmn-pairing --on recorded \
		--json >ws.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"ws.json\"))
f = [(x[\"verdict\"], x[\"title\"]) for x in r[\"suites\"][0][\"findings\"]]
assert r[\"verdict\"] == \"no-regression\", r[\"verdict\"]
assert f == [(\"pre-existing\", \"WARNING in shrink_lruvec\")], f" &&
	test_expect_code 1 "$PWB" check warnkasan.mbox --tree t --suite mmn-pairing \
		--on recorded --json >wk.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"wk.json\"))
f = sorted((x[\"verdict\"], x[\"kind\"]) for x in r[\"suites\"][0][\"findings\"])
assert f == [(\"new-finding\", \"kasan\"), (\"pre-existing\", \"warning\")], f"
'

test_expect_success 'sides built with different toolchains are not comparable (exit 3)' '
	test_expect_code 3 "$PWB" check clang.mbox --tree t --suite mmn-pairing \
		--on recorded --json >tc.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"tc.json\"))
s = r[\"suites\"][0]
assert r[\"verdict\"] == \"not-comparable\", r[\"verdict\"]
assert s[\"why_not\"] == \"built with different toolchains: base recorded, candidate Debian clang version 14.0.6\", s[\"why_not\"]"
'

test_done
