#!/bin/sh
# Kernel tier through Slurm: pwb check, matrix and bisect --on
# slurm on the 6.1 tree, with a one-node cluster on 127.0.0.1 started and
# stopped here.  The builds of the base and every patch, then the suite's
# builds and boots of base and tip, are Slurm jobs whose bundles are
# imported, and the verdicts are computed here exactly as for a local
# check (t9200 asserts the same cases locally).  And pwb run of the hmm
# kselftest suite as jobs: the tree's selftests built on the node.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/ci/lib-pi.sh"
kernel_tier
if ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/slurmctld ]; then
	test_skip "slurm" "no Slurm (make deps installs slurm-wlm)"
	test_done
fi
# this machine is a node too: its own builds in the cluster's cache
# (slurm.workdir/cache, the kernel tier's core.workdir: tests/lib.sh), so
# the jobs find the build directory where the local builds left it
git config -f "$XDG_CONFIG_HOME/pwb/config" slurm.workdir "$KWORK"

test_expect_success 'setup: the 6.1 tree and a one-node cluster' '
	git clone -q --shared --no-checkout "$(ref_tree)" linux &&
	"$PWB" tree add linux linux >/dev/null &&
	port=$(pi_free_port) &&
	test_at_exit "sh \"$SRCDIR/ci/slurm-cluster.sh\" stop \"$TRASH/slurm\"" &&
	sh "$SRCDIR/ci/slurm-cluster.sh" start "$TRASH/slurm" "$port" >env &&
	. ./env
'

test_expect_success 'check --on slurm: mmn-undo-removal regresses the 8 reaper cases' '
	"$PWB" check "$SRCDIR/patches/mmn-undo-removal.mbox" --tree linux \
		--suite mmn-pairing --on slurm --json >c.json 2>c.err;
	rc=$?;
	test $rc = 1 || { echo "exit $rc"; tail -n 5 c.err; false; } &&
	python3 -c "
