#!/bin/sh
# pwb check, matrix, bisect and run through the executor's recorded
# backend (--on recorded): no compiler, no QEMU, but the same executor,
# triage, KTAP and metric parsers, comparison and verdicts as the kernel
# tier.  Each commit of a small tree carries the consoles a kernel would
# have printed (.pwb-recorded/SUITE/N, src/exec/exec-recorded.h); the series
# are made with git format-patch and fetched from their mbox.
. "$(dirname "$0")/lib.sh"

# ktap FAILING... : the mmn-pairing console with those cases failing
ktap() {
	printf '[    0.000000] Linux version 6.1.0 (recorded)\n'
	printf '[    1.000000] Run /init as init process\n### pwb-init: start\n'
	printf 'KTAP version 1\n1..4\n'
	n=0
	for c in blockable_1 blockable_2_fail oom_2_fail_first oom_4_fail_middle; do
		n=$((n + 1))
		case " $* " in
		*" $c "*) printf 'not ok %d %s\n# a start without its end\n' $n $c ;;
		*) printf 'ok %d %s\n' $n $c ;;
		esac
	done
	printf '### pwb-init: end status=0\n[    2.000000] reboot: Restarting system\n'
}

# oom REAPED_AT_2_AND_4 JITTER: one oom-reaper boot's console
oom() {
	printf '[    0.000000] Linux version 6.1.0 (recorded)\n### pwb-init: start\n'
	for s in 0 1 2 4; do
		r=1 k=1 rss=0
		if [ "$s" -ge 2 ] && [ "$1" = 0 ]; then r=0 k=2 rss=180000; fi
		printf 'pwb-metric reaped/subs=%d %d bool\n' $s $r
		printf 'pwb-metric anon_rss/subs=%d %d kB\n' $s $rss
		printf 'pwb-metric hog_ms/subs=%d %d ms\n' $s $((300 + $2))
		printf 'pwb-metric oom_kills/subs=%d %d count\n' $s $k
	done
	printf '### pwb-init: end status=0\n'
}

# the mmn-pairing console of a kernel that oopses during case 3
ktap_oops() {
	ktap | sed -n "/^ok 3/q;p"
	printf '[    1.500000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n'
	printf '[    1.500001] Oops: 0000 [#1] PREEMPT SMP NOPTI\n'
	printf '[    1.500002] RIP: 0010:mn_itree_inv_start_range+0x12/0x80\n'
	printf '[    1.500003] Kernel panic - not syncing: Fatal exception\n'
}

# the mmn-pairing console, every case passing, with kernel reports in it:
# ktap_with warning|kasan...
ktap_with() {
	ktap | sed -n "/^ok 1/q;p"
	for r in "$@"; do
		case $r in
		warning)
			printf '[    1.100000] ------------[ cut here ]------------\n'
			printf '[    1.100001] WARNING: CPU: 0 PID: 1 at mm/vmscan.c:3034 shrink_lruvec+0x2f/0x40\n'
			printf '[    1.100002] Modules linked in: mmn_pairing\n'
			printf '[    1.100003] RIP: 0010:shrink_lruvec+0x2f/0x40\n'
			printf '[    1.100004] ---[ end trace 0000000000000000 ]---\n' ;;
		kasan)
			printf '[    1.200000] ==================================================================\n'
			printf '[    1.200001] BUG: KASAN: slab-out-of-bounds in __mmu_notifier_register+0x1a4/0x2c0\n'
			printf '[    1.200002] Write of size 1 at addr ffff888003a1c060 by task mmn_test/75\n'
			printf '[    1.200003] CPU: 0 PID: 75 Comm: mmn_test Not tainted 6.1.0 #1\n'
			printf '[    1.200004] Call Trace:\n'
			printf '[    1.200005]  <TASK>\n'
			printf '[    1.200006]  dump_stack_lvl+0x45/0x5d\n'
			printf '[    1.200007]  kasan_report+0xbb/0xf0\n'
			printf '[    1.200008]  __mmu_notifier_register+0x1a4/0x2c0\n'
			printf '[    1.200009]  mmu_notifier_register+0x3c/0x60\n'
			printf '[    1.200010]  </TASK>\n'
			printf '[    1.200011] ==================================================================\n' ;;
		esac
	done
	ktap | sed -n "/^ok 1/,\$p"
}

