#!/bin/sh
# pwb boot on bad input: one error line naming what was wrong, the exit
# status of its kind (docs/cli.md: 129 usage, 3 what pwb cannot boot with,
# 1 a bad config value or tree), and nothing in the database: no boot, no
# build.  No QEMU and no kernel are needed: everything here is refused
# before either would be.
. "$(dirname "$0")/lib.sh"

# nothing was recorded (the database exists once pwb boot opened it)
nothing_recorded() {
	test "$(sqlite3 "$PWB_DB" "SELECT (SELECT count(*) FROM boots) + (SELECT count(*) FROM builds)")" = 0
}
echo "not a kernel" >junk

test_expect_success 'usage errors exit 129 and name the mistake' '
	test_fails_with "boot needs --kernel, or --tree and --rev" "$PWB" boot &&
	test_expect_code 129 "$PWB" boot 2>/dev/null &&
	test_fails_with "boot takes --kernel or --tree, not both" \
		"$PWB" boot --kernel "$TRASH/junk" --tree linux --rev HEAD &&
	test_expect_code 129 "$PWB" boot --kernel "$TRASH/junk" --tree linux --rev HEAD 2>/dev/null &&
	test_fails_with "boot --tree needs --rev" "$PWB" boot --tree linux &&
	test_expect_code 129 "$PWB" boot --tree linux 2>/dev/null &&
	test_fails_with "--rev and --config go with --tree, not --kernel" \
		"$PWB" boot --kernel "$TRASH/junk" --config qemu-x86_64 &&
	test_fails_with "unknown option .--kernal." "$PWB" boot --kernal "$TRASH/junk" &&
	test_expect_code 129 "$PWB" boot --kernal "$TRASH/junk" 2>/dev/null &&
	test_fails_with "boot takes no operands" "$PWB" boot --kernel "$TRASH/junk" "uname -r" &&
	test_fails_with "--file takes SRC:/DST (DST a path in the guest), not .payload:pwb." \
		"$PWB" boot --kernel "$TRASH/junk" --file payload:pwb &&
	test_expect_code 129 "$PWB" boot --kernel "$TRASH/junk" --file payload:pwb 2>/dev/null &&
	test_fails_with "--mem takes 1..1048576, not .0." "$PWB" boot --kernel "$TRASH/junk" --mem 0 &&
	test_expect_code 129 "$PWB" boot --kernel "$TRASH/junk" --timeout x 2>/dev/null &&
	nothing_recorded
'

test_expect_success 'the usage goes with a usage error, on stderr only' '
	"$PWB" boot --kernel "$TRASH/junk" --tree linux >out 2>err; test $? = 129 &&
	test ! -s out &&
	grep -q "^usage: pwb boot (--kernel IMAGE | --tree T --rev REV" err &&
	"$PWB" boot --help >out 2>err &&
	grep -q "^usage: pwb boot" out && test ! -s err
'

test_expect_success 'a kernel image that is not there: exit 3, no boot recorded' '
	test_fails_with "kernel image /no/such/kernel: No such file or directory" \
		"$PWB" boot --kernel /no/such/kernel &&
	test_expect_code 3 "$PWB" boot --kernel /no/such/kernel 2>/dev/null &&
	"$PWB" boot --kernel /no/such/kernel --json >out 2>/dev/null; test $? = 3 &&
	test ! -s out &&
	nothing_recorded
'

test_expect_success 'an arch or toolchain pwb does not know: exit 3, named' '
	test_fails_with "--arch sparc: not an arch pwb builds for (x86_64, arm64)" \
		"$PWB" boot --kernel "$TRASH/junk" --arch sparc &&
	test_expect_code 3 "$PWB" boot --kernel "$TRASH/junk" --arch sparc 2>/dev/null &&
	test_fails_with "build.arch = sparc: not an arch" \
		"$PWB" -c build.arch=sparc boot --kernel "$TRASH/junk" &&
	test_fails_with "--toolchain icc: not a toolchain pwb builds with" \
		"$PWB" boot --kernel "$TRASH/junk" --toolchain icc &&
	test_expect_code 3 "$PWB" boot --kernel "$TRASH/junk" --toolchain icc 2>/dev/null &&
	nothing_recorded
'

test_expect_success 'a config value that is no number, a tree that is not there: exit 1' '
	test_fails_with "config boot.mem: .lots. is not a number" \
		"$PWB" -c boot.mem=lots boot --kernel "$TRASH/junk" &&
	test_expect_code 1 "$PWB" -c boot.timeout=soon boot --kernel "$TRASH/junk" 2>/dev/null &&
	test_fails_with "--tree /no/such/tree: no registered tree of that name and no such directory" \
		"$PWB" boot --tree /no/such/tree --rev HEAD &&
	test_expect_code 1 "$PWB" boot --tree /no/such/tree --rev HEAD 2>/dev/null &&
	nothing_recorded
'

test_done
