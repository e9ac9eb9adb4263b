#!/bin/sh
# Kernel tier: the fixture series on cells beside t9200's 6.1/x86_64/gcc,
# each cell a (base, arch, toolchain, config).  By default two cells
# cover every axis in one cold build:
#   v6.12-debian + arm64 + clang + qemu-arm64-debug   (cross-built with
#       LLVM=1, KASAN/lockdep/DEBUG_VM..., qemu-system-aarch64 under TCG),
#       every series below but mmn-3-series (t9200 checks and bisects
#       it on 6.1 x86_64; make check-matrix on every cell)
#   v6.1-debian + x86_64 + gcc + qemu-x86_64          (the plain config,
#       built by t9100 and t9200 in the work directory the kernel tier
#       shares), mmn-kasan-oob only: t9200 checks the others there
# On every cell:
#   mmn-kasan-oob (a write one byte past a 15-byte kmalloc that only KASAN
#   sees): regression on a debug config, with a new KASAN finding while
#   every case passes; no regression and no finding on a plain config.
#   mmn-3-series: regression, the same five failing cases as on 6.1
#   (patches/README.md), every patch builds.
#   list-sort-unstable: kunit-mm (the kernel's own KUnit tests, modules of
#   the same build) names list_sort.list_sort_test, every other case
#   passes.
#   hmm-zero-page: hmm (the kernel's hmm-tests, built from the tree at each
#   side's commit) names anon_read, anon_write_prot and snapshot, the
#   device-coherent variants skip with their reason.
# With PWB_SERIES naming them (make check-matrix does), the other three
# fixture series too, with the verdicts t9200 asserts on 6.1 x86_64:
#   mmn-undo-removal: the 8 non-blocking cases with 2+ subscriptions fail.
#   mmn-doc-fix: mmn-pairing and the oom-reaper benchmark: no regression.
#   mmn-big-hammer: pairing holds, the oom-reaper benchmark regresses
#   (no reaping and a second OOM kill for N = 2 and 4).
# PWB_CELLS="BASE:ARCH:TOOLCHAIN:CONFIG[:SERIES+SERIES] ..." checks other
# cells; make check-matrix sets it to the full cross product.  A table of
# cells x series x verdicts x seconds ends the output.
. "$(dirname "$0")/lib.sh"
kernel_tier

CELLS=${PWB_CELLS:-"v6.12-debian:arm64:clang:qemu-arm64-debug:mmn-kasan-oob+list-sort-unstable+hmm-zero-page v6.1-debian:x86_64:gcc:qemu-x86_64:mmn-kasan-oob"}
SERIES=${PWB_SERIES:-"mmn-kasan-oob mmn-3-series list-sort-unstable hmm-zero-page"}
# want SERIES: this run checks it on this cell (a cell's fifth field, the
# series joined with "+", narrows SERIES for it)
want() {
	case " $SERIES " in *" $1 "*) ;; *) return 1 ;; esac
	[ -z "$cell_series" ] && return 0
	case " $cell_series " in *" $1 "*) return 0 ;; esac
	return 1
}
: >"$TRASH/table"

test_expect_success 'setup: the reference tree with v6.1-debian and v6.12-debian' '
	git clone -q --shared --no-checkout "$(ref_tree)" linux &&
	"$PWB" tree add linux linux >/dev/null &&
	git -C linux rev-parse -q --verify v6.12-debian^{commit} >/dev/null
'

# check SERIES CELL OUT [SUITES]: pwb check of patches/SERIES.mbox on CELL
# with SUITES (mmn-pairing) into OUT.json; the table gets a row
check() {
	IFS=: read -r base arch tc cfg _ <<-EOF
	$2
	EOF
	suites=
	for s in ${4:-mmn-pairing}; do suites="$suites --suite $s"; done
	t0=$(date +%s)
	"$PWB" check "$SRCDIR/patches/$1.mbox" --tree linux --base "$base" \
		--arch "$arch" --toolchain "$tc" --config "$cfg" \
		$suites --json >"$3.json" 2>"$3.err"
	rc=$?
	v=$(python3 -c "import json; print(json.load(open(\"$3.json\"))[\"verdict\"])" 2>/dev/null)
	printf "%-42s %-16s %-14s %5s s\n" "$2" "$1" "${v:-?}" \
		$(($(date +%s) - t0)) >>"$TRASH/table"
	[ $rc -lt 128 ] || cat "$3.err"
	return $rc
}

