#!/bin/sh
# The libFuzzer targets (make fuzz-build): the seeds and every saved crash
# (tests/fuzz/regress/) replayed, then FUZZ_SECONDS of fuzzing per target
# (60 in make check; 0, replay only, under make check-fast).
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SRCDIR/build-fuzz/fuzz/fuzz-thread" ]; then
	test_skip "fuzzing" "no fuzz targets (make fuzz-build; clang)"
	test_done
fi
if [ -n "${PWB_BIN:-}" ]; then
	test_skip "fuzzing" "the plain build only (the fuzz targets have their own sanitizers)"
	test_done
fi
secs=${FUZZ_SECONDS:-60}
[ -n "${PWB_FAST:-}" ] && secs=${FUZZ_SECONDS:-0}

test_expect_success "every fuzz target: replay, then ${secs}s each, no crash" '
	FUZZ_SECONDS=$secs sh "$SRCDIR/ci/fuzz.sh" >fuzz.out 2>&1;
	rc=$?;
	sed "s/^/# /" fuzz.out;
	test $rc = 0 && test "$(grep -c "^ok - " fuzz.out)" = 3
'

test_done
