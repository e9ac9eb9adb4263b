#!/bin/sh
# Run the unit tests (cmocka, TAP output) and the end-to-end tests
# (tests/tNNNN-*.sh, TAP), then print one line: "N passed, N failed".
#   --unit    unit tests only
#   PWB_TESTS="t0100 t0200"   only the end-to-end scripts named
#   PWB_SANITIZE=1  the unit tests and the tiers without a kernel build
#                   run with the -fsanitize=address,undefined build
#                   (build-san/, bin/pwb-san; `make san`) instead of the
#                   plain one, once: any sanitizer report (written under
#                   $SAN_LOGS) fails the test; the kernel tier then runs
#                   with the plain build (make check)
set -u
cd "$(dirname "$0")/.." || exit 1

pass=0
fail=0
skip=0
failed_names=""
only_unit=0
[ "${1:-}" = "--unit" ] && only_unit=1

# seconds per tier, printed at the end
t_unit=0 t_fast=0 t_fuzz=0 t_slurm=0 t_kernel=0
run_t0=$(date +%s)
tier_of() {
	case ${1#san/} in
	unit/*) echo unit ;;
	t9*) echo kernel ;;
	t0950-*) echo fuzz ;;
	t1000-*) echo slurm ;;
	*) echo fast ;;
	esac
}

run_one() {
	name=$1
	shift
	log=$(mktemp)
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	tier=$(tier_of "$name")
	eval "t_$tier=\$((t_$tier + $(date +%s) - t0))"
	if [ -n "${SAN_LOGS:-}" ] && [ -n "$(ls "$SAN_LOGS" 2>/dev/null)" ]; then
		echo "not ok - sanitizer reports:" >>"$log"
		cat "$SAN_LOGS"/* | head -n 60 >>"$log"
		rm -f "$SAN_LOGS"/*
	fi
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^ok .*# SKIP' "$log")
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	secs=$(($(date +%s) - t0))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed, $secs s)"
		grep -v -e '^ok ' -e '^#|' "$log" | sed 's/^/    /' | head -n 80
		failed_names="$failed_names $name"
	else
		echo "ok   $name ($p passed${s:+, $s skipped}, $secs s)" | sed 's/, 0 skipped//'
		# say why, once per reason
		grep '^ok .*# SKIP' "$log" | sed 's/^.*# SKIP */    skipped: /' | sort -u
	fi
	# what the test reports whatever its outcome (t9400's table), never
	# cut by the 80 lines of a failure's output
	grep '^#|' "$log" | sed 's/^/    /'
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	rm -f "$log"
}

# one pass: PREFIX UNIT_DIR WHICH: all; or nokernel, plain, kernel: the
# scripts without a kernel build but those of plain, the two that need
# the plain build (valgrind's, and the fuzz targets' own sanitizers), the
# t9xxx ones
pass_all() {
	if [ "$3" = all ] || [ "$3" = nokernel ]; then
		for t in "$2"/test-*; do
			[ -x "$t" ] || continue
			run_one "$1unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		done
	fi
	[ $only_unit -eq 0 ] || return 0
	for t in tests/t[0-9][0-9][0-9][0-9]-*.sh; do
		n=$(basename "$t" .sh)
		if [ -n "${PWB_TESTS:-}" ]; then
			case " $PWB_TESTS " in *" ${n%%-*} "*) ;; *) continue ;; esac
		fi
		case $3:$n in
		nokernel:t9*|nokernel:t0900-*|nokernel:t0950-*) continue ;;
		nokernel:*|plain:t0900-*|plain:t0950-*|kernel:t9*|all:*) ;;
		*) continue ;;
		esac
		run_one "$1$n" sh "$t"
	done
}

# the kernel tier's tests share one work directory (checkouts, build
# directories: tests/lib.sh), made here and removed at the end; and the
# reference tree they use is made in the background meanwhile, while the
# tiers before them run (ci/kernel-tree.sh takes a lock: a test that
# needs the tree first waits for it)
kwork=
ktree=
case " ${PWB_TESTS:-t9} " in *" t9"*) kernel=1 ;; *) kernel=0 ;; esac
if [ $only_unit -eq 0 ] && [ -z "${PWB_FAST:-}" ] && [ $kernel = 1 ] &&
   [ -z "${PWB_TEST_WORKDIR:-}" ]; then
	kwork=$(mktemp -d "${TMPDIR:-/tmp}/pwb-kernel.XXXXXX") || exit 1
	export PWB_TEST_WORKDIR="$kwork"
	trap 'if [ -n "$ktree" ]; then kill "$ktree" 2>/dev/null; wait "$ktree"; fi; rm -rf "$kwork"' EXIT
	trap 'exit 130' INT TERM
	sh ci/kernel-tree.sh >"$kwork/kernel-tree.log" 2>&1 &
	ktree=$!
fi

san=
if [ "${PWB_SANITIZE:-0}" = 1 ]; then
	# everything but the kernel tier once, under the sanitizers: the same
	# tests as the plain pass, which would only repeat them
	san=" (unit, fast and slurm under ASan and UBSan)"
	SAN_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/pwb-san.XXXXXX")
	export ASAN_OPTIONS="log_path=$SAN_LOGS/asan:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
	export UBSAN_OPTIONS="log_path=$SAN_LOGS/ubsan:print_stacktrace=1:halt_on_error=1"
	export LSAN_OPTIONS="suppressions=$PWD/ci/lsan.supp:print_suppressions=0"
	PWB_BIN="$PWD/bin/pwb-san" pass_all "san/" build-san/tests nokernel
	rm -rf "$SAN_LOGS"
	unset SAN_LOGS ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
	pass_all "" build/tests plain
	pass_all "" build/tests kernel
else
	pass_all "" build/tests all
fi

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "time per tier: unit ${t_unit} s, fast ${t_fast} s, fuzz ${t_fuzz} s, slurm ${t_slurm} s, kernel ${t_kernel} s, all $(($(date +%s) - run_t0)) s$san"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