# ksuite T NAME "CASES" "FAILING": one KUnit module's KTAP as printk
# puts it on the console (timestamps, the suite's lines indented)
ksuite() {
	n=0 r=ok
	printf '[    2.%06d]     KTAP version 1\n[    2.%06d]     # Subtest: %s\n' $1 $1 "$2"
	printf '[    2.%06d]     1..%d\n' $1 $(echo $3 | wc -w)
	for c in $3; do
		n=$((n + 1))
		case " $4 " in
		*" $c "*) r="not ok"
			printf '[    2.%06d]     # %s: EXPECTATION FAILED at lib/list-test.c:%d\n' $1 "$c" $n
			printf '[    2.%06d]     not ok %d %s\n' $1 $n "$c" ;;
		*) printf '[    2.%06d]     ok %d %s\n' $1 $n "$c" ;;
		esac
	done
	printf '[    2.%06d] %s 1 %s\n' $1 "$r" "$2"
}

# kunit FAILING...: the kunit-mm console (the modules /pwb/kunit-run
# loads) with those cases failing
kunit() {
	printf '[    0.000000] Linux version 6.1.0 (recorded)\n### pwb-init: start\n'
	ksuite 1 list-kunit-test "list_test_list_init list_test_list_del list_test_list_rotate_to_front" "$*"
	ksuite 2 memcpy "memset_test memcpy_test" "$*"
	printf '### pwb-init: end status=0\n'
}

# hmm_tap [NEW] FAILING...: the hmm suite's console, hmm-tests' TAP as
# the kselftest harness prints it (a case's log before its result); NEW:
# with one case more (a test the series adds)
hmm_tap() {
	cases="hmm.hmm_device_private.open_close hmm.hmm_device_coherent.open_close hmm2.hmm2_device_private.snapshot"
	case " $* " in *" NEW "*) cases="$cases hmm.hmm_device_private.new_case" ;; esac
	printf '[    0.000000] Linux version 6.1.0 (recorded)\n### pwb-init: start\n'
	printf '[    1.000000] HMM test module loaded. This is only for testing HMM.\n'
	printf 'TAP version 13\n1..%d\n# Starting %d tests from 3 test cases.\n' \
		$(echo $cases | wc -w) $(echo $cases | wc -w)
	n=0
	for c in $cases; do
		n=$((n + 1))
		printf '#  RUN           %s ...\n' $c
		case " $* |$c" in
		*" $c "*)
			printf '# hmm-tests.c:1592:snapshot:Expected m[2] (2) == HMM_DMIRROR_PROT_ZERO | HMM_DMIRROR_PROT_READ (17)\n'
			printf '# snapshot: Test terminated by assertion\n#          FAIL  %s\nnot ok %d %s\n' $c $n $c ;;
		*"|"*coherent*)
			printf '#      SKIP      DEVICE_COHERENT not available\n#            OK  %s\n' $c
			printf 'ok %d %s # SKIP DEVICE_COHERENT not available\n' $n $c ;;
		*) printf '#            OK  %s\nok %d %s\n' $c $n $c ;;
		esac
	done
	printf '# Totals: pass:%d fail:0 xfail:0 xpass:0 skip:1 error:0\n### pwb-init: end status=0\n' $n
}

record_oom() {
	mkdir -p .pwb-recorded/oom-reaper &&
	i=0 && for j in 3 -4 8 0 -7; do
		oom "$1" $j >.pwb-recorded/oom-reaper/$i && i=$((i + 1))
	done
}

