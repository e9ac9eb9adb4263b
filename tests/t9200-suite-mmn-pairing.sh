#!/bin/sh
# Kernel tier: the suites on v6.1-debian and on each fixture series in
# patches/, as patches/README.md says they must come out:
#   mmn-pairing: base all pass; mmn-undo-removal fails the 8 non-blocking
#   cases with 2+ subscriptions; mmn-big-hammer passes; mmn-3-series fails
#   the cases where the refusing subscription is not last; mmn-doc-fix passes.
#   oom-reaper: base reaps for every N; mmn-big-hammer cannot reap for N >= 2
#   (and the hog is killed too).
# And a guest that never finishes: timeout, partial results kept, no QEMU.
. "$(dirname "$0")/lib.sh"
kernel_tier

# cases (name=status) of the first run in a pwb run --json file
cases() {
	python3 -c "
import json, sys; r = json.load(open(sys.argv[1]))[\"runs\"][0]
for c in r[\"cases\"]: print(c[\"name\"] + \"=\" + c[\"status\"])" "$1"
}

# names of the cases that did not pass, one per line
failed_cases() {
	cases "$1" | grep -v "=pass$" | sed "s/=.*//"
}

test_expect_success 'setup: the fixture series applied to the 6.1 tree' '
	git clone -q --shared --no-checkout "$(ref_tree)" linux &&
	"$PWB" tree add linux linux &&
	for f in mmn-undo-removal mmn-big-hammer mmn-3-series mmn-doc-fix; do
		"$PWB" fetch --json "$SRCDIR/patches/$f.mbox" >s.json &&
		sid=$(python3 -c "import json; print(json.load(open(\"s.json\"))[\"id\"])") &&
		"$PWB" apply "$sid" --tree linux >/dev/null &&
		echo "pwb/$sid-v1" >"$f.branch" || return 1
	done
'

test_expect_success 'base: every case passes' '
	"$PWB" run --tree linux --rev v6.1-debian --suite mmn-pairing --json >base.json &&
	test "$(cases base.json | wc -l)" = 13 &&
	test -z "$(failed_cases base.json)" &&
	grep -q "\"status\": \"passed\"" base.json
'

test_expect_success 'mmn-undo-removal: the multi-subscription reaper cases fail' '
	"$PWB" run --tree linux --rev "$(cat mmn-undo-removal.branch)" \
		--suite mmn-pairing --json >bad.json;
	test $? = 1 &&
	failed_cases bad.json | sort >actual &&
	sort >expect <<-\EOF &&
	oom_2_fail_first
	oom_2_fail_last
	oom_3_fail_first
	oom_3_fail_middle
	oom_3_fail_last
	oom_4_fail_first
	oom_4_fail_middle
	oom_4_fail_last
	EOF
	test_cmp expect actual &&
	python3 -c "
import json; r = json.load(open(\"bad.json\"))[\"runs\"][0]
d = [x[\"diag\"] for x in r[\"cases\"] if x[\"name\"] == \"oom_2_fail_first\"][0]
assert \"fails=0\" in d and \"ends=0\" in d, d" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM case_results")" = 26 &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(status) FROM suite_runs ORDER BY id")" = "passed,failed"
'

test_expect_success 'mmn-big-hammer: pairing holds (the reaper is refused before any start)' '
	"$PWB" run --tree linux --rev "$(cat mmn-big-hammer.branch)" \
		--suite mmn-pairing --json >hammer.json &&
	test -z "$(failed_cases hammer.json)" &&
	python3 -c "
import json; r = json.load(open(\"hammer.json\"))[\"runs\"][0]
d = [x[\"diag\"] for x in r[\"cases\"] if x[\"name\"] == \"oom_3_fail_middle\"][0]
assert \"unable to reap\" in d and \"refused=0\" in d, d"
'

test_expect_success 'mmn-3-series: the tip ends subscriptions that never started' '
	"$PWB" run --tree linux --rev "$(cat mmn-3-series.branch)" \
		--suite mmn-pairing --json >three.json;
	test $? = 1 &&
	failed_cases three.json | sort >actual &&
	sort >expect <<-\EOF &&
	oom_2_fail_first
	oom_3_fail_first
	oom_3_fail_middle
	oom_4_fail_first
	oom_4_fail_middle
	EOF
	test_cmp expect actual
'

test_expect_success 'mmn-doc-fix: every case passes' '
	"$PWB" run --tree linux --rev "$(cat mmn-doc-fix.branch)" \
		--suite mmn-pairing --json >doc.json &&
	test "$(cases doc.json | wc -l)" = 13 &&
	test -z "$(failed_cases doc.json)"
'

# metric=value lines of every run in a pwb run --json file
samples() {
	python3 -c "
import json, sys
for r in json.load(open(sys.argv[1]))[\"runs\"]:
    for m in r[\"metrics\"]: print(\"%s=%g\" % (m[\"name\"], m[\"value\"]))" "$1"
}

test_expect_success 'oom-reaper on the base: reaped for N = 0, 1, 2, 4; samples stored with units' '
	"$PWB" run --tree linux --rev v6.1-debian --suite oom-reaper --repeat 2 \
		--json >oom-base.json &&
	samples oom-base.json >s &&
	for n in 0 1 2 4; do
		test "$(grep -c "^reaped/subs=$n=1$" s)" = 2 &&
		test "$(grep -c "^oom_kills/subs=$n=1$" s)" = 2 &&
		test "$(grep -c "^hog_ms/subs=$n=" s)" = 2 || return 1
	done &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM metric_samples m
		JOIN suite_runs r ON r.id = m.run_id WHERE r.suite = '"'"'oom-reaper'"'"'")" = 32 &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(DISTINCT unit) FROM
		(SELECT unit FROM metric_samples ORDER BY unit)")" = "bool,count,kB,ms" &&
	test "$(sqlite3 "$PWB_DB" "SELECT max(value) FROM metric_samples
		WHERE name LIKE '"'"'anon_rss/%'"'"'")" -lt 4096
'

test_expect_success 'oom-reaper on mmn-big-hammer: no reaping for N >= 2, the hog is killed too' '
	"$PWB" run --tree linux --rev "$(cat mmn-big-hammer.branch)" \
		--suite oom-reaper --repeat 1 --json >oom-hammer.json &&
	samples oom-hammer.json >s &&
	grep -q "^reaped/subs=0=1$" s &&
	grep -q "^reaped/subs=1=1$" s &&
	grep -q "^reaped/subs=2=0$" s &&
	grep -q "^reaped/subs=4=0$" s &&
	grep -q "^oom_kills/subs=2=2$" s &&
	! grep -q "^hog_ms/subs=2=" s &&
	test "$(grep "^anon_rss/subs=4=" s | sed "s/.*=//")" -gt 100000
'

test_expect_success 'a guest that never finishes: timeout, partial results kept, no QEMU left' '
	mkdir -p data/bench/suites/hang/guest data/bench/configs tmp &&
	cp "$SRCDIR/bench/configs/qemu-x86_64.config" data/bench/configs/ &&
	cat >data/bench/suites/hang/suite.conf <<-\EOF &&
	[suite]
		format = metrics
		program = guest/hang.c
		run = /pwb/hang
		timeout = 60
		idletimeout = 10
	EOF
	cat >data/bench/suites/hang/guest/hang.c <<-\EOF &&
	#include <stdio.h>
	#include <unistd.h>
	int main(void)
	{
		printf("pwb-metric first/x 1.5 ms\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	EOF
	TMPDIR="$TRASH/tmp" PWB_DATADIR="$TRASH/data" \
		"$PWB" run --tree linux --rev v6.1-debian --suite hang --json >hang.json;
	test $? = 1 &&
	grep -q "\"status\": \"timeout\"" hang.json &&
	test "$(sqlite3 "$PWB_DB" "SELECT m.name || m.value || m.unit FROM metric_samples m
		JOIN suite_runs r ON r.id = m.run_id WHERE r.suite = '"'"'hang'"'"'")" = "first/x1.5ms" &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM boots ORDER BY id DESC LIMIT 1")" = timeout &&
	! pgrep -f "$TRASH/tmp" &&
	test -z "$(ls tmp)"
'

test_done
