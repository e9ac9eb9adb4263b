#!/bin/sh
# The suite formats through the recorded backend (tests/lib-recorded.sh):
# a kselftest suite built from each side's tree (hmm), KUnit (kunit-mm, a
# filter), and pwb run's per-case results.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'hmm (kselftest): each side runs its own tree'"'"'s tests, recorded; a case the series adds is new, not a regression' '
	# a kselftest suite as bench/suites would have it, in a datadir of its own
	mkdir -p data/bench/suites/hmm &&
	printf "%s\n" "[suite]" "	format = kselftest" "	selftests = mm" \
		"	selftests = vm" "	test = hmm-tests" "	kmodule = test_hmm" \
		"	file = hmm.sh" "	run = sh /pwb/hmm.sh" >data/bench/suites/hmm/suite.conf &&
	echo "exec /pwb/hmm-tests" >data/bench/suites/hmm/hmm.sh &&
	(cd t && git checkout -q -b hsbase base) &&
	commit "selftests/vm: hmm-tests" "mkdir -p tools/testing/selftests/vm .pwb-recorded/hmm &&
		echo all: >tools/testing/selftests/vm/Makefile && hmm_tap >.pwb-recorded/hmm/0" &&
	(cd t && git checkout -q -b hbreak hsbase) &&
	commit "mm/hmm: no zero-page exception" \
		"hmm_tap hmm2.hmm2_device_private.snapshot >.pwb-recorded/hmm/0" &&
	commit "selftests/mm: move from vm, one case more" \
		"git mv tools/testing/selftests/vm tools/testing/selftests/mm &&
		 hmm_tap NEW hmm2.hmm2_device_private.snapshot >.pwb-recorded/hmm/0" &&
	(cd t && git format-patch -q --thread --cover-letter --base=hsbase \
		-o ../hbreak.d hsbase..hbreak && git checkout -q master) &&
	sed -e "s/<cover\./<cover-hbreak./" -e "s/\*\*\* SUBJECT HERE \*\*\*/hbreak/" \
		hbreak.d/*.patch >hbreak.mbox &&
	test_expect_code 1 "$PWB" -c core.datadir="$TRASH/data" check hbreak.mbox \
		--tree t --suite hmm \
		--on recorded --json >hb.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"hb.json\"))
s = r[\"suites\"][0]
assert (r[\"verdict\"], s[\"format\"]) == (\"regression\", \"kselftest\"), (r[\"verdict\"], s[\"format\"])
v = dict((c[\"name\"], c[\"verdict\"]) for c in s[\"cases\"])
assert v == {\"hmm.hmm_device_private.open_close\": \"pass\",
	\"hmm.hmm_device_coherent.open_close\": \"skipped\",
	\"hmm2.hmm2_device_private.snapshot\": \"new-failure\",
	\"hmm.hmm_device_private.new_case\": \"new-case\"}, v
k = [c for c in s[\"cases\"] if c[\"verdict\"] == \"skipped\"][0]
assert k[\"skip_reason\"] == \"SKIP DEVICE_COHERENT not available\", k
t = s[\"tests_from\"]
assert t[\"base\"].startswith(\"tools/testing/selftests/vm at \"), t
assert t[\"candidate\"].startswith(\"tools/testing/selftests/mm at \"), t
" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM suite_runs WHERE suite = '"'"'hmm'"'"' AND tests_from IS NULL")" = 0 &&
	"$PWB" -c core.datadir="$TRASH/data" report >hb.txt &&
	# within 80 columns, but the console lines it quotes and a URL
	! grep -v "^      # \|^  link: " hb.txt | grep -q "^.\{81\}" &&
	grep -A2 "^  tests: each side.s own tree.s$" hb.txt >tests.txt &&
	sed -n 2p tests.txt | grep -q "^    base      tools/testing/selftests/vm at [0-9a-f]\{12\}$" &&
	sed -n 3p tests.txt | grep -q "^    candidate tools/testing/selftests/mm at [0-9a-f]\{12\}$" &&
	grep -q "^  new-failure    hmm2.hmm2_device_private.snapshot" hb.txt &&
	grep -q "^  skipped        1 case (DEVICE_COHERENT not available):$" hb.txt &&
	grep -q "^                 hmm.hmm_device_coherent.open_close$" hb.txt &&
	"$PWB" -c core.datadir="$TRASH/data" report --format email >hb.eml &&
	grep -q "^  skipped on both sides: 1 case (DEVICE_COHERENT not available):$" hb.eml &&
	grep -q "^    hmm.hmm_device_coherent.open_close$" hb.eml &&
	grep -q "Expected m\[2\] (2) == HMM_DMIRROR_PROT_ZERO" hb.txt &&
	# pwb run says why a case skipped
	"$PWB" -c core.datadir="$TRASH/data" run --tree t --rev hsbase \
		--suite hmm --on recorded >hrun.txt &&
	grep -q "^  skip     hmm.hmm_device_coherent.open_close SKIP DEVICE_COHERENT not available$" hrun.txt &&
	grep -q "^  pass     hmm.hmm_device_private.open_close$" hrun.txt &&
	# the prebuilt-kernel path refuses it: the tests come from the tree
	test_fails_with "builds the tree.s selftests" \
		"$PWB" -c core.datadir="$TRASH/data" run --kernel t/mm/mmu_notifier.c \
		--suite hmm
'

test_expect_success 'kunit-mm: a KUnit case the series breaks is a new failure, named suite.case' '
	(cd t && git checkout -q -b kbreak base) &&
	commit "list: rotate nothing to the front" \
		"kunit list_test_list_rotate_to_front >.pwb-recorded/kunit-mm/0" &&
	series kbreak && (cd t && git checkout -q master) &&
	test_expect_code 0 "$PWB" run --tree t --rev base --suite kunit-mm \
		--on recorded >krun.txt &&
	grep -q "^kunit-mm run 1/1 on [0-9a-f]\{12\}: passed" krun.txt &&
	grep -q "^  pass     list-kunit-test.list_test_list_rotate_to_front" krun.txt &&
	grep -q "^  pass     memcpy.memcpy_test" krun.txt &&
	test_expect_code 1 "$PWB" check kbreak.mbox --tree t --suite kunit-mm \
		--on recorded --json >kbreak.json 2>/dev/null &&
	python3 -c "
import json; r = json.load(open(\"kbreak.json\"))
s = r[\"suites\"][0]
assert (r[\"verdict\"], s[\"format\"]) == (\"regression\", \"kunit\"), (r[\"verdict\"], s[\"format\"])
bad = [c[\"name\"] for c in s[\"cases\"] if c[\"verdict\"] != \"pass\"]
assert bad == [\"list-kunit-test.list_test_list_rotate_to_front\"], bad
assert len(s[\"cases\"]) == 5 and s[\"runs\"][\"candidate\"] == 3, s" &&
	# a filter (kunit_tool'"'"'s filter_glob) keeps the cases it selects
	mkdir -p data/bench/suites && cp -r "$SRCDIR/bench/suites/kunit-mm" data/bench/suites/kunit-memcpy &&
	printf "\tfilter = memcpy\n" >>data/bench/suites/kunit-memcpy/suite.conf &&
	(cd t && git checkout -q -b kfilter base) &&
	commit "kunit-memcpy: the same console" "cp -r .pwb-recorded/kunit-mm .pwb-recorded/kunit-memcpy" &&
	(cd t && git checkout -q master) &&
	"$PWB" -c core.datadir="$TRASH/data" run --tree t --rev kfilter \
		--suite kunit-memcpy --on recorded --json >kf.json &&
	python3 -c "
import json; r = json.load(open(\"kf.json\"))[\"runs\"][0]
assert [c[\"name\"] for c in r[\"cases\"]] == [\"memcpy.memset_test\", \"memcpy.memcpy_test\"], r"
'

test_expect_success 'run --on recorded: per-case results; a suite with no recording is an infrastructure error' '
	test_expect_code 1 "$PWB" run --tree t --rev three --suite mmn-pairing \
		--repeat 2 --on recorded >run.txt &&
	test "$(grep -c "^mmn-pairing run ./2 on [0-9a-f]\{12\}: failed" run.txt)" = 2 &&
	grep -q "^  fail     oom_4_fail_middle" run.txt &&
	mkdir -p data/bench/suites && cp -r "$SRCDIR/bench/suites/mmn-pairing" data/bench/suites/unrecorded &&
	sed -i "/module =/d" data/bench/suites/unrecorded/suite.conf &&
	test_expect_code 3 "$PWB" -c core.datadir="$TRASH/data" run --tree t --rev base \
		--suite unrecorded --on recorded >/dev/null 2>err &&
	grep -q "no recorded console .pwb-recorded/unrecorded/0" err &&
	test_fails_with "recorded backend needs a tree and a revision" \
		"$PWB" -c core.datadir="$TRASH/data" run --kernel t/mm/mmu_notifier.c \
		--suite unrecorded --on recorded
'

test_done
