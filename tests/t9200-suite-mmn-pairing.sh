#!/bin/sh
# Kernel tier: the mmn-pairing suite on v6.1-debian passes every case; on
# the fixture series patches/mmn-undo-removal (the 2019 bug) the
# non-blocking cases with two or more subscriptions fail and the rest pass.
. "$(dirname "$0")/lib.sh"
kernel_tier

test_expect_success 'setup: the fixture series applied to the 6.1 tree' '
	git clone -q --shared --no-checkout "$(ref_tree)" linux &&
	"$PWB" tree add linux linux &&
	"$PWB" fetch --json "$SRCDIR/patches/mmn-undo-removal.mbox" >s.json &&
	sid=$(python3 -c "import json; print(json.load(open(\"s.json\"))[\"id\"])") &&
	"$PWB" apply "$sid" --tree linux >/dev/null &&
	echo "pwb/$sid-v1" >branch
'

test_expect_success 'base: every case passes' '
	"$PWB" run --tree linux --rev v6.1-debian --suite mmn-pairing --json >base.json &&
	python3 -c "
import json; r = json.load(open(\"base.json\"))[\"runs\"][0]
c = {x[\"name\"]: x[\"status\"] for x in r[\"cases\"]}
assert len(c) == 13 and set(c.values()) == {\"pass\"}, c
assert r[\"status\"] == \"passed\""
'

test_expect_success 'mmn-undo-removal: the multi-subscription reaper cases fail' '
	"$PWB" run --tree linux --rev "$(cat branch)" --suite mmn-pairing --json >bad.json;
	test $? = 1 &&
	python3 -c "
import json; r = json.load(open(\"bad.json\"))[\"runs\"][0]
c = {x[\"name\"]: x[\"status\"] for x in r[\"cases\"]}
failed = sorted(n for n, s in c.items() if s != \"pass\")
want = sorted(\"oom_%d_fail_%s\" % (n, p) for n, ps in
              ((2, (\"first\", \"last\")), (3, (\"first\", \"middle\", \"last\")),
               (4, (\"first\", \"middle\", \"last\"))) for p in ps)
assert failed == want, failed
d = [x[\"diag\"] for x in r[\"cases\"] if x[\"name\"] == \"oom_2_fail_first\"][0]
assert \"fails=0\" in d and \"ends=0\" in d, d" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM case_results")" = 26 &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(status) FROM suite_runs ORDER BY id")" = "passed,failed"
'

test_done