# series NAME SUBJECT-FILE-CMD...: commits on branch NAME from base, as an
# mbox NAME.mbox with a cover letter and base-commit
series() {
	(cd t && git format-patch -q --thread --cover-letter --base=base \
		-o "../$1.d" base.."$1" &&
		# covers made in the same second share a message-id
		sed -e "s/<cover\./<cover-$1./" -e "s/\*\*\* SUBJECT HERE \*\*\*/$1/" \
			../"$1".d/*.patch >../"$1".mbox)
}

commit() {
	(cd t && eval "$2" && git add -A && git commit -qm "$1")
}

test_expect_success 'setup: a tree whose commits carry their consoles, series made from it' '
	git init -q -b master t &&
	mkdir -p t/mm t/.pwb-recorded/mmn-pairing &&
	echo "int x;" >t/mm/mmu_notifier.c &&
	ktap >t/.pwb-recorded/mmn-pairing/0 &&
	mkdir -p t/.pwb-recorded/kunit-mm && kunit >t/.pwb-recorded/kunit-mm/0 &&
	(cd t && record_oom 1) &&
	commit base : && (cd t && git tag base) &&
	(cd t && git checkout -q -b three base) &&
	commit "mm/mmu_notifier: tidy" "echo /\* tidy \*/ >>mm/mmu_notifier.c" &&
	commit "mm/mmu_notifier: stop at the first failed non-blocking start" \
		"ktap oom_4_fail_middle >.pwb-recorded/mmn-pairing/0" &&
	commit "mm/mmu_notifier: document" "echo /\* doc \*/ >>mm/mmu_notifier.c" &&
	series three &&
	(cd t && git checkout -q -b hammer base) &&
	commit "mm/mmu_notifier: refuse non-blocking with several subscriptions" \
		"record_oom 0" &&
	series hammer &&
	(cd t && git checkout -q -b nobuild base) &&
	commit "mm: one" "echo 1 >mm/one.c" &&
	commit "mm: two, which does not build" \
		"printf \"failed\nmm/two.c:1:1: error: expected ; before }\n\" >.pwb-recorded/build" &&
	series nobuild &&
	(cd t && git checkout -q -b config base) &&
	commit "mm: select a debug option" "echo other-config >.pwb-recorded/config" &&
	series config &&
	(cd t && git checkout -q -b kasan base) &&
	commit "mm/mmu_notifier: one byte too far" "ktap_with kasan >.pwb-recorded/mmn-pairing/0" &&
	series kasan &&
	(cd t && git checkout -q -b clang base) &&
	commit "mm: built by another compiler" "echo \"Debian clang version 14.0.6\" >.pwb-recorded/toolchain" &&
	series clang &&
	(cd t && git checkout -q -b warn base) &&
	commit "mm: a kernel that warns" "ktap_with warning >.pwb-recorded/mmn-pairing/0" &&
	(cd t && git tag warnbase && git checkout -q -b warnsame warnbase) &&
	commit "mm: a comment" "echo /\* c \*/ >>mm/mmu_notifier.c" &&
	(cd t && git checkout -q -b warnkasan warnbase) &&
	commit "mm/mmu_notifier: one byte too far, on a kernel that warns" \
		"ktap_with warning kasan >.pwb-recorded/mmn-pairing/0" &&
	(cd t && git checkout -q -b oops base) &&
	commit "mm: corrupt the interval tree" "ktap_oops >.pwb-recorded/mmn-pairing/0" &&
	series oops &&
	(cd t && git checkout -q master) &&
	"$PWB" tree add t t >/dev/null &&
	test -s three.mbox && test -s hammer.mbox && test -s nobuild.mbox
'

boots() { sqlite3 "$PWB_DB" "SELECT count(*) FROM boots"; }

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
	"$PWB" report >three.txt &&
	grep -q "new-failure *oom_4_fail_middle" three.txt &&
	grep -q "^verdict: regression" three.txt
'

test_expect_success 'check again: the runs recorded count, nothing is booted again' '
	n=$(boots) &&
	"$PWB" check three.mbox --tree t --suite mmn-pairing --on recorded >/dev/null 2>&1;
	test $? = 1 &&
	test "$(boots)" = "$n"
'

test_expect_success 'bisect the series: patch 2/3, base and tip reused from the check' '
	"$PWB" bisect "$(sed -n "s/^Message-Id: <cover\./<cover-three./p" three.d/0000-cover-letter.patch)" \
		--tree t --suite mmn-pairing --on recorded --json >bisect.json &&
	python3 -c "
import json; r = json.load(open(\"bisect.json\"))
assert r[\"culprit\"][\"label\"].startswith(\"2/3 \"), r[\"culprit\"]
assert r[\"cycles\"] <= 2, r[\"cycles\"]"
'

test_expect_success 'bisect a range for one case: the first bad commit, exit 0; no culprit is exit 1' '
	"$PWB" bisect --tree t --good base --bad three --suite mmn-pairing \
		--case oom_4_fail_middle --on recorded >range.txt &&
	grep -q "^first bad: [0-9a-f]* mm/mmu_notifier: stop at the first failed" range.txt &&
	test_expect_code 1 "$PWB" bisect --tree t --good base --bad three \
		--suite mmn-pairing --case blockable_1 --on recorded >none.txt 2>&1
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
		--on recorded --retries 0 --json >flaky0.json 2>/dev/null &&
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
	grep -q "^mmn-pairing on t, x86_64, gcc, qemu-x86_64: pass [0-9]*/[0-9]* ([0-9]*%) on [0-9]* commits, flaky on 1 commit, last " hist.txt &&
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
	grep -q "new-failure *oom_2_fail_first *base 1/1 pass, candidate 0/3 pass; known flaky here (1 commit, [0-9]*/[0-9]* pass)" breaks.txt &&
	python3 -c "
import json
k = [x for x in json.load(open(\"breaks.json\"))[\"suites\"][0][\"cases\"] if x[\"verdict\"] != \"pass\"]
assert [(x[\"name\"], x[\"known_flaky\"][\"commits\"]) for x in k] == [(\"oom_2_fail_first\", 1)], k" &&
	test_expect_code 3 "$PWB" -c check.retries=-1 check flaky.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: check.retries = -1: a number from 0 to 100"
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

test_expect_success 'matrix over arches and toolchains: a cell each, the config follows the arch' '
	"$PWB" matrix three.mbox --tree t --suite mmn-pairing --arch x86_64 --arch arm64 \
		--toolchain gcc --toolchain clang --on recorded --json >ax.json 2>/dev/null;
	test $? = 1 &&
	python3 -c "
import json; m = json.load(open(\"ax.json\"))
cells = [(c[\"arch\"], c[\"toolchain\"], c[\"config\"], c[\"verdict\"]) for c in m[\"cells\"]]
assert cells == [(\"x86_64\", \"gcc\", \"qemu-x86_64\", \"regression\"),
                 (\"x86_64\", \"clang\", \"qemu-x86_64\", \"regression\"),
                 (\"arm64\", \"gcc\", \"qemu-arm64\", \"regression\"),
                 (\"arm64\", \"clang\", \"qemu-arm64\", \"regression\")], cells
assert [c[\"report\"][\"arch\"] for c in m[\"cells\"]] == [\"x86_64\", \"x86_64\", \"arm64\", \"arm64\"]" &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(DISTINCT arch || compiler || config_name) FROM builds
		WHERE arch = '\''arm64'\''")" = 2 &&
	"$PWB" matrix three.mbox --tree t --suite mmn-pairing --arch arm64 \
		--toolchain clang --on recorded >ax.txt 2>/dev/null;
	test $? = 1 &&
	grep -q "1 series x 1 base x 1 arch x 1 toolchain x 1 config x 1 suite" ax.txt &&
	grep -q " arm64 *clang *qemu-arm64 *regression" ax.txt
'

test_expect_success 'matrix with boots side by side: the base two cells share is booted once' '
	n=$(boots) &&
	"$PWB" -c boot.parallel=2 matrix harmless.mbox kasan.mbox --tree t --suite mmn-pairing \
		--config qemu-x86_64-debug --on recorded --json >par.json 2>/dev/null;
	test $? = 1 &&
	test "$(boots)" = $((n + 3)) &&
	python3 -c "
import json; m = json.load(open(\"par.json\"))
assert [c[\"verdict\"] for c in m[\"cells\"]] == [\"no-regression\", \"regression\"], m
assert [c[\"report\"][\"suites\"][0][\"runs\"] for c in m[\"cells\"]] == [{\"base\": 1, \"candidate\": 1}] * 2" &&
	test_expect_code 3 "$PWB" -c boot.parallel=many check harmless.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	test "$(grep -c "boot.parallel: .many. is not a number" err)" = 1
'

test_expect_success 'an arch or toolchain pwb does not know: one line naming it, exit 3' '
	test_expect_code 3 "$PWB" check three.mbox --tree t --suite mmn-pairing \
		--arch mips --on recorded >/dev/null 2>err &&
	grep -q "^pwb: error: --arch mips: not an arch pwb builds for (x86_64, arm64)" err &&
	test_expect_code 3 "$PWB" -c build.toolchain=icc check three.mbox --tree t \
		--suite mmn-pairing --on recorded >/dev/null 2>err &&
	grep -q "^pwb: error: build.toolchain = icc: not a toolchain pwb builds with (gcc, clang)" err &&
	test_expect_code 1 "$PWB" build --tree t --rev base --arch riscv64 2>err &&
	grep -q "arch riscv64: not an arch" err
'

test_expect_success 'matrix: two series, one batch each, the worst exit wins' '
	"$PWB" matrix harmless.mbox three.mbox --tree t --suite mmn-pairing \
		--on recorded --json >m.json 2>/dev/null;
	test $? = 1 &&
	python3 -c "
import json; m = json.load(open(\"m.json\"))
assert m[\"backend\"] == \"recorded\"
assert [c[\"verdict\"] for c in m[\"cells\"]] == [\"no-regression\", \"regression\"], m"
'

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
	grep -q "^  tests: each side.s own tree.s, base tools/testing/selftests/vm at [0-9a-f]\{12\}, candidate tools/testing/selftests/mm at [0-9a-f]\{12\}$" hb.txt &&
	grep -q "^  new-failure    hmm2.hmm2_device_private.snapshot" hb.txt &&
	grep -q "^  skipped        hmm.hmm_device_coherent.open_close SKIP DEVICE_COHERENT not available$" hb.txt &&
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

test_expect_success 'report --format patchwork: per patch, the bodies of patchwork'"'"'s checks API' '
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"three.json\"))[\"check\"])")" \
		--format patchwork >pw-three.json &&
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"nb.json\"))[\"check\"])")" \
		--format patchwork >pw-nb.json &&
	python3 - pw-three.json pw-nb.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	assert [p["patch"] for p in t] == [1, 2, 3], t
	got = [[(c["context"], c["state"]) for c in p["checks"]] for p in t]
	assert got == [[("pwb-build", "success")]] * 2 + \
	       [[("pwb-build", "success"), ("pwb-mmn-pairing", "fail")]], got
	last = t[2]["checks"][1]
	assert last["description"].startswith("1 regression, 0 fixed"), last
	assert all(c["target_url"].startswith("https://") for p in t for c in p["checks"])
	assert all(set(c) == {"state", "context", "description", "target_url"} for p in t for c in p["checks"])
	n = json.load(open(sys.argv[2]))
	assert [p["checks"][0]["state"] for p in n] == ["success", "fail"], n
	assert n[1]["checks"][0]["description"].startswith("build failed"), n
	EOF
'

test_expect_success 'b4-check: b4'"'"'s external check protocol on the series'"'"' mails' '
	ls three.d/*.patch >three.list && test $(wc -l <three.list) = 4 &&
	# the mails as the mbox has them (series() names the covers apart)
	for f in $(cat three.list); do
		sed "s/<cover\./<cover-three./" "$f" | "$PWB" b4-check >"$f.json" || return 1
	done &&
	"$PWB" b4-check <nobuild.d/0002-mm-two-which-does-not-build.patch >nb2.json &&
	printf "From: a@b\nSubject: x\nMessage-ID: <nobody@example.org>\n\nhi\n" |
		"$PWB" b4-check >unknown.json &&
	printf "From: a@b\nSubject: x\n\nno id\n" | "$PWB" b4-check >noid.json &&
	printf "From: a@b\nSubject: x\nMessage-ID: <\377x@example.org>\n\nhi\n" |
		"$PWB" b4-check >hostile.json &&
	"$PWB" --db "$TRASH/none.sqlite" b4-check <nobuild.d/0002-mm-two-which-does-not-build.patch >nodb.json 2>nodb.err &&
	# a fixture thread pwb has fetched but not checked: every mail says so
	"$PWB" -q fetch "$SRCDIR/patches/mmn-3-series.mbox" >/dev/null &&
	"$PWB" mailsplit --mboxrd "$SRCDIR/patches/mmn-3-series.mbox" fx >/dev/null &&
	for f in fx/*; do
		"$PWB" b4-check <"$f" >"$f.json" &&
		python3 -c "import json, sys; x = json.load(open(sys.argv[1])); assert [e[\"status\"] for e in x] == [\"warn\"], x" "$f.json" ||
		return 1
	done &&
	cp fx/0001.json fixture.json &&
	test ! -e "$TRASH/none.sqlite" &&
	python3 - $(cat three.list) <<-\EOF
	import json, sys
	r = [json.load(open(f + ".json")) for f in sys.argv[1:]]
	def st(x):
	    return [(e["tool"], e["status"]) for e in x]
	assert all(set(e) <= {"tool", "status", "summary", "url", "details"} for x in r for e in x)
	assert st(r[0]) == [("pwb-mmn-pairing", "fail")], r[0]          # the cover letter
	assert st(r[1]) == st(r[2]) == [("pwb-build", "pass")], r[1:3]
	assert st(r[3]) == [("pwb-build", "pass"), ("pwb-mmn-pairing", "fail")], r[3]
	assert "new-failure    oom_4_fail_middle" in r[3][1]["details"], r[3][1]
	assert r[3][1]["summary"].startswith("1 regression"), r[3][1]
	assert r[3][1]["url"].startswith("https://"), r[3][1]
	nb = json.load(open("nb2.json"))
	assert st(nb) == [("pwb-build", "fail")] and "expected ;" in nb[0]["details"], nb
	for f, want in (("unknown.json", "pwb does not know <nobody@example.org>"),
	                ("fixture.json", "pwb has not checked series"),
	                ("hostile.json", "pwb does not know <"),
	                ("noid.json", "pwb: the mail has no Message-ID"),
	                ("nodb.json", "pwb: no database to look in")):
	    x = json.load(open(f))
	    assert st(x) == [("pwb", "warn")] and x[0]["summary"].startswith(want), (f, x)
	EOF
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

KCIDB_SCHEMA="$SRCDIR/../shared/peer/kcidb/kcidb-v5.3.schema.json"

# kcidb CHECK-JSON OUT: pwb report --format kcidb of the check pwb check
# --json wrote, validated against KCIDB's own schema (jsonschema)
kcidb() {
	"$PWB" report "$(python3 -c "import json; print(json.load(open(\"$1\"))[\"check\"])")" \
		--format kcidb >"$2" &&
	python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))" \
		"$KCIDB_SCHEMA" "$2"
}

if [ -f "$KCIDB_SCHEMA" ] && python3 -c "import jsonschema" 2>/dev/null; then
test_expect_success 'report --format kcidb: a regression, valid KCIDB v5.3, a test per case and run' '
	kcidb three.json k-three.json &&
	python3 - k-three.json "$PWB_DB" <<-\EOF
	import hashlib, json, sqlite3, sys, zlib
	d = json.load(open(sys.argv[1]))
	assert d["version"] == {"major": 5, "minor": 3}
	(co,) = d["checkouts"]
	assert co["id"].startswith("pwb:check") and co["valid"] is True, co
	assert co["tree_name"] == "t" and len(co["git_commit_hash"]) == 40, co
	# KCIDB: sha256 over the newline-terminated sha256 of each patch
	db = sqlite3.connect(sys.argv[2])
	ids = [u["url"].split("/")[-2] for u in co["patchset_files"]]
	assert len(ids) == 3 and all(u["url"].endswith("/raw") for u in co["patchset_files"]), co
	raw = [zlib.decompress(db.execute("SELECT raw_gz FROM messages WHERE msgid = ?",
	                                   (m.replace("%40", "@"),)).fetchone()[0], 47) for m in ids]
	want = hashlib.sha256(b"".join(hashlib.sha256(r).hexdigest().encode() + b"\n" for r in raw)).hexdigest()
	assert co["patchset_hash"] == want, (co["patchset_hash"], want)
	assert [b["status"] for b in d["builds"]] == ["PASS"] * 4, d["builds"]
	assert {(b["architecture"], b["config_name"]) for b in d["builds"]} == {("x86_64", "qemu-x86_64")}
	base, tip = d["builds"][0]["id"], d["builds"][-1]["id"]
	# every run of each side (the checks and bisects since added runs)
	t = [(x["build_id"], x["status"]) for x in d["tests"] if x["path"] == "mmn_pairing.oom_4_fail_middle"]
	assert t[0] == (base, "PASS") and set(t[1:]) == {(tip, "FAIL")} and len(t) >= 4, t
	root = [x["status"] for x in d["tests"] if x["path"] == "mmn_pairing"]
	assert root == [s for _, s in t], root
	assert {x["path"] for x in d["tests"]} == {"mmn_pairing", "mmn_pairing.blockable_1",
	    "mmn_pairing.blockable_2_fail", "mmn_pairing.oom_2_fail_first", "mmn_pairing.oom_4_fail_middle"}
	assert len({x["id"] for x in d["tests"]}) == len(d["tests"])
	assert d["issues"] == [] and d["incidents"] == []
	EOF
'

test_expect_success 'report --format kcidb: a patch that does not build, one that does not apply' '
	kcidb nb.json k-nb.json &&
	python3 - k-nb.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert [b["status"] for b in d["builds"]] == ["PASS", "PASS", "FAIL"], d["builds"]
	assert "error: expected ; before }" in d["builds"][2]["log_excerpt"], d["builds"][2]
	assert d["checkouts"][0]["valid"] is True and d["tests"] == []
	EOF
	(cd t && git checkout -q -b moved base) &&
	commit "mm: long" "sed -i s/int/long/ mm/mmu_notifier.c" &&
	(cd t && git checkout -q -b conflict base) &&
	commit "mm: short" "sed -i s/int/short/ mm/mmu_notifier.c" &&
	series conflict && (cd t && git checkout -q master) &&
	test_expect_code 2 "$PWB" check conflict.mbox --tree t --base moved \
		--suite mmn-pairing --on recorded --json >conflict.json 2>/dev/null &&
	kcidb conflict.json k-conflict.json &&
	python3 - k-conflict.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["checkouts"][0]["valid"] is False, d["checkouts"]
	assert d["builds"] == [] and d["tests"] == [], d
	EOF
'

test_expect_success 'report --format kcidb: a console finding is an issue with an incident per run; metrics are numbers' '
	kcidb kasan.json k-kasan.json &&
	python3 - k-kasan.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	(i,) = d["issues"]
	assert i["report_subject"] == "KASAN: slab-out-of-bounds Write in __mmu_notifier_register", i
	assert i["categories"] == ["runtime.kasan"] and i["culprit"] == {"code": True}, i
	tests = {x["id"]: x for x in d["tests"]}
	(inc,) = d["incidents"]
	assert inc["issue_id"] == i["id"] and inc["present"] is True, inc
	t = tests[inc["test_id"]]
	assert t["path"] == "mmn_pairing" and t["build_id"] == d["builds"][-1]["id"], t
	EOF
	kcidb hammer.json k-hammer.json &&
	python3 - k-hammer.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	r = [x for x in d["tests"] if x["path"] == "oom_reaper.reaped.subs_2"]
	assert [(x["status"], x["number"]) for x in r] == [("DONE", {"value": 1, "unit": "bool"})] * 5 + \
	       [("DONE", {"value": 0, "unit": "bool"})] * 5, r
	EOF
	test_expect_code 1 "$PWB" -c kcidb.origin=Bad-Origin report --format kcidb >/dev/null 2>err &&
	test "$(cat err)" = "pwb: error: kcidb.origin = '"'"'Bad-Origin'"'"': lower-case letters, digits and _ (KCIDB'"'"'s origin)"
'
else
	test_skip "report --format kcidb" "no $KCIDB_SCHEMA or no python3-jsonschema"
fi

test_done
