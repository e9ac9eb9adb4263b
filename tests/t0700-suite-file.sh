#!/bin/sh
# Suite files are checked before anything is built: an unknown key, a
# missing program, a bad format, an unknown suite.
. "$(dirname "$0")/lib.sh"

mk_suite() { # name, conf lines
	mkdir -p "data/bench/suites/$1/guest" &&
	printf "[suite]\n%s\n" "$2" >"data/bench/suites/$1/suite.conf"
}
export PWB_DATADIR="$TRASH/data"

test_expect_success 'setup: a tree (never built by these tests)' '
	git init -q t && (cd t && git commit -q --allow-empty -m e)
'

test_expect_success 'an unknown key is named, before any build' '
	mk_suite bad1 "	format = ktap
	run = true
	colour = blue" &&
	test_fails_with "suite bad1: unknown key .suite.colour." \
		"$PWB" run --tree t --rev HEAD --suite bad1 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds")" = 0
'

test_expect_success 'a missing program is named' '
	mk_suite bad2 "	format = ktap
	run = true
	program = guest/nothere.c" &&
	test_fails_with "program .*guest/nothere.c is missing" \
		"$PWB" run --tree t --rev HEAD --suite bad2
'

test_expect_success 'a bad format, a bad number, a missing run command' '
	mk_suite bad3 "	format = xml
	run = true" &&
	test_fails_with "format must be ktap, metrics, kunit or kselftest, not .xml." "$PWB" run --tree t --rev HEAD --suite bad3 &&
	mk_suite bad4 "	format = ktap
	run = true
	mem = lots" &&
	test_fails_with "mem = .lots. is not a positive number" "$PWB" run --tree t --rev HEAD --suite bad4 &&
	mk_suite bad5 "	format = ktap" &&
	test_fails_with "no run command" "$PWB" run --tree t --rev HEAD --suite bad5
'

test_expect_success 'kunit suites: a kunitconfig that does not parse, a filter that is not a glob' '
	mk_suite k1 "	format = kunit
	kunitconfig = kunitconfig" &&
	printf "CONFIG_KUNIT=m\nLIST_KUNIT_TEST=m\n" >data/bench/suites/k1/kunitconfig &&
	test_fails_with "suite k1: kunitconfig: .*k1/kunitconfig:2: not CONFIG_NAME=VALUE: LIST_KUNIT_TEST=m" \
		"$PWB" run --tree t --rev HEAD --suite k1 &&
	mk_suite k2 "	format = kunit
	kunitconfig = ../../../../t/.git/config" &&
	test_fails_with "suite k2: kunitconfig: outside bench/suites" \
		"$PWB" run --tree t --rev HEAD --suite k2 &&
	mk_suite k3 "	format = kunit
	filter = \"x; reboot -f\"" &&
	test_fails_with "suite k3: filter = .x; reboot -f.: a glob of letters, digits and _-.\*?\[\]" \
		"$PWB" run --tree t --rev HEAD --suite k3 &&
	mk_suite k4 "	format = ktap
	run = true
	filter = list*" &&
	test_fails_with "suite k4: filter needs format = kunit" \
		"$PWB" run --tree t --rev HEAD --suite k4 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds")" = 0
'

test_expect_success 'an unknown suite and a path as a name' '
	test_fails_with "suite nope: .*suite.conf" "$PWB" run --tree t --rev HEAD --suite nope &&
	test_fails_with "is not a directory name" "$PWB" run --tree t --rev HEAD --suite ../x
'

test_expect_success 'metric sections: unknown key, bad values, wrong format' '
	mk_suite m1 "	format = metrics
	run = true
[metric \"hog_ms\"]
	colour = red" &&
	test_fails_with "suite m1: unknown key .metric.hog_ms.colour." \
		"$PWB" run --tree t --rev HEAD --suite m1 &&
	mk_suite m2 "	format = metrics
	run = true
[metric \"hog_ms\"]
	better = faster" &&
	test_fails_with "better = .faster. must be lower or higher" \
		"$PWB" run --tree t --rev HEAD --suite m2 &&
	mk_suite m3 "	format = metrics
	run = true
[metric \"hog_ms\"]
	threshold = 10 percent" &&
	test_fails_with "threshold = .10 percent. is not a number or a percentage" \
		"$PWB" run --tree t --rev HEAD --suite m3 &&
	mk_suite m4 "	format = ktap
	run = true
[metric \"hog_ms\"]
	unit = ms" &&
	test_fails_with "\[metric\] sections need format = metrics" \
		"$PWB" run --tree t --rev HEAD --suite m4 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM builds")" = 0
'

test_expect_success 'a module or program may be shared, but not from outside bench/suites' '
	mkdir -p data/bench/suites/lib/mod data/src &&
	echo "obj-m += x.o" >data/bench/suites/lib/mod/Kbuild &&
	echo "int main(void) { return 0; }" >data/src/p.c &&
	mk_suite out1 "	format = ktap
	run = true
	module = ../../src" &&
	test_fails_with "module directory .* is missing" \
		"$PWB" run --tree t --rev HEAD --suite out1 &&
	mk_suite out2 "	format = ktap
	run = true
	program = ../../src/p.c" &&
	test_fails_with "program .*p.c is missing" \
		"$PWB" run --tree t --rev HEAD --suite out2 &&
	mk_suite out3 "	format = ktap
	run = true
	program = /etc/hostname" &&
	test_fails_with "program .* is missing" \
		"$PWB" run --tree t --rev HEAD --suite out3 &&
	mk_suite in1 "	format = ktap
	run = true
	module = ../lib/mod" &&
	"$PWB" run --tree t --rev HEAD --suite in1 2>err; test $? -ne 0 &&
	! grep -q "is missing" err
'

test_expect_success 'the shipped suite files load (no unknown keys)' '
	unset PWB_DATADIR &&
	for s in mmn-pairing oom-reaper; do
		"$PWB" run --tree t --rev HEAD --suite $s 2>err; test $? -ne 0 &&
		! grep -q "unknown key\|is missing\|metric" err || return 1
	done
'

test_done
