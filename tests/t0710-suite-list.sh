#!/bin/sh
# pwb suite list: the suites of bench/suites with what each tests, its
# format and config; a suite that does not load is named; the worked
# example of docs/suites.md is a suite that loads (and, with a prebuilt
# kernel and QEMU, passes).
. "$(dirname "$0")/lib.sh"

test_expect_success 'the real suites, with their descriptions, format and config, within 80 columns' '
	"$PWB" suite list >wrapped &&
	! grep -q "^.\{81\}" wrapped &&
	# a description goes on under itself: join it back
	awk "substr(\$0, 1, 37) ~ /^ +\$/ && substr(\$0, 38, 1) != \" \" {
		sub(/^ +/, \"\"); prev = prev \" \" \$0; next }
	     { if (NR > 1) print prev; prev = \$0 } END { print prev }" wrapped >out &&
	for s in hmm kunit-mm mmn-pairing oom-reaper; do
		d=$(sed -n "s/^[[:space:]]*description = //p" \
			"$SRCDIR/bench/suites/$s/suite.conf") &&
		grep -q "^$s  *[a-z]*  *qemu-x86_64  *$d\$" out ||
		{ echo "$s: $d"; cat out; return 1; }
	done &&
	grep -q "^oom-reaper  *metrics " out &&
	grep -q "^hmm  *kselftest " out &&
	grep -q "^kunit-mm  *kunit " out &&
	grep -q "^mmn-pairing  *ktap " out &&
	test "$(sed -n "1s/ .*//p" out)" = hmm
'

test_expect_success 'suite list --json' '
	"$PWB" suite list --json >s.json &&
	python3 -c "
import json; s = {x[\"name\"]: x for x in json.load(open(\"s.json\"))}
assert s[\"oom-reaper\"][\"format\"] == \"metrics\", s
assert \"hog_ms\" in s[\"oom-reaper\"][\"metrics\"], s
assert s[\"hmm\"][\"kmodules\"] == [\"test_hmm\"], s
assert s[\"kunit-mm\"][\"kunitconfig\"] == \"kunitconfig\", s
assert s[\"mmn-pairing\"][\"config\"] == \"qemu-x86_64\", s
assert s[\"mmn-pairing\"][\"description\"].startswith(\"mmu-notifier\"), s"
'

test_expect_success 'usage: an unknown sub-command, no sub-command, extra operands' '
	test_fails_with "not a suite sub-command" "$PWB" suite frob &&
	test_expect_code 129 "$PWB" suite frob 2>/dev/null &&
	test_expect_code 129 "$PWB" suite 2>/dev/null &&
	test_expect_code 129 "$PWB" suite list extra 2>/dev/null &&
	"$PWB" suite --help >h && grep -q "^usage: pwb suite list" h
'

test_expect_success 'a suite that does not load is named; the others are listed' '
	mkdir -p data/bench/suites/good data/bench/suites/bad \
		data/bench/suites/.hidden data/bench/suites/notasuite &&
	printf "[suite]\n\tdescription = fine\n\tformat = ktap\n\trun = true\n" \
		>data/bench/suites/good/suite.conf &&
	cp data/bench/suites/good/suite.conf data/bench/suites/.hidden/ &&
	printf "[suite]\n\tformat = xml\n\trun = true\n" \
		>data/bench/suites/bad/suite.conf &&
	PWB_DATADIR="$TRASH/data" "$PWB" suite list >out 2>err; test $? = 1 &&
	grep -q "suite bad: .*format must be" err &&
	test "$(cat out)" = "good         ktap       qemu-x86_64  fine"
'

test_expect_success 'no bench/suites is an error naming the directory' '
	PWB_DATADIR="$TRASH/nowhere" "$PWB" suite list 2>err; test $? = 1 &&
	grep -q "nowhere/bench/suites" err
'

# The files of docs/suites.md's worked example: each a fenced block after
# a line "<!-- example: PATH -->".
extract_example() {
	awk -v root="$1" '
	/^<!-- example: .* -->$/ { path = $3; next }
	path != "" && /^```/ {
		if (!infile) { infile = 1; out = root "/" path;
			system("mkdir -p \"$(dirname \"" out "\")\""); next }
		infile = 0; path = ""; close(out); next }
	infile { print > out }' "$SRCDIR/docs/suites.md"
}

test_expect_success 'the worked example of docs/suites.md loads' '
	extract_example ex &&
	test -f ex/bench/suites/anon-zero/suite.conf &&
	test -f ex/bench/suites/anon-zero/guest/anon_zero.c &&
	PWB_DATADIR="$TRASH/ex" "$PWB" suite list >out &&
	grep -q "^anon-zero  *ktap  *qemu-x86_64  *anonymous memory" out
'

KERNEL=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -n "$KERNEL" ] && command -v qemu-system-x86_64 >/dev/null; then
	test_expect_success 'the worked example passes on a prebuilt kernel' '
		PWB_DATADIR="$TRASH/ex" "$PWB" run --kernel "$KERNEL" \
			--suite anon-zero >run.out &&
		grep -q "passed" run.out &&
		test "$(sqlite3 "$PWB_DB" "SELECT group_concat(name || \"=\" || status, \" \") FROM (SELECT name, status FROM case_results ORDER BY name)")" = \
			"dontneed_is_zero=pass fresh_is_zero=pass"
	'
else
	test_skip "the worked example on a prebuilt kernel" "no /boot/vmlinuz-* or QEMU (make deps)"
fi

test_done
