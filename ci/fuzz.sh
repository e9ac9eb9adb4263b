#!/bin/sh
# Run every libFuzzer target (make fuzz-build) for FUZZ_SECONDS each (60),
# seeded from the fixtures, after replaying its regression inputs
# (tests/fuzz/regress/<target>/: every crash found becomes one).  A crash
# is saved as build-fuzz/crash-<target>-* and fails the run.
#   FUZZ_SECONDS=0: replay the seeds and regression inputs only.
set -u
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
B="$SRCDIR/build-fuzz/fuzz"
SECONDS_EACH=${FUZZ_SECONDS:-60}
W=$(mktemp -d "${TMPDIR:-/tmp}/pwb-fuzz.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
fail=0

# fuzz-text picks its parser by the first byte
prefixed() { # SELECTOR-BYTE OUTDIR FILE...
	b=$1 out=$2
	shift 2
	mkdir -p "$out"
	for f in "$@"; do
		[ -f "$f" ] || continue
		{ printf "\\$(printf %03o "$b")"; head -c 65536 "$f"; } >"$out/$b-$(basename "$f")"
	done
}

seeds() { # TARGET DIR
	mkdir -p "$2"
	case $1 in
	fuzz-thread)
		cp "$SRCDIR"/tests/fixtures/threads/*.mbox "$SRCDIR"/patches/*.mbox "$2/" ;;
	fuzz-suite)
		for f in "$SRCDIR"/bench/suites/*/suite.conf; do
			cp "$f" "$2/$(basename "$(dirname "$f")").conf"
		done ;;
	fuzz-text)
		prefixed 0 "$2" "$SRCDIR"/patches/*.mbox
		prefixed 2 "$2" "$SRCDIR"/patches/mmn-3-series.mbox
		prefixed 4 "$2" "$SRCDIR"/tests/corpus/ktap/*
		prefixed 6 "$2" "$SRCDIR"/tests/corpus/console/*
		printf '\005pwb-metric hog_ms/subs=2 2153.5 ms\n[ 1.0] x\npwb-metric reaped/subs=2 1 bool\n' >"$2/5-metrics"
		printf '\001=?utf-8?q?[PATCH_v2_3/5]_mm:_fix?=\n' >"$2/1-subject"
		printf '\003a/../b\n' >"$2/3-path" ;;
	esac
}

for bin in "$B"/fuzz-*; do
	[ -x "$bin" ] || { echo "no fuzz targets: make fuzz-build" >&2; exit 1; }
	t=$(basename "$bin")
	corpus="$W/$t"
	seeds "$t" "$corpus"
	reg="$SRCDIR/tests/fuzz/regress/$t"
	# replay: the seeds and every past crash, once each
	if ! "$bin" -runs=0 -timeout=20 -close_fd_mask=3 "$corpus" ${reg:+$( [ -d "$reg" ] && echo "$reg")} \
		>"$W/$t.replay" 2>&1; then
		echo "not ok - $t replay"
		tail -n 30 "$W/$t.replay" | sed 's/^/    /'
		fail=1
		continue
	fi
	if [ "$SECONDS_EACH" -gt 0 ]; then
		# -max_total_time alone once ran 15 minutes in CI: bound it from
		# outside too (SIGINT: libFuzzer stops cleanly, exit 72)
		timeout -s INT $((SECONDS_EACH + 20)) "$bin" -max_total_time="$SECONDS_EACH" \
			-timeout=20 -rss_limit_mb=2048 -close_fd_mask=3 -max_len=65536 \
			-print_final_stats=1 -artifact_prefix="$SRCDIR/build-fuzz/crash-$t-" \
			"$corpus" >"$W/$t.log" 2>&1
		rc=$?
		if [ $rc = 0 ] || [ $rc = 72 ] || [ $rc = 124 ]; then
			echo "ok - $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$W/$t.log" |
				sed 's/.*: //') runs in ${SECONDS_EACH}s, $(ls "$corpus" | wc -l) corpus inputs"
		else
			echo "not ok - $t: crash (saved under build-fuzz/crash-$t-*)"
			grep -A 25 "ERROR:\|runtime error\|ALARM:" "$W/$t.log" | head -n 40 | sed 's/^/    /'
			fail=1
		fi
	else
		echo "ok - $t replay ($(ls "$corpus" | wc -l) seeds)"
	fi
done
exit $fail
