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
		applied_branch $sid >"$f.branch" || return 1
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
	test "$(sqlite3 "$PWB_DB" "SELECT CAST(max(value) AS INTEGER) FROM metric_samples
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
	# the victim keeps what it touched: 45% of MemAvailable, about 105 MiB
	test "$(grep "^anon_rss/subs=4=" s | sed "s/.*=//")" -gt 50000
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

test_expect_success 'a suite module that does not build: an infrastructure error of the suite' '
	mkdir -p data2/bench/suites/badmod/module data2/bench/configs &&
	cp "$SRCDIR/bench/configs/qemu-x86_64.config" data2/bench/configs/ &&
	printf "[suite]\n\tformat = ktap\n\tmodule = module\n\trun = true\n" \
		>data2/bench/suites/badmod/suite.conf &&
	echo "obj-m += bad.o" >data2/bench/suites/badmod/module/Makefile &&
	echo "this is not C;" >data2/bench/suites/badmod/module/bad.c &&
	PWB_DATADIR="$TRASH/data2" "$PWB" run --tree linux --rev v6.1-debian \
		--suite badmod 2>err;
	test $? = 3 &&
	grep -q "suite badmod does not build against .*bad.c:1:1: error: unknown type name" err &&
	test "$(sqlite3 "$PWB_DB" "SELECT status FROM suite_runs WHERE suite = '"'"'badmod'"'"'")" = infra-error &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM suite_runs WHERE suite = '"'"'badmod'"'"' AND boot_id IS NOT NULL")" = 0
'

# --- pwb check, report, bisect on the fixtures -----------------------------

test_expect_success 'check mmn-big-hammer: the oom-reaper regression, exit 1' '
	"$PWB" check "$SRCDIR/patches/mmn-big-hammer.mbox" --tree linux \
		--suite mmn-pairing --suite oom-reaper --json >check-hammer.json;
	test $? = 1 &&
	python3 -c "