for spec in $CELLS; do
	IFS=: read -r base arch tc cfg cell_series <<-EOF
	$spec
	EOF
	cell=$base:$arch:$tc:$cfg
	cell_series=$(echo "$cell_series" | tr + " ")
	case $cell in
	*-debug) kasan_exit=1 ;;
	*) kasan_exit=0 ;;
	esac
	name=$(echo "$cell" | tr : _)
	export cell kasan_exit name

	want mmn-kasan-oob && test_expect_success "$cell: mmn-kasan-oob" '
		check mmn-kasan-oob "$cell" "kasan-$name";
		test $? = $kasan_exit || { cat "kasan-$name.err"; false; } &&
		python3 - "kasan-$name.json" "$cell" "$kasan_exit" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		base, arch, tc, cfg = sys.argv[2].split(":")
		assert (r["config"], r["arch"], r["toolchain"]) == (cfg, arch, tc), r
		s = r["suites"][0]
		assert s["comparable"], s["why_not"]
		assert all(c["verdict"] == "pass" for c in s["cases"]), s["cases"]
		new = [f["title"] for f in s["findings"] if f["verdict"] == "new-finding"]
		if sys.argv[3] == "1":
		    assert r["verdict"] == "regression", r["verdict"]
		    assert new == ["KASAN: slab-out-of-bounds Write in __mmu_notifier_register"], s["findings"]
		else:
		    assert r["verdict"] == "no-regression", r["verdict"]
		    assert new == [], s["findings"]
		EOF
	'

	want mmn-3-series && test_expect_success "$cell: mmn-3-series, the cases that fail on 6.1 x86_64" '
		check mmn-3-series "$cell" "three-$name";
		test $? = 1 || { cat "three-$name.err"; false; } &&
		python3 - "three-$name.json" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		assert r["verdict"] == "regression", r["verdict"]
		bad = sorted(c["name"] for c in r["suites"][0]["cases"] if c["verdict"] == "new-failure")
		assert bad == ["oom_2_fail_first", "oom_3_fail_first", "oom_3_fail_middle",
		               "oom_4_fail_first", "oom_4_fail_middle"], bad
		assert [b["status"] for b in r["builds"]] == ["ok"] * 4, r["builds"]
		EOF
	'

	want list-sort-unstable && test_expect_success "$cell: list-sort-unstable: kunit-mm names the KUnit case it breaks" '
		check list-sort-unstable "$cell" "sort-$name" kunit-mm;
		test $? = 1 || { cat "sort-$name.err"; false; } &&
		python3 - "sort-$name.json" "$cell" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		s = r["suites"][0]
		assert (r["verdict"], s["format"]) == ("regression", "kunit"), (r["verdict"], s["format"])
		bad = [(c["name"], c["verdict"]) for c in s["cases"] if c["verdict"] != "pass"]
		assert bad == [("list_sort.list_sort_test", "new-failure")], bad
		# the test modules of the build: what the config fragment turns on
		suites = {c["name"].split(".")[0] for c in s["cases"]}
		want = {"list-kunit-test", "hlist", "list_sort", "memcpy"}
		if sys.argv[2].endswith("-debug"):
		    want.add("slub_test")
		assert want <= suites, suites
		assert len(s["cases"]) > 50, len(s["cases"])
		# a new failure is booted twice more (check.retries) before it counts
		assert s["runs"] == {"base": 1, "candidate": 3}, s["runs"]
		EOF
	'

	# hmm-zero-page: four boots of hmm-tests (base, candidate, 2 retries):
	# 4 s each on x86_64, 14-22 s on the arm64 debug cell under TCG
	# On 6.1 arm64 test_hmm cannot load on either side (its device memory
	# gets a memmap outside arm64's vmemmap: a WARNING in
	# vmemmap_populate, then an Oops in insmod), so nothing ran: not
	# comparable, with the Oops pre-existing, and never "no regression".
	case $cell in
	v6.1-debian:arm64:*) hmm_runs=0 ;;
	*) hmm_runs=1 ;;
	esac
	export hmm_runs
	want hmm-zero-page && test $hmm_runs = 0 && test_expect_success "$cell: hmm-zero-page: test_hmm cannot load on 6.1 arm64: not comparable" '
		check hmm-zero-page "$cell" "hmm-$name" hmm;
		test $? = 3 || { cat "hmm-$name.err"; false; } &&
		python3 - "hmm-$name.json" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		s = r["suites"][0]
		assert r["verdict"] == "not-comparable", r["verdict"]
		assert "neither side gave a result" in s["why_not"], s["why_not"]
		assert s["failed_boots"] == {"base": 1, "candidate": 1}, s["failed_boots"]
		f = {(x["kind"], x["verdict"]) for x in s["findings"]}
		assert ("oops", "pre-existing") in f, f
		assert any("test_hmm" in x["lines"] for x in s["findings"] if x["kind"] == "oops"), s["findings"]
		EOF
	'
	want hmm-zero-page && test $hmm_runs = 1 && test_expect_success "$cell: hmm-zero-page: the kernel's own hmm-tests name the cases it breaks" '
		check hmm-zero-page "$cell" "hmm-$name" hmm;
		test $? = 1 || { cat "hmm-$name.err"; false; } &&
		python3 - "hmm-$name.json" "$cell" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		base = sys.argv[2].split(":")[0]
		s = r["suites"][0]
		assert (r["verdict"], s["format"]) == ("regression", "kselftest"), (r["verdict"], s["format"])
		bad = sorted(c["name"] for c in s["cases"] if c["verdict"] == "new-failure")
		# the device reads that meet the zero page fail with -EFAULT, and
		# the snapshot sees an error where the zero page was
		assert bad == ["hmm.hmm_device_private.anon_read",
		               "hmm.hmm_device_private.anon_write_prot",
		               "hmm2.hmm2_device_private.snapshot"], bad
		v = {c["verdict"] for c in s["cases"]}
		assert v == {"pass", "skipped", "new-failure"}, v
		for c in s["cases"]:
		    if c["verdict"] == "skipped":
		        assert "_device_coherent." in c["name"], c
		        assert c["skip_reason"] == "SKIP DEVICE_COHERENT not available", c
		d = "vm" if base == "v6.1-debian" else "mm"
		for side in ("base", "candidate"):
		    assert s["tests_from"][side].startswith("tools/testing/selftests/%s at " % d), s["tests_from"]
		EOF
	'

	want mmn-undo-removal && test_expect_success "$cell: mmn-undo-removal: the multi-subscription reaper cases fail" '
		check mmn-undo-removal "$cell" "undo-$name";
		test $? = 1 || { cat "undo-$name.err"; false; } &&
		python3 - "undo-$name.json" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		assert r["verdict"] == "regression", r["verdict"]
		c = r["suites"][0]["cases"]
		bad = sorted(x["name"] for x in c if x["verdict"] == "new-failure")
		assert bad == sorted("oom_%d_fail_%s" % (n, p) for n in (2, 3, 4)
		                     for p in ("first", "middle", "last")
		                     if (n, p) != (2, "middle")), bad
		assert len(c) == 13 and all(x["verdict"] == "pass" for x in c
		                            if x["name"] not in bad), c
		EOF
	'

	want mmn-doc-fix && test_expect_success "$cell: mmn-doc-fix: nothing differs, pairing nor oom-reaper" '
		check mmn-doc-fix "$cell" "doc-$name" "mmn-pairing oom-reaper" ||
		{ cat "doc-$name.err"; false; } &&
		python3 - "doc-$name.json" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		assert r["verdict"] == "no-regression", r["verdict"]
		s = {x["suite"]: x for x in r["suites"]}
		assert s["mmn-pairing"]["regressions"] == 0, s["mmn-pairing"]
		o = s["oom-reaper"]
		assert o["comparable"], o["why_not"]
		assert (o["regressions"], o["improvements"]) == (0, 0), o["metrics"]
		assert o["runs"]["candidate"] == 5 and o["runs"]["base"] >= 5, o["runs"]
		EOF
	'

	want mmn-big-hammer && test_expect_success "$cell: mmn-big-hammer: pairing holds, the oom-reaper benchmark regresses" '
		check mmn-big-hammer "$cell" "hammer-$name" "mmn-pairing oom-reaper";
		test $? = 1 || { cat "hammer-$name.err"; false; } &&
		python3 - "hammer-$name.json" <<-\EOF
		import json, sys
		r = json.load(open(sys.argv[1]))
		assert r["verdict"] == "regression", r["verdict"]
		s = {x["suite"]: x for x in r["suites"]}
		assert s["mmn-pairing"]["regressions"] == 0, s["mmn-pairing"]
		m = s["oom-reaper"]["metrics"]
		bad = sorted(x["name"] for x in m if x["verdict"] == "regression")
		assert bad == ["anon_rss/subs=2", "anon_rss/subs=4", "oom_kills/subs=2",
		               "oom_kills/subs=4", "reaped/subs=2", "reaped/subs=4"], m
		EOF
	'
done

test_expect_success 'each build says what it was built for and with' '
	sqlite3 "$PWB_DB" "SELECT DISTINCT arch, compiler, config_name, toolchain FROM builds
		WHERE status = '\''ok'\''" >builds.txt &&
	for cell in $CELLS; do
		IFS=: read -r base arch tc cfg _ <<-EOF
		$cell
		EOF
		case $tc in clang) v="Debian clang version" ;; *) v="gcc" ;; esac
		grep -q "^$arch|$tc|$cfg|.*$v" builds.txt || { cat builds.txt; return 1; }
	done &&
	"$PWB" report "$(sqlite3 "$PWB_DB" "SELECT min(id) FROM checks")" >first.txt &&
	set -- $(echo "${CELLS%% *}" | tr : " ") &&
	grep -q "config $4, $2, $3" first.txt
'

# "#|" lines: ci/run-tests.sh shows them whether the test passed or not
echo "#| cell                                       series           verdict        time"
sed "s/^/#| /" "$TRASH/table"
test_done
