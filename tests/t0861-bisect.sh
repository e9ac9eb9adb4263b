#!/bin/sh
# pwb bisect (a series, a range for one case) and pwb bisect-step under
# git bisect run, through the recorded backend (tests/lib-recorded.sh).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'setup: the series three checked (a regression)' '
	test_expect_code 1 "$PWB" check three.mbox --tree t --suite mmn-pairing \
		--on recorded >/dev/null 2>&1
'

test_expect_success 'bisect the series: patch 2/3, base and tip reused from the check' '
	"$PWB" bisect "$(sed -n "s/^Message-Id: <cover\./<cover-three./p" three.d/0000-cover-letter.patch)" \
		--tree t --suite mmn-pairing --on recorded --json >bisect.json &&
	python3 -c "
import json; r = json.load(open(\"bisect.json\"))
assert r[\"culprit\"][\"label\"].startswith(\"2/3 \"), r[\"culprit\"]
assert r[\"cycles\"] <= 2, r[\"cycles\"]
assert r[\"base_why\"].startswith(\"the base the newest check of series \"), r" &&
	"$PWB" bisect "$(sed -n "s/^Message-Id: <cover\./<cover-three./p" three.d/0000-cover-letter.patch)" \
		--tree t --suite mmn-pairing --on recorded --base base >bisect.txt &&
	grep -q "^base [0-9a-f]\{40\}: --base base$" bisect.txt
'

test_expect_success 'bisect a range for one case: the first bad commit, exit 0; no culprit is exit 1' '
	"$PWB" bisect --tree t --good base --bad three --suite mmn-pairing \
		--case oom_4_fail_middle --on recorded >range.txt &&
	grep -q "^first bad: [0-9a-f]* mm/mmu_notifier: stop at the first failed" range.txt &&
	test_expect_code 1 "$PWB" bisect --tree t --good base --bad three \
		--suite mmn-pairing --case blockable_1 --on recorded >none.txt 2>&1
'

test_expect_success 'bisect-step under git bisect run: the first bad commit, by a case and against a good end' '
	(cd t && git checkout -q three && git bisect start three base >/dev/null &&
		git bisect run "$PWB" bisect-step --suite mmn-pairing \
			--case oom_4_fail_middle --on recorded >../bs1.out 2>&1;
		git bisect reset >/dev/null 2>&1 && git checkout -q master) &&
	grep -q "is the first bad commit" bs1.out &&
	grep -A6 "is the first bad commit" bs1.out | grep -q "stop at the first failed non-blocking start" &&
	grep -q "good: it passes" bs1.out && grep -q "bad: oom_4_fail_middle fails" bs1.out &&
	(cd t && git checkout -q three && git bisect start three base >/dev/null &&
		git bisect run "$PWB" bisect-step --suite mmn-pairing --good base \
			--on recorded >../bs2.out 2>&1;
		git bisect reset >/dev/null 2>&1 && git checkout -q master) &&
	grep -A6 "is the first bad commit" bs2.out | grep -q "stop at the first failed non-blocking start" &&
	grep -q "bad: 1 regression, e.g. oom_4_fail_middle fails" bs2.out
'

test_expect_success 'bisect-step exits: 125 a commit that does not build, 128 when pwb cannot work' '
	(cd t && git checkout -q nobuild &&
		"$PWB" bisect-step --suite mmn-pairing --on recorded >../step.out 2>&1;
		echo $? >../step.rc; git checkout -q master) &&
	test "$(cat step.rc)" = 125 && grep -q "skip: does not build" step.out &&
	(cd t && "$PWB" bisect-step --suite nope --on recorded >/dev/null 2>../nope.err;
		echo $? >../nope.rc) &&
	test "$(cat nope.rc)" = 128 && grep -q "suite nope" nope.err &&
	(cd t && "$PWB" bisect-step --suite mmn-pairing --metric hog_ms --on recorded \
		>/dev/null 2>&1; echo $? >../metric.rc) &&
	test "$(cat metric.rc)" -ge 128 &&
	(cd / && "$PWB" bisect-step --suite mmn-pairing --on recorded >/dev/null 2>"$TRASH/nogit.err";
		echo $? >"$TRASH/nogit.rc") &&
	test "$(cat nogit.rc)" = 128 && grep -q "not in a git repository" nogit.err
'

test_done
