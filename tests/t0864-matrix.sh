#!/bin/sh
# pwb matrix over series, arches, toolchains and configs, boots side by
# side, and the arches and toolchains pwb does not know, through the
# recorded backend (tests/lib-recorded.sh).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/lib-recorded.sh"

test_expect_success "$RECORDED_SETUP" recorded_setup

test_expect_success 'setup: a series that changes no result' '
	(cd t && git checkout -q -b harmless base) &&
	commit "mm: a comment" "echo /\* c \*/ >>mm/mmu_notifier.c" &&
	series harmless && (cd t && git checkout -q master)
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

test_done
