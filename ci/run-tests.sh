#!/bin/sh
# Run the unit tests (cmocka, TAP output) and the end-to-end tests
# (tests/tNNNN-*.sh, TAP), then print one line: "N passed, N failed".
#   --unit    unit tests only
#   PWB_TESTS="t0100 t0200"   only the end-to-end scripts named
set -u
cd "$(dirname "$0")/.." || exit 1

pass=0
fail=0
skip=0
failed_names=""
only_unit=0
[ "${1:-}" = "--unit" ] && only_unit=1

run_one() {
	name=$1
	shift
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^ok .*# SKIP' "$log")
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed)"
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -n 80
		failed_names="$failed_names $name"
	else
		echo "ok   $name ($p passed${s:+, $s skipped})" | sed 's/, 0 skipped//'
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	rm -f "$log"
}

for t in build/tests/test-*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done

if [ $only_unit -eq 0 ]; then
	for t in tests/t[0-9][0-9][0-9][0-9]-*.sh; do
		n=$(basename "$t" .sh)
		if [ -n "${PWB_TESTS:-}" ]; then
			case " $PWB_TESTS " in *" ${n%%-*} "*) ;; *) continue ;; esac
		fi
		run_one "$n" sh "$t"
	done
fi

[ -n "$failed_names" ] && echo "failed:$failed_names"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