import json; r = json.load(open(\"check-hammer.json\"))
assert r[\"verdict\"] == \"regression\" and r[\"exit_code\"] == 1, r[\"verdict\"]
s = {x[\"suite\"]: x for x in r[\"suites\"]}
assert s[\"mmn-pairing\"][\"regressions\"] == 0
o = s[\"oom-reaper\"]
assert o[\"runs\"] == {\"base\": 5, \"candidate\": 5}, o[\"runs\"]
bad = sorted(m[\"name\"] for m in o[\"metrics\"] if m[\"verdict\"] == \"regression\")
assert bad == [\"anon_rss/subs=2\", \"anon_rss/subs=4\", \"oom_kills/subs=2\",
               \"oom_kills/subs=4\", \"reaped/subs=2\", \"reaped/subs=4\"], bad
ne = sorted(m[\"name\"] for m in o[\"metrics\"] if m[\"verdict\"] == \"not-enough-samples\")
assert ne == [\"hog_ms/subs=2\", \"hog_ms/subs=4\"], ne
assert o[\"correction\"] == \"bh\"
assert [b[\"status\"] for b in r[\"builds\"]] == [\"ok\", \"ok\"]"
'

test_expect_success 'report: text, and an email reply to the patch' '
	"$PWB" report >report.txt &&
	grep -q "^verdict: regression" report.txt &&
	grep -q "reaped/subs=2 .* regression" report.txt &&
	grep -q "Benjamini-Hochberg" report.txt &&
	"$PWB" report --format email >reply.txt &&
	grep -q "^Subject: Re: \[PATCH\] mm/mmu_notifier: refuse non-blocking" reply.txt &&
	grep -q "^In-Reply-To: <20190812101500.4242-1-hammer@example.org>" reply.txt &&
	grep -q "^Verdict: regression" reply.txt &&
	grep -q "^  pwb check " reply.txt &&
	grep -q "^pwb applied this series to [0-9a-f]\{12\} (config " reply.txt &&
	grep -q "^The base and the patch built;" reply.txt &&
	tr "\n" " " <reply.txt | grep -q "the base and the last patch were booted in QEMU (runs, base/candidate:.* oom-reaper [1-9][0-9]*/[1-9][0-9]*)" &&
	test -z "$(sed "1,/^\$/d" reply.txt | sed -n "/^| /d; /^.\{73,\}/p")"
'

test_expect_success 'check mmn-3-series with the broad build and coverage: every patch builds, the tip regresses, the changed lines ran' '
	"$PWB" -c check.broadbuild=true -c check.coverage=true check \
		"$SRCDIR/patches/mmn-3-series.mbox" --tree linux \
		--suite mmn-pairing --json >check-three.json;
	test $? = 1 &&
	python3 -c "
import json; r = json.load(open(\"check-three.json\"))
assert r[\"verdict\"] == \"regression\"
assert [b[\"idx\"] for b in r[\"builds\"]] == [0, 1, 2, 3]
assert all(b[\"status\"] == \"ok\" for b in r[\"builds\"])
c = [x[\"name\"] for x in r[\"suites\"][0][\"cases\"] if x[\"verdict\"] == \"new-failure\"]
assert len(c) == 5, c
# the broad build: mm/mmu_notifier.o under allmodconfig W=1 at each patch
b = {x[\"idx\"]: x for x in r[\"patch_checks\"] if x[\"check\"] == \"allmodconfig\"}
assert sorted(b) == [1, 2, 3] and all(x[\"status\"] == \"pass\" for x in b.values()), b
assert b[1][\"summary\"].startswith(\"no new warnings (1 object, allmodconfig W=1\"), b[1]
# coverage: 1/3 and 2/3 change code the pairing cases run, 3/3 a comment
v = {x[\"idx\"]: x for x in r[\"patch_checks\"] if x[\"check\"] == \"coverage\"}
assert sorted(v) == [1, 2, 3], v
for i in (1, 2):
    assert v[i][\"lines_changed\"] > 0 and v[i][\"lines_ran\"] > 0, v[i]
    assert \"changed lines ran\" in v[i][\"summary\"], v[i]
assert v[3][\"status\"] == \"skip\" and v[3][\"lines_changed\"] is None, v[3]"
'

test_expect_success 'check mmn-rename-left-behind: does-not-build under allmodconfig, naming the caller amdkfd kept' '
	"$PWB" -c check.broadbuild=true check \
		"$SRCDIR/patches/mmn-rename-left-behind.mbox" --tree linux \
		--suite mmn-pairing --json >check-rename.json;
	test $? = 2 &&
	python3 - check-rename.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert r["verdict"] == "does-not-build", r["verdict"]
	# every small config builds it: only allmodconfig has amdkfd
	assert [b["status"] for b in r["builds"]] == ["ok", "ok"], r["builds"]
	b = [x for x in r["patch_checks"] if x["check"] == "allmodconfig"]
	assert len(b) == 1 and b[0]["status"] == "fail", b
	# mm/ and xen (touched), amdkfd (through the amdgpu Makefile: it still
	# calls the old name), the first three includers of the header
	assert b[0]["summary"].startswith("1 error (6 objects, allmodconfig W=1"), b[0]
	assert b[0]["lines"].startswith("drivers/gpu/drm/amd/amdkfd/kfd_svm.c:103: error: "
	    "implicit declaration of function \x27mmu_interval_notifier_insert_locked\x27"), b[0]["lines"]
	EOF
	"$PWB" report >rename.txt &&
	unwrap_rows rename.txt | grep -q "^  1/1    allmodconfig fail  1 error" &&
	grep -q "^verdict: does-not-build, patch 1 does not build under allmodconfig" rename.txt &&
	"$PWB" report --format email >rename.eml &&
	grep -q "^patch 1/1 does not build under allmodconfig (1 error" rename.eml
'

test_expect_success 'check mmn-unran-warning: no regression, with the new W=1 warning of 1/2 and 0 of 1 changed lines ran in 2/2' '
	"$PWB" -c check.broadbuild=true -c check.coverage=true check \
		"$SRCDIR/patches/mmn-unran-warning.mbox" --tree linux \
		--suite mmn-pairing --json >check-unran.json &&
	python3 - check-unran.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert r["verdict"] == "no-regression", r["verdict"]
	c = {(x["idx"], x["check"]): x for x in r["patch_checks"]}
	w = c[(1, "allmodconfig")]
	assert w["status"] == "warn" and w["summary"].startswith("1 new warning (1 object"), w
	assert "mm/mmu_notifier.c:634: warning: variable \x27had\x27 set but not used" in w["lines"], w
	assert c[(2, "allmodconfig")]["status"] == "pass", c[(2, "allmodconfig")]
	# 1/2 changes a line every registration runs; 2/2 code no suite calls
	v1, v2 = c[(1, "coverage")], c[(2, "coverage")]
	assert (v1["status"], v1["lines_ran"], v1["lines_changed"]) == ("pass", 1, 1), v1
	assert (v2["status"], v2["lines_ran"], v2["lines_changed"]) == ("warn", 0, 1), v2
	assert v2["summary"] == "0 of 1 changed lines ran (mmu_interval_notifier_insert_locked)", v2
	EOF
	"$PWB" report >unran.txt &&
	unwrap_rows unran.txt | grep -q "^  2/2    coverage     warn  0 of 1 changed lines ran (mmu_interval_notifier_insert_locked)" &&
	grep -q "^verdict: no-regression, but 1 of 2 changed lines never ran (1 patch)" unran.txt &&
	"$PWB" report --format kcidb >unran.kcidb &&
	python3 - unran.kcidb <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	t = [x for x in d["tests"] if x["path"] == "patch.coverage" and x["misc"]["patch"] == 2]
	assert len(t) == 1 and t[0]["misc"]["lines_ran"] == 0 and t[0]["misc"]["lines_changed"] == 1, t
	EOF
'

test_expect_success 'check fault-two-arches: the broad build compiles the x86_64 file and lists the arm64 one as not compiled' '
	"$PWB" -c check.broadbuild=true check \
		"$SRCDIR/patches/fault-two-arches.mbox" --tree linux \
		--suite mmn-pairing --json >check-arches.json &&
	python3 - check-arches.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert r["verdict"] == "no-regression", r["verdict"]
	b = [x for x in r["patch_checks"] if x["check"] == "allmodconfig"]
	assert len(b) == 1 and b[0]["status"] == "warn", b
	# both touched files are objects; arm64'"'"'s is not built (kbuild would
	# enter its directory and fail on x86'"'"'s headers, before and after)
	assert b[0]["summary"].startswith("1 not compiled (2 objects, allmodconfig W=1"), b[0]
	assert b[0]["lines"] == ("not compiled: arch/arm64/mm/fault.o (another "
	                         "arch\x27s code, not built for x86_64)"), b[0]["lines"]
	EOF
	"$PWB" report >arches.txt &&
	unwrap_rows arches.txt | grep -q "^  1/1    allmodconfig warn  1 not compiled (2 objects" &&
	grep -q "not compiled: arch/arm64/mm/fault.o" arches.txt
'

test_expect_success 'check mmn-bad-trailers: no regression; the checks of its patch name a trailing blank, a Fixes: of no commit, no sign-off' '
	"$PWB" check "$SRCDIR/patches/mmn-bad-trailers.mbox" --tree linux \
		--suite mmn-pairing --json >check-trailers.json 2>check-trailers.err ||
		{ tail -n 5 check-trailers.err; false; } &&
	python3 - check-trailers.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	# they inform: the verdict is the build'"'"'s and the suite'"'"'s
	assert r["verdict"] == "no-regression", r["verdict"]
	c = {x["check"]: x for x in r["patch_checks"]}
	assert sorted(c) == ["checkpatch", "fixes", "kernel-doc", "signoff"] and all(x["idx"] == 1 for x in c.values()), c
	# a comment that is not kernel-doc: the tree'"'"'s scripts/kernel-doc finds nothing new
	k = c["kernel-doc"]
	assert (k["status"], k["summary"]) == ("pass", "0 new kernel-doc warnings in 1 file"), k
	# the tree'"'"'s own checkpatch.pl, its commit ids looked up in the tree
	cp = c["checkpatch"]
	assert (cp["status"], cp["summary"]) == ("fail", "2 errors, 1 warning"), cp
	assert "mm/oom_kill.c:621: ERROR: trailing whitespace" in cp["lines"], cp["lines"]
	assert "Unknown commit id '"'"'0123456789ab'"'"'" in cp["lines"], cp["lines"]
	f = c["fixes"]
	assert f["status"] == "fail" and "0123456789ab names no commit of the tree" in f["lines"], f
	s = c["signoff"]
	assert s["status"] == "fail" and s["summary"] == "no Signed-off-by: from the author, Tess Trailer <tess.trailer@example.org>", s
	EOF
	"$PWB" report >trailers.txt &&
	grep -q "^checks of each patch" trailers.txt &&
	unwrap_rows trailers.txt | grep -q "^  1/1    checkpatch   fail  2 errors, 1 warning" &&
	unwrap_rows trailers.txt | grep -q "^  1/1    signoff      fail  no Signed-off-by: from the author" &&
	grep -q "^verdict: no-regression" trailers.txt &&
	"$PWB" report --format email >trailers.eml &&
	grep -q "^        fixes: fail (Fixes: tags naming no commit of the base: 1 of" trailers.eml
'

test_expect_success 'bisect mmn-3-series: patch 2/3, in at most 2 build/boot cycles' '
	"$PWB" bisect "<20190820093000.777-0-tidy@example.org>" --tree linux \
		--suite mmn-pairing --json >bisect.json &&
	python3 -c "
import json; r = json.load(open(\"bisect.json\"))
assert r[\"culprit\"][\"label\"].startswith(\"2/3 \"), r[\"culprit\"]
assert r[\"cycles\"] <= 2 and r[\"log2_bound\"] == 2, r[\"cycles\"]" &&
	"$PWB" bisect --tree linux --good v6.1-debian --bad "$(cat mmn-3-series.branch)" \
		--suite mmn-pairing --case oom_4_fail_middle >range.txt &&
	grep -q "^first bad: .* stop at the first failed non-blocking start" range.txt &&
	grep -q "^0 build/boot cycles" range.txt
'

test_expect_success 'check mmn-doc-fix, killed with SIGKILL mid-boot: no QEMU left, the rerun resumes' '
	("$PWB" check "$SRCDIR/patches/mmn-doc-fix.mbox" --tree linux \
		--suite mmn-pairing --suite oom-reaper >/dev/null 2>&1 & echo $! >pid) &&
	# kill it while a QEMU of it has been running for a second (a boot
	# row appears only when a boot ends, and the next QEMU may start
	# seconds later, after a module build)
	killed= &&
	for i in $(seq 1200); do
		if pgrep -f "qemu-system-x86_64.*$KWORK" >/dev/null; then
			sleep 1
			if pgrep -f "qemu-system-x86_64.*$KWORK" >/dev/null; then
				kill -9 "$(cat pid)" && killed=yes
				break
			fi
		fi
		kill -0 "$(cat pid)" 2>/dev/null || { echo "check ended before any boot"; return 1; }
		sleep 0.5
	done &&
	test "$killed" = yes &&
	sleep 1 &&
	{ ! pgrep -af "qemu-system-x86_64.*$KWORK" || { echo "QEMU left running"; false; }; } &&
	{ ! pgrep -af "make.*$KWORK" || { echo "make left running"; false; }; } &&
	st=$(sqlite3 "$PWB_DB" "SELECT status FROM checks ORDER BY id DESC LIMIT 1") &&
	{ test "$st" = running || { echo "killed check is $st"; false; }; } &&
	{ "$PWB" check "$SRCDIR/patches/mmn-doc-fix.mbox" --tree linux \
		--suite mmn-pairing --suite oom-reaper --json >check-doc.json 2>err ||
		{ echo "rerun failed: $?"; tail -n 5 err; false; }; } &&
	{ grep -q "left running by a pwb that is gone" err || { cat err; false; }; } &&
	st=$(sqlite3 "$PWB_DB" "SELECT group_concat(status) FROM (SELECT status
		FROM checks ORDER BY id DESC LIMIT 2)") &&
	{ test "$st" = "done,interrupted" || { echo "checks: $st"; false; }; } &&
	python3 -c "
import json; r = json.load(open(\"check-doc.json\"))
assert r[\"verdict\"] == \"no-regression\", r[\"verdict\"]
o = [x for x in r[\"suites\"] if x[\"suite\"] == \"oom-reaper\"][0]
assert o[\"regressions\"] == 0 and o[\"improvements\"] == 0
assert o[\"runs\"][\"candidate\"] == 5"
'

test_expect_success 'two checks at once on one database and tree: both finish, one waits for the slot' '
	"$PWB" check "$SRCDIR/patches/mmn-undo-removal.mbox" --tree linux \
		--suite mmn-pairing --repeat 2 --json >c1.json 2>c1.err &
	p1=$! &&
	"$PWB" check "$SRCDIR/patches/mmn-big-hammer.mbox" --tree linux \
		--suite mmn-pairing --repeat 6 --json >c2.json 2>c2.err;
	r2=$?;
	wait $p1;
	r1=$?;
	test "$r1" = 1 && test "$r2" = 0 &&
	grep -q "in use; waiting" c1.err c2.err &&
	python3 -c "
import json
a = json.load(open(\"c1.json\")); b = json.load(open(\"c2.json\"))
assert a[\"verdict\"] == \"regression\" and b[\"verdict\"] == \"no-regression\"
# a regression: --repeat 2, and check.retries (2) more boots that fail again
assert a[\"suites\"][0][\"runs\"][\"candidate\"] == 4
assert b[\"suites\"][0][\"runs\"][\"candidate\"] == 6" &&
	test "$(sqlite3 "$PWB_DB" "PRAGMA integrity_check")" = ok
'

test_expect_success 'history: a series with its checks, a case across commits' '
	"$PWB" history "<20190820093000.777-0-tidy@example.org>" --json >h.json &&
	python3 -c "
import json; h = json.load(open(\"h.json\"))
assert [x[\"verdict\"] for x in h if x[\"check\"]] == [\"regression\"], h" &&
	"$PWB" history --case oom_2_fail_first --suite mmn-pairing --json >hc.json &&
	python3 -c "
import json; t = json.load(open(\"hc.json\"))
assert [(x[\"tree\"], x[\"arch\"], x[\"compiler\"], x[\"config\"]) for x in t] == [(\"linux\", \"x86_64\", \"gcc\", \"qemu-x86_64\")], t
h = {x[\"commit\"][:12]: x[\"result\"] for x in t[0][\"commits\"]}
assert h[\"$(git -C linux rev-parse v6.1-debian | cut -c1-12)\"] == \"pass\", h
assert \"fail\" in h.values(), h" &&
	test_fails_with "no results for case .nope." "$PWB" history --case nope
'

# --- the kernel's own KUnit tests ----------------------------------------

test_expect_success 'kunit-mm on v6.1-debian: every KUnit case of the build passes, per case' '
	"$PWB" run --tree linux --rev v6.1-debian --suite kunit-mm >kunit.txt 2>kunit.err ||
		{ tail -n 5 kunit.err; false; } &&
	grep -q "^kunit-mm run 1/1 on [0-9a-f]\{12\}: passed" kunit.txt &&
	grep -q "^  pass     list-kunit-test.list_test_list_init" kunit.txt &&
	grep -q "^  pass     list_sort.list_sort_test" kunit.txt &&
	grep -q "^  pass     memcpy.memset_test" kunit.txt &&
	! grep -q "^  \(fail\|crashed\)" kunit.txt
'

test_expect_success 'check list-sort-unstable with kunit-mm: a regression naming list_sort.list_sort_test' '
	"$PWB" check "$SRCDIR/patches/list-sort-unstable.mbox" --tree linux \
		--suite kunit-mm --json >check-sort.json 2>check-sort.err;
	test $? = 1 || { tail -n 5 check-sort.err; false; } &&
	python3 -c "
import json; r = json.load(open(\"check-sort.json\"))
s = r[\"suites\"][0]
assert r[\"verdict\"] == \"regression\", r[\"verdict\"]
bad = [(c[\"name\"], c[\"verdict\"]) for c in s[\"cases\"] if c[\"verdict\"] != \"pass\"]
assert bad == [(\"list_sort.list_sort_test\", \"new-failure\")], bad" &&
	"$PWB" report >sort.txt &&
	grep -q "new-failure *list_sort.list_sort_test" sort.txt &&
	grep -q "order of equivalent elements not preserved" sort.txt
'

# --- the kernel's own HMM selftest ----------------------------------------

test_expect_success 'hmm on v6.1-debian: every device-private case of the tree'"'"'s hmm-tests passes, the coherent ones skip saying why' '
	"$PWB" run --tree linux --rev v6.1-debian --suite hmm --json >hmm.json 2>hmm.err ||
		{ tail -n 5 hmm.err; false; } &&
	python3 - hmm.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))["runs"][0]
	assert r["status"] == "passed", (r["status"], r["error"])
	by = {}
	for c in r["cases"]:
	    by.setdefault(c["status"], []).append(c)
	assert set(by) == {"pass", "skip"}, sorted(by)
	# 29 tests, each a device-private and a device-coherent variant
	assert len(r["cases"]) == 58, len(r["cases"])
	assert all("_device_private." in c["name"] for c in by["pass"]), by["pass"]
	for c in by["skip"]:
	    assert "_device_coherent." in c["name"], c["name"]
	    assert c["directive"] == "SKIP DEVICE_COHERENT not available", c
	names = {c["name"] for c in by["pass"]}
	for want in ("hmm.hmm_device_private.migrate", "hmm.hmm_device_private.anon_write_hugetlbfs",
	             "hmm.hmm_device_private.hmm_gup_test", "hmm2.hmm2_device_private.snapshot"):
	    assert want in names, (want, sorted(names))
	EOF
	test "$(sqlite3 "$PWB_DB" "SELECT tests_from FROM suite_runs WHERE suite = '"'"'hmm'"'"'")" = \
		"tools/testing/selftests/vm at $(git -C linux rev-parse v6.1-debian^0)"
'

test_done