import json; r = json.load(open(\"c.json\"))
assert r[\"verdict\"] == \"regression\", r[\"verdict\"]
s = r[\"suites\"][0]
# the new failures were booted again (check.retries = 2) and failed again
assert s[\"runs\"] == {\"base\": 1, \"candidate\": 3}, s[\"runs\"]
new = sorted(c[\"name\"] for c in s[\"cases\"] if c[\"verdict\"] == \"new-failure\")
assert new == sorted([\"oom_%d_fail_%s\" % (n, w) for n in (2, 3, 4)
                      for w in (\"first\", \"middle\", \"last\") if (n, w) != (2, \"middle\")]), new" &&
	test "$(sqlite3 "$PWB_DB" "SELECT group_concat(kind || backend || status, \" \")
		FROM (SELECT * FROM jobs ORDER BY id)")" = \
		"buildslurmok buildslurmok buildslurmok buildslurmok suiteslurmok suiteslurmfailed buildslurmok suiteslurmfailed suiteslurmfailed" &&
	# three submissions: the base and the patch built (bisectability),
	# the suite on base and candidate (its build jobs find the kernels
	# built), the two retries of the candidate
	test "$(ls "$KWORK/jobs" | wc -l)" = 3 &&
	! pgrep -f "qemu-system-x86_64.*$KWORK" >/dev/null
'

test_expect_success 'the same check again: every run reused, nothing submitted' '
	n=$(ls "$KWORK/jobs" | wc -l) &&
	"$PWB" check "$SRCDIR/patches/mmn-undo-removal.mbox" --tree linux \
		--suite mmn-pairing --on slurm --json >c2.json;
	test $? = 1 &&
	test "$(ls "$KWORK/jobs" | wc -l)" = "$n" &&
	grep -q "\"verdict\": \"regression\"" c2.json
'

# what a matrix --json decided, a line per cell
verdicts() {
	python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
for c in m[\"cells\"]:
    print(c[\"source\"].split(\"/\")[-1], c[\"config\"], c[\"verdict\"], c[\"exit\"],
          c[\"report\"][\"suites\"][0][\"runs\"])" "$1"
}

# (t9200 checks the same two series locally: the same verdicts and cases)
test_expect_success 'matrix of 2 series x 1 suite x 2 repeats on slurm: the verdicts of a local check' '
	n=$(ls "$KWORK/jobs" | wc -l) &&
	"$PWB" matrix --tree linux --suite mmn-pairing --repeat 2 --on slurm --json \
		"$SRCDIR/patches/mmn-undo-removal.mbox" \
		"$SRCDIR/patches/mmn-doc-fix.mbox" >ms.json 2>ms.err;
	rc=$?;
	test $rc = 1 || { echo "slurm: exit $rc"; tail -n 5 ms.err; false; } &&
	verdicts ms.json >ms.out &&
	grep -q "^mmn-undo-removal.mbox .* regression 1 " ms.out &&
	grep -q "^mmn-doc-fix.mbox .* no-regression 0 " ms.out &&
	grep -q "^mmn-doc-fix.mbox .* {.base.: 2, .candidate.: 2}" ms.out &&
	# the regression: 2 runs and 2 retries (here one more boot, with the
	# check above'"'"'s three)
	grep -q "^mmn-undo-removal.mbox .* {.base.: 2, .candidate.: 4}" ms.out &&
	# one submission of builds, one of boots for both cells, one of the
	# retry; the base they share ran once more (2 runs, one of them from
	# the check above), not once per cell
	test "$(ls "$KWORK/jobs" | wc -l)" = $((n + 3)) &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM suite_runs r JOIN builds b
		ON b.id = r.build_id JOIN checks c ON c.base_commit = b.commit_id
		WHERE c.id = (SELECT max(id) FROM checks)")" = 2 &&
	test "$(sqlite3 "$PWB_DB" "SELECT count(*) FROM jobs WHERE kind = \"suite\"
		AND backend = \"slurm\"")" = 8 &&
	! pgrep -f "qemu-system-x86_64.*$KWORK" >/dev/null
'

test_expect_success 'bisect --on slurm: a database that knows nothing, every build and boot a job' '
	export PWB_DB="$TRASH/bisect.sqlite" &&
	"$PWB" tree add linux linux >/dev/null &&
	"$PWB" -q fetch "$SRCDIR/patches/mmn-undo-removal.mbox" >/dev/null &&
	n=$(ls "$KWORK/jobs" | wc -l) &&
	"$PWB" bisect 1 --tree linux --suite mmn-pairing --repeat 1 --on slurm \
		--json >b.json 2>b.err;
	rc=$?;
	export PWB_DB="$TRASH/pwb.sqlite";
	test $rc = 0 || { echo "exit $rc"; tail -n 5 b.err; false; } &&
	python3 -c "
import json; r = json.load(open(\"b.json\"))
assert r[\"culprit\"][\"label\"].startswith(\"1/1 mm/mmu_notifier: do not call\"), r
assert r[\"cycles\"] == 2, r" &&
	test "$(ls "$KWORK/jobs" | wc -l)" = $((n + 2)) &&
	test "$(sqlite3 "$TRASH/bisect.sqlite" "SELECT group_concat(kind || backend || status, \" \")
		FROM (SELECT * FROM jobs ORDER BY id)")" = \
		"buildslurmok suiteslurmok buildslurmok suiteslurmfailed"
'

test_expect_success 'run --on slurm: the hmm kselftest suite (the tree'"'"'s hmm-tests built in the job), the cases of a local run' '
	"$PWB" run --tree linux --rev v6.1-debian --suite hmm --on slurm \
		--json >h.json 2>h.err || { tail -n 5 h.err; false; } &&
	python3 - h.json <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))["runs"][0]
	assert r["status"] == "passed", (r["status"], r["error"])
	st = sorted({c["status"] for c in r["cases"]})
	assert st == ["pass", "skip"] and len(r["cases"]) == 58, (st, len(r["cases"]))
	assert all(c["directive"] == "SKIP DEVICE_COHERENT not available"
	           for c in r["cases"] if c["status"] == "skip"), r["cases"]
	EOF
	test "$(sqlite3 "$PWB_DB" "SELECT tests_from FROM suite_runs WHERE suite = '"'"'hmm'"'"'")" = \
		"tools/testing/selftests/vm at $(git -C linux rev-parse v6.1-debian^0)"
'

test_done
