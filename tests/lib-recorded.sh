# tests/lib-recorded.sh: sourced by the tests of check, matrix, bisect,
# the reports and b4-check through the executor's recorded backend
# (--on recorded; t0860-t0865): no compiler, no QEMU, but the same
# executor, triage, KTAP and metric parsers, comparison and verdicts as
# the kernel tier.  Each commit of a small tree carries the consoles a
# kernel would have printed (.pwb-recorded/SUITE/N,
# src/exec/exec-recorded.h); the series are made with git format-patch
# and fetched from their mbox.  A script's first test is
#
#	test_expect_success "$RECORDED_SETUP" recorded_setup
#
# which makes that tree (t, a pwb tree of the same name) and the series
# three, hammer, nobuild, config, kasan, clang and oops (NAME.mbox, the
# patches in NAME.d/), and the branches warnbase, warnsame and warnkasan.

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

RECORDED_SETUP='setup: a tree whose commits carry their consoles, series made from it'

recorded_setup() {
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
}

boots() { sqlite3 "$PWB_DB" "SELECT count(*) FROM boots"; }
